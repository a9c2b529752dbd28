// m6. An order's shipping fee (a line of its own, typed in the cart), an internal note, and cancelling a paid
// order as one action: the rest refunded, the items back in stock, the order cancelled with a reason.
import { expect, shot, test } from './fixtures';
import { addProduct, chooseCard, fillCustomer, firstRun, go, MANAGER, pressPay } from './helpers';

interface Item {
  sku: string;
  stock: number;
  active: boolean;
}

test('a phone order with a shipping fee gets a note, then is cancelled as one action', async ({
  page,
  mc,
}) => {
  await firstRun(page, mc);
  const stock = async () => {
    await mc.ipc('auth:login', { name: MANAGER.name, pin: MANAGER.pin }, 'look');
    const items = await mc.ipc<Item[]>('catalog:list', { query: 'TEA-EARL-100' }, 'look');
    return items.find((p) => p.active)!.stock;
  };
  expect(await stock()).toBe(40);

  // The order, with a $6.95 shipping fee below the items.
  await addProduct(page, 'earl', 'Earl Grey loose leaf, 100 g');
  await fillCustomer(page, 'Sid Shipping', 'sid@example.com');
  await page.getByRole('radio', { name: 'Ship to the customer' }).check();
  await page.getByLabel('Address line 1').fill('3 Quay Road');
  await page.getByLabel('City').fill('Portland');
  await page.getByLabel('State').fill('ME');
  await page.getByLabel(/^(Postal code|ZIP code)$/).fill('04101');
  const fee = page.getByLabel('Shipping', { exact: true });
  await fee.fill('6.9.5');
  await fee.press('Enter');
  await expect(page.getByText(/Enter an amount|not an amount|valid/i).first()).toBeVisible();
  await fee.fill('6.95');
  await fee.press('Enter');
  await expect(page.getByLabel('Order total')).toHaveText('$19.45');
  await chooseCard(page, 'Visa — succeeds');
  await shot(page, 'm6-01-shipping-fee', { docs: true });
  await pressPay(page);
  await expect(page.getByText('Payment succeeded.')).toBeVisible({ timeout: 20_000 });
  expect(await stock()).toBe(39);

  // In Orders: the fee, and a note for whoever packs it.
  await go(page, 'Orders');
  const row = page.getByRole('row', { name: /Sid Shipping/ });
  await expect(row).toBeVisible({ timeout: 15_000 });
  await row.getByRole('button', { name: /Open order/ }).click();
  const detail = page.getByRole('complementary');
  await expect(detail.getByText(/Shipping fee \$6\.95/)).toBeVisible();
  await detail.getByLabel(/New note on order #A1001/).fill('Leave at the back door');
  await detail.getByRole('button', { name: 'Add note' }).click();
  const notes = detail.getByRole('list', { name: 'Notes on order #A1001' });
  await expect(notes).toContainText('Leave at the back door');
  await expect(notes).toContainText('Maria Manager · Front desk');
  await shot(page, 'm6-02-note');

  // Cancel it: one action, with a reason and the manager's PIN.
  await detail.getByRole('button', { name: 'Cancel order…' }).click();
  const cancel = page.getByRole('dialog', { name: 'Cancel order #A1001' });
  await expect(cancel).toContainText('Refund $19.45 to the customer’s card, put the items back in stock');
  await cancel.getByLabel('Reason').selectOption({ label: 'The customer asked to cancel' });
  await cancel.getByLabel('Note (optional)').fill('Changed their mind');
  await cancel.getByLabel('Manager PIN').fill(MANAGER.pin);
  await shot(page, 'm6-03-cancel-dialog');
  await cancel.getByRole('button', { name: 'Cancel order' }).click();
  await expect(cancel).toBeHidden({ timeout: 15_000 });
  await expect(detail.getByRole('status').filter({ hasText: 'Cancelled' })).toContainText(
    'Cancelled: The customer asked to cancel — “Changed their mind”. By Maria Manager · Front desk',
  );
  await expect(detail.getByRole('region', { name: 'Money' })).toContainText('$19.45');
  await expect(row.getByText('Cancelled')).toBeVisible();
  await expect(detail.getByText('Cancelled', { exact: true })).toBeVisible();
  // Not offered (or offered disabled): a cancelled order is not packed.
  await expect(detail.getByRole('button', { name: 'Move to processing', disabled: false })).toHaveCount(0);
  await expect(detail.getByRole('button', { name: 'Cancel order…' })).toHaveCount(0);
  await shot(page, 'm6-04-cancelled', { docs: true });
  // The tea is back on the shelf.
  expect(await stock()).toBe(40);
});
