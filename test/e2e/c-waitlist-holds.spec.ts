// c. A waitlist order (out-of-stock item) is authorized and shows in Holds; the manager captures part of
// one hold (the confirmation states the released remainder) and releases another.
import { expect, shot, test } from './fixtures';
import { addProduct, chooseCard, fillCustomer, firstRun, go, pressPay } from './helpers';

test('waitlist orders become holds; capture part of one, release another', async ({ page, mc }) => {
  await firstRun(page, mc);

  for (const customer of ['Wendy Waitlist', 'Rita Release']) {
    await go(page, 'New order');
    await addProduct(page, 'whisk', 'Bamboo matcha whisk');
    await page.getByRole('button', { name: 'Add it waiting for stock' }).click();
    await expect(page.getByText('Waitlist order')).toBeVisible();
    await fillCustomer(page, customer);
    await chooseCard(page, 'Visa — succeeds');
    await expect(page.getByRole('button', { name: 'Authorize $18.00 (hold)' })).toBeVisible();
    if (customer === 'Wendy Waitlist') await shot(page, 'c-01-waitlist-order', { docs: true });
    await pressPay(page);
    await expect(page.getByText('On hold.')).toBeVisible();
    await page.getByRole('button', { name: 'Next order' }).click();
  }

  await go(page, 'Holds');
  await expect(page.getByRole('row', { name: /Wendy Waitlist/ })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('row', { name: /Rita Release/ })).toBeVisible();
  await shot(page, 'c-02-holds', { docs: true });

  await page.getByRole('button', { name: 'Capture hold for Wendy Waitlist' }).click();
  const dialog = page.getByRole('dialog', { name: 'Capture hold for Wendy Waitlist' });
  await dialog.getByLabel(/Amount to capture/).fill('10.00');
  await expect(
    dialog.getByText('Capture $10.00 now; the remaining $8.00 will be released to the customer.'),
  ).toBeVisible();
  await dialog.getByLabel('Manager PIN').fill('1234');
  await shot(page, 'c-03-capture-confirm', { docs: true });
  await dialog.getByRole('button', { name: 'Capture $10.00' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row', { name: /Wendy Waitlist/ })).toBeHidden();

  await page.getByRole('button', { name: 'Release hold for Rita Release' }).click();
  const release = page.getByRole('dialog', { name: 'Release hold for Rita Release' });
  await expect(release.getByText(/Release \$18\.00 back to the customer/)).toBeVisible();
  await release.getByLabel('Manager PIN').fill('1234');
  await release.getByRole('button', { name: 'Release hold' }).click();
  await expect(release).toBeHidden();
  await expect(page.getByText('No open holds')).toBeVisible();

  await page.getByRole('button', { name: 'All', exact: true }).click();
  await expect(
    page.getByRole('row', { name: /Wendy Waitlist/ }).getByText('Partially captured'),
  ).toBeVisible();
  await expect(page.getByRole('row', { name: /Rita Release/ }).getByText('Released')).toBeVisible();
  await shot(page, 'c-04-holds-after', { docs: true });
});
