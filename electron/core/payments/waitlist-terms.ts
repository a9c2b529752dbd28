// How a waitlist order waits, decided at checkout. A card authorization lasts only so long (Stripe's
// capture_before for the card: about 7 days for most card-not-present payments), so an order whose stock
// arrives later should not hold the money: the card is saved instead (a Stripe Customer's PaymentMethod, set up
// for off-session use) and charged when the stock arrives. A hold can save the card too, so that a hold that
// lapses — or is released because the supplier is late — becomes "card saved, charge on arrival".
//
// Saving a card needs the customer's agreement: the console writes the words staff read out on the phone (what
// is charged, for which items, and that it is charged when the goods arrive), and keeps exactly those words with
// the order, in Stripe (order-metadata.ts: mc_wait, mc_terms, mc_agreed).
import type { CartLine } from '../../ipc/contract';
import { formatMoney } from '../../ipc/money';

export type WaitMode = 'hold' | 'save_card';

/** What the customer agreed to, as kept with the order. */
export interface WaitAgreement {
  /** 'card': saved, charged on arrival; 'hold_card': a hold that also saved the card. */
  mode: 'card' | 'hold_card';
  /** The words read out, exactly. */
  terms: string;
  /** When the customer agreed (Stripe's time, unix seconds). */
  agreedAt: number;
  /** The expected arrival staff gave (yyyy-mm-dd), if any. */
  eta: string | null;
  /** Who read them out. */
  agreedBy: string;
}

/** The authorization window assumed before any hold of this shop has told us Stripe's (7 days). */
export const DEFAULT_AUTHORIZATION_MS = 7 * 86_400_000;
/** A hold should outlast the arrival by this much: the goods must be checked in and captured before it lapses. */
export const CAPTURE_MARGIN_MS = 86_400_000;
const TERMS_MAX = 500;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The end of a yyyy-mm-dd day (UTC), in epoch ms; null when it is not a real date. */
export function endOfDay(date: string): number | null {
  const m = DAY.exec(date);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59);
  const d = new Date(t);
  if (d.getUTCDate() !== Number(m[3]) || d.getUTCMonth() !== Number(m[2]) - 1) return null;
  return t;
}

/** The yyyy-mm-dd day `days` after `fromMs` (UTC). */
export function dayAfter(fromMs: number, days: number): string {
  return new Date(fromMs + days * 86_400_000).toISOString().slice(0, 10);
}

/** "12 March 2027" for a yyyy-mm-dd day. */
export function dayInWords(date: string): string {
  const t = endOfDay(date);
  if (t === null) return date;
  return new Date(t).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

export interface Suggestion {
  suggested: WaitMode;
  /** Why, in one sentence staff can repeat. */
  reason: string;
  /** When a hold placed now would lapse (epoch ms, Stripe's time). */
  holdLapsesAt: number;
}

/**
 * Hold the money if the stock arrives (with a day to spare) before a hold placed now lapses; otherwise save the
 * card. Without an expected date, a hold (the customer can still be called, and the card saved with it).
 */
export function suggest(nowMs: number, windowMs: number, eta: string | null): Suggestion {
  const holdLapsesAt = nowMs + windowMs;
  const days = Math.round(windowMs / 86_400_000);
  const lapse = dayInWords(new Date(holdLapsesAt).toISOString().slice(0, 10));
  const arrives = eta ? endOfDay(eta) : null;
  if (arrives === null || eta === null) {
    return {
      suggested: 'hold',
      reason: `No expected arrival date: a hold lasts about ${days} days (until ${lapse}). Save the card if it may take longer.`,
      holdLapsesAt,
    };
  }
  if (arrives + CAPTURE_MARGIN_MS <= holdLapsesAt) {
    return {
      suggested: 'hold',
      reason: `Expected ${dayInWords(eta)}, before a hold placed now lapses (${lapse}): hold the money.`,
      holdLapsesAt,
    };
  }
  return {
    suggested: 'save_card',
    reason: `Expected ${dayInWords(eta)}, after a hold placed now would lapse (${lapse}): save the card and charge it on arrival.`,
    holdLapsesAt,
  };
}

function itemsInWords(lines: CartLine[]): string {
  const all = lines.map((l) => `${l.quantity} × ${l.name}`).join(', ');
  if (all.length <= 160) return all;
  const n = lines.reduce((s, l) => s + l.quantity, 0);
  return `${n} items (${lines.length} products)`;
}

/**
 * The words staff read out before the card is saved. Deterministic: the same cart, choice and date give the same
 * words, so what the customer heard is what is checked and kept (≤ 500 characters, Stripe's metadata limit).
 */
export function consentTerms(
  mode: 'card' | 'hold_card',
  lines: CartLine[],
  total: number,
  currency: string,
  eta: string | null,
  /** The order carries tax: it is charged at the tax of the day it is charged (lines-tax.ts), and says so. */
  tax: number = 0,
): string {
  const amount = formatMoney(total, currency);
  const taxNote =
    tax > 0
      ? ` That includes ${formatMoney(tax, currency)} tax at today's rates; the tax is worked out again on the day we charge, so the total changes if the tax rate does.`
      : '';
  const waiting = lines.filter((l) => l.waitlist);
  const all = waiting.length === 0 || waiting.length === lines.length;
  const expected = eta ? ` (expected around ${dayInWords(eta)})` : '';
  const what = itemsInWords(lines);
  // What arrives later: "it" when that is the whole order, otherwise the waitlist lines by name.
  const arrives = all
    ? `when ${lines.length === 1 && lines[0]!.quantity === 1 ? 'it arrives' : 'they arrive'}${expected}`
    : `when ${itemsInWords(waiting)} ${waiting.length === 1 && waiting[0]!.quantity === 1 ? 'arrives' : 'arrive'}${expected}`;
  const text =
    mode === 'card'
      ? `We will keep this card on file with Stripe and charge ${amount} for ${what} ${arrives}.${taxNote} Nothing is charged today, and the card is used for nothing else. You can ask us to remove it at any time. Do you agree?`
      : `We will hold ${amount} on this card today for ${what}, and keep the card on file with Stripe. If the hold lapses before the stock is in, we will charge ${amount} to the saved card ${arrives} instead of calling you again.${taxNote} The card is used for nothing else, and you can ask us to remove it at any time. Do you agree?`;
  return text.length <= TERMS_MAX ? text : text.slice(0, TERMS_MAX - 1) + '…';
}

/** The shortest authorization window seen on this shop's recent holds (capture_before − authorized), else 7 days. */
export function authorizationWindow(recent: { authorizedAt: number; expiresAt: number }[]): number {
  const windows = recent.map((h) => h.expiresAt - h.authorizedAt).filter((w) => w > 0);
  return windows.length ? Math.min(...windows) : DEFAULT_AUTHORIZATION_MS;
}
