// The part of an order's tax that belongs to some of its lines: what to capture when a hold is captured by
// lines, and how much recorded tax a refund (of lines, or of an amount) takes back. Every split is cumulative:
// the share of q units of a line of Q is round(amount × q / Q) minus the share already taken, so taking a line
// in pieces adds up to exactly the whole line, and what is refunded never exceeds what was collected.
import { formatMoney } from '../../ipc/money';
import type { Checked, FieldErrors } from './discounts';
import { allocate, roundDiv } from './money-math';
import type { Rounding } from './money-math';
import { sumBreakdowns } from './rates';
import type { JurisdictionAmount, TaxedLine, TaxedOrder } from './rates';

export interface LineTake {
  ref: string;
  quantity: number;
}

export interface PortionLine {
  ref: string;
  quantity: number;
  /** The share of the line's price after discounts. */
  net: number;
  tax: number;
  /** What the customer pays for this share. */
  total: number;
  breakdown: JurisdictionAmount[];
}

export interface Portion {
  lines: PortionLine[];
  shipping: PortionLine | null;
  /** Σ tax of the lines and shipping taken (named as on TaxedOrder, so either can be refunded against). */
  taxTotal: number;
  total: number;
  breakdown: JurisdictionAmount[];
}

/** What has already been taken from each line (by quantity) and from shipping. */
export interface Taken {
  lines?: Readonly<Record<string, number>>;
  shipping?: boolean;
}

/** share of `amount` for units (before, after] of `of` units, cumulative so the pieces sum to `amount`. */
function shareOf(amount: number, before: number, after: number, of: number, rounding: Rounding): number {
  return roundDiv(amount * after, of, rounding) - roundDiv(amount * before, of, rounding);
}

function breakdownShare(line: TaxedLine, tax: number, taxable: number): JurisdictionAmount[] {
  // A line whose jurisdictions were not kept (an order read back from its record) has no breakdown to share.
  if (line.breakdown.length === 0) return [];
  const parts = allocate(
    tax,
    line.breakdown.map((b) => b.amount),
  );
  return line.breakdown.map((b, i) => ({ ...b, amount: parts[i] as number, taxableAmount: taxable }));
}

function portionLine(
  line: TaxedLine,
  before: number,
  after: number,
  rounding: Rounding,
  inclusive: boolean,
): PortionLine {
  const q = line.quantity;
  const tax = shareOf(line.tax, before, after, q, rounding);
  const total = shareOf(line.total, before, after, q, rounding);
  const net = inclusive ? total : total - tax;
  const taxableShare = shareOf(line.taxableAmount, before, after, q, rounding);
  return {
    ref: line.ref,
    quantity: after - before,
    net,
    tax,
    total,
    breakdown: breakdownShare(line, tax, taxableShare),
  };
}

/**
 * The part of `order` that the given lines (and shipping, if asked) are, after what was already taken:
 * for a capture by lines (nothing taken before) or a refund of lines (`taken` = what earlier refunds took).
 * Refuses an unknown line, a quantity that isn't a whole number ≥ 1, more than remains of a line, and
 * shipping taken twice; reasons keyed "lines.i.quantity", "lines.i.ref", "shipping".
 */
export function portionOfLines(
  order: TaxedOrder,
  take: readonly LineTake[],
  includeShipping: boolean,
  taken: Taken = {},
  rounding: Rounding = 'half_even',
): Checked<Portion> {
  const errors: FieldErrors = {};
  const byRef = new Map(order.lines.map((l) => [l.ref, l]));
  const asked = new Map<string, number>();
  const out: PortionLine[] = [];
  take.forEach((t, i) => {
    const line = byRef.get(t.ref);
    if (!line) {
      errors[`lines.${i}.ref`] = 'This line is not on the order.';
      return;
    }
    if (!Number.isSafeInteger(t.quantity) || t.quantity < 1) {
      errors[`lines.${i}.quantity`] = 'The quantity must be a whole number, 1 or more.';
      return;
    }
    const before = (taken.lines?.[t.ref] ?? 0) + (asked.get(t.ref) ?? 0);
    const after = before + t.quantity;
    if (after > line.quantity) {
      errors[`lines.${i}.quantity`] =
        `Only ${line.quantity - before} of this line ${line.quantity - before === 1 ? 'is' : 'are'} left.`;
      return;
    }
    asked.set(t.ref, (asked.get(t.ref) ?? 0) + t.quantity);
    out.push(portionLine(line, before, after, rounding, order.inclusive));
  });
  if (includeShipping && (!order.shipping || taken.shipping)) {
    errors.shipping = order.shipping ? 'Shipping was already taken.' : 'The order has no shipping.';
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const shipping =
    includeShipping && order.shipping ? portionLine(order.shipping, 0, 1, rounding, order.inclusive) : null;
  const all = shipping ? [...out, shipping] : out;
  return {
    ok: true,
    value: {
      lines: out,
      shipping,
      taxTotal: all.reduce((a, l) => a + l.tax, 0),
      total: all.reduce((a, l) => a + l.total, 0),
      breakdown: sumBreakdowns(all.flatMap((l) => l.breakdown)),
    },
  };
}

export interface RefundedSoFar {
  /** Total refunded before this refund (minor units, tax included). */
  amount: number;
  /** Tax taken back by those refunds. */
  tax: number;
}

export interface RefundTax {
  /** The refund's amount. */
  amount: number;
  /** The tax it takes back. */
  tax: number;
  /** amount − tax. */
  net: number;
  breakdown: JurisdictionAmount[];
}

/**
 * The tax a refund of `amount` (not tied to lines) takes back, as Stripe Tax does for a refund of a payment
 * (docs.stripe.com/tax/invoicing/refunds: "in proportion to the refunded amount"): cumulative, so that
 * refunding the whole order, in any number of pieces, takes back exactly the tax collected and never more.
 * `collected` is what the payment actually collected (an order total, or a captured portion). Refuses a
 * refund that isn't a whole amount ≥ 1 or is more than what remains ("amount").
 */
export function taxOfRefund(
  currency: string,
  collected: { total: number; taxTotal: number; breakdown: readonly JurisdictionAmount[] },
  before: RefundedSoFar,
  amount: number,
  rounding: Rounding = 'half_even',
): Checked<RefundTax> {
  const remaining = collected.total - before.amount;
  if (!Number.isSafeInteger(amount) || amount < 1) {
    return { ok: false, errors: { amount: 'The refund must be a whole amount of money, more than 0.' } };
  }
  if (amount > remaining) {
    return { ok: false, errors: { amount: `Only ${formatMoney(remaining, currency)} is left to refund.` } };
  }
  const taxLeft = collected.taxTotal - before.tax;
  let tax: number;
  if (amount === remaining) tax = taxLeft;
  else {
    const target = roundDiv(collected.taxTotal * (before.amount + amount), collected.total, rounding);
    tax = Math.min(taxLeft, Math.max(0, target - before.tax));
  }
  const parts =
    collected.breakdown.length === 0
      ? []
      : allocate(
          tax,
          collected.breakdown.map((b) => b.amount),
        );
  return {
    ok: true,
    value: {
      amount,
      tax,
      net: amount - tax,
      breakdown: collected.breakdown.map((b, i) => ({ ...b, amount: parts[i] as number })),
    },
  };
}
