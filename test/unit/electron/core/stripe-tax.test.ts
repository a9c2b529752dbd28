// The Stripe Tax client (electron/core/stripe/stripe-tax.ts) against the emulator, through the real gateway:
// a cart priced by a Tax Calculation (the emulator's demo rate table, with the demo seed's registrations), its
// line items read back, collection taxed at the shop, exempt customers, and refusals as field errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeGateway } from '../../../../electron/core/stripe/gateway';
import type { StripeGateway } from '../../../../electron/core/stripe/gateway';
import {
  calculationKey,
  calculationLines,
  calculationParams,
  createCartCalculation,
  fieldError,
} from '../../../../electron/core/stripe/stripe-tax';
import type { StripeTaxCart } from '../../../../electron/core/stripe/stripe-tax';
import { startEmulator } from '../../../../electron/emulator/index';
import type { RunningEmulator } from '../../../../electron/emulator/index';
import { seedEmulator } from '../../../../electron/emulator/seed';
import { AppError } from '../../../../electron/ipc/errors';

const SEATTLE = { line1: '400 Pine St', city: 'Seattle', state: 'WA', postalCode: '98101', country: 'US' };
const NYC = { line1: '350 5th Ave', city: 'New York', state: 'NY', postalCode: '10118', country: 'US' };

let emu: RunningEmulator;
let gw: StripeGateway;
let calls = 0;
beforeAll(async () => {
  emu = await startEmulator();
  await seedEmulator(emu, 'demo');
  const real = createStripeGateway({
    secretKey: 'sk_test_tax_client',
    mode: 'emulator',
    host: emu.host,
    port: emu.port,
    protocol: 'http',
    maxNetworkRetries: 0,
  });
  gw = {
    ...real,
    createTaxCalculation: (p, key) => {
      calls++;
      return real.createTaxCalculation(p, key);
    },
  };
});
afterAll(() => emu.close());

const cart = (over: Partial<StripeTaxCart> = {}): StripeTaxCart => ({
  currency: 'usd',
  lines: [
    { ref: 'tea', amount: 2500, quantity: 2, taxCode: 'txcd_99999999' },
    { ref: 'bread', amount: 600, quantity: 1, taxCode: 'txcd_40060003' },
  ],
  pricesIncludeTax: false,
  destination: { kind: 'ship_to', address: NYC },
  shopAddress: SEATTLE,
  shipping: { amount: 500 },
  ...over,
});

describe('Stripe Tax client', () => {
  it('prices a cart shipped to New York City: goods taxed, food exempt, shipping taxed; lines read back', async () => {
    const r = await createCartCalculation(gw, cart());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const q = r.value;
    // tea: 4 % 100 + 4.875 % 121.875 → 122; bread: exempt; shipping: 20 + 24.375 → 24.
    expect([q.taxTotal, q.taxExclusive, q.taxInclusive]).toEqual([266, 266, 0]);
    expect(q.amountTotal).toBe(2500 + 600 + 500 + 266);
    expect(q.shipping).toEqual({ amount: 500, tax: 44 });
    expect(q.calculationId).toMatch(/^taxcalc_/);
    expect(q.expiresAt).toBeGreaterThan(Math.floor(emu.now() / 1000));
    expect(q.breakdown.reduce((a, b) => a + b.amount, 0)).toBe(266);
    const lines = await calculationLines(gw, q.calculationId);
    expect(lines.map((l) => [l.ref, l.amount, l.quantity, l.tax, l.taxCode])).toEqual([
      ['tea', 2500, 2, 222, 'txcd_99999999'],
      ['bread', 600, 1, 0, 'txcd_40060003'],
    ]);
  });

  it("collection is taxed at the shop's address, without shipping", async () => {
    const r = await createCartCalculation(gw, cart({ destination: { kind: 'collection' } }));
    expect(r.ok && [r.value.taxTotal, r.value.shipping, r.value.amountTotal]).toEqual([
      163,
      null,
      3100 + 163,
    ]);
    expect(r.ok && r.value.breakdown.find((b) => b.amount > 0)?.state).toBe('WA');
  });

  it('an exempt customer pays no tax; tax-inclusive prices keep their total', async () => {
    const exempt = await createCartCalculation(gw, cart({ customerExempt: true }));
    expect(exempt.ok && [exempt.value.taxTotal, exempt.value.amountTotal]).toEqual([0, 3600]);
    expect(exempt.ok && exempt.value.breakdown.map((b) => b.reason)).toEqual(['customer_exempt']);
    const berlin = await createCartCalculation(
      gw,
      cart({
        currency: 'eur',
        pricesIncludeTax: true,
        lines: [{ ref: 'tea', amount: 1190, quantity: 1 }],
        shipping: null,
        destination: { kind: 'ship_to', address: { postalCode: '10117', city: 'Berlin', country: 'de' } },
      }),
    );
    expect(
      berlin.ok && [berlin.value.amountTotal, berlin.value.taxInclusive, berlin.value.taxExclusive],
    ).toEqual([1190, 190, 0]);
  });

  it("an address Stripe Tax can't place is a field error, and nothing is charged", async () => {
    const bad = await createCartCalculation(
      gw,
      cart({ destination: { kind: 'ship_to', address: { country: 'US', postalCode: '1', state: 'NY' } } }),
    );
    expect(bad).toEqual({
      ok: false,
      errors: {
        'destination.address':
          "Stripe Tax can't place this address. Check the ZIP or postal code, the state or province, and the country.",
      },
    });
    const shop = await createCartCalculation(
      gw,
      cart({ destination: { kind: 'collection' }, shopAddress: { country: 'US', state: 'WA' } }),
    );
    expect(shop.ok ? null : Object.keys(shop.errors)).toEqual(['shopAddress']);
    expect((await gw.listPaymentIntents({ limit: 10 })).data).toEqual([]);
    const e = fieldError(bad.ok ? {} : bad.errors);
    expect(e).toBeInstanceOf(AppError);
    expect([e.code, e.details]).toEqual(['invalid_input', { fields: bad.ok ? {} : bad.errors }]);
  });

  it("a tax code Stripe doesn't know is the line's field error", async () => {
    const r = await createCartCalculation(
      gw,
      cart({ lines: [{ ref: 'x', amount: 100, quantity: 1, taxCode: 'txcd_12345678' }] }),
    );
    expect(r).toEqual({
      ok: false,
      errors: { 'lines.0.taxCode': "Stripe Tax doesn't know this product's tax code." },
    });
  });

  it('bad input is refused before Stripe is asked', async () => {
    const before = calls;
    const r = await createCartCalculation(
      gw,
      cart({
        lines: [
          { ref: 'a', amount: -1, quantity: 1 },
          { ref: 'a', amount: 100, quantity: 0 },
        ],
        shipping: { amount: 1.5 },
        destination: { kind: 'ship_to', address: { country: '' } },
      }),
    );
    expect(r).toEqual({
      ok: false,
      errors: {
        'lines.0.amount': 'The amount must be a whole amount of money, not negative.',
        'lines.1.ref': 'Two lines have the same reference.',
        'lines.1.quantity': 'The quantity must be a whole number, 1 or more.',
        'shipping.amount': 'The shipping price must be a whole amount of money, not negative.',
        'destination.address.country': 'Choose a country.',
      },
    });
    expect(calls).toBe(before);
  });

  it('the same cart gets the same calculation back; a changed one a new calculation', async () => {
    const a = await createCartCalculation(gw, cart());
    const b = await createCartCalculation(gw, cart());
    const c = await createCartCalculation(gw, cart({ shipping: { amount: 600 } }));
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (!a.ok || !b.ok || !c.ok) return;
    expect(b.value.calculationId).toBe(a.value.calculationId);
    expect(c.value.calculationId).not.toBe(a.value.calculationId);
    const p1 = calculationParams(cart());
    const p2 = calculationParams(cart({ customerExempt: true }));
    expect(p1.ok && p2.ok && calculationKey(p1.value) !== calculationKey(p2.value)).toBe(true);
  });

  it('Stripe unreachable is an AppError to show, not a field error', async () => {
    const down = createStripeGateway({
      secretKey: 'sk_test_down',
      mode: 'emulator',
      host: '127.0.0.1',
      port: 9,
      protocol: 'http',
      maxNetworkRetries: 0,
      timeoutMs: 2000,
    });
    await expect(createCartCalculation(down, cart())).rejects.toMatchObject({ code: 'stripe_unavailable' });
  });
});
