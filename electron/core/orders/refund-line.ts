// A refund of an order line, written on the refund's own metadata in Stripe (record/rules.ts): which line, how
// many units, and whether they went back on the shelf. Every station reads it from the refund (event or list), so
// the line is marked and the restock counted the same way everywhere, and again after a rebuild from nothing.
//   mc_line = "<units>|<restock 1|0>|<sku>"   (the SKU last: it may contain "|")

export interface RefundLine {
  sku: string;
  quantity: number;
  restock: boolean;
}

export const REFUND_LINE_KEY = 'mc_line';

export function encodeRefundLine(l: RefundLine): string {
  return `${l.quantity}|${l.restock ? 1 : 0}|${l.sku}`;
}

/** The line a refund's metadata names, or null (a refund of an amount; or a value this console did not write). */
export function decodeRefundLine(metadata: Record<string, string> | null | undefined): RefundLine | null {
  const m = /^(\d{1,3})\|([01])\|(.{1,200})$/s.exec(metadata?.[REFUND_LINE_KEY] ?? '');
  if (!m) return null;
  const quantity = Number(m[1]);
  return quantity > 0 ? { quantity, restock: m[2] === '1', sku: m[3]! } : null;
}
