// How an order's state reads to staff, wherever it is shown: "Awaiting stock" for a waitlist order whose card is
// held, "Cancelled" for a released or lapsed hold (or an order cancelled as one action), "Collected" for a
// collected order; otherwise its fulfillment status. And which orders each bulk action may be offered for.
import type { OrderRow } from '../../../electron/ipc/contract';
import { statusLabel } from '../../lib/format';

export type OrderLike = Pick<OrderRow, 'status' | 'paymentState' | 'delivery'> & {
  cancelled?: boolean | undefined;
};

export function orderStateWords(o: OrderLike): { label: string; tone: string } {
  if (o.cancelled || o.paymentState === 'canceled') return { label: 'Cancelled', tone: 'canceled' };
  if (o.paymentState === 'authorized') return { label: 'Awaiting stock', tone: 'awaiting' };
  if (o.status === 'shipped' && o.delivery === 'collect') return { label: 'Collected', tone: 'shipped' };
  return { label: statusLabel(o.status), tone: o.status };
}

export function OrderStateBadge({ order }: { order: OrderLike }) {
  const w = orderStateWords(order);
  return <span className={`badge badge--${w.tone}`}>{w.label}</span>;
}

const paid = (o: OrderLike) =>
  !o.cancelled &&
  o.paymentState !== 'authorized' &&
  o.paymentState !== 'canceled' &&
  o.paymentState !== 'refunded';

/** Received and paid: can be picked and packed. */
export const canMoveToProcessing = (o: OrderLike): boolean => paid(o) && o.status === 'received';
/** Processing and paid: can be shipped (or handed over, for a collected order). */
export const canShip = (o: OrderLike): boolean => paid(o) && o.status === 'processing';

/** Why an order is not offered for a step, in words. */
export function notOfferedBecause(o: OrderLike & { number: string }, to: 'processing' | 'shipped'): string {
  if (o.cancelled || o.paymentState === 'canceled') return `#${o.number} is cancelled`;
  if (o.paymentState === 'authorized') return `#${o.number} is awaiting stock`;
  if (o.paymentState === 'refunded') return `#${o.number} was refunded`;
  if (to === 'shipped' && o.status === 'received')
    return `#${o.number} is not packed yet (move it to processing)`;
  return `#${o.number} is already ${o.status}`;
}

/** A carrier's tracking page for a number, for the carriers the shop picks from; null for others. */
export function trackingUrl(carrier: string | null, tracking: string | null): string | null {
  if (!carrier || !tracking) return null;
  const t = encodeURIComponent(tracking.trim());
  switch (carrier.trim().toLowerCase()) {
    case 'ups':
      return `https://www.ups.com/track?tracknum=${t}`;
    case 'usps':
      return `https://tools.usps.com/go/TrackConfirmAction?tLabels=${t}`;
    case 'fedex':
      return `https://www.fedex.com/fedextrack/?trknbr=${t}`;
    case 'dhl':
      return `https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=${t}`;
    case 'royal mail':
      return `https://www.royalmail.com/track-your-item#/tracking-results/${t}`;
    case 'canada post':
      return `https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=${t}`;
    default:
      return null;
  }
}
