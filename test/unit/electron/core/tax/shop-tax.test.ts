// The shop's tax settings on its Stripe record: a long rate table cut into several keys and read back whole,
// a shorter table emptying the keys it no longer needs, damaged keys read as defaults, bad settings by field.
import { describe, expect, it } from 'vitest';
import {
  checkShopTax,
  decodeShopTax,
  DEFAULT_SHOP_TAX,
  encodeShopTax,
  RATE_CHUNKS,
  type ShopTax,
} from '../../../../../electron/core/tax/shop-tax';
import { shopTaxPatch } from '../../../../../electron/core/settings/shop-tax-record';

const states = [
  'AL',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
];
const many: ShopTax = {
  ...DEFAULT_SHOP_TAX,
  mode: 'rates',
  regions: states.map((state, i) => ({
    country: 'US',
    state,
    components: [
      {
        jurisdiction: `${state} state sales tax`,
        level: 'state',
        type: 'sales_tax',
        ratePpm: 40_000 + i * 1_250,
      },
    ],
  })),
};

describe('shop tax settings on the shop record', () => {
  it('cuts a rate table longer than 500 characters into several keys and reads it back whole', () => {
    const f = encodeShopTax(many)!;
    expect(f.taxRates.filter(Boolean).length).toBeGreaterThan(1);
    expect(f.taxRates.every((c) => c.length <= 500)).toBe(true);
    expect(f.taxRates).toHaveLength(RATE_CHUNKS);
    expect(decodeShopTax({ tax: f.tax, taxRates: f.taxRates, discounts: f.discounts })).toEqual(many);
  });

  it('a shorter table empties the keys it no longer uses (so Stripe drops them)', () => {
    const patch = shopTaxPatch({ ...many, regions: many.regions.slice(0, 1) });
    expect(patch.taxRates0).toBeTruthy();
    expect(patch.taxRates1).toBeNull();
    expect(patch.taxRates3).toBeNull();
  });

  it('a table cut in the middle reads as no rates, never as wrong ones', () => {
    const f = encodeShopTax(many)!;
    const d = decodeShopTax({ tax: f.tax, taxRates: [f.taxRates[0]!, null, null, null], discounts: null });
    expect(d.mode).toBe('rates');
    expect(d.regions).toEqual([]);
    expect(decodeShopTax({ tax: '{oops', taxRates: [], discounts: '[1,2' }).mode).toBe('none');
  });

  it('refuses bad settings by field: a rate over 100 %, no shop address for Stripe Tax, a limit over 100 %', () => {
    const bad = checkShopTax({
      ...DEFAULT_SHOP_TAX,
      mode: 'stripe_tax',
      regions: [
        {
          country: 'US',
          state: 'NY',
          components: [{ jurisdiction: 'NY', level: 'state', type: 'sales_tax', ratePpm: 1_000_001 }],
        },
      ],
      discountLimitBp: 10_001,
      discountReasons: ['Loyal', 'loyal'],
    });
    expect(bad['regions.0.components.0.ratePpm']).toMatch(/more than 100%/);
    expect(bad['origin.line1']).toMatch(/Stripe Tax/);
    expect(bad.discountLimitBp).toMatch(/more than 100%/);
    expect(bad['discountReasons.1']).toMatch(/twice/);
    expect(() => shopTaxPatch({ ...DEFAULT_SHOP_TAX, mode: 'rates' })).toThrow(/at least one region/);
  });
});
