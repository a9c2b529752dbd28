/**
 * The emulator's deterministic tax table for the demo shop: what Stripe Tax would look up in its rules, cut
 * down to a few places and tax codes so tests can state exact amounts. Not Stripe's data: real rates differ by
 * county, city and date. Which places the shop *collects* in is decided by its Tax Registrations
 * (resources/tax-registrations.ts); a place without one is `not_collecting` (docs.stripe.com/tax/zero-tax).
 *
 * Places: US New York (4 % state, plus 4.875 % "New York City" for ZIP codes 100xx–104xx), California
 * (7.25 %), Washington (6.5 %), Texas (6.25 %), Oregon (no sales tax); Germany (VAT 19 %, food 7 %).
 * Tax codes (docs.stripe.com/tax/tax-codes): txcd_99999999 general tangible goods, txcd_40060003 food for
 * home consumption (exempt in those US states, reduced rate in Germany), txcd_92010001 shipping (taxed in
 * New York, Washington, Texas and Germany, not in California), txcd_00000000 nontaxable.
 *
 * Locating the customer (docs.stripe.com/tax/customer-locations): a US address needs a valid ZIP code (the
 * state is taken from it when absent, and must agree with it when given); Canada a postal code or province;
 * elsewhere the country. Anything less is `customer_tax_location_invalid`.
 */

export interface TaxComponent {
  level: 'country' | 'state' | 'city';
  /** jurisdiction.display_name */
  name: string;
  /** tax_rate_details.display_name */
  rateName: string;
  taxType: 'sales_tax' | 'vat';
  /** Percentage as Stripe writes percentage_decimal ("8.875"). */
  percent: string;
  /** Parts per million (8.875 % → 88 750), for integer arithmetic. */
  ppm: number;
}

export const GENERAL = 'txcd_99999999';
export const FOOD = 'txcd_40060003';
export const SHIPPING = 'txcd_92010001';
export const NONTAXABLE = 'txcd_00000000';
export const TAX_CODES: ReadonlySet<string> = new Set([GENERAL, FOOD, SHIPPING, NONTAXABLE]);
/**
 * The account's preset tax code, used for a line without tax_code or product tax code. [unverified] Stripe
 * uses the preset from the account's tax settings (txcd_10000000, digital services, unless changed); the demo
 * shop sells goods, so its preset here is general tangible goods.
 */
export const DEFAULT_TAX_CODE = GENERAL;

const pct = (percent: string): number => {
  const [w, f = ''] = percent.split('.');
  return Number(w) * 10_000 + Number(f.padEnd(4, '0'));
};
const comp = (
  level: TaxComponent['level'],
  name: string,
  rateName: string,
  taxType: TaxComponent['taxType'],
  percent: string,
): TaxComponent => ({ level, name, rateName, taxType, percent, ppm: pct(percent) });

export interface Place {
  country: string;
  /** US state / Canadian province, or null. */
  state: string | null;
  postalCode: string | null;
}

/** What applies to one line in one place. */
export type Treatment =
  | { kind: 'taxed'; components: TaxComponent[]; reason: 'standard_rated' | 'reduced_rated' }
  | { kind: 'untaxed'; reason: 'product_exempt' | 'not_subject_to_tax' };

const US_STATES: Record<string, { name: string; percent: string | null }> = {
  NY: { name: 'New York', percent: '4' },
  CA: { name: 'California', percent: '7.25' },
  WA: { name: 'Washington', percent: '6.5' },
  TX: { name: 'Texas', percent: '6.25' },
  OR: { name: 'Oregon', percent: null },
};

/** ZIP code prefixes (first three digits, inclusive ranges) of the states in the table. */
const ZIP3: Array<[number, number, string]> = [
  [100, 149, 'NY'],
  [900, 961, 'CA'],
  [980, 994, 'WA'],
  [750, 799, 'TX'],
  [885, 885, 'TX'],
  [970, 979, 'OR'],
];

/** Country names for jurisdiction.display_name (the table's countries, and a few to be "not collecting" in). */
export const COUNTRY_NAMES: Record<string, string> = {
  US: 'United States',
  DE: 'Germany',
  FR: 'France',
  GB: 'United Kingdom',
  CA: 'Canada',
  IE: 'Ireland',
  NL: 'Netherlands',
  AU: 'Australia',
};

export function stateName(country: string, state: string | null): string {
  if (country === 'US' && state && US_STATES[state]) return (US_STATES[state] as { name: string }).name;
  return state ?? COUNTRY_NAMES[country] ?? country;
}

/**
 * The customer's place, or null when Stripe Tax couldn't locate it (`customer_tax_location_invalid`).
 * [unverified] which inconsistencies Stripe rejects: here, a US ZIP that isn't 5 digits (or ZIP+4), or one
 * whose state (when the table knows it) differs from the state given.
 */
export function locate(address: {
  country?: string | null;
  state?: string | null;
  postal_code?: string | null;
}): Place | null {
  const country = (address.country ?? '').trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) return null;
  const given = (address.state ?? '').trim().toUpperCase() || null;
  const postal = (address.postal_code ?? '').trim() || null;
  if (country === 'US') {
    if (!postal || !/^\d{5}(-\d{4})?$/.test(postal)) return null;
    const z3 = Number(postal.slice(0, 3));
    const derived = ZIP3.find(([lo, hi]) => z3 >= lo && z3 <= hi)?.[2] ?? null;
    if (given && derived && given !== derived) return null;
    const state = given ?? derived;
    if (!state) return null;
    return { country, state, postalCode: postal };
  }
  if (country === 'CA') {
    if (!given && !(postal && /^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$/.test(postal))) return null;
    return { country, state: given, postalCode: postal };
  }
  return { country, state: given, postalCode: postal };
}

/** Whether the shop must show a jurisdiction at the state level (US, Canada) or the country level. */
export function jurisdictionOf(place: Place): {
  country: string;
  state: string | null;
  level: 'state' | 'country';
} {
  return place.country === 'US' || place.country === 'CA'
    ? { country: place.country, state: place.state, level: 'state' }
    : { country: place.country, state: null, level: 'country' };
}

/** How `taxCode` is treated at `place` by the table (before registrations and exemptions). */
export function treatment(place: Place, taxCode: string): Treatment {
  if (taxCode === NONTAXABLE) return { kind: 'untaxed', reason: 'not_subject_to_tax' };
  if (place.country === 'US') {
    const st = place.state ? US_STATES[place.state] : undefined;
    if (!st || st.percent === null) return { kind: 'untaxed', reason: 'not_subject_to_tax' };
    if (taxCode === FOOD) return { kind: 'untaxed', reason: 'product_exempt' };
    if (taxCode === SHIPPING && place.state === 'CA')
      return { kind: 'untaxed', reason: 'not_subject_to_tax' };
    const components = [comp('state', st.name, 'Sales Tax', 'sales_tax', st.percent)];
    const zip3 = Number((place.postalCode ?? '').slice(0, 3));
    if (place.state === 'NY' && zip3 >= 100 && zip3 <= 104) {
      components.push(comp('city', 'New York City', 'Sales Tax', 'sales_tax', '4.875'));
    }
    return { kind: 'taxed', components, reason: 'standard_rated' };
  }
  if (place.country === 'DE') {
    return taxCode === FOOD
      ? {
          kind: 'taxed',
          components: [comp('country', 'Germany', 'VAT', 'vat', '7')],
          reason: 'reduced_rated',
        }
      : {
          kind: 'taxed',
          components: [comp('country', 'Germany', 'VAT', 'vat', '19')],
          reason: 'standard_rated',
        };
  }
  // [unverified] Places outside the table: no rule known to the emulator, so nothing is taxed there even with a
  // registration.
  return { kind: 'untaxed', reason: 'not_subject_to_tax' };
}

/** n / d rounded half up (n ≥ 0, d > 0): Stripe Tax's rounding is not documented [unverified]. */
export function roundHalfUp(n: number, d: number): number {
  const q = Math.floor(n / d);
  return 2 * (n - q * d) >= d ? q + 1 : q;
}

/**
 * Splits `total` across parts in proportion to `weights` by largest remainder (ties: the earlier part); the
 * parts sum to `total`. All-zero weights get nothing (callers only split a total of 0 across them).
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const base = weights.map((w) => Math.floor((total * w) / sum));
  const order = weights
    .map((w, i) => ({ i, r: total * w - (base[i] as number) * sum }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  let left = total - base.reduce((a, b) => a + b, 0);
  for (const { i } of order) {
    if (left <= 0) break;
    base[i]! += 1;
    left--;
  }
  return base;
}
