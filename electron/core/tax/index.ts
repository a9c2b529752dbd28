// Tax and discounts for phone orders, as pure functions over integer minor units (no I/O): discounts
// (discounts.ts), the shop's own rates (rates.ts), the split of an order's tax for captures by lines and
// refunds (split.ts), and the integer arithmetic under them (money-math.ts). Stripe Tax itself is reached
// through electron/core/stripe/stripe-tax.ts; the cart is priced with them in payments/cart-pricing.ts, with the
// shop's settings from shop-tax.ts.
export {
  allocate,
  parseDecimal,
  parseDiscountPercent,
  parseRatePercent,
  ppmToPercentString,
  roundDiv,
} from './money-math';
export type { Parsed, Rounding } from './money-math';
export { BP_WHOLE, PPM_WHOLE } from './money-math';
export { MAX_AMOUNT, applyDiscounts } from './discounts';
export type { CartLine, Checked, Discount, DiscountedLine, DiscountedOrder, FieldErrors } from './discounts';
export { checkRates, computeTax, regionFor, sumBreakdowns } from './rates';
export type {
  Destination,
  JurisdictionAmount,
  JurisdictionLevel,
  RateComponent,
  RatesISet,
  RegionRate,
  TaxInput,
  TaxType,
  Taxability,
  TaxableLine,
  TaxedLine,
  TaxedOrder,
} from './rates';
export { portionOfLines, taxOfRefund } from './split';
export type { LineTake, Portion, PortionLine, RefundTax, RefundedSoFar, Taken } from './split';
