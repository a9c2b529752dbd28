// One rule for what capturing some lines takes: the Holds dialog's amount (ipc/money.ts linesShareAmount: shares of each
// line's total, from the hold's lineTotal and shippingTotal) is exactly what the core takes (amountForLines → tax/split.ts
// portionOfLines), for any discounts, tax and quantities — else the core refuses the capture as stale.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountForLines, type OrderContent } from '../../../../../electron/core/orders/order-metadata';
import { lineTotalsOf } from '../../../../../electron/core/orders/order-pricing';
import type { OrderPricing } from '../../../../../electron/core/orders/pricing-metadata';
import { linesShareAmount } from '../../../../../electron/ipc/money';

const line = fc.record({
  quantity: fc.integer({ min: 1, max: 12 }),
  unitAmount: fc.integer({ min: 1, max: 50_000 }),
  discountPct: fc.integer({ min: 0, max: 100 }),
  taxPpm: fc.integer({ min: 0, max: 250_000 }),
  take: fc.integer({ min: 0, max: 12 }),
});

describe('capture by lines: the dialog and the core take the same amount', () => {
  it('for any lines, discounts, tax, shipping and quantities taken', () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 300 }),
        fc.boolean(),
        (ls, fee, shipTax, inclusive) => {
          const lines = ls.map((l, i) => ({
            sku: `SKU-${i}`,
            name: `Line ${i}`,
            quantity: l.quantity,
            unitAmount: l.unitAmount,
            waitlist: i % 2 === 1,
          }));
          const perLine = ls.map((l) => {
            const gross = l.unitAmount * l.quantity;
            const discount = Math.floor((gross * l.discountPct) / 100);
            return { discount, tax: Math.floor(((gross - discount) * l.taxPpm) / 1_000_000) };
          });
          const pricing: OrderPricing = {
            taxMode: 'rates',
            inclusive,
            taxTotal: perLine.reduce((n, l) => n + l.tax, 0) + (fee ? shipTax : 0),
            shippingTax: fee ? shipTax : 0,
            calculationId: null,
            exempt: null,
            breakdown: [],
            orderDiscount: null,
            orderReason: null,
            discountBy: null,
            discountApprovedBy: null,
            reasons: [],
            lines: perLine,
          };
          const content: OrderContent = {
            cartId: 'cart_1',
            stationCode: 'A',
            number: 1,
            stationId: 's',
            stationName: 'S',
            takenBy: 'Sam',
            customerName: 'C',
            lines,
            ...(fee ? { shippingFee: fee } : {}),
            pricing,
          };
          const totals = lineTotalsOf(content);
          const items = lines.map((l, i) => ({ ...l, lineTotal: totals.lineTotals[i] }));
          const take = ls.map((l, i) => ({ sku: `SKU-${i}`, quantity: Math.min(l.take, l.quantity) }));
          const picked = Object.fromEntries(take.map((t) => [t.sku, t.quantity]));
          expect(linesShareAmount(items, picked, totals.shippingTotal, 99_999_999)).toBe(
            amountForLines(content, take),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('without recorded pricing, the lines at their prices and the fee, as before', () => {
    const content: OrderContent = {
      cartId: 'c',
      stationCode: 'A',
      number: 1,
      stationId: 's',
      stationName: 'S',
      takenBy: 'Sam',
      customerName: 'C',
      shippingFee: 500,
      lines: [
        { sku: 'A', name: 'A', quantity: 2, unitAmount: 1000, waitlist: false },
        { sku: 'B', name: 'B', quantity: 1, unitAmount: 4000, waitlist: true },
      ],
    };
    expect(amountForLines(content, [{ sku: 'A', quantity: 2 }])).toBe(2500);
    expect(amountForLines(content, [{ sku: 'A', quantity: 0 }])).toBe(0);
  });
});
