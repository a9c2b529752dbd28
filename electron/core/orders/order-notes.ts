// What the shop writes on an order's charge and on a customer, in their Stripe metadata, so that every station
// reads the same (charge updates emit charge.updated, customer updates customer.updated; there is no
// payment_intent.updated event, which is why an order's notes live on its charge, not its PaymentIntent):
//   mc_note_<id>   one note: {"t": text, "by": "<who> · <station>", "at": epoch ms}. One key per note, so two
//                  stations adding notes at once can't overwrite each other (Stripe merges metadata key by key);
//                  removing a note sends the key with an empty value.
//   mc_cancel_<station id>  the order was cancelled, by that station: {"by", "at", "reason", "note", "r"}. A key per
//                  station, so two stations cancelling in the same moment both keep theirs and every station (and
//                  a rebuilt one) reads the earliest; `mc_cancel` alone is how earlier versions wrote it.
//   mc_receipt     the last receipt the console asked Stripe to send: {"to", "by", "at", "n"} (n counts resends).
// Stripe's limits: 50 keys, keys ≤ 40 characters, values ≤ 500 characters. A charge already carries the order's
// content copied from its PaymentIntent and the fulfillment keys, so notes take what is left, keeping room for
// the keys still to come.
import { AppError } from '../../ipc/errors';
import { CHARGE_OWN_KEYS, METADATA_LIMITS } from '../record/rules';
import { cutText } from '../record/text';

export const NOTE_PREFIX = 'mc_note_';
export const CANCEL_KEY = 'mc_cancel';
/** The key a station writes its cancellation under (record/rules.ts: per writer). */
export const cancelKey = (stationId: string): string => `${CANCEL_KEY}_${stationId}`;
const isCancelKey = (k: string): boolean => k === CANCEL_KEY || k.startsWith(`${CANCEL_KEY}_`);
/** Whether any station marked this order cancelled. */
export const hasCancellation = (md: Record<string, string> | null | undefined): boolean =>
  Object.keys(md ?? {}).some(isCancelKey);
export const RECEIPT_KEY = 'mc_receipt';
const KEYS_MAX = METADATA_LIMITS.keys;
const VALUE_MAX = METADATA_LIMITS.valueLength;
/** Keys other parts of the console may still add to a charge (fulfillment, cancellation, receipt): record/rules. */
const LATER_KEYS = CHARGE_OWN_KEYS;
const SPARE_KEYS = 0;
export const NOTE_TEXT_MAX = 300;

export interface Note {
  id: string;
  text: string;
  by: string;
  at: number;
}

export interface Cancellation {
  by: string;
  at: number;
  reason: string;
  note: string;
  /** Its units come back into stock by the cancellation itself, at `at` (Stripe's time): every cancel since the
   * stock became a sum of movements. Absent on older ones, which moved the count themselves. */
  restock?: boolean;
}

export interface ReceiptSent {
  to: string;
  by: string;
  at: number;
  n: number;
}

/** Metadata as stored by the projection: keys sorted, so two stations holding the same metadata store the same text. */
export function canonicalMetadata(md: Record<string, string> | null | undefined): string | null {
  if (!md) return null;
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(md).sort()) sorted[k] = md[k]!;
  return JSON.stringify(sorted);
}

export function parseMetadata(json: string | null | undefined): Record<string, string> {
  if (!json) return {};
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

function readJson(v: string | undefined): Record<string, unknown> | null {
  if (!v) return null;
  try {
    const o = JSON.parse(v) as unknown;
    return o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) ? v : 0);

/** The notes in a metadata object, oldest first; damaged values are skipped. */
export function readNotes(md: Record<string, string>): Note[] {
  const out: Note[] = [];
  for (const [k, v] of Object.entries(md)) {
    if (!k.startsWith(NOTE_PREFIX)) continue;
    const o = readJson(v);
    if (!o || !str(o.t)) continue;
    out.push({ id: k.slice(NOTE_PREFIX.length), text: str(o.t), by: str(o.by), at: num(o.at) });
  }
  return out.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

/** The order's cancellation: the earliest any station wrote (the same at every station, whatever it saw first). */
export function readCancellation(md: Record<string, string>): Cancellation | null {
  let first: Cancellation | null = null;
  for (const [k, v] of Object.entries(md)) {
    if (!isCancelKey(k)) continue;
    const o = readJson(v);
    if (!o) continue;
    const c: Cancellation = {
      by: str(o.by),
      at: num(o.at),
      reason: str(o.reason),
      note: str(o.note),
      ...(o.r === 1 ? { restock: true } : {}),
    };
    if (!first || c.at < first.at || (c.at === first.at && c.by < first.by)) first = c;
  }
  return first;
}

export function readReceipt(md: Record<string, string>): ReceiptSent | null {
  const o = readJson(md[RECEIPT_KEY]);
  if (!o || !str(o.to)) return null;
  return { to: str(o.to), by: str(o.by), at: num(o.at), n: num(o.n) };
}

/** A note id: time-ordered and short enough for a metadata key (mc_note_ + 12 characters). */
export function newNoteId(nowMs: number, random: () => number = Math.random): string {
  const rand = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  return `${nowMs.toString(36).slice(-8).padStart(8, '0')}${rand}`;
}

export function noteValue(text: string, by: string, at: number): string {
  const t = text.trim();
  if (!t) throw new AppError('invalid_input', 'A note needs some text.');
  if (t.length > NOTE_TEXT_MAX)
    throw new AppError('invalid_input', `A note can be at most ${NOTE_TEXT_MAX} characters.`);
  const v = JSON.stringify({ t, by: cutText(by, 120), at });
  if (v.length > VALUE_MAX)
    throw new AppError('invalid_input', 'This note is too long to keep with Stripe; shorten it.');
  return v;
}

/** Whether one more note fits beside what the object's metadata holds now (and the keys still to come). */
export function assertRoomForNote(md: Record<string, string>): void {
  const used = Object.keys(md).length;
  const later = LATER_KEYS.filter((k) =>
    k.startsWith(CANCEL_KEY) ? !hasCancellation(md) : !(k in md),
  ).length;
  if (used + 1 + later + SPARE_KEYS > KEYS_MAX) {
    throw new AppError(
      'precondition_failed',
      'This order holds as many notes as Stripe can keep on it. Remove an old note to add another.',
    );
  }
}

export function cancellationValue(c: Cancellation): string {
  return JSON.stringify({
    by: cutText(c.by, 120),
    at: c.at,
    reason: cutText(c.reason, 40),
    note: cutText(c.note, 250),
    ...(c.restock ? { r: 1 } : {}),
  });
}

export function receiptValue(r: ReceiptSent): string {
  return JSON.stringify({ to: cutText(r.to, 254), by: cutText(r.by, 120), at: r.at, n: r.n });
}

/** What staff read on an order from its charge: notes and the receipt. Stored on the order (orders.notes_json). */
export interface OrderNotesView {
  notes: Note[];
  receipt: {
    /** Where Stripe sends the receipt (the charge's receipt_email). */
    email: string | null;
    url: string | null;
    card: string | null;
    /** The last resend the console asked for. */
    resent: ReceiptSent | null;
  };
}

export function orderNotesView(
  charge: {
    metadata_json: string | null;
    receipt_email: string | null;
    receipt_url: string | null;
    card_label: string | null;
  },
  md: Record<string, string> = parseMetadata(charge.metadata_json),
): OrderNotesView {
  return {
    notes: readNotes(md),
    receipt: {
      email: charge.receipt_email,
      url: charge.receipt_url,
      card: charge.card_label,
      resent: readReceipt(md),
    },
  };
}
