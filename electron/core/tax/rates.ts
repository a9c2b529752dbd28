// "Rates I set": the shop's own tax table, for shops that don't use Stripe Tax. A rate per destination region
// (a US state, a Canadian province, an EU or UK country, or a whole country), each made of one or more
// jurisdictions (Quebec: GST + QST; a US state with a county rate), products marked taxable or exempt,
// shipping taxed or not, prices tax-exclusive or tax-inclusive, exempt customers. Tax is computed on the
// discounted price, per line and per jurisdiction, rounded half to even (money-math.ts); a region without a
// rate is "not collecting" (no tax), as Stripe Tax answers where the shop has no registration.
//
// Exclusive prices: each jurisdiction's tax = round(net × rate); the line's tax is their sum.
// Inclusive prices: the line's tax = net − round(net / (1 + Σ rates)), split across its jurisdictions by
// largest remainder in proportion to their rates; the line's total stays its price.
import { applyDiscounts } from './discounts';
import type { CartLine, Checked, Discount, FieldErrors } from './discounts';
import { PPM_WHOLE, allocate, roundDiv } from './money-math';
import type { Rounding } from './money-math';

export type JurisdictionLevel = 'country' | 'state' | 'province' | 'county' | 'city';
export type TaxType = 'sales_tax' | 'vat' | 'gst' | 'hst' | 'pst' | 'qst';

export interface RateComponent {
  /** Shown on receipts and in the CSV: "California", "Germany", "Quebec QST". */
  jurisdiction: string;
  level: JurisdictionLevel;
  type: TaxType;
  /** Parts per million (8.875 % = 88 750); see parseRatePercent. */
  ratePpm: number;
}

export interface RegionRate {
  /** ISO 3166-1 alpha-2, upper case ("US", "CA", "DE", "GB"). */
  country: string;
  /** ISO 3166-2 subdivision without the country ("CA", "NY", "QC"); absent: the whole country. */
  state?: string | null;
  components: RateComponent[];
}

export interface RatesISet {
  regions: RegionRate[];
  shippingTaxable: boolean;
  /** Prices (and shipping) include tax. */
  pricesIncludeTax: boolean;
  /** Default half_even. */
  rounding?: Rounding;
}

export interface TaxableLine extends CartLine {
  /** False for products the shop marks exempt (food in many states, books, …). */
  taxable: boolean;
}

export interface Destination {
  country: string;
  state?: string | null;
}

export interface TaxInput {
  currency: string;
  lines: TaxableLine[];
  orderDiscount?: Discount | null;
  /** Shipping price (tax-exclusive or -inclusive like the other prices); null or absent when collected. */
  shipping?: { amount: number } | null;
  /** The ship-to address, or the shop's own for collection. */
  destination: Destination | null;
  customerExempt?: boolean;
}

/** As Stripe Tax names them (tax_breakdown[].taxability_reason). */
export type Taxability =
  'standard_rated' | 'product_exempt' | 'customer_exempt' | 'not_collecting' | 'not_subject_to_tax';

export interface JurisdictionAmount {
  jurisdiction: string;
  level: JurisdictionLevel;
  type: TaxType;
  country: string;
  state: string | null;
  ratePpm: number;
  /** The amount the rate applied to (tax-exclusive). */
  taxableAmount: number;
  amount: number;
}

export interface TaxedLine {
  ref: string;
  quantity: number;
  gross: number;
  /** Line discount + share of the order's discount. */
  discount: number;
  /** gross − discount: the price after discounts (including tax when prices include it). */
  net: number;
  /** The tax-exclusive amount the tax is on. */
  taxableAmount: number;
  tax: number;
  /** What the customer pays for the line: net + tax (exclusive) or net (inclusive). */
  total: number;
  taxability: Taxability;
  breakdown: JurisdictionAmount[];
}

export interface TaxedOrder {
  currency: string;
  inclusive: boolean;
  lines: TaxedLine[];
  shipping: TaxedLine | null;
  /** Σ line gross (before discounts). */
  subtotal: number;
  discountTotal: number;
  /** Tax on the lines and on shipping. */
  taxTotal: number;
  /** Shipping's total (its price, plus its tax when prices exclude tax). */
  shippingTotal: number;
  /** What the customer pays: Σ line totals + shippingTotal. */
  total: number;
  /** Tax by jurisdiction, over lines and shipping; Σ amount = taxTotal. */
  breakdown: JurisdictionAmount[];
}

const norm = (s: string | null | undefined): string => (s ?? '').trim().toUpperCase();

/** The reasons a rate table can't be used, keyed "regions.i.components.j.ratePpm" etc. */
export function checkRates(settings: RatesISet): FieldErrors {
  const errors: FieldErrors = {};
  const seen = new Set<string>();
  settings.regions.forEach((r, i) => {
    if (!/^[A-Z]{2}$/.test(norm(r.country))) errors[`regions.${i}.country`] = 'Choose a country.';
    const key = `${norm(r.country)}/${norm(r.state)}`;
    if (seen.has(key)) errors[`regions.${i}.state`] = 'This region already has a rate.';
    seen.add(key);
    if (r.components.length === 0) errors[`regions.${i}.components`] = 'Give the region at least one rate.';
    r.components.forEach((c, j) => {
      const at = `regions.${i}.components.${j}`;
      if (c.jurisdiction.trim() === '')
        errors[`${at}.jurisdiction`] = 'Name the tax (it is printed on receipts).';
      if (!Number.isSafeInteger(c.ratePpm))
        errors[`${at}.ratePpm`] = 'The rate has too many decimals (at most 4).';
      else if (c.ratePpm < 0) errors[`${at}.ratePpm`] = "A rate can't be negative.";
      else if (c.ratePpm > PPM_WHOLE) errors[`${at}.ratePpm`] = "A rate can't be more than 100%.";
    });
    const sum = r.components.reduce((a, c) => a + (Number.isSafeInteger(c.ratePpm) ? c.ratePpm : 0), 0);
    if (sum > PPM_WHOLE && !r.components.some((_, j) => errors[`regions.${i}.components.${j}.ratePpm`])) {
      errors[`regions.${i}.components`] = "The region's rates add up to more than 100%.";
    }
  });
  return errors;
}

/** The region whose rates apply at `d`: its state's, else the whole country's; undefined when none. */
export function regionFor(settings: RatesISet, d: Destination): RegionRate | undefined {
  const c = norm(d.country);
  const s = norm(d.state);
  return (
    settings.regions.find((r) => norm(r.country) === c && norm(r.state) !== '' && norm(r.state) === s) ??
    settings.regions.find((r) => norm(r.country) === c && norm(r.state) === '')
  );
}

function taxLine(
  base: { ref: string; quantity: number; gross: number; discount: number; net: number },
  taxability: Taxability,
  region: RegionRate | undefined,
  inclusive: boolean,
  rounding: Rounding,
): TaxedLine {
  const { net } = base;
  if (taxability !== 'standard_rated' || !region) {
    return { ...base, taxableAmount: net, tax: 0, total: net, taxability, breakdown: [] };
  }
  const rates = region.components.map((c) => c.ratePpm);
  const sum = rates.reduce((a, b) => a + b, 0);
  let taxable: number;
  let parts: number[];
  if (inclusive) {
    taxable = roundDiv(net * PPM_WHOLE, PPM_WHOLE + sum, rounding);
    parts = allocate(net - taxable, rates);
  } else {
    taxable = net;
    parts = rates.map((r) => roundDiv(net * r, PPM_WHOLE, rounding));
  }
  const tax = parts.reduce((a, b) => a + b, 0);
  const breakdown = region.components.map((c, i) => ({
    jurisdiction: c.jurisdiction,
    level: c.level,
    type: c.type,
    country: norm(region.country),
    state: norm(region.state) || null,
    ratePpm: c.ratePpm,
    taxableAmount: taxable,
    amount: parts[i] as number,
  }));
  return { ...base, taxableAmount: taxable, tax, total: inclusive ? net : net + tax, taxability, breakdown };
}

/** Sums breakdowns by jurisdiction (same name, level, country, state and rate), in first-seen order. */
export function sumBreakdowns(all: readonly JurisdictionAmount[]): JurisdictionAmount[] {
  const out = new Map<string, JurisdictionAmount>();
  for (const b of all) {
    const k = `${b.country}|${b.state ?? ''}|${b.level}|${b.jurisdiction}|${b.ratePpm}`;
    const cur = out.get(k);
    if (cur) {
      cur.amount += b.amount;
      cur.taxableAmount += b.taxableAmount;
    } else out.set(k, { ...b });
  }
  return [...out.values()];
}

/**
 * Prices a cart under the shop's own rates: discounts first (discounts.ts), then tax on what each line costs
 * after them. Refuses, with reasons keyed by field, a bad rate table ("regions…"), a bad cart ("lines…",
 * "orderDiscount"), a negative shipping price ("shipping.amount") or no destination ("destination").
 */
export function computeTax(settings: RatesISet, input: TaxInput): Checked<TaxedOrder> {
  const rounding = settings.rounding ?? 'half_even';
  const errors: FieldErrors = checkRates(settings);
  const ship = input.shipping ?? null;
  if (ship && (!Number.isSafeInteger(ship.amount) || ship.amount < 0)) {
    errors['shipping.amount'] = 'The shipping price must be a whole amount of money, not negative.';
  }
  if (!input.destination || norm(input.destination.country) === '') {
    errors.destination = 'Enter the ship-to address, or choose collection at the shop.';
  }
  const discounted = applyDiscounts(input.currency, input.lines, input.orderDiscount ?? null, rounding);
  if (!discounted.ok) Object.assign(errors, discounted.errors);
  if (Object.keys(errors).length > 0 || !discounted.ok) return { ok: false, errors };
  const region = regionFor(settings, input.destination as Destination);
  const exempt = input.customerExempt === true;
  const reason = (taxable: boolean): Taxability =>
    !region ? 'not_collecting' : exempt ? 'customer_exempt' : taxable ? 'standard_rated' : 'product_exempt';
  const lines = discounted.value.lines.map((l, i) =>
    taxLine(
      {
        ref: l.ref,
        quantity: l.quantity,
        gross: l.gross,
        discount: l.lineDiscount + l.orderDiscount,
        net: l.net,
      },
      reason((input.lines[i] as TaxableLine).taxable),
      region,
      settings.pricesIncludeTax,
      rounding,
    ),
  );
  const shipping = ship
    ? taxLine(
        { ref: 'shipping', quantity: 1, gross: ship.amount, discount: 0, net: ship.amount },
        !region
          ? 'not_collecting'
          : exempt
            ? 'customer_exempt'
            : settings.shippingTaxable
              ? 'standard_rated'
              : 'not_subject_to_tax',
        region,
        settings.pricesIncludeTax,
        rounding,
      )
    : null;
  const all = shipping ? [...lines, shipping] : lines;
  const taxTotal = all.reduce((a, l) => a + l.tax, 0);
  const total = all.reduce((a, l) => a + l.total, 0);
  return {
    ok: true,
    value: {
      currency: input.currency,
      inclusive: settings.pricesIncludeTax,
      lines,
      shipping,
      subtotal: discounted.value.subtotal,
      discountTotal: discounted.value.discountTotal,
      taxTotal,
      shippingTotal: shipping ? shipping.total : 0,
      total,
      breakdown: sumBreakdowns(all.flatMap((l) => l.breakdown)),
    },
  };
}
