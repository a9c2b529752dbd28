// How the console keeps a product's shop data on the Stripe Product (metadata values are strings, ≤ 500 chars):
//   sku               the shop's stock-keeping unit, unique per shop
//   stock             the manager's last stock count (a whole number ≥ 0)
//   stock_counted_at  when that count was taken, in Stripe's time (unix seconds; "0" = before any sale).
//                     Stock on hand = count − units sold by payments made after that moment.
//   stock_counted_by  who counted (a person's name and station)
//   lead_time_days    the supplier's usual lead time, in days (optional)
//   mc_in_<CODE>      deliveries received at station CODE since a count: "<stock_counted_at>|<units>|<ids>" (the
//                     last few delivery ids, comma-separated).
//                     Only that station writes its key (read from Stripe, added to, written back), so deliveries at
//                     two stations at once both count; the last few deliveries' ids make a repeat count once; a key
//                     naming an older count is from before the recount, which counted the shelf itself.
import { cutText } from '../record/text';
import { DELIVERY_KEY_PREFIX } from '../record/rules';

export interface ProductMeta {
  sku: string;
  stock: number;
  stockCountedAt: number;
  stockCountedBy?: string | undefined;
  leadTimeDays?: number | undefined;
  /** Deliveries since the count, summed over every station's counter for this count. */
  received?: number;
}

export interface DeliveryCounter {
  epoch: number;
  units: number;
  /** The last few deliveries counted (newest last): a repeat of any of them counts once. */
  ids: string[];
}

/** How many recent delivery ids a counter keeps (each ≤ 60 characters: well within a 500-character value). */
export const DELIVERY_IDS_KEPT = 6;

export const deliveryKey = (stationCode: string): string => `${DELIVERY_KEY_PREFIX}${stationCode}`;

export function readDeliveryCounter(v: string | undefined): DeliveryCounter | null {
  const m = /^(\d{1,12})\|(\d{1,9})\|([A-Za-z0-9_,-]{0,400})$/.exec(v ?? '');
  return m
    ? { epoch: Number(m[1]), units: Number(m[2]), ids: m[3]!.split(',').filter((x) => x.length > 0) }
    : null;
}

export const deliveryCounterValue = (c: DeliveryCounter): string =>
  `${c.epoch}|${c.units}|${c.ids.slice(-DELIVERY_IDS_KEPT).join(',')}`;

export function productMetadata(m: ProductMeta): Record<string, string> {
  const out: Record<string, string> = {
    sku: m.sku,
    stock: String(m.stock),
    stock_counted_at: String(m.stockCountedAt),
  };
  if (m.stockCountedBy) out.stock_counted_by = cutText(m.stockCountedBy, 200);
  if (m.leadTimeDays !== undefined) out.lead_time_days = String(m.leadTimeDays);
  return out;
}

const wholeNumber = (v: string | undefined): number | null =>
  v !== undefined && /^\d{1,12}$/.test(v) ? Number(v) : null;

/** Reads the console's metadata back; null when the product is not one of the shop's (no sku). */
export function readProductMetadata(
  metadata: Record<string, string> | null | undefined,
  created: number,
): ProductMeta | null {
  const sku = metadata?.sku?.trim();
  if (!sku) return null;
  const stockCountedAt = wholeNumber(metadata?.stock_counted_at) ?? created;
  let received = 0;
  for (const [k, v] of Object.entries(metadata ?? {})) {
    if (!k.startsWith(DELIVERY_KEY_PREFIX)) continue;
    const c = readDeliveryCounter(v);
    if (c && c.epoch === stockCountedAt) received += c.units;
  }
  return {
    sku,
    received,
    stock: wholeNumber(metadata?.stock) ?? 0,
    stockCountedAt,
    stockCountedBy: metadata?.stock_counted_by || undefined,
    leadTimeDays: wholeNumber(metadata?.lead_time_days) ?? undefined,
  };
}
