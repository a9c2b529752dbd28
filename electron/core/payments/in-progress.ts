// Payments in progress at every station of the shop (issue 23 item 5): a PaymentIntent made for an order (its
// content — number, lines, station, who took it — is on it from creation), not yet paid, held or cancelled. Each
// station derives the list from the PaymentIntents it projects, so a payment waiting for the customer's 3D Secure
// is seen (its link sent again, or cancelled) at any desk, not only in the cart of the station that took it.
import type { Db } from '../store/db';
import type { PaymentInProgress } from '../../ipc/contract';
import type { OrderContent } from '../orders/order-metadata';

/** The PaymentIntent states of a payment not finished: no card yet (or declined), 3D Secure, processing. */
export const IN_PROGRESS_STATUSES = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
] as const;

/** As literals, so SQLite reads them from the partial index of migration 012 (bound values can't prove it applies). */
const IN_PROGRESS_SQL = IN_PROGRESS_STATUSES.map((s) => `'${s}'`).join(', ');

interface Row {
  id: string;
  status: string;
  amount: number;
  currency: string;
  cart_id: string | null;
  content_json: string;
  customer_name: string | null;
  created: number;
  last_error_json: string | null;
  action_url: string | null;
  local_cart: string | null;
  local_auth_url: string | null;
}

/**
 * Every payment in progress this station knows of, newest first. Not listed: a PaymentIntent that is an order (a
 * saved-card order waits on one unconfirmed), one that continues an order (its order lists it), one cancelled as
 * an order, and a PaymentIntent without an order's content (not made by this shop's consoles).
 */
/** The query behind listInProgress (its plan is tested: the partial index, never a scan of every PaymentIntent). */
export const IN_PROGRESS_QUERY = `SELECT p.id, p.status, p.amount, p.currency, p.cart_id, p.content_json, p.customer_name, p.created,
         p.last_error_json, p.action_url, c.id AS local_cart, c.auth_url AS local_auth_url
       FROM payment_intents p
       LEFT JOIN carts c ON c.id = p.cart_id AND c.payment_intent_id = p.id
       WHERE p.status IN (${IN_PROGRESS_SQL})
         AND p.content_json IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.payment_intent_id = p.id OR o.id = 'ord_' || substr(p.id, 4))
       ORDER BY p.created DESC, p.id DESC
       LIMIT ?`;

export function listInProgress(db: Db, limit = 50): PaymentInProgress[] {
  const rows = db.prepare(IN_PROGRESS_QUERY).all(limit * 2) as Row[];
  const out: PaymentInProgress[] = [];
  for (const r of rows) {
    const content = JSON.parse(r.content_json) as OrderContent;
    if (content.rootPaymentIntentId || content.cancelled) continue;
    out.push({
      paymentIntentId: r.id,
      cartId: r.local_cart,
      orderNumber: content.stationCode && content.number ? `${content.stationCode}${content.number}` : null,
      customerName: content.customerName || r.customer_name || 'No name given',
      itemCount: content.lines.reduce((n, l) => n + l.quantity, 0),
      amount: r.amount,
      currency: r.currency,
      state:
        r.status === 'requires_action'
          ? 'authenticating'
          : r.status === 'processing'
            ? 'processing'
            : r.last_error_json
              ? 'declined'
              : 'awaiting_card',
      secureLink: r.status === 'requires_action' ? (r.action_url ?? r.local_auth_url) : null,
      stationName: content.stationName,
      takenBy: content.takenBy,
      createdAt: r.created * 1000,
    });
    if (out.length >= limit) break;
  }
  return out;
}
