// h. A manager refunds part of an order from its detail pane, with their PIN; the money ledger shows it.
import { expect, shot, test } from './fixtures';
import { addProduct, chooseCard, fillCustomer, firstRun, go, MANAGER, pressPay } from './helpers';

test('a manager refunds part of an order and the ledger shows it', async ({ page, mc }) => {
  await firstRun(page, mc);
  await addProduct(page, 'assam', 'Assam breakfast, 250 g');
  await fillCustomer(page, 'Rae Refund', 'rae@example.com');
  await chooseCard(page, 'Visa — succeeds');
  await pressPay(page);
  await expect(page.getByText('Payment succeeded.')).toBeVisible({ timeout: 20_000 });
  await go(page, 'Orders');
  const row = page.getByRole('row').filter({ hasText: 'Rae Refund' });
  await expect(row).toBeVisible({ timeout: 15_000 });
  await row.getByRole('button', { name: /Open order/ }).click();
  await page.getByRole('button', { name: /^Refund/ }).click();
  const dialog = page.getByRole('dialog', { name: /Refund order #[A-Z]{1,3}\d+/ });
  await dialog.getByLabel(/Amount/).fill('5.00');
  await dialog.getByLabel('Manager PIN').fill(MANAGER.pin);
  await shot(page, 'h-01-refund-dialog', { docs: true });
  await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
  const ledger = page.getByRole('region', { name: 'Money' });
  // The ledger's "Refunded" figure, and the refund in the list of refunds.
  await expect(ledger.getByRole('definition').getByText('$5.00')).toBeVisible({ timeout: 15_000 });
  await expect(ledger.getByRole('table', { name: 'Refunds' })).toContainText('Refunded');
  await expect(page.getByText('Refundable: $13.90')).toBeVisible();
  await shot(page, 'h-02-refunded');
});
