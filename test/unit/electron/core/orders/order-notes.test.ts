// The shop's notes, cancellation and receipt keys on Stripe metadata, and the shipping fee in an order's content.
import { describe, expect, it } from 'vitest';
import {
  assertRoomForNote,
  canonicalMetadata,
  newNoteId,
  noteValue,
  readCancellation,
  readNotes,
  readReceipt,
  cancellationValue,
  receiptValue,
  NOTE_TEXT_MAX,
} from '../../../../../electron/core/orders/order-notes';
import {
  decodeOrderMetadata,
  encodeOrderMetadata,
  type OrderContent,
} from '../../../../../electron/core/orders/order-metadata';

const content: OrderContent = {
  cartId: 'cart_1',
  stationCode: 'A',
  number: 1001,
  stationId: 'st_1',
  stationName: 'Front desk',
  takenBy: 'Sam',
  customerName: 'Ada',
  lines: [{ sku: 'TEA-1', name: 'Tea', quantity: 2, unitAmount: 1250, waitlist: false }],
};

describe('order notes in metadata', () => {
  it('reads notes oldest first and skips damaged values', () => {
    const md = {
      mc_note_b: noteValue('Call before delivery', 'Sam · Front desk', 2000),
      mc_note_a: noteValue('Gift wrap', 'Maria · Packing', 1000),
      mc_note_x: '{not json',
      mc_order: 'A1001',
    };
    expect(readNotes(md)).toEqual([
      { id: 'a', text: 'Gift wrap', by: 'Maria · Packing', at: 1000 },
      { id: 'b', text: 'Call before delivery', by: 'Sam · Front desk', at: 2000 },
    ]);
  });

  it('refuses empty and over-long notes, and keeps every value within 500 characters', () => {
    expect(() => noteValue('   ', 'x', 1)).toThrow(/needs some text/);
    expect(() => noteValue('a'.repeat(NOTE_TEXT_MAX + 1), 'x', 1)).toThrow(/at most/);
    // Quotes double in JSON: a note of quotes that would pass the text limit but not Stripe's is refused.
    expect(() => noteValue('"'.repeat(NOTE_TEXT_MAX), 'x', 1)).toThrow(/too long/);
    expect(noteValue('é'.repeat(NOTE_TEXT_MAX), 'y'.repeat(300), 1).length).toBeLessThanOrEqual(500);
  });

  it('keeps room for the keys still to come within Stripe’s 50', () => {
    const md: Record<string, string> = {};
    for (let i = 0; i < 44; i++) md[`k${i}`] = 'v';
    expect(() => assertRoomForNote(md)).not.toThrow(); // 44 + 1 + 5 later = 50
    md.k44 = 'v';
    expect(() => assertRoomForNote(md)).toThrow(/as many notes as Stripe can keep/);
    md.mc_shipped = 'x'; // a later key already present leaves the total where it was
    delete md.k44;
    delete md.k43;
    expect(() => assertRoomForNote(md)).not.toThrow();
  });

  it('note ids are short, time-ordered keys', () => {
    const a = newNoteId(1_700_000_000_000, () => 0.1);
    const b = newNoteId(1_700_000_000_001, () => 0.1);
    expect(`mc_note_${a}`.length).toBeLessThanOrEqual(40);
    expect(a < b).toBe(true);
  });

  it('cancellation and receipt round-trip; canonical metadata is independent of key order', () => {
    const c = { by: 'Maria · Front desk', at: 5, reason: 'customer_request', note: 'Changed mind' };
    expect(readCancellation({ mc_cancel: cancellationValue(c) })).toEqual(c);
    // Two stations cancelling at once: both keys kept, the earliest is the order's, whatever the order read.
    const later = { ...c, by: 'Pat · Packing', at: 9 };
    const both = { mc_cancel_st1: cancellationValue(later), mc_cancel_st2: cancellationValue(c) };
    expect(readCancellation(both)).toEqual(c);
    expect(
      readCancellation({ mc_cancel_st2: both.mc_cancel_st2, mc_cancel_st1: both.mc_cancel_st1 }),
    ).toEqual(c);
    expect(readCancellation({})).toBeNull();
    const r = { to: 'ada@example.com', by: 'Sam', at: 9, n: 2 };
    expect(readReceipt({ mc_receipt: receiptValue(r) })).toEqual(r);
    expect(canonicalMetadata({ b: '1', a: '2' })).toBe(canonicalMetadata({ a: '2', b: '1' }));
  });
});

describe('shipping fee in the order content', () => {
  it('is written as mc_ship and read back; absent when there is none', () => {
    const md = encodeOrderMetadata({ ...content, shippingFee: 695 });
    expect(md.mc_ship).toBe('695');
    expect(decodeOrderMetadata(md)?.shippingFee).toBe(695);
    const none = encodeOrderMetadata(content);
    expect(none.mc_ship).toBeUndefined();
    expect(decodeOrderMetadata(none)?.shippingFee).toBeUndefined();
  });

  it('a damaged fee reads as none, never as a wrong amount', () => {
    const md = { ...encodeOrderMetadata(content), mc_ship: '6.95' };
    expect(decodeOrderMetadata(md)?.shippingFee).toBeUndefined();
    expect(decodeOrderMetadata(md)?.lines).toHaveLength(1);
  });
});
