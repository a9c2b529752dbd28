// Issue 21 part B in the core, against the emulator through the Stripe SDK: orders priced with discounts and tax
// (made as the cart makes them: test/helpers/priced-orders.ts) captured by lines, charged later on a saved card,
// refunded and cancelled, in "Rates I set" and Stripe Tax modes. Each ends with the totals and the recorded tax
// Stripe holds — the PaymentIntent's amounts, mc_cap_tax on the capture, mc_tax_back on each refund, and (Stripe
// Tax) the tax transactions Stripe committed and reversed — and two stations and one rebuilt from an empty
// folder show the same tax and discounts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { MANAGER_PIN, product, startHarness, type Harness } from '../../../helpers/core-harness';
import { makePricedOrder, type PricedOrder } from '../../../helpers/priced-orders';
import { startEmulator, type RunningEmulator } from '../../../../electron/emulator';
import { seedEmulator } from '../../../../electron/emulator/seed';
import { taxOfRefund } from '../../../../electron/core/tax';
import { dayOf } from '../../../../electron/core/glance/time-zone';
import { asJurisdictionAmounts } from '../../../../electron/core/orders/pricing-metadata';

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

const LINES = [
  { sku: 'TAX-TEA', name: 'Tea tin', quantity: 2, unitAmount: 2500 },
  { sku: 'TAX-POT', name: 'Cast iron pot', quantity: 1, unitAmount: 4000, waitlist: true },
];
const TEN_PERCENT = { kind: 'percent' as const, bp: 1000 };

async function orderOf(x: Harness, piId: string) {
  await x.sync();
  // An order is named by its first PaymentIntent (a later one that continues it is its payment).
  const row = (await x.call('orders:list', { limit: 500 })).rows.find(
    (r) => r.paymentIntentId === piId || r.id === `ord_${piId.replace(/^pi_/, '')}`,
  );
  expect(row, `order of ${piId}`).toBeDefined();
  return x.call('orders:get', { orderId: row!.id });
}

/** The tax Stripe committed for a linked PaymentIntent, less what it reversed (via its association). */
async function stripeTaxHeld(piId: string): Promise<{ committed: number; reversed: number; calc: string }> {
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
  return { committed, reversed, calc: a.calculation };
}

/** Capture the hold by the lines that arrived, for the amount the hold's dialog shows (its lineTotals). */
async function captureLines(o: PricedOrder, take: { sku: string; quantity: number }[]) {
  await h.sync();
  const hold = (await h.call('holds:list', { include: 'open' })).find((x) => x.paymentIntentId === o.pi.id)!;
  expect(hold).toBeDefined();
  const ship = hold.shippingTotal ?? hold.shippingFee;
  const shown =
    hold.items.reduce((n, i) => {
      const q = take.find((t) => t.sku === i.sku)?.quantity ?? 0;
      return n + (q === i.quantity ? (i.lineTotal ?? 0) : 0);
    }, 0) + ship;
  await h.call('holds:capture', {
    paymentIntentId: o.pi.id,
    amount: shown,
    version: hold.version,
    pin: MANAGER_PIN,
    lines: hold.items.map((i) => ({
      sku: i.sku,
      quantity: take.find((t) => t.sku === i.sku)?.quantity ?? 0,
    })),
  });
  return shown;
}

describe.each(['rates', 'stripe_tax'] as const)('tax after the payment (%s)', (mode) => {
  it('a waitlist hold captured by lines takes those lines less their discount, their tax and shipping with its tax', async () => {
    const o = await makePricedOrder(h.stripe, {
      mode,
      lines: LINES,
      shippingFee: 500,
      orderDiscount: TEN_PERCENT,
      capture: 'manual',
      number: 1,
    });
    const p = o.pricing;
    expect(o.pi.status).toBe('requires_capture');
    expect(p.taxTotal).toBeGreaterThan(0);
    const teaDiscount = p.lines[0]!.discount;
    const teaTax = p.lines[0]!.tax;
    // What the tea and shipping cost: 5000 less its share of 10 % off (the pot's share stays with the pot).
    expect(teaDiscount).toBe(500);
    const expected = 5000 - teaDiscount + teaTax + 500 + p.shippingTax;

    const held = await orderOf(h, o.pi.id);
    expect(held.pricing).toMatchObject({
      subtotal: 9000,
      discountTotal: 900,
      discountBy: 'Sam Staff',
      discountApprovedBy: 'Morgan Manager',
      discountReasons: ['Loyal customer'],
      taxMode: mode,
      taxTotal: p.taxTotal,
      shippingFee: 500,
      total: o.amount,
    });

    const shown = await captureLines(o, [{ sku: 'TAX-TEA', quantity: 2 }]);
    expect(shown).toBe(expected);
    const pi = await h.stripe.paymentIntents.retrieve(o.pi.id);
    expect(pi.amount_received).toBe(expected);
    const capTax = teaTax + p.shippingTax;
    const [taxText, calc] = pi.metadata.mc_cap_tax!.split('|');
    expect(Number(taxText)).toBe(capTax);

    const after = await orderOf(h, o.pi.id);
    expect(after.pricing).toMatchObject({
      subtotal: 5000,
      discountTotal: 500,
      taxTotal: capTax,
      shippingFee: 500,
      shippingTax: p.shippingTax,
      total: expected,
      taxRefunded: 0,
    });
    expect(after.pricing!.breakdown.reduce((n, b) => n + b.amount, 0)).toBe(capTax);
    expect(after.releasedLines.map((l) => l.sku)).toEqual(['TAX-POT']);
    expect(after.amountCaptured).toBe(expected);

    // The CSV: subtotal, discount, who gave it, shipping, tax and a column per jurisdiction, at the end.
    const csv = (await h.call('orders:exportCsv', {}, 'staff')).csv.replace(/^\ufeff/, '').split('\r\n');
    const head = csv[0]!.split('","');
    const row = csv.find((l) => l.includes(after.number))!.split('","');
    const cell = (name: string) =>
      row[head.findIndex((x) => x.replace(/"/g, '') === name)]?.replace(/"/g, '');
    const dollars = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
    expect(cell('Subtotal')).toBe('50.00');
    expect(cell('Discount')).toBe('5.00');
    expect(cell('Discount by')).toBe('Sam Staff, allowed by Morgan Manager');
    expect(cell('Shipping')).toBe('5.00');
    expect(cell('Tax')).toBe(dollars(capTax));
    expect(cell('Grand total')).toBe(dollars(expected));
    const perJurisdiction = head
      .map((x, i) => [x.replace(/"/g, ''), row[i]!.replace(/"/g, '')] as const)
      .filter(([x]) => x.startsWith('Tax: '));
    expect(perJurisdiction.length).toBeGreaterThan(0);
    expect(perJurisdiction.reduce((n, [, v]) => n + Math.round(Number(v) * 100), 0)).toBe(capTax);
    if (mode === 'rates')
      expect(perJurisdiction.map(([x]) => x)).toEqual([
        'Tax: New York 4% (US-NY)',
        'Tax: New York City 4.875% (US-NY)',
      ]);

    if (mode === 'stripe_tax') {
      // A new calculation for the lines taken, passed on the capture: Stripe committed exactly its tax.
      expect(calc).toMatch(/^taxcalc_/);
      expect(calc).not.toBe(p.calculationId);
      expect(
        (pi as Stripe.PaymentIntent & { hooks?: { inputs?: { tax?: { calculation?: string } } } }).hooks
          ?.inputs?.tax?.calculation,
      ).toBe(calc);
      const held = await stripeTaxHeld(o.pi.id);
      expect(held).toEqual({ committed: capTax, reversed: 0, calc });
    } else {
      expect(calc).toBe('');
    }
  });

  it('refunds and a cancellation take back the recorded tax, in proportion and exactly in the end', async () => {
    const o = await makePricedOrder(h.stripe, {
      mode,
      lines: LINES.map((l) => ({ ...l, waitlist: false })),
      shippingFee: 500,
      orderDiscount: TEN_PERCENT,
      capture: 'automatic',
      number: 2,
    });
    expect(o.pi.status).toBe('succeeded');
    const p2 = o.pricing;
    const before = await orderOf(h, o.pi.id);
    expect(before.pricing!.taxTotal).toBe(o.pricing.taxTotal);
    // A refund of an amount: its share of the tax, recorded on the refund itself.
    // A refund of a line (the dialog's quick choice): what the customer paid for it, discount off, tax in.
    const pot = before.pricing!.lineTotals!.find((l) => l.sku === 'TAX-POT')!.total;
    expect(pot).toBe(4000 - p2.lines[1]!.discount + p2.lines[1]!.tax);
    await h.call('orders:refund', { orderId: before.id, amount: pot, expectedRefunded: 0, pin: MANAGER_PIN });
    // Then a refund of an amount.
    const part = 1000;
    const refunded = await h.call('orders:refund', {
      orderId: before.id,
      amount: part,
      expectedRefunded: pot,
      pin: MANAGER_PIN,
    });
    const collected = {
      total: o.amount,
      taxTotal: o.pricing.taxTotal,
      breakdown: asJurisdictionAmounts(o.pricing.breakdown),
    };
    const first = taxOfRefund('usd', collected, { amount: 0, tax: 0 }, pot);
    if (!first.ok) throw new Error('refund tax');
    const second = taxOfRefund('usd', collected, { amount: pot, tax: first.value.tax }, part);
    if (!second.ok) throw new Error('refund tax');
    expect(first.value.tax).toBeGreaterThan(0);
    const refunds = (await h.stripe.refunds.list({ payment_intent: o.pi.id })).data;
    expect(refunds.map((r) => r.metadata?.mc_tax_back).sort()).toEqual(
      [String(first.value.tax), String(second.value.tax)].sort(),
    );
    expect(refunded.pricing!.taxRefunded).toBe(first.value.tax + second.value.tax);
    // Cancelled: the rest is refunded, and with it exactly the rest of the tax.
    await h.call('orders:cancel', {
      orderId: before.id,
      reason: 'customer_request',
      expectedRefunded: pot + part,
      pin: MANAGER_PIN,
    });
    const after = await orderOf(h, o.pi.id);
    expect(after.amountRefunded).toBe(o.amount);
    expect(after.pricing!.taxRefunded).toBe(o.pricing.taxTotal);
    const all = (await h.stripe.refunds.list({ payment_intent: o.pi.id })).data;
    expect(all.reduce((n, r) => n + Number(r.metadata?.mc_tax_back ?? 0), 0)).toBe(o.pricing.taxTotal);
    // A station rebuilt from an empty folder past Stripe's 30 days of events reads the refunds' tax back too.
    emulator.advanceClock(31 * DAY);
    const rebuilt = await startHarness({ emulator, station: 'Rebuilt', accounts: false });
    extra.push(rebuilt);
    await rebuilt.sync();
    expect((await rebuilt.services.orders.get(before.id)).pricing).toEqual(
      (await h.services.orders.get(before.id)).pricing,
    );
    // Today (the day of the sale): the tax the day's sales collected (by jurisdiction), what refunds took back, the discounts given.
    const zone = (await h.call('glance:day', {})).timeZone;
    const today = await h.call('glance:day', { day: dayOf(zone, before.createdAt) });
    expect(today.tax).toMatchObject({ collected: o.pricing.taxTotal, refunded: o.pricing.taxTotal });
    expect(today.tax!.byJurisdiction.reduce((n, j) => n + j.amount, 0)).toBe(o.pricing.taxTotal);
    expect(today.discounts).toEqual({ count: 1, amount: 900 });
    // The receipt carries the same figures (the packing slip lays out no prices from them).
    const [doc] = await h.call('print:documents', { orderIds: [before.id] }, 'staff');
    expect(doc!.pricing).toMatchObject({
      subtotal: 9000,
      discountTotal: 900,
      discountReasons: ['Loyal customer'],
      taxTotal: o.pricing.taxTotal,
      taxRefunded: o.pricing.taxTotal,
      total: o.amount,
    });
    if (mode === 'stripe_tax') {
      // Stripe reversed its own transaction as the money went back: nothing of the tax is left recorded.
      const held = await stripeTaxHeld(o.pi.id);
      expect(held.committed).toBe(o.pricing.taxTotal);
      expect(held.reversed).toBe(o.pricing.taxTotal);
    }
  });

  it('a released hold carries no tax', async () => {
    const o = await makePricedOrder(h.stripe, {
      mode,
      lines: LINES,
      shippingFee: 500,
      capture: 'manual',
      number: 3,
    });
    await h.sync();
    const hold = (await h.call('holds:list', { include: 'open' }))[0]!;
    await h.call('holds:release', { paymentIntentId: o.pi.id, version: hold.version, pin: MANAGER_PIN });
    const after = await orderOf(h, o.pi.id);
    expect(after.paymentState).toBe('canceled');
    expect(after.pricing).toMatchObject({ taxTotal: 0, subtotal: 9000 });
    expect(after.pricing!.breakdown.every((b) => b.amount === 0)).toBe(true);
    if (mode === 'stripe_tax') expect((await stripeTaxHeld(o.pi.id)).committed).toBe(0);
  });

  it('a saved card is charged at the tax of the day it is charged; two stations and a rebuilt one agree', async () => {
    const customer = await h.stripe.customers.create({ name: 'Sally Saved' });
    const agreed = Math.floor(emulator.now() / 1000);
    const o = await makePricedOrder(h.stripe, {
      mode,
      lines: LINES,
      shippingFee: 500,
      orderDiscount: TEN_PERCENT,
      capture: 'manual',
      number: 4,
      customer: customer.id,
      customerName: 'Sally Saved',
      saveCard: true,
      extraMetadata: {
        mc_wait: 'hold_card',
        mc_terms: 'We will hold the money and keep the card, charged at the tax of that day.',
        mc_agreed: `${agreed}||Sam Staff`,
      },
    });
    expect(o.pi.status).toBe('requires_capture');
    await h.sync();
    // The hold lapses; the order waits on the saved card.
    emulator.advanceClock(8 * DAY);
    await h.sync();
    const p = await product(h, 'TAX-POT', 4000, 0);
    await h.stripe.products.update(p.id, {
      metadata: { stock: '3', stock_counted_at: String(Math.floor(emulator.now() / 1000)) },
    });
    await product(h, 'TAX-TEA', 2500, 10);
    await h.sync();
    const [waiting] = await h.call('waitlist:list', {});
    expect(waiting, 'the order waits on its saved card').toBeDefined();
    const charged = await h.call('waitlist:chargeSaved', { cartId: waiting!.cartId, pin: MANAGER_PIN });
    expect(charged.state).toBe('paid');
    const later = await h.stripe.paymentIntents.retrieve(charged.paymentIntentId);
    expect(later.amount_received).toBe(o.amount);
    const [taxText, calc] = (later.metadata.mc_cap_tax ?? '|').split('|');
    const order = await orderOf(h, o.pi.id);
    if (mode === 'stripe_tax') {
      // Priced anew that day: a new calculation, linked to the charge, committed by Stripe.
      expect(calc).toMatch(/^taxcalc_/);
      expect(calc).not.toBe(o.pricing.calculationId);
      expect(Number(taxText)).toBe(o.pricing.taxTotal); // the demo's rates did not change
      expect(await stripeTaxHeld(later.id)).toEqual({
        committed: o.pricing.taxTotal,
        reversed: 0,
        calc,
      });
    }
    expect(order.pricing).toMatchObject({
      subtotal: 9000,
      discountTotal: 900,
      taxTotal: o.pricing.taxTotal,
      total: o.amount,
    });

    // Another station, and one rebuilt from an empty folder, show the same tax and discounts.
    const b = await startHarness({ emulator, station: 'Packing desk', accounts: false });
    extra.push(b);
    const view = (d: Awaited<ReturnType<typeof orderOf>>) => ({
      number: d.number,
      pricing: d.pricing,
      captured: d.amountCaptured,
    });
    await b.sync();
    const atB = await b.services.orders.get(order.id);
    expect(view(atB)).toEqual(view(order));
    // A station set up from an empty folder a month later, past Stripe's 30 days of events: rebuilt from the lists.
    emulator.advanceClock(31 * DAY);
    const c = await startHarness({ emulator, station: 'New laptop', accounts: false });
    extra.push(c);
    await c.sync();
    expect(view(await c.services.orders.get(order.id))).toEqual(view(order));
  });
});
