// Exactly-once application of Stripe events. The event id goes into the ledger in the same transaction as
// the change it makes; a second delivery (poll + webhook, a redelivery, a replayed page) finds the id and
// changes nothing. Projections only move forward (payments/projection.ts).
import { applyShopRecord, isShopRecord, SHOP_RECORD_ID } from '../settings/shop-record';
import { applyStaffRecord, isStaffRecord } from '../auth/staff-shared';
import type Stripe from 'stripe';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/db';
import { STATUS_RANK, applyPaymentIntent } from '../payments/projection';
import {
  applyDispute,
  applyFraudWarning,
  applyRefund,
  conflictAlert,
  type MoneyAlert,
} from './money-signals';
import {
  applyCharge,
  applyCustomer,
  beginPage,
  endPage,
  applyPrice,
  applyProduct,
  noteStripeTime,
  projectOrder,
} from './shop-projection';
import { markConfirmed } from '../stripe/journal';
import { orderIdFor } from '../orders/orders-repo';
import { indexOrderSearch } from '../orders/order-search';
import { appendAudit } from '../audit/audit-log';
import { explainDecline } from '../payments/declines';
import { applySavedCard } from '../payments/saved-cards-projection';

export type Source = 'poll' | 'webhook' | 'backfill';

export interface ApplyResult {
  duplicate: boolean;
  outcome: string;
  orderIds: string[];
  holdIds: string[];
  cartIds: string[];
  productIds: string[];
  /** What managers must be told: a dispute, a fraud warning, a refund that failed. */
  alerts: MoneyAlert[];
  /** PaymentIntents whose order of events was ambiguous: read them back from Stripe. */
  readBack: string[];
}

/** Charge events whose only effect is their snapshot (charge.expired also releases the hold: never skipped). */
const CHARGE_SNAPSHOTS = new Set([
  'charge.succeeded',
  'charge.captured',
  'charge.refunded',
  'charge.updated',
]);

const SKIPPABLE = new Set([
  'payment_intent.created',
  'payment_intent.requires_action',
  'payment_intent.processing',
]);

/**
 * The event types the projections read. The poller asks for every type (GET /v1/events takes at most 20 in
 * `types`, fewer than these): the others are recorded in the ledger as ignored.
 */
export const EVENT_TYPES = [
  'payment_intent.created',
  'payment_intent.requires_action',
  'payment_intent.processing',
  'payment_intent.amount_capturable_updated',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'charge.succeeded',
  'charge.captured',
  'charge.failed',
  'charge.expired',
  'charge.refunded',
  'charge.updated',
  'refund.created',
  'refund.updated',
  'product.created',
  'product.updated',
  'product.deleted',
  'price.created',
  'price.updated',
  'price.deleted',
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'setup_intent.requires_action',
  'setup_intent.succeeded',
  'setup_intent.setup_failed',
  'setup_intent.canceled',
  'payment_method.attached',
  'payment_method.detached',
  'payment_method.updated',
  'charge.dispute.created',
  'charge.dispute.updated',
  'charge.dispute.closed',
  'charge.dispute.funds_withdrawn',
  'charge.dispute.funds_reinstated',
  'radar.early_fraud_warning.created',
  'radar.early_fraud_warning.updated',
  'charge.refund.updated',
  'refund.failed',
] as const;

/** A copy of a JSON object without its null fields, at any depth (arrays are kept as they are). */
function withoutNulls(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in o) {
    const v = (o as Record<string, unknown>)[k];
    if (v === null) continue;
    out[k] = typeof v === 'object' && !Array.isArray(v) ? withoutNulls(v as object) : v;
  }
  return out;
}

/**
 * The event as the ledger keeps it: Stripe's JSON without the null fields of its objects. A PaymentIntent or
 * charge is mostly fields that are null; left out, an event takes ~35% less room (the ledger keeps every event,
 * for the order timeline), and its readers (orders/order-timeline.ts) treat a missing field as null. (A copy
 * without them, then the native JSON.stringify: cheaper than a replacer function called for every value.)
 */
export const ledgerJson = (event: Stripe.Event): string => JSON.stringify(withoutNulls(event));

function objectIdOf(event: Stripe.Event): string | null {
  const o = event.data.object as { id?: string };
  return typeof o.id === 'string' ? o.id : null;
}

/**
 * The same database, with `prepare` memoised per SQL text. The projections (payments/projection.ts,
 * orders-repo.ts, the journal, the audit log) prepare their statements on every call; on the event hot path
 * that parsing dominates, so the applier hands them this view instead. Only for run/get/all: a cached
 * statement must not be iterated by two callers at once.
 */
export function withStatementCache(db: Db): Db {
  const cache = new Map<string, Statement>();
  const prepare = (sql: string): Statement => {
    let st = cache.get(sql);
    if (!st) {
      st = db.prepare(sql);
      cache.set(sql, st);
    }
    return st;
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return prepare;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * Run `fn` (one transaction of event application) without an fsync at its commit (WAL, synchronous=NORMAL):
 * everything it writes — the ledger, the cursor, projections, orders, audit of outside actions — is derived
 * from Stripe's events, and the cursor commits with them, so a commit lost to a power cut is simply read
 * again from Stripe. The connection's own setting (FULL, for the money journal) is restored at once; the
 * next FULL commit syncs the WAL, these frames included. Nested calls leave it to the outermost.
 */
export function withRelaxedSync<T>(db: Db, fn: () => T): T {
  if (db.inTransaction) return fn();
  const st = syncStatements(db);
  const before = st.read.get() as number;
  if (before <= 1) return fn();
  st.normal.run();
  try {
    return fn();
  } finally {
    if (before === 2) st.full.run();
    else db.pragma(`synchronous = ${before}`);
  }
}

/** The pragmas withRelaxedSync runs around every page, prepared once per connection. */
const syncPragmas = new WeakMap<Db, { read: Statement; normal: Statement; full: Statement }>();
function syncStatements(db: Db): { read: Statement; normal: Statement; full: Statement } {
  let st = syncPragmas.get(db);
  if (!st) {
    st = {
      read: db.prepare('PRAGMA synchronous').pluck(),
      normal: db.prepare('PRAGMA synchronous = NORMAL'),
      full: db.prepare('PRAGMA synchronous = FULL'),
    };
    syncPragmas.set(db, st);
  }
  return st;
}

/** The PaymentIntent an event is about (the object itself, or a charge's / refund's payment_intent). */
export function piIdOf(event: Stripe.Event): string | null {
  const o = event.data.object as {
    id?: string;
    object?: string;
    payment_intent?: string | { id: string } | null;
  };
  if (o.object === 'payment_intent') return o.id ?? null;
  const p = o.payment_intent;
  return typeof p === 'string' ? p : (p?.id ?? null);
}

export interface Applier {
  applyOne(e: Stripe.Event, s: Source, raw?: string): ApplyResult;
  applyBatch(events: Stripe.Event[], source: Source): ApplyResult[];
  /**
   * Put the orders applied since the last call into the search index, in one transaction: called at the end of a
   * sync cycle (a poll's pages, a webhook batch, a rebuild). Searches index what is left first, so an order is
   * never missed; this keeps them from paying for it.
   */
  indexSearch(): number;
}

export function makeApplier(rawDb: Db, now: () => number, station: () => string): Applier {
  const db = withStatementCache(rawDb);
  const knownPi = db.prepare('SELECT cart_id FROM payment_intents WHERE id = ?');
  const setDecline = db.prepare('UPDATE carts SET last_decline_json = ? WHERE id = ? AND status = ?');
  const expireHold = db.prepare(
    `UPDATE holds SET status = 'expired', amount_capturable = 0, pending_action = NULL, version = version + 1, updated_at = ? WHERE payment_intent_id = ? AND status = 'authorized'`,
  );
  // The ledger row is written once, with its outcome, after the change it records (same transaction): no
  // second write of a row carrying the whole event.
  const seenEvent = db.prepare('SELECT 1 FROM stripe_events WHERE id = ?').pluck();
  const journaled = db.prepare('SELECT 1 FROM stripe_requests WHERE key = ?').pluck();
  const insertEvent = db.prepare(
    `INSERT INTO stripe_events (id, type, created, object_id, request_id, idempotency_key, source, outcome, received_at, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  /**
   * The page being applied (null outside applyBatch):
   * - orders: the orders its events touched, each projected once after its events (a payment's three or four
   *   events would otherwise build the same order three or four times);
   * - ledger: its ledger rows, written after its orders (with their final outcome, "order created" included),
   *   and the ids they hold (an event twice in one page is applied once);
   * - known: which of its events the ledger already holds, which of its keys the journal holds.
   */
  let page: {
    orders: Map<string, ApplyResult>;
    ledger: { event: Stripe.Event; source: Source; result: ApplyResult; at: number }[];
    ledgerIds: Set<string>;
    known: { events: Set<string>; keys: Set<string> };
  } | null = null;
  const seenOf = db
    .prepare('SELECT id FROM stripe_events WHERE id IN (SELECT value FROM json_each(?))')
    .pluck();
  const journaledOf = db
    .prepare('SELECT key FROM stripe_requests WHERE key IN (SELECT value FROM json_each(?))')
    .pluck();

  function order(piId: string, result: ApplyResult, nowMs: number): void {
    if (page) {
      page.orders.set(piId, result);
      return;
    }
    const o = projectOrder(db, piId, nowMs);
    if (o) {
      result.orderIds.push(o.orderId);
      if (o.created) result.outcome = 'order created';
      const alert = conflictAlert(db, piId);
      if (alert) result.alerts.push(alert);
    }
  }

  function projectDeferred(touched: Map<string, ApplyResult>, nowMs: number): void {
    for (const [piId, result] of touched) {
      const o = projectOrder(db, piId, nowMs);
      if (!o) continue;
      result.orderIds.push(o.orderId);
      const alert = conflictAlert(db, piId);
      if (alert) result.alerts.push(alert);
      if (o.created && result.outcome.startsWith('applied'))
        result.outcome = `order created${result.outcome.slice(7)}`;
    }
  }

  function record(event: Stripe.Event, source: Source, outcome: string, at: number, raw?: string): void {
    insertEvent.run(
      event.id,
      event.type,
      event.created,
      objectIdOf(event),
      event.request?.id ?? null,
      event.request?.idempotency_key ?? null,
      source,
      outcome,
      at,
      raw ?? ledgerJson(event),
    );
  }

  function applyOne(
    event: Stripe.Event,
    source: Source,
    raw?: string,
    superseded = false,
    inBatch = false,
  ): ApplyResult {
    const result: ApplyResult = {
      duplicate: false,
      outcome: 'ignored',
      orderIds: [],
      holdIds: [],
      cartIds: [],
      productIds: [],
      alerts: [],
      readBack: [],
    };
    const nowMs = now();
    if (
      page
        ? page.known.events.has(event.id) || page.ledgerIds.has(event.id)
        : seenEvent.get(event.id) !== undefined
    ) {
      result.duplicate = true;
      result.outcome = 'duplicate';
      return result;
    }
    const key = event.request?.idempotency_key ?? null;
    // One of the console's journaled requests? (Settled by markConfirmed below.)
    const ours = key ? (page ? page.known.keys.has(key) : journaled.get(key) !== undefined) : false;

    if (!inBatch) noteStripeTime(db, event.created);
    if (event.type.startsWith('payment_intent.')) {
      const pi = event.data.object as Stripe.PaymentIntent;
      // A snapshot a later event of this same batch supersedes (see applyBatch) only goes into the ledger.
      const r = superseded
        ? { applied: false, ambiguous: false, status: pi.status, cartId: null }
        : applyPaymentIntent(db, pi, event.created, nowMs, false);
      if (r.ambiguous) result.readBack.push(pi.id);
      if (r.cartId) result.cartIds.push(r.cartId);
      if (pi.capture_method === 'manual') result.holdIds.push(pi.id);
      result.outcome = superseded
        ? 'applied (superseded in the same batch)'
        : r.applied
          ? 'applied'
          : 'stale (newer state kept)';
      // An order exists from the hold on (awaiting stock), and a released or lapsed hold stays one, cancelled.
      if (
        !superseded &&
        (r.status === 'succeeded' || r.status === 'requires_capture' || r.status === 'canceled')
      ) {
        if (event.type === 'payment_intent.succeeded' && !pi.metadata?.cart_id)
          result.outcome = 'ignored (not created by this console)';
        else order(pi.id, result, nowMs);
      }
      if (event.type === 'payment_intent.payment_failed' && r.cartId && pi.last_payment_error) {
        const e = pi.last_payment_error;
        const code = e.code ?? 'card_declined';
        setDecline.run(
          JSON.stringify({
            code,
            declineCode: e.decline_code ?? null,
            explanation: explainDecline(code, e.decline_code ?? null),
            at: event.created * 1000,
          }),
          r.cartId,
          'open',
        );
      }
    } else if (event.type.startsWith('charge.dispute.')) {
      const alert = applyDispute(db, event.data.object as Stripe.Dispute, event.created);
      result.outcome = 'applied';
      const piId =
        (db
          .prepare('SELECT payment_intent_id FROM disputes WHERE id = ?')
          .pluck()
          .get((event.data.object as Stripe.Dispute).id) as string | null) ?? null;
      if (alert) result.alerts.push(alert);
      if (piId) result.orderIds.push(orderIdFor(piId));
    } else if (event.type.startsWith('radar.early_fraud_warning.')) {
      const w = event.data.object as Stripe.Radar.EarlyFraudWarning;
      const alert = applyFraudWarning(db, w, event.created);
      result.outcome = 'applied';
      if (alert) result.alerts.push(alert);
      const piId = db
        .prepare('SELECT payment_intent_id FROM fraud_warnings WHERE id = ?')
        .pluck()
        .get(w.id) as string | null;
      if (piId) result.orderIds.push(orderIdFor(piId));
    } else if (event.type.startsWith('refund.') || event.type.startsWith('charge.refund.')) {
      const rf = event.data.object as Stripe.Refund;
      const alert = applyRefund(db, rf, event.created, key);
      result.outcome = 'applied';
      const piId =
        typeof rf.payment_intent === 'string' ? rf.payment_intent : (rf.payment_intent?.id ?? null);
      if (alert) {
        result.alerts.push(alert);
        // The charge's refunded amount went back down: ask Stripe for the charge as it is now.
        result.readBack.push(alert.paymentIntentId);
      }
      if (piId) result.orderIds.push(orderIdFor(piId));
    } else if (event.type.startsWith('charge.') && superseded) {
      // A later snapshot of this same charge in the batch says all this one does (and more).
      result.outcome = 'applied (superseded in the same batch)';
    } else if (event.type.startsWith('charge.')) {
      const ch = event.data.object as Stripe.Charge;
      const c = applyCharge(db, ch, event.created, nowMs, false);
      result.outcome = 'applied';
      const piId = c.paymentIntentId;
      if (piId) {
        if (c.ambiguous) result.readBack.push(piId);
        if (!ch.captured && ch.payment_method_details?.card?.capture_before) result.holdIds.push(piId);
        if (event.type === 'charge.expired') {
          const changed = expireHold.run(nowMs, piId);
          if (changed.changes) result.holdIds.push(piId);
        }
        order(piId, result, nowMs);
      }
    } else if (event.type.startsWith('product.') && isStaffRecord(event.data.object as Stripe.Product)) {
      // The shop's staff (auth/staff-shared.ts): every station's accounts follow.
      const changed = applyStaffRecord(db, event.data.object as Stripe.Product, false, nowMs);
      result.outcome = changed ? 'applied' : 'stale (newer state kept)';
    } else if (event.type.startsWith('product.') && isShopRecord(event.data.object as Stripe.Product)) {
      // The shop's settings (settings/shop-record.ts): every station projects them from here.
      const changed = applyShopRecord(db, event.data.object as Stripe.Product, false);
      result.outcome = changed ? 'applied' : 'stale (newer state kept)';
      if (changed) result.productIds.push(SHOP_RECORD_ID);
    } else if (event.type.startsWith('product.')) {
      const changed = applyProduct(db, event.data.object as Stripe.Product, nowMs, false);
      result.outcome = changed ? 'applied' : 'stale (newer state kept)';
      if (changed) result.productIds.push((event.data.object as Stripe.Product).id);
    } else if (event.type.startsWith('price.')) {
      applyPrice(db, event.data.object as Stripe.Price, nowMs);
      result.outcome = 'applied';
      const p = event.data.object as Stripe.Price;
      result.productIds.push(typeof p.product === 'string' ? p.product : p.product.id);
    } else if (
      event.type.startsWith('customer.') &&
      (event.data.object as { object?: string }).object === 'customer'
    ) {
      const changed = applyCustomer(db, event.data.object as Stripe.Customer, event.created, nowMs, false);
      result.outcome = changed ? 'applied' : 'stale (newer state kept)';
    } else if (event.type.startsWith('setup_intent.') || event.type.startsWith('payment_method.')) {
      // Saved cards: a SetupIntent that saved an order's card, a card attached or removed; the orders follow.
      const r = applySavedCard(
        db,
        event.data.object as Stripe.SetupIntent | Stripe.PaymentMethod,
        event.created,
        nowMs,
        false,
        event.type,
      );
      if (r) {
        result.outcome = 'applied';
        result.cartIds.push(...r.cartIds);
        for (const piId of r.paymentIntentIds) order(piId, result, nowMs);
      }
    }

    // Something done outside the console (Stripe's Dashboard, another integration): recognised and recorded.
    // It came from an API request (request.id set; Stripe-initiated changes such as expiry have none) that
    // is not one of ours (not journaled, not an mc_ key) — Dashboard requests often carry no key at all.
    const requestId = event.request?.id ?? null;
    const outside = requestId !== null && !ours && !(key?.startsWith('mc_') ?? false);
    const subjectPi = outside ? piIdOf(event) : null;
    if (
      subjectPi &&
      /captured|succeeded|canceled|refunded/.test(event.type) &&
      (knownPi.get(subjectPi) as { cart_id: string | null } | undefined)?.cart_id
    ) {
      appendAudit(db, {
        at: nowMs,
        actor: 'Stripe (outside the console)',
        station: station(),
        action: `external.${event.type}`,
        subject: subjectPi,
        idempotencyKey: key,
        stripeRequestId: requestId,
        after: { eventId: event.id },
      });
      result.outcome += ' (outside the console)';
    } else if (ours) {
      result.outcome += ' (confirms a console action)';
    }
    if (page) {
      page.ledger.push({ event, source, result, at: nowMs });
      page.ledgerIds.add(event.id);
    } else record(event, source, result.outcome, nowMs, raw);
    // "Confirmed by Stripe": settles the journal entry.
    if (ours && key) markConfirmed(db, key, event.id, objectIdOf(event), event.type);
    return result;
  }

  /**
   * Within one batch (oldest first), a bare progress snapshot (created / requires_action / processing)
   * followed by a later snapshot of the same PaymentIntent that is no older and ranks no lower changes
   * nothing the later one doesn't: it is recorded in the ledger without running the projection. Holds
   * (requires_capture) and declines are never skipped: they have effects of their own.
   */
  function supersededIn(events: Stripe.Event[]): Set<number> {
    const out = new Set<number>();
    const latest = new Map<string, { i: number; created: number; rank: number }>();
    const latestCharge = new Map<string, number>();
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (CHARGE_SNAPSHOTS.has(e.type)) {
        // A charge snapshot is the whole charge: a later one of the same charge (no older) supersedes it.
        const id = (e.data.object as Stripe.Charge).id;
        const later = latestCharge.get(id);
        if (later !== undefined && later >= e.created) out.add(i);
        else latestCharge.set(id, e.created);
        continue;
      }
      if (!e.type.startsWith('payment_intent.')) continue;
      const pi = e.data.object as Stripe.PaymentIntent;
      const rank = STATUS_RANK[pi.status] ?? 0;
      const later = latest.get(pi.id);
      if (
        later &&
        SKIPPABLE.has(e.type) &&
        later.created >= e.created &&
        later.rank >= rank &&
        (later.rank > rank || later.created > e.created)
      )
        out.add(i);
      if (!later || (later.created <= e.created && later.rank <= rank))
        latest.set(pi.id, { i, created: e.created, rank });
    }
    return out;
  }

  /** Apply a batch (oldest first) in one transaction. */
  const batch = db.transaction((events: Stripe.Event[], source: Source): ApplyResult[] => {
    const skip = events.length > 1 ? supersededIn(events) : null;
    // Stripe's newest time, once per batch (the ledger and the projections compare only Stripe's times).
    let newest = 0;
    for (const e of events) if (e.created > newest) newest = e.created;
    if (newest) noteStripeTime(db, newest);
    let written = false;
    try {
      // Two lookups for the page rather than two an event.
      const keys = events.flatMap((e) => (e.request?.idempotency_key ? [e.request.idempotency_key] : []));
      page = {
        orders: new Map(),
        ledger: [],
        ledgerIds: new Set(),
        known: {
          events: new Set(seenOf.all(JSON.stringify(events.map((e) => e.id))) as string[]),
          keys: new Set(keys.length ? (journaledOf.all(JSON.stringify(keys)) as string[]) : []),
        },
      };
      beginPage(
        db,
        events.flatMap((e) => {
          const cartId = (e.data.object as { metadata?: Record<string, string> | null }).metadata?.cart_id;
          return e.type.startsWith('payment_intent.') && cartId ? [cartId] : [];
        }),
      );
      const results = events.map((e, i) => applyOne(e, source, undefined, skip?.has(i) ?? false, true));
      const { orders, ledger } = page;
      page = null; // from here on, projection writes at once
      projectDeferred(orders, now());
      written = true;
      endPage(db, true);
      for (const l of ledger) record(l.event, l.source, l.result.outcome, l.at);
      return results;
    } finally {
      if (!written) endPage(db, false);
      page = null;
    }
  });

  return {
    applyOne: (e, s, raw) => withRelaxedSync(rawDb, () => db.transaction(() => applyOne(e, s, raw))()),
    applyBatch: (events, source) => withRelaxedSync(rawDb, () => batch(events, source)),
    indexSearch: () => withRelaxedSync(rawDb, () => rawDb.transaction(() => indexOrderSearch(db))()),
  };
}
