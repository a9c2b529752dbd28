// Issue 13, item 8: staff see one line of sync health; managers a Diagnostics page (the event log kept there) and
// the audit log the README promises, with filters and the chain check.
import { expect, test } from './fixtures';
import { addStaffInSettings, firstRun, go, signIn, signOut, STAFF } from './helpers';
import { ADDRESS, seedFullOrder, shots } from './staff-helpers';

test('staff see sync health; managers Diagnostics and an audit log with filters and the chain check', async ({
  page,
  mc,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await firstRun(page, mc);
  await addStaffInSettings(page);
  const paid = await seedFullOrder(mc, {
    customer: { name: 'Audra Audit', shipping: ADDRESS },
    products: [{ name: /Sencha/ }],
  });
  await signOut(page);
  await signIn(page, STAFF);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('status')).toContainText('In step with Stripe');
  await expect(nav.getByRole('button', { name: /^Diagnostics/ })).toHaveCount(0);
  await expect(nav.getByRole('button', { name: /^Audit log/ })).toHaveCount(0);
  await go(page, 'Orders');
  const row = page.getByRole('row', { name: /Audra Audit/ });
  await row.getByRole('button', { name: /Open order/ }).click();
  await page.getByRole('complementary').getByRole('button', { name: 'Move to processing' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Move to processing' }).click();
  await expect(row.getByText('Processing')).toBeVisible();
  await shots(page, 'n8-01-staff-health');
  await signOut(page);
  await signIn(page, { name: 'Maria Manager', pin: '1234' });

  await go(page, 'Diagnostics');
  await expect(page.getByRole('heading', { name: 'Diagnostics' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Event log' })).toBeVisible();
  await shots(page, 'n8-02-diagnostics');

  await go(page, 'Audit log');
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await page.getByLabel('Who').selectOption({ label: STAFF.name });
  await expect(page.getByRole('row', { name: /Moved to processing/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /Account created/ })).toHaveCount(0);
  await page.getByLabel('Who').selectOption({ label: 'Anyone' });
  await page.getByLabel('What').selectOption({ label: 'Accounts and PINs' });
  await expect(page.getByRole('row', { name: /Account created/ }).first()).toBeVisible();
  await page.getByLabel('What').selectOption({ label: 'Everything' });
  await page.getByLabel('Order or payment').fill(paid.orderNumber!);
  await expect(page.getByRole('row', { name: /Moved to processing/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /Account created/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Check the chain' }).click();
  await expect(page.getByText(/^The chain holds: all \d+ entries are as they were written\.$/)).toBeVisible();
  await shots(page, 'n8-03-audit-log');
});
