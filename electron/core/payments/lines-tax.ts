// What capturing or charging some of an order's lines takes, with their tax — one rule for Holds → Capture by
// lines, Catalog → Stock arrived and Saved cards → Charge (orders/order-metadata.ts amountForLines):
// - no tax recorded, or "Rates I set": the lines' share of the order's recorded discounts and tax
//   (tax/split.ts portionOfLines), shipping and its tax with the first capture;
// - Stripe Tax: a NEW calculation for just those lines — the original calculation's address, exemption, tax codes
//   and shipping, the lines at their discounted share — passed on the capture or the charge
//   (hooks.inputs.tax.calculation), so Stripe commits the tax of what was actually taken.
// The tax taken rides on the capture or charge itself (mc_cap_tax), for every station.
import type Stripe from 'stripe';
import { AppError } from '../../ipc/errors';
import { formatMoney } from '../../ipc/money';
import { amountForLines, type OrderContent } from '../orders/order-metadata';
import { capturedTaxMetadata, taxedOrderOf } from '../orders/pricing-metadata';
import type { StripeGateway } from '../stripe/gateway';
import { classifyStripeError } from '../stripe/gateway';
import { calculationKey, calculationLines } from '../stripe/stripe-tax';
import { roundDiv } from '../tax/money-math';
import { computeTax } from '../tax/rates';
import type { ShopTax } from '../tax/shop-tax';
import { toRatesISet } from '../tax/shop-tax';
import { portionOfLines, type Portion } from '../tax/split';

export interface LinesCharge {
  /** What to capture or charge. */
  amount: number;
  /** The tax in it. */
  tax: number;
  /** The new Stripe Tax calculation, to link on the capture or charge; null under the shop's own rates. */
  calculationId: string | null;
  /** mc_cap_tax (empty when the order records no tax). */
  metadata: Record<string, string>;
}

type Take = { sku: string; quantity: number };

const noNulls = <T extends object>(o: T | null | undefined): { [K in keyof T]?: NonNullable<T[K]> } =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]?: NonNullable<T[K]>;
  };

/**
 * The amount and tax of the lines `take` (quantities > 0), shipping included. `anew`: price them with a new
 * Stripe Tax calculation even when they are the whole order (a saved card charged later pays the tax of that day);
 * under "Rates I set", with the shop's rates as they are now (`shopTax`), for the order's recorded destination.
 */
export async function chargeForLines(
  gateway: StripeGateway,
  content: OrderContent,
  currency: string,
  take: Take[],
  anew = false,
  shopTax: ShopTax | null = null,
): Promise<LinesCharge> {
  const p = content.pricing ?? null;
  const lines = take.filter((l) => l.quantity > 0);
  if (!p) return { amount: amountForLines(content, lines), tax: 0, calculationId: null, metadata: {} };
  const fee = content.shippingFee ?? 0;
  const portion = portionOfLines(
    taxedOrderOf(content.lines, fee, p),
    lines.map((l) => ({ ref: l.sku, quantity: l.quantity })),
    fee > 0 && lines.length > 0,
  );
  if (!portion.ok) throw new AppError('invalid_input', Object.values(portion.errors).join(' '));
  const whole =
    lines.length === content.lines.length &&
    content.lines.every((l) => lines.find((t) => t.sku === l.sku)?.quantity === l.quantity);
  if (anew && p.taxMode === 'rates' && shopTax?.mode === 'rates') {
    const today = atTodaysRates(portion.value, p, shopTax, currency);
    if (today) return { ...today, calculationId: null, metadata: capturedTaxMetadata(today.tax, null) };
  }
  if (p.taxMode !== 'stripe_tax' || !p.calculationId || (whole && !anew)) {
    const tax = portion.value.taxTotal;
    return {
      amount: portion.value.total,
      tax,
      calculationId: null,
      metadata: p.taxMode === 'none' && tax === 0 ? {} : capturedTaxMetadata(tax, null),
    };
  }
  const calc = await call(() => gateway.retrieveTaxCalculation(p.calculationId!));
  const items = await call(() => calculationLines(gateway, p.calculationId!));
  const behavior = p.inclusive ? ('inclusive' as const) : ('exclusive' as const);
  const index = new Map(content.lines.map((l, i) => [l.sku, i]));
  const cd = calc.customer_details;
  const params: Stripe.Tax.CalculationCreateParams = {
    currency: currency.toLowerCase(),
    line_items: portion.value.lines.map((pl) => {
      // By its reference (the SKU): Stripe's docs promise no order for a calculation's line items. By position
      // only for a calculation whose references are not the order's SKUs.
      const li = items.find((x) => x.ref === pl.ref) ?? items[index.get(pl.ref) ?? -1];
      return {
        amount: pl.net,
        quantity: pl.quantity,
        reference: li?.ref ?? pl.ref,
        tax_behavior: behavior,
        ...(li?.taxCode ? { tax_code: li.taxCode } : {}),
      };
    }),
    customer_details: {
      ...(cd.address ? { address: { ...noNulls(cd.address), country: cd.address.country ?? '' } } : {}),
      ...(cd.address_source ? { address_source: cd.address_source } : {}),
      ...(cd.taxability_override && cd.taxability_override !== 'none'
        ? { taxability_override: cd.taxability_override }
        : {}),
    },
    ...(portion.value.shipping && calc.shipping_cost
      ? {
          shipping_cost: {
            amount: calc.shipping_cost.amount,
            tax_behavior: calc.shipping_cost.tax_behavior,
            ...(calc.shipping_cost.tax_code ? { tax_code: calc.shipping_cost.tax_code } : {}),
          },
        }
      : {}),
    ...(calc.ship_from_details?.address
      ? {
          ship_from_details: {
            address: {
              ...noNulls(calc.ship_from_details.address),
              country: calc.ship_from_details.address.country ?? '',
            },
          },
        }
      : {}),
  };
  const { object } = await call(() => gateway.createTaxCalculation(params, calculationKey(params)));
  const tax = object.tax_amount_exclusive + object.tax_amount_inclusive;
  return {
    amount: object.amount_total,
    tax,
    calculationId: object.id as string,
    metadata: capturedTaxMetadata(tax, object.id as string),
  };
}

/**
 * The portion's lines (at their recorded price after discounts) and shipping taxed at the shop's rates now, for
 * the destination the order was taxed for (its recorded jurisdictions). Null when the order recorded no
 * jurisdiction (exempt, or nothing taxed): then its recorded tax stands. A line that carried no tax stays
 * untaxed (an exempt product); the others are taxed as the shop's rates now say.
 */
function atTodaysRates(
  portion: Portion,
  p: NonNullable<OrderContent['pricing']>,
  shopTax: ShopTax,
  currency: string,
): { amount: number; tax: number } | null {
  const where = p.breakdown[0];
  // Prices recorded the other way (the shop switched tax-inclusive pricing since): the recorded tax stands.
  if (!where || p.exempt || shopTax.pricesIncludeTax !== p.inclusive) return null;
  const priced = computeTax(toRatesISet(shopTax), {
    currency,
    lines: portion.lines.map((l) => ({ ref: l.ref, unitAmount: l.net, quantity: 1, taxable: l.tax > 0 })),
    shipping: portion.shipping ? { amount: portion.shipping.net } : null,
    destination: { country: where.country, state: where.state },
  });
  if (!priced.ok) return null;
  return { amount: priced.value.total, tax: priced.value.taxTotal };
}

async function call<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    const c = classifyStripeError(e);
    if (c.kind === 'rejected')
      throw new AppError('stripe_error', `Stripe Tax refused to price these lines: ${c.message}`);
    throw new AppError('stripe_unavailable', `Stripe Tax cannot be reached: ${c.message}`);
  }
}

/** The tax a capture of an amount (not by lines) takes under the shop's own rates: its share of the whole. */
export function taxOfAmountCapture(
  content: OrderContent,
  total: number,
  amount: number,
): Record<string, string> {
  const p = content.pricing;
  if (!p || p.taxMode === 'stripe_tax' || p.taxTotal === 0 || amount >= total || total <= 0) return {};
  return capturedTaxMetadata(roundDiv(p.taxTotal * amount, total), null);
}

/** The words for an amount Stripe Tax priced differently from the one confirmed. */
export const pricedOtherwise = (stripe: number, shown: number, currency: string): string =>
  `Stripe Tax puts these lines at ${formatMoney(stripe, currency)} with their tax, not ${formatMoney(shown, currency)}. Look at the hold again.`;
