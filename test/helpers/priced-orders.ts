// Orders with discounts and tax, made the way the cart (issue 21 part A) makes them: a PaymentIntent created
// through the Stripe SDK with the order's content and pricing in its metadata (encodeOrderMetadata with
// `pricing`, i.e. encodePricing's keys), and in Stripe Tax mode a Tax Calculation linked to it
// (hooks.inputs.tax.calculation). Used by the core tests and the journeys' set-up until part A's UI exists.
import type Stripe from 'stripe';
import { encodeOrderMetadata, type OrderContent } from '../../electron/core/orders/order-metadata';
import type { OrderPricing, RecordedJurisdiction } from '../../electron/core/orders/pricing-metadata';
import { applyDiscounts, computeTax, parseRatePercent } from '../../electron/core/tax';
import type { Discount, RatesISet } from '../../electron/core/tax';
import { calculationParams } from '../../electron/core/stripe/stripe-tax';

export const NYC = {
  line1: '350 5th Ave',
  city: 'New York',
  state: 'NY',
  postalCode: '10118',
  country: 'US',
};
export const SEATTLE = {
  line1: '400 Pine St',
  city: 'Seattle',
  state: 'WA',
  postalCode: '98101',
  country: 'US',
};

/** New York: 4 % state + 4.875 % city, shipping taxed, prices before tax. */
export const NY_RATES: RatesISet = {
  regions: [
    {
      country: 'US',
      state: 'NY',
      components: [
        { jurisdiction: 'New York', level: 'state', type: 'sales_tax', ratePpm: 40_000 },
        { jurisdiction: 'New York City', level: 'city', type: 'sales_tax', ratePpm: 48_750 },
      ],
    },
  ],
  shippingTaxable: true,
  pricesIncludeTax: false,
};

export interface PricedLine {
  sku: string;
  name: string;
  quantity: number;
  unitAmount: number;
  waitlist?: boolean;
  taxCode?: string;
}

export interface PricedOrderOptions {
  mode: 'rates' | 'stripe_tax';
  lines: PricedLine[];
  shippingFee?: number;
  /** The whole order's discount, with its reason; given by Sam, allowed by Morgan (above the shop's limit). */
  orderDiscount?: Discount | null;
  capture: 'automatic' | 'manual';
  number: number;
  customerName?: string;
  exempt?: string | null;
  /** Confirm now with this card (default pm_card_visa); null: leave it unconfirmed (a saved-card order). */
  paymentMethod?: string | null;
  customer?: string;
  extraMetadata?: Record<string, string>;
  /** Save the card for later (setup_future_usage off_session), as a hold that also saves the card. */
  saveCard?: boolean;
  stationId?: string;
  stationCode?: string;
}

export interface PricedOrder {
  pi: Stripe.PaymentIntent;
  content: OrderContent;
  pricing: OrderPricing;
  amount: number;
}

/** The order's content and pricing, and (Stripe Tax) its calculation, priced as the cart prices it. */
export async function priceOrder(
  stripe: Stripe,
  o: PricedOrderOptions,
): Promise<{ content: OrderContent; pricing: OrderPricing; amount: number; calculationId: string | null }> {
  const fee = o.shippingFee ?? 0;
  const lines = o.lines.map((l) => ({ ...l, waitlist: l.waitlist ?? false }));
  const discountHead = {
    orderDiscount: o.orderDiscount ? { spec: o.orderDiscount, amount: 0 } : null,
    orderReason: o.orderDiscount ? 0 : null,
    discountBy: o.orderDiscount ? 'Sam Staff' : null,
    discountApprovedBy: o.orderDiscount ? 'Morgan Manager' : null,
    reasons: o.orderDiscount ? ['Loyal customer'] : [],
  };
  let pricing: OrderPricing;
  let amount: number;
  let calculationId: string | null = null;
  if (o.mode === 'rates') {
    const t = computeTax(NY_RATES, {
      currency: 'usd',
      lines: lines.map((l) => ({
        ref: l.sku,
        unitAmount: l.unitAmount,
        quantity: l.quantity,
        taxable: true,
      })),
      orderDiscount: o.orderDiscount ?? null,
      shipping: fee ? { amount: fee } : null,
      destination: { country: 'US', state: 'NY' },
      customerExempt: Boolean(o.exempt),
    });
    if (!t.ok) throw new Error(JSON.stringify(t.errors));
    const v = t.value;
    pricing = {
      taxMode: 'rates',
      inclusive: false,
      taxTotal: v.taxTotal,
      shippingTax: v.shipping?.tax ?? 0,
      calculationId: null,
      exempt: o.exempt ?? null,
      breakdown: v.breakdown.map((b): RecordedJurisdiction => ({
        jurisdiction: b.jurisdiction,
        level: b.level,
        type: b.type,
        country: b.country,
        state: b.state,
        ratePpm: b.ratePpm,
        amount: b.amount,
      })),
      ...discountHead,
      orderDiscount: o.orderDiscount ? { spec: o.orderDiscount, amount: v.discountTotal } : null,
      lines: v.lines.map((l) => ({ discount: l.discount, tax: l.tax })),
    };
    amount = v.total;
  } else {
    const d = applyDiscounts(
      'usd',
      lines.map((l) => ({ ref: l.sku, unitAmount: l.unitAmount, quantity: l.quantity })),
      o.orderDiscount ?? null,
    );
    if (!d.ok) throw new Error(JSON.stringify(d.errors));
    const params = calculationParams({
      currency: 'usd',
      lines: d.value.lines.map((l, i) => ({
        ref: l.ref,
        amount: l.net,
        quantity: l.quantity,
        taxCode: lines[i]!.taxCode ?? 'txcd_99999999',
      })),
      pricesIncludeTax: false,
      destination: { kind: 'ship_to', address: NYC },
      shopAddress: SEATTLE,
      shipping: fee ? { amount: fee } : null,
      customerExempt: Boolean(o.exempt),
    });
    if (!params.ok) throw new Error(JSON.stringify(params.errors));
    const calc = await stripe.tax.calculations.create(params.value);
    const items = (
      await stripe.tax.calculations.listLineItems(calc.id!, { limit: 100, expand: ['data.tax_breakdown'] })
    ).data;
    const byRef = new Map(items.map((li) => [li.reference, li]));
    calculationId = calc.id!;
    pricing = {
      taxMode: 'stripe_tax',
      inclusive: false,
      taxTotal: calc.tax_amount_exclusive,
      shippingTax: calc.shipping_cost?.amount_tax ?? 0,
      calculationId: calc.id!,
      exempt: o.exempt ?? null,
      // By jurisdiction as Stripe names them on the line items and shipping ("New York City 4.875%").
      breakdown: byJurisdiction([
        ...items.flatMap((li) => li.tax_breakdown ?? []),
        ...(calc.shipping_cost?.tax_breakdown ?? []),
      ]),
      ...discountHead,
      orderDiscount: o.orderDiscount ? { spec: o.orderDiscount, amount: d.value.discountTotal } : null,
      lines: d.value.lines.map((l) => ({
        discount: l.lineDiscount + l.orderDiscount,
        tax: byRef.get(l.ref)?.amount_tax ?? 0,
      })),
    };
    amount = calc.amount_total;
  }
  const content: OrderContent = {
    cartId: `cart_priced_${o.number}`,
    stationCode: o.stationCode ?? 'T',
    number: o.number,
    stationId: o.stationId ?? 'st_tax_test',
    stationName: 'Tax desk',
    takenBy: 'Sam Staff',
    customerName: o.customerName ?? 'Tess Taxpayer',
    lines,
    ...(fee ? { shippingFee: fee } : {}),
    delivery: 'ship',
    pricing,
  };
  return { content, pricing, amount, calculationId };
}

/** Prices the order and creates its PaymentIntent through the SDK, confirmed with a card unless told not to. */
export async function makePricedOrder(stripe: Stripe, o: PricedOrderOptions): Promise<PricedOrder> {
  const { content, pricing, amount, calculationId } = await priceOrder(stripe, o);
  const pm = o.paymentMethod === undefined ? 'pm_card_visa' : o.paymentMethod;
  const pi = await stripe.paymentIntents.create({
    amount,
    currency: 'usd',
    capture_method: o.capture,
    ...(pm ? { payment_method: pm, confirm: true } : {}),
    ...(o.customer ? { customer: o.customer } : {}),
    ...(o.saveCard ? { setup_future_usage: 'off_session' } : {}),
    metadata: { ...encodeOrderMetadata(content), ...(o.extraMetadata ?? {}) },
    shipping: {
      name: content.customerName,
      address: {
        line1: NYC.line1,
        city: NYC.city,
        state: NYC.state,
        postal_code: NYC.postalCode,
        country: NYC.country,
      },
    },
    ...(calculationId ? { hooks: { inputs: { tax: { calculation: calculationId } } } } : {}),
  } as Stripe.PaymentIntentCreateParams);
  return { pi, content, pricing, amount };
}

type StripeTaxPart = {
  amount: number;
  jurisdiction: { display_name: string; country: string; state: string | null; level: string };
  tax_rate_details: { percentage_decimal: string } | null;
};

/** Stripe's per-line (and shipping) breakdowns summed by jurisdiction and rate, as the record keeps them. */
function byJurisdiction(parts: readonly StripeTaxPart[]): RecordedJurisdiction[] {
  const out = new Map<string, RecordedJurisdiction>();
  for (const b of parts) {
    if (b.amount <= 0) continue;
    const ppm = parseRatePercent(b.tax_rate_details?.percentage_decimal ?? '0');
    const ratePpm = ppm.ok ? ppm.value : 0;
    const key = `${b.jurisdiction.display_name}|${ratePpm}`;
    const cur = out.get(key);
    if (cur) cur.amount += b.amount;
    else
      out.set(key, {
        jurisdiction: b.jurisdiction.display_name,
        level:
          b.jurisdiction.level === 'city' ? 'city' : b.jurisdiction.level === 'state' ? 'state' : 'country',
        type: 'sales_tax',
        country: b.jurisdiction.country,
        state: b.jurisdiction.state,
        ratePpm,
        amount: b.amount,
      });
  }
  return [...out.values()];
}
