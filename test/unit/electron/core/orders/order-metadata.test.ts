// The order's content on its PaymentIntent: within Stripe's metadata limits, readable by any station.
import { describe, expect, it } from 'vitest';
import {
  CAPTURED_AT_KEY,
  capturedAtValue,
  decodeOrderMetadata,
  encodeOrderMetadata,
  KEEP_CARD_KEY,
  parseOrderNumber,
  releaseValue,
  type OrderContent,
} from '../../../../../electron/core/orders/order-metadata';
import { readFulfillment, fulfillmentUpdate } from '../../../../../electron/core/orders/fulfillment-metadata';

const content = (lines: number, nameLength = 30, skuLength = 12): OrderContent => ({
  cartId: 'cart_abc',
  stationCode: 'B',
  number: 1042,
  stationId: 'st0123456789ab',
  stationName: 'Front desk',
  takenBy: 'Sam Staff',
  customerName: 'Ada Lovelace',
  lines: Array.from({ length: lines }, (_, i) => ({
    sku: `S${String(i).padStart(skuLength - 1, '0')}`,
    name: `Product ${i} "quoted", ünïcode – `.padEnd(nameLength, 'x').slice(0, nameLength),
    quantity: (i % 7) + 1,
    unitAmount: 100 + i,
    waitlist: i % 3 === 0,
  })),
});

function withinStripeLimits(md: Record<string, string>): void {
  expect(Object.keys(md).length).toBeLessThanOrEqual(50);
  for (const [k, v] of Object.entries(md)) {
    expect(k.length).toBeLessThanOrEqual(40);
    expect(v.length).toBeLessThanOrEqual(500);
  }
}

describe('order metadata', () => {
  it('round-trips an order exactly', () => {
    const c = content(5);
    const md = encodeOrderMetadata(c);
    withinStripeLimits(md);
    expect(md.mc_order).toBe('B1042');
    expect(decodeOrderMetadata(md)).toEqual(c);
  });

  it('fits a 70-line cart with long names and SKUs, names intact when they fit', () => {
    // 16 line chunks (record/rules.ts): 70 lines of 40-character SKUs and 54-character names fit whole.
    const c = content(70, 54, 40);
    const md = encodeOrderMetadata(c);
    withinStripeLimits(md);
    expect(decodeOrderMetadata(md)).toEqual(c);
  });

  it('shortens names evenly when 100 lines of 200-character names would not fit, keeping every other field', () => {
    const c = content(100, 200, 40);
    const md = encodeOrderMetadata(c);
    withinStripeLimits(md);
    const back = decodeOrderMetadata(md)!;
    expect(back.lines).toHaveLength(100);
    back.lines.forEach((l, i) => {
      const orig = c.lines[i]!;
      expect(l.sku).toBe(orig.sku);
      expect(l.quantity).toBe(orig.quantity);
      expect(l.unitAmount).toBe(orig.unitAmount);
      expect(l.waitlist).toBe(orig.waitlist);
      expect(orig.name.startsWith(l.name)).toBe(true);
    });
    expect(Math.min(...back.lines.map((l) => l.name.length))).toBeGreaterThan(20);
  });

  it('refuses, before anything is sent, a cart that cannot fit even without names', () => {
    expect(() => encodeOrderMetadata(content(600, 10, 40))).toThrow(/too many lines.*Split it/);
  });

  it('reads damaged or foreign metadata as no content, never throws', () => {
    const md = encodeOrderMetadata(content(3));
    expect(decodeOrderMetadata({ ...md, mc_l0: '{not json' })).toBeNull();
    expect(decodeOrderMetadata({ ...md, mc_v: '9' })).toBeNull();
    expect(decodeOrderMetadata({ ...md, mc_order: 'nonsense' })).toBeNull();
    expect(decodeOrderMetadata({ cart_id: 'cart_x' })).toBeNull();
    expect(decodeOrderMetadata(null)).toBeNull();
    // Chunks beyond mc_n are left over from a longer earlier version of the cart, and are ignored.
    expect(decodeOrderMetadata({ ...md, mc_l7: 'stale' })).toEqual(content(3));
  });

  it('parses order numbers as staff type them', () => {
    expect(parseOrderNumber('A1042')).toEqual({ code: 'A', number: 1042 });
    expect(parseOrderNumber('#fd-1042')).toEqual({ code: 'FD', number: 1042 });
    expect(parseOrderNumber('1042')).toEqual({ code: null, number: 1042 });
    expect(parseOrderNumber('Ada')).toBeNull();
  });
});

describe('fulfillment on the charge', () => {
  it('is the furthest status any station wrote: one metadata key per status, merged by Stripe', () => {
    const shipped = fulfillmentUpdate('shipped', 'Pat', 'Packing', null, 'UPS', '1Z1');
    const processing = fulfillmentUpdate('processing', 'Sam', 'Front desk', null, undefined, undefined);
    // Stripe merges metadata key by key: a later "processing" write cannot remove "shipped".
    const merged = { ...shipped.metadata, ...processing.metadata } as Record<string, string>;
    const f = readFulfillment({ metadata: merged, shipping: null });
    expect(f.rank).toBe(2);
    expect(f.by).toBe('Pat · Packing');
    expect(f.carrier).toBe('UPS');
    expect(f.trackingNumber).toBe('1Z1');
    expect(
      readFulfillment({ metadata: processing.metadata as Record<string, string>, shipping: null }).rank,
    ).toBe(1);
    expect(readFulfillment({ metadata: {}, shipping: null }).rank).toBe(0);
  });
});

describe('who did a money action, on the PaymentIntent (issue 23 item 7)', () => {
  const md = encodeOrderMetadata(content(2));
  const read = (extra: Record<string, string>) => decodeOrderMetadata({ ...md, ...extra })!;

  it('a release from Holds: kept or not, when, who — and an earlier version’s "1" still keeps the card', () => {
    const kept = read({ [KEEP_CARD_KEY]: releaseValue(true, 1_800_000_000, 'Morgan Manager · Packing') });
    expect(kept.keepCard).toBe(true);
    expect(kept.released).toEqual({ keep: true, at: 1_800_000_000, by: 'Morgan Manager · Packing' });
    const ended = read({ [KEEP_CARD_KEY]: releaseValue(false, 1_800_000_000, 'Ann | Bar · A') });
    expect(ended.keepCard).toBeUndefined();
    expect(ended.released).toEqual({ keep: false, at: 1_800_000_000, by: 'Ann | Bar · A' });
    expect(read({ [KEEP_CARD_KEY]: '1' })).toMatchObject({ keepCard: true });
    expect(read({ [KEEP_CARD_KEY]: '1' }).released).toBeUndefined();
    // Emptied, or damaged: neither kept nor named.
    for (const v of ['', '2|1800000000|x', '1|soon|x', '0|1800000000|']) {
      expect(read({ [KEEP_CARD_KEY]: v }).keepCard).toBeUndefined();
      expect(read({ [KEEP_CARD_KEY]: v }).released).toBeUndefined();
    }
  });

  it('a charge attempt: by a person, through a link a person sent, or with a card taken on the phone', () => {
    expect(
      read({ [CAPTURED_AT_KEY]: capturedAtValue(1_800_000_000, 'Sam Staff · Front desk', 'link') }),
    ).toMatchObject({
      capturedAt: 1_800_000_000,
      capturedBy: 'Sam Staff · Front desk',
      capturedVia: 'link',
    });
    expect(
      read({ [CAPTURED_AT_KEY]: capturedAtValue(1_800_000_000, 'Sam Staff · A', 'phone') }).capturedVia,
    ).toBe('phone');
    const plain = read({ [CAPTURED_AT_KEY]: capturedAtValue(1_800_000_000, 'Morgan Manager · A') });
    expect(plain).toMatchObject({ capturedAt: 1_800_000_000, capturedBy: 'Morgan Manager · A' });
    expect(plain.capturedVia).toBeUndefined();
    // An earlier version's time alone: when, nobody named.
    const old = read({ [CAPTURED_AT_KEY]: '1800000000' });
    expect(old.capturedAt).toBe(1_800_000_000);
    expect(old.capturedBy).toBeUndefined();
  });
});
