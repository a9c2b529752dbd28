// Exactly-once application of Stripe events. The event id goes into the ledger in the same transaction as
// the change it makes; a second delivery (poll + webhook, a redelivery, a replayed page) finds the id and
// changes nothing. Projections only move forward (payments/projection.ts).
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import { applyChargeDeadline, applyPaymentIntent } from '../payments/projection';
import { createOrderFromPaymentIntent, orderIdFor, setRefunded } from '../orders/orders-repo';
import { markConfirmed } from '../stripe/journal';
import { appendAudit } from '../audit/audit-log';
import { explainDecline } from '../payments/declines';

export type Source = 'poll' | 'webhook' | 'backfill';

export interface ApplyResult {
  duplicate: boolean;
  outcome: string;
  orderIds: string[];
  holdIds: string[];
  cartIds: string[];
  /** PaymentIntents whose order of events was ambiguous: read them back from Stripe. */
  readBack: string[];
}

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
  'refund.created',
  'refund.updated',
] as const;

function objectIdOf(event: Stripe.Event): string | null {
  const o = event.data.object as { id?: string };
  return typeof o.id === 'string' ? o.id : null;
}

export interface Applier {
  applyOne(e: Stripe.Event, s: Source, raw?: string): ApplyResult;
  applyBatch(events: Stripe.Event[], source: Source): ApplyResult[];
}

export function makeApplier(db: Db, now: () => number, station: () => string): Applier {
  const insertEvent = db.prepare(
    `INSERT INTO stripe_events (id, type, created, object_id, request_id, idempotency_key, source, outcome, received_at, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'received', ?, ?) ON CONFLICT (id) DO NOTHING`,
  );
  const setOutcome = db.prepare('UPDATE stripe_events SET outcome = ? WHERE id = ?');

  function applyOne(event: Stripe.Event, source: Source, raw?: string): ApplyResult {
    const result: ApplyResult = {
      duplicate: false,
      outcome: 'ignored',
      orderIds: [],
      holdIds: [],
      cartIds: [],
      readBack: [],
    };
    const nowMs = now();
    const info = insertEvent.run(
      event.id,
      event.type,
      event.created,
      objectIdOf(event),
      event.request?.id ?? null,
      event.request?.idempotency_key ?? null,
      source,
      nowMs,
      raw ?? JSON.stringify(event),
    );
    if (info.changes === 0) {
      result.duplicate = true;
      result.outcome = 'duplicate';
      return result;
    }
    const key = event.request?.idempotency_key ?? null;
    const ours = key ? markConfirmed(db, key, event.id, objectIdOf(event)) : false;

    if (event.type.startsWith('payment_intent.')) {
      const pi = event.data.object as Stripe.PaymentIntent;
      const r = applyPaymentIntent(db, pi, event.created, nowMs, false);
      if (r.ambiguous) result.readBack.push(pi.id);
      if (r.cartId) result.cartIds.push(r.cartId);
      if (pi.capture_method === 'manual') result.holdIds.push(pi.id);
      result.outcome = r.applied ? 'applied' : 'stale (newer state kept)';
      if (event.type === 'payment_intent.succeeded') {
        const orderId = createOrderFromPaymentIntent(db, pi, event.created * 1000, nowMs);
        if (orderId) {
          result.orderIds.push(orderId);
          result.outcome = 'order created';
        } else if (!pi.metadata?.cart_id) {
          result.outcome = 'ignored (not created by this console)';
        } else {
          result.orderIds.push(orderIdFor(pi.id));
        }
      }
      if (event.type === 'payment_intent.payment_failed' && r.cartId && pi.last_payment_error) {
        const e = pi.last_payment_error;
        const code = e.code ?? 'card_declined';
        db.prepare('UPDATE carts SET last_decline_json = ? WHERE id = ? AND status = ?').run(
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
    } else if (event.type.startsWith('charge.')) {
      const ch = event.data.object as Stripe.Charge;
      const piId =
        typeof ch.payment_intent === 'string' ? ch.payment_intent : (ch.payment_intent?.id ?? null);
      result.outcome = 'applied';
      if (piId) {
        const deadline = ch.payment_method_details?.card?.capture_before;
        if (deadline && !ch.captured) {
          applyChargeDeadline(db, piId, deadline, nowMs);
          result.holdIds.push(piId);
        }
        if (event.type === 'charge.expired') {
          const changed = db
            .prepare(
              `UPDATE holds SET status = 'expired', amount_capturable = 0, pending_action = NULL, version = version + 1, updated_at = ? WHERE payment_intent_id = ? AND status = 'authorized'`,
            )
            .run(nowMs, piId);
          if (changed.changes) result.holdIds.push(piId);
        }
        if (event.type === 'charge.refunded' || (ch.amount_refunded ?? 0) > 0) {
          const orderId = setRefunded(db, piId, ch.amount_refunded, nowMs);
          if (orderId) result.orderIds.push(orderId);
        }
      }
    } else if (event.type.startsWith('refund.')) {
      const rf = event.data.object as Stripe.Refund;
      const piId =
        typeof rf.payment_intent === 'string' ? rf.payment_intent : (rf.payment_intent?.id ?? null);
      if (piId) {
        db.prepare(
          `INSERT INTO refunds (id, payment_intent_id, amount, status, reason, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET status = excluded.status`,
        ).run(rf.id, piId, rf.amount, rf.status ?? 'succeeded', rf.reason ?? null, key, rf.created * 1000);
        result.outcome = 'applied';
      }
    }

    // Something done outside the console (Stripe's Dashboard, another integration): recognised and recorded.
    const outside = key !== null && !ours && !key.startsWith('mc_');
    const objectId = objectIdOf(event);
    if (
      outside &&
      objectId &&
      result.outcome !== 'ignored (not created by this console)' &&
      /captured|succeeded|canceled|refunded/.test(event.type)
    ) {
      appendAudit(db, {
        at: nowMs,
        actor: 'Stripe (outside the console)',
        station: station(),
        action: `external.${event.type}`,
        subject: objectId.startsWith('ch_')
          ? (((event.data.object as Stripe.Charge).payment_intent as string) ?? objectId)
          : objectId,
        idempotencyKey: key,
        stripeRequestId: event.request?.id ?? null,
        after: { eventId: event.id },
      });
      result.outcome += ' (outside the console)';
    } else if (ours) {
      result.outcome += ' (confirms a console action)';
    }
    setOutcome.run(result.outcome, event.id);
    return result;
  }

  /** Apply a batch (oldest first) in one transaction. */
  const batch = db.transaction((events: Stripe.Event[], source: Source): ApplyResult[] =>
    events.map((e) => applyOne(e, source)),
  );

  return {
    applyOne: (e, s, raw) => db.transaction(() => applyOne(e, s, raw))(),
    applyBatch: (events, source) => batch(events, source),
  };
}
