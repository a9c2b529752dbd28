// Discounts on a phone order: per line or on the whole order, an amount or a percentage. A line's percentage
// is rounded on the line (half to even, see money-math.ts); an order's discount is one amount (a percentage of
// the lines after their own discounts, rounded once) allocated across the lines by largest remainder, in
// proportion to what each line costs after its own discount, so the lines' shares add up to the order's
// discount exactly. Shipping is never discounted here (a free-shipping offer is a shipping price of 0).
// Bad input is refused with a reason per field, never clamped.
import { formatMoney } from '../../ipc/money';
import { BP_WHOLE, allocate, roundDiv } from './money-math';
import type { Rounding } from './money-math';

/** An amount in minor units, or a percentage in basis points (1 250 = 12.5 %). */
export type Discount = { kind: 'amount'; amount: number } | { kind: 'percent'; bp: number };

export interface CartLine {
  /** The line's own reference (unique within the order). */
  ref: string;
  /** Price of one unit, minor units. Tax-exclusive or tax-inclusive as the shop's prices are. */
  unitAmount: number;
  quantity: number;
  discount?: Discount | null;
}

export interface DiscountedLine {
  ref: string;
  quantity: number;
  /** unitAmount × quantity. */
  gross: number;
  /** The line's own discount. */
  lineDiscount: number;
  /** This line's share of the order's discount. */
  orderDiscount: number;
  /** gross − lineDiscount − orderDiscount: what the line costs (before tax when prices exclude it). */
  net: number;
}

export interface DiscountedOrder {
  currency: string;
  lines: DiscountedLine[];
  /** Σ gross. */
  subtotal: number;
  /** Σ lineDiscount. */
  lineDiscounts: number;
  /** The order's discount (= Σ orderDiscount). */
  orderDiscount: number;
  /** lineDiscounts + orderDiscount. */
  discountTotal: number;
  /** subtotal − discountTotal (= Σ net). */
  net: number;
}

/** Reasons keyed by field path ("lines.2.discount", "orderDiscount"), written for the person at the console. */
export type FieldErrors = Record<string, string>;
export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Stripe's limit on a PaymentIntent's amount; nothing we compute may need more. */
export const MAX_AMOUNT = 99_999_999;

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

/** The discount's amount on `base`, or a reason it can't apply; `what` names the thing discounted. */
function discountOn(
  d: Discount,
  base: number,
  currency: string,
  what: string,
  rounding: Rounding,
): { ok: true; amount: number } | { ok: false; reason: string } {
  if (d.kind === 'amount') {
    if (!isCount(d.amount)) return { ok: false, reason: 'The discount must be a whole amount of money.' };
    if (d.amount < 0) return { ok: false, reason: "A discount can't be negative." };
    if (d.amount > base) {
      return {
        ok: false,
        reason: `The discount (${formatMoney(d.amount, currency)}) is larger than ${what} (${formatMoney(base, currency)}).`,
      };
    }
    return { ok: true, amount: d.amount };
  }
  if (!isCount(d.bp)) return { ok: false, reason: 'The percentage has too many decimals (at most 2).' };
  if (d.bp < 0) return { ok: false, reason: "A discount can't be negative." };
  if (d.bp > BP_WHOLE) return { ok: false, reason: "A discount can't be more than 100%." };
  return { ok: true, amount: roundDiv(base * d.bp, BP_WHOLE, rounding) };
}

/**
 * Applies each line's discount, then the order's discount, and returns every amount; or the reasons, keyed
 * by field, why the cart can't be priced (a quantity that isn't a positive whole number, a negative price, a
 * discount larger than its line or order, negative, or over 100 %).
 */
export function applyDiscounts(
  currency: string,
  lines: readonly CartLine[],
  orderDiscount: Discount | null = null,
  rounding: Rounding = 'half_even',
): Checked<DiscountedOrder> {
  const errors: FieldErrors = {};
  const refs = new Set<string>();
  const partial: Array<Omit<DiscountedLine, 'orderDiscount' | 'net'>> = [];
  lines.forEach((l, i) => {
    const at = `lines.${i}`;
    if (refs.has(l.ref)) errors[`${at}.ref`] = 'Two lines have the same reference.';
    refs.add(l.ref);
    if (!isCount(l.quantity) || l.quantity < 1)
      errors[`${at}.quantity`] = 'The quantity must be a whole number, 1 or more.';
    if (!isCount(l.unitAmount) || l.unitAmount < 0)
      errors[`${at}.unitAmount`] = 'The price must be a whole amount of money, not negative.';
    if (errors[`${at}.quantity`] || errors[`${at}.unitAmount`]) return;
    const gross = l.unitAmount * l.quantity;
    if (gross > MAX_AMOUNT) {
      errors[`${at}.quantity`] = `The line comes to more than ${formatMoney(MAX_AMOUNT, currency)}.`;
      return;
    }
    let lineDiscount = 0;
    if (l.discount) {
      const d = discountOn(l.discount, gross, currency, 'the line', rounding);
      if (!d.ok) errors[`${at}.discount`] = d.reason;
      else lineDiscount = d.amount;
    }
    partial.push({ ref: l.ref, quantity: l.quantity, gross, lineDiscount });
  });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const afterLines = partial.map((l) => l.gross - l.lineDiscount);
  const base = afterLines.reduce((a, b) => a + b, 0);
  let orderAmount = 0;
  if (orderDiscount) {
    const d = discountOn(orderDiscount, base, currency, 'the order', rounding);
    if (!d.ok) return { ok: false, errors: { orderDiscount: d.reason } };
    orderAmount = d.amount;
  }
  const shares = partial.length > 0 ? allocate(orderAmount, afterLines) : [];
  const out: DiscountedLine[] = partial.map((l, i) => ({
    ...l,
    orderDiscount: shares[i] as number,
    net: (afterLines[i] as number) - (shares[i] as number),
  }));
  const subtotal = out.reduce((a, l) => a + l.gross, 0);
  const lineDiscounts = out.reduce((a, l) => a + l.lineDiscount, 0);
  return {
    ok: true,
    value: {
      currency,
      lines: out,
      subtotal,
      lineDiscounts,
      orderDiscount: orderAmount,
      discountTotal: lineDiscounts + orderAmount,
      net: subtotal - lineDiscounts - orderAmount,
    },
  };
}
