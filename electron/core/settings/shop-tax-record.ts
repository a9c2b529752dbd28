// The shop's tax and discount settings as this station projects them from the shop's record (shop-record.ts),
// and a manager's change as the record's fields. The format is tax/shop-tax.ts's.
import type { Db } from '../store/db';
import { checkShopTax, decodeShopTax, encodeShopTax, RATE_CHUNKS } from '../tax/shop-tax';
import type { ShopTax } from '../tax/shop-tax';
import { fieldError } from '../stripe/stripe-tax';
import { shopField } from './shop-record';
import type { ShopField, ShopPatch } from './shop-record';

const RATE_FIELDS: ShopField[] = ['taxRates0', 'taxRates1', 'taxRates2', 'taxRates3'];

export function readShopTax(db: Db): ShopTax {
  return decodeShopTax({
    tax: shopField(db, 'tax'),
    taxRates: RATE_FIELDS.map((f) => shopField(db, f)),
    discounts: shopField(db, 'discounts'),
  });
}

/** The record's fields for new settings, or an invalid_input error carrying the reasons by field. */
export function shopTaxPatch(t: ShopTax): ShopPatch {
  const errors = checkShopTax(t);
  if (Object.keys(errors).length > 0) throw fieldError(errors);
  const f = encodeShopTax(t);
  if (!f)
    throw fieldError({
      regions: `The rate table is too long to keep in Stripe (${RATE_CHUNKS} × 500 characters): shorten the names or remove regions.`,
    });
  const patch: ShopPatch = { tax: f.tax, discounts: f.discounts };
  RATE_FIELDS.forEach((field, i) => (patch[field] = f.taxRates[i] || null));
  return patch;
}
