// What a shop manager reads and does every day, on the shop's shared record, at two stations of one shop (two
// consoles on one emulator): today's figures against orders made through the emulator, the catalog and goods
// received with the waitlist holds they cover, receipts, order notes, the shipping fee, cancelling a paid
// order, the customer page and the printed documents — every figure and page the same at both stations.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../electron/emulator';
import { startHarness, MANAGER_PIN, type Harness } from '../../../helpers/core-harness';
import type { Output } from '../../../../electron/ipc/contract';

// The emulator's day starts at a known moment: 2026-03-10 14:00 UTC (the shops below count days in UTC).
const BASE = Date.UTC(2026, 2, 10, 14, 0, 0);
let emulator: RunningEmulator;
let a: Harness;
let b: Harness;

const address = {
  line1: '12 Harbour Street',
  city: 'Portland',
  postalCode: '04101',
  state: 'ME',
  country: 'US',
};
const grace = {
  name: 'Grace Hopper',
  email: 'grace@navy.example',
  phone: '+1 207 555 0101',
  shipping: address,
};

beforeEach(async () => {
  const started = Date.now();
  emulator = await startEmulator({ port: 0, clock: { now: () => BASE + (Date.now() - started) } });
  [a, b] = await Promise.all([
    startHarness({ emulator, station: 'Front desk' }),
    startHarness({ emulator, station: 'Packing' }),
  ]);
  for (const h of [a, b]) await h.call('shop:update', { timeZone: 'UTC', name: 'Harbour Tea Co.' });
});

afterEach(async () => {
  await a.close();
  await b.close();
  await emulator.close();
});

async function productId(h: Harness, sku: string): Promise<string> {
  const p = (await h.call('catalog:list', { query: sku })).find((x) => x.sku === sku && x.active);
  if (!p) throw new Error(`no product ${sku}`);
  return p.id;
}

async function order(
  h: Harness,
  items: { sku: string; quantity: number }[],
  opts: { shippingFee?: number; customer?: typeof grace | { name: string }; card?: string } = {},
) {
  const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
  const lines = [];
  for (const i of items) lines.push({ productId: await productId(h, i.sku), quantity: i.quantity });
  await h.call(
    'carts:update',
    {
      cartId: cart.id,
      customer: opts.customer ?? grace,
      lines,
      ...(opts.shippingFee !== undefined ? { shippingFee: opts.shippingFee } : {}),
    },
    'staff',
  );
  return h.call('payments:pay', { cartId: cart.id, paymentMethod: opts.card ?? 'pm_card_visa' }, 'staff');
}

async function advance(seconds: number) {
  await fetch(`${emulator.url}/_emulator/clock/advance`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seconds }),
  });
}

/** The glance figures without the moment they were read. */
async function glance(h: Harness, day?: string) {
  await h.sync();
  const { at: _at, ...figures } = await h.call('glance:day', day ? { day } : {}, 'staff');
  return figures;
}

describe('today at a glance', () => {
  it('counts sales, refunds, holds and those expiring, work to pack and ship — the same at both stations', async () => {
    // Six days ago (in emulator time) a waitlist order's card was authorized: it lapses within 24 hours now.
    const old = await order(a, [{ sku: 'KET-GOOSE-1', quantity: 1 }]);
    expect(old.phase).toBe('on_hold');
    await advance(6 * 86_400 + 2 * 3600); // 2026-03-16 16:00 UTC
    // Today: two paid orders (one with a shipping fee), a new hold, a partial refund, one order in processing.
    const o1 = await order(a, [{ sku: 'TEA-EARL-100', quantity: 2 }], { shippingFee: 695 });
    expect(o1.total).toBe(2 * 1250 + 695);
    await b.sync(); // the second station has seen the first's orders (and so takes its own letter)
    const o2 = await order(b, [{ sku: 'CUP-PORC-2', quantity: 1 }]);
    const h2 = await order(b, [{ sku: 'POT-CAST-08', quantity: 1 }]);
    expect([o1.phase, o2.phase, h2.phase]).toEqual(['succeeded', 'succeeded', 'on_hold']);
    // Two more paid orders: one disputed by the cardholder, one the issuer reports as likely fraud.
    const disputed = await order(b, [{ sku: 'INF-STEEL', quantity: 1 }], { card: 'pm_card_createDispute' });
    const flagged = await order(b, [{ sku: 'INF-STEEL', quantity: 1 }], {
      card: 'pm_card_createIssuerFraudRecord',
    });
    expect([disputed.phase, flagged.phase]).toEqual(['succeeded', 'succeeded']);
    await b.call('products:search', { query: 'tea', limit: 1 }, 'staff'); // Stripe acts before the next request
    await Promise.all([a.sync(), b.sync()]);
    await a.call('orders:refund', {
      orderId: o1.orderId!,
      amount: 500,
      expectedRefunded: 0,
      pin: MANAGER_PIN,
      reason: 'requested_by_customer',
    });
    await b.call('orders:advance', { orderIds: [o2.orderId!], to: 'processing' }, 'staff');

    const [ga, gb] = [await glance(a), await glance(b)];
    expect(ga).toEqual(gb);
    expect(ga.day).toBe('2026-03-16');
    expect(ga.timeZone).toBe('UTC');
    expect(ga.sales).toEqual({ count: 4, amount: 3195 + 2800 + 950 + 950 });
    expect(ga.refunds).toEqual({ count: 1, amount: 500 });
    expect(ga.net).toBe(3195 + 2800 + 950 + 950 - 500);
    expect(ga.holds).toEqual({ count: 2, amount: 8900 + 6400 });
    expect(ga.expiring).toEqual({ count: 1, amount: 8900 });
    expect(ga.expiringHolds.map((h) => h.paymentIntentId)).toEqual([old.paymentIntentId]);
    // The disputed and the flagged orders are not to be packed: they are counted as a dispute and a warning.
    expect([ga.toPack, ga.toShip, ga.cancelled]).toEqual([1, 1, 0]);
    expect(ga.disputes).toEqual({ count: 1, amount: 950 });
    expect(ga.fraudWarnings).toBe(1);
    // The charts: every sale in the 16:00 hour; by day, today has them and the hold's day has none.
    expect(ga.byHour[16]).toEqual({ hour: 16, count: 4, amount: 7895 });
    expect(ga.byHour.reduce((n, h) => n + h.count, 0)).toBe(4);
    expect(ga.byDay).toHaveLength(14);
    expect(ga.byDay.at(-1)).toEqual({ day: '2026-03-16', count: 4, amount: 7895 });
    expect(ga.byDay.find((d) => d.day === '2026-03-10')).toEqual({ day: '2026-03-10', count: 0, amount: 0 });
    // The end-of-day lists.
    // (a waitlist order is an order from its hold on, awaiting stock: listed, not a sale yet)
    expect(ga.orders.map((o) => o.number).sort()).toEqual(['A1002', 'B1001', 'B1002', 'B1003', 'B1004']);
    expect(ga.items.map((i) => [i.sku, i.quantity, i.amount])).toEqual([
      ['TEA-EARL-100', 2, 2500],
      ['INF-STEEL', 2, 1900],
      ['CUP-PORC-2', 1, 2800],
    ]);
    expect(ga.refundList).toEqual([expect.objectContaining({ orderNumber: 'A1002', amount: 500 })]);

    // The day of the old hold: no sales then; the hold is still counted (it is open now).
    const first = await glance(b, '2026-03-10');
    expect(first.sales).toEqual({ count: 0, amount: 0 });
    expect(first.holds.count).toBe(2);

    // Cancelling the first order at the other station: the rest refunded, the tea back in stock, no longer to pack.
    const before = await b.call('orders:extras', { orderId: o1.orderId! });
    expect(before.refundable).toBe(3195 - 500);
    const stock = async (h: Harness) =>
      (await h.call('catalog:list', { query: 'TEA-EARL-100' })).find((p) => p.active)!.stock;
    expect(await stock(b)).toBe(38);
    const cancelled = await b.call('orders:cancel', {
      orderId: o1.orderId!,
      reason: 'customer_request',
      note: 'Ordered twice by mistake',
      expectedRefunded: 500,
      pin: MANAGER_PIN,
    });
    expect(cancelled.cancellation).toMatchObject({
      reason: 'customer_request',
      note: 'Ordered twice by mistake',
    });
    expect(cancelled.cancellation!.by).toMatch(/Morgan Manager · Packing/);
    expect(cancelled.cancelBlocked).toMatch(/already cancelled/);
    const after = [await glance(a), await glance(b)];
    expect(after[0]).toEqual(after[1]);
    expect(after[0]!.refunds).toEqual({ count: 2, amount: 3195 });
    expect(after[0]!.net).toBe(2800 + 950 + 950);
    expect([after[0]!.toPack, after[0]!.cancelled]).toEqual([0, 1]);
    expect(after[0]!.items.map((i) => i.sku)).toEqual(['INF-STEEL', 'CUP-PORC-2']);
    expect(await stock(a)).toBe(40);
    expect(await stock(b)).toBe(40);
    // At the first station the order reads cancelled too, and Stripe holds the refund and the mark.
    const atA = await a.call('orders:extras', { orderId: o1.orderId! });
    expect(atA).toEqual(cancelled);
    const listed = (await a.call('glance:day', {})).orders.find((o) => o.id === o1.orderId);
    expect(listed?.cancelled).toBe(true);
    const pi = await a.stripe.paymentIntents.retrieve(o1.paymentIntentId!, { expand: ['latest_charge'] });
    const charge = pi.latest_charge as { amount_refunded: number; metadata: Record<string, string> };
    expect(charge.amount_refunded).toBe(3195);
    // Written under the cancelling station's own key (two cancels at once both kept; the earliest is the order's).
    const key = Object.keys(charge.metadata).find((k) => k.startsWith('mc_cancel_'))!;
    expect(JSON.parse(charge.metadata[key]!)).toMatchObject({ reason: 'customer_request' });
    // It is listed as cancelled, and can't be packed or shipped any more, at either station.
    const listedA = (await a.call('orders:list', { query: 'A1002' }, 'staff')).rows[0]!;
    expect(listedA.cancelled).toBe(true);
    const moved = await a.call('orders:advance', { orderIds: [o1.orderId!], to: 'processing' }, 'staff');
    expect(moved[0]).toMatchObject({ ok: false, message: expect.stringMatching(/Cancelled/) });
    expect((await b.call('orders:get', { orderId: o1.orderId! }, 'staff')).canShip).toBe(false);
    // A second cancel is refused, and nothing more is refunded or restocked.
    const again = await a.raw('orders:cancel', {
      orderId: o1.orderId!,
      reason: 'other',
      expectedRefunded: 3195,
      pin: MANAGER_PIN,
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'precondition_failed' } });
    expect(await stock(a)).toBe(40);
  }, 60_000);

  it('counts the day in the shop’s time zone', async () => {
    await order(a, [{ sku: 'INF-STEEL', quantity: 1 }]); // 2026-03-10 14:00 UTC = 23:00 in Tokyo
    await a.call('shop:update', { timeZone: 'Asia/Tokyo' });
    const tokyo = await glance(a);
    expect(tokyo.day).toBe('2026-03-10');
    expect(tokyo.byHour[23]!.count).toBe(1);
    await advance(2 * 3600); // 01:00 the next day in Tokyo; still 16:00 on the 10th in UTC
    expect((await glance(a)).day).toBe('2026-03-11');
    expect((await glance(a)).sales.count).toBe(0);
    await a.call('shop:update', { timeZone: 'UTC' });
    expect((await glance(a)).sales.count).toBe(1);
    const bad = await a.raw('shop:update', { timeZone: 'Mars/Olympus_Mons' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    // Staff can read the figures but not change the shop's settings.
    expect(await a.raw('shop:update', { timeZone: 'UTC' }, 'staff')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  }, 30_000);
});

/** What products:save takes, from a product as listed. */
const saveInput = (p: {
  id: string;
  sku: string;
  name: string;
  unitAmount: number;
  currency: string;
  stock: number;
  active: boolean;
}) => ({
  id: p.id,
  sku: p.sku,
  name: p.name,
  unitAmount: p.unitAmount,
  currency: p.currency,
  stock: p.stock,
  active: p.active,
});

describe('catalog and stock', () => {
  it('adds, edits, reprices, counts and deactivates products; every station sees who counted and when', async () => {
    const created = await a.call('products:save', {
      sku: 'TRIVET-1',
      name: 'Cast-iron trivet',
      unitAmount: 1500,
      currency: 'usd',
      stock: 3,
      active: true,
    });
    await b.sync();
    let atB = (await b.call('catalog:list', { query: 'trivet' }))[0]!;
    expect(atB).toMatchObject({
      sku: 'TRIVET-1',
      unitAmount: 1500,
      stock: 3,
      active: true,
      duplicateSku: false,
    });
    expect(atB.countedBy).toMatch(/Morgan Manager · Front desk/);
    expect(atB.countedAt).toBeGreaterThan(0);
    // A new price, and a recount at the other station.
    await a.call('products:save', { ...saveInput(created), unitAmount: 1650 });
    await b.sync();
    atB = (await b.call('catalog:list', { query: 'trivet' }))[0]!;
    await b.call('products:save', { ...saveInput(atB), stock: 7 });
    await a.sync();
    const atA = (await a.call('catalog:list', { query: 'trivet' }))[0]!;
    expect(atA).toMatchObject({ unitAmount: 1650, stock: 7 });
    expect(atA.countedBy).toMatch(/Packing/);
    expect(atA).toEqual((await b.call('catalog:list', { query: 'trivet' }))[0]);
    // Deactivated: still in the catalog, no longer sold.
    await a.call('products:save', { ...saveInput(atA), active: false });
    await b.sync();
    expect((await b.call('catalog:list', { query: 'trivet' }))[0]!.active).toBe(false);
    expect(await b.call('catalog:list', { query: 'trivet', include: 'active' })).toEqual([]);
    expect(await b.call('products:search', { query: 'trivet', limit: 5 }, 'staff')).toEqual([]);
    // The catalog screen is the manager's.
    expect(await b.raw('catalog:list', {}, 'staff')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  }, 60_000);

  it('goods received list the waitlist holds they cover, oldest deadline first, with what capture by lines takes', async () => {
    const first = await order(a, [{ sku: 'WHISK-BAMBOO', quantity: 2 }]);
    await advance(3600);
    const second = await order(b, [
      { sku: 'WHISK-BAMBOO', quantity: 1 },
      { sku: 'KET-GOOSE-1', quantity: 1 },
      { sku: 'TEA-EARL-100', quantity: 1 },
    ]);
    expect([first.phase, second.phase]).toEqual(['on_hold', 'on_hold']);
    await Promise.all([a.sync(), b.sync()]);
    expect(await a.call('catalog:coverable', {})).toEqual([]);

    const whisk = await productId(a, 'WHISK-BAMBOO');
    const received = await a.call('catalog:receive', { productId: whisk, quantity: 3 });
    // Three on the shelf, all three promised to the waiting orders: none for a new order (issue 23's "committed").
    expect(received.product).toMatchObject({ onHand: 3, committed: 3, stock: 0 });
    expect(received.coverable.map((c) => [c.hold.paymentIntentId, c.complete, c.amount])).toEqual([
      [first.paymentIntentId, true, 3600],
      // The whisk and the tea (taken when authorized) can go; the kettle can't: capture them, release the rest.
      [second.paymentIntentId, false, 1800 + 1250],
    ]);
    expect(received.coverable[1]!.lines.map((l) => [l.sku, l.covered])).toEqual([
      ['WHISK-BAMBOO', true],
      ['KET-GOOSE-1', false],
      ['TEA-EARL-100', true],
    ]);
    await b.sync();
    const atB = await b.call('catalog:coverable', {});
    expect(atB).toEqual(received.coverable);

    // Capture the first in one step (holds:capture with the computed amount): it becomes an order, stock follows.
    const hold = received.coverable[0]!.hold;
    await b.call('holds:capture', {
      paymentIntentId: hold.paymentIntentId,
      amount: received.coverable[0]!.amount,
      version: hold.version,
      pin: MANAGER_PIN,
    });
    await Promise.all([a.sync(), b.sync()]);
    const left = await a.call('catalog:coverable', {});
    expect(left.map((c) => [c.hold.paymentIntentId, c.amount])).toEqual([[second.paymentIntentId, 3050]]);
    expect(left).toEqual(await b.call('catalog:coverable', {}));
    expect((await a.call('catalog:list', { query: 'WHISK' }))[0]).toMatchObject({
      onHand: 1,
      committed: 1,
      stock: 0,
    });
    // The second can go in part: captured by its lines in stock, the kettle released — at both stations.
    const partial = left[0]!;
    await a.call('holds:capture', {
      paymentIntentId: partial.hold.paymentIntentId,
      amount: partial.amount,
      version: partial.hold.version,
      pin: MANAGER_PIN,
      lines: partial.lines.filter((l) => l.covered).map((l) => ({ sku: l.sku, quantity: l.quantity })),
    });
    await Promise.all([a.sync(), b.sync()]);
    for (const h of [a, b]) {
      const o = await h.call('orders:get', { orderId: second.orderId! }, 'staff');
      expect(o.lines.map((l) => l.sku).sort()).toEqual(['TEA-EARL-100', 'WHISK-BAMBOO']);
      expect(o.amountCaptured).toBe(3050);
    }
    expect((await a.call('catalog:list', { query: 'WHISK' }))[0]).toMatchObject({
      onHand: 0,
      committed: 0,
      stock: 0,
    });
    expect(await b.call('catalog:coverable', {})).toEqual([]);
    // Receiving the same delivery twice from the same view makes one delivery, at once and a day later.
    const deliveryId = 'delivery_0001';
    const [r1, r2] = await Promise.all([
      a.call('catalog:receive', { productId: whisk, quantity: 1, deliveryId }),
      a.call('catalog:receive', { productId: whisk, quantity: 1, deliveryId }),
    ]);
    expect(r1.product.stock).toBe(1);
    expect(r2.product.stock).toBe(1);
    await advance(26 * 3600);
    expect(
      (await a.call('catalog:receive', { productId: whisk, quantity: 1, deliveryId })).product.stock,
    ).toBe(1);
    // Another delivery, then the first one retried: the retry still counts once.
    await a.call('catalog:receive', { productId: whisk, quantity: 2, deliveryId: 'delivery_0002' });
    expect(
      (await a.call('catalog:receive', { productId: whisk, quantity: 1, deliveryId })).product.stock,
    ).toBe(3);
  }, 60_000);
});

describe('receipts, notes, the shipping fee, customers and printing', () => {
  it('shows the same order, customer and printed documents at both stations', async () => {
    const paid = await order(a, [{ sku: 'GIFT-SAMPLER', quantity: 1 }], { shippingFee: 500 });
    await b.sync();
    const held = await order(b, [{ sku: 'POT-CAST-08', quantity: 1 }]);
    await Promise.all([a.sync(), b.sync()]);
    const orderId = paid.orderId!;

    // The receipt: Stripe emails it to the order's address; the order says so, and it can be sent again.
    let extras: Output<'orders:extras'> = await a.call('orders:extras', { orderId }, 'staff');
    expect(extras.receipt).toMatchObject({
      email: 'grace@navy.example',
      card: 'Visa •••• 4242',
      resent: null,
    });
    expect(extras.shippingFee).toBe(500);
    extras = await b.call('receipts:resend', { orderId, email: 'grace.h@navy.example' }, 'staff');
    expect(extras.receipt).toMatchObject({
      email: 'grace.h@navy.example',
      resent: { to: 'grace.h@navy.example', n: 1 },
    });
    const charge = await a.stripe.charges.retrieve(
      (await a.stripe.paymentIntents.retrieve(paid.paymentIntentId!)).latest_charge as string,
    );
    expect(charge.receipt_email).toBe('grace.h@navy.example');

    // Notes from both stations, one removed: the charge's metadata carries them.
    await a.call('orders:addNote', { orderId, text: 'Leave at the back door' }, 'staff');
    await b.sync();
    await b.call('orders:addNote', { orderId, text: 'Gift wrap, no prices inside' }, 'staff');
    await a.sync();
    extras = await a.call('orders:extras', { orderId }, 'staff');
    expect(extras.notes.map((n) => [n.text, n.by])).toEqual([
      ['Leave at the back door', 'Sam Staff · Front desk'],
      ['Gift wrap, no prices inside', 'Sam Staff · Packing'],
    ]);
    await a.call('orders:removeNote', { orderId, noteId: extras.notes[0]!.id }, 'staff');
    await b.sync();
    const [ea, eb] = [
      await a.call('orders:extras', { orderId }, 'staff'),
      await b.call('orders:extras', { orderId }, 'staff'),
    ];
    expect(ea).toEqual(eb);
    expect(eb.notes.map((n) => n.text)).toEqual(['Gift wrap, no prices inside']);
    // Another station learns of a note through charge.updated, as an order change.
    expect(b.events.some((e) => e.event === 'orders:changed')).toBe(true);

    // The customer page, reached by phone number: contact, address, orders and holds, money, shared notes.
    const found = await b.call('customers:search', { query: '555 0101' }, 'staff');
    expect(found.map((c) => c.name)).toEqual(['Grace Hopper']);
    const customerId = found[0]!.id;
    expect(extras.customerId).toBe(customerId);
    await b.call('customers:addNote', { customerId, text: 'Prefers calls after 5 pm' }, 'staff');
    await a.sync();
    const [pa, pb] = [
      await a.call('customers:get', { customerId }, 'staff'),
      await b.call('customers:get', { customerId }, 'staff'),
    ];
    expect(pa).toEqual(pb);
    expect(pa.customer).toMatchObject({ name: 'Grace Hopper', phone: expect.stringContaining('555') });
    expect(pa.addresses).toEqual([expect.objectContaining({ line1: '12 Harbour Street', city: 'Portland' })]);
    expect(pa.orders.map((o) => o.id)).toContain(orderId);
    expect(pa.holds.map((h) => h.paymentIntentId)).toEqual([held.paymentIntentId]);
    expect(pa.totalSpent).toBe(4500 + 500);
    expect(pa.notes.map((n) => n.text)).toEqual(['Prefers calls after 5 pm']);
    await a.call('customers:removeNote', { customerId, noteId: pa.notes[0]!.id }, 'staff');
    await b.sync();
    expect((await b.call('customers:get', { customerId }, 'staff')).notes).toEqual([]);

    // Printed documents: the order's number, items, fee, ship-to and card — the same from either station.
    const [da, db] = [
      await a.call('print:documents', { orderIds: [orderId] }, 'staff'),
      await b.call('print:documents', { orderIds: [orderId] }, 'staff'),
    ];
    expect(da).toEqual(db);
    expect(da[0]).toMatchObject({
      number: 'A1001',
      shippingFee: 500,
      paid: 5000,
      card: 'Visa •••• 4242',
      shipTo: { name: 'Grace Hopper', address: expect.objectContaining({ line1: '12 Harbour Street' }) },
      lines: [expect.objectContaining({ sku: 'GIFT-SAMPLER', quantity: 1, lineTotal: 4500 })],
    });
    // In browser mode (these harnesses) the page prints itself.
    expect(await a.raw('print:page', { action: 'pdf', filename: 'slip.pdf' }, 'staff')).toMatchObject({
      ok: false,
      error: { code: 'not_available' },
    });
  }, 60_000);

  it('refuses a note that can no longer fit on the charge, and a shipping fee once the card is being charged', async () => {
    const cart = await a.call('carts:create', { currency: 'usd' }, 'staff');
    const p = await productId(a, 'INF-STEEL');
    const withFee = await a.call(
      'carts:update',
      {
        cartId: cart.id,
        customer: { name: 'Ada' },
        lines: [{ productId: p, quantity: 1 }],
        shippingFee: 300,
      },
      'staff',
    );
    expect([withFee.total, withFee.shippingFee]).toEqual([950 + 300, 300]);
    const noFee = await a.call('carts:update', { cartId: cart.id, shippingFee: 0 }, 'staff');
    expect(noFee.total).toBe(950);
    await a.call('carts:update', { cartId: cart.id, shippingFee: 450 }, 'staff');
    const paid = await a.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(paid.total).toBe(1400);
    const pi = await a.stripe.paymentIntents.retrieve(paid.paymentIntentId!);
    expect([pi.amount, pi.metadata.mc_ship]).toEqual([1400, '450']);
    expect(await a.raw('carts:update', { cartId: cart.id, shippingFee: 0 }, 'staff')).toMatchObject({
      ok: false,
    });
    // Fill the charge's metadata to the brim: the next note is refused before anything is sent.
    for (let i = 0; i < 60; i++) {
      const r = await a.raw('orders:addNote', { orderId: paid.orderId!, text: `note ${i}` }, 'staff');
      if (!r.ok) {
        expect(r.error.code).toBe('precondition_failed');
        expect(r.error.message).toMatch(/as many notes as Stripe can keep/);
        const ch = await a.stripe.charges.retrieve(pi.latest_charge as string);
        expect(Object.keys(ch.metadata).length).toBeLessThanOrEqual(50 - 5);
        return;
      }
    }
    throw new Error('notes were never refused');
  }, 60_000);
});
