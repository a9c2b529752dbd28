// A thin client for Stripe Tax through the StripeGateway port: prices a cart with a Tax Calculation (lines with
// their tax codes, the ship-to address or the shop's own for collection, shipping, an exempt customer), reads
// its line items back, and turns Stripe's refusals into field errors the cart can show where the person typed
// (customer_tax_location_invalid → the address). Nothing here moves money: a calculation is priced before the
// card is touched, and the PaymentIntent links it later (hooks.inputs.tax.calculation, payments-service.ts).
//
// The idempotency key is a digest of the exact parameters: pressing "Recalculate" on the same cart within
// Stripe's 24 hours gets the same calculation back; any change to the cart, address or shipping is a new one.
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import { AppError } from '../../ipc/errors';
import type { Checked, FieldErrors } from '../tax/discounts';
import { MAX_AMOUNT } from '../tax/discounts';
import { classifyStripeError } from './gateway';
import type { StripeGateway } from './gateway';

export interface TaxAddress {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  /** US state / Canadian province code ("NY", "QC"). */
  state?: string | null;
  postalCode?: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface StripeTaxLine {
  /** The cart line's own reference (unique in the cart); Stripe echoes it on the line item. */
  ref: string;
  /** The line's amount after discounts (unit price × quantity − discounts), minor units. */
  amount: number;
  quantity: number;
  /** The product's tax code (txcd_…); absent: the Stripe product's, else the account's preset. */
  taxCode?: string | null;
  /** The Stripe Product, whose tax code Stripe uses when the line gives none. */
  productId?: string | null;
}

export type TaxDestination = { kind: 'ship_to'; address: TaxAddress } | { kind: 'collection' };

export interface StripeTaxCart {
  currency: string;
  lines: StripeTaxLine[];
  pricesIncludeTax: boolean;
  destination: TaxDestination;
  /** The shop's address: where a collected order is taxed, and where shipped goods leave from. */
  shopAddress: TaxAddress;
  shipping?: { amount: number; taxCode?: string | null } | null;
  /** A tax-exempt customer (tax_exempt "exempt" on their Stripe Customer) pays no tax. */
  customerExempt?: boolean;
}

export interface QuoteBreakdown {
  country: string | null;
  state: string | null;
  /** As Stripe writes it: "8.875". */
  percent: string;
  taxType: string | null;
  reason: string;
  inclusive: boolean;
  taxableAmount: number;
  amount: number;
}

export interface StripeTaxQuote {
  calculationId: string;
  /** Unix seconds; the PaymentIntent must be linked (and paid) before this. */
  expiresAt: number | null;
  currency: string;
  /** What to charge: the PaymentIntent's amount must be this. */
  amountTotal: number;
  taxExclusive: number;
  taxInclusive: number;
  taxTotal: number;
  shipping: { amount: number; tax: number } | null;
  breakdown: QuoteBreakdown[];
}

export interface QuoteLine {
  id: string;
  ref: string;
  amount: number;
  quantity: number;
  tax: number;
  taxCode: string;
}

const address = (a: TaxAddress): Stripe.Tax.CalculationCreateParams.CustomerDetails.Address => ({
  country: a.country.trim().toUpperCase(),
  ...(a.line1 ? { line1: a.line1 } : {}),
  ...(a.line2 ? { line2: a.line2 } : {}),
  ...(a.city ? { city: a.city } : {}),
  ...(a.state ? { state: a.state.trim().toUpperCase() } : {}),
  ...(a.postalCode ? { postal_code: a.postalCode.trim() } : {}),
});

const isAmount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * The calculation's parameters for a cart, or the reasons (by field) it can't be sent: amounts that aren't
 * whole and ≥ 0, a quantity < 1, two lines with one reference, no lines, no country.
 */
export function calculationParams(cart: StripeTaxCart): Checked<Stripe.Tax.CalculationCreateParams> {
  const errors: FieldErrors = {};
  if (cart.lines.length === 0) errors.lines = 'The cart is empty.';
  const refs = new Set<string>();
  cart.lines.forEach((l, i) => {
    if (refs.has(l.ref)) errors[`lines.${i}.ref`] = 'Two lines have the same reference.';
    refs.add(l.ref);
    if (!isAmount(l.amount) || l.amount > MAX_AMOUNT)
      errors[`lines.${i}.amount`] = 'The amount must be a whole amount of money, not negative.';
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1)
      errors[`lines.${i}.quantity`] = 'The quantity must be a whole number, 1 or more.';
  });
  if (cart.shipping && !isAmount(cart.shipping.amount)) {
    errors['shipping.amount'] = 'The shipping price must be a whole amount of money, not negative.';
  }
  const to = cart.destination.kind === 'ship_to' ? cart.destination.address : cart.shopAddress;
  const field = cart.destination.kind === 'ship_to' ? 'destination.address.country' : 'shopAddress.country';
  if (!/^[A-Za-z]{2}$/.test(to.country.trim())) errors[field] = 'Choose a country.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const behavior = cart.pricesIncludeTax ? 'inclusive' : 'exclusive';
  const shipTo = cart.destination.kind === 'ship_to';
  const params: Stripe.Tax.CalculationCreateParams = {
    currency: cart.currency.toLowerCase(),
    line_items: cart.lines.map((l) => ({
      amount: l.amount,
      quantity: l.quantity,
      reference: l.ref,
      tax_behavior: behavior,
      ...(l.taxCode ? { tax_code: l.taxCode } : {}),
      ...(l.productId ? { product: l.productId } : {}),
    })),
    customer_details: {
      address: address(to),
      // A collected order is received at the shop: that is where the customer takes the goods.
      address_source: 'shipping',
      ...(cart.customerExempt ? { taxability_override: 'customer_exempt' as const } : {}),
    },
    ...(cart.shipping && shipTo
      ? {
          shipping_cost: {
            amount: cart.shipping.amount,
            tax_behavior: behavior,
            ...(cart.shipping.taxCode ? { tax_code: cart.shipping.taxCode } : {}),
          },
        }
      : {}),
    // [unverified] Stripe documents ship_from_details for US sales (origin-based states); sent only then.
    ...(shipTo && to.country.toUpperCase() === 'US' && cart.shopAddress.country.toUpperCase() === 'US'
      ? { ship_from_details: { address: address(cart.shopAddress) } }
      : {}),
  };
  return { ok: true, value: params };
}

/** The idempotency key for exactly these parameters. */
export function calculationKey(params: Stripe.Tax.CalculationCreateParams): string {
  return `mc_taxcalc_${createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 32)}`;
}

/** Maps Stripe's answer to a calculation onto the cart's fields, when it is about one; null otherwise. */
export function taxFieldErrors(e: unknown, cart: StripeTaxCart): FieldErrors | null {
  const f = classifyStripeError(e);
  if (f.kind !== 'rejected') return null;
  if (f.code === 'customer_tax_location_invalid') {
    return cart.destination.kind === 'ship_to'
      ? {
          'destination.address':
            "Stripe Tax can't place this address. Check the ZIP or postal code, the state or province, and the country.",
        }
      : { shopAddress: "Stripe Tax can't place the shop's address. Check it in Settings." };
  }
  if (f.code === 'stripe_tax_inactive') {
    return {
      taxSetting:
        "Stripe Tax isn't set up on this Stripe account (its head office address and registrations).",
    };
  }
  const line = /^line_items\[(\d+)\](?:\[(\w+)\])?/.exec(f.param ?? '');
  if (line) {
    const which =
      line[2] === 'tax_code' ? 'taxCode' : line[2] === 'product' ? 'productId' : (line[2] ?? 'amount');
    const reason = which === 'taxCode' ? "Stripe Tax doesn't know this product's tax code." : f.message;
    return { [`lines.${line[1]}.${which}`]: reason };
  }
  if ((f.param ?? '').startsWith('shipping_cost')) return { 'shipping.amount': f.message };
  return null;
}

/** An invalid_input AppError carrying the field errors (details.fields), for the IPC layer. */
export function fieldError(errors: FieldErrors): AppError {
  return new AppError('invalid_input', Object.values(errors).join(' '), { fields: errors });
}

function quoteOf(calc: Stripe.Tax.Calculation): StripeTaxQuote {
  const shipping = calc.shipping_cost
    ? { amount: calc.shipping_cost.amount, tax: calc.shipping_cost.amount_tax }
    : null;
  return {
    calculationId: calc.id as string,
    expiresAt: calc.expires_at,
    currency: calc.currency,
    amountTotal: calc.amount_total,
    taxExclusive: calc.tax_amount_exclusive,
    taxInclusive: calc.tax_amount_inclusive,
    taxTotal: calc.tax_amount_exclusive + calc.tax_amount_inclusive,
    shipping,
    breakdown: calc.tax_breakdown.map((b) => ({
      country: b.tax_rate_details.country,
      state: b.tax_rate_details.state,
      percent: b.tax_rate_details.percentage_decimal,
      taxType: b.tax_rate_details.tax_type,
      reason: b.taxability_reason,
      inclusive: b.inclusive,
      taxableAmount: b.taxable_amount,
      amount: b.amount,
    })),
  };
}

/**
 * Prices the cart with Stripe Tax. Bad input and Stripe's refusals about a field come back as field errors
 * ({ ok: false }); anything else (Stripe unreachable, the key refused) is thrown as an AppError.
 */
export async function createCartCalculation(
  gateway: StripeGateway,
  cart: StripeTaxCart,
): Promise<Checked<StripeTaxQuote>> {
  const params = calculationParams(cart);
  if (!params.ok) return params;
  try {
    const { object } = await gateway.createTaxCalculation(params.value, calculationKey(params.value));
    return { ok: true, value: quoteOf(object) };
  } catch (e) {
    const fields = taxFieldErrors(e, cart);
    if (fields) return { ok: false, errors: fields };
    const f = classifyStripeError(e);
    if (f.kind === 'rejected')
      throw new AppError('stripe_error', `Stripe Tax refused: ${f.message}`, {
        code: f.code,
        param: f.param,
      });
    if (f.kind === 'auth')
      throw new AppError('stripe_unavailable', 'Stripe refused the secret key. Check it in Settings.');
    throw new AppError('stripe_unavailable', `Stripe Tax cannot be reached: ${f.message}`);
  }
}

/** Every line item of a calculation, in the cart's order (Stripe pages them 100 at a time). */
export async function calculationLines(gateway: StripeGateway, calculationId: string): Promise<QuoteLine[]> {
  const out: QuoteLine[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await gateway.listTaxCalculationLineItems(calculationId, {
      limit: 100,
      ...(after ? { starting_after: after } : {}),
    });
    for (const li of page.data) {
      out.push({
        id: li.id,
        ref: li.reference,
        amount: li.amount,
        quantity: li.quantity,
        tax: li.amount_tax,
        taxCode: li.tax_code,
      });
    }
    if (!page.has_more || page.data.length === 0) return out;
    after = page.data[page.data.length - 1]?.id;
  }
}
