// Exactly-once event application: duplicates, redeliveries, out-of-order and same-second snapshots, and a
// poll + webhook double delivery — the real core against the in-process emulator.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import {
  MANAGER_PIN,
  quietLogger,
  readyCart,
  startHarness,
  tableCounts,
  type Harness,
} from '../../../helpers/core-harness';
import { startWebhookReceiver } from '../../../../electron/core/sync/webhook-receiver';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const TEA = { sku: 'TEA-1', unitAmount: 1250, stock: 50, quantity: 2 };
const KETTLE_OUT = { sku: 'KETTLE-0', unitAmount: 8900, stock: 0, quantity: 1 };

/** Every event at the emulator, oldest first (as the engine applies them). */
/** The payment events at the emulator, oldest first (the demo catalog's product and price events left out). */
async function allEvents(): Promise<Stripe.Event[]> {
  const out: Stripe.Event[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await h.stripe.events.list({ limit: 100, ...(after ? { starting_after: after } : {}) });
    out.push(...page.data);
    if (!page.has_more) break;
    after = page.data[page.data.length - 1]!.id;
  }
  return out.reverse().filter((e) => !/^(product|price)\./.test(e.type));
}

async function payNow(lines = [TEA]): Promise<string> {
  const cart = await readyCart(h, lines);
  const paid = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
  return paid.paymentIntentId!;
}

function piRow(id: string) {
  return h.services.db.prepare('SELECT * FROM payment_intents WHERE id = ?').get(id) as
    | { status: string; amount_received: number; amount_capturable: number; needs_read_back: number }
    | undefined;
}

function eventRows() {
  return h.services.db.prepare('SELECT id, source, outcome FROM stripe_events').all() as {
    id: string;
    source: string;
    outcome: string;
  }[];
}

describe('duplicates and redeliveries', () => {
  it('applies the same Stripe.Event twice through ingest: the second changes nothing', async () => {
    const piId = await payNow();
    const events = await allEvents();
    const succeeded = events.find((e) => e.type === 'payment_intent.succeeded')!;
    expect(succeeded).toBeDefined();

    const first = h.services.sync.ingest(events, 'poll');
    expect(first.every((r) => !r.duplicate)).toBe(true);
    // The order was made when Stripe answered the payment (the same projection code): the events confirm it.
    expect(first.filter((r) => r.outcome.includes('confirms a console action')).length).toBeGreaterThan(0);
    expect((await h.call('orders:list', {})).total).toBe(1);
    const before = tableCounts(h.services);
    const audit = await h.call('audit:list', { limit: 500 });

    // A redelivery of one event, then the whole page again.
    const again = h.services.sync.ingest([succeeded], 'webhook');
    expect(again).toEqual([expect.objectContaining({ duplicate: true, outcome: 'duplicate' })]);
    const replay = h.services.sync.ingest(events, 'poll');
    expect(replay.every((r) => r.duplicate)).toBe(true);

    expect(tableCounts(h.services)).toEqual(before);
    expect(await h.call('audit:list', { limit: 500 })).toEqual(audit);
    const orders = await h.call('orders:list', {});
    expect(orders.total).toBe(1);
    expect(orders.rows[0]).toMatchObject({ paymentIntentId: piId, amountCaptured: 2500, status: 'received' });
    // The ledger keeps the first delivery's source.
    expect(eventRows().find((r) => r.id === succeeded.id)!.source).toBe('poll');
  });

  it('feeds a real page twice (the poller re-reading after a crash): each event id applied once', async () => {
    await payNow();
    await payNow();
    const page = await h.services.gateway().listEvents({ limit: 100 });
    const oldestFirst = [...page.data].reverse();
    h.services.sync.ingest(oldestFirst, 'poll');
    const counts = tableCounts(h.services);
    h.services.sync.ingest(oldestFirst, 'poll');
    expect(tableCounts(h.services)).toEqual(counts);
    // The poller itself then reads the same events: nothing new.
    await h.sync();
    expect(tableCounts(h.services).orders).toBe(2);
    expect(tableCounts(h.services).stripe_events).toBe(counts.stripe_events);
    const ids = eventRows().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('the ledger', () => {
  it('an event twice in one page is applied once, and its row says what it did (order created)', async () => {
    const piId = await payNow();
    const events = await allEvents();
    const succeeded = events.find((e) => e.type === 'payment_intent.succeeded')!;
    // A fresh station reads the page: the same event twice in it (a page re-sent by a proxy, a buggy relay).
    const fresh = await startHarness({ emulator: h.emulator, station: 'Packing desk' });
    try {
      const results = fresh.services.sync.ingest([...events, succeeded], 'poll');
      expect(results.at(-1)).toMatchObject({ duplicate: true, outcome: 'duplicate' });
      const rows = fresh.services.db
        .prepare('SELECT id, outcome FROM stripe_events WHERE id = ?')
        .all(succeeded.id) as { id: string; outcome: string }[];
      expect(rows).toHaveLength(1);
      // The order was made from this page: the event that made it says so (written once, after the page's
      // orders were projected).
      const made = fresh.services.db
        .prepare(`SELECT count(*) FROM stripe_events WHERE outcome LIKE 'order created%'`)
        .pluck()
        .get();
      expect(made).toBe(1);
      expect((await fresh.call('orders:list', {})).rows.map((r) => r.paymentIntentId)).toEqual([piId]);
    } finally {
      await fresh.close();
    }
  });

  it("a page of another station's orders: its station noted once with the highest number, no cart of ours touched", async () => {
    await payNow();
    await payNow();
    const events = await allEvents();
    const fresh = await startHarness({ emulator: h.emulator, station: 'Packing desk' });
    try {
      const station = () =>
        fresh.services.db.prepare('SELECT code, name, max_number FROM stations').all() as {
          code: string;
          name: string;
          max_number: number;
        }[];
      const numbers = (await h.call('orders:list', {})).rows.map((r) => Number(r.number.replace(/\D/g, '')));
      // The newest payment's events first, then the older one's: the highest number still wins.
      const newestPi = events.filter((e) => e.type === 'payment_intent.succeeded').at(-1)!;
      const newest = (newestPi.data.object as Stripe.PaymentIntent).id;
      const ofNewest = (e: Stripe.Event) => JSON.stringify(e.data.object).includes(newest);
      fresh.services.sync.ingest([...events.filter(ofNewest), ...events.filter((e) => !ofNewest(e))], 'poll');
      expect(station()).toEqual([
        { code: expect.any(String), name: 'Test station', max_number: Math.max(...numbers) },
      ]);
      expect((await fresh.call('orders:list', {})).total).toBe(2);
      // The packing desk has no carts: the page named two that aren't here, and nothing was made of them.
      expect(fresh.services.db.prepare('SELECT count(*) FROM carts').pluck().get()).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('keeps each event without its null fields: the same information, read back the same', async () => {
    await payNow();
    await h.sync();
    const events = await allEvents();
    const stored = new Map(
      (
        h.services.db.prepare('SELECT id, payload FROM stripe_events').all() as {
          id: string;
          payload: string;
        }[]
      ).map((r) => [r.id, r.payload]),
    );
    // Objects lose their null fields at any depth; arrays are kept as they are.
    const withoutNulls = (v: unknown): unknown =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => x !== null)
              .map(([k, x]) => [k, withoutNulls(x)]),
          )
        : v;
    let compared = 0;
    for (const e of events) {
      const payload = stored.get(e.id);
      if (!payload) continue;
      compared++;
      expect(payload).not.toMatch(/"[a-z_]+":null[,}]/);
      expect(JSON.parse(payload)).toEqual(withoutNulls(JSON.parse(JSON.stringify(e))));
      expect(payload.length).toBeLessThan(JSON.stringify(e).length);
    }
    expect(compared).toBeGreaterThanOrEqual(3);
  });
});

describe('out-of-order and same-second events', () => {
  it('an older requires_payment_method snapshot after payment_intent.succeeded leaves it succeeded', async () => {
    const piId = await payNow();
    const events = await allEvents();
    const created = events.find((e) => e.type === 'payment_intent.created')!;
    const succeeded = events.find((e) => e.type === 'payment_intent.succeeded')!;
    expect((created.data.object as Stripe.PaymentIntent).status).toBe('requires_payment_method');

    h.services.sync.ingest([succeeded], 'webhook');
    // Same second, and then a snapshot from a second earlier: both arrive late.
    const late = h.services.sync.ingest([created], 'poll');
    expect(late[0]!.outcome).toMatch(/stale/);
    const older = {
      ...created,
      id: 'evt_synthetic_older',
      created: created.created - 5,
    } as Stripe.Event;
    h.services.sync.ingest([older], 'poll');
    await h.services.sync.settled();

    expect(piRow(piId)).toMatchObject({ status: 'succeeded', amount_received: 2500 });
    const cart = h.services.db.prepare('SELECT status FROM carts WHERE payment_intent_id = ?').get(piId) as {
      status: string;
    };
    expect(cart.status).toBe('paid');
    expect((await h.call('orders:list', {})).total).toBe(1);
  });

  it('a late hold snapshot never rolls back a capture (amounts only move forward)', async () => {
    const cart = await readyCart(h, [KETTLE_OUT]);
    const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    const piId = held.paymentIntentId!;
    await h.sync();
    const [hold] = await h.call('holds:list', { include: 'open' });
    await h.call('holds:capture', {
      paymentIntentId: piId,
      amount: 8900,
      version: hold!.version,
      pin: MANAGER_PIN,
    });
    await h.sync();
    const capturable = (await allEvents()).find(
      (e) => e.type === 'payment_intent.amount_capturable_updated',
    )!;
    h.services.sync.ingest([{ ...capturable, id: 'evt_redelivered_copy' } as Stripe.Event], 'webhook');
    await h.services.sync.settled();
    expect(piRow(piId)).toMatchObject({ status: 'succeeded', amount_received: 8900, amount_capturable: 0 });
    const all = await h.call('holds:list', { include: 'all' });
    expect(all[0]).toMatchObject({ status: 'captured', amountCaptured: 8900, amountCapturable: 0 });
  });

  it('same-second conflicting snapshots are read back from Stripe and end in its true state', async () => {
    const cart = await readyCart(h, [KETTLE_OUT]);
    const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    const piId = held.paymentIntentId!;
    const created = (await allEvents()).find(
      (e) => e.type === 'payment_intent.created' && (e.data.object as Stripe.PaymentIntent).id === piId,
    )!;
    const snap = created.data.object as Stripe.PaymentIntent;
    // Two snapshots with the same `created`: requires_action and requires_payment_method. Neither is true:
    // Stripe holds the authorization (requires_capture).
    const a = {
      ...created,
      id: 'evt_same_second_a',
      type: 'payment_intent.requires_action',
      data: { object: { ...snap, status: 'requires_action' } },
    } as Stripe.Event;
    const b = { ...created, id: 'evt_same_second_b' } as Stripe.Event;
    h.services.db.prepare('DELETE FROM payment_intents WHERE id = ?').run(piId);
    h.services.db.prepare('DELETE FROM holds WHERE payment_intent_id = ?').run(piId);

    const r = h.services.sync.ingest([a, b], 'webhook');
    expect(r[1]!.readBack).toEqual([piId]);
    await h.services.sync.settled();

    expect(piRow(piId)).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 8900,
      needs_read_back: 0,
    });
    const holds = await h.call('holds:list', { include: 'open' });
    expect(holds.map((x) => x.paymentIntentId)).toEqual([piId]);
  });
});

describe('poll + webhook double delivery', () => {
  it('events delivered by the webhook and then polled are applied once; one order', async () => {
    const endpointSecret = { value: null as string | null };
    const gw = h.services.gateway();
    const receiver = await startWebhookReceiver({
      port: 0,
      secret: () => endpointSecret.value,
      verify: (raw, sig, secret) => gw.constructWebhookEvent(raw, sig, secret),
      ingest: (event) => void h.services.sync.ingest([event], 'webhook'),
      logger: quietLogger,
    });
    try {
      // The product it sells, the station's code (claimed in Stripe), and everything before it, is already read:
      // what follows is the payment.
      await h.call('settings:update', { stationCode: 'A' });
      await readyCart(h, [TEA]);
      await h.sync();
      const known = new Set(eventRows().map((r) => r.id));
      const we = await h.stripe.webhookEndpoints.create({
        url: `http://127.0.0.1:${receiver.port}/webhook`,
        enabled_events: ['*'],
      });
      expect(we.secret).toMatch(/^whsec_/);
      endpointSecret.value = we.secret!;

      const piId = await payNow();
      const expected = (await allEvents()).map((e) => e.id).filter((id) => !known.has(id));
      // Bounded wait for the emulator's webhook deliveries.
      const deadline = Date.now() + 5000;
      for (;;) {
        const delivered = eventRows().filter((r) => r.source === 'webhook').length;
        if (delivered >= expected.length || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(
        eventRows()
          .filter((r) => r.source === 'webhook')
          .map((r) => r.id)
          .sort(),
      ).toEqual([...expected].sort());
      expect((await h.call('orders:list', {})).rows.map((o) => o.paymentIntentId)).toEqual([piId]);

      const { sync_state: _s0, ...before } = tableCounts(h.services);
      await h.sync();
      const { sync_state: _s1, ...after } = tableCounts(h.services);
      expect(after).toEqual(before);
      const rows = eventRows().filter((r) => !known.has(r.id));
      expect(rows.map((r) => r.id).sort()).toEqual([...expected].sort());
      expect(rows.every((r) => r.source === 'webhook')).toBe(true);
      expect((await h.call('orders:list', {})).total).toBe(1);
      const health = await h.call('sync:status', {});
      expect(health.cursor).toBe(expected[expected.length - 1]);
    } finally {
      await receiver.close();
    }
  });
});

describe('failures and releases from events', () => {
  it('payment_intent.payment_failed records the decline on the cart, once', async () => {
    const cart = await readyCart(h, [TEA]);
    const declined = await h.call(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_visa_chargeDeclinedInsufficientFunds' },
      'staff',
    );
    const piId = declined.paymentIntentId!;
    // As if the console had not seen the answer (the staff member moved on): only the event tells.
    h.services.db.prepare('UPDATE carts SET last_decline_json = NULL WHERE id = ?').run(cart.id);
    const failed = (await allEvents()).filter((e) => e.type === 'payment_intent.payment_failed');
    expect(failed).toHaveLength(1);
    h.services.sync.ingest(failed, 'poll');
    const row = h.services.db
      .prepare('SELECT last_decline_json, status FROM carts WHERE id = ?')
      .get(cart.id) as {
      last_decline_json: string | null;
      status: string;
    };
    expect(row.status).toBe('open');
    expect(JSON.parse(row.last_decline_json!)).toMatchObject({
      code: 'card_declined',
      declineCode: 'insufficient_funds',
    });
    expect(piRow(piId)!.status).toBe('requires_payment_method');
    expect(h.services.sync.ingest(failed, 'webhook')[0]!.duplicate).toBe(true);
    expect((await h.call('orders:list', {})).total).toBe(0);
  });

  it('a hold released in the Dashboard (payment_intent.canceled) reads released, not expired', async () => {
    const cart = await readyCart(h, [KETTLE_OUT]);
    const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    await h.sync();
    await h.stripe.paymentIntents.cancel(held.paymentIntentId!, {
      cancellation_reason: 'requested_by_customer',
    });
    await h.sync();
    const [hold] = await h.call('holds:list', { include: 'all' });
    expect(hold).toMatchObject({ status: 'released', amountCapturable: 0 });
    const audit = await h.call('audit:list', { limit: 100 });
    expect(
      audit.some(
        (a) => a.actor === 'Stripe (outside the console)' && a.action === 'external.payment_intent.canceled',
      ),
    ).toBe(true);
  });
});
