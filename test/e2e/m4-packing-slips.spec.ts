// m4. Packing slips and labels: slips for a selection of orders (items, quantities, ship-to, the order number as
// text and as a barcode), one per page; a shipping label for one order — printed by the browser and checked on
// paper.
import { expect, shot, test } from './fixtures';
import { firstRun, go } from './helpers';
import {
  countPrints,
  expectNotPrinted,
  expectPrinted,
  GRACE,
  placeOrder,
  printedText,
  prints,
} from './shop-helpers';

test('packing slips for two orders and a label for one, on paper', async ({ page, mc }) => {
  await firstRun(page, mc);
  await placeOrder(mc, {
    items: [
      { sku: 'TEA-EARL-100', quantity: 2 },
      { sku: 'CUP-PORC-2', quantity: 1 },
    ],
    shippingFee: 695,
  });
  await placeOrder(mc, {
    items: [{ sku: 'TEA-SENCHA-100', quantity: 3 }],
    customer: {
      name: 'Otto Order',
      email: 'otto@example.com',
      shipping: { line1: '5 Mill Lane', city: 'Burlington', postalCode: '05401', state: 'VT', country: 'US' },
    },
  });

  await go(page, 'Orders');
  const grace = page.getByRole('row', { name: /Grace Hopper/ });
  const otto = page.getByRole('row', { name: /Otto Order/ });
  await expect(grace).toBeVisible({ timeout: 15_000 });
  await grace.getByRole('checkbox').check();
  await otto.getByRole('checkbox').check();
  await page
    .getByRole('toolbar', { name: 'Selected orders' })
    .getByRole('button', { name: 'Packing slips' })
    .click();
  const preview = page.getByRole('dialog', { name: 'Print preview: Packing slips — 2 orders' });
  await expect(preview.getByRole('article')).toHaveCount(2);
  // The order number as a barcode (CODE128, drawn as bars) beside the number in text.
  const barcode = preview.getByRole('img', { name: 'Barcode of order A1001' });
  await expect(barcode).toBeVisible();
  expect(await barcode.locator('rect').count()).toBeGreaterThan(10);
  await shot(page, 'm4-01-packing-slips', { docs: true });

  await countPrints(page);
  await preview.getByRole('button', { name: 'Print', exact: true }).click();
  await expect.poll(() => prints(page)).toBe(1);
  const text = await printedText(page);
  expectPrinted(
    text,
    'Packing slip',
    'Order A1001',
    'Order A1002',
    'Earl Grey loose leaf, 100 g',
    'TEA-EARL-100',
    'Porcelain cups, set of 2',
    'Sencha green tea, 100 g',
    'Ship to',
    GRACE.shipping.line1,
    'Portland, ME 04101',
    '5 Mill Lane',
    'Burlington, VT 05401',
  );
  expectNotPrinted(text, 'Sign out', 'Selected orders');
  // One slip per page.
  expect(text.split('\f').filter((p) => p.trim()).length).toBe(2);
  await preview.getByRole('button', { name: 'Close' }).click();

  // A label for one order, from its detail pane.
  await grace.getByRole('button', { name: /Open order #A1001/ }).click();
  await page.getByRole('complementary').getByRole('button', { name: 'Label' }).click();
  const label = page.getByRole('dialog', { name: 'Print preview: Shipping label — order A1001' });
  await expect(label.getByRole('article', { name: 'Shipping label for order A1001' })).toBeVisible();
  await shot(page, 'm4-02-label');
  const labelText = await printedText(page);
  expectPrinted(labelText, 'Grace Hopper', '12 Harbour Street', 'Portland, ME 04101', 'Order A1001');
  expectNotPrinted(labelText, 'Earl Grey');
});
