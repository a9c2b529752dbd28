// m2. Today at a glance: the day's sales, refunds, holds, work to pack, with charts by hour and by day; the
// shop's details; the end-of-day summary printed (window.print in a browser) and checked on paper (Chromium's PDF).
import { expect, shot, test } from './fixtures';
import { firstRun, MANAGER } from './helpers';
import {
  countPrints,
  expectNotPrinted,
  expectPrinted,
  goTo,
  placeOrder,
  printedText,
  prints,
} from './shop-helpers';

test('a manager reads today’s figures and prints the end-of-day summary', async ({ page, mc }) => {
  await firstRun(page, mc);
  // The day's business: two paid orders (one with a $6.95 shipping fee), a waitlist hold, a $5 refund.
  const first = await placeOrder(mc, { items: [{ sku: 'TEA-EARL-100', quantity: 2 }], shippingFee: 695 });
  await placeOrder(mc, { items: [{ sku: 'CUP-PORC-2', quantity: 1 }], customer: { name: 'Otto Order' } });
  const hold = await placeOrder(mc, {
    items: [{ sku: 'KET-GOOSE-1', quantity: 1 }],
    customer: { name: 'Hal Hold' },
  });
  expect([first.phase, hold.phase]).toEqual(['succeeded', 'on_hold']);
  await mc.ipc(
    'orders:refund',
    {
      orderId: first.orderId,
      amount: 500,
      expectedRefunded: 0,
      pin: MANAGER.pin,
      reason: 'requested_by_customer',
    },
    'seed',
  );

  await goTo(page, 'Today');
  await expect(page.getByRole('heading', { name: 'Today', exact: true })).toBeVisible();
  const tile = (name: string) => page.getByRole('group', { name, exact: true });
  await expect(tile('Sales')).toContainText('$59.95');
  await expect(tile('Sales')).toContainText('2 orders');
  await expect(tile('Refunds')).toContainText('$5.00');
  await expect(tile('Net')).toContainText('$54.95');
  await expect(tile('Holds outstanding')).toContainText('$89.00');
  await expect(tile('Holds outstanding')).toContainText('1 waitlist hold');
  await expect(tile('Expiring within 24 h')).toContainText('0');
  await expect(tile('To pack')).toContainText('2');
  await expect(tile('To ship')).toContainText('0');
  await expect(tile('Disputes')).toContainText('0');
  await expect(page.getByRole('img', { name: /Sales by hour/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /Sales by day/ })).toBeVisible();
  await shot(page, 'm2-01-today', { docs: true });

  // The shop's name (printed on documents) and its usual shipping fee.
  await page.getByRole('button', { name: 'Shop details…' }).click();
  const details = page.getByRole('dialog', { name: 'Shop details' });
  await details.getByLabel('Shop name').fill('Harbour Tea Co.');
  await details.getByLabel(/Shipping fee offered/).fill('6.95');
  await shot(page, 'm2-02-shop-details');
  await details.getByRole('button', { name: 'Save' }).click();
  await expect(details).toBeHidden();

  // An order comes in at another desk: the figures follow without a refresh.
  await placeOrder(mc, { items: [{ sku: 'INF-STEEL', quantity: 1 }], customer: { name: 'Ivy Infuser' } });
  await expect(tile('Sales')).toContainText('$69.45', { timeout: 15_000 });
  await expect(tile('To pack')).toContainText('3');

  // "To pack" opens the orders waiting to be packed.
  await tile('To pack').getByRole('button', { name: 'Show' }).click();
  await expect(page.getByRole('heading', { name: 'Orders', exact: true })).toBeVisible();
  await expect(page.getByLabel('Status')).toHaveValue('received');
  await goTo(page, 'Today');

  // The end-of-day summary: a preview, printed by the browser, and on paper just the summary.
  await page.getByRole('button', { name: 'End-of-day summary…' }).click();
  const preview = page.getByRole('dialog', { name: /Print preview: End-of-day summary/ });
  await expect(preview).toBeVisible();
  await expect(preview.getByRole('article', { name: /End-of-day summary/ })).toContainText('Harbour Tea Co.');
  await shot(page, 'm2-03-summary-preview', { docs: true });
  await countPrints(page);
  await preview.getByRole('button', { name: 'Print', exact: true }).click();
  await expect.poll(() => prints(page)).toBe(1);
  const text = await printedText(page);
  expectPrinted(
    text,
    'Harbour Tea Co.',
    'End-of-day summary',
    'A1001',
    'A1002',
    'A1004',
    'Earl Grey loose leaf, 100 g',
    'Porcelain cups, set of 2',
    'Steel infuser basket',
    '$69.45',
  );
  expectNotPrinted(text, 'Sign out', 'Shop details');
  await preview.getByRole('button', { name: 'Close' }).click();
  await expect(preview).toBeHidden();
});
