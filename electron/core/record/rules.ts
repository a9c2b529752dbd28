// The shop's shared record: every value that more than one station writes in Stripe, who writes it, how
// concurrent writes combine, what is read from Stripe before acting on it, and each object's metadata budget.
// This table is the one statement of those rules. The encoders take their key names and budgets from here
// (orders/order-metadata, orders/fulfillment-metadata, orders/order-notes, catalog/product-metadata,
// station/station-claim), the test suite checks that a worst-case order stays inside the budget, and the README's
// "Several stations at once" table is this table in words.
//
// What Stripe gives (shared/docs/stripe-behaviour.md, "Several writers at once"): metadata has no compare-and-
// set — an update merges key by key, the later write of one key wins; 50 keys per object (after the merge), keys
// of at most 40 characters, values of at most 500; a PaymentIntent's state machine is serialized (one capture;
// no cancel after success), refunds can't exceed what is left, and an object created with an id of our own is a
// unique claim. Idempotency keys last 24 hours: after that only a read of Stripe tells what was done.

export const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500 } as const;

/** How concurrent writes of one value combine. */
export type Merge =
  /** Written once when the object is made (or by its one owner); nobody else writes it. */
  | 'immutable'
  /** A state that only moves forward: a key per step, present = reached; the furthest present wins. */
  | 'monotonic'
  /** One key per writer (a station's own key): nobody else writes it, so nothing is overwritten. */
  | 'per-writer'
  /** A key per item (a note): two writers add different keys; removal sends the key empty. */
  | 'per-item'
  /** Carried on Stripe's own serialized operation (capture metadata, a create with our own id). */
  | 'serialized'
  /** Stripe's last write wins; only people with the right to (managers) write it, rarely at once. */
  | 'last-write';

export interface Rule {
  object: 'payment_intent' | 'charge' | 'refund' | 'product' | 'customer' | 'station_claim';
  /** The metadata key (a trailing `*` is a family: one key per writer or per item). */
  key: string;
  what: string;
  writer: string;
  merge: Merge;
  /** What the station reads from Stripe before acting on it (money and fulfillment), if anything. */
  readBeforeActing?: string;
}

export const RULES: readonly Rule[] = [
  // ------------------------------------------------------------------ the order, on its PaymentIntent
  {
    object: 'payment_intent',
    key: 'mc_v, mc_order, mc_station, mc_n, mc_l*, mc_ship, mc_delivery',
    what: 'the order: number, station, lines, shipping fee, delivery',
    writer: 'the station that takes the order, before it is paid',
    merge: 'immutable',
  },
  {
    object: 'payment_intent',
    key: 'cart_id, station, customer_name, created_by',
    what: 'the cart and who took it (read by reconciliation)',
    writer: 'the station that takes the order',
    merge: 'immutable',
  },
  {
    object: 'payment_intent',
    key: 'mc_wait, mc_terms, mc_agreed',
    what: 'the customer’s agreement to save the card',
    writer: 'the station that takes the order',
    merge: 'immutable',
  },
  {
    object: 'payment_intent',
    key: 'mc_split',
    what: 'on the waiting part of a split order: the number of the order it was split from (issue 23 item 13)',
    writer: 'the station that takes the order',
    merge: 'immutable',
  },
  {
    object: 'payment_intent',
    key: 'mc_root',
    what: 'the order a later PaymentIntent continues (a saved card charged on arrival)',
    writer: 'the station that charges the saved card, after listing the customer’s PaymentIntents in Stripe',
    merge: 'immutable',
    readBeforeActing:
      'the customer’s PaymentIntents (list: strongly consistent) — refused if one of this order is paid, held or being paid',
  },
  {
    object: 'payment_intent',
    key: 'mc_cap',
    what: 'the lines a capture took',
    writer: 'the capture itself (capture’s metadata), so the record and the money move together',
    merge: 'serialized',
    readBeforeActing: 'the PaymentIntent: it must still be requires_capture',
  },
  {
    object: 'payment_intent',
    key: 'mc_tax, mc_disc, mc_lx0, mc_lx1',
    what: 'the order’s tax (mode, totals, jurisdictions, Stripe Tax calculation, exemption) and discounts (who gave them, who allowed them, why; each line’s discount and tax)',
    writer: 'the station that takes the order, before it is paid (orders/pricing-metadata.ts)',
    merge: 'immutable',
  },
  {
    object: 'payment_intent',
    key: 'mc_cap_tax',
    what: 'the tax of the lines a capture took (or a saved card was charged with), worked out anew for them',
    writer:
      'the capture itself (capture’s metadata), beside mc_cap; for a saved card, the update just before its charge',
    merge: 'serialized',
  },
  {
    object: 'refund',
    key: 'mc_tax_back',
    what: 'the tax a refund took back (its share of the order’s tax: tax/split.ts taxOfRefund)',
    writer: 'the manager who refunds, on the refund itself (created once, under the refund’s key)',
    merge: 'immutable',
    readBeforeActing: 'the PaymentIntent and charge (their refunded total), and the refunds’ own mc_tax_back',
  },
  {
    object: 'payment_intent',
    key: 'mc_cap_at',
    what: 'when the hold was captured (Stripe’s time) and who captured it, at which station: "<unix seconds>|<name> · <station>" (managers’ money actions); on a saved-card order, who made the last charge attempt and how: "<unix seconds>|link|<name> · <station>" (the customer pays through the link that person sent) or "…|phone|…" (a card staff took on the phone)',
    writer:
      'the capture itself (capture’s metadata), with mc_cap; for a saved card, the station that tries a charge, sends a link or takes a card on the phone, just before the confirm (the last attempt is the one that succeeded)',
    merge: 'serialized',
    readBeforeActing: 'the PaymentIntent: it must still be requires_capture',
  },
  {
    object: 'payment_intent',
    key: 'mc_keep',
    what: 'a release from Holds: "<1|0>|<unix seconds>|<name> · <station>" — 1: it keeps the saved card for “charge on arrival”, 0: it ends the order; who released it, when (Stripe’s time) for the managers’ money actions ("1" alone: an earlier version’s keep)',
    writer: 'the manager who releases, just before the cancel (a cancel takes no metadata)',
    merge: 'serialized',
  },
  {
    object: 'payment_intent',
    key: 'mc_cancel_<station id>',
    what: 'a saved-card order cancelled before it was ever charged (no charge to write it on)',
    writer: 'a manager, under their station’s own key, just before the PaymentIntent is cancelled',
    merge: 'per-writer',
  },
  // ------------------------------------------------------------------ fulfillment and extras, on the charge
  {
    object: 'charge',
    key: 'mc_processing, mc_shipped',
    what: 'fulfillment: one key per step',
    writer: 'any station',
    merge: 'monotonic',
    readBeforeActing: 'the charge: shipping is refused once it is refunded in full or cancelled',
  },
  {
    object: 'charge',
    key: 'mc_tracking',
    what: 'carrier and tracking number',
    writer: 'the station that ships',
    merge: 'last-write',
  },
  {
    object: 'charge',
    key: 'mc_cancel_<station id>',
    what: 'the order was cancelled (implies its units back in stock, once); the earliest one is the order’s. Who, when, why: a hold released from Holds writes it too (reason hold_released), just after the release — the managers’ money actions read who released it',
    writer: 'a manager, under their station’s own key (two cancels at once both kept)',
    merge: 'per-writer',
    readBeforeActing: 'the charge: cancelling is refused once it shipped',
  },
  {
    object: 'charge',
    key: 'mc_receipt',
    what: 'the last receipt sent',
    writer: 'any station',
    merge: 'last-write',
  },
  {
    object: 'charge',
    key: 'mc_note_*',
    what: 'internal notes, one key per note',
    writer: 'any station',
    merge: 'per-item',
  },
  {
    object: 'refund',
    key: 'mc_line',
    what: 'a line refund: "<units>|<restock 1|0>|<sku>" — the line it marks, and units back in stock (orders/refund-line)',
    writer: 'the manager who refunds (on the refund Stripe creates: one refund, one value)',
    merge: 'immutable',
    readBeforeActing: 'the charge: what is left to refund, and the units of the line refunded already',
  },
  // ------------------------------------------------------------------ catalog and stock, on the Product
  {
    object: 'product',
    key: 'sku, name, price (default_price)',
    what: 'what is sold, at what price',
    writer: 'managers',
    merge: 'last-write',
  },
  {
    object: 'product',
    key: 'stock, stock_counted_at, stock_counted_by',
    what: 'a recount: the units on the shelf at Stripe’s time of the count (starts a new epoch)',
    writer: 'managers',
    merge: 'last-write',
  },
  {
    object: 'product',
    key: 'mc_in_*',
    what: 'deliveries since the count: each station’s own running total "<epoch>|<units>|<the last few delivery ids>"',
    writer: 'that station only (read from Stripe, added to, written back)',
    merge: 'per-writer',
    readBeforeActing: 'the Product: the station’s own total and the current epoch',
  },
  // sales and restocks are not written on the Product at all: they are derived from orders (a paid or held
  // order takes its units; a cancelled one, mc_cancel, gives them back at the cancellation's time).
  // ------------------------------------------------------------------ the shop (settings/shop-record, auth/staff-shared)
  {
    object: 'product',
    key: 'Product mc_shop_settings: a key per setting',
    what: 'the shop’s name, address, time zone, usual shipping fee, phone country, message for links; its tax settings (tax: mode, prices with or without tax, shipping taxed, the shop’s address for collection; tax_rates0…3: the rate table cut into up to four keys, all written in one update; discounts: the reasons and the limit above which a manager’s PIN is needed)',
    writer: 'managers',
    merge: 'last-write',
  },
  {
    object: 'product',
    key: 'Product mc_shop_staff: u_<id> per person',
    what: 'the shop’s staff: name, role, disabled, scrypt PIN hash',
    writer: 'managers (a person’s own PIN: that person)',
    merge: 'per-item',
  },
  // ------------------------------------------------------------------ stations
  {
    object: 'station_claim',
    key: 'product id mc_station_<CODE>',
    what: 'a station code (A, B, …) is taken: the claim names the station',
    writer: 'the station that is set up first with that code',
    merge: 'serialized',
  },
];

/**
 * The PaymentIntent's key budget. Its metadata is copied onto the charge when the charge is made, and the
 * charge then gains its own keys, so the PaymentIntent may use only what leaves the charge room.
 */
export const CHARGE_OWN_KEYS = [
  'mc_processing',
  'mc_shipped',
  'mc_tracking',
  'mc_cancel_<station id>',
  'mc_receipt',
];
/** Notes on one order: at least this many always fit (more while the order is small). */
export const NOTES_MIN = 5;
export const PAYMENT_INTENT_MAX_KEYS = METADATA_LIMITS.keys - CHARGE_OWN_KEYS.length - NOTES_MIN; // 40
export const PAYMENT_INTENT_FIXED_KEYS = [
  'cart_id',
  'station',
  'customer_name',
  'created_by',
  'mc_v',
  'mc_order',
  'mc_station',
  'mc_n',
  'mc_ship',
  'mc_delivery',
  'mc_cap',
  'mc_cap_at',
  'mc_root',
  'mc_split',
  'mc_wait',
  'mc_terms',
  'mc_agreed',
  'mc_keep',
  'mc_cancel_<station id>',
] as const;
/** Tax and discounts (orders/pricing-metadata.ts PRICING_KEYS): mc_tax, mc_disc, mc_lx0, mc_lx1, mc_cap_tax. */
export const PAYMENT_INTENT_RESERVED_KEYS = 5;
/** Line chunks an order may use: what the budget leaves (16). */
export const ORDER_LINE_CHUNKS_MAX =
  PAYMENT_INTENT_MAX_KEYS - PAYMENT_INTENT_FIXED_KEYS.length - PAYMENT_INTENT_RESERVED_KEYS;

/** Product keys: the catalog's, and one delivery counter per station. */
export const PRODUCT_FIXED_KEYS = ['sku', 'stock', 'stock_counted_at', 'stock_counted_by', 'lead_time_days'];
export const STATIONS_MAX = METADATA_LIMITS.keys - PRODUCT_FIXED_KEYS.length - 5; // 40 stations, 5 spare
export const DELIVERY_KEY_PREFIX = 'mc_in_';

/** Whether a metadata object is within Stripe's limits; the first problem in words, or null. */
export function metadataProblem(md: Record<string, string>): string | null {
  const keys = Object.keys(md);
  if (keys.length > METADATA_LIMITS.keys)
    return `${keys.length} metadata keys (Stripe allows ${METADATA_LIMITS.keys})`;
  for (const k of keys) {
    if (k.length > METADATA_LIMITS.keyLength) return `the key ${k} is longer than 40 characters`;
    if (md[k]!.length > METADATA_LIMITS.valueLength) return `the value of ${k} is longer than 500 characters`;
  }
  return null;
}
