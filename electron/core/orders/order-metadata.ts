// An order's content, kept on its PaymentIntent's metadata so that any station — one set up later, or one
// rebuilt from an empty folder — can rebuild the order from the PaymentIntent alone.
//
// Stripe's limits (docs.stripe.com/metadata): 50 keys, keys ≤ 40 characters, values ≤ 500 characters, all
// strings. The encoding (version 1):
//   cart_id, station, customer_name, created_by   as earlier versions wrote them (still read by reconciliation)
//   mc_v        "1"
//   mc_order    the order number as staff read it: station code + per-station number, e.g. "A1042"
//   mc_station  "<station id>" — tells two stations configured with the same code apart
//   mc_n        how many line chunks follow
//   mc_l0 …     the lines as one JSON array of [sku, quantity, unitAmount, waitlist 0|1, name], cut into
//               chunks of at most 500 characters (a reader joins mc_l0 … mc_l{n-1}; chunks past mc_n are stale)
//   mc_cap      the lines a partial capture took, as JSON [[sku, quantity], …] (set when a hold is captured by
//               lines; absent: every line). The rest of the order was released.
//   mc_ship     the shipping fee in minor units, a line of its own outside the items (optional; absent = none).
//               Added later within version 1: a reader that doesn't know it still reads the items.
//   mc_delivery "ship" or "collect" (collected in person); optional, absent on orders taken before it existed.
//   mc_wait     how a waitlist order waits when its card was saved (absent: a plain hold, or no waitlist):
//               "card" — saved, charged when the stock arrives; "hold_card" — held, and the card saved so that a
//               hold that lapses or is released is charged on arrival instead (payments/waitlist-terms.ts)
//   mc_terms    the words staff read out and the customer agreed to (at most 500 characters)
//   mc_agreed   "<unix seconds>|<expected arrival yyyy-mm-dd, or empty>|<who read them out>"
//   mc_root     on a later PaymentIntent of the same order (a lapsed hold's saved card, charged on arrival):
//               the order's first PaymentIntent, whose order this one continues
//               (these four added later within version 1; a reader that doesn't know them reads the rest)
//   mc_cap_at   when a hold was captured (Stripe's time in unix seconds, carried on the capture itself): its
//               waitlist lines left the stock then, at every station however late it projects the capture;
//               "<unix seconds>|<who> · <station>" since issue 23 (who captured it, for the managers' money
//               actions); a charge on arrival of a saved card carries it too, from its creation
//               A saved card's charge marks who tried it how: "<unix seconds>|link|<who> · <station>" — the
//               customer paid through the link that person sent; "…|phone|…" — staff took another card on the
//               phone. The last attempt before the charge succeeded is the one that made it.
//   mc_cancel   a saved-card order cancelled before any charge: who, when, why (as on a charge, order-notes.ts)
//   mc_split    on the waiting part of a split order (issue 23 item 13: the units in stock charged as one order,
//               the rest waiting as a second one): the first order's number, e.g. "A1042"
//   mc_keep     a release from Holds, written just before the cancel (a cancel takes no metadata):
//               "<1|0>|<unix seconds>|<who> · <station>" — 1: "keep the card for charge on arrival", the order
//               waits on the saved card; 0: the release ends the order and its card wait. Earlier versions wrote
//               "1" alone for a keep and nothing otherwise. A lapsed hold keeps its card anyway.
// Product names are shortened, evenly, when a large cart would not fit; a cart that can't fit even with every
// name shortened to nothing is refused before anything is sent to Stripe.
import { AppError } from '../../ipc/errors';
import type { WaitAgreement } from '../payments/waitlist-terms';
import { readCancellation, type Cancellation } from './order-notes';
import { METADATA_LIMITS, ORDER_LINE_CHUNKS_MAX } from '../record/rules';
import { chunkText, cutText } from '../record/text';
import { portionOfLines } from '../tax/split';
import {
  decodePricing,
  encodePricing,
  readCapturedTax,
  taxedOrderOf,
  type OrderPricing,
} from './pricing-metadata';

export const METADATA_VERSION = '1';
const VALUE_MAX = METADATA_LIMITS.valueLength;
/**
 * Line chunks a new order may use: the PaymentIntent's budget in record/rules.ts (its keys are copied onto the
 * charge, which then gains fulfillment, cancellation, receipt and notes — all within Stripe's 50).
 */
const CHUNKS_MAX = ORDER_LINE_CHUNKS_MAX;
/** Orders written before the budget used up to 38 chunks: still read. */
const CHUNKS_READ_MAX = METADATA_LIMITS.keys;

export interface OrderLine {
  sku: string;
  name: string;
  quantity: number;
  unitAmount: number;
  waitlist: boolean;
}

export interface OrderContent {
  cartId: string;
  /** e.g. "A" */
  stationCode: string;
  /** The per-station sequence number, e.g. 1042. */
  number: number;
  stationId: string;
  stationName: string;
  takenBy: string;
  customerName: string;
  lines: OrderLine[];
  /** The customer agreed to have the card saved for this order (absent: a plain hold, or no waitlist). */
  wait?: WaitAgreement;
  /** This PaymentIntent continues the order of an earlier one (a lapsed hold's saved card, charged later). */
  rootPaymentIntentId?: string;
  /** On a split order's waiting part: the number of the order it was split from ("A1042"). */
  waitingOf?: string;
  /** The shipping fee charged with the order, in minor units (0 or absent: none). */
  shippingFee?: number;
  /** Shipped to the customer or collected in person (absent: not said). */
  delivery?: 'ship' | 'collect';
  /** What a capture by lines took (absent: every line); the rest was released. */
  captured?: { sku: string; quantity: number }[];
  /** A released hold whose customer asked to be charged on arrival instead: its order waits on the saved card. */
  keepCard?: boolean;
  /** When the hold was captured (Stripe's time, unix seconds, as the capturing station knew it): its waitlist
   * lines left the stock then. */
  capturedAt?: number;
  /** Who captured the hold (or charged the saved card on arrival), at which station: "<name> · <station>". */
  capturedBy?: string;
  /** A saved card's last charge attempt: the customer through the link capturedBy sent, or a card staff
   * (capturedBy) took on the phone (absent: charged by capturedBy). */
  capturedVia?: 'link' | 'phone';
  /** Who released the hold from Holds, when (Stripe's time, unix seconds), and whether the card was kept. */
  released?: { keep: boolean; at: number; by: string };
  /** A saved-card order cancelled before it was ever charged (no charge to write it on): on its PaymentIntent. */
  cancelled?: Cancellation;
  /** Discounts and tax (pricing-metadata.ts: mc_tax, mc_disc, mc_lx*); absent: none recorded. */
  pricing?: OrderPricing;
  /** The tax a capture by lines (or a later charge) actually took, worked out anew (mc_cap_tax). */
  capturedTax?: { tax: number; calculationId: string | null };
}

/** mc_cap_at: the capture's time, carried on the capture (record/rules.ts). */
export const CAPTURED_AT_KEY = 'mc_cap_at';

/**
 * mc_cap_at's value: the capture's time (unix seconds) and who captured it, at which station; for a saved card's
 * charge attempt through a link or with a card taken on the phone, which of the two.
 */
export function capturedAtValue(seconds: number, by: string, via?: 'link' | 'phone'): string {
  return `${seconds}|${via ? `${via}|` : ''}${cutText(by, 160)}`;
}

/** mc_cap_at read back: its time (a value of the time alone, as earlier versions wrote it, too), who and how. */
export function readCapturedAt(
  v: string | undefined,
): { capturedAt: number; capturedBy?: string; capturedVia?: 'link' | 'phone' } | null {
  const m = /^(\d{9,11})(?:\|(?:(link|phone)\|)?(.*))?$/s.exec(v ?? '');
  if (!m) return null;
  return {
    capturedAt: Number(m[1]),
    ...(m[3] ? { capturedBy: m[3] } : {}),
    ...(m[2] ? { capturedVia: m[2] as 'link' | 'phone' } : {}),
  };
}

/** mc_keep: a release from Holds, and whether it kept the card (record/rules.ts). */
export const KEEP_CARD_KEY = 'mc_keep';

/** mc_keep's value: kept or not, the release's time (unix seconds, Stripe's) and who released, where. */
export function releaseValue(keep: boolean, seconds: number, by: string): string {
  return `${keep ? 1 : 0}|${seconds}|${cutText(by, 160)}`;
}

/** mc_keep read back: "1" alone (earlier versions: kept, nobody named), or the full value. */
export function readRelease(v: string | undefined): {
  keepCard?: true;
  released?: { keep: boolean; at: number; by: string };
} {
  if (v === '1') return { keepCard: true };
  const m = /^([01])\|(\d{9,11})\|(.+)$/s.exec(v ?? '');
  if (!m) return {};
  const keep = m[1] === '1';
  return { ...(keep ? { keepCard: true as const } : {}), released: { keep, at: Number(m[2]), by: m[3]! } };
}

/** The metadata that records which lines a capture took (merged into the PaymentIntent's). */
export function capturedLinesMetadata(lines: { sku: string; quantity: number }[]): Record<string, string> {
  const v = JSON.stringify(lines.map((l) => [l.sku, l.quantity]));
  if (v.length > VALUE_MAX)
    throw new AppError(
      'invalid_input',
      'Too many lines to record for one capture; capture the whole hold instead.',
    );
  return { mc_cap: v };
}

function readCaptured(v: string | undefined): { sku: string; quantity: number }[] | undefined {
  if (!v) return undefined;
  try {
    const raw = JSON.parse(v) as unknown;
    if (
      Array.isArray(raw) &&
      raw.every(
        (x) => Array.isArray(x) && typeof x[0] === 'string' && Number.isSafeInteger(x[1]) && x[1] >= 0,
      )
    )
      return (raw as [string, number][]).map(([sku, quantity]) => ({ sku, quantity }));
  } catch {
    // damaged: read as "every line"
  }
  return undefined;
}

/**
 * What capturing or charging these lines takes — one rule for Holds → Capture, Catalog → Stock arrived and Saved
 * cards → Charge lines in stock: their prices less their discounts, plus their tax when prices exclude it (the
 * portion of each line's recorded total: tax/split.ts portionOfLines), plus the order's shipping fee and its tax,
 * which go with the first (for a hold, the only) capture, as Shopify charges it. No lines: nothing, not even
 * shipping. `pricing` defaults to the order's own (absent: the lines' prices as they are).
 */
export function amountForLines(
  content: OrderContent,
  lines: { sku: string; quantity: number }[],
  pricing: OrderPricing | null = content.pricing ?? null,
): number {
  const take = lines.filter((l) => l.quantity > 0);
  if (take.length === 0) return 0;
  const fee = content.shippingFee ?? 0;
  if (!pricing) {
    const price = new Map(content.lines.map((l) => [l.sku, l.unitAmount]));
    return take.reduce((n, l) => n + (price.get(l.sku) ?? 0) * l.quantity, 0) + fee;
  }
  const portion = portionOfLines(
    taxedOrderOf(content.lines, fee, pricing),
    take.map((l) => ({ ref: l.sku, quantity: l.quantity })),
    fee > 0,
  );
  if (!portion.ok) throw new AppError('invalid_input', Object.values(portion.errors).join(' '));
  return portion.value.total;
}

/** The order's whole amount: every line and the shipping fee. */
export const orderAmount = (content: OrderContent): number => amountForLines(content, content.lines);

export const orderNumberText = (code: string, n: number): string => `${code}${n}`;

/** Parses "A1042", "a1042", "#A-1042" into its parts; a bare number has no code. */
export function parseOrderNumber(q: string): { code: string | null; number: number } | null {
  const m = /^#?\s*([A-Za-z]{1,3})?[\s-]?(\d{1,9})$/.exec(q.trim());
  if (!m) return null;
  return { code: m[1] ? m[1].toUpperCase() : null, number: Number(m[2]) };
}

function linesJson(lines: OrderLine[], nameMax: number): string {
  return JSON.stringify(
    lines.map((l) => [l.sku, l.quantity, l.unitAmount, l.waitlist ? 1 : 0, cutText(l.name, nameMax)]),
  );
}

/** Chunks of the lines' JSON; null when they need more keys than `maxChunks`. */
function chunksWithin(json: string, maxChunks: number): string[] | null {
  const chunks = chunkText(json, VALUE_MAX);
  return chunks.length <= maxChunks ? chunks : null;
}

/** The metadata for an order; throws `invalid_input` when it can't fit in Stripe's limits. */
export function encodeOrderMetadata(c: OrderContent): Record<string, string> {
  const extra = waitMetadata(c);
  // The agreement's keys have their own places in the budget (record/rules.ts); the lines take the chunks.
  const fits = (nameMax: number) => chunksWithin(linesJson(c.lines, nameMax), CHUNKS_MAX);
  const longest = Math.max(0, ...c.lines.map((l) => l.name.length));
  let chunks = fits(longest);
  // Shorten names evenly until the lines fit (binary search on the longest name kept).
  if (!chunks) {
    let lo = 0;
    let hi = longest;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(mid)) lo = mid;
      else hi = mid - 1;
    }
    chunks = fits(lo);
    if (!chunks) {
      throw new AppError(
        'invalid_input',
        `This order has too many lines to record with Stripe (${c.lines.length}). Split it into two orders.`,
      );
    }
  }
  const md: Record<string, string> = {
    cart_id: c.cartId,
    station: cutText(c.stationName, VALUE_MAX),
    customer_name: cutText(c.customerName, VALUE_MAX),
    created_by: cutText(c.takenBy, VALUE_MAX),
    mc_v: METADATA_VERSION,
    mc_order: orderNumberText(c.stationCode, c.number),
    mc_station: c.stationId,
    mc_n: String(chunks.length),
  };
  chunks.forEach((v, i) => (md[`mc_l${i}`] = v));
  Object.assign(md, extra);
  if (c.shippingFee) md.mc_ship = String(c.shippingFee);
  if (c.delivery) md.mc_delivery = c.delivery;
  if (c.waitingOf) md.mc_split = c.waitingOf;
  // The pricing goes with the content (a lapsed hold's successor carries it too); never the captured tax.
  if (c.pricing) Object.assign(md, encodePricing(c.pricing));
  return md;
}

/** The agreement of a saved card, and the order a later PaymentIntent continues (see the encoding above). */
function waitMetadata(c: OrderContent): Record<string, string> {
  const md: Record<string, string> = {};
  if (c.wait) {
    md.mc_wait = c.wait.mode;
    md.mc_terms = cutText(c.wait.terms, VALUE_MAX);
    md.mc_agreed = cutText(`${c.wait.agreedAt}|${c.wait.eta ?? ''}|${c.wait.agreedBy}`, VALUE_MAX);
  }
  if (c.rootPaymentIntentId) md.mc_root = c.rootPaymentIntentId;
  return md;
}

function readWait(md: Record<string, string>): Pick<OrderContent, 'wait' | 'rootPaymentIntentId'> {
  const out: Pick<OrderContent, 'wait' | 'rootPaymentIntentId'> = {};
  const agreed = /^(\d{1,12})\|(\d{4}-\d{2}-\d{2})?\|(.*)$/s.exec(md.mc_agreed ?? '');
  if ((md.mc_wait === 'card' || md.mc_wait === 'hold_card') && md.mc_terms && agreed) {
    out.wait = {
      mode: md.mc_wait,
      terms: md.mc_terms,
      agreedAt: Number(agreed[1]),
      eta: agreed[2] ?? null,
      agreedBy: agreed[3] ?? '',
    };
  }
  if (md.mc_root && /^pi_[A-Za-z0-9]+$/.test(md.mc_root)) out.rootPaymentIntentId = md.mc_root;
  return out;
}

const isLine = (x: unknown): x is [string, number, number, number, string] =>
  Array.isArray(x) &&
  x.length === 5 &&
  typeof x[0] === 'string' &&
  Number.isSafeInteger(x[1]) &&
  Number.isSafeInteger(x[2]) &&
  (x[3] === 0 || x[3] === 1) &&
  typeof x[4] === 'string';

/**
 * The order content a PaymentIntent carries, or null when it carries none (not made by this console, or by an
 * older version that kept the lines locally). Never throws: damaged metadata reads as no content.
 */
export function decodeOrderMetadata(md: Record<string, string> | null | undefined): OrderContent | null {
  if (!md || md.mc_v !== METADATA_VERSION) return null;
  const num = parseOrderNumber(md.mc_order ?? '');
  const n = Number(md.mc_n);
  if (!num?.code || !Number.isInteger(n) || n < 0 || n > CHUNKS_READ_MAX) return null;
  let raw: unknown;
  try {
    let text = '';
    for (let i = 0; i < n; i++) text += md[`mc_l${i}`] ?? '';
    raw = n === 0 ? [] : JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(raw) || !raw.every(isLine)) return null;
  const pricing = decodePricing(md, raw.length);
  const capturedTax = readCapturedTax(md);
  return {
    ...(pricing ? { pricing } : {}),
    ...(capturedTax ? { capturedTax } : {}),
    cartId: md.cart_id ?? '',
    stationCode: num.code,
    number: num.number,
    stationId: md.mc_station ?? '',
    stationName: md.station ?? '',
    takenBy: md.created_by ?? '',
    customerName: md.customer_name ?? '',
    ...readWait(md),
    ...(md.mc_delivery === 'ship' || md.mc_delivery === 'collect' ? { delivery: md.mc_delivery } : {}),
    ...(md.mc_split && parseOrderNumber(md.mc_split) ? { waitingOf: md.mc_split } : {}),
    ...(readCaptured(md.mc_cap) ? { captured: readCaptured(md.mc_cap)! } : {}),
    ...readRelease(md[KEEP_CARD_KEY]),
    ...readCapturedAt(md[CAPTURED_AT_KEY]),
    ...(readCancellation(md) ? { cancelled: readCancellation(md)! } : {}),
    ...(md.mc_ship && /^\d{1,9}$/.test(md.mc_ship) && Number(md.mc_ship) > 0
      ? { shippingFee: Number(md.mc_ship) }
      : {}),
    lines: raw.map(([sku, quantity, unitAmount, w, name]) => ({
      sku,
      name,
      quantity,
      unitAmount,
      waitlist: w === 1,
    })),
  };
}
