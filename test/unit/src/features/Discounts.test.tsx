// The discount and rate fields read what staff type exactly, and refuse what can't be a discount or a rate.
import { describe, expect, it } from 'vitest';
import { parsePercent, pricingBlock } from '../../../../src/features/new-order/Discounts';
import { parseRate } from '../../../../src/features/settings/TaxSettings';
import type { Cart } from '../../../../electron/ipc/contract';

describe('discount and rate fields', () => {
  it('reads percentages exactly and refuses negative, over 100 % and too many decimals', () => {
    expect(parsePercent('12.5')).toEqual({ ok: true, bp: 1250 });
    expect(parsePercent('100')).toEqual({ ok: true, bp: 10_000 });
    expect(parsePercent('101')).toMatchObject({ ok: false, reason: expect.stringMatching(/100%/) });
    expect(parsePercent('-5')).toMatchObject({ ok: false, reason: expect.stringMatching(/negative/) });
    expect(parsePercent('1.234').ok).toBe(false);
    expect(parsePercent('1e2').ok).toBe(false);
  });

  it('reads rates to 4 decimals as parts per million and refuses a rate over 100 %', () => {
    expect(parseRate('8.875')).toEqual({ ok: true, ppm: 88_750 });
    expect(parseRate('7')).toEqual({ ok: true, ppm: 70_000 });
    expect(parseRate('100.5')).toMatchObject({ ok: false, reason: expect.stringMatching(/100%/) });
    expect(parseRate('-1').ok).toBe(false);
  });

  it('blocks the pay button while the order is not priced, and says why', () => {
    const base = { lines: [{ productId: 'p' }], discounts: undefined } as unknown as Cart;
    const priced = (p: Partial<NonNullable<Cart['pricing']>>) =>
      ({ ...base, pricing: { state: 'priced', errors: {}, needsApproval: false, ...p } }) as Cart;
    expect(pricingBlock(priced({}))).toBeNull();
    expect(pricingBlock(priced({ state: 'needs_address' }))).toMatch(/ship-to address/);
    expect(
      pricingBlock(
        priced({ state: 'invalid', errors: { 'destination.address': 'Stripe Tax can’t place it.' } }),
      ),
    ).toMatch(/can’t place/);
    expect(pricingBlock(priced({ needsApproval: true }))).toMatch(/manager’s PIN/);
  });
});
