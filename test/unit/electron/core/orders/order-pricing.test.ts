// An order's figures as it stands (orders/order-pricing.ts), from its content alone: paid in full, captured by
// lines (with the tax the capture recorded), a released hold (no tax), prices that include tax, an exemption.
import { describe, expect, it } from 'vitest';
import type { OrderContent } from '../../../../../electron/core/orders/order-metadata';
import { orderPricingFigures, paidLineTotals } from '../../../../../electron/core/orders/order-pricing';
import type { OrderPricing } from '../../../../../electron/core/orders/pricing-metadata';

const pricing = (over: Partial<OrderPricing> = {}): OrderPricing => ({
  taxMode: 'rates',
  inclusive: false,
  taxTotal: 0,
  shippingTax: 0,
  calculationId: null,
  exempt: null,
  breakdown: [],
  orderDiscount: null,
  orderReason: null,
  discountBy: null,
  discountApprovedBy: null,
  reasons: [],
  lines: [],
  ...over,
});

const content = (p: OrderPricing | undefined, over: Partial<OrderContent> = {}): OrderContent => ({
  cartId: 'c',
  stationCode: 'A',
  number: 1,
  stationId: 's',
  stationName: 'S',
  takenBy: 'Sam',
  customerName: 'C',
  shippingFee: 500,
  lines: [
    { sku: 'TEA', name: 'Tea', quantity: 2, unitAmount: 2500, waitlist: false },
    { sku: 'POT', name: 'Pot', quantity: 1, unitAmount: 4000, waitlist: true },
  ],
  ...(p ? { pricing: p } : {}),
  ...over,
});

const NY = (amount: number) => ({
  jurisdiction: 'New York',
  level: 'state' as const,
  type: 'sales_tax' as const,
  country: 'US',
  state: 'NY',
  ratePpm: 40_000,
  amount,
});

describe('order pricing figures', () => {
  const p = pricing({
    taxTotal: 380,
    shippingTax: 20,
    breakdown: [NY(380)],
    lines: [
      { discount: 500, tax: 200 },
      { discount: 400, tax: 160 },
    ],
    discountBy: 'Sam',
    reasons: ['Loyal customer'],
  });

  it('paid in full: the recorded subtotal, discounts and tax', () => {
    expect(orderPricingFigures(content(p), 'paid', 9380)).toMatchObject({
      subtotal: 9000,
      discountTotal: 900,
      taxTotal: 380,
      shippingFee: 500,
      shippingTax: 20,
      discountBy: 'Sam',
      reasons: ['Loyal customer'],
    });
  });

  it('captured by lines: those lines, shipping with them, and the tax the capture recorded', () => {
    const c = content(p, {
      captured: [
        { sku: 'TEA', quantity: 2 },
        { sku: 'POT', quantity: 0 },
      ],
      capturedTax: { tax: 221, calculationId: 'taxcalc_x' },
    });
    const f = orderPricingFigures(c, 'paid', 5221);
    expect(f).toMatchObject({ subtotal: 5000, discountTotal: 500, taxTotal: 221, shippingFee: 500 });
    expect(f.breakdown).toEqual([NY(221)]);
    expect(paidLineTotals(c)).toEqual([{ sku: 'TEA', total: 4700 }]);
  });

  it('a released hold carries no tax; an order without pricing is its lines and fee', () => {
    expect(orderPricingFigures(content(p), 'canceled', 0)).toMatchObject({ taxTotal: 0, shippingTax: 0 });
    expect(orderPricingFigures(content(p), 'canceled', 0).breakdown).toEqual([NY(0)]);
    const plain = content(undefined, { captured: [{ sku: 'TEA', quantity: 1 }] });
    expect(orderPricingFigures(plain, 'paid', 3000)).toMatchObject({
      subtotal: 2500,
      discountTotal: 0,
      taxTotal: 0,
      taxMode: null,
    });
  });

  it('prices that include tax: the discount is off the tax-inclusive price; the exemption is kept', () => {
    const incl = pricing({
      inclusive: true,
      taxTotal: 0,
      exempt: 'Resale certificate 12-345',
      lines: [
        { discount: 250, tax: 0 },
        { discount: 0, tax: 0 },
      ],
    });
    const f = orderPricingFigures(content(incl, { captured: [{ sku: 'TEA', quantity: 1 }] }), 'paid', 2875);
    expect(f).toMatchObject({
      subtotal: 2500,
      discountTotal: 125,
      taxTotal: 0,
      inclusive: true,
      exempt: 'Resale certificate 12-345',
    });
  });
});
