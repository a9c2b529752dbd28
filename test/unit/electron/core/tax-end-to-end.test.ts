// Issue 21 end to end, through both halves as staff use them: a waitlist cart priced (part A: discounts, tax in
// the shop's mode) and authorized as a hold through payments:pay; captured by lines through Holds (part B); then
// refunded in part and cancelled. At each step the amounts and the tax Stripe holds (the PaymentIntent, the tax
// transactions and reversals the emulator keeps, mc_cap_tax and mc_tax_back) and the order's projected figures;
// a second station and one rebuilt from an empty folder show the same. And a saved-card order charged on arrival.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShopTax } from '../../../../electron/ipc/contract';
import { startEmulator, type RunningEmulator } from '../../../../electron/emulator';
import { seedEmulator } from '../../../../electron/emulator/seed';
import { MANAGER_PIN, product, startHarness, type Harness } from '../../../helpers/core-harness';
import { decodeOrderMetadata } from '../../../../electron/core/orders/order-metadata';
import { chargeForLines } from '../../../../electron/core/payments/lines-tax';
import type { StripeGateway } from '../../../../electron/core/stripe/gateway';

const DAY = 86_400;
let emulator: RunningEmulator;
let h: Harness;
const extra: Harness[] = [];
beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
  await seedEmulator(emulator, 'demo'); // Stripe Tax registrations: New York among them
  h = await startHarness({ emulator });
});
afterEach(async () => {
  for (const x of extra.splice(0)) await x.close();
  await h.close();
  await emulator.close();
});

const NYC = { line1: '350 5th Ave', city: 'New York', state: 'NY', postalCode: '10118', country: 'US' };
const SHOP = { line1: '10 Market St', city: 'Albany', state: 'NY', postalCode: '12207', country: 'US' };
const NY_RATES: ShopTax['regions'] = [
  {
    country: 'US',
    state: 'NY',
    components: [
      { jurisdiction: 'New York', level: 'state', type: 'sales_tax', ratePpm: 40_000 },
      { jurisdiction: 'New York City', level: 'city', type: 'sales_tax', ratePpm: 48_750 },
    ],
  },
];
const taxOf = (mode: 'rates' | 'stripe_tax'): ShopTax => ({
  mode,
  pricesIncludeTax: false,
  shippingTaxable: true,
  regions: mode === 'rates' ? NY_RATES : [],
  origin: SHOP,
  discountReasons: ['Loyal customer'],
  discountLimitAmount: null,
  discountLimitBp: 1_000,
});

/** The tax Stripe committed for a linked PaymentIntent, and what it reversed (through its association). */
async function stripeTaxHeld(piId: string): Promise<{ committed: number; reversed: number }> {
  const a = await h.stripe.tax.associations.find({ payment_intent: piId });
  let committed = 0;
  let reversed = 0;
  for (const at of a.tax_transaction_attempts ?? []) {
    if (at.status !== 'committed' || !at.committed) continue;
    const tx = await h.stripe.tax.transactions.retrieve(at.committed.transaction);
    const items = (await h.stripe.tax.transactions.listLineItems(tx.id, { limit: 100 })).data;
    const tax =
      items.reduce((n, li) => n + li.amount_tax, 0) + (tx.shipping_cost ? tx.shipping_cost.amount_tax : 0);
    if (tx.type === 'reversal') reversed += -tax;
    else committed += tax;
  }
  return { committed, reversed };
}

async function orderOf(x: Harness, piId: string) {
  await x.sync();
  const row = (await x.call('orders:list', { limit: 500 })).rows.find(
    (r) => r.paymentIntentId === piId || r.id === `ord_${piId.replace(/^pi_/, '')}`,
  );
  expect(row, `order of ${piId}`).toBeDefined();
  return x.call('orders:get', { orderId: row!.id });
}

/**
 * A cart as staff make it: the pot first (out of stock: a waitlist line), then 2 tea tins, 10 % off the order,
 * $5.00 shipping to New York City. Priced by the core in the shop's mode.
 */
async function waitlistCart() {
  const pot = await product(h, 'E2E-POT', 4000, 0);
  const tea = await product(h, 'E2E-TEA', 2500, 10);
  const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
  const priced = await h.call(
    'carts:update',
    {
      cartId: cart.id,
      lines: [
        { productId: pot.id, quantity: 1 },
        { productId: tea.id, quantity: 2 },
      ],
      delivery: 'ship',
      shippingFee: 500,
      customer: { name: 'Ada Lovelace', email: 'ada@example.com', shipping: NYC },
      discounts: {
        lines: {},
        order: { discount: { kind: 'percent', bp: 1_000 }, reason: 'Loyal customer' },
      },
    },
    'staff',
  );
  expect(priced.waitlist).toBe(true);
  expect(priced.pricing).toMatchObject({ state: 'priced', subtotal: 9000, discountTotal: 900 });
  return { cart: priced, pot, tea };
}

const lineTax = (cart: Awaited<ReturnType<typeof waitlistCart>>['cart'], productId: string) =>
  cart.pricing!.lines.find((l) => l.productId === productId)!;

describe.each(['stripe_tax', 'rates'] as const)('a waitlist order end to end (%s)', (mode) => {
  it('priced with a discount, held, captured by lines, refunded in part, cancelled; every station agrees', async () => {
    await h.call('tax:update', taxOf(mode), 'manager');
    const { cart, pot, tea } = await waitlistCart();
    const p = cart.pricing!;
    // NYC: 8.875 %, on the discounted price and on shipping.
    const teaLine = lineTax(cart, tea.id);
    const potLine = lineTax(cart, pot.id);
    expect(teaLine.discount).toBe(500);
    expect(potLine.discount).toBe(400);
    expect(teaLine.tax).toBe(399); // 4500 × 8.875 % = 399.375
    expect(potLine.tax).toBe(320); // 3600 × 8.875 % = 319.5
    expect(p.shippingTax).toBe(44); // 500 × 8.875 % = 44.375
    expect(p.taxTotal).toBe(399 + 320 + 44);
    expect(cart.total).toBe(8100 + 500 + p.taxTotal);

    // Part A: paid as a hold through the cart.
    const held = await h.call(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_visa', expectedTotal: cart.total },
      'staff',
    );
    expect(held.phase).toBe('on_hold');
    const piId = held.paymentIntentId!;
    let pi = await h.stripe.paymentIntents.retrieve(piId);
    expect(pi).toMatchObject({ amount: cart.total, capture_method: 'manual', status: 'requires_capture' });
    if (mode === 'stripe_tax')
      expect((await h.stripe.tax.associations.find({ payment_intent: piId })).calculation).toBe(
        p.calculationId,
      );
    const before = await orderOf(h, piId);
    expect(before.pricing).toMatchObject({
      subtotal: 9000,
      discountTotal: 900,
      taxTotal: p.taxTotal,
      shippingFee: 500,
      total: cart.total,
    });

    // Part B: the tea arrived first (it was in stock); the manager captures it by lines, the pot is released.
    await h.sync();
    const hold = (await h.call('holds:list', { include: 'open' })).find((x) => x.paymentIntentId === piId)!;
    const teaItem = hold.items.find((i) => i.sku === 'E2E-TEA')!;
    expect(teaItem.lineTotal).toBe(4500 + teaLine.tax);
    const taken = 4500 + teaLine.tax + 500 + p.shippingTax;
    await h.call('holds:capture', {
      paymentIntentId: piId,
      amount: taken,
      version: hold.version,
      pin: MANAGER_PIN,
      lines: [
        { sku: 'E2E-POT', quantity: 0 },
        { sku: 'E2E-TEA', quantity: 2 },
      ],
    });
    pi = await h.stripe.paymentIntents.retrieve(piId);
    expect(pi.amount_received).toBe(taken);
    const capTax = teaLine.tax + p.shippingTax;
    expect(Number(pi.metadata.mc_cap_tax!.split('|')[0])).toBe(capTax);
    if (mode === 'stripe_tax') expect(await stripeTaxHeld(piId)).toEqual({ committed: capTax, reversed: 0 });
    const captured = await orderOf(h, piId);
    expect(captured.pricing).toMatchObject({
      subtotal: 5000,
      discountTotal: 500,
      taxTotal: capTax,
      total: taken,
      taxRefunded: 0,
    });
    expect(captured.amountCaptured).toBe(taken);

    // A refund of $10.00, then the order cancelled: the rest refunded, and with it the rest of the tax.
    await h.call('orders:refund', {
      orderId: captured.id,
      amount: 1000,
      expectedRefunded: 0,
      pin: MANAGER_PIN,
    });
    const part = await orderOf(h, piId);
    const firstBack = part.pricing!.taxRefunded;
    expect(firstBack).toBe(Math.round((capTax * 1000) / taken));
    if (mode === 'stripe_tax') expect((await stripeTaxHeld(piId)).reversed).toBe(firstBack);
    await h.call('orders:cancel', {
      orderId: captured.id,
      reason: 'customer_request',
      expectedRefunded: 1000,
      pin: MANAGER_PIN,
    });
    pi = await h.stripe.paymentIntents.retrieve(piId);
    const refunds = (await h.stripe.refunds.list({ payment_intent: piId })).data;
    expect(refunds.reduce((n, r) => n + r.amount, 0)).toBe(taken);
    expect(refunds.reduce((n, r) => n + Number(r.metadata?.mc_tax_back ?? 0), 0)).toBe(capTax);
    if (mode === 'stripe_tax')
      expect(await stripeTaxHeld(piId)).toEqual({ committed: capTax, reversed: capTax });
    const done = await orderOf(h, piId);
    expect(done.amountRefunded).toBe(taken);
    expect(done.pricing).toMatchObject({ taxTotal: capTax, taxRefunded: capTax, discountTotal: 500 });

    // Another station, and one rebuilt from an empty folder past Stripe's 30 days of events.
    const b = await startHarness({ emulator, station: 'Packing desk', accounts: false });
    extra.push(b);
    await b.sync();
    const view = (d: typeof done) => ({
      pricing: d.pricing,
      captured: d.amountCaptured,
      refunded: d.amountRefunded,
    });
    expect(view(await b.services.orders.get(done.id))).toEqual(view(done));
    emulator.advanceClock(31 * DAY);
    const c = await startHarness({ emulator, station: 'New laptop', accounts: false });
    extra.push(c);
    await c.sync();
    expect(view(await c.services.orders.get(done.id))).toEqual(view(done));
  });

  it('a saved-card order made at the cart is charged on arrival with its tax', async () => {
    await h.call('tax:update', taxOf(mode), 'manager');
    const { cart, pot } = await waitlistCart();
    const options = await h.call('waitlist:options', { cartId: cart.id }, 'staff');
    // The agreement says the tax is worked out again on the day of the charge.
    expect(options.terms.saveCard).toContain('tax is worked out again on the day we charge');
    const saved = await h.call(
      'payments:pay',
      {
        cartId: cart.id,
        paymentMethod: 'pm_card_visa',
        waitlist: 'save_card',
        consentText: options.terms.saveCard,
        expectedTotal: cart.total,
      },
      'staff',
    );
    expect(saved.phase).toBe('card_saved');
    // Under "Rates I set" the city's rate goes up before the pot arrives: the card is charged at the tax of
    // that day, as the same cart priced now shows it.
    let due = { total: cart.total, tax: cart.pricing!.taxTotal };
    if (mode === 'rates') {
      const raised = NY_RATES.map((r) => ({
        ...r,
        components: r.components.map((c) => (c.level === 'city' ? { ...c, ratePpm: 58_750 } : c)),
      }));
      await h.call('tax:update', { ...taxOf('rates'), regions: raised }, 'manager');
      const today = (await waitlistCart()).cart;
      expect(today.pricing!.taxTotal).toBeGreaterThan(cart.pricing!.taxTotal);
      due = { total: today.total, tax: today.pricing!.taxTotal };
    }
    // The pot arrives.
    await h.stripe.products.update(pot.id, {
      metadata: { stock: '3', stock_counted_at: String(Math.floor(emulator.now() / 1000)) },
    });
    await h.sync();
    const [waiting] = await h.call('waitlist:list', {});
    expect(waiting, 'the order waits on its saved card').toBeDefined();
    // The dialog names the recorded amount. When the day's tax makes it another, nothing is charged and the new
    // amount comes back for the dialog to name; charged at what it then names.
    expect(waiting!.amount).toBe(cart.total);
    if (due.total !== cart.total) {
      await expect(
        h.call('waitlist:chargeSaved', {
          cartId: waiting!.cartId,
          pin: MANAGER_PIN,
          expectedAmount: waiting!.amount,
        }),
      ).rejects.toMatchObject({ code: 'conflict', details: { amount: due.total } });
      const untouched = await h.stripe.paymentIntents.retrieve(waiting!.paymentIntentId);
      expect(untouched.amount_received).toBe(0);
      expect(untouched.status).not.toBe('succeeded');
    }
    const charged = await h.call('waitlist:chargeSaved', {
      cartId: waiting!.cartId,
      pin: MANAGER_PIN,
      expectedAmount: due.total,
    });
    expect(charged.state).toBe('paid');
    const pi = await h.stripe.paymentIntents.retrieve(charged.paymentIntentId);
    expect(pi.amount_received).toBe(due.total);
    expect(Number(pi.metadata.mc_cap_tax!.split('|')[0])).toBe(due.tax);
    if (mode === 'stripe_tax')
      expect(await stripeTaxHeld(pi.id)).toEqual({ committed: due.tax, reversed: 0 });
    const order = await orderOf(h, charged.paymentIntentId);
    expect(order.pricing).toMatchObject({
      subtotal: 9000,
      discountTotal: 900,
      taxTotal: due.tax,
      total: due.total,
    });
    expect(order.pricing!.breakdown.reduce((n, j) => n + j.amount, 0)).toBe(due.tax);
    expect(order.amountCaptured).toBe(due.total);
    const b = await startHarness({ emulator, station: 'Packing desk', accounts: false });
    extra.push(b);
    await b.sync();
    expect((await b.services.orders.get(order.id)).pricing).toEqual(order.pricing);
    emulator.advanceClock(31 * DAY);
    const c = await startHarness({ emulator, station: 'New laptop', accounts: false });
    extra.push(c);
    await c.sync();
    expect((await c.services.orders.get(order.id)).pricing).toEqual(order.pricing);
  });
});

describe('a capture by lines under Stripe Tax', () => {
  it('finds each line of the cart’s calculation by its SKU, whatever order Stripe lists them in', async () => {
    await h.call('tax:update', taxOf('stripe_tax'), 'manager');
    const { cart, tea } = await waitlistCart();
    // The tea is food: exempt in New York; the pot is general goods.
    await h.call(
      'products:save',
      {
        id: tea.id,
        sku: tea.sku,
        name: tea.name,
        unitAmount: tea.unitAmount,
        currency: tea.currency,
        active: true,
        stock: 10,
        taxCode: 'txcd_40060003',
      },
      'manager',
    );
    const priced = await h.call('carts:update', { cartId: cart.id, shippingFee: 0 }, 'staff');
    expect(lineTax(priced, tea.id).tax).toBe(0);
    const held = await h.call(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_visa', expectedTotal: priced.total },
      'staff',
    );
    const pi = await h.stripe.paymentIntents.retrieve(held.paymentIntentId!);
    const content = decodeOrderMetadata(pi.metadata)!;
    // Stripe's docs promise no order for a calculation's line items: list them backwards.
    const real = h.services.gateway();
    const backwards = new Proxy(real, {
      get(target, key, receiver) {
        if (key === 'listTaxCalculationLineItems')
          return async (...args: Parameters<StripeGateway['listTaxCalculationLineItems']>) => {
            const page = await target.listTaxCalculationLineItems(...args);
            return { ...page, data: [...page.data].reverse() };
          };
        const v = Reflect.get(target, key, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const teaOnly = await chargeForLines(backwards, content, 'usd', [{ sku: 'E2E-TEA', quantity: 2 }]);
    expect(teaOnly.calculationId).toMatch(/^taxcalc_/);
    expect(teaOnly).toMatchObject({ amount: 4500, tax: 0 });
    const potOnly = await chargeForLines(backwards, content, 'usd', [{ sku: 'E2E-POT', quantity: 1 }]);
    expect(potOnly).toMatchObject({ amount: 3600 + 320, tax: 320 });
  });
});
