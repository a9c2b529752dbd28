// The money actions of every station (issue 23 item 7), for managers: who captured, released, refunded or
// cancelled, at which station, when and how much — read from what the actions wrote in Stripe, as every station
// projects it, so each station (and one rebuilt from an empty folder) shows the same list, not only its own audit log:
// - a capture carries who and when on the PaymentIntent (mc_cap_at: "<unix seconds>|<name> · <station>");
// - a refund carries who on its own metadata (mc_by), its time is the Refund's;
// - a release, and an order cancelled as one action, write who, when and why on the order's charge (or, for a
//   saved-card order never charged, its PaymentIntent) under the station's own key (mc_cancel_<station id>);
// - a release from Holds writes who and when on the PaymentIntent before the cancel (mc_keep, which also says
//   whether the card was kept for a charge on arrival — then the order goes on, and nothing is written on the charge);
// - a saved card's charge attempt writes who on the PaymentIntent before it is confirmed (mc_cap_at): a manager's
//   charge, a card staff took on the phone, or a link staff sent — then it was the customer who paid, by that link;
// - a hold that lapsed was Stripe's (the bank's) doing, at its capture_before.
// Every action of ours writes its mark in the same request as the action or before it, so an action with no mark
// was done in Stripe's Dashboard (or by another program on the account); an action marked by an earlier version
// without a name says "not recorded".
import type { Db } from '../store/db';
import type { MoneyAction } from '../../ipc/contract';
import { orderNumberText, type OrderContent } from './order-metadata';
import type { Cancellation } from './order-notes';
import { formatMoney } from '../../ipc/money';

/** "Morgan Manager · Front desk" → its person and station (a text without the separator: a person only). */
export function whoAndWhere(by: string | null | undefined): { by: string | null; station: string | null } {
  if (!by) return { by: null, station: null };
  const i = by.lastIndexOf(' · ');
  return i < 0 ? { by, station: null } : { by: by.slice(0, i), station: by.slice(i + 3) };
}

/** A cancellation's reason in words (the order's cancel dialog offers these). */
const REASON_WORDS: Record<string, string> = {
  customer_request: 'the customer asked',
  out_of_stock: 'we can’t supply it',
  suspected_fraud: 'suspected fraud',
  duplicate: 'duplicate order',
  other: 'other',
  // Stripe's refund reasons.
  requested_by_customer: 'the customer asked',
  fraudulent: 'fraudulent',
};

type Who = Pick<MoneyAction, 'who' | 'by' | 'station'>;

/** A person of the shop, as an action of ours wrote them ("<name> · <station>"), or one an earlier version did not. */
function person(by: string | null | undefined): Who {
  return by ? { who: 'person', ...whoAndWhere(by) } : { who: 'unrecorded', by: null, station: null };
}
const DASHBOARD: Who = { who: 'dashboard', by: null, station: null };

interface Row {
  payment_intent_id: string;
  order_id: string | null;
  number: number | null;
  station_code: string | null;
  customer_name: string | null;
  currency: string;
}

export function listMoneyActions(db: Db, limit = 200): MoneyAction[] {
  const out: MoneyAction[] = [];
  const label = (r: Row) => ({
    orderId: r.order_id,
    orderNumber: r.number !== null ? `${r.station_code ?? ''}${r.number}` : null,
    customerName: r.customer_name ?? '',
    currency: r.currency,
  });
  const ORDER = `o.id AS order_id, o.number, o.station_code, coalesce(o.customer_name, p.customer_name) AS customer_name`;

  // Captures (in full, in part or by lines).
  for (const r of db
    .prepare(
      `SELECT h.payment_intent_id, h.currency, h.amount_authorized, h.amount_captured, h.status, p.content_json,
         (SELECT created FROM charges c WHERE c.id = p.latest_charge) AS charged, ${ORDER}
       FROM holds h JOIN payment_intents p ON p.id = h.payment_intent_id
       LEFT JOIN orders o ON o.payment_intent_id = h.payment_intent_id
       WHERE h.status IN ('captured', 'partially_captured')`,
    )
    .all() as (Row & {
    amount_authorized: number;
    amount_captured: number;
    status: string;
    content_json: string | null;
    charged: number | null;
  })[]) {
    const content = r.content_json ? (JSON.parse(r.content_json) as OrderContent) : null;
    const released = r.amount_authorized - r.amount_captured;
    out.push({
      kind: 'captured',
      at: content?.capturedAt ? content.capturedAt * 1000 : r.charged ? r.charged * 1000 : null,
      amount: r.amount_captured,
      ...label(r),
      // Our capture carries its mark (mc_cap_at) on the capture itself: none means the Dashboard.
      ...(content?.capturedAt ? person(content.capturedBy) : DASHBOARD),
      detail: released > 0 ? `${formatMoney(released, r.currency)} released` : null,
    });
  }

  // Saved cards charged when the stock arrived (the order's own PaymentIntent, or one continuing a lapsed hold's).
  for (const r of db
    .prepare(
      `SELECT p.id AS payment_intent_id, p.currency, p.amount_received, p.content_json,
         (SELECT created FROM charges c WHERE c.id = p.latest_charge) AS charged, ${ORDER}
       FROM payment_intents p
       LEFT JOIN orders o ON o.payment_intent_id = p.id
       WHERE p.status = 'succeeded' AND p.capture_method = 'automatic'
         AND (json_extract(p.content_json, '$.wait') IS NOT NULL
           OR json_extract(p.content_json, '$.rootPaymentIntentId') IS NOT NULL)`,
    )
    .all() as (Row & { amount_received: number; content_json: string; charged: number | null })[]) {
    const content = JSON.parse(r.content_json) as OrderContent;
    // A card saved at checkout for a later charge (mc_wait "card"), or a lapsed hold's card charged on arrival.
    if (!content.rootPaymentIntentId && content.wait?.mode !== 'card') continue;
    out.push({
      kind: 'charged_saved_card',
      at: r.charged ? r.charged * 1000 : content.capturedAt ? content.capturedAt * 1000 : null,
      amount: r.amount_received,
      ...label(r),
      ...(!content.capturedAt
        ? DASHBOARD
        : content.capturedVia === 'link' && content.capturedBy
          ? { who: 'customer' as const, ...whoAndWhere(content.capturedBy) }
          : person(content.capturedBy)),
      detail: content.capturedVia === 'phone' ? 'another card, taken on the phone' : null,
    });
  }

  // Cancellations written on the order (a release from Holds, or an order cancelled as one action).
  const recorded = new Set<string>();
  for (const r of db
    .prepare(
      `SELECT o.payment_intent_id, o.currency, o.cancelled_json, o.amount_captured, o.amount_total, o.payment_state,
         ${ORDER}
       FROM orders o LEFT JOIN payment_intents p ON p.id = o.payment_intent_id
       WHERE o.cancelled_json IS NOT NULL`,
    )
    .all() as (Row & {
    cancelled_json: string;
    amount_captured: number;
    amount_total: number | null;
    payment_state: string;
  })[]) {
    const c = JSON.parse(r.cancelled_json) as Cancellation;
    recorded.add(r.payment_intent_id);
    const released = c.reason === 'hold_released';
    out.push({
      kind: released ? 'released' : 'cancelled',
      at: c.at || null,
      // What the action let go: a hold's amount, or a paid order's charge (its refund is listed as a refund).
      amount: r.amount_captured > 0 ? r.amount_captured : (r.amount_total ?? 0),
      ...label(r),
      ...person(c.by),
      detail: released
        ? null
        : [REASON_WORDS[c.reason] ?? c.reason, c.note].filter(Boolean).join(' — ') || null,
    });
  }

  // Holds released or lapsed with no cancellation on the order: Stripe's expiry; a release that kept the card (its
  // order goes on); a release whose cancellation could not be written after it; the Dashboard. The order is the
  // hold's own, also once it continued on another PaymentIntent (a saved card charged on arrival).
  for (const r of db
    .prepare(
      `SELECT h.payment_intent_id, h.currency, h.amount_authorized, h.status, h.expires_at, p.content_json,
         coalesce(p.canceled_at, (SELECT max(e.created) FROM stripe_events e
           WHERE e.object_id = h.payment_intent_id AND e.type = 'payment_intent.canceled')) AS canceled_at,
         ${ORDER}
       FROM holds h JOIN payment_intents p ON p.id = h.payment_intent_id
       LEFT JOIN orders o ON o.id = 'ord_' || substr(h.payment_intent_id, 4)
       WHERE h.status IN ('released', 'expired')`,
    )
    .all() as (Row & {
    amount_authorized: number;
    status: string;
    expires_at: number | null;
    canceled_at: number | null;
    content_json: string | null;
  })[]) {
    const lapsed = r.status === 'expired';
    // A release is listed once, from the cancellation written on its order; a lapse is Stripe's even when a
    // manager cancelled the order afterwards (it was waiting on its saved card).
    if (!lapsed && recorded.has(r.payment_intent_id)) continue;
    const content = r.content_json ? (JSON.parse(r.content_json) as OrderContent) : null;
    const mark = content?.released;
    const kept = mark ? mark.keep : !!content?.keepCard;
    out.push({
      kind: lapsed ? 'lapsed' : 'released',
      at: lapsed ? r.expires_at : mark ? mark.at * 1000 : r.canceled_at ? r.canceled_at * 1000 : null,
      amount: r.amount_authorized,
      ...label(r),
      ...(lapsed
        ? { who: 'stripe' as const, by: null, station: null }
        : mark
          ? person(mark.by)
          : content?.keepCard
            ? person(null) // an earlier version's "keep" ("1"): ours, nobody named
            : DASHBOARD),
      detail: lapsed
        ? 'the bank let the authorization lapse'
        : kept
          ? 'the card is kept, charged on arrival'
          : null,
    });
  }

  // Saved-card orders whose PaymentIntent was cancelled with nothing of ours on it: in Stripe's Dashboard (a cancel
  // of ours writes its cancellation first, on the PaymentIntent or the charge).
  for (const r of db
    .prepare(
      `SELECT p.id AS payment_intent_id, p.currency, p.amount, p.content_json, p.cancellation_reason,
         coalesce(p.canceled_at, (SELECT max(e.created) FROM stripe_events e
           WHERE e.object_id = p.id AND e.type = 'payment_intent.canceled')) AS canceled_at,
         ${ORDER}
       FROM payment_intents p
       LEFT JOIN orders o ON o.id = 'ord_' || substr(coalesce(json_extract(p.content_json, '$.rootPaymentIntentId'), p.id), 4)
       WHERE p.status = 'canceled' AND p.capture_method = 'automatic'
         AND ((json_extract(p.content_json, '$.wait.mode') = 'card'
             -- an order once its card was saved (a checkout given up before that is no order's)
             AND EXISTS (SELECT 1 FROM card_setups s WHERE s.payment_intent_id = p.id AND s.status = 'succeeded'))
           OR json_extract(p.content_json, '$.rootPaymentIntentId') IS NOT NULL)
         AND json_extract(p.content_json, '$.cancelled') IS NULL
         AND (o.cancelled_json IS NULL)`,
    )
    .all() as (Row & {
    amount: number;
    content_json: string;
    cancellation_reason: string | null;
    canceled_at: number | null;
  })[]) {
    if (recorded.has(r.payment_intent_id)) continue;
    // The order, cancelled, is at every station (sync/shop-projection.ts); its number is the PaymentIntent's too.
    const content = JSON.parse(r.content_json) as OrderContent;
    out.push({
      kind: 'cancelled',
      at: r.canceled_at ? r.canceled_at * 1000 : null,
      amount: r.amount,
      ...label(r),
      orderNumber: orderNumberText(content.stationCode, content.number),
      ...DASHBOARD,
      detail: r.cancellation_reason
        ? (REASON_WORDS[r.cancellation_reason] ?? r.cancellation_reason.replace(/_/g, ' '))
        : null,
    });
  }

  // Refunds (a failed one too: the customer was not refunded).
  for (const r of db
    .prepare(
      `SELECT f.payment_intent_id, f.amount, f.status, f.reason, f.failure_reason, f.created_at, f.requested_by,
         p.currency, ${ORDER}
       FROM refunds f JOIN payment_intents p ON p.id = f.payment_intent_id
       LEFT JOIN orders o ON o.id = 'ord_' || substr(coalesce(json_extract(p.content_json, '$.rootPaymentIntentId'), p.id), 4)`,
    )
    .all() as (Row & {
    amount: number;
    status: string;
    reason: string | null;
    failure_reason: string | null;
    created_at: number;
    requested_by: string | null;
  })[]) {
    const failed = r.status === 'failed';
    out.push({
      kind: failed ? 'refund_failed' : 'refunded',
      at: r.created_at,
      amount: r.amount,
      ...label(r),
      // Our refunds carry who on their creation (mc_by): none means the Dashboard.
      ...(r.requested_by ? person(r.requested_by) : DASHBOARD),
      detail: failed
        ? `the bank refused it${r.failure_reason ? ` (${r.failure_reason.replace(/_/g, ' ')})` : ''}`
        : r.reason
          ? (REASON_WORDS[r.reason] ?? r.reason.replace(/_/g, ' '))
          : null,
    });
  }

  // Newest first; ties (Stripe's times are whole seconds) in an order every station shares.
  const tie = (x: MoneyAction) =>
    `${x.orderNumber ?? ''}\u0000${x.kind}\u0000${String(x.amount).padStart(12, '0')}\u0000${x.station ?? ''}\u0000${x.by ?? ''}`;
  out.sort((x, y) => (y.at ?? 0) - (x.at ?? 0) || tie(x).localeCompare(tie(y)));
  return out.slice(0, limit);
}
