// The poller and the paths around it: the 30-day horizon, expired holds, actions taken in Stripe's Dashboard,
// "confirmed by Stripe", backoff on 429 and when Stripe is unreachable, catch-up progress, restarts, and the
// webhook receiver's signature checks.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import {
  MANAGER_PIN,
  quietLogger,
  readyCart,
  startHarness,
  type Harness,
} from '../../../helpers/core-harness';
import { SyncEngine } from '../../../../electron/core/sync/sync-engine';
import { StripeClock } from '../../../../electron/core/stripe/stripe-clock';
import { startWebhookReceiver } from '../../../../electron/core/sync/webhook-receiver';
import { createStripeGateway, type StripeGateway } from '../../../../electron/core/stripe/gateway';
import type { SyncHealth } from '../../../../electron/ipc/contract';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const DAY = 24 * 3600;
const TEA = { sku: 'TEA-1', unitAmount: 1250, stock: 50, quantity: 2 };
const KETTLE_OUT = { sku: 'KETTLE-0', unitAmount: 8900, stock: 0, quantity: 1 };

async function payNow(): Promise<string> {
  const cart = await readyCart(h, [TEA]);
  return (await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff'))
    .paymentIntentId!;
}
async function placeHold(): Promise<string> {
  const cart = await readyCart(h, [KETTLE_OUT]);
  const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
  expect(held.phase).toBe('on_hold');
  return held.paymentIntentId!;
}
async function eventsOf(type: string): Promise<Stripe.Event[]> {
  return (await h.stripe.events.list({ limit: 100, type })).data;
}
const eventCount = () =>
  (h.services.db.prepare('SELECT count(*) AS n FROM stripe_events').get() as { n: number }).n;

describe('the 30-day horizon', () => {
  it('away 31 days: backfills from PaymentIntents, says so, orders and holds are right, cursor restarted', async () => {
    const holdPi = await placeHold();
    await h.sync();
    expect((await h.call('holds:list', { include: 'open' })).map((x) => x.paymentIntentId)).toEqual([holdPi]);
    const eventsBefore = eventCount();
    // Paid while the console was off; then a month passes (the hold lapses meanwhile).
    const paidPi = await payNow();
    h.emulator.advanceClock(31 * DAY);
    // Only the hold's expiry (day 7) is still in Stripe's window; the payment's events are gone.
    const inWindow = (await h.stripe.events.list({ limit: 10 })).data;
    expect(inWindow.map((e) => e.type).sort()).toEqual(['charge.expired', 'payment_intent.canceled']);

    await h.sync();
    const health = await h.call('sync:status', {});
    expect(health.fallbackNotice).toMatch(/30 days/);
    expect(health.cursor).toBe(inWindow[0]!.id); // restarted at the newest event Stripe still has
    const orders = await h.call('orders:list', { payment: 'paid' });
    expect(orders.rows.map((o) => o.paymentIntentId)).toEqual([paidPi]);
    // The lapsed hold is an order too: cancelled.
    const all = await h.call('orders:list', {});
    expect(all.rows.map((o) => o.paymentIntentId).sort()).toEqual([holdPi, paidPi].sort());
    expect(orders.rows[0]).toMatchObject({
      amountCaptured: 2500,
      customerName: 'Ada Lovelace',
      itemCount: 2,
    });
    const [hold] = await h.call('holds:list', { include: 'all' });
    expect(hold).toMatchObject({ paymentIntentId: holdPi, status: 'expired', amountCapturable: 0 });
    expect(eventCount()).toBe(eventsBefore); // the cursor restarted after the expiry events: none re-read

    // The notice asks for a reconciliation; once a manager has run one, it has done its job.
    expect((await h.call('sync:reconcile', {})).drifts).toEqual([]);
    expect((await h.call('sync:status', {})).fallbackNotice).toBeNull();

    // After the gap, the poller carries on from a fresh cursor with no second fallback.
    const later = await payNow();
    await h.sync();
    const after = await h.call('sync:status', {});
    const newest = (await h.stripe.events.list({ limit: 1 })).data[0]!;
    expect(after.cursor).toBe(newest.id);
    expect((await h.call('orders:list', { payment: 'paid' })).rows.map((o) => o.paymentIntentId)).toEqual([
      later,
      paidPi,
    ]);
  });

  it('an idle console whose cursor event aged out re-anchors without a false fallback', async () => {
    await payNow();
    await h.sync();
    // Polled daily (nothing new) for 32 days: the cursor's own event leaves the window.
    for (let d = 0; d < 32; d++) {
      h.emulator.advanceClock(DAY);
      await h.sync();
    }
    const fresh = await payNow();
    await h.sync();
    const health = await h.call('sync:status', {});
    expect(health.fallbackNotice).toBeNull();
    expect((await h.call('orders:list', {})).rows[0]!.paymentIntentId).toBe(fresh);
    expect(health.cursor).toBe((await h.stripe.events.list({ limit: 1 })).data[0]!.id);
  });
});

describe('expired holds', () => {
  it('charge.expired alone, or payment_intent.canceled alone, marks the hold expired', async () => {
    const a = await placeHold();
    const b = await placeHold();
    await h.sync();
    h.emulator.advanceClock(8 * DAY);
    const chargeExpired = (await eventsOf('charge.expired')).find(
      (e) => (e.data.object as Stripe.Charge).payment_intent === a,
    )!;
    const canceled = (await eventsOf('payment_intent.canceled')).find(
      (e) => (e.data.object as Stripe.PaymentIntent).id === b,
    )!;
    expect(chargeExpired.request?.id ?? null).toBeNull(); // Stripe-initiated, no API request
    h.services.sync.ingest([chargeExpired], 'webhook');
    h.services.sync.ingest([canceled], 'webhook');
    const holds = await h.call('holds:list', { include: 'all' });
    const byPi = new Map(holds.map((x) => [x.paymentIntentId, x]));
    expect(byPi.get(a)).toMatchObject({ status: 'expired', amountCapturable: 0 });
    expect(byPi.get(b)).toMatchObject({ status: 'expired', amountCapturable: 0 });
    // The rest of the events change nothing; expiry is not "outside the console".
    await h.sync();
    expect((await h.call('holds:list', { include: 'all' })).every((x) => x.status === 'expired')).toBe(true);
    const audit = await h.call('audit:list', { limit: 500 });
    expect(audit.filter((x) => x.actor === 'Stripe (outside the console)')).toHaveLength(0);
  });
});

describe('actions taken in Stripe’s Dashboard', () => {
  it('a capture and a refund made directly at Stripe are recognised, audited, and never overwritten', async () => {
    const piId = await placeHold();
    await h.sync();
    const [hold] = await h.call('holds:list', { include: 'open' });
    const before = await h.stripe.paymentIntents.retrieve(piId, { expand: ['latest_charge'] });

    await h.stripe.paymentIntents.capture(piId, { amount_to_capture: 5000 });
    await h.sync();
    const [after] = await h.call('holds:list', { include: 'all' });
    expect(after).toMatchObject({ status: 'partially_captured', amountCaptured: 5000, amountCapturable: 0 });
    const order = (await h.call('orders:list', {})).rows[0]!;
    expect(order).toMatchObject({ paymentIntentId: piId, amountCaptured: 5000 });
    let audit = await h.call('audit:list', { limit: 500 });
    const outside = audit.filter((x) => x.actor === 'Stripe (outside the console)');
    expect(outside.map((x) => x.action)).toEqual(
      expect.arrayContaining(['external.charge.captured', 'external.payment_intent.succeeded']),
    );
    expect(outside.every((x) => x.subject === piId)).toBe(true);

    // An older console view (the hold as it was) can't roll the capture back...
    h.services.payments.applySnapshot(before, true);
    expect((await h.call('holds:list', { include: 'all' }))[0]).toMatchObject({
      status: 'partially_captured',
      amountCaptured: 5000,
    });
    // ...and the console's Capture button on that stale view is refused.
    const stale = await h.raw('holds:capture', {
      paymentIntentId: piId,
      amount: 8900,
      version: hold!.version,
      pin: MANAGER_PIN,
    });
    expect(stale.ok).toBe(false);
    expect((await h.stripe.paymentIntents.retrieve(piId)).amount_received).toBe(5000);

    // A refund in the Dashboard, then one from the console: the ledger adds both.
    await h.stripe.refunds.create({ payment_intent: piId, amount: 1000 });
    await h.sync();
    expect((await h.call('orders:get', { orderId: order.id })).ledger.refunded).toBe(1000);
    audit = await h.call('audit:list', { limit: 500 });
    expect(audit.some((x) => x.action === 'external.charge.refunded' && x.subject === piId)).toBe(true);
    const detail = await h.call('orders:refund', {
      orderId: order.id,
      amount: 500,
      expectedRefunded: 1000,
      pin: MANAGER_PIN,
    });
    expect(detail.ledger.refunded).toBe(1500);
    await h.sync();
    const final = await h.call('orders:get', { orderId: order.id });
    expect(final.ledger).toEqual({
      currency: 'usd',
      authorized: 8900,
      captured: 5000,
      refunded: 1500,
      released: 3900,
    });
    expect(final.timeline.some((t) => /Done outside the console/.test(t.detail ?? ''))).toBe(true);
  });

  it('“confirmed by Stripe” marks the console’s own actions once their events arrive', async () => {
    const piId = await payNow();
    await h.sync();
    const order = (await h.call('orders:list', {})).rows[0]!;
    await h.call('orders:refund', { orderId: order.id, amount: 700, expectedRefunded: 0, pin: MANAGER_PIN });
    const pending = await h.call('orders:get', { orderId: order.id });
    const refundEntry = (d: typeof pending) =>
      d.timeline.find((t) => t.kind === 'audit' && /^Refunded/.test(t.title))!;
    expect(refundEntry(pending).confirmedByStripe).toBe(false);
    await h.sync();
    const confirmed = await h.call('orders:get', { orderId: order.id });
    expect(refundEntry(confirmed).confirmedByStripe).toBe(true);
    const payEntries = confirmed.timeline.filter(
      (t) => t.kind === 'audit' && /^(Order taken|Card charged)/.test(t.title),
    );
    expect(payEntries.length).toBeGreaterThan(0);
    expect(payEntries.every((t) => t.confirmedByStripe)).toBe(true);
    // Nothing the console did is labelled as done outside it.
    expect(confirmed.timeline.some((t) => /Done outside/.test(t.detail ?? ''))).toBe(false);
    const events = await h.call('sync:events', { limit: 50 });
    expect(events.some((e) => e.objectId === piId && /confirms a console action/.test(e.outcome))).toBe(true);
  });
});

// ------------------------------------------------------------------ the poller's timer, with a fake scheduler

function fakeScheduler() {
  const items: { ms: number; fn: () => void; cancelled: boolean }[] = [];
  let wake: (() => void) | null = null;
  return {
    scheduler: {
      after(ms: number, fn: () => void) {
        const item = { ms, fn, cancelled: false };
        items.push(item);
        wake?.();
        return () => void (item.cancelled = true);
      },
    },
    /** Fire the pending timer; resolve with the delay the engine asked for next. */
    fire(): Promise<number> {
      const item = items[items.length - 1]!;
      expect(item.cancelled).toBe(false);
      return new Promise<number>((resolve) => {
        wake = () => {
          wake = null;
          resolve(items[items.length - 1]!.ms);
        };
        item.fn();
      });
    },
    get lastMs() {
      return items[items.length - 1]?.ms;
    },
  };
}

function engineWith(gateway: () => StripeGateway, scheduler: ReturnType<typeof fakeScheduler>['scheduler']) {
  const healths: SyncHealth[] = [];
  const engine = new SyncEngine({
    db: h.services.db,
    clock: { now: () => h.emulator.now() },
    scheduler,
    logger: quietLogger,
    gateway,
    station: () => 'Test station',
    stripeClock: new StripeClock({ now: () => h.emulator.now() }),
    onApplied: () => undefined,
    onHealth: (x) => healths.push(x),
  });
  return { engine, healths };
}

function gatewayAt(port: number): StripeGateway {
  return createStripeGateway({
    secretKey: 'sk_test_poller',
    mode: 'emulator',
    host: '127.0.0.1',
    port,
    protocol: 'http',
    maxNetworkRetries: 0,
    timeoutMs: 2000,
  });
}

describe('poller backoff', () => {
  it('backs off on 429 (1 s, 2 s, …) and recovers', async () => {
    await payNow();
    const s = fakeScheduler();
    const { engine, healths } = engineWith(() => gatewayAt(h.emulator.port), s.scheduler);
    engine.start();
    expect(s.lastMs).toBe(0);
    await h.fault({ kind: 'status_429', count: 3, path_prefix: '/v1/events' });
    expect(await s.fire()).toBe(1000);
    expect(healths.at(-1)).toMatchObject({ stripeReachable: true, lastError: expect.any(String) });
    expect(await s.fire()).toBe(2000);
    expect(await s.fire()).toBe(4000);
    // The fault is used up: the next poll succeeds, applies the backlog and polls again soon.
    expect(await s.fire()).toBe(500);
    // Every event at the emulator (the demo catalog's and the payment's) is in the ledger once.
    const atStripe = (await h.stripe.events.list({ limit: 100 })).data.length;
    expect(healths.at(-1)).toMatchObject({ stripeReachable: true, lastError: null, eventsApplied: atStripe });
    expect((await h.call('orders:list', {})).total).toBe(1);
    // Idle: every 500 ms for ~10 s of empty polls, then it slows down.
    const delays: number[] = [];
    while (delays.length < 25 && (delays.at(-1) ?? 0) <= 500) delays.push(await s.fire());
    expect(delays.slice(0, 19).every((ms) => ms === 500)).toBe(true);
    expect(delays.at(-1)).toBe(1000);
    // Something happened on the console's behalf: fast again at once.
    engine.poke();
    expect(s.lastMs).toBe(0);
    engine.stop();
  });

  it('reports Stripe unreachable with the error, then recovers', async () => {
    await payNow();
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
    const deadPort = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    let down = true;
    const s = fakeScheduler();
    const { engine, healths } = engineWith(() => gatewayAt(down ? deadPort : h.emulator.port), s.scheduler);
    engine.start();
    expect(await s.fire()).toBe(1000);
    expect(healths.at(-1)).toMatchObject({ stripeReachable: false, lastError: expect.any(String) });
    expect(engine.isReachable).toBe(false);
    expect(await s.fire()).toBe(2000);
    down = false;
    await s.fire();
    expect(healths.at(-1)).toMatchObject({ stripeReachable: true, lastError: null });
    expect((await h.call('orders:list', {})).total).toBe(1);
    engine.stop();
  });

  it('reports Stripe unreachable after three polls answered with server errors, then recovers', async () => {
    await payNow();
    const s = fakeScheduler();
    const { engine, healths } = engineWith(() => gatewayAt(h.emulator.port), s.scheduler);
    engine.start();
    await h.fault({ kind: 'status_500', count: 3, path_prefix: '/v1/events' });
    await s.fire();
    await s.fire();
    expect(healths.at(-1)).toMatchObject({ stripeReachable: true, lastError: expect.any(String) });
    await s.fire();
    expect(healths.at(-1)).toMatchObject({ stripeReachable: false, lastError: expect.any(String) });
    await s.fire(); // the faults are used up
    expect(healths.at(-1)).toMatchObject({ stripeReachable: true, lastError: null });
    engine.stop();
  });

  it('a poll already running (a caller of pollOnce) does not stop the timer', async () => {
    const s = fakeScheduler();
    const { engine } = engineWith(() => gatewayAt(h.emulator.port), s.scheduler);
    engine.start();
    const manual = engine.pollOnce();
    expect(await s.fire()).toBe(500);
    await manual;
    engine.stop();
  });
});

describe('catch-up and restarts', () => {
  it('reports progress page by page on a long backlog', async () => {
    await payNow();
    await h.sync();
    // 40 payments made elsewhere: 120 events, more than one page.
    await Promise.all(
      Array.from({ length: 40 }, () =>
        h.stripe.paymentIntents.create({
          amount: 1000,
          currency: 'usd',
          payment_method: 'pm_card_visa',
          confirm: true,
        }),
      ),
    );
    const mark = h.events.length;
    await h.sync();
    const progress = h.events
      .slice(mark)
      .filter((e) => e.event === 'sync:progressed')
      .map((e) => (e.payload as SyncHealth).catchUp);
    expect(progress).toContainEqual({ fetched: 100, done: false });
    expect(progress).toContainEqual({ fetched: 120, done: true });
    const health = await h.call('sync:status', {});
    expect(health.catchUp).toEqual({ fetched: 120, done: true });
    // Payments not made by the console are recorded in the ledger but make no orders.
    expect((await h.call('orders:list', {})).total).toBe(1);
  });

  it('a restart keeps the cursor: nothing is applied twice', async () => {
    await payNow();
    await h.sync();
    const cursor = (await h.call('sync:status', {})).cursor;
    expect(cursor).toMatch(/^evt_/);
    const n = eventCount();
    await h.restart();
    await h.call('auth:login', { name: 'Morgan Manager', pin: MANAGER_PIN }, 'manager');
    await h.call('auth:login', { name: 'Sam Staff', pin: '1357' }, 'staff');
    expect((await h.call('sync:status', {})).cursor).toBe(cursor);
    expect(await h.sync()).toBe(0);
    expect(eventCount()).toBe(n);
    await payNow();
    expect(await h.sync()).toBe(3);
    expect((await h.call('orders:list', {})).total).toBe(2);
  });
});

describe('webhook receiver', () => {
  const SECRET = 'whsec_test_receiver_secret';
  async function withReceiver(secret: string | null, fn: (port: number) => Promise<void>) {
    const gw = h.services.gateway();
    const r = await startWebhookReceiver({
      port: 0,
      secret: () => secret,
      verify: (raw, sig, sec) => gw.constructWebhookEvent(raw, sig, sec),
      ingest: (event) => void h.services.sync.ingest([event], 'webhook'),
      logger: quietLogger,
    });
    try {
      expect((r.server.address() as AddressInfo).address).toBe('127.0.0.1');
      await fn(r.port);
    } finally {
      await r.close();
    }
  }
  const post = (port: number, body: string, sig: string | null) =>
    fetch(`http://127.0.0.1:${port}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(sig ? { 'stripe-signature': sig } : {}) },
      body,
    });

  it('accepts a valid signature, refuses a bad one, a stale timestamp, a missing header or secret', async () => {
    await payNow();
    const event = (await eventsOf('payment_intent.succeeded'))[0]!;
    const body = JSON.stringify(event, null, 2);
    const sign = (payload: string, timestamp = Math.floor(Date.now() / 1000), secret = SECRET) =>
      Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
    await withReceiver(SECRET, async (port) => {
      expect((await post(port, body, sign(body, undefined, 'whsec_wrong'))).status).toBe(400);
      expect((await post(port, body, sign(body, Math.floor(Date.now() / 1000) - 301))).status).toBe(400);
      expect((await post(port, body, null)).status).toBe(400);
      // Signed over other bytes (re-serialised JSON) is refused: the raw body counts.
      expect((await post(port, body, sign(JSON.stringify(event)))).status).toBe(400);
      expect((await fetch(`http://127.0.0.1:${port}/webhook`)).status).toBe(405);
      expect(eventCount()).toBe(0);
      const ok = await post(port, body, sign(body, Math.floor(Date.now() / 1000) - 200));
      expect(ok.status).toBe(200);
      expect(eventCount()).toBe(1);
      expect((await h.call('orders:list', {})).total).toBe(1);
      // A redelivery is accepted (200) and changes nothing.
      expect((await post(port, body, sign(body))).status).toBe(200);
      expect(eventCount()).toBe(1);
    });
    await withReceiver(null, async (port) => {
      expect((await post(port, body, sign(body))).status).toBe(503);
    });
  });
});
