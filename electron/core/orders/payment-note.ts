// Where a waitlist order's money stands, in one sentence for the order's page: held (awaiting stock, and until
// when), waiting on a saved card, or cancelled (released by a manager, lapsed at the bank, or a saved-card order
// cancelled before its charge — here or in Stripe's Dashboard). Null for an order that is simply paid.
import type { Db } from '../store/db';
import { formatMoney } from '../../ipc/money';
import type { OrderDbRow } from './orders-repo';

/** A date and time in the shop's zone (the same words at every station, whatever zone its computer is in). */
const whenIn = (timeZone: string | undefined): Intl.DateTimeFormat => {
  try {
    return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone });
  } catch {
    return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
  }
};

export function paymentNote(
  db: Db,
  r: Pick<
    OrderDbRow,
    | 'payment_intent_id'
    | 'payment_state'
    | 'currency'
    | 'amount_total'
    | 'amount_captured'
    | 'card_wait'
    | 'cancelled_json'
  >,
  timeZone?: string,
  /** Stripe's now (ms), for a hold whose deadline has passed before Stripe's event says it lapsed. */
  stripeNow?: number,
): string | null {
  if (r.payment_state === 'paid') return null;
  const when = whenIn(timeZone);
  const hold = db
    .prepare(
      'SELECT status, amount_authorized, expires_at, updated_at FROM holds WHERE payment_intent_id = ?',
    )
    .get(r.payment_intent_id) as
    { status: string; amount_authorized: number; expires_at: number | null; updated_at: number } | undefined;
  const amount = formatMoney(hold?.amount_authorized ?? r.amount_total ?? r.amount_captured, r.currency);
  // A waitlist order on a saved card (payments/saved-cards-service.ts): nothing is held, the card is charged later.
  if (r.card_wait === 'waiting')
    return `Awaiting stock: the customer’s card is saved and ${amount} is charged when the items arrive, not before. A manager charges it in Holds (Saved cards).`;
  if (r.card_wait === 'action_needed')
    return `Customer action needed: the saved card could not be charged ${amount} without the customer. Call them back, or send them the payment link (Holds, Saved cards).`;
  if (
    r.payment_state === 'authorized' &&
    hold?.status === 'authorized' &&
    hold.expires_at !== null &&
    stripeNow !== undefined &&
    stripeNow >= hold.expires_at
  )
    return `The hold lapsed on ${when.format(new Date(hold.expires_at))}: nothing is held on the customer’s card any more, and nothing was charged (Stripe confirms it shortly).`;
  if (r.payment_state === 'authorized') {
    const until = hold?.expires_at ? ` until ${when.format(new Date(hold.expires_at))}` : '';
    return `Awaiting stock: ${amount} is held on the customer’s card${until}, not charged. A manager captures it in Holds when the items arrive.`;
  }
  // A saved-card order cancelled before its charge on arrival (it never had a hold): by a manager here, who wrote
  // why on it (mc_cancel), or with nothing of ours on it — in Stripe's Dashboard.
  if (!hold)
    return `${r.cancelled_json ? 'Cancelled' : 'Cancelled outside the console (in Stripe’s Dashboard)'} before the items arrived. Nothing was charged: the ${amount} due on arrival will not be taken from the customer’s saved card.`;
  if (hold.status === 'expired')
    return `Cancelled: the hold lapsed${hold.expires_at ? ` on ${when.format(new Date(hold.expires_at))}` : ''} and the bank released ${amount}. Nothing was charged.`;
  return `Cancelled: the hold was released — ${amount} back to the customer. Nothing was charged.`;
}
