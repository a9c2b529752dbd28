// Issue 13, item 5: staff read order numbers, never internal ids — in confirmations too — and addresses as the
// country writes them (with the state).
import { expect, test } from './fixtures';
import { firstRun, go } from './helpers';
import { ADDRESS, seedFullOrder, shots } from './staff-helpers';

test('dialogs name the order by its number; the address reads as the country writes it', async ({
  page,
  mc,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await firstRun(page, mc);
  const paid = await seedFullOrder(mc, {
    customer: { name: 'Nico Number', email: 'nico@example.com', phone: '+15550109876', shipping: ADDRESS },
    products: [{ name: /Sencha/ }],
  });
  await go(page, 'Orders');
  const row = page.getByRole('row', { name: /Nico Number/ });
  await expect(row).toBeVisible({ timeout: 15_000 });
  await row.getByRole('button', { name: /Open order/ }).click();
  const detail = page.getByRole('complementary');
  await expect(detail.getByRole('heading', { name: `Order #${paid.orderNumber}` })).toBeVisible();
  // The address with its state, as the US writes it; the phone as people read it.
  await expect(detail.getByText('Portland, OR 97201')).toBeVisible();
  await expect(detail.getByText('12 Leaf Lane')).toBeVisible();
  await expect(detail.getByRole('link', { name: '(555) 010-9876' })).toHaveAttribute(
    'href',
    'tel:+15550109876',
  );
  // The ids are only in the folded details.
  await expect(detail.getByText(/ord_/)).toBeHidden();
  await detail.getByRole('button', { name: 'Move to processing' }).click();
  const dialog = page.getByRole('dialog', { name: `Move order #${paid.orderNumber} to processing` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText(/ord_|pi_/)).toHaveCount(0);
  await shots(page, 'n5-01-confirm-by-number');
  await dialog.getByRole('button', { name: 'Move to processing' }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByText('Processing')).toBeVisible();
  await shots(page, 'n5-02-detail-address');
});
