// Where a PaymentIntent snapshot — from an API response, a read-back, or an event — moves local state.
// State only moves forward: a terminal status (succeeded, canceled) is never left, amounts received and
// refunded never shrink, and an older snapshot never overwrites a newer one. Two snapshots from the same
// second that disagree are ambiguous: the PaymentIntent is marked for a read-back from Stripe.
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { CartLine, Customer } from '../../ipc/contract';
import { refundedOf } from '../orders/orders-repo';
import {
  contentOf,
  mayBeLocalCart,
  noteStation,
  notePaymentIntentContent,
  paymentIntentContentOf,
  recordSales,
} from '../sync/shop-projection';
import { paymentIntentCardOf } from './saved-cards-projection';
import type { OrderContent } from '../orders/order-metadata';

export const TERMINAL = new Set(['succeeded', 'canceled']);
export const STATUS_RANK: Record<string, number> = {
  requires_payment_method: 1,
  requires_confirmation: 2,
  requires_action: 3,
  processing: 4,
  requires_capture: 5,
  succeeded: 6,
  canceled: 6,
};

/** Just the columns the projection compares (the row also holds the order's content, which it doesn't read). */
const PI_ROW = `SELECT id, status, status_rank, amount, amount_capturable, amount_received, amount_refunded,
  capture_before, snapshot_at FROM payment_intents WHERE id = ?`;

interface PiRow {
  id: string;
  status: string;
  status_rank: number;
  amount: number;
  amount_capturable: number;
  amount_received: number;
  amount_refunded: number;
  capture_before: number | null;
  snapshot_at: number;
}

export interface SnapshotResult {
  /** The snapshot was applied (it was newer, or the first we saw). */
  applied: boolean;
  /** It conflicted with what we hold in a way only Stripe can settle. */
  ambiguous: boolean;
  status: string;
  cartId: string | null;
}

export function chargeOf(pi: Stripe.PaymentIntent): Stripe.Charge | null {
  return pi.latest_charge && typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
}

/** capture_before from an expanded charge, in unix seconds. */
export function captureBeforeOf(charge: Stripe.Charge | null): number | null {
  return charge?.payment_method_details?.card?.capture_before ?? null;
}

/**
 * Apply a snapshot taken at `takenAt` (unix seconds). `authoritative` snapshots (a fresh read-back or an
 * API response) win over anything not terminal; event snapshots are ordered by their `created`.
 */
export function applyPaymentIntent(
  db: Db,
  pi: Stripe.PaymentIntent,
  takenAt: number,
  nowMs: number,
  authoritative: boolean,
): SnapshotResult {
  const cartId = (pi.metadata?.cart_id as string | undefined) ?? null;
  const existing = db.prepare(PI_ROW).get(pi.id) as PiRow | undefined;
  const rank = STATUS_RANK[pi.status] ?? 0;
  const captureBefore = captureBeforeOf(chargeOf(pi));
  // A partial capture puts the released remainder in amount_refunded: refundedOf() takes it out.
  const ch = chargeOf(pi);
  const refunded = ch ? refundedOf(ch) : 0;

  let applied = true;
  let ambiguous = false;
  if (existing) {
    const localTerminal = TERMINAL.has(existing.status);
    if (localTerminal && existing.status !== pi.status) applied = false;
    else if (localTerminal && pi.amount_received < existing.amount_received) applied = false;
    else if (!authoritative && !TERMINAL.has(pi.status)) {
      if (takenAt < existing.snapshot_at) applied = false;
      else if (
        takenAt === existing.snapshot_at &&
        (existing.status !== pi.status ||
          existing.amount !== pi.amount ||
          existing.amount_capturable !== pi.amount_capturable)
      ) {
        // Same second (Stripe's times have whole-second resolution), different state: which came last is
        // ambiguous. Keep the higher rank for now (never an older amount); ask Stripe.
        ambiguous = true;
        applied = rank > existing.status_rank;
      }
    }
  }

  // The row, what the snapshot says of its order (content, customer, shipping) and of its card, in one write.
  const said = paymentIntentContentOf(pi);
  const latestCharge =
    typeof pi.latest_charge === 'string' ? pi.latest_charge : (pi.latest_charge?.id ?? null);
  let current: PiRow;
  if (!existing) {
    const card = paymentIntentCardOf(pi, takenAt);
    db.prepare(
      `INSERT INTO payment_intents (id, status, status_rank, amount, amount_capturable, amount_received, amount_refunded,
         currency, capture_method, capture_before, latest_charge, cart_id, cancellation_reason, customer_name,
         snapshot_at, needs_read_back, created, updated_at, content_json, customer_id, shipping_json, receipt_email,
         payment_method_id, setup_future_usage, last_error_json, action_url, canceled_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      pi.id,
      pi.status,
      rank,
      pi.amount,
      pi.amount_capturable,
      pi.amount_received,
      refunded,
      pi.currency,
      pi.capture_method,
      captureBefore,
      latestCharge,
      cartId,
      pi.cancellation_reason,
      said.customerName ?? (pi.metadata?.customer_name as string | undefined) ?? null,
      takenAt,
      ambiguous ? 1 : 0,
      pi.created,
      nowMs,
      said.contentJson,
      said.customerId,
      said.shippingJson,
      said.receiptEmail,
      card.paymentMethodId,
      card.setupFutureUsage,
      card.lastErrorJson,
      card.actionUrl,
      pi.canceled_at ?? null,
    );
    current = {
      id: pi.id,
      status: pi.status,
      status_rank: rank,
      amount: pi.amount,
      amount_capturable: pi.amount_capturable,
      amount_received: pi.amount_received,
      amount_refunded: refunded,
      capture_before: captureBefore,
      snapshot_at: takenAt,
    };
  } else if (applied) {
    const card = paymentIntentCardOf(pi, takenAt);
    db.prepare(
      `UPDATE payment_intents SET status = ?, status_rank = ?, amount = ?, amount_capturable = ?,
         amount_received = max(amount_received, ?), amount_refunded = max(amount_refunded, ?),
         capture_method = ?, capture_before = coalesce(?, capture_before),
         latest_charge = coalesce(?, latest_charge), cancellation_reason = ?, snapshot_at = max(snapshot_at, ?),
         needs_read_back = ?, updated_at = ?,
         content_json = coalesce(?, content_json), customer_id = coalesce(?, customer_id),
         shipping_json = coalesce(?, shipping_json), receipt_email = coalesce(?, receipt_email),
         customer_name = coalesce(?, customer_name),
         payment_method_id = coalesce(?, payment_method_id), setup_future_usage = ?,
         last_error_json = CASE WHEN ? THEN ? WHEN ? THEN last_error_json ELSE NULL END, action_url = ?,
         canceled_at = coalesce(?, canceled_at)
       WHERE id = ?`,
    ).run(
      pi.status,
      rank,
      pi.amount,
      pi.amount_capturable,
      pi.amount_received,
      refunded,
      pi.capture_method,
      captureBefore,
      latestCharge,
      pi.cancellation_reason,
      takenAt,
      ambiguous ? 1 : 0,
      nowMs,
      said.contentJson,
      said.customerId,
      said.shippingJson,
      said.receiptEmail,
      said.customerName,
      card.paymentMethodId,
      card.setupFutureUsage,
      card.failed ? 1 : 0,
      card.lastErrorJson,
      card.waitingForCustomer ? 1 : 0,
      card.actionUrl,
      pi.canceled_at ?? null,
      pi.id,
    );
    current = {
      ...existing,
      status: pi.status,
      status_rank: rank,
      amount: pi.amount,
      amount_capturable: pi.amount_capturable,
      amount_received: Math.max(existing.amount_received, pi.amount_received),
      amount_refunded: Math.max(existing.amount_refunded, refunded),
      capture_before: captureBefore ?? existing.capture_before,
      snapshot_at: Math.max(existing.snapshot_at, takenAt),
    };
  } else {
    if (ambiguous) {
      db.prepare('UPDATE payment_intents SET needs_read_back = 1 WHERE id = ?').run(pi.id);
    } else if (captureBefore) {
      // Even a stale snapshot can teach us the deadline.
      db.prepare('UPDATE payment_intents SET capture_before = coalesce(capture_before, ?) WHERE id = ?').run(
        captureBefore,
        pi.id,
      );
    }
    // What an older snapshot says of its order still counts where nothing newer said it (coalesce).
    notePaymentIntentContent(db, pi, takenAt);
    current = db.prepare(PI_ROW).get(pi.id) as PiRow;
  }
  if (!existing || applied) noteStation(db, said.content, takenAt); // (the branch above noted it otherwise)
  if (cartId && mayBeLocalCart(cartId)) syncCart(db, cartId, current.status, pi, nowMs);
  syncSales(db, current, pi, said.content);
  syncHold(db, current, pi, cartId, nowMs);
  return { applied, ambiguous, status: current.status, cartId };
}

function syncCart(db: Db, cartId: string, status: string, pi: Stripe.PaymentIntent, nowMs: number): void {
  const cartStatus =
    status === 'succeeded'
      ? 'paid'
      : status === 'requires_capture'
        ? 'on_hold'
        : status === 'canceled'
          ? 'canceled'
          : 'open';
  const authUrl =
    status === 'requires_action' && pi.next_action?.type === 'redirect_to_url'
      ? (pi.next_action.redirect_to_url?.url ?? null)
      : null;
  db.prepare(
    `UPDATE carts SET pi_status = ?, status = CASE WHEN (status IN ('paid', 'canceled') OR (status = 'on_hold' AND wait_mode = 'save_card')) AND ? = 'open' THEN status ELSE ? END,
       payment_intent_id = coalesce(payment_intent_id, ?), auth_url = CASE WHEN ? = 'requires_action' THEN coalesce(?, auth_url) WHEN wait_mode = 'save_card' THEN auth_url ELSE NULL END,
       pending = CASE WHEN ? IN ('succeeded', 'canceled', 'requires_capture') THEN 0 ELSE pending END,
       version = version + 1, updated_at = ? WHERE id = ?`,
  ).run(status, cartStatus, cartStatus, pi.id, status, authUrl, status, nowMs, cartId);
}

interface HoldRow {
  payment_intent_id: string;
  status: string;
  amount_authorized: number;
  amount_capturable: number;
  amount_captured: number;
  expires_at: number | null;
}

function syncHold(db: Db, pi: PiRow, snap: Stripe.PaymentIntent, cartId: string | null, nowMs: number): void {
  if (snap.capture_method !== 'manual') return;
  const hold = db.prepare('SELECT * FROM holds WHERE payment_intent_id = ?').get(pi.id) as
    HoldRow | undefined;
  // The deadline may have come with the charge before this PaymentIntent was known (charge.* events).
  const captureBefore =
    pi.capture_before ??
    (db
      .prepare(
        'SELECT capture_before FROM charges WHERE payment_intent_id = ? AND capture_before IS NOT NULL',
      )
      .pluck()
      .get(pi.id) as number | undefined) ??
    null;
  const expiresAt = captureBefore ? captureBefore * 1000 : null;
  if (!hold) {
    // A hold exists once Stripe has authorized it. A station that first sees it already captured or released (one
    // rebuilt from Stripe, or back after a long absence) lists it as it ended, as every other station does.
    const chargeId = typeof snap.latest_charge === 'string' ? snap.latest_charge : null;
    // Authorized: its charge succeeded (an authorization carries capture_before), not one the bank declined.
    const expanded = chargeOf(snap);
    const authorized = expanded
      ? expanded.status === 'succeeded'
      : chargeId !== null &&
        db.prepare('SELECT capture_before FROM charges WHERE id = ?').pluck().get(chargeId) != null;
    if (pi.status === 'succeeded' || (pi.status === 'canceled' && authorized)) {
      const reason = snap.cancellation_reason;
      const status =
        pi.status === 'succeeded'
          ? pi.amount_received < snap.amount
            ? 'partially_captured'
            : 'captured'
          : reason === 'automatic' || reason === 'expired'
            ? 'expired'
            : 'released';
      db.prepare(
        `INSERT INTO holds (payment_intent_id, cart_id, status, currency, amount_authorized, amount_capturable,
           amount_captured, authorized_at, expires_at, version, updated_at)
         VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, 1, ?)`,
      ).run(
        pi.id,
        cartId,
        status,
        snap.currency,
        snap.amount,
        pi.amount_received,
        authorizedAt(db, pi.id, snap),
        expiresAt,
        nowMs,
      );
      return;
    }
    if (pi.status !== 'requires_capture') return;
    db.prepare(
      `INSERT INTO holds (payment_intent_id, cart_id, status, currency, amount_authorized, amount_capturable,
         amount_captured, authorized_at, expires_at, version, updated_at)
       VALUES (?, ?, 'authorized', ?, ?, ?, 0, ?, ?, 0, ?)`,
    ).run(
      pi.id,
      cartId,
      snap.currency,
      pi.amount_capturable,
      pi.amount_capturable,
      authorizedAt(db, pi.id, snap),
      expiresAt,
      nowMs,
    );
    return;
  }
  let status = hold.status;
  if (pi.status === 'succeeded')
    status = pi.amount_received < hold.amount_authorized ? 'partially_captured' : 'captured';
  else if (pi.status === 'canceled') {
    const expired =
      snap.cancellation_reason === 'automatic' ||
      snap.cancellation_reason === 'expired' ||
      (hold.expires_at !== null && nowMs >= hold.expires_at && hold.status !== 'released');
    status = hold.status === 'released' ? 'released' : expired ? 'expired' : 'released';
  }
  const changed =
    status !== hold.status ||
    pi.amount_capturable !== hold.amount_capturable ||
    pi.amount_received !== hold.amount_captured ||
    (expiresAt !== null && expiresAt !== hold.expires_at);
  if (!changed) return;
  db.prepare(
    `UPDATE holds SET status = ?, amount_capturable = ?, amount_captured = max(amount_captured, ?),
       expires_at = coalesce(?, expires_at), version = version + 1, pending_action = CASE WHEN ? IN ('authorized') THEN pending_action ELSE NULL END,
       updated_at = ? WHERE payment_intent_id = ?`,
  ).run(
    status,
    TERMINAL.has(pi.status) ? 0 : pi.amount_capturable,
    pi.amount_received,
    expiresAt,
    status,
    nowMs,
    pi.id,
  );
}

/** When the card was authorized, in Stripe's time (the charge's creation): the same at every station. */
function authorizedAt(db: Db, piId: string, snap: Stripe.PaymentIntent): number {
  const ch = chargeOf(snap);
  const created =
    ch?.created ??
    (db
      .prepare('SELECT created FROM charges WHERE payment_intent_id = ? ORDER BY created DESC')
      .pluck()
      .get(piId) as number | undefined) ??
    snap.created;
  return created * 1000;
}

/** Units sold follow the payment: taken when authorized or charged, given back when a hold is released. */
function syncSales(db: Db, pi: PiRow, snap: Stripe.PaymentIntent, said: OrderContent | null): void {
  if (pi.status === 'canceled') {
    db.prepare('DELETE FROM stock_sales WHERE payment_intent_id = ?').run(pi.id);
    return;
  }
  if (pi.status !== 'requires_capture' && pi.status !== 'succeeded') return;
  // The content this snapshot carries, else what an earlier one left on the row.
  const content = said ?? contentOf(db, pi.id);
  if (!content) return;
  // Every time here is Stripe's and the same at every station, however late a station projects it (a station
  // rebuilt a week later must not count a sale after a recount that came after it): the charge's creation for
  // what was charged or authorized with it; for a hold's waitlist lines, the capture's time the capture itself
  // carried (mc_cap_at), else the charge's.
  const chargeId = typeof snap.latest_charge === 'string' ? snap.latest_charge : null;
  const chargedAt =
    chargeOf(snap)?.created ??
    (chargeId
      ? (db.prepare('SELECT created FROM charges WHERE id = ?').pluck().get(chargeId) as number | undefined)
      : undefined) ??
    snap.created;
  // A capture that carried no time (the Dashboard's, an earlier version's) is dated by its charge: a time from
  // Stripe's data, the same at every station, never the time a station happens to project it.
  const waitlistAt = snap.capture_method === 'manual' ? (content.capturedAt ?? chargedAt) : chargedAt;
  recordSales(db, pi.id, content, chargedAt, pi.status, waitlistAt);
}

/** Record the authorization deadline learned from a charge (charge.* events carry capture_before). */
export function applyChargeDeadline(
  db: Db,
  paymentIntentId: string,
  captureBefore: number,
  nowMs: number,
): boolean {
  const info = db
    .prepare(
      'UPDATE payment_intents SET capture_before = ?, updated_at = ? WHERE id = ? AND (capture_before IS NULL OR capture_before != ?)',
    )
    .run(captureBefore, nowMs, paymentIntentId, captureBefore);
  db.prepare(
    'UPDATE holds SET expires_at = ?, version = version + 1, updated_at = ? WHERE payment_intent_id = ? AND (expires_at IS NULL OR expires_at != ?)',
  ).run(captureBefore * 1000, nowMs, paymentIntentId, captureBefore * 1000);
  return info.changes > 0;
}

export interface CartSnapshot {
  lines: CartLine[];
  customer: Customer | null;
}
