// The pure tax core (electron/core/tax): worked examples a person can check by hand, refusals keyed by field,
// and properties over random carts (fast-check): totals are the sum of their parts, discounts never exceed
// their lines, allocations sum exactly, and refunds never take back more tax than was collected.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  applyDiscounts,
  computeTax,
  parseDecimal,
  parseDiscountPercent,
  parseRatePercent,
  portionOfLines,
  ppmToPercentString,
  roundDiv,
  taxOfRefund,
} from '../../../../../electron/core/tax';
import type {
  Discount,
  RatesISet,
  TaxInput,
  TaxableLine,
  TaxedOrder,
} from '../../../../../electron/core/tax';

const US_RATES: RatesISet = {
  regions: [
    {
      country: 'US',
      state: 'NY',
      components: [
        { jurisdiction: 'New York', level: 'state', type: 'sales_tax', ratePpm: 40_000 },
        { jurisdiction: 'New York City', level: 'city', type: 'sales_tax', ratePpm: 48_750 },
      ],
    },
    {
      country: 'US',
      state: 'CA',
      components: [{ jurisdiction: 'California', level: 'state', type: 'sales_tax', ratePpm: 72_500 }],
    },
    {
      country: 'DE',
      components: [{ jurisdiction: 'Germany', level: 'country', type: 'vat', ratePpm: 190_000 }],
    },
  ],
  shippingTaxable: true,
  pricesIncludeTax: false,
};

const line = (
  ref: string,
  unitAmount: number,
  quantity = 1,
  extra: Partial<TaxableLine> = {},
): TaxableLine => ({
  ref,
  unitAmount,
  quantity,
  taxable: true,
  ...extra,
});

function priced(settings: RatesISet, input: TaxInput): TaxedOrder {
  const r = computeTax(settings, input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

describe('integer arithmetic', () => {
  it('rounds half to even by default, half up on request', () => {
    expect(roundDiv(25, 10)).toBe(2); // 2.5 → 2
    expect(roundDiv(35, 10)).toBe(4); // 3.5 → 4
    expect(roundDiv(25, 10, 'half_up')).toBe(3);
    expect(roundDiv(26, 10)).toBe(3);
    expect(roundDiv(24, 10)).toBe(2);
    expect(roundDiv(-25, 10, 'half_up')).toBe(-3);
  });

  it('allocates by largest remainder, ties to the earlier part', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(10, [3, 3, 4])).toEqual([3, 3, 4]);
    expect(allocate(5, [0, 0])).toEqual([3, 2]);
    expect(allocate(0, [5, 7])).toEqual([0, 0]);
  });

  it('parses percentages exactly and refuses what a person should fix', () => {
    expect(parseRatePercent('8.875')).toEqual({ ok: true, value: 88_750 });
    expect(parseRatePercent('100')).toEqual({ ok: true, value: 1_000_000 });
    expect(parseDiscountPercent('12.5')).toEqual({ ok: true, value: 1250 });
    expect(parseDiscountPercent('.5')).toEqual({ ok: true, value: 50 });
    expect(parseDiscountPercent('-5').ok).toBe(false);
    expect(parseDiscountPercent('1.234')).toEqual({ ok: false, reason: 'At most 2 digits after the point.' });
    expect(parseDecimal('abc', 2).ok).toBe(false);
    expect(parseDecimal('', 2).ok).toBe(false);
    expect(ppmToPercentString(88_750)).toBe('8.875');
    expect(ppmToPercentString(190_000)).toBe('19');
  });
});

describe('discounts', () => {
  it('a line percentage, a line amount and an order amount spread by largest remainder', () => {
    const r = applyDiscounts(
      'usd',
      [
        { ref: 'a', unitAmount: 1000, quantity: 3, discount: { kind: 'percent', bp: 1000 } },
        { ref: 'b', unitAmount: 500, quantity: 1, discount: { kind: 'amount', amount: 100 } },
        { ref: 'c', unitAmount: 333, quantity: 1 },
      ],
      { kind: 'amount', amount: 100 },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value;
    expect(v.lines.map((l) => l.lineDiscount)).toEqual([300, 100, 0]);
    // After line discounts: 2700, 400, 333 (3433); 100 in proportion is 78.65, 11.65, 9.70: the floors
    // 78, 11, 9 give 98, and the two cents left go to the largest remainders (c's .70, then b's .652).
    expect(v.lines.map((l) => l.orderDiscount)).toEqual([78, 12, 10]);
    expect(v.orderDiscount).toBe(100);
    expect(v.net).toBe(3433 - 100);
    expect(v.discountTotal).toBe(500);
  });

  it('refuses a discount larger than the line, negative, or over 100 %, at the field', () => {
    const r = applyDiscounts('usd', [
      { ref: 'a', unitAmount: 1000, quantity: 1, discount: { kind: 'amount', amount: 1200 } },
      { ref: 'b', unitAmount: 1000, quantity: 1, discount: { kind: 'amount', amount: -1 } },
      { ref: 'c', unitAmount: 1000, quantity: 1, discount: { kind: 'percent', bp: 10_100 } },
      { ref: 'd', unitAmount: 1000, quantity: 0 },
    ]);
    expect(r).toEqual({
      ok: false,
      errors: {
        'lines.0.discount': 'The discount ($12.00) is larger than the line ($10.00).',
        'lines.1.discount': "A discount can't be negative.",
        'lines.2.discount': "A discount can't be more than 100%.",
        'lines.3.quantity': 'The quantity must be a whole number, 1 or more.',
      },
    });
  });

  it('refuses an order discount larger than the order', () => {
    const r = applyDiscounts('usd', [{ ref: 'a', unitAmount: 500, quantity: 1 }], {
      kind: 'amount',
      amount: 501,
    });
    expect(r).toEqual({
      ok: false,
      errors: { orderDiscount: 'The discount ($5.01) is larger than the order ($5.00).' },
    });
  });
});

describe('rates I set', () => {
  it('New York City: state + city on the discounted price, shipping taxed, a breakdown by jurisdiction', () => {
    const o = priced(US_RATES, {
      currency: 'usd',
      lines: [line('tea', 1999, 2, { discount: { kind: 'amount', amount: 398 } }), line('pot', 3500)],
      shipping: { amount: 595 },
      destination: { country: 'US', state: 'ny' },
    });
    // tea: 3998 − 398 = 3600 → 4 % = 144, 4.875 % = 175.5 → 176 (half to even: 175.5 → 176)
    expect(o.lines[0]).toMatchObject({
      net: 3600,
      tax: 144 + 176,
      total: 3920,
      taxability: 'standard_rated',
    });
    // pot: 3500 → 140 + 170.625 → 171
    expect(o.lines[1]).toMatchObject({ net: 3500, tax: 140 + 171, total: 3811 });
    // shipping: 595 → 23.8 → 24, 29.006 → 29
    expect(o.shipping).toMatchObject({ net: 595, tax: 53, total: 648 });
    expect(o.taxTotal).toBe(320 + 311 + 53);
    expect(o.total).toBe(3920 + 3811 + 648);
    expect(o.breakdown).toEqual([
      expect.objectContaining({ jurisdiction: 'New York', amount: 144 + 140 + 24, taxableAmount: 7695 }),
      expect.objectContaining({ jurisdiction: 'New York City', amount: 176 + 171 + 29, taxableAmount: 7695 }),
    ]);
  });

  it('exempt products, untaxed shipping, an exempt customer, and a region with no rate', () => {
    const noShipTax = { ...US_RATES, shippingTaxable: false };
    const o = priced(noShipTax, {
      currency: 'usd',
      lines: [line('bread', 450, 1, { taxable: false }), line('mug', 1000)],
      shipping: { amount: 500 },
      destination: { country: 'US', state: 'CA' },
    });
    expect(o.lines.map((l) => [l.taxability, l.tax])).toEqual([
      ['product_exempt', 0],
      ['standard_rated', 72], // 7.25 % of 1000 = 72.5 → 72 (half to even)
    ]);
    expect(o.shipping).toMatchObject({ taxability: 'not_subject_to_tax', tax: 0 });
    const exempt = priced(US_RATES, {
      currency: 'usd',
      lines: [line('mug', 1000)],
      destination: { country: 'US', state: 'CA' },
      customerExempt: true,
    });
    expect(exempt.lines[0]).toMatchObject({ taxability: 'customer_exempt', tax: 0, total: 1000 });
    const elsewhere = priced(US_RATES, {
      currency: 'usd',
      lines: [line('mug', 1000)],
      shipping: { amount: 500 },
      destination: { country: 'US', state: 'TX' },
    });
    expect([elsewhere.lines[0]?.taxability, elsewhere.shipping?.taxability, elsewhere.taxTotal]).toEqual([
      'not_collecting',
      'not_collecting',
      0,
    ]);
  });

  it('tax-inclusive prices (German VAT): the price stays, the tax is taken out of it', () => {
    const o = priced(
      { ...US_RATES, pricesIncludeTax: true },
      { currency: 'eur', lines: [line('tea', 1190), line('cup', 999)], destination: { country: 'DE' } },
    );
    expect(o.lines[0]).toMatchObject({ net: 1190, taxableAmount: 1000, tax: 190, total: 1190 });
    // 999 / 1.19 = 839.49… → 839, tax 160
    expect(o.lines[1]).toMatchObject({ taxableAmount: 839, tax: 160, total: 999 });
    expect(o.total).toBe(1190 + 999);
  });

  it('refuses a rate over 100 %, a negative one, and no destination, at the field', () => {
    const bad: RatesISet = {
      ...US_RATES,
      regions: [
        {
          country: 'US',
          state: 'WA',
          components: [
            { jurisdiction: 'Washington', level: 'state', type: 'sales_tax', ratePpm: 1_010_000 },
            { jurisdiction: 'Seattle', level: 'city', type: 'sales_tax', ratePpm: -1 },
          ],
        },
      ],
    };
    const r = computeTax(bad, { currency: 'usd', lines: [line('a', 100)], destination: null });
    expect(r).toEqual({
      ok: false,
      errors: {
        'regions.0.components.0.ratePpm': "A rate can't be more than 100%.",
        'regions.0.components.1.ratePpm': "A rate can't be negative.",
        destination: 'Enter the ship-to address, or choose collection at the shop.',
      },
    });
  });
});

describe('capture by lines and refunds', () => {
  const order = priced(US_RATES, {
    currency: 'usd',
    lines: [line('tea', 1999, 3), line('pot', 3500)],
    shipping: { amount: 595 },
    destination: { country: 'US', state: 'NY' },
  });

  it('capturing some lines takes exactly their tax; the rest adds up to the whole', () => {
    const a = portionOfLines(order, [{ ref: 'tea', quantity: 2 }], true);
    const b = portionOfLines(
      order,
      [
        { ref: 'tea', quantity: 1 },
        { ref: 'pot', quantity: 1 },
      ],
      false,
      {
        lines: { tea: 2 },
        shipping: true,
      },
    );
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.value.taxTotal + b.value.taxTotal).toBe(order.taxTotal);
    expect(a.value.total + b.value.total).toBe(order.total);
    expect(a.value.shipping?.tax).toBe(order.shipping?.tax);
  });

  it('refuses more than remains of a line, an unknown line, and shipping twice', () => {
    const r = portionOfLines(
      order,
      [
        { ref: 'tea', quantity: 2 },
        { ref: 'nope', quantity: 1 },
      ],
      true,
      {
        lines: { tea: 2 },
        shipping: true,
      },
    );
    expect(r).toEqual({
      ok: false,
      errors: {
        'lines.0.quantity': 'Only 1 of this line is left.',
        'lines.1.ref': 'This line is not on the order.',
        shipping: 'Shipping was already taken.',
      },
    });
  });

  it('a refund of an amount takes back tax in proportion, and the last refund takes back the rest', () => {
    const first = taxOfRefund('usd', order, { amount: 0, tax: 0 }, 5000);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.value.tax).toBe(Math.round((order.taxTotal * 5000) / order.total));
    const rest = taxOfRefund('usd', order, { amount: 5000, tax: first.value.tax }, order.total - 5000);
    expect(rest.ok && rest.value.tax + first.value.tax).toBe(order.taxTotal);
    expect(taxOfRefund('usd', order, { amount: 5000, tax: 0 }, order.total)).toEqual({
      ok: false,
      errors: { amount: `Only $${((order.total - 5000) / 100).toFixed(2)} is left to refund.` },
    });
  });
});

// ------------------------------------------------------------------------------------------ properties

const discountArb: fc.Arbitrary<Discount> = fc.oneof(
  fc.integer({ min: 0, max: 20_000 }).map((amount) => ({ kind: 'amount' as const, amount })),
  fc.integer({ min: 0, max: 10_000 }).map((bp) => ({ kind: 'percent' as const, bp })),
);

const lineArb = fc.record({
  unitAmount: fc.integer({ min: 0, max: 50_000 }),
  quantity: fc.integer({ min: 1, max: 12 }),
  taxable: fc.boolean(),
  discount: fc.option(discountArb, { nil: null }),
});

const cartArb = fc.record({
  lines: fc.array(lineArb, { minLength: 1, maxLength: 6 }),
  orderDiscount: fc.option(discountArb, { nil: null }),
  shipping: fc.option(
    fc.integer({ min: 0, max: 3_000 }).map((amount) => ({ amount })),
    { nil: null },
  ),
  inclusive: fc.boolean(),
  shippingTaxable: fc.boolean(),
  exempt: fc.boolean(),
  state: fc.constantFrom('NY', 'CA', 'TX'),
  rates: fc.array(fc.integer({ min: 0, max: 300_000 }), { minLength: 1, maxLength: 3 }),
});

type Cart = typeof cartArb extends fc.Arbitrary<infer T> ? T : never;

function settingsOf(c: Cart): RatesISet {
  return {
    regions: [
      {
        country: 'US',
        state: 'NY',
        components: c.rates.map((ratePpm, i) => ({
          jurisdiction: `J${i}`,
          level: 'state' as const,
          type: 'sales_tax' as const,
          ratePpm,
        })),
      },
      {
        country: 'US',
        state: 'CA',
        components: [{ jurisdiction: 'California', level: 'state', type: 'sales_tax', ratePpm: 72_500 }],
      },
    ],
    shippingTaxable: c.shippingTaxable,
    pricesIncludeTax: c.inclusive,
  };
}

function inputOf(c: Cart): TaxInput {
  return {
    currency: 'usd',
    lines: c.lines.map((l, i) => ({ ref: `l${i}`, ...l })),
    orderDiscount: c.orderDiscount,
    shipping: c.shipping,
    destination: { country: 'US', state: c.state },
    customerExempt: c.exempt,
  };
}

const RUNS = { numRuns: 400 };

describe('properties', () => {
  it('allocation sums exactly and never gives a part more than its proportional ceiling', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 12 }),
        (total, weights) => {
          const parts = allocate(total, weights);
          const sum = weights.reduce((a, b) => a + b, 0);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          parts.forEach((p, i) => {
            expect(p).toBeGreaterThanOrEqual(0);
            if (sum > 0) expect(p).toBeLessThanOrEqual(Math.ceil((total * (weights[i] as number)) / sum));
          });
        },
      ),
      RUNS,
    );
  });

  it('discounts: every line discount ≤ its line, the order discount sums exactly, totals add up', () => {
    fc.assert(
      fc.property(cartArb, (c) => {
        const r = applyDiscounts('usd', inputOf(c).lines, c.orderDiscount);
        if (!r.ok) {
          // Only too-large amounts are refused here (percentages are within 0–100 % and amounts ≥ 0).
          for (const reason of Object.values(r.errors)) expect(reason).toMatch(/is larger than/);
          return;
        }
        const v = r.value;
        for (const l of v.lines) {
          expect(l.lineDiscount + l.orderDiscount).toBeLessThanOrEqual(l.gross);
          expect(l.net).toBeGreaterThanOrEqual(0);
          expect(l.net).toBe(l.gross - l.lineDiscount - l.orderDiscount);
        }
        expect(v.lines.reduce((a, l) => a + l.orderDiscount, 0)).toBe(v.orderDiscount);
        expect(v.subtotal - v.discountTotal).toBe(v.net);
        expect(v.lines.reduce((a, l) => a + l.net, 0)).toBe(v.net);
      }),
      RUNS,
    );
  });

  it('tax: total = Σ parts, tax = Σ breakdown, exempt means no tax, tax never negative', () => {
    fc.assert(
      fc.property(cartArb, (c) => {
        const r = computeTax(settingsOf(c), inputOf(c));
        if (!r.ok) return;
        const o = r.value;
        const all = o.shipping ? [...o.lines, o.shipping] : o.lines;
        expect(o.total).toBe(all.reduce((a, l) => a + l.total, 0));
        expect(o.taxTotal).toBe(all.reduce((a, l) => a + l.tax, 0));
        expect(o.breakdown.reduce((a, b) => a + b.amount, 0)).toBe(o.taxTotal);
        const net = o.subtotal - o.discountTotal + (o.shipping?.net ?? 0);
        expect(o.total).toBe(o.inclusive ? net : net + o.taxTotal);
        for (const l of all) {
          expect(l.tax).toBeGreaterThanOrEqual(0);
          expect(l.breakdown.reduce((a, b) => a + b.amount, 0)).toBe(l.tax);
          if (l.taxability !== 'standard_rated') expect(l.tax).toBe(0);
          if (o.inclusive) expect(l.taxableAmount + l.tax).toBe(l.net);
        }
        if (c.exempt || c.state === 'TX') expect(o.taxTotal).toBe(0);
      }),
      RUNS,
    );
  });

  it('capture by lines: any split of the lines into two captures adds up to the order', () => {
    fc.assert(
      fc.property(
        cartArb,
        fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
        fc.boolean(),
        (c, cuts, ship) => {
          const r = computeTax(settingsOf(c), inputOf(c));
          if (!r.ok) return;
          const o = r.value;
          const first = o.lines.map((l, i) => ({
            ref: l.ref,
            quantity: (cuts[i] as number) % (l.quantity + 1),
          }));
          const a = portionOfLines(
            o,
            first.filter((t) => t.quantity > 0),
            ship && o.shipping !== null,
          );
          expect(a.ok).toBe(true);
          if (!a.ok) return;
          const taken = Object.fromEntries(first.map((t) => [t.ref, t.quantity]));
          const rest = o.lines
            .map((l) => ({ ref: l.ref, quantity: l.quantity - (taken[l.ref] ?? 0) }))
            .filter((t) => t.quantity > 0);
          const b = portionOfLines(o, rest, !ship && o.shipping !== null, {
            lines: taken,
            shipping: ship && o.shipping !== null,
          });
          expect(b.ok).toBe(true);
          if (!b.ok) return;
          expect(a.value.taxTotal + b.value.taxTotal).toBe(o.taxTotal);
          expect(a.value.total + b.value.total).toBe(o.total);
          for (const p of [a.value, b.value]) {
            expect(p.breakdown.reduce((s, x) => s + x.amount, 0)).toBe(p.taxTotal);
            expect(p.taxTotal).toBeLessThanOrEqual(p.total);
          }
        },
      ),
      RUNS,
    );
  });

  it("refunding lines one unit at a time, in any order, takes back exactly the lines' tax, never more", () => {
    fc.assert(
      fc.property(cartArb, fc.array(fc.nat(), { minLength: 1, maxLength: 80 }), (c, picks) => {
        const r = computeTax(settingsOf(c), inputOf(c));
        if (!r.ok) return;
        const o = r.value;
        const units = o.lines.flatMap((l) => Array.from({ length: l.quantity }, () => l.ref));
        // A random order of every unit: take the pick-th of those left, each time.
        const order: string[] = [];
        const left = [...units];
        picks.forEach((p) => {
          if (left.length > 0) order.push(left.splice(p % left.length, 1)[0] as string);
        });
        order.push(...left);
        const taken: Record<string, number> = {};
        let tax = 0;
        let total = 0;
        for (const ref of order) {
          const p = portionOfLines(o, [{ ref, quantity: 1 }], false, { lines: taken });
          expect(p.ok).toBe(true);
          if (!p.ok) return;
          taken[ref] = (taken[ref] ?? 0) + 1;
          tax += p.value.taxTotal;
          total += p.value.total;
          expect(tax).toBeLessThanOrEqual(o.taxTotal - (o.shipping?.tax ?? 0));
        }
        expect(tax).toBe(o.taxTotal - (o.shipping?.tax ?? 0));
        expect(total).toBe(o.total - o.shippingTotal);
        const more = portionOfLines(o, [{ ref: o.lines[0]?.ref as string, quantity: 1 }], false, {
          lines: taken,
        });
        expect(more.ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('refunds in any pieces never take back more tax than collected, and all of it when fully refunded', () => {
    fc.assert(
      fc.property(
        cartArb,
        fc.array(fc.integer({ min: 1, max: 5_000 }), { minLength: 1, maxLength: 8 }),
        (c, pieces) => {
          const r = computeTax(settingsOf(c), inputOf(c));
          if (!r.ok || r.value.total === 0) return;
          const o = r.value;
          const so = { amount: 0, tax: 0 };
          for (const want of pieces) {
            const left = o.total - so.amount;
            if (left === 0) break;
            const res = taxOfRefund('usd', o, so, Math.min(want, left));
            expect(res.ok).toBe(true);
            if (!res.ok) return;
            expect(res.value.tax).toBeGreaterThanOrEqual(0);
            expect(res.value.tax).toBeLessThanOrEqual(res.value.amount);
            expect(res.value.breakdown.reduce((s, x) => s + x.amount, 0)).toBe(res.value.tax);
            so.amount += res.value.amount;
            so.tax += res.value.tax;
            expect(so.tax).toBeLessThanOrEqual(o.taxTotal);
          }
          if (so.amount < o.total) {
            const last = taxOfRefund('usd', o, so, o.total - so.amount);
            expect(last.ok).toBe(true);
            if (last.ok) so.tax += last.value.tax;
          }
          expect(so.tax).toBe(o.taxTotal);
        },
      ),
      RUNS,
    );
  });
});
