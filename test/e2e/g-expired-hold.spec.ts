// g. An expired hold can't be captured: the training clock moves 8 days on; the hold shows as expired.
import { expect, shot, test } from './fixtures';
import { firstRun, go, seedOrder } from './helpers';

test('after 8 days a hold shows expired and offers no Capture', async ({ page, mc }) => {
  await firstRun(page, mc);
  await seedOrder(mc, { customer: 'Eve Expiry', productName: /Gooseneck kettle/ });
  await go(page, 'Holds');
  const row = page.getByRole('row', { name: /Eve Expiry/ });
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row.getByRole('button', { name: /Capture/ })).toBeVisible();

  await go(page, 'Settings');
  await page.getByLabel('Advance by').selectOption({ label: '8 days' });
  await page.getByRole('button', { name: 'Advance the clock' }).click();
  await expect(page.getByText(/Training clock moved forward 8 days/)).toBeVisible();

  await go(page, 'Holds');
  await page.getByRole('button', { name: 'All', exact: true }).click();
  await expect(row.getByText('Expired', { exact: true })).toBeVisible({ timeout: 15_000 });
  await expect(row.getByRole('button', { name: /Capture/ })).toHaveCount(0);
  await shot(page, 'g-01-expired-hold', { docs: true });
});
