// What Stripe says about the money after a payment, projected onto the order: disputes (a chargeback, or an
// inquiry before one), early fraud warnings (the issuer's hint that a dispute may follow), and refunds that
// fail after they were accepted (the customer was not refunded). Each is kept as Stripe's object says, ordered
// by Stripe's own times, and raises one alert for managers when it first appears or changes in a way they must
// act on.
import { decodeRefundLine } from '../orders/refund-line';
import { readRefundTax } from '../orders/pricing-metadata';
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import { formatMoney } from '../../ipc/money';

export interface MoneyAlert {
  kind: 'dispute_opened' | 'dispute_closed' | 'fraud_warning' | 'refund_failed' | 'order_conflict';
  paymentIntentId: string;
  title: string;
  body: string;
}

const idOf = (x: string | { id: string } | null | undefined): string | null =>
  typeof x === 'string' ? x : (x?.id ?? null);

/** Dispute statuses that mean "the money is contested, don't ship". */
export const OPEN_DISPUTE = new Set([
  'warning_needs_response',
  'warning_under_review',
  'needs_response',
  'under_review',
  'lost',
]);

export const DISPUTE_REASONS: Record<string, string> = {
  fraudulent: 'the cardholder says they did not make this payment',
  product_not_received: 'the customer says the goods never arrived',
  product_unacceptable: 'the customer says the goods were defective or not as described',
  duplicate: 'the customer says they were charged twice',
  subscription_canceled: 'the customer says they had canceled',
  unrecognized: 'the cardholder does not recognise the payment',
  credit_not_processed: 'the customer says a promised refund was never made',
  general: 'a general dispute',
};

export function explainDisputeReason(reason: string): string {
  return DISPUTE_REASONS[reason] ?? reason.replace(/_/g, ' ');
}

function piOfCharge(db: Db, chargeId: string | null): string | null {
  if (!chargeId) return null;
  return (
    (db.prepare('SELECT payment_intent_id FROM charges WHERE id = ?').pluck().get(chargeId) as
      string | null | undefined) ??
    (db.prepare('SELECT id FROM payment_intents WHERE latest_charge = ?').pluck().get(chargeId) as
      string | undefined) ??
    null
  );
}

/** Minor units as staff read them ("$14.90", "¥3,000"), for alert texts. */
const money = (amount: number, currency: string): string => formatMoney(amount, currency);

export function applyDispute(db: Db, d: Stripe.Dispute, at: number): MoneyAlert | null {
  const chargeId = idOf(d.charge as string | { id: string });
  const piId = idOf(d.payment_intent as string | { id: string } | null) ?? piOfCharge(db, chargeId);
  const before = db.prepare('SELECT status, snapshot_at FROM disputes WHERE id = ?').get(d.id) as
    { status: string; snapshot_at: number } | undefined;
  if (before && at < before.snapshot_at) return null; // an older snapshot
  db.prepare(
    `INSERT INTO disputes (id, charge_id, payment_intent_id, amount, currency, reason, status, due_by, created, snapshot_at)
     VALUES (@id, @charge, @pi, @amount, @currency, @reason, @status, @due, @created, @at)
     ON CONFLICT (id) DO UPDATE SET payment_intent_id = coalesce(payment_intent_id, excluded.payment_intent_id),
       amount = excluded.amount, reason = excluded.reason, status = excluded.status, due_by = excluded.due_by,
       snapshot_at = excluded.snapshot_at`,
  ).run({
    id: d.id,
    charge: chargeId,
    pi: piId,
    amount: d.amount,
    currency: d.currency,
    reason: d.reason,
    status: d.status,
    due: d.evidence_details?.due_by ?? null,
    created: d.created,
    at,
  });
  if (!piId) return null;
  const inquiry = d.status.startsWith('warning_');
  if (!before)
    return {
      kind: 'dispute_opened',
      paymentIntentId: piId,
      title: inquiry ? 'Payment questioned by the bank' : 'Payment disputed — don’t ship',
      body: `${money(d.amount, d.currency)}: ${explainDisputeReason(d.reason)}.${
        d.evidence_details?.due_by
          ? ` Respond by ${new Date(d.evidence_details.due_by * 1000).toUTCString().slice(0, 16)}.`
          : ''
      }`,
    };
  if (before.status !== d.status && ['won', 'lost', 'warning_closed'].includes(d.status))
    return {
      kind: 'dispute_closed',
      paymentIntentId: piId,
      title: d.status === 'won' ? 'Dispute won' : d.status === 'lost' ? 'Dispute lost' : 'Inquiry closed',
      body:
        d.status === 'won'
          ? `${money(d.amount, d.currency)} stays with the shop; the order can be shipped.`
          : d.status === 'lost'
            ? `${money(d.amount, d.currency)} went back to the cardholder. Don’t ship the order.`
            : 'The bank closed its inquiry without a chargeback.',
    };
  return null;
}

export function applyFraudWarning(db: Db, w: Stripe.Radar.EarlyFraudWarning, at: number): MoneyAlert | null {
  const chargeId = idOf(w.charge as string | { id: string });
  const piId =
    idOf(w.payment_intent as string | { id: string } | null | undefined) ?? piOfCharge(db, chargeId);
  const before = db.prepare('SELECT snapshot_at FROM fraud_warnings WHERE id = ?').get(w.id) as
    { snapshot_at: number } | undefined;
  if (before && at < before.snapshot_at) return null;
  db.prepare(
    `INSERT INTO fraud_warnings (id, charge_id, payment_intent_id, fraud_type, actionable, created, snapshot_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET payment_intent_id = coalesce(payment_intent_id, excluded.payment_intent_id),
       fraud_type = excluded.fraud_type, actionable = excluded.actionable, snapshot_at = excluded.snapshot_at`,
  ).run(w.id, chargeId, piId, w.fraud_type, w.actionable ? 1 : 0, w.created, at);
  if (before || !piId || !w.actionable) return null;
  return {
    kind: 'fraud_warning',
    paymentIntentId: piId,
    title: 'Early fraud warning — refund to avoid a dispute',
    body: `The card issuer reports this payment as likely fraud (${w.fraud_type.replace(/_/g, ' ')}). Refunding it now avoids a dispute and its fee; don’t ship it.`,
  };
}

/** A refund as Stripe has it now; alerts once when it has failed (the customer was not refunded). */
export function applyRefund(db: Db, rf: Stripe.Refund, at: number, key: string | null): MoneyAlert | null {
  const piId = idOf(rf.payment_intent as string | { id: string } | null);
  if (!piId) return null;
  const before = db.prepare('SELECT status, snapshot_at FROM refunds WHERE id = ?').get(rf.id) as
    { status: string; snapshot_at: number } | undefined;
  if (before && at < before.snapshot_at && before.status === 'failed') return null;
  const failedNow = rf.status === 'failed';
  // A line refund (its line and restock on the refund's own metadata): fixed when the refund is made.
  const line = decodeRefundLine(rf.metadata);
  db.prepare(
    `INSERT INTO refunds (id, payment_intent_id, amount, status, reason, idempotency_key, created_at, failure_reason,
        requested_by, snapshot_at, notified, line_sku, line_quantity, restock, tax)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET
       status = CASE WHEN status = 'failed' THEN status ELSE excluded.status END,
       failure_reason = coalesce(excluded.failure_reason, failure_reason),
       requested_by = coalesce(requested_by, excluded.requested_by),
       idempotency_key = coalesce(idempotency_key, excluded.idempotency_key),
       snapshot_at = max(snapshot_at, excluded.snapshot_at),
       line_sku = coalesce(line_sku, excluded.line_sku),
       line_quantity = coalesce(line_quantity, excluded.line_quantity),
       restock = max(restock, excluded.restock),
       tax = excluded.tax`,
  ).run(
    rf.id,
    piId,
    rf.amount,
    rf.status ?? 'succeeded',
    rf.reason ?? null,
    key,
    rf.created * 1000,
    rf.failure_reason ?? null,
    rf.metadata?.mc_by ?? null,
    at,
    line?.sku ?? null,
    line?.quantity ?? null,
    line?.restock ? 1 : 0,
    // The tax it took back, as the refunding station recorded it on the refund (orders/pricing-metadata.ts).
    readRefundTax(rf.metadata),
  );
  if (!failedNow || before?.status === 'failed') return null;
  return {
    kind: 'refund_failed',
    paymentIntentId: piId,
    title: 'Refund failed — the customer was not refunded',
    body: `${money(rf.amount, rf.currency)} could not be returned (${(rf.failure_reason ?? 'unknown').replace(/_/g, ' ')}). The money is back in the shop’s balance; refund the customer another way or try again.`,
  };
}

export interface MoneyState {
  dispute: {
    id: string;
    amount: number;
    currency: string;
    reason: string;
    reasonText: string;
    status: string;
    dueBy: number | null;
    inquiry: boolean;
  } | null;
  fraudWarning: { id: string; fraudType: string; actionable: boolean; createdAt: number } | null;
  refunds: {
    id: string;
    amount: number;
    status: string;
    failureReason: string | null;
    requestedBy: string | null;
    createdAt: number;
  }[];
  /** Why the order must not be shipped now, in the shop's words; null when nothing stands in the way. */
  shipBlock: string | null;
}

export function moneyStateOf(db: Db, piId: string): MoneyState {
  const d = db
    .prepare('SELECT * FROM disputes WHERE payment_intent_id = ? ORDER BY created DESC LIMIT 1')
    .get(piId) as
    | { id: string; amount: number; currency: string; reason: string; status: string; due_by: number | null }
    | undefined;
  const w = db
    .prepare('SELECT * FROM fraud_warnings WHERE payment_intent_id = ? ORDER BY created DESC LIMIT 1')
    .get(piId) as { id: string; fraud_type: string; actionable: number; created: number } | undefined;
  const refunds = (
    db.prepare('SELECT * FROM refunds WHERE payment_intent_id = ? ORDER BY created_at').all(piId) as {
      id: string;
      amount: number;
      status: string;
      failure_reason: string | null;
      requested_by: string | null;
      created_at: number;
    }[]
  ).map((r) => ({
    id: r.id,
    amount: r.amount,
    status: r.status,
    failureReason: r.failure_reason,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
  }));
  let shipBlock: string | null = null;
  if (d && OPEN_DISPUTE.has(d.status)) {
    shipBlock =
      d.status === 'lost'
        ? `Disputed and lost — don’t ship: ${explainDisputeReason(d.reason)}.`
        : `Disputed — don’t ship: ${explainDisputeReason(d.reason)}.`;
  } else if (w && w.actionable) {
    shipBlock = 'Early fraud warning — don’t ship: the card issuer reports this payment as likely fraud.';
  }
  // An order cancelled as one action (refunded, restocked) is not packed or shipped either.
  if (
    !shipBlock &&
    db.prepare('SELECT cancelled_json FROM orders WHERE payment_intent_id = ?').pluck().get(piId)
  )
    shipBlock = 'Cancelled — don’t ship: the order was cancelled and refunded.';
  return {
    dispute: d
      ? {
          id: d.id,
          amount: d.amount,
          currency: d.currency,
          reason: d.reason,
          reasonText: explainDisputeReason(d.reason),
          status: d.status,
          dueBy: d.due_by ? d.due_by * 1000 : null,
          inquiry: d.status.startsWith('warning_'),
        }
      : null,
    fraudWarning: w
      ? { id: w.id, fraudType: w.fraud_type, actionable: w.actionable === 1, createdAt: w.created * 1000 }
      : null,
    refunds,
    shipBlock,
  };
}

/**
 * An order both shipped and cancelled (or refunded in full) — two stations each acted before seeing the other: one
 * alert for managers, the first time this station sees it (the order itself says so, orders.conflict).
 */
export function conflictAlert(db: Db, piId: string): MoneyAlert | null {
  const r = db
    .prepare(
      `SELECT id, conflict, coalesce(station_code, '') || number AS label FROM orders
       WHERE payment_intent_id = ? AND conflict IS NOT NULL AND conflict_notified = 0`,
    )
    .get(piId) as { id: string; conflict: string; label: string } | undefined;
  if (!r) return null;
  db.prepare('UPDATE orders SET conflict_notified = 1 WHERE id = ?').run(r.id);
  return {
    kind: 'order_conflict',
    paymentIntentId: piId,
    title: `Order #${r.label} needs a manager`,
    body: r.conflict,
  };
}
