// What an order's pricing comes to as it stands — the figures the order pane, receipts, the CSV and Today show —
// from its content alone (its lines, what a capture by lines took, its recorded pricing and captured tax), so
// every station and one rebuilt from an empty folder computes the same. Pure.
//
// - Paid or held in full: the recorded subtotal, discounts and tax.
// - Captured by lines: those lines' share of each (tax/split.ts portionOfLines), and the tax the capture
//   actually took (mc_cap_tax: a new Stripe Tax calculation, or the portion under the shop's own rates).
// - A hold released or lapsed with nothing captured: no tax was collected (its lines carry none).
import type { OrderPricingView } from '../../ipc/contract';
import type { Db } from '../store/db';
import { portionOfLines } from '../tax/split';
import type { OrderDbRow } from './orders-repo';
import type { OrderContent } from './order-metadata';
import { recordedBreakdown, taxedOrderOf, type RecordedJurisdiction, type TaxMode } from './pricing-metadata';

export interface OrderPricingFigures {
  /** The lines (as captured) before discounts. */
  subtotal: number;
  discountTotal: number;
  /** Tax recorded for the order as it stands (shipping's included). */
  taxTotal: number;
  shippingFee: number;
  shippingTax: number;
  breakdown: RecordedJurisdiction[];
  taxMode: TaxMode | null;
  inclusive: boolean;
  exempt: string | null;
  discountBy: string | null;
  discountApprovedBy: string | null;
  reasons: string[];
}

export function orderPricingFigures(
  content: OrderContent,
  paymentState: 'authorized' | 'paid' | 'canceled',
  amountCaptured: number,
): OrderPricingFigures {
  const p = content.pricing ?? null;
  const fee = content.shippingFee ?? 0;
  const gross = (lines: OrderContent['lines']) => lines.reduce((n, l) => n + l.unitAmount * l.quantity, 0);
  // The lines as captured (a capture by lines took some; the rest was released).
  const took = content.captured ? new Map(content.captured.map((c) => [c.sku, c.quantity])) : null;
  const taken = took
    ? content.lines.map((l) => ({ ...l, quantity: Math.min(l.quantity, took.get(l.sku) ?? 0) }))
    : content.lines;
  const base: OrderPricingFigures = {
    subtotal: gross(taken),
    discountTotal: 0,
    taxTotal: 0,
    shippingFee: fee,
    shippingTax: 0,
    breakdown: [],
    taxMode: p?.taxMode ?? null,
    inclusive: p?.inclusive ?? false,
    exempt: p?.exempt ?? null,
    discountBy: p?.discountBy ?? null,
    discountApprovedBy: p?.discountApprovedBy ?? null,
    reasons: p?.reasons ?? [],
  };
  if (!p) return base;
  const released = paymentState === 'canceled' && amountCaptured === 0;
  if (content.captured) {
    const take = content.captured.filter((c) => c.quantity > 0);
    const portion = portionOfLines(
      taxedOrderOf(content.lines, fee, p),
      take.map((c) => ({ ref: c.sku, quantity: c.quantity })),
      fee > 0 && take.length > 0,
    );
    if (portion.ok) {
      const v = portion.value;
      const tax = released ? 0 : (content.capturedTax?.tax ?? v.taxTotal);
      const shippingTax = v.shipping ? Math.min(tax, v.shipping.tax) : 0;
      // Each line's share: its price for the units taken, less the share of its net (so the figures add up to
      // exactly what was captured).
      const unit = new Map(content.lines.map((l) => [l.sku, l.unitAmount]));
      const subtotal = v.lines.reduce((n, l) => n + (unit.get(l.ref) ?? 0) * l.quantity, 0);
      return {
        ...base,
        subtotal,
        discountTotal: subtotal - v.lines.reduce((n, l) => n + l.net, 0),
        taxTotal: tax,
        shippingFee: v.shipping ? fee : 0,
        shippingTax,
        breakdown: recordedBreakdown(p, tax),
      };
    }
  }
  const tax = released ? 0 : (content.capturedTax?.tax ?? p.taxTotal);
  return {
    ...base,
    discountTotal: p.lines.reduce((n, l) => n + l.discount, 0),
    taxTotal: tax,
    shippingTax: released ? 0 : Math.min(tax, p.shippingTax),
    breakdown: recordedBreakdown(p, tax),
  };
}

/**
 * Each line's whole total (after its discounts, with its tax when prices exclude it) and shipping's, as the
 * screens that capture or charge by lines take shares of them (ipc/money.ts shareOfTotal — the same share
 * tax/split.ts portionOfLines takes).
 */
export function lineTotalsOf(content: OrderContent): { lineTotals: number[]; shippingTotal: number } {
  const fee = content.shippingFee ?? 0;
  if (!content.pricing) {
    return { lineTotals: content.lines.map((l) => l.unitAmount * l.quantity), shippingTotal: fee };
  }
  const order = taxedOrderOf(content.lines, fee, content.pricing);
  return { lineTotals: order.lines.map((l) => l.total), shippingTotal: order.shipping?.total ?? 0 };
}

/** The tax refunds of an order took back (their own mc_tax_back), failed refunds aside. */
export function taxRefundedOf(db: Db, paymentIntentId: string): number {
  return db
    .prepare(
      `SELECT coalesce(sum(tax), 0) FROM refunds WHERE payment_intent_id = ? AND status NOT IN ('failed', 'canceled')`,
    )
    .pluck()
    .get(paymentIntentId) as number;
}

/** The order pane's and the receipt's figures from the projected row; null for an order with no pricing. */
export function pricingViewOf(r: OrderDbRow, taxRefunded: number): OrderPricingView | null {
  if (r.subtotal === null || r.subtotal === undefined) return null;
  const breakdown = r.tax_json ? (JSON.parse(r.tax_json) as RecordedJurisdiction[]) : [];
  const inclusive = r.tax_inclusive === 1;
  const tax = r.tax_total ?? 0;
  const fee = r.shipping_fee ?? 0;
  const discount = r.discount_total ?? 0;
  return {
    subtotal: r.subtotal,
    discountTotal: discount,
    discountBy: r.discount_by ?? null,
    discountApprovedBy: r.discount_approved_by ?? null,
    discountReasons: r.discount_reasons ? (JSON.parse(r.discount_reasons) as string[]) : [],
    taxMode: r.tax_mode ?? null,
    taxInclusive: inclusive,
    taxExempt: r.tax_exempt ?? null,
    taxTotal: tax,
    taxRefunded,
    breakdown: breakdown.map((b) => ({
      jurisdiction: b.jurisdiction,
      country: b.country,
      state: b.state,
      ratePpm: b.ratePpm,
      amount: b.amount,
    })),
    shippingFee: fee,
    shippingTax: r.shipping_tax ?? 0,
    total: r.subtotal - discount + fee + (inclusive ? 0 : tax),
  };
}

/** What each line (as captured) cost after its discounts, with its tax (tax/split.ts portionOfLines). */
export function paidLineTotals(content: OrderContent): { sku: string; total: number }[] {
  if (!content.pricing) return [];
  const take = (content.captured ?? content.lines).filter((l) => l.quantity > 0);
  const portion = portionOfLines(
    taxedOrderOf(content.lines, content.shippingFee ?? 0, content.pricing),
    take.map((l) => ({ ref: l.sku, quantity: l.quantity })),
    false,
  );
  return portion.ok ? portion.value.lines.map((l) => ({ sku: l.ref, total: l.total })) : [];
}
