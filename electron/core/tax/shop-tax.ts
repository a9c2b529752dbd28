// The shop's tax and discount settings (Settings → Tax, managers): how the shop collects tax (none, its own rates
// per destination region, or Stripe Tax), whether prices include tax, whether shipping is taxed, the shop's own
// address (where a collected order is taxed), the reasons staff pick for a discount, and the limit above which
// a discount needs a manager's PIN. They are SHOP settings, kept in Stripe on the shop's record (the Product
// mc_shop_settings, settings/shop-record.ts) so every station prices a cart the same way:
//
//   tax          JSON [mode, inclusive 0|1, shippingTaxable 0|1, origin [line1, city, state, postal, country] | 0]
//   tax_rates0…3 one JSON text [[country, state, [[name, level, type, ppm], …]], …] cut into up to four keys
//                (a rate table longer than 500 characters); a shorter table empties the keys it no longer uses
//   discounts    JSON [limitAmount | -1, limitBp | -1, [reason, …]]
//
// Pure: no I/O. The record's projection keeps each key as it is; this module reads and writes them as a whole.
import { chunkText } from '../record/text';
import { METADATA_LIMITS } from '../record/rules';
import type { FieldErrors } from './discounts';
import { BP_WHOLE, PPM_WHOLE } from './money-math';
import { checkRates } from './rates';
import type { JurisdictionLevel, RatesISet, RegionRate, TaxType } from './rates';

export type TaxMode = 'none' | 'rates' | 'stripe_tax';

export interface ShopAddress {
  line1: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
}

export interface ShopTax {
  mode: TaxMode;
  pricesIncludeTax: boolean;
  /** "Rates I set": shipping is taxed at the destination's rate. (Stripe Tax decides this itself.) */
  shippingTaxable: boolean;
  regions: RegionRate[];
  /** Where a collected order is taxed (and goods ship from); null until a manager enters it. */
  origin: ShopAddress | null;
  discountReasons: string[];
  /** Above either limit a discount needs a manager's PIN; null: no limit of that kind. */
  discountLimitAmount: number | null;
  /** Basis points (10 % = 1 000). */
  discountLimitBp: number | null;
}

export const DEFAULT_REASONS = ['Loyal customer', 'Damaged box', 'Price match', 'Staff discount'];

export const DEFAULT_SHOP_TAX: ShopTax = {
  mode: 'none',
  pricesIncludeTax: false,
  shippingTaxable: false,
  regions: [],
  origin: null,
  discountReasons: DEFAULT_REASONS,
  discountLimitAmount: null,
  discountLimitBp: null,
};

/** Keys of the rate table on the shop's record: four of 500 characters. */
export const RATE_CHUNKS = 4;
export const REASONS_MAX = 12;
export const REASON_LENGTH = 40;
const MODES: readonly TaxMode[] = ['none', 'rates', 'stripe_tax'];
const LEVELS: readonly JurisdictionLevel[] = ['country', 'state', 'province', 'county', 'city'];
const TYPES: readonly TaxType[] = ['sales_tax', 'vat', 'gst', 'hst', 'pst', 'qst'];

/** The settings as they are written on the shop's record (field → value; '' removes the key). */
export interface ShopTaxFields {
  tax: string;
  taxRates: string[];
  discounts: string;
}

/** What is wrong with the settings, by field ("regions.0.components.1.ratePpm", "origin.country", …). */
export function checkShopTax(t: ShopTax): FieldErrors {
  const errors: FieldErrors = {};
  if (!MODES.includes(t.mode)) errors.mode = 'Choose how the shop collects tax.';
  Object.assign(errors, checkRates(toRatesISet(t)));
  t.regions.forEach((r, i) =>
    r.components.forEach((c, j) => {
      if (!LEVELS.includes(c.level)) errors[`regions.${i}.components.${j}.level`] = 'Choose a level.';
      if (!TYPES.includes(c.type)) errors[`regions.${i}.components.${j}.type`] = 'Choose a kind of tax.';
    }),
  );
  if (t.mode === 'rates' && t.regions.length === 0)
    errors.regions = 'Add a rate for at least one region (where the shop collects tax).';
  if (t.mode === 'stripe_tax' && !t.origin)
    errors['origin.line1'] = "Enter the shop's address: Stripe Tax prices collected orders there.";
  if (t.origin) {
    if (!/^[A-Z]{2}$/.test(t.origin.country)) errors['origin.country'] = 'Choose a country.';
    if (t.origin.country === 'US' && !/^[A-Z]{2}$/.test(t.origin.state))
      errors['origin.state'] = 'Enter the state (two letters, e.g. NY).';
    if (t.origin.postalCode.trim() === '') errors['origin.postalCode'] = 'Enter the postal code.';
  }
  const reasons = new Set<string>();
  if (t.discountReasons.length > REASONS_MAX)
    errors.discountReasons = `At most ${REASONS_MAX} reasons (staff can still type their own).`;
  t.discountReasons.forEach((r, i) => {
    if (r.trim() === '') errors[`discountReasons.${i}`] = 'A reason needs words.';
    else if (r.length > REASON_LENGTH)
      errors[`discountReasons.${i}`] = `At most ${REASON_LENGTH} characters.`;
    else if (reasons.has(r.trim().toLowerCase())) errors[`discountReasons.${i}`] = 'This reason is twice.';
    reasons.add(r.trim().toLowerCase());
  });
  if (
    t.discountLimitAmount !== null &&
    (!Number.isSafeInteger(t.discountLimitAmount) || t.discountLimitAmount < 0)
  )
    errors.discountLimitAmount = 'The limit must be a whole amount of money, not negative.';
  if (t.discountLimitBp !== null) {
    if (!Number.isSafeInteger(t.discountLimitBp))
      errors.discountLimitBp = 'The percentage has too many decimals (at most 2).';
    else if (t.discountLimitBp < 0) errors.discountLimitBp = "A limit can't be negative.";
    else if (t.discountLimitBp > BP_WHOLE) errors.discountLimitBp = "A limit can't be more than 100%.";
  }
  return errors;
}

export function toRatesISet(t: ShopTax): RatesISet {
  return { regions: t.regions, shippingTaxable: t.shippingTaxable, pricesIncludeTax: t.pricesIncludeTax };
}

/** The settings as the record's fields; throws nothing (check first). A table too long for four keys: null. */
export function encodeShopTax(t: ShopTax): ShopTaxFields | null {
  const o = t.origin;
  const tax = JSON.stringify([
    t.mode,
    t.pricesIncludeTax ? 1 : 0,
    t.shippingTaxable ? 1 : 0,
    o ? [o.line1, o.city, o.state, o.postalCode, o.country] : 0,
  ]);
  const table = t.regions.length
    ? JSON.stringify(
        t.regions.map((r) => [
          r.country.toUpperCase(),
          (r.state ?? '').toUpperCase(),
          r.components.map((c) => [c.jurisdiction, c.level, c.type, c.ratePpm]),
        ]),
      )
    : '';
  const chunks = table ? chunkText(table, METADATA_LIMITS.valueLength) : [];
  if (chunks.length > RATE_CHUNKS || tax.length > METADATA_LIMITS.valueLength) return null;
  const discounts = JSON.stringify([
    t.discountLimitAmount ?? -1,
    t.discountLimitBp ?? -1,
    t.discountReasons.map((r) => r.trim()),
  ]);
  if (discounts.length > METADATA_LIMITS.valueLength) return null;
  return {
    tax,
    taxRates: Array.from({ length: RATE_CHUNKS }, (_, i) => chunks[i] ?? ''),
    discounts,
  };
}

const str = (x: unknown): x is string => typeof x === 'string';
const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x);

/**
 * The settings from the record's fields (null where a key is absent). Never throws: a damaged or absent part
 * reads as the default for that part (no tax; the default reasons; no limit), so a station never charges
 * tax it can't explain.
 */
export function decodeShopTax(f: {
  tax: string | null;
  taxRates: (string | null)[];
  discounts: string | null;
}): ShopTax {
  const out: ShopTax = { ...DEFAULT_SHOP_TAX, regions: [], discountReasons: [...DEFAULT_REASONS] };
  try {
    const t = f.tax ? (JSON.parse(f.tax) as unknown) : null;
    if (Array.isArray(t) && t.length === 4 && MODES.includes(t[0] as TaxMode)) {
      out.mode = t[0] as TaxMode;
      out.pricesIncludeTax = t[1] === 1;
      out.shippingTaxable = t[2] === 1;
      const o = t[3] as unknown;
      if (Array.isArray(o) && o.length === 5 && o.every(str)) {
        const [line1, city, state, postalCode, country] = o as string[];
        out.origin = {
          line1: line1!,
          city: city!,
          state: state!,
          postalCode: postalCode!,
          country: country!,
        };
      }
    }
  } catch {
    /* no tax */
  }
  try {
    const text = f.taxRates.map((c) => c ?? '').join('');
    const rows = text ? (JSON.parse(text) as unknown) : [];
    const regions: RegionRate[] = [];
    if (Array.isArray(rows)) {
      for (const r of rows) {
        if (!Array.isArray(r) || r.length !== 3 || !str(r[0]) || !str(r[1]) || !Array.isArray(r[2])) continue;
        const components = (r[2] as unknown[]).flatMap((c) =>
          Array.isArray(c) &&
          c.length === 4 &&
          str(c[0]) &&
          LEVELS.includes(c[1] as JurisdictionLevel) &&
          TYPES.includes(c[2] as TaxType) &&
          isInt(c[3]) &&
          c[3] >= 0 &&
          c[3] <= PPM_WHOLE
            ? [
                {
                  jurisdiction: c[0],
                  level: c[1] as JurisdictionLevel,
                  type: c[2] as TaxType,
                  ratePpm: c[3],
                },
              ]
            : [],
        );
        if (components.length) regions.push({ country: r[0], state: r[1] || null, components });
      }
    }
    out.regions = regions;
  } catch {
    // A table cut in the middle (one key written, the next not yet seen) or damaged: no rates.
    out.regions = [];
  }
  try {
    const d = f.discounts ? (JSON.parse(f.discounts) as unknown) : null;
    if (Array.isArray(d) && d.length === 3 && isInt(d[0]) && isInt(d[1]) && Array.isArray(d[2])) {
      out.discountLimitAmount = d[0] >= 0 ? d[0] : null;
      out.discountLimitBp = d[1] >= 0 ? d[1] : null;
      out.discountReasons = (d[2] as unknown[]).filter(str).slice(0, REASONS_MAX);
    }
  } catch {
    /* the defaults */
  }
  // "Rates I set" with a table that can't be read has no regions: the cart refuses to be priced (cart-pricing.ts).
  return out;
}
