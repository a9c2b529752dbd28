// Pricing a phone order's cart, in one function: its lines → the discounts staff gave → tax in the shop's mode
// (none, the shop's own rates, or a Stripe Tax calculation) → subtotal, discount, tax by jurisdiction, shipping
// and total. The cart is priced again after every change (lines, quantities, discounts, the customer, the
// ship-to address, shipped or collected, the shipping fee) and before any card is touched; the result is kept on
// the cart with a digest of what it was priced from, so a payment on a cart that moved since (or whose Stripe
// Tax calculation expired) is refused, nothing charged. The order's record (orders/pricing-metadata.ts) is made
// from the result.
import { createHash } from 'node:crypto';
import type { Address, Delivery } from '../../ipc/contract';
import { formatMoney } from '../../ipc/money';
import type { OrderPricing, RecordedJurisdiction } from '../orders/pricing-metadata';
import type { Checked, Discount, DiscountedOrder, FieldErrors } from '../tax/discounts';
import { MAX_AMOUNT, applyDiscounts } from '../tax/discounts';
import { BP_WHOLE, parseRatePercent, ppmToPercentString } from '../tax/money-math';
import { computeTax } from '../tax/rates';
import type { TaxType } from '../tax/rates';
import type { ShopTax, TaxMode } from '../tax/shop-tax';
import { toRatesISet } from '../tax/shop-tax';
import type { StripeTaxCart, StripeTaxQuote, QuoteLine } from '../stripe/stripe-tax';

/** Stripe's tax codes the catalog offers. */
export const TAX_CODES = {
  general: 'txcd_99999999',
  food: 'txcd_40060003',
  nontaxable: 'txcd_00000000',
} as const;
export const SHIPPING_TAX_CODE = 'txcd_92010001';

export interface GivenDiscount {
  discount: Discount;
  /** From the shop's list, or typed. */
  reason: string;
}

/** The discounts on a cart, as staff gave them. */
export interface CartDiscounts {
  /** By product id (a cart has one line per product). */
  lines: Record<string, GivenDiscount>;
  order: GivenDiscount | null;
  givenBy: string | null;
  /** The manager whose PIN allowed a discount above the shop's limit. */
  approvedBy: string | null;
  /** The discount total (minor units) that manager allowed: a % discount that grows past it (more units, a
   * dearer line) needs the PIN again. Absent on carts approved before this was kept: nothing is covered. */
  approvedUpTo?: number | null;
}

export const NO_DISCOUNTS: CartDiscounts = { lines: {}, order: null, givenBy: null, approvedBy: null };

export interface PricingLine {
  productId: string;
  name: string;
  unitAmount: number;
  quantity: number;
  /** The product's Stripe tax code; null: general goods. */
  taxCode: string | null;
  /** The product's SKU: the Stripe Tax line's reference, as the order's lines name it (lines-tax.ts finds a
   * calculation's line by it, whatever order Stripe lists them in). Absent: the product id. */
  sku?: string;
}

export interface PricingInput {
  currency: string;
  lines: PricingLine[];
  shippingFee: number;
  delivery: Delivery | null;
  /** The customer's ship-to address, when shipped. */
  shipTo: Address | null;
  /** The customer is tax-exempt: their reason or certificate number. */
  exempt: string | null;
  discounts: CartDiscounts;
  tax: ShopTax;
}

export interface PricedJurisdiction {
  /** "New York", "Germany VAT". */
  jurisdiction: string;
  /** "8.875". */
  percent: string;
  amount: number;
}

export interface CartPricing {
  /** priced: ready to pay; needs_address: tax needs the ship-to address; invalid: see errors. */
  state: 'priced' | 'needs_address' | 'invalid';
  /** Reasons by field ("lines.<productId>.discount", "orderDiscount", "destination.address", "taxSetting"). */
  errors: FieldErrors;
  /** A digest of everything the price came from. */
  digest: string;
  mode: TaxMode;
  inclusive: boolean;
  subtotal: number;
  discountTotal: number;
  taxTotal: number;
  shipping: number;
  shippingTax: number;
  total: number;
  breakdown: PricedJurisdiction[];
  lines: { productId: string; discount: number; tax: number }[];
  calculationId: string | null;
  /** Unix seconds the Stripe Tax calculation expires at. */
  expiresAt: number | null;
  /** A discount is above the shop's limit (a manager's PIN is needed). */
  needsApproval: boolean;
  /** The customer is tax-exempt (charged no tax). */
  exempt: boolean;
  /** The order's record (metadata), when priced. */
  record: OrderPricing | null;
}

/** What the Stripe Tax half needs: a calculation for a cart, and its line items. */
export interface StripeTaxPort {
  calculate(cart: StripeTaxCart): Promise<Checked<StripeTaxQuote>>;
  lines(calculationId: string): Promise<QuoteLine[]>;
}

export function pricingDigest(input: PricingInput): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 24);
}

const destinationOf = (i: PricingInput): { country: string; state: string | null } | null => {
  if (i.delivery === 'collect')
    return i.tax.origin ? { country: i.tax.origin.country, state: i.tax.origin.state || null } : null;
  return i.shipTo ? { country: i.shipTo.country, state: i.shipTo.state ?? null } : null;
};

/** Whether a discount of `amount` on `base` is above the shop's limit (amount or percentage). */
function aboveLimit(tax: ShopTax, amount: number, base: number): boolean {
  if (amount <= 0) return false;
  if (tax.discountLimitAmount !== null && amount > tax.discountLimitAmount) return true;
  if (tax.discountLimitBp !== null && base > 0 && amount * BP_WHOLE > tax.discountLimitBp * base) return true;
  return false;
}

/** Reasons keyed "lines.<index>.<field>" re-keyed "lines.<product id>.<field>" (a cart line is one product). */
export function byProduct(errors: FieldErrors, lines: readonly { productId: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors)) {
    const m = /^lines\.(\d+)\.(\w+)$/.exec(k);
    out[m ? `lines.${lines[Number(m[1])]?.productId ?? m[1]}.${m[2]}` : k] = v;
  }
  return out;
}

/** Whether any of a cart's discounts is above the shop's limit. */
export function discountsNeedApproval(tax: ShopTax, d: DiscountedOrder): boolean {
  return (
    d.lines.some((l) => aboveLimit(tax, l.lineDiscount, l.gross)) ||
    aboveLimit(tax, d.orderDiscount, d.subtotal - d.lineDiscounts)
  );
}

const TYPE_OF: Record<string, TaxType> = {
  sales_tax: 'sales_tax',
  vat: 'vat',
  gst: 'gst',
  hst: 'hst',
  pst: 'pst',
  qst: 'qst',
};

const STATE_NAMES: Record<string, string> = {
  NY: 'New York',
  CA: 'California',
  WA: 'Washington',
  TX: 'Texas',
  NJ: 'New Jersey',
  FL: 'Florida',
};
const COUNTRY_NAMES: Record<string, string> = { DE: 'Germany', GB: 'United Kingdom', FR: 'France' };
const placeName = (country: string | null, state: string | null): string =>
  state ? (STATE_NAMES[state] ?? state) : country ? (COUNTRY_NAMES[country] ?? country) : 'Tax';

/**
 * Prices the cart. Never throws for bad input: a cart that can't be priced comes back `invalid` with the reason
 * at each field; one shipped without an address yet comes back `needs_address` (its total without tax). Throws
 * only when Stripe Tax can't be reached (an AppError from the port).
 */
export async function priceCart(input: PricingInput, stripeTax: StripeTaxPort | null): Promise<CartPricing> {
  const digest = pricingDigest(input);
  const { tax } = input;
  const base: CartPricing = {
    state: 'invalid',
    errors: {},
    digest,
    mode: tax.mode,
    inclusive: tax.mode !== 'none' && tax.pricesIncludeTax,
    subtotal: 0,
    discountTotal: 0,
    taxTotal: 0,
    shipping: input.lines.length ? input.shippingFee : 0,
    shippingTax: 0,
    total: 0,
    breakdown: [],
    lines: [],
    calculationId: null,
    expiresAt: null,
    needsApproval: false,
    exempt: input.exempt !== null,
    record: null,
  };
  // Discounts first: the same for every mode; their refusals are keyed by the cart's product ids.
  const order = input.discounts.order?.discount ?? null;
  const discounted = applyDiscounts(
    input.currency,
    input.lines.map((l) => ({
      ref: l.productId,
      unitAmount: l.unitAmount,
      quantity: l.quantity,
      discount: input.discounts.lines[l.productId]?.discount ?? null,
    })),
    order,
  );
  if (!discounted.ok) {
    const errors = byProduct(discounted.errors, input.lines);
    const subtotal = input.lines.reduce((n, l) => n + l.unitAmount * l.quantity, 0);
    return { ...base, errors, subtotal, total: subtotal + base.shipping };
  }
  const d = discounted.value;
  const needsApproval = discountsNeedApproval(tax, d);
  const untaxed = {
    ...base,
    subtotal: d.subtotal,
    discountTotal: d.discountTotal,
    total: d.net + base.shipping,
    needsApproval,
    lines: d.lines.map((l) => ({ productId: l.ref, discount: l.lineDiscount + l.orderDiscount, tax: 0 })),
  };
  if (untaxed.total > MAX_AMOUNT)
    return {
      ...untaxed,
      errors: { lines: `The order comes to more than ${formatMoney(MAX_AMOUNT, input.currency)}.` },
    };

  const reasons: string[] = [];
  const reasonIndex = (r: string | undefined): number | undefined => {
    const t = (r ?? '').trim();
    if (!t) return undefined;
    const at = reasons.indexOf(t);
    if (at >= 0) return at;
    reasons.push(t);
    return reasons.length - 1;
  };
  const recordOf = (
    taxed: { discount: number; tax: number }[],
    t: {
      taxTotal: number;
      shippingTax: number;
      calculationId: string | null;
      breakdown: RecordedJurisdiction[];
    },
  ): OrderPricing => {
    const lineReasons = input.lines.map((l) => reasonIndex(input.discounts.lines[l.productId]?.reason));
    const orderReason = input.discounts.order ? (reasonIndex(input.discounts.order.reason) ?? null) : null;
    const anyDiscount = d.discountTotal > 0 || input.discounts.order !== null;
    return {
      taxMode: tax.mode,
      inclusive: untaxed.inclusive,
      taxTotal: t.taxTotal,
      shippingTax: t.shippingTax,
      calculationId: t.calculationId,
      exempt: input.exempt,
      breakdown: t.breakdown,
      orderDiscount: input.discounts.order
        ? { spec: input.discounts.order.discount, amount: d.orderDiscount }
        : null,
      orderReason,
      discountBy: anyDiscount ? input.discounts.givenBy : null,
      discountApprovedBy: anyDiscount ? input.discounts.approvedBy : null,
      reasons,
      lines: taxed.map((l, i) => ({
        discount: l.discount,
        tax: l.tax,
        ...(lineReasons[i] !== undefined && input.discounts.lines[input.lines[i]!.productId]
          ? { reason: lineReasons[i] }
          : {}),
      })),
    };
  };

  if (tax.mode === 'none' || input.lines.length === 0) {
    return {
      ...untaxed,
      mode: 'none',
      inclusive: false,
      state: 'priced',
      record: recordOf(untaxed.lines, { taxTotal: 0, shippingTax: 0, calculationId: null, breakdown: [] }),
    };
  }
  const dest = destinationOf(input);
  if (!dest) {
    if (input.delivery === 'collect')
      return {
        ...untaxed,
        errors: {
          taxSetting: "Enter the shop's address in Settings → Tax: a collected order is taxed there.",
        },
      };
    return { ...untaxed, state: 'needs_address' };
  }

  if (tax.mode === 'rates') {
    if (tax.regions.length === 0)
      return {
        ...untaxed,
        errors: { taxSetting: 'Settings → Tax has no rates. A manager adds them, or chooses “No tax”.' },
      };
    const priced = computeTax(toRatesISet(tax), {
      currency: input.currency,
      lines: input.lines.map((l) => ({
        ref: l.productId,
        unitAmount: l.unitAmount,
        quantity: l.quantity,
        discount: input.discounts.lines[l.productId]?.discount ?? null,
        taxable: l.taxCode !== TAX_CODES.nontaxable,
      })),
      orderDiscount: order,
      shipping: input.shippingFee > 0 ? { amount: input.shippingFee } : null,
      destination: dest,
      customerExempt: input.exempt !== null,
    });
    if (!priced.ok) return { ...untaxed, errors: priced.errors };
    const v = priced.value;
    const breakdown: RecordedJurisdiction[] = v.breakdown
      .filter((b) => b.amount > 0)
      .map((b) => ({
        jurisdiction: b.jurisdiction,
        level: b.level,
        type: b.type,
        country: b.country,
        state: b.state,
        ratePpm: b.ratePpm,
        amount: b.amount,
      }));
    const lines = v.lines.map((l) => ({ productId: l.ref, discount: l.discount, tax: l.tax }));
    const shippingTax = v.shipping?.tax ?? 0;
    return {
      ...untaxed,
      state: 'priced',
      taxTotal: v.taxTotal,
      shippingTax,
      total: v.total,
      lines,
      breakdown: breakdown.map((b) => ({
        jurisdiction: b.jurisdiction,
        percent: ppmToPercentString(b.ratePpm),
        amount: b.amount,
      })),
      record: recordOf(lines, { taxTotal: v.taxTotal, shippingTax, calculationId: null, breakdown }),
    };
  }

  // Stripe Tax.
  if (!stripeTax) return { ...untaxed, errors: { taxSetting: 'Stripe Tax is not available here.' } };
  if (!tax.origin)
    return {
      ...untaxed,
      errors: { taxSetting: "Enter the shop's address in Settings → Tax: Stripe Tax needs it." },
    };
  const o = tax.origin;
  const shopAddress = {
    line1: o.line1,
    city: o.city,
    state: o.state,
    postalCode: o.postalCode,
    country: o.country,
  };
  const cart: StripeTaxCart = {
    currency: input.currency,
    lines: d.lines.map((l, i) => ({
      ref: input.lines[i]!.sku ?? l.ref,
      amount: l.net,
      quantity: l.quantity,
      taxCode: input.lines[i]!.taxCode ?? TAX_CODES.general,
    })),
    pricesIncludeTax: tax.pricesIncludeTax,
    destination:
      input.delivery === 'collect' || !input.shipTo
        ? { kind: 'collection' }
        : {
            kind: 'ship_to',
            address: {
              line1: input.shipTo.line1,
              line2: input.shipTo.line2 ?? null,
              city: input.shipTo.city,
              state: input.shipTo.state ?? null,
              postalCode: input.shipTo.postalCode,
              country: input.shipTo.country,
            },
          },
    shopAddress,
    shipping: input.shippingFee > 0 ? { amount: input.shippingFee, taxCode: SHIPPING_TAX_CODE } : null,
    customerExempt: input.exempt !== null,
  };
  const quote = await stripeTax.calculate(cart);
  if (!quote.ok) return { ...untaxed, errors: quote.errors };
  const q = quote.value;
  const quoteLines = await stripeTax.lines(q.calculationId);
  const taxByRef = new Map(quoteLines.map((l) => [l.ref, l.tax]));
  const lines = untaxed.lines.map((l, i) => ({
    ...l,
    tax: taxByRef.get(input.lines[i]!.sku ?? l.productId) ?? 0,
  }));
  const breakdown: RecordedJurisdiction[] = q.breakdown
    .filter((b) => b.amount > 0)
    .map((b) => {
      const ppm = parseRatePercent(b.percent);
      return {
        jurisdiction: placeName(b.country, b.state),
        level: b.state ? 'state' : 'country',
        type: TYPE_OF[b.taxType ?? ''] ?? 'sales_tax',
        country: b.country ?? '',
        state: b.state,
        ratePpm: ppm.ok ? ppm.value : 0,
        amount: b.amount,
      };
    });
  const shippingTax = q.shipping?.tax ?? 0;
  return {
    ...untaxed,
    state: 'priced',
    taxTotal: q.taxTotal,
    shippingTax,
    total: q.amountTotal,
    lines,
    breakdown: q.breakdown
      .filter((b) => b.amount > 0)
      .map((b) => ({ jurisdiction: placeName(b.country, b.state), percent: b.percent, amount: b.amount })),
    calculationId: q.calculationId,
    expiresAt: q.expiresAt,
    record: recordOf(lines, { taxTotal: q.taxTotal, shippingTax, calculationId: q.calculationId, breakdown }),
  };
}

/** Why a cart priced as `p` can't be paid now (in words), or null. `now` in unix seconds (Stripe's time). */
export function unpayableReason(p: CartPricing | null, currentDigest: string, nowS: number): string | null {
  if (!p) return 'The order has not been priced yet.';
  if (p.digest !== currentDigest) return 'The order changed since it was priced.';
  if (p.state === 'needs_address') return 'Enter the ship-to address: the tax depends on it.';
  if (p.state === 'invalid') return `The order can't be priced: ${Object.values(p.errors).join(' ')}`.trim();
  if (p.expiresAt !== null && p.expiresAt <= nowS) return 'The tax calculation expired.';
  return null;
}
