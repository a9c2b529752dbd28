// Orders through the IPC contract: made from Stripe's events, advanced received → processing → shipped under
// the fulfillment rules, listed, filtered, searched, exported as CSV, and reconciled against Stripe.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANAGER_PIN, product, startHarness, type Harness } from '../../../helpers/core-harness';
import { encodeOrderMetadata } from '../../../../electron/core/orders/order-metadata';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const DAY = 24 * 3600;

async function pay(
  customer: { name: string; email?: string },
  opts: { unitAmount?: number; stock?: number; quantity?: number } = {},
): Promise<string> {
  const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
  const p = await product(h, opts.stock === 0 ? 'OUT-1' : 'TEA-1', opts.unitAmount ?? 1250, opts.stock ?? 50);
  await h.call(
    'carts:update',
    { cartId: cart.id, customer, lines: [{ productId: p.id, quantity: opts.quantity ?? 1 }] },
    'staff',
  );
  const paid = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
  return paid.paymentIntentId!;
}

async function orderFor(piId: string) {
  await h.sync();
  const row = (await h.call('orders:list', { query: piId })).rows[0];
  expect(row).toBeDefined();
  return row!;
}

describe('fulfillment', () => {
  it('received → processing → shipped with carrier and tracking, each step audited', async () => {
    const order = await orderFor(await pay({ name: 'Grace Hopper', email: 'grace@example.com' }));
    expect(order.status).toBe('received');
    expect((await h.call('orders:get', { orderId: order.id }, 'staff')).canShip).toBe(true);

    const skip = await h.call('orders:advance', { orderIds: [order.id], to: 'shipped' }, 'staff');
    expect(skip).toEqual([
      {
        orderId: order.id,
        ok: false,
        status: 'received',
        message: '#A1001: a received order cannot move to shipped.',
      },
    ]);
    const proc = await h.call('orders:advance', { orderIds: [order.id], to: 'processing' }, 'staff');
    expect(proc[0]).toMatchObject({ ok: true, status: 'processing' });
    const ship = await h.call(
      'orders:advance',
      { orderIds: [order.id], to: 'shipped', carrier: 'UPS', trackingNumber: '1Z999' },
      'staff',
    );
    expect(ship[0]).toMatchObject({ ok: true, status: 'shipped' });
    const detail = await h.call('orders:get', { orderId: order.id }, 'staff');
    expect(detail).toMatchObject({ status: 'shipped', carrier: 'UPS', trackingNumber: '1Z999' });
    // No way back.
    const back = await h.call('orders:advance', { orderIds: [order.id], to: 'processing' }, 'staff');
    expect(back[0]).toMatchObject({ ok: false, status: 'shipped' });

    const audit = (await h.call('audit:list', { limit: 100 })).filter((a) => a.subject === order.id);
    expect(audit.map((a) => [a.action, a.actor, a.before, a.after])).toEqual([
      [
        'order.shipped',
        'Sam Staff',
        { status: 'processing' },
        { status: 'shipped', carrier: 'UPS', trackingNumber: '1Z999' },
      ],
      ['order.processing', 'Sam Staff', { status: 'received' }, { status: 'processing' }],
    ]);
    // One timeline line each, in words, confirmed by Stripe's event of the same request once it is read.
    await h.sync();
    const read = await h.call('orders:get', { orderId: order.id }, 'staff');
    expect(
      read.timeline.filter((t) => t.kind === 'audit').map((t) => [t.title, t.actor, t.confirmedByStripe]),
    ).toEqual([
      ['Order taken — $12.50', 'Sam Staff', true],
      ['Card charged — $12.50', 'Sam Staff', true],
      ['Moved to processing', 'Sam Staff', true],
      ['Shipped with UPS — 1Z999', 'Sam Staff', true],
    ]);
  });

  it('never ships while the payment is not captured, nor a fully refunded order', async () => {
    const a = await orderFor(await pay({ name: 'Uncaptured Ursula' }));
    const b = await orderFor(await pay({ name: 'Refunded Rita' }));
    await h.call('orders:advance', { orderIds: [a.id, b.id], to: 'processing' }, 'staff');
    // The PaymentIntent behind A is (as the console knows it) back to an uncaptured authorization: the
    // shape of an order whose payment the console must not treat as money in hand.
    h.services.db
      .prepare(`UPDATE payment_intents SET status = 'requires_capture', status_rank = 5 WHERE id = ?`)
      .run(a.paymentIntentId);
    expect((await h.call('orders:get', { orderId: a.id })).canShip).toBe(false);
    await h.call('orders:refund', { orderId: b.id, amount: 1250, expectedRefunded: 0, pin: MANAGER_PIN });
    expect((await h.call('orders:get', { orderId: b.id })).canShip).toBe(false);

    const r = await h.call('orders:advance', { orderIds: [a.id, b.id], to: 'shipped' }, 'staff');
    expect(r).toEqual([
      {
        orderId: a.id,
        ok: false,
        status: 'processing',
        message: '#A1001 not shipped: the payment is not captured.',
      },
      {
        orderId: b.id,
        ok: false,
        status: 'processing',
        message: '#A1002 not shipped: the order was fully refunded.',
      },
    ]);
    expect((await h.call('audit:list', { limit: 100 })).some((x) => x.action === 'order.shipped')).toBe(
      false,
    );
  });

  it('bulk advance returns a result per order', async () => {
    const a = await orderFor(await pay({ name: 'Ann' }));
    const b = await orderFor(await pay({ name: 'Ben' }));
    await h.call('orders:advance', { orderIds: [b.id], to: 'processing' }, 'staff');
    const r = await h.call(
      'orders:advance',
      { orderIds: [a.id, b.id, 'ord_nope'], to: 'processing' },
      'staff',
    );
    expect(r).toEqual([
      { orderId: a.id, ok: true, status: 'processing', message: null },
      { orderId: b.id, ok: true, status: 'processing', message: '#A1002 is already processing.' },
      { orderId: 'ord_nope', ok: false, status: null, message: 'No such order.' },
    ]);
    const audited = (await h.call('audit:list', { limit: 100 })).filter(
      (x) => x.action === 'order.processing',
    );
    expect(audited.map((x) => x.subject).sort()).toEqual([a.id, b.id].sort());
    expect(h.events.filter((e) => e.event === 'orders:changed').length).toBeGreaterThan(0);
  });

  it('a signed-out window can neither list nor advance orders', async () => {
    const r = await h.raw('orders:list', {}, 'nobody');
    expect(r.ok).toBe(false);
  });
});

describe('listing, search and CSV', () => {
  it('filters by status and date, searches by name, email and order id, pages', async () => {
    const start = Math.floor(h.emulator.now() / 1000) * 1000; // orders carry event.created (whole seconds)
    const grace = await orderFor(await pay({ name: 'Grace Hopper', email: 'grace@navy.example' }));
    h.emulator.advanceClock(DAY);
    const mid = h.emulator.now();
    h.emulator.advanceClock(DAY);
    const alan = await orderFor(await pay({ name: 'Alan Turing', email: 'alan@bletchley.example' }));
    const al = await orderFor(await pay({ name: 'Al Capone', email: 'boss@chicago.example' }));
    await h.call('orders:advance', { orderIds: [alan.id], to: 'processing' }, 'staff');

    const ids = async (f: Record<string, unknown>) =>
      (await h.call('orders:list', f as never, 'staff')).rows.map((o) => o.id);
    expect(new Set(await ids({}))).toEqual(new Set([al.id, alan.id, grace.id]));
    expect(await ids({ status: 'processing' })).toEqual([alan.id]);
    expect(new Set(await ids({ status: 'received' }))).toEqual(new Set([al.id, grace.id]));
    expect(await ids({ to: mid })).toEqual([grace.id]);
    expect(new Set(await ids({ from: mid }))).toEqual(new Set([alan.id, al.id]));
    expect(await ids({ from: start, to: mid, status: 'received' })).toEqual([grace.id]);
    // Search: ≥ 3 characters through the trigram index (any case, substrings of name, email, ids).
    expect(await ids({ query: 'hopper' })).toEqual([grace.id]);
    expect(await ids({ query: 'BLETCHLEY' })).toEqual([alan.id]);
    expect(await ids({ query: grace.id.slice(4, 14) })).toEqual([grace.id]);
    expect(await ids({ query: alan.paymentIntentId })).toEqual([alan.id]);
    expect(await ids({ query: 'l Ca' })).toEqual([al.id]);
    expect(await ids({ query: 'turing', status: 'received' })).toEqual([]);
    expect(await ids({ query: '"; DROP' })).toEqual([]);
    // Shorter than 3: LIKE over name and id.
    expect(new Set(await ids({ query: 'Al' }))).toEqual(new Set([al.id, alan.id]));
    expect(await ids({ query: '%' })).toEqual([]);
    // Paging, newest first, with the total.
    const p1 = await h.call('orders:list', { limit: 2, offset: 0 }, 'staff');
    const p2 = await h.call('orders:list', { limit: 2, offset: 2 }, 'staff');
    expect(p1.total).toBe(3);
    expect(p2.total).toBe(3);
    expect(p1.rows).toHaveLength(2);
    expect(p2.rows.map((r) => r.id)).toEqual([grace.id]);
    expect(p1.rows[0]!.createdAt).toBeGreaterThanOrEqual(p1.rows[1]!.createdAt);
    expect(p1.rows[1]!.createdAt).toBeGreaterThan(p2.rows[0]!.createdAt);
  });

  it('exports CSV: every field quoted, quotes doubled, spreadsheet formulas neutralised', async () => {
    const evil = await orderFor(await pay({ name: '=HYPERLINK("http://x","click")', email: '+1@x.example' }));
    const comma = await orderFor(await pay({ name: 'Lovelace, Ada "Countess"', email: 'ada@example.com' }));
    const out = await h.call('orders:exportCsv', {}, 'staff');
    expect(out.rows).toBe(2);
    expect(out.filename).toMatch(/^orders-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = out.csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^\ufeff"Order","Date","Time","Customer","Email","Phone","Address","Items",/);
    const byNumber = (n: string) => lines.find((l) => l.startsWith(`"${n}"`))!;
    expect(byNumber(evil.number)).toContain(`"'=HYPERLINK(""http://x"",""click"")","'+1@x.example"`);
    expect(byNumber(comma.number)).toContain(`"Lovelace, Ada ""Countess""","ada@example.com"`);
    expect(byNumber(comma.number)).toContain(`"USD","12.50","12.50","0.00","Paid"`);
    // Every cell is a quoted field; no cell starts with a formula character.
    for (const line of lines.slice(1)) {
      const cells = line.match(/"(?:[^"]|"")*"/g)!;
      expect(cells).toHaveLength(26); // 17, then the tax and discount columns (no jurisdiction: no tax here)
      expect(cells.some((c) => /^"[=+\-@\t\r]/.test(c))).toBe(false);
    }
    const filtered = await h.call('orders:exportCsv', { query: 'countess' }, 'staff');
    expect(filtered.rows).toBe(1);
  });
});

describe('reconciliation', () => {
  it('lists each kind of drift with a fix, and the fixes settle it', async () => {
    // paid in Stripe, no order: the console paid, but its events have not been read.
    const unsynced = await pay({ name: 'Never Synced' });
    // hold here, canceled at Stripe (in the Dashboard, events not read yet).
    const holdPi = await pay({ name: 'Held Harry' }, { unitAmount: 8900, stock: 0 });
    // amount mismatch: refunded in the Dashboard, events not read yet.
    const refundedPi = await pay({ name: 'Refunded Rob' });
    await h.sync();
    // Paid at another station of the shop, whose events this one has not read.
    const unsyncedPi = (
      await h.stripe.paymentIntents.create({
        amount: 2500,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
        metadata: encodeOrderMetadata({
          cartId: 'cart_elsewhere',
          stationCode: 'B',
          number: 1001,
          stationId: 'st_other',
          stationName: 'Packing',
          takenBy: 'Pat',
          customerName: 'Never Synced 2',
          lines: [{ sku: 'TEA-1', name: 'Tea', quantity: 2, unitAmount: 1250, waitlist: false }],
        }),
      })
    ).id;
    void unsynced;
    await h.stripe.paymentIntents.cancel(holdPi);
    await h.stripe.refunds.create({ payment_intent: refundedPi, amount: 300 });
    // An order here with no payment at Stripe.
    h.services.db
      .prepare(
        `INSERT INTO orders (id, payment_intent_id, cart_id, status, customer_name, lines_json, item_count, currency,
           amount_captured, created_at, updated_at) VALUES ('ord_ghost', 'pi_ghost', NULL, 'received', 'Ghost', '[]', 0, 'usd', 100, ?, ?)`,
      )
      .run(h.emulator.now(), h.emulator.now());

    const staffTry = await h.raw('sync:reconcile', {}, 'staff');
    expect(staffTry.ok).toBe(false);
    const { drifts } = await h.call('sync:reconcile', {});
    const kinds = Object.fromEntries(drifts.map((d) => [d.id, d.kind]));
    expect(kinds).toEqual({
      [`paid_no_order:${unsyncedPi}`]: 'paid_no_order',
      [`hold_canceled_at_stripe:${holdPi}`]: 'hold_canceled_at_stripe',
      [`amount_mismatch:${refundedPi}`]: 'amount_mismatch',
      // The Dashboard's refund itself is not shown here either.
      [`refund_mismatch:${refundedPi}`]: 'refund_mismatch',
      'order_missing_at_stripe:pi_ghost': 'order_missing_at_stripe',
    });
    expect(drifts.every((d) => d.fix.length > 0 && d.description.length > 0)).toBe(true);

    let left = drifts;
    for (const d of drifts) left = (await h.call('sync:fix', { driftId: d.id })).drifts;
    expect(left.map((d) => d.kind)).toEqual(['order_missing_at_stripe']);
    expect((await h.call('orders:list', { query: unsyncedPi })).rows).toHaveLength(1);
    const hold = (await h.call('holds:list', { include: 'all' })).find((x) => x.paymentIntentId === holdPi);
    expect(hold?.status).toBe('released');
    const rob = (await h.call('orders:list', { query: refundedPi })).rows[0]!;
    expect(rob.amountRefunded).toBe(300);
    // One fix per drift (the Dashboard's refund is two: the amounts, and the refund itself).
    const fixes = (await h.call('audit:list', { limit: 100 })).filter((a) => a.action === 'reconcile.fixed');
    expect(fixes).toHaveLength(5);
    // Reading the events afterwards changes nothing more and finds no drift.
    await h.sync();
    expect((await h.call('sync:reconcile', {})).drifts.map((d) => d.kind)).toEqual([
      'order_missing_at_stripe',
    ]);
    expect((await h.call('orders:list', { query: refundedPi })).rows[0]!.amountRefunded).toBe(300);
  });

  it('a partial capture is not an amount mismatch (the released remainder is not a refund)', async () => {
    const piId = await pay({ name: 'Partial Pat' }, { unitAmount: 8900, stock: 0 });
    await h.sync();
    const [hold] = await h.call('holds:list', { include: 'open' });
    await h.call('holds:capture', {
      paymentIntentId: piId,
      amount: 5000,
      version: hold!.version,
      pin: MANAGER_PIN,
    });
    await h.sync();
    expect((await h.call('sync:reconcile', {})).drifts).toEqual([]);
    const order = (await h.call('orders:list', {})).rows[0]!;
    expect(order).toMatchObject({ amountCaptured: 5000, amountRefunded: 0 });
  });
});
