// Everything Stripe says about the money after a payment reaches the order: disputes, early fraud warnings,
// refunds that fail, a refund seen before its order, cart edits after a decline, refunds asked for twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { startEmulator, type RunningEmulator } from '../../../../electron/emulator';
import { MANAGER_PIN, startHarness, type Harness } from '../../../helpers/core-harness';

let emulator: RunningEmulator;
let h: Harness;
beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
  h = await startHarness({ emulator });
  await h.sync();
});
afterEach(async () => {
  await h.close();
  await emulator.close();
});

const customer = {
  name: 'Card-not-present Carl',
  email: 'carl@example.com',
  shipping: { line1: '9 Dock Road', city: 'Leeds', postalCode: 'LS1 4AP', country: 'GB' },
};

async function paid(card: string, sku = 'TEA-SENCHA-100', quantity = 1) {
  const p = (await h.call('products:search', { query: sku, limit: 1 }))[0]!;
  const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
  await h.call(
    'carts:update',
    { cartId: cart.id, customer, lines: [{ productId: p.id, quantity }] },
    'staff',
  );
  const done = await h.call('payments:pay', { cartId: cart.id, paymentMethod: card }, 'staff');
  expect(done.phase).toBe('succeeded');
  await h.sync();
  const orderId = (await h.call('orders:list', { query: done.orderNumber! })).rows[0]!.id;
  return { orderId, paymentIntentId: done.paymentIntentId! };
}

const alerts = () =>
  h.events
    .filter((e) => e.event === 'orders:alerted')
    .map((e) => e.payload as { kind: string; title: string });

describe('disputes', () => {
  it('a charged-back order says "Disputed — don’t ship", refuses shipping with the reason, and managers are told', async () => {
    const { orderId } = await paid('pm_card_createDispute');
    await h.sync();
    const o = await h.call('orders:get', { orderId });
    expect(o.dispute).toMatchObject({ reason: 'fraudulent', status: 'needs_response', inquiry: false });
    expect(o.dispute!.amount).toBe(o.amountCaptured);
    expect(o.dispute!.dueBy).toBeGreaterThan(Date.now() - 86_400_000);
    expect(o.shipBlock).toMatch(/Disputed — don’t ship: the cardholder says they did not make this payment/);
    expect(o.canShip).toBe(false);
    const r = await h.call('orders:advance', { orderIds: [orderId], to: 'processing' }, 'staff');
    expect(r[0]).toMatchObject({ ok: false });
    expect(r[0]!.message).toMatch(/Disputed — don’t ship/);
    expect(alerts().map((a) => a.kind)).toEqual(['dispute_opened']);
    // Redelivered events don't tell anyone twice.
    await h.sync();
    expect(alerts()).toHaveLength(1);
  });

  it('an inquiry is shown as the bank questioning the payment', async () => {
    const { orderId } = await paid('pm_card_createDisputeInquiry');
    await h.sync();
    const o = await h.call('orders:get', { orderId });
    expect(o.dispute).toMatchObject({ inquiry: true, status: 'warning_needs_response' });
    expect(o.shipBlock).toMatch(/don’t ship/);
  });

  it('the outcome reaches the order: won lets it ship again, lost keeps it blocked', async () => {
    const won = await paid('pm_card_createDispute');
    const lost = await paid('pm_card_createDisputeProductNotReceived');
    await h.sync();
    for (const [x, outcome] of [
      [won, 'won'],
      [lost, 'lost'],
    ] as const) {
      const d = (await h.call('orders:get', { orderId: x.orderId })).dispute!;
      const res = await fetch(`${emulator.url}/_emulator/disputes/${d.id}/outcome`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ outcome }),
      });
      expect(res.ok).toBe(true);
    }
    emulator.advanceClock(5);
    await h.stripe.balance?.retrieve?.().catch(() => undefined); // any request lets the emulator run what is due
    await h.sync();
    const w = await h.call('orders:get', { orderId: won.orderId });
    expect(w.dispute?.status).toBe('won');
    expect(w.shipBlock).toBeNull();
    expect(w.canShip).toBe(true);
    const l = await h.call('orders:get', { orderId: lost.orderId });
    expect(l.dispute?.status).toBe('lost');
    expect(l.shipBlock).toMatch(/lost/);
    expect(
      alerts()
        .map((a) => a.kind)
        .sort(),
    ).toEqual(['dispute_closed', 'dispute_closed', 'dispute_opened', 'dispute_opened']);
  });
});

describe('early fraud warnings', () => {
  it('flag the order, tell the manager, and a full refund in one step clears it', async () => {
    const { orderId } = await paid('pm_card_createIssuerFraudRecord');
    await h.sync();
    const o = await h.call('orders:get', { orderId });
    expect(o.fraudWarning).toMatchObject({ actionable: true });
    expect(o.shipBlock).toMatch(/Early fraud warning/);
    expect(alerts().map((a) => a.title)).toEqual(['Early fraud warning — refund to avoid a dispute']);
    const after = await h.call('orders:refund', {
      orderId,
      amount: o.refundable,
      expectedRefunded: 0,
      pin: MANAGER_PIN,
      reason: 'fraudulent',
    });
    expect(after.ledger.refunded).toBe(o.amountCaptured);
    expect(after.refundable).toBe(0);
  });
});

describe('refunds that fail', () => {
  it('show on the order with why, give the refundable balance back, and can be made again', async () => {
    const { orderId, paymentIntentId } = await paid('pm_card_refundFail');
    const o = await h.call('orders:get', { orderId });
    const refunded = await h.call('orders:refund', {
      orderId,
      amount: 500,
      expectedRefunded: 0,
      pin: MANAGER_PIN,
    });
    expect(refunded.ledger.refunded).toBe(500);
    // A few seconds later, at Stripe, the refund fails.
    emulator.advanceClock(10);
    await h.stripe.paymentIntents.retrieve(paymentIntentId); // let the emulator run what is due
    await h.sync();
    const failed = await h.call('orders:get', { orderId });
    expect(failed.refunds).toEqual([
      expect.objectContaining({ amount: 500, status: 'failed', failureReason: expect.any(String) }),
    ]);
    expect(failed.ledger.refunded).toBe(0);
    expect(failed.refundable).toBe(o.refundable);
    expect(alerts().map((a) => a.kind)).toEqual(['refund_failed']);
    // The manager refunds again (another card, or the same): a new key — the failed attempt is settled.
    const again = await h.call('orders:refund', {
      orderId,
      amount: 500,
      expectedRefunded: 0,
      pin: MANAGER_PIN,
    });
    expect(again.refunds.map((r) => r.status)).toEqual(['failed', 'succeeded']);
    const atStripe = await h.stripe.refunds.list({ payment_intent: paymentIntentId });
    expect(atStripe.data).toHaveLength(2);
  });
});

describe('a refund seen before its order', () => {
  it('is part of the order when the order is made: refunded, not shippable', async () => {
    // Another station's payment, refunded at once; this station hears the refund first.
    const elsewhere = await startHarness({ emulator, station: 'Other desk' });
    try {
      const p = (await elsewhere.call('products:search', { query: 'TEA-ASSAM-250', limit: 1 }))[0]!;
      const cart = await elsewhere.call('carts:create', { currency: 'usd' }, 'staff');
      await elsewhere.call(
        'carts:update',
        { cartId: cart.id, customer, lines: [{ productId: p.id, quantity: 1 }] },
        'staff',
      );
      const paidThere = await elsewhere.call(
        'payments:pay',
        { cartId: cart.id, paymentMethod: 'pm_card_visa' },
        'staff',
      );
      await elsewhere.stripe.refunds.create({ payment_intent: paidThere.paymentIntentId!, amount: 1890 });
      const events = (await h.stripe.events.list({ limit: 100 })).data.reverse();
      const refundedEvent = events.find((e) => e.type === 'charge.refunded')!;
      const rest = events.filter((e) => e.id !== refundedEvent.id && !/^(product|price)\./.test(e.type));
      // The webhook brings charge.refunded before the poller reads the payment's other events.
      h.services.sync.ingest([refundedEvent as Stripe.Event], 'webhook');
      h.services.sync.ingest(rest as Stripe.Event[], 'poll');
      const { rows } = await h.call('orders:list', { query: paidThere.orderNumber! });
      const o = await h.call('orders:get', { orderId: rows[0]!.id });
      expect(o.ledger.refunded).toBe(1890);
      expect(o.canShip).toBe(false);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('a cart edited after a decline', () => {
  it('updates description, receipt email, metadata and shipping with the amount, in one journaled call', async () => {
    const tea = (await h.call('products:search', { query: 'TEA-EARL-100', limit: 1 }))[0]!;
    const cups = (await h.call('products:search', { query: 'CUP-PORC-2', limit: 1 }))[0]!;
    const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
    await h.call(
      'carts:update',
      {
        cartId: cart.id,
        customer: { ...customer, email: 'carl@exmaple.com' },
        lines: [{ productId: tea.id, quantity: 1 }],
      },
      'staff',
    );
    const declined = await h.call(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_visa_chargeDeclined' },
      'staff',
    );
    expect(declined.lastDecline).not.toBeNull();
    const updatesBefore = h.services.db
      .prepare(`SELECT count(*) FROM stripe_requests WHERE operation = 'payment_intent.update'`)
      .pluck()
      .get() as number;
    await h.call(
      'carts:update',
      {
        cartId: cart.id,
        customer: { ...customer, email: 'carl@example.com' },
        lines: [
          { productId: tea.id, quantity: 1 },
          { productId: cups.id, quantity: 2 },
        ],
      },
      'staff',
    );
    const pi = await h.stripe.paymentIntents.retrieve(declined.paymentIntentId!);
    expect(pi.amount).toBe(1250 + 2 * 2800);
    expect(pi.receipt_email).toBe('carl@example.com');
    expect(pi.description).toMatch(/2× Porcelain cups/);
    expect(pi.metadata.mc_l0).toContain('CUP-PORC-2');
    expect(pi.shipping?.address?.line1).toBe('9 Dock Road');
    // One update carried all of it (the customer's own update is a Customer write, not a PaymentIntent one).
    const updatesAfter = h.services.db
      .prepare(`SELECT count(*) FROM stripe_requests WHERE operation = 'payment_intent.update'`)
      .pluck()
      .get() as number;
    expect(updatesAfter - updatesBefore).toBe(1);
    const done = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(done.phase).toBe('succeeded');
  });
});

describe('two managers refunding from stale views', () => {
  it('with different reasons at two stations: one refund, and the second is told it was made, by whom', async () => {
    const other = await startHarness({ emulator, station: 'Back office' });
    try {
      const { orderId, paymentIntentId } = await paid('pm_card_visa', 'GIFT-SAMPLER');
      await other.sync();
      const [a, b] = await Promise.all([
        h.raw('orders:refund', {
          orderId,
          amount: 1000,
          expectedRefunded: 0,
          pin: MANAGER_PIN,
          reason: 'requested_by_customer',
        }),
        other.raw('orders:refund', {
          orderId,
          amount: 1000,
          expectedRefunded: 0,
          pin: MANAGER_PIN,
          reason: 'duplicate',
        }),
      ]);
      const results = [a, b];
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const refused = results.find((r) => !r.ok)!;
      expect(!refused.ok && refused.error.code).toBe('conflict');
      expect(!refused.ok && refused.error.message).toMatch(
        /already made by Morgan Manager · (Test station|Back office)/,
      );
      expect((await h.stripe.refunds.list({ payment_intent: paymentIntentId })).data).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});

describe('a partial capture by lines', () => {
  it('leaves an order with just the lines that arrived, shows the rest released, and stock follows', async () => {
    const kettle = (await h.call('products:search', { query: 'KET-GOOSE-1', limit: 1 }))[0]!; // out of stock
    const tea = (await h.call('products:search', { query: 'TEA-EARL-100', limit: 1 }))[0]!;
    const teaStock = tea.stock;
    const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
    await h.call(
      'carts:update',
      {
        cartId: cart.id,
        customer,
        lines: [
          { productId: kettle.id, quantity: 1 },
          { productId: tea.id, quantity: 2 },
        ],
      },
      'staff',
    );
    const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(held.phase).toBe('on_hold');
    await h.sync();
    const hold = (await h.call('holds:list', { include: 'open' }))[0]!;
    expect(hold.items.map((i) => [i.sku, i.quantity, i.unitAmount])).toEqual([
      ['KET-GOOSE-1', 1, 8900],
      ['TEA-EARL-100', 2, 1250],
    ]);
    // The kettle came in, and one of the two teas is to go with it.
    const amount = 8900 + 1250;
    const captured = await h.call('holds:capture', {
      paymentIntentId: hold.paymentIntentId,
      amount,
      version: hold.version,
      pin: MANAGER_PIN,
      lines: [
        { sku: 'KET-GOOSE-1', quantity: 1 },
        { sku: 'TEA-EARL-100', quantity: 1 },
      ],
    });
    expect(captured.status).toBe('partially_captured');
    await h.sync();
    const orderId = (await h.call('orders:list', { query: held.orderNumber! })).rows[0]!.id;
    const o = await h.call('orders:get', { orderId });
    expect(o.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['KET-GOOSE-1', 1],
      ['TEA-EARL-100', 1],
    ]);
    expect(o.releasedLines.map((l) => [l.sku, l.quantity])).toEqual([['TEA-EARL-100', 1]]);
    expect(o.ledger).toMatchObject({ captured: amount, released: 1250 });
    // Only what was taken left the shelf.
    expect((await h.call('products:search', { query: 'TEA-EARL-100', limit: 1 }))[0]!.stock).toBe(
      teaStock - 1,
    );
    // Another station reads the same order.
    const other = await startHarness({ emulator, station: 'Packing' });
    try {
      await other.sync();
      const there = await other.call('orders:get', { orderId });
      expect(there.lines.map((l) => [l.sku, l.quantity])).toEqual(o.lines.map((l) => [l.sku, l.quantity]));
      expect(there.releasedLines).toEqual(o.releasedLines);
    } finally {
      await other.close();
    }
  });

  it('refuses lines that were not ordered, or more than were', async () => {
    const kettle = (await h.call('products:search', { query: 'KET-GOOSE-1', limit: 1 }))[0]!;
    const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
    await h.call(
      'carts:update',
      { cartId: cart.id, customer, lines: [{ productId: kettle.id, quantity: 1 }] },
      'staff',
    );
    await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    await h.sync();
    const hold = (await h.call('holds:list', { include: 'open' }))[0]!;
    const base = {
      paymentIntentId: hold.paymentIntentId,
      amount: 8900,
      version: hold.version,
      pin: MANAGER_PIN,
    };
    const wrong = await h.raw('holds:capture', { ...base, lines: [{ sku: 'NOPE', quantity: 1 }] });
    expect(!wrong.ok && wrong.error.message).toMatch(/not in this order/);
    const many = await h.raw('holds:capture', { ...base, lines: [{ sku: 'KET-GOOSE-1', quantity: 2 }] });
    expect(!many.ok && many.error.message).toMatch(/At most 1/);
    expect((await h.stripe.paymentIntents.retrieve(hold.paymentIntentId)).status).toBe('requires_capture');
  });
});

describe('reconciliation of what Stripe said after the payment', () => {
  it('finds a dispute, a fraud warning and a failed refund shown otherwise here, and its fixes settle them', async () => {
    const disputed = await paid('pm_card_createDispute');
    const warned = await paid('pm_card_createIssuerFraudRecord');
    const failing = await paid('pm_card_refundFail');
    await h.call('orders:refund', {
      orderId: failing.orderId,
      amount: 300,
      expectedRefunded: 0,
      pin: MANAGER_PIN,
    });
    emulator.advanceClock(10);
    await h.stripe.paymentIntents.retrieve(failing.paymentIntentId); // let the emulator run what is due
    await h.sync();
    // This station lost what its events told it (a restore from an old backup, say).
    const db = h.services.db;
    db.prepare('DELETE FROM disputes').run();
    db.prepare('DELETE FROM fraud_warnings').run();
    db.prepare(`UPDATE refunds SET status = 'succeeded', failure_reason = NULL`).run();
    const { drifts } = await h.call('sync:reconcile', {});
    const kinds = Object.fromEntries(drifts.map((d) => [d.id, d.kind]));
    expect(kinds).toMatchObject({
      [`dispute_missing_here:${disputed.paymentIntentId}`]: 'dispute_missing_here',
      [`fraud_warning_missing_here:${warned.paymentIntentId}`]: 'fraud_warning_missing_here',
      [`refund_mismatch:${failing.paymentIntentId}`]: 'refund_mismatch',
    });
    let left = drifts;
    for (const d of drifts) left = (await h.call('sync:fix', { driftId: d.id })).drifts;
    expect(left).toEqual([]);
    expect((await h.call('orders:get', { orderId: disputed.orderId })).shipBlock).toMatch(/Disputed/);
    expect((await h.call('orders:get', { orderId: warned.orderId })).fraudWarning?.actionable).toBe(true);
    expect((await h.call('orders:get', { orderId: failing.orderId })).refunds[0]?.status).toBe('failed');
  });
});
