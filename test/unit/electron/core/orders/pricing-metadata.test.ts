import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  capturedTaxMetadata,
  decodePricing,
  discountTotalOf,
  encodePricing,
  orderTotal,
  readCapturedTax,
  type OrderPricing,
} from '../../../../../electron/core/orders/pricing-metadata';
import { metadataProblem } from '../../../../../electron/core/record/rules';

const base: OrderPricing = {
  taxMode: 'rates',
  inclusive: false,
  taxTotal: 977,
  shippingTax: 44,
  calculationId: null,
  exempt: null,
  breakdown: [
    {
      jurisdiction: 'New York',
      level: 'state',
      type: 'sales_tax',
      country: 'US',
      state: 'NY',
      ratePpm: 40000,
      amount: 440,
    },
    {
      jurisdiction: 'New York City',
      level: 'city',
      type: 'sales_tax',
      country: 'US',
      state: 'NY',
      ratePpm: 48750,
      amount: 537,
    },
  ],
  orderDiscount: { spec: { kind: 'percent', bp: 1000 }, amount: 900 },
  orderReason: 1,
  discountBy: 'Sam',
  discountApprovedBy: 'Morgan (manager)',
  reasons: ['Damaged box', 'Loyal customer'],
  lines: [
    { discount: 1100, tax: 600, reason: 0 },
    { discount: 300, tax: 333 },
    { discount: 0, tax: 0 },
  ],
};

describe('an order’s pricing in its PaymentIntent’s metadata', () => {
  it('reads back what was written, within Stripe’s limits', () => {
    const md = encodePricing(base);
    expect(metadataProblem(md)).toBeNull();
    expect(Object.keys(md).sort()).toEqual(['mc_disc', 'mc_lx0', 'mc_tax']);
    expect(decodePricing(md, 3)).toEqual(base);
  });

  it('writes nothing for an order with neither tax nor discount, and reads that as none', () => {
    const none: OrderPricing = {
      ...base,
      taxMode: 'none',
      taxTotal: 0,
      shippingTax: 0,
      breakdown: [],
      orderDiscount: null,
      orderReason: null,
      reasons: [],
      lines: base.lines.map(() => ({ discount: 0, tax: 0 })),
    };
    expect(encodePricing(none)).toEqual({});
    expect(decodePricing({}, 3)).toBeNull();
  });

  it('a total is the lines less their discounts, plus shipping, plus tax unless prices include it', () => {
    const lines = [
      { unitAmount: 5000, quantity: 2 },
      { unitAmount: 1500, quantity: 2 },
      { unitAmount: 700, quantity: 1 },
    ];
    expect(discountTotalOf(base)).toBe(1400);
    expect(orderTotal(lines, 500, base)).toBe(13700 - 1400 + 500 + 977);
    expect(orderTotal(lines, 500, { ...base, inclusive: true })).toBe(13700 - 1400 + 500);
    expect(orderTotal(lines, 500, null)).toBe(14200);
  });

  it('a long breakdown keeps its largest rows and sums the rest as Other, so the tax still adds up', () => {
    const breakdown = Array.from({ length: 40 }, (_, i) => ({
      jurisdiction: `District number ${i} of a long name`,
      level: 'city' as const,
      type: 'sales_tax' as const,
      country: 'US',
      state: 'CA',
      ratePpm: 2500,
      amount: 10 + i,
    }));
    const taxTotal = breakdown.reduce((n, b) => n + b.amount, 0);
    const md = encodePricing({ ...base, taxTotal, breakdown });
    expect(metadataProblem(md)).toBeNull();
    const back = decodePricing(md, 3)!;
    expect(back.breakdown.at(-1)?.jurisdiction).toBe('Other');
    expect(back.breakdown.reduce((n, b) => n + b.amount, 0)).toBe(taxTotal);
    expect(back.breakdown[0]?.amount).toBe(49);
  });

  it('refuses, before anything is sent, an order with more priced lines than two keys hold', () => {
    const lines = Array.from({ length: 200 }, () => ({ discount: 123456, tax: 12345 }));
    expect(() => encodePricing({ ...base, lines })).toThrow(/too many lines/);
  });

  it('damaged or foreign pricing reads as none, never as wrong amounts', () => {
    const md = encodePricing(base);
    expect(decodePricing({ ...md, mc_tax: '{' }, 3)).toBeNull();
    expect(decodePricing({ ...md, mc_tax: JSON.stringify(['vat', 0, 1, 0, '', '', []]) }, 3)).toBeNull();
    expect(decodePricing({ ...md, mc_disc: '[1,2]' }, 3)).toBeNull();
    expect(decodePricing({ ...md, mc_lx0: '1:2,x' }, 3)).toBeNull();
    // The line entries must be one per line.
    expect(decodePricing(md, 4)).toBeNull();
  });

  it('any pricing round-trips (property)', () => {
    const count = fc.nat({ max: 99_999_999 });
    fc.assert(
      fc.property(
        fc.array(fc.record({ discount: count, tax: count }), { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.option(fc.string({ maxLength: 80 }), { nil: null }),
        (lines, inclusive, by) => {
          const p: OrderPricing = {
            ...base,
            inclusive,
            discountBy: by || null,
            lines,
            orderDiscount: null,
            orderReason: null,
          };
          const md = encodePricing(p);
          expect(metadataProblem(md)).toBeNull();
          // No discount at all: who gave or allowed one, and why, is not kept (there is none to speak of).
          const discounted = lines.some((l) => l.discount > 0);
          expect(decodePricing(md, lines.length)).toEqual(
            discounted ? p : { ...p, discountBy: null, discountApprovedBy: null, reasons: [] },
          );
        },
      ),
    );
  });

  it('the capture carries the tax of what it took', () => {
    expect(readCapturedTax(capturedTaxMetadata(512, 'taxcalc_abc123'))).toEqual({
      tax: 512,
      calculationId: 'taxcalc_abc123',
    });
    expect(readCapturedTax(capturedTaxMetadata(0, null))).toEqual({ tax: 0, calculationId: null });
    expect(readCapturedTax({ mc_cap_tax: '-1|' })).toBeNull();
  });
});
