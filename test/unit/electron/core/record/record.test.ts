// The shared record's rules: text is never cut inside a character, and no object can overflow Stripe's 50 keys
// whatever the order, its agreement, its fulfillment, cancellation, receipt and notes.
import { capturedTaxMetadata, encodePricing } from '../../../../../electron/core/orders/pricing-metadata';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chunkText, cutText, isWellFormed, malformedTextIn } from '../../../../../electron/core/record/text';
import {
  CHARGE_OWN_KEYS,
  NOTES_MIN,
  ORDER_LINE_CHUNKS_MAX,
  PAYMENT_INTENT_FIXED_KEYS,
  PAYMENT_INTENT_MAX_KEYS,
  PAYMENT_INTENT_RESERVED_KEYS,
  RULES,
  metadataProblem,
} from '../../../../../electron/core/record/rules';
import {
  CAPTURED_AT_KEY,
  capturedAtValue,
  encodeOrderMetadata,
  decodeOrderMetadata,
  releaseValue,
} from '../../../../../electron/core/orders/order-metadata';
import { assertRoomForNote, NOTE_PREFIX } from '../../../../../electron/core/orders/order-notes';

describe('text cut for Stripe', () => {
  it('never splits a surrogate pair, and the pieces join back to the text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 3000 }),
        fc.integer({ min: 2, max: 600 }),
        (s, max) => {
          const wellFormed = isWellFormed(s);
          const pieces = chunkText(s, max);
          expect(pieces.join('')).toBe(s);
          for (const p of pieces) {
            expect(p.length).toBeLessThanOrEqual(max);
            if (wellFormed) expect(isWellFormed(p)).toBe(true);
          }
          const cut = cutText(s, max);
          expect(s.startsWith(cut)).toBe(true);
          if (wellFormed) expect(isWellFormed(cut)).toBe(true);
        },
      ),
      { seed: 19, numRuns: 300 },
    );
  });

  it('cuts before an emoji that would straddle the limit', () => {
    expect(cutText('ab😀', 3)).toBe('ab');
    expect(chunkText('a😀😀', 2)).toEqual(['a', '😀', '😀']);
    expect(malformedTextIn({ metadata: { ok: 'x', bad: 'a\ud83d' } })).toBe('metadata.bad');
    expect(malformedTextIn({ a: ['fine', '😀'] })).toBeNull();
  });

  it('an order of emoji names encodes into well-formed chunks', () => {
    const md = encodeOrderMetadata({
      cartId: 'cart_1',
      stationCode: 'A',
      number: 1,
      stationId: 'st_1',
      stationName: 'Front desk 🛎️',
      takenBy: 'Sam',
      customerName: '🦊'.repeat(300),
      lines: Array.from({ length: 60 }, (_, i) => ({
        sku: `E${i}`,
        name: '🍵'.repeat(120),
        quantity: 1,
        unitAmount: 500,
        waitlist: false,
      })),
    });
    expect(malformedTextIn(md)).toBeNull();
    expect(metadataProblem(md)).toBeNull();
    expect(decodeOrderMetadata(md)?.lines).toHaveLength(60);
  });
});

describe('key budget', () => {
  it('adds up: a full PaymentIntent copied to its charge, with every charge key and the minimum notes, is ≤ 50', () => {
    expect(PAYMENT_INTENT_FIXED_KEYS.length + PAYMENT_INTENT_RESERVED_KEYS + ORDER_LINE_CHUNKS_MAX).toBe(
      PAYMENT_INTENT_MAX_KEYS,
    );
    expect(PAYMENT_INTENT_MAX_KEYS + CHARGE_OWN_KEYS.length + NOTES_MIN).toBe(50);
    // Each rule names its writer and how writes merge.
    for (const r of RULES) expect(r.writer.length * r.merge.length).toBeGreaterThan(0);
  });

  it('a worst-case order leaves its charge room for fulfillment, cancel, receipt and at least five notes', () => {
    const lines = Array.from({ length: 400 }, (_, i) => ({
      sku: `SKU-${String(i).padStart(30, '0')}`,
      name: 'x'.repeat(200),
      quantity: 999,
      unitAmount: 99999999,
      waitlist: i % 2 === 0,
    }));
    const md = encodeOrderMetadata({
      cartId: 'cart_' + 'x'.repeat(40),
      stationCode: 'ABC',
      number: 999999,
      stationId: 'st_' + 'y'.repeat(30),
      stationName: 'n'.repeat(600),
      takenBy: 't'.repeat(600),
      customerName: 'c'.repeat(600),
      lines: lines.slice(0, 130),
      wait: {
        mode: 'hold_card',
        terms: 'w'.repeat(900),
        agreedAt: 1,
        eta: '2026-12-24',
        agreedBy: 'z'.repeat(600),
      },
      rootPaymentIntentId: 'pi_' + 'r'.repeat(24),
      shippingFee: 999,
      delivery: 'ship',
    });
    // The worst-case pricing (every key), the capture's mc_cap, mc_cap_at and mc_cap_tax, a release's mc_keep; then the
    // charge copies it all.
    const count = decodeOrderMetadata(md)!.lines.length;
    const pricing = encodePricing({
      taxMode: 'stripe_tax',
      inclusive: false,
      taxTotal: 99999999,
      shippingTax: 99999,
      calculationId: 'taxcalc_' + 'c'.repeat(24),
      exempt: 'e'.repeat(300),
      breakdown: Array.from({ length: 30 }, (_, i) => ({
        jurisdiction: `J${i}`.repeat(20),
        level: 'city' as const,
        type: 'sales_tax' as const,
        country: 'US',
        state: 'NY',
        ratePpm: 88750,
        amount: 1000 + i,
      })),
      orderDiscount: { spec: { kind: 'percent', bp: 1250 }, amount: 99999999 },
      orderReason: 0,
      discountBy: 'b'.repeat(300),
      discountApprovedBy: 'a'.repeat(300),
      reasons: Array.from({ length: 20 }, (_, i) => `reason ${i} `.repeat(20)),
      lines: Array.from({ length: count }, () => ({ discount: 1, tax: 1, reason: 1 })),
    });
    expect(Object.keys(pricing)).toHaveLength(4);
    const pi = {
      ...md,
      ...pricing,
      ...capturedTaxMetadata(99999999, 'taxcalc_x'),
      mc_cap: '[]',
      // Who released, who charged through which link: the longest names, cut.
      mc_keep: releaseValue(true, 9_999_999_999, 'm'.repeat(600)),
      [CAPTURED_AT_KEY]: capturedAtValue(9_999_999_999, 'l'.repeat(600), 'link'),
    };
    expect(Object.keys(pi).length).toBeLessThanOrEqual(PAYMENT_INTENT_MAX_KEYS);
    const charge: Record<string, string> = { ...pi };
    for (const k of CHARGE_OWN_KEYS) charge[k] = 'v';
    let notes = 0;
    for (;;) {
      try {
        assertRoomForNote(charge);
      } catch {
        break;
      }
      charge[`${NOTE_PREFIX}${notes++}`] = 'n';
    }
    expect(notes).toBeGreaterThanOrEqual(NOTES_MIN);
    expect(metadataProblem(charge)).toBeNull();
  });
});
