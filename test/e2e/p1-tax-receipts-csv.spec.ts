// Issue 21 part B: tax and discounts after the payment, where people look. Orders priced with a discount and tax
// are made through the emulator's API (as the cart will make them: test/helpers/priced-orders.ts) — one under the
// shop's own rates with 10 % off allowed by a manager, one under Stripe Tax, one for a tax-exempt customer. The
// order pane shows subtotal, discount (why, who), tax by jurisdiction, shipping and total; the receipt prints the
// same; the packing slip prints no prices; the CSV has the new columns at the end, one per jurisdiction.
import { readFileSync } from 'node:fs';
import Stripe from 'stripe';
import { expect, shot, test } from './fixtures';
import { MANAGER, firstRun, go } from './helpers';
import { countPrints, expectNotPrinted, expectPrinted, printedText, prints } from './shop-helpers';
import { shots } from './staff-helpers';
import { STRIPE_API_VERSION } from '../../electron/core/stripe/gateway';
import { seedEmulator } from '../../electron/emulator/seed';
import { makePricedOrder } from '../helpers/priced-orders';

const LINES = [
  { sku: 'TEA-EARL-100', name: 'Earl Grey loose leaf, 100 g', quantity: 2, unitAmount: 1250 },
  { sku: 'CUP-PORC-2', name: 'Porcelain cups, set of 2', quantity: 1, unitAmount: 3400 },
];

test('receipts, the order pane and the CSV show discounts and tax by jurisdiction', async ({ page, mc }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await firstRun(page, mc);
  const api = new URL(mc.emulatorUrl!);
  await seedEmulator({ host: api.hostname, port: Number(api.port) }, 'demo'); // Stripe Tax registrations
  const stripe = new Stripe('sk_test_e2e', {
    apiVersion: STRIPE_API_VERSION,
    host: api.hostname,
    port: Number(api.port),
    protocol: 'http',
  });
  const rates = await makePricedOrder(stripe, {
    mode: 'rates',
    lines: LINES,
    shippingFee: 500,
    orderDiscount: { kind: 'percent', bp: 1000 },
    capture: 'automatic',
    number: 1,
    customerName: 'Dora Dunn',
  });
  const stripeTax = await makePricedOrder(stripe, {
    mode: 'stripe_tax',
    lines: LINES,
    shippingFee: 500,
    capture: 'automatic',
    number: 2,
    customerName: 'Stan Stripetax',
  });
  await makePricedOrder(stripe, {
    mode: 'rates',
    lines: LINES.slice(0, 1),
    capture: 'automatic',
    number: 3,
    customerName: 'Ezra Exempt',
    exempt: 'Resale certificate NY-12-3456',
  });
  expect(rates.pricing.taxTotal).toBeGreaterThan(0);

  await go(page, 'Orders');
  const dora = page.getByRole('row', { name: /Dora Dunn/ });
  await expect(dora).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('row', { name: /Ezra Exempt/ })).toBeVisible({ timeout: 20_000 });
  await dora.getByRole('button', { name: /Open order #T1/ }).click();
  const price = page.getByRole('complementary').getByRole('table', { name: 'Price' });
  await expect(price).toContainText('Subtotal$59.00');
  await expect(price).toContainText(
    'Discount — Loyal customer (given by Sam Staff, allowed by Morgan Manager)',
  );
  await expect(price).toContainText('−$5.90');
  await expect(price).toContainText('Tax: New York 4%');
  await expect(price).toContainText('Tax: New York City 4.875%');
  await expect(price).toContainText(`Total$${(rates.amount / 100).toFixed(2)}`);
  await price.scrollIntoViewIfNeeded();
  await shots(page, 'p1-01-order-pane-tax');
  await shot(page, 'p1-01-order-pane-tax', { docs: true });

  // The receipt: the same figures, on paper.
  await page
    .getByRole('complementary')
    .getByRole('region', { name: 'Receipt' })
    .page()
    .getByRole('button', { name: 'Print receipt' })
    .click();
  const preview = page.getByRole('dialog', { name: 'Print preview: Receipt — order T1' });
  const receipt = preview.getByRole('article', { name: 'Receipt for order T1' });
  await expect(receipt).toContainText('Discount (Loyal customer)');
  await expect(receipt).toContainText('Tax: New York City 4.875%');
  await shots(page, 'p1-02-receipt');
  await countPrints(page);
  await preview.getByRole('button', { name: 'Print', exact: true }).click();
  await expect.poll(() => prints(page)).toBe(1);
  const text = await printedText(page);
  expectPrinted(
    text,
    'Receipt — order T1',
    'Earl Grey loose leaf, 100 g',
    'Discount (Loyal customer)',
    '−$5.90',
    'Shipping',
    '$5.00',
    'Tax: New York 4%',
    'Tax: New York City 4.875%',
    `$${(rates.amount / 100).toFixed(2)}`,
  );
  await preview.getByRole('button', { name: 'Close' }).click();

  // The packing slip: items and quantities, never prices, discounts or tax.
  await dora.getByRole('checkbox').check();
  await page
    .getByRole('toolbar', { name: 'Selected orders' })
    .getByRole('button', { name: 'Packing slips' })
    .click();
  const slips = page.getByRole('dialog', { name: /Print preview: Packing slip/ });
  await expect(slips.getByRole('article')).toHaveCount(1);
  await countPrints(page);
  await slips.getByRole('button', { name: 'Print', exact: true }).click();
  await expect.poll(() => prints(page)).toBe(1);
  const slip = await printedText(page);
  expectPrinted(slip, 'Packing slip', 'Earl Grey loose leaf, 100 g');
  expectNotPrinted(slip, '$', 'Tax', 'Discount');
  await slips.getByRole('button', { name: 'Close' }).click();
  await dora.getByRole('checkbox').uncheck();

  // The exempt customer's order says so.
  await page
    .getByRole('row', { name: /Ezra Exempt/ })
    .getByRole('button', { name: /Open order #T3/ })
    .click();
  await expect(page.getByRole('complementary').getByRole('table', { name: 'Price' })).toContainText(
    'Tax exempt (Resale certificate NY-12-3456)',
  );

  // The CSV: the new columns at the end of each order row, then one column per jurisdiction seen.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const lines = readFileSync(await (await download).path(), 'utf8')
    .replace(/^\ufeff/, '')
    .trimEnd()
    .split('\r\n');
  const head = lines[0]!.slice(1, -1).split('","');
  expect(head.slice(head.indexOf('Tracking') + 1, head.indexOf('Tracking') + 10)).toEqual([
    'Subtotal',
    'Discount',
    'Discount by',
    'Shipping',
    'Shipping tax',
    'Tax',
    'Tax refunded',
    'Tax exempt',
    'Grand total',
  ]);
  const jurisdictions = head.filter((h) => h.startsWith('Tax: '));
  expect(jurisdictions).toEqual(
    expect.arrayContaining(['Tax: New York 4% (US-NY)', 'Tax: New York City 4.875% (US-NY)']),
  );
  const row = (number: string) => {
    const cells = lines
      .find((l) => l.startsWith(`"${number}"`))!
      .slice(1, -1)
      .split('","');
    return (name: string) => cells[head.indexOf(name)];
  };
  const t1 = row('T1');
  expect(t1('Subtotal')).toBe('59.00');
  expect(t1('Discount')).toBe('5.90');
  expect(t1('Discount by')).toBe('Sam Staff, allowed by Morgan Manager');
  expect(t1('Tax')).toBe((rates.pricing.taxTotal / 100).toFixed(2));
  expect(t1('Grand total')).toBe((rates.amount / 100).toFixed(2));
  const t2 = row('T2');
  expect(t2('Tax')).toBe((stripeTax.pricing.taxTotal / 100).toFixed(2));
  expect(row('T3')('Tax exempt')).toBe('Resale certificate NY-12-3456');
  expect(row('T3')('Tax')).toBe('0.00');

  // Today: the tax collected and the discounts given.
  await go(page, 'Today');
  const figures = page.getByRole('region', { name: 'Figures' }).or(page.getByLabel('Figures'));
  await expect(figures).toContainText('Tax collected');
  await expect(figures).toContainText('Discounts given');
  await shots(page, 'p1-03-today-tax');
  // The end-of-day summary: discounts given, tax collected and by jurisdiction.
  await page.getByRole('button', { name: 'End-of-day summary…' }).click();
  const summary = page
    .getByRole('dialog', { name: /Print preview: End-of-day summary/ })
    .getByRole('article', { name: /End-of-day summary/ });
  await expect(summary).toContainText('Discounts given (1; sales are net of them)$5.90');
  await expect(summary).toContainText('Tax collected (in the sales)');
  await expect(summary).toContainText('· New York City (US-NY)');
  await shot(page, 'p1-04-day-summary-tax');
});

test('a taxed waitlist hold captured by lines takes the lines less their discount, with their tax (Stripe Tax)', async ({
  page,
  mc,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await firstRun(page, mc);
  const api = new URL(mc.emulatorUrl!);
  await seedEmulator({ host: api.hostname, port: Number(api.port) }, 'demo');
  const stripe = new Stripe('sk_test_e2e', {
    apiVersion: STRIPE_API_VERSION,
    host: api.hostname,
    port: Number(api.port),
    protocol: 'http',
  });
  const held = await makePricedOrder(stripe, {
    mode: 'stripe_tax',
    lines: [LINES[0]!, { ...LINES[1]!, waitlist: true }],
    shippingFee: 500,
    orderDiscount: { kind: 'percent', bp: 1000 },
    capture: 'manual',
    number: 7,
    customerName: 'Holly Hold',
  });
  const p = held.pricing;
  const tea = 2500 - p.lines[0]!.discount + p.lines[0]!.tax;
  const due = tea + 500 + p.shippingTax;
  const money = (n: number) => `$${(n / 100).toFixed(2)}`;

  await go(page, 'Holds');
  await page.getByRole('button', { name: 'Capture hold for Holly Hold' }).click({ timeout: 20_000 });
  const dialog = page.getByRole('dialog', { name: 'Capture hold for Holly Hold' });
  // The cups have not arrived: the tea goes, with its share of the discount, its tax, and shipping with its tax.
  await dialog.getByRole('checkbox', { name: 'Porcelain cups, set of 2' }).uncheck();
  await expect(dialog.getByLabel(/Amount to capture/)).toHaveValue((due / 100).toFixed(2));
  await dialog.getByLabel('Manager PIN').fill(MANAGER.pin);
  await shots(page, 'p1-05-capture-taxed-lines');
  await dialog.getByRole('button', { name: `Capture ${money(due)}` }).click();
  await expect(dialog).toBeHidden();

  await go(page, 'Orders');
  await page
    .getByRole('row', { name: /Holly Hold/ })
    .getByRole('button', { name: /Open order #T7/ })
    .click({ timeout: 20_000 });
  const price = page.getByRole('complementary').getByRole('table', { name: 'Price' });
  await expect(price).toContainText('Subtotal$25.00');
  await expect(price).toContainText(`Discount — Loyal customer`);
  await expect(price).toContainText(`−${money(p.lines[0]!.discount)}`);
  await expect(price).toContainText(`Total${money(due)}`);
  // Stripe holds the same: the new calculation's transaction for the lines taken.
  const a = await stripe.tax.associations.find({ payment_intent: held.pi.id });
  const committed = (a.tax_transaction_attempts ?? []).filter((x) => x.status === 'committed');
  expect(committed).toHaveLength(1);
  expect(a.calculation).not.toBe(p.calculationId);
  await shots(page, 'p1-06-order-captured-taxed-lines');
});
