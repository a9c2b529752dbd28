// How the console keeps a product's shop data on the Stripe Product (metadata values are strings, ≤ 500 chars):
//   sku               the shop's stock-keeping unit, unique per shop
//   stock             the manager's last stock count (a whole number ≥ 0)
//   stock_counted_at  when that count was taken, in Stripe's time (unix seconds; "0" = before any sale).
//                     Stock on hand = count − units sold by payments made after that moment.
//   stock_counted_by  who counted (a person's name and station)
//   lead_time_days    the supplier's usual lead time, in days (optional)
import { cutText } from '../record/text';

export interface ProductMeta {
  sku: string;
  stock: number;
  stockCountedAt: number;
  stockCountedBy?: string | undefined;
  leadTimeDays?: number | undefined;
}

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
  return {
    sku,
    stock: wholeNumber(metadata?.stock) ?? 0,
    stockCountedAt: wholeNumber(metadata?.stock_counted_at) ?? created,
    stockCountedBy: metadata?.stock_counted_by || undefined,
    leadTimeDays: wholeNumber(metadata?.lead_time_days) ?? undefined,
  };
}
