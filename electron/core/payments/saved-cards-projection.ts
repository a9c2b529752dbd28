// Saved cards and the SetupIntents that save them, projected from Stripe: the one writer for saved_cards and
// card_setups (and, for a SetupIntent that saved an order's card, that order's cart). Called with an event's object
// (ordered by the event's `created`, Stripe's clock) or with what Stripe just returned (`authoritative`), so every
// station that sees the same objects agrees on which cards a customer has and which orders wait on them.
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { OrderContent } from '../orders/order-metadata';

const idOf = (x: string | { id: string } | null | undefined): string | null =>
  typeof x === 'string' ? x : (x?.id ?? null);

/** An error Stripe gave for a payment or a setup, kept short: what staff are told comes from it. */
export interface CardError {
  code: string;
  declineCode: string | null;
  message: string;
  /** Stripe's time the error was seen (unix seconds). */
  at: number;
}

const cardErrorJson = (
  err: { code?: string | null; decline_code?: string | null; message?: string | null },
  at: number,
): string =>
  JSON.stringify({
    code: err.code ?? 'card_declined',
    declineCode: err.decline_code ?? null,
    message: err.message ?? '',
    at,
  } satisfies CardError);

// ------------------------------------------------------------------------------------------ saved cards

/**
 * A PaymentMethod snapshot: the customer's card as Stripe has it. Detaching is final (Stripe never uses a
 * detached card again), so a detached card stays detached whatever older snapshot arrives after it.
 * Returns the customer whose cards changed, or null when nothing changed.
 */
export function applyPaymentMethod(
  db: Db,
  pm: Stripe.PaymentMethod,
  at: number,
  nowMs: number,
  authoritative: boolean,
  detached = false,
): string | null {
  if (pm.type !== 'card' || !pm.card) return null;
  const existing = db
    .prepare('SELECT customer_id, detached, snapshot_at FROM saved_cards WHERE id = ?')
    .get(pm.id) as { customer_id: string | null; detached: number; snapshot_at: number } | undefined;
  const customer = idOf(pm.customer as string | { id: string } | null);
  // Stripe's answer to a detach (or a read-back after one) names no customer for a card we had attached.
  const gone =
    detached ||
    existing?.detached === 1 ||
    (authoritative && customer === null && (existing?.customer_id ?? null) !== null);
  if (existing && !gone && !authoritative && at < existing.snapshot_at) return null;
  db.prepare(
    `INSERT INTO saved_cards (id, customer_id, brand, last4, exp_month, exp_year, detached, snapshot_at, updated_at)
     VALUES (@id, @customer, @brand, @last4, @expMonth, @expYear, @detached, @at, @now)
     ON CONFLICT (id) DO UPDATE SET customer_id = CASE WHEN @detached = 1 THEN coalesce(customer_id, excluded.customer_id) ELSE excluded.customer_id END,
       brand = excluded.brand, last4 = excluded.last4, exp_month = excluded.exp_month, exp_year = excluded.exp_year,
       detached = max(detached, excluded.detached), snapshot_at = max(snapshot_at, excluded.snapshot_at),
       updated_at = excluded.updated_at`,
  ).run({
    id: pm.id,
    // A detached card remembers whose it was (the card-removed notice names the orders it affected).
    customer: customer ?? existing?.customer_id ?? null,
    brand: pm.card.brand,
    last4: pm.card.last4,
    expMonth: pm.card.exp_month,
    expYear: pm.card.exp_year,
    detached: gone ? 1 : 0,
    at,
    now: nowMs,
  });
  return customer ?? existing?.customer_id ?? null;
}

// ----------------------------------------------------------------------------------------- card setups

const SETUP_RANK: Record<string, number> = {
  requires_payment_method: 1,
  requires_confirmation: 2,
  requires_action: 3,
  processing: 4,
  succeeded: 6,
  canceled: 6,
};

export function actionUrlOf(
  next: Stripe.PaymentIntent.NextAction | Stripe.SetupIntent.NextAction | null,
): string | null {
  if (!next) return null;
  if (next.type === 'redirect_to_url') return next.redirect_to_url?.url ?? null;
  const sdk = (next as { use_stripe_sdk?: { stripe_js?: unknown } }).use_stripe_sdk;
  return typeof sdk?.stripe_js === 'string' ? sdk.stripe_js : null;
}

export interface SetupResult {
  paymentIntentId: string | null;
  cartId: string | null;
  status: string;
}

/**
 * A SetupIntent snapshot. Only the console's (its metadata name the order's PaymentIntent, `mc_pi`) are kept.
 * A SetupIntent that succeeded or was canceled stays so; otherwise a newer snapshot wins.
 */
export function applySetupIntent(
  db: Db,
  si: Stripe.SetupIntent,
  at: number,
  nowMs: number,
  authoritative: boolean,
): SetupResult | null {
  const piId = si.metadata?.mc_pi;
  if (!piId) return null;
  const cartId = si.metadata?.cart_id ?? null;
  const existing = db
    .prepare('SELECT status, status_rank, snapshot_at FROM card_setups WHERE id = ?')
    .get(si.id) as { status: string; status_rank: number; snapshot_at: number } | undefined;
  const rank = SETUP_RANK[si.status] ?? 0;
  let applied = true;
  if (existing) {
    if (existing.status_rank === 6 && existing.status !== si.status) applied = false;
    else if (!authoritative && at < existing.snapshot_at) applied = false;
    else if (!authoritative && at === existing.snapshot_at && rank < existing.status_rank) applied = false;
  }
  if (applied) {
    const err = si.last_setup_error;
    db.prepare(
      `INSERT INTO card_setups (id, payment_intent_id, cart_id, customer_id, payment_method_id, status, status_rank,
          action_url, last_error_json, created, snapshot_at, updated_at)
       VALUES (@id, @pi, @cart, @customer, @pm, @status, @rank, @url, @err, @created, @at, @now)
       ON CONFLICT (id) DO UPDATE SET customer_id = coalesce(excluded.customer_id, customer_id),
         payment_method_id = coalesce(excluded.payment_method_id, payment_method_id), status = excluded.status,
         status_rank = excluded.status_rank, action_url = excluded.action_url, last_error_json = excluded.last_error_json,
         snapshot_at = max(snapshot_at, excluded.snapshot_at), updated_at = excluded.updated_at`,
    ).run({
      id: si.id,
      pi: piId,
      cart: cartId,
      customer: idOf(si.customer as string | { id: string } | null),
      pm: idOf(si.payment_method as string | { id: string } | null),
      status: si.status,
      rank,
      url: si.status === 'requires_action' ? actionUrlOf(si.next_action) : null,
      err: err && si.status === 'requires_payment_method' ? cardErrorJson(err, at) : null,
      created: si.created,
      at,
      now: nowMs,
    });
  }
  const current = db.prepare('SELECT status, action_url FROM card_setups WHERE id = ?').get(si.id) as {
    status: string;
    action_url: string | null;
  };
  if (cartId) syncSetupCart(db, cartId, si.id, current.status, current.action_url, nowMs);
  return { paymentIntentId: piId, cartId, status: current.status };
}

/** The cart that is saving its card (this station's, if it took the order): its phase follows the setup. */
function syncSetupCart(
  db: Db,
  cartId: string,
  setupId: string,
  status: string,
  actionUrl: string | null,
  nowMs: number,
): void {
  db.prepare(
    `UPDATE carts SET status = CASE WHEN ? = 'succeeded' AND status = 'open' THEN 'on_hold' ELSE status END,
       auth_url = CASE WHEN ? = 'requires_action' THEN ? ELSE NULL END, pending = 0,
       version = version + 1, updated_at = ?
     WHERE id = ? AND setup_intent_id = ? AND wait_mode = 'save_card'`,
  ).run(status, status, actionUrl, nowMs, cartId, setupId);
}

// -------------------------------------------------------------------------------- a PaymentIntent's card

/**
 * What a PaymentIntent snapshot says of its card: which one, whether it is being saved with the payment, the
 * error of the last attempt (an off-session charge the bank refused) and the page the customer completes it on.
 * Called by the PaymentIntent projection (projection.ts) with every snapshot it applies.
 */
/** What a PaymentIntent snapshot says of its card, as the payment_intents columns that hold it. */
export interface PaymentIntentCard {
  paymentMethodId: string | null;
  setupFutureUsage: string | null;
  /** Declined: the error to keep (else the one kept is cleared, unless the customer is confirming). */
  failed: boolean;
  lastErrorJson: string | null;
  waitingForCustomer: boolean;
  actionUrl: string | null;
}

export function paymentIntentCardOf(pi: Stripe.PaymentIntent, at: number): PaymentIntentCard {
  const err = pi.last_payment_error;
  const failed = pi.status === 'requires_payment_method' && !!err;
  const waitingForCustomer = pi.status === 'requires_action';
  return {
    paymentMethodId: idOf(pi.payment_method as string | { id: string } | null),
    setupFutureUsage: pi.setup_future_usage ?? null,
    failed,
    lastErrorJson: failed && err ? cardErrorJson(err, at) : null,
    waitingForCustomer,
    actionUrl: waitingForCustomer ? actionUrlOf(pi.next_action) : null,
  };
}

// ---------------------------------------------------------------------------------- waiting on a card

export interface PiCardRow {
  id: string;
  status: string;
  /** Why Stripe canceled it: 'automatic' / 'expired' when a hold lapsed, ours when released or given up. */
  cancellation_reason?: string | null;
  content_json: string | null;
  payment_method_id: string | null;
  setup_future_usage: string | null;
  last_error_json: string | null;
  customer_id: string | null;
}

/** Stripe let the authorization lapse (not a release by the shop). */
const lapsed = (reason: string | null | undefined): boolean => reason === 'automatic' || reason === 'expired';

/** The card a saved-card order waits on: saved by its SetupIntent, or with its hold (setup_future_usage). */
export function savedCardFor(db: Db, pi: PiCardRow, content: OrderContent | null): string | null {
  const root = content?.rootPaymentIntentId ?? pi.id;
  const mode = content?.wait?.mode;
  if (!mode) return null;
  if (content?.rootPaymentIntentId && pi.payment_method_id) return pi.payment_method_id;
  if (mode === 'card') {
    return (
      (db
        .prepare(
          `SELECT payment_method_id FROM card_setups WHERE payment_intent_id = ? AND status = 'succeeded'
           ORDER BY snapshot_at DESC LIMIT 1`,
        )
        .pluck()
        .get(root) as string | undefined) ?? null
    );
  }
  const hold =
    root === pi.id
      ? pi
      : (db
          .prepare('SELECT payment_method_id, setup_future_usage FROM payment_intents WHERE id = ?')
          .get(root) as Pick<PiCardRow, 'payment_method_id' | 'setup_future_usage'> | undefined);
  return hold?.setup_future_usage === 'off_session' ? (hold.payment_method_id ?? null) : null;
}

/**
 * Where a saved-card order stands: 'waiting' (card saved, charged when the stock arrives), 'action_needed' (the
 * last charge needs the customer — the bank asked for authentication or declined — or the card was removed), or
 * null (not a saved-card order, or no longer waiting: held, paid, or given up). A saved-card order's first
 * PaymentIntent waits unconfirmed; a hold that saved the card waits once it lapsed or was released.
 */
export function cardWaitOf(db: Db, pi: PiCardRow): 'waiting' | 'action_needed' | null {
  if (pi.status === 'succeeded' || pi.status === 'requires_capture' || pi.status === 'processing')
    return null;
  const content = pi.content_json ? (JSON.parse(pi.content_json) as OrderContent) : null;
  const mode = content?.wait?.mode;
  if (!mode) return null;
  // A saved-card order given up (its PaymentIntent canceled) waits no more. A hold that saved the card waits on it
  // once Stripe let the hold lapse, or when the manager released it keeping the card (mc_keep); a release alone
  // ends the order — "nothing will be charged" — at every station, and at one rebuilt from Stripe.
  if (pi.status === 'canceled' && (mode === 'card' || content?.rootPaymentIntentId)) return null;
  if (pi.status === 'canceled' && !content?.keepCard && !lapsed(pi.cancellation_reason)) return null;
  // Cancelled as an order (mc_cancel on its charge, or its first PaymentIntent's): nothing waits any more.
  if (
    db
      .prepare(
        `SELECT 1 FROM charges WHERE payment_intent_id IN (?, ?) AND metadata_json LIKE '%"mc_cancel%' LIMIT 1`,
      )
      .get(pi.id, content?.rootPaymentIntentId ?? pi.id)
  )
    return null;
  const pm = savedCardFor(db, pi, content);
  if (!pm) return null;
  const card = db.prepare('SELECT detached FROM saved_cards WHERE id = ?').pluck().get(pm) as
    number | undefined;
  if (card === 1) return 'action_needed';
  if (pi.status !== 'canceled' && (pi.last_error_json || pi.status === 'requires_action'))
    return 'action_needed';
  return 'waiting';
}

/** The PaymentIntent that continues a saved-card order (a lapsed hold charged on arrival), if any. */
export function successorOf(db: Db, rootPiId: string): string | null {
  return (
    (db
      .prepare(
        `SELECT id FROM payment_intents WHERE json_extract(content_json, '$.rootPaymentIntentId') = ?
         ORDER BY created DESC LIMIT 1`,
      )
      .pluck()
      .get(rootPiId) as string | undefined) ?? null
  );
}

/**
 * What the order projection needs of a PaymentIntent's saved card: whether its order waits on one, and whether a
 * later PaymentIntent continues its order (then this one no longer speaks for it). Cheap for every other
 * PaymentIntent: nothing is read unless its content carries an agreement to save the card.
 */
export function savedCardOrder(
  db: Db,
  pi: PiCardRow,
): { cardWait: 'waiting' | 'action_needed' | null; superseded: boolean } {
  if (pi.status === 'succeeded' || pi.status === 'requires_capture' || pi.status === 'processing')
    return { cardWait: null, superseded: false };
  if (!pi.content_json?.includes('"wait"')) return { cardWait: null, superseded: false };
  return {
    cardWait: cardWaitOf(db, pi),
    superseded: pi.status === 'canceled' && successorOf(db, pi.id) !== null,
  };
}

/** The PaymentIntents whose orders wait on this card (its own, through a SetupIntent, or a hold that saved it). */
export function paymentIntentsOnCard(db: Db, pmId: string): string[] {
  return db
    .prepare(
      `SELECT id FROM payment_intents WHERE payment_method_id = ?
       UNION SELECT payment_intent_id FROM card_setups WHERE payment_method_id = ? AND payment_intent_id IS NOT NULL`,
    )
    .pluck()
    .all(pmId, pmId) as string[];
}

/**
 * A SetupIntent or PaymentMethod (an event's object, or Stripe's answer): projected, and the PaymentIntents whose
 * orders follow it returned for the order projection (the caller runs projectOrder on them).
 */
export function applySavedCard(
  db: Db,
  obj: Stripe.SetupIntent | Stripe.PaymentMethod,
  at: number,
  nowMs: number,
  authoritative: boolean,
  eventType?: string,
): { cartIds: string[]; paymentIntentIds: string[] } | null {
  if (obj.object === 'setup_intent') {
    const r = applySetupIntent(db, obj, at, nowMs, authoritative);
    if (!r) return null;
    return {
      cartIds: r.cartId ? [r.cartId] : [],
      paymentIntentIds: r.paymentIntentId ? [r.paymentIntentId] : [],
    };
  }
  if (obj.object === 'payment_method') {
    const detached = eventType === 'payment_method.detached';
    if (applyPaymentMethod(db, obj, at, nowMs, authoritative, detached) === null) return null;
    return { cartIds: [], paymentIntentIds: paymentIntentsOnCard(db, obj.id) };
  }
  return null;
}
