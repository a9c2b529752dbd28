// Fulfillment lives on the order's charge, where every station reads it (charge updates emit charge.updated):
//   metadata.mc_processing   "<who> · <station>"  set once the order moved to processing
//   metadata.mc_shipped      "<who> · <station>"  set once it shipped
//   metadata.mc_tracking     "<carrier>|<tracking number>", and shipping.carrier / shipping.tracking_number when
//                            the charge has a ship-to address (Stripe's own fields for it)
// One key per status: Stripe merges metadata key by key, so a station writing "processing" after another wrote
// "shipped" cannot take "shipped" away. The status is the furthest key present — the same at every station,
// whatever order the writes land in. Tracking is Stripe's last write (the newest charge snapshot).
import type Stripe from 'stripe';
import type { OrderStatus } from '../../ipc/contract';
import { cutText } from '../record/text';

export const FULFILLMENT_RANK: Record<OrderStatus, number> = { received: 0, processing: 1, shipped: 2 };

export interface Fulfillment {
  rank: number;
  by: string | null;
  carrier: string | null;
  trackingNumber: string | null;
}

export function readFulfillment(ch: Pick<Stripe.Charge, 'metadata' | 'shipping'>): Fulfillment {
  const md = ch.metadata ?? {};
  const rank = md.mc_shipped ? 2 : md.mc_processing ? 1 : 0;
  const by = (rank === 2 ? md.mc_shipped : rank === 1 ? md.mc_processing : null) ?? null;
  const [mdCarrier, ...rest] = (md.mc_tracking ?? '').split('|');
  const mdTracking = rest.join('|');
  return {
    rank,
    by,
    carrier: ch.shipping?.carrier || mdCarrier || null,
    trackingNumber: ch.shipping?.tracking_number || mdTracking || null,
  };
}

export function fulfillmentUpdate(
  to: 'processing' | 'shipped',
  who: string,
  station: string,
  shipping: Stripe.ChargeUpdateParams.Shipping | null,
  carrier: string | undefined,
  tracking: string | undefined,
): Stripe.ChargeUpdateParams {
  const md: Record<string, string> = { [`mc_${to}`]: cutText(`${who} · ${station}`, 500) };
  if (to === 'shipped' && (carrier || tracking))
    md.mc_tracking = cutText(`${carrier ?? ''}|${tracking ?? ''}`, 500);
  return {
    metadata: md,
    ...(to === 'shipped' && shipping && (carrier || tracking)
      ? {
          shipping: {
            ...shipping,
            ...(carrier ? { carrier } : {}),
            ...(tracking ? { tracking_number: tracking } : {}),
          },
        }
      : {}),
  };
}
