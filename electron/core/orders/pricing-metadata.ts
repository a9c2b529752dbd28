// An order's discounts and tax, kept on its PaymentIntent beside its lines (order-metadata.ts), so that every
// station — and one rebuilt from an empty folder — shows the same subtotal, discounts, tax and total, and a
// capture by lines or a refund can take back exactly the tax of what it takes. Written by the station that takes
// the order (before it is paid; immutable afterwards, like the lines), except mc_cap_tax, which rides on the
// capture itself. The keys are the PaymentIntent budget's reserved ones (record/rules.ts):
//
//   mc_tax     JSON [mode, inclusive 0|1, taxTotal, shippingTax, calculationId|"", exempt|"", breakdown]
//              mode "none" | "rates" | "stripe_tax"; taxTotal includes shippingTax; breakdown is
//              [[jurisdiction, level, type, country, state|"", ratePpm, amount], …] summing to taxTotal (a long
//              breakdown keeps its largest rows and adds the rest up in one row named "Other").
//              Absent: an order taken before tax existed (no tax, prices as they were).
//   mc_disc    JSON [orderDiscountAmount, spec, orderReason, givenBy, approvedBy, reasons]
//              spec "a<minor units>" or "p<basis points>" or "" (no order discount); orderReason an index
//              into reasons or -1; approvedBy the manager whose PIN allowed a discount above the shop's limit,
//              or ""; reasons the distinct reasons given on this order (cut to fit). Absent: no discount.
//   mc_lx0,1   the lines' own discount and tax, in the order's line order, as one text cut into at most two
//              chunks: entries joined by ",", each "<discount>:<tax>" or "<discount>:<tax>:<reason index>",
//              zeros written as nothing (":" is a line with neither). A line's discount is its own discount
//              plus its share of the order's discount; its tax is the tax on it after discounts.
//   mc_cap_tax "<tax captured>|<calculationId or empty>" — set on a capture by lines, carried on the capture
//              (the tax of the lines taken, worked out anew for them).
//
// Older stations read only mc_l*: they still see the lines, at their undiscounted prices. Never throws on read:
// damaged pricing reads as none.
import { AppError } from '../../ipc/errors';
import type { Discount } from '../tax/discounts';
import type { JurisdictionAmount, JurisdictionLevel, TaxType, TaxedLine, TaxedOrder } from '../tax/rates';
import { allocate } from '../tax/money-math';
import { METADATA_LIMITS } from '../record/rules';
import { chunkText, cutText } from '../record/text';

const VALUE_MAX = METADATA_LIMITS.valueLength;
/** Keys of the line entries (mc_lx0, mc_lx1): at most two. */
export const LINE_PRICING_CHUNKS_MAX = 2;
export const PRICING_KEYS = ['mc_tax', 'mc_disc', 'mc_lx0', 'mc_lx1', 'mc_cap_tax'] as const;

export type TaxMode = 'none' | 'rates' | 'stripe_tax';

export interface RecordedJurisdiction {
  jurisdiction: string;
  level: JurisdictionLevel;
  type: TaxType;
  country: string;
  state: string | null;
  ratePpm: number;
  amount: number;
}

export interface LinePricing {
  /** The line's own discount plus its share of the order's discount (minor units). */
  discount: number;
  /** Tax on the line after discounts (inside its price when prices include tax). */
  tax: number;
  /** Index into OrderPricing.reasons of the line's own discount's reason. */
  reason?: number;
}

export interface OrderPricing {
  taxMode: TaxMode;
  /** Prices include tax (the total is then Σ(price − discount) + shipping). */
  inclusive: boolean;
  /** Tax on the lines and shipping. */
  taxTotal: number;
  shippingTax: number;
  /** The Stripe Tax calculation the PaymentIntent is linked to. */
  calculationId: string | null;
  /** The customer was exempt: their reason or certificate number. */
  exempt: string | null;
  breakdown: RecordedJurisdiction[];
  /** The discount on the whole order, as given and as an amount (allocated into the lines' discounts). */
  orderDiscount: { spec: Discount; amount: number } | null;
  orderReason: number | null;
  /** Who gave the discounts, and the manager who allowed them when above the shop's limit. */
  discountBy: string | null;
  discountApprovedBy: string | null;
  reasons: string[];
  /** One per order line, in the order's line order. */
  lines: LinePricing[];
}

/** The discount the lines carry in all (each line's own plus its share of the order's). */
export const discountTotalOf = (p: OrderPricing): number => p.lines.reduce((n, l) => n + l.discount, 0);

/**
 * What the order costs: its lines less their discounts, plus shipping, plus tax when prices exclude it.
 * `lines` are the order's lines (order-metadata.ts), in the same order as `pricing.lines`.
 */
export function orderTotal(
  lines: readonly { unitAmount: number; quantity: number }[],
  shippingFee: number,
  pricing: OrderPricing | null,
): number {
  const gross = lines.reduce((n, l) => n + l.unitAmount * l.quantity, 0);
  if (!pricing) return gross + shippingFee;
  return gross - discountTotalOf(pricing) + shippingFee + (pricing.inclusive ? 0 : pricing.taxTotal);
}

const MODES: readonly TaxMode[] = ['none', 'rates', 'stripe_tax'];
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
const specText = (d: Discount): string => (d.kind === 'amount' ? `a${d.amount}` : `p${d.bp}`);
function readSpec(s: unknown): Discount | null {
  if (typeof s !== 'string') return null;
  const m = /^([ap])(\d{1,9})$/.exec(s);
  if (!m) return null;
  return m[1] === 'a' ? { kind: 'amount', amount: Number(m[2]) } : { kind: 'percent', bp: Number(m[2]) };
}

type Row = [string, string, string, string, string, number, number];
const toRow = (j: RecordedJurisdiction): Row => [
  j.jurisdiction,
  j.level,
  j.type,
  j.country,
  j.state ?? '',
  j.ratePpm,
  j.amount,
];

/** The breakdown as rows that fit beside the rest of mc_tax: the largest kept, the others summed as "Other". */
function fitBreakdown(head: unknown[], breakdown: readonly RecordedJurisdiction[]): string {
  const whole = JSON.stringify([...head, breakdown.map(toRow)]);
  if (whole.length <= VALUE_MAX) return whole;
  const rows = [...breakdown].sort((a, b) => b.amount - a.amount).map(toRow);
  for (let keep = rows.length; keep >= 0; keep--) {
    const kept = rows.slice(0, keep);
    const rest = rows.slice(keep);
    if (rest.length) {
      const r = rest[0]!;
      kept.push(['Other', r[1], r[2], r[3], '', 0, rest.reduce((n, x) => n + x[6], 0)]);
    }
    const text = JSON.stringify([...head, kept.map((r) => [cutText(r[0], 60), ...r.slice(1)])]);
    if (text.length <= VALUE_MAX) return text;
  }
  throw new AppError('internal', 'The tax record does not fit in Stripe’s metadata.');
}

/** The metadata keys for an order's pricing (merged with encodeOrderMetadata's). Throws when it can't fit. */
export function encodePricing(p: OrderPricing): Record<string, string> {
  const md: Record<string, string> = {};
  const hasTax = p.taxMode !== 'none' || p.taxTotal > 0;
  if (hasTax || p.exempt) {
    md.mc_tax = fitBreakdown(
      [
        p.taxMode,
        p.inclusive ? 1 : 0,
        p.taxTotal,
        p.shippingTax,
        p.calculationId ?? '',
        cutText(p.exempt ?? '', 100),
      ],
      p.breakdown,
    );
  }
  const anyDiscount = p.orderDiscount !== null || p.lines.some((l) => l.discount > 0);
  if (anyDiscount) {
    const head = [
      p.orderDiscount?.amount ?? 0,
      p.orderDiscount ? specText(p.orderDiscount.spec) : '',
      p.orderReason ?? -1,
      cutText(p.discountBy ?? '', 60),
      cutText(p.discountApprovedBy ?? '', 60),
    ];
    // Reasons are cut evenly until they fit.
    let max = Math.max(0, ...p.reasons.map((r) => r.length));
    let text = JSON.stringify([...head, p.reasons.map((r) => cutText(r, max))]);
    while (text.length > VALUE_MAX && max > 0) {
      max = Math.floor(max / 2);
      text = JSON.stringify([...head, p.reasons.map((r) => cutText(r, max))]);
    }
    if (text.length > VALUE_MAX)
      throw new AppError('invalid_input', 'Too many discount reasons on one order.');
    md.mc_disc = text;
  }
  if (anyDiscount || p.lines.some((l) => l.tax > 0)) {
    const entries = p.lines
      .map((l) => {
        const e = `${l.discount || ''}:${l.tax || ''}`;
        return l.reason !== undefined && l.reason >= 0 ? `${e}:${l.reason}` : e;
      })
      .join(',');
    const chunks = chunkText(entries, VALUE_MAX);
    if (chunks.length > LINE_PRICING_CHUNKS_MAX)
      throw new AppError(
        'invalid_input',
        `This order has too many lines with discounts or tax to record with Stripe (${p.lines.length}). Split it into two orders.`,
      );
    chunks.forEach((c, i) => (md[`mc_lx${i}`] = c));
  }
  return md;
}

function readLines(md: Record<string, string>, count: number): LinePricing[] | null {
  const text = (md.mc_lx0 ?? '') + (md.mc_lx1 ?? '');
  if (!text) return Array.from({ length: count }, () => ({ discount: 0, tax: 0 }));
  const parts = text.split(',');
  if (parts.length !== count) return null;
  const out: LinePricing[] = [];
  for (const part of parts) {
    const m = /^(\d{0,9}):(\d{0,9})(?::(\d{1,3}))?$/.exec(part);
    if (!m) return null;
    out.push({
      discount: Number(m[1] || 0),
      tax: Number(m[2] || 0),
      ...(m[3] !== undefined ? { reason: Number(m[3]) } : {}),
    });
  }
  return out;
}

function readBreakdown(raw: unknown): RecordedJurisdiction[] | null {
  if (!Array.isArray(raw)) return null;
  const out: RecordedJurisdiction[] = [];
  for (const r of raw) {
    if (
      !Array.isArray(r) ||
      r.length !== 7 ||
      !r.slice(0, 5).every((x) => typeof x === 'string') ||
      !isCount(r[5]) ||
      !isCount(r[6])
    )
      return null;
    out.push({
      jurisdiction: r[0],
      level: r[1] as JurisdictionLevel,
      type: r[2] as TaxType,
      country: r[3],
      state: r[4] || null,
      ratePpm: r[5],
      amount: r[6],
    });
  }
  return out;
}

/**
 * The pricing an order's PaymentIntent carries for its `lineCount` lines, or null when it carries none (an
 * order without tax or discounts, or taken before they existed). Damaged pricing reads as null.
 */
export function decodePricing(
  md: Record<string, string> | null | undefined,
  lineCount: number,
): OrderPricing | null {
  if (!md || (!md.mc_tax && !md.mc_disc && !md.mc_lx0)) return null;
  const lines = readLines(md, lineCount);
  if (!lines) return null;
  const p: OrderPricing = {
    taxMode: 'none',
    inclusive: false,
    taxTotal: 0,
    shippingTax: 0,
    calculationId: null,
    exempt: null,
    breakdown: [],
    orderDiscount: null,
    orderReason: null,
    discountBy: null,
    discountApprovedBy: null,
    reasons: [],
    lines,
  };
  try {
    if (md.mc_tax) {
      const t = JSON.parse(md.mc_tax) as unknown;
      if (!Array.isArray(t) || t.length !== 7) return null;
      const [mode, incl, total, ship, calc, exempt, rows] = t as unknown[];
      const breakdown = readBreakdown(rows);
      if (
        !MODES.includes(mode as TaxMode) ||
        (incl !== 0 && incl !== 1) ||
        !isCount(total) ||
        !isCount(ship) ||
        typeof calc !== 'string' ||
        typeof exempt !== 'string' ||
        !breakdown
      )
        return null;
      Object.assign(p, {
        taxMode: mode as TaxMode,
        inclusive: incl === 1,
        taxTotal: total,
        shippingTax: ship,
        calculationId: calc || null,
        exempt: exempt || null,
        breakdown,
      });
    }
    if (md.mc_disc) {
      const d = JSON.parse(md.mc_disc) as unknown;
      if (!Array.isArray(d) || d.length !== 6) return null;
      const [amount, spec, reason, by, approved, reasons] = d as unknown[];
      if (
        !isCount(amount) ||
        typeof spec !== 'string' ||
        !Number.isSafeInteger(reason) ||
        typeof by !== 'string' ||
        typeof approved !== 'string' ||
        !Array.isArray(reasons) ||
        !reasons.every((r) => typeof r === 'string')
      )
        return null;
      const parsed = readSpec(spec);
      Object.assign(p, {
        orderDiscount: parsed ? { spec: parsed, amount } : null,
        orderReason: (reason as number) >= 0 ? reason : null,
        discountBy: by || null,
        discountApprovedBy: approved || null,
        reasons,
      });
    }
  } catch {
    return null;
  }
  return p;
}

/** mc_cap_tax for a capture by lines (carried on the capture, beside mc_cap). */
export function capturedTaxMetadata(tax: number, calculationId: string | null): Record<string, string> {
  return { mc_cap_tax: `${tax}|${calculationId ?? ''}` };
}

export function readCapturedTax(
  md: Record<string, string> | null | undefined,
): { tax: number; calculationId: string | null } | null {
  const m = /^(\d{1,9})\|(taxcalc_[A-Za-z0-9]+)?$/.exec(md?.mc_cap_tax ?? '');
  return m ? { tax: Number(m[1]), calculationId: m[2] ?? null } : null;
}

/** A refund's own record of the tax it takes back (mc_tax_back on the Refund's metadata; split.ts taxOfRefund). */
export const REFUND_TAX_KEY = 'mc_tax_back';

export function readRefundTax(md: Record<string, string> | null | undefined): number {
  const v = md?.[REFUND_TAX_KEY] ?? '';
  return /^\d{1,9}$/.test(v) ? Number(v) : 0;
}

/**
 * The order as tax/split.ts sees it, from its lines (sku as the reference), shipping fee and recorded pricing:
 * what a capture by lines or a refund takes a portion of. Per-line jurisdictions are not recorded (only the
 * order's breakdown), so the portions' breakdowns are empty; recordedBreakdown spreads a portion's tax.
 */
export function taxedOrderOf(
  lines: readonly { sku: string; quantity: number; unitAmount: number }[],
  shippingFee: number,
  pricing: OrderPricing,
  currency = '',
): TaxedOrder {
  const line = (ref: string, quantity: number, gross: number, discount: number, tax: number): TaxedLine => {
    const net = gross - discount;
    return {
      ref,
      quantity,
      gross,
      discount,
      net,
      taxableAmount: pricing.inclusive ? net - tax : net,
      tax,
      total: pricing.inclusive ? net : net + tax,
      taxability: tax > 0 ? 'standard_rated' : 'not_collecting',
      breakdown: [],
    };
  };
  const taxed = lines.map((l, i) =>
    line(
      l.sku,
      l.quantity,
      l.unitAmount * l.quantity,
      pricing.lines[i]?.discount ?? 0,
      pricing.lines[i]?.tax ?? 0,
    ),
  );
  const shipping = shippingFee > 0 ? line('shipping', 1, shippingFee, 0, pricing.shippingTax) : null;
  const all = shipping ? [...taxed, shipping] : taxed;
  return {
    currency,
    inclusive: pricing.inclusive,
    lines: taxed,
    shipping,
    subtotal: taxed.reduce((n, l) => n + l.gross, 0),
    discountTotal: taxed.reduce((n, l) => n + l.discount, 0),
    taxTotal: all.reduce((n, l) => n + l.tax, 0),
    shippingTotal: shipping?.total ?? 0,
    total: all.reduce((n, l) => n + l.total, 0),
    breakdown: [],
  };
}

/** `tax` spread over the order's recorded jurisdictions in proportion to what each collected. */
export function recordedBreakdown(pricing: OrderPricing, tax: number): RecordedJurisdiction[] {
  if (tax === pricing.taxTotal) return pricing.breakdown;
  if (pricing.breakdown.length === 0) return [];
  const parts = allocate(
    tax,
    pricing.breakdown.map((b) => b.amount),
  );
  return pricing.breakdown.map((b, i) => ({ ...b, amount: parts[i] as number }));
}

/** The breakdown as split.ts takes it (taxOfRefund's `collected`). */
export const asJurisdictionAmounts = (rows: readonly RecordedJurisdiction[]): JurisdictionAmount[] =>
  rows.map((r) => ({ ...r, taxableAmount: 0 }));
