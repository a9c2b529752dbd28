// The shop's shared record, projected: products, prices, customers, charges and the orders built from them.
// One writer: these functions. They are called with an event's object (ordered by the event's `created`, Stripe's
// own clock) or with an object Stripe just returned or listed (`authoritative`: what Stripe holds now), and
// only ever move state forward, so any two stations that see the same objects, in any order, agree.
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { Address, CartLine } from '../../ipc/contract';
import { readProductMetadata } from '../catalog/product-metadata';
import { decodeOrderMetadata, type OrderContent } from '../orders/order-metadata';
import { orderPricingFigures } from '../orders/order-pricing';
import { orderIdFor, refundedOf } from '../orders/orders-repo';
import { readFulfillment } from '../orders/fulfillment-metadata';
import { phoneDigits } from '../../ipc/phone';
import { canonicalMetadata, orderNotesView, parseMetadata, readCancellation } from '../orders/order-notes';
import { savedCardOrder, type PiCardRow } from '../payments/saved-cards-projection';

// --------------------------------------------------------------------------------------------- Stripe time

/** The newest Stripe time this station has seen (unix seconds): the `created` of events it applied. */
export function stripeTime(db: Db): number {
  const r = db.prepare(`SELECT value FROM sync_state WHERE key = 'stripe_time'`).get() as
    { value: string } | undefined;
  return r ? Number(r.value) : 0;
}

export function noteStripeTime(db: Db, t: number): void {
  db.prepare(
    `INSERT INTO sync_state (key, value) VALUES ('stripe_time', ?)
     ON CONFLICT (key) DO UPDATE SET value = CASE WHEN CAST(value AS INTEGER) < CAST(excluded.value AS INTEGER) THEN excluded.value ELSE value END`,
  ).run(String(t));
}

const idOf = (x: string | { id: string } | null | undefined): string | null =>
  typeof x === 'string' ? x : (x?.id ?? null);

// ------------------------------------------------------------------------------------------------ catalog

export function applyPrice(db: Db, price: Stripe.Price | Stripe.DeletedPrice, nowMs: number): void {
  if ('deleted' in price && price.deleted) {
    db.prepare('UPDATE prices SET active = 0 WHERE id = ?').run(price.id);
    return;
  }
  const p = price as Stripe.Price;
  const productId = idOf(p.product as string | { id: string });
  if (!productId) return;
  db.prepare(
    `INSERT INTO prices (id, product_id, unit_amount, currency, active, created) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET active = excluded.active`,
  ).run(p.id, productId, p.unit_amount ?? null, p.currency, p.active ? 1 : 0, p.created);
  // The product may have been seen first, naming this price as its default.
  db.prepare(
    `UPDATE products SET unit_amount = ?, currency = ?, updated_at = ? WHERE price_id = ? AND (unit_amount IS NOT ? OR currency != ?)`,
  ).run(p.unit_amount ?? null, p.currency, nowMs, p.id, p.unit_amount ?? null, p.currency);
}

/** Returns true when the product row changed. */
export function applyProduct(
  db: Db,
  product: Stripe.Product | Stripe.DeletedProduct,
  nowMs: number,
  authoritative: boolean,
): boolean {
  if ('deleted' in product && product.deleted) {
    return (
      db.prepare('UPDATE products SET active = 0, updated_at = ? WHERE id = ?').run(nowMs, product.id)
        .changes > 0
    );
  }
  const p = product as Stripe.Product;
  const meta = readProductMetadata(p.metadata, p.created);
  if (!meta) return false; // not one of the shop's products (no SKU)
  const existing = db.prepare('SELECT snapshot_at FROM products WHERE id = ?').get(p.id) as
    { snapshot_at: number } | undefined;
  const updated = p.updated ?? p.created;
  if (existing && !authoritative && updated < existing.snapshot_at) return false;
  const dp = p.default_price;
  if (dp && typeof dp === 'object') applyPrice(db, dp, nowMs);
  const priceId = idOf(dp as string | { id: string } | null);
  const price = priceId
    ? (db.prepare('SELECT unit_amount, currency FROM prices WHERE id = ?').get(priceId) as
        { unit_amount: number | null; currency: string } | undefined)
    : undefined;
  db.prepare(
    `INSERT INTO products (id, sku, name, price_id, unit_amount, currency, stock, stock_counted_at, stock_counted_by,
        lead_time_days, active, published, snapshot_at, created_at, updated_at, received, tax_code)
     VALUES (@id, @sku, @name, @priceId, @unitAmount, @currency, @stock, @countedAt, @countedBy, @lead, @active, 1,
        @snap, @created, @now, @received, @taxCode)
     ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, name = excluded.name, price_id = excluded.price_id,
        unit_amount = coalesce(excluded.unit_amount, CASE WHEN price_id IS excluded.price_id THEN unit_amount END),
        currency = excluded.currency, stock = excluded.stock, stock_counted_at = excluded.stock_counted_at,
        stock_counted_by = excluded.stock_counted_by, lead_time_days = excluded.lead_time_days,
        active = excluded.active, published = 1, snapshot_at = max(snapshot_at, excluded.snapshot_at),
        updated_at = excluded.updated_at, received = excluded.received, tax_code = excluded.tax_code`,
  ).run({
    id: p.id,
    sku: meta.sku,
    name: p.name,
    priceId,
    unitAmount: price?.unit_amount ?? null,
    currency: price?.currency ?? 'usd',
    stock: meta.stock,
    countedAt: meta.stockCountedAt,
    countedBy: meta.stockCountedBy ?? null,
    lead: meta.leadTimeDays ?? null,
    received: meta.received ?? 0,
    taxCode: typeof p.tax_code === 'string' ? p.tax_code : (p.tax_code?.id ?? null),
    active: p.active ? 1 : 0,
    snap: updated,
    created: p.created * 1000,
    now: nowMs,
  });
  return true;
}

// ---------------------------------------------------------------------------------------------- customers

export function addressFromStripe(a: Stripe.Address | null | undefined): Address | null {
  if (!a?.line1 || !a.country) return null;
  return {
    line1: a.line1,
    ...(a.line2 ? { line2: a.line2 } : {}),
    city: a.city ?? '',
    postalCode: a.postal_code ?? '',
    ...(a.state ? { state: a.state } : {}),
    country: a.country,
  };
}

export function addressToStripe(a: Address): Stripe.AddressParam {
  return {
    line1: a.line1,
    line2: a.line2 ?? '',
    city: a.city,
    postal_code: a.postalCode,
    state: a.state ?? '',
    country: a.country,
  };
}

export function applyCustomer(
  db: Db,
  customer: Stripe.Customer | Stripe.DeletedCustomer,
  at: number,
  nowMs: number,
  authoritative: boolean,
): boolean {
  if ('deleted' in customer && customer.deleted) {
    return (
      db.prepare('UPDATE customers SET deleted = 1, updated_at = ? WHERE id = ?').run(nowMs, customer.id)
        .changes > 0
    );
  }
  const c = customer as Stripe.Customer;
  const existing = db.prepare('SELECT snapshot_at FROM customers WHERE id = ?').get(c.id) as
    { snapshot_at: number } | undefined;
  if (existing && !authoritative && at < existing.snapshot_at) return false;
  const shipping = addressFromStripe(c.shipping?.address) ?? addressFromStripe(c.address);
  db.prepare(
    `INSERT INTO customers (id, name, email, phone, shipping_json, created_at, updated_at, published, snapshot_at, deleted, metadata_json,
        phone_digits, tax_exempt)
     VALUES (@id, @name, @email, @phone, @shipping, @created, @now, 1, @at, 0, @metadata, @phoneDigits, @taxExempt)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, phone = excluded.phone,
       phone_digits = excluded.phone_digits,
       shipping_json = excluded.shipping_json, updated_at = excluded.updated_at, published = 1,
       metadata_json = excluded.metadata_json, tax_exempt = excluded.tax_exempt,
       snapshot_at = max(snapshot_at, excluded.snapshot_at), deleted = 0`,
  ).run({
    id: c.id,
    name: c.name || c.shipping?.name || c.email || 'Unnamed customer',
    email: c.email ?? null,
    phone: c.phone ?? c.shipping?.phone ?? null,
    phoneDigits: phoneDigits(c.phone ?? c.shipping?.phone ?? null),
    shipping: shipping ? JSON.stringify(shipping) : null,
    created: c.created * 1000,
    now: nowMs,
    at,
    metadata: canonicalMetadata(c.metadata),
    taxExempt: c.tax_exempt ?? null,
  });
  return true;
}

// ------------------------------------------------------------------------------------------------ charges

interface ChargeRow {
  id: string;
  payment_intent_id: string | null;
  fulfillment_rank: number;
  tracking_number: string | null;
  metadata_json: string | null;
  amount_refunded: number;
  captured: number;
  snapshot_at: number;
}

export interface ChargeResult {
  paymentIntentId: string | null;
  /** Two snapshots of one second disagree on what only Stripe can settle: read the charge back. */
  ambiguous: boolean;
}

/**
 * An INSERT of `columns` (each taking the named value `param`, or a literal): by position for a new row (cheaper
 * to bind than by name), and by name for an upsert whose conflict clause names values of its own.
 */
function insertOf(table: string, columns: [column: string, param: string | { literal: string }][]) {
  const names = columns.map(([c]) => c).join(', ');
  const values = (slot: (p: string) => string) =>
    columns.map(([, p]) => (typeof p === 'string' ? slot(p) : p.literal)).join(', ');
  return {
    byPosition: `INSERT INTO ${table} (${names})\n     VALUES (${values(() => '?')})`,
    byName: `INSERT INTO ${table} (${names})\n     VALUES (${values((p) => `@${p}`)})`,
    params: columns.flatMap(([, p]) => (typeof p === 'string' ? [p] : [])),
  };
}

const CHARGE_INSERT = insertOf('charges', [
  ['id', 'id'],
  ['payment_intent_id', 'pi'],
  ['amount', 'amount'],
  ['amount_captured', 'captured_amt'],
  ['amount_refunded', 'refunded'],
  ['captured', 'captured'],
  ['capture_before', 'cb'],
  ['fulfillment_rank', 'rank'],
  ['fulfilled_by', 'by'],
  ['carrier', 'carrier'],
  ['tracking_number', 'tracking'],
  ['ship_json', 'ship'],
  ['created', 'created'],
  ['snapshot_at', 'at'],
  ['receipt_email', 'receiptEmail'],
  ['receipt_url', 'receiptUrl'],
  ['card_label', 'card'],
  ['metadata_json', 'metadata'],
]);

const CHARGE_UPSERT = `${CHARGE_INSERT.byName}
     ON CONFLICT (id) DO UPDATE SET
        payment_intent_id = coalesce(payment_intent_id, excluded.payment_intent_id),
        capture_before = coalesce(excluded.capture_before, capture_before),
        fulfillment_rank = max(fulfillment_rank, excluded.fulfillment_rank),
        fulfilled_by = CASE WHEN excluded.fulfillment_rank >= fulfillment_rank THEN coalesce(excluded.fulfilled_by, fulfilled_by) ELSE fulfilled_by END,
        amount_captured = CASE WHEN @newer THEN excluded.amount_captured ELSE max(amount_captured, excluded.amount_captured) END,
        captured = max(captured, excluded.captured),
        amount_refunded = CASE WHEN @newer THEN excluded.amount_refunded ELSE amount_refunded END,
        carrier = CASE WHEN @newer THEN coalesce(excluded.carrier, carrier) ELSE carrier END,
        tracking_number = CASE WHEN @newer THEN coalesce(excluded.tracking_number, tracking_number) ELSE tracking_number END,
        ship_json = coalesce(excluded.ship_json, ship_json),
        receipt_email = CASE WHEN @newer THEN excluded.receipt_email ELSE receipt_email END,
        receipt_url = coalesce(excluded.receipt_url, receipt_url),
        card_label = coalesce(excluded.card_label, card_label),
        metadata_json = CASE WHEN @newer OR metadata_json IS NULL THEN coalesce(excluded.metadata_json, metadata_json) ELSE metadata_json END,
        snapshot_at = max(snapshot_at, excluded.snapshot_at)`;

/**
 * Apply a charge snapshot taken at `at` (Stripe time). The fulfillment rank only rises; tracking and carrier,
 * which Stripe keeps as last-writer-wins, follow the newest snapshot (a same-second disagreement is read back).
 */
export function applyCharge(
  db: Db,
  ch: Stripe.Charge,
  at: number,
  nowMs: number,
  authoritative: boolean,
): ChargeResult {
  const piId = idOf(ch.payment_intent as string | { id: string } | null);
  const existing = db
    .prepare(
      `SELECT id, payment_intent_id, fulfillment_rank, tracking_number, metadata_json, amount_refunded, captured,
         snapshot_at FROM charges WHERE id = ?`,
    )
    .get(ch.id) as ChargeRow | undefined;
  const ff = readFulfillment(ch);
  // Notes and the cancellation are in the metadata: the newest snapshot's, like tracking.
  const metadata = canonicalMetadata(ch.metadata);
  const card = ch.payment_method_details?.card;
  let ambiguous = false;
  let newer = true;
  if (existing && !authoritative) {
    if (at < existing.snapshot_at) newer = false;
    else if (
      at === existing.snapshot_at &&
      ((existing.tracking_number ?? null) !== (ff.trackingNumber ?? null) ||
        (existing.metadata_json !== null && existing.metadata_json !== metadata) ||
        existing.amount_refunded !== refundedOf(ch) ||
        existing.captured !== (ch.captured ? 1 : 0))
    ) {
      // Same second (Stripe's times are whole seconds), different state: which is newer only Stripe can say.
      // Keep what is held (a refund seen first stays) and read the charge back.
      ambiguous = true;
      newer = false;
    }
  }
  const refunded = refundedOf(ch);
  // A charge not seen before is a plain insert; a known one is merged (above: which snapshot is newer).
  const values: Record<string, unknown> = {
    id: ch.id,
    pi: piId,
    amount: ch.amount,
    captured_amt: ch.captured ? (ch.amount_captured ?? ch.amount) : 0,
    refunded,
    captured: ch.captured ? 1 : 0,
    cb: ch.payment_method_details?.card?.capture_before ?? null,
    rank: ff.rank,
    by: ff.by,
    carrier: ff.carrier,
    tracking: ff.trackingNumber,
    ship: ch.shipping?.address?.line1
      ? JSON.stringify({
          name: ch.shipping.name ?? null,
          phone: ch.shipping.phone ?? null,
          address: addressFromStripe(ch.shipping.address),
        })
      : null,
    created: ch.created,
    at,
    newer: newer ? 1 : 0,
    receiptEmail: ch.receipt_email ?? null,
    receiptUrl: ch.receipt_url ?? null,
    card: card?.last4
      ? `${card.brand ? card.brand.charAt(0).toUpperCase() + card.brand.slice(1) : 'Card'} •••• ${card.last4}`
      : null,
    metadata,
  };
  if (existing) db.prepare(CHARGE_UPSERT).run(values);
  else db.prepare(CHARGE_INSERT.byPosition).run(CHARGE_INSERT.params.map((k) => values[k]));
  // Cancellations are written under a key per station and never removed: whichever snapshot of a same-second pair
  // is kept, both stations' keys are, so every station reads the same (earliest) cancellation.
  if (existing && !newer && existing.metadata_json) {
    const held = parseMetadata(existing.metadata_json);
    const extra = Object.entries(ch.metadata ?? {}).filter(
      ([k]) => k.startsWith('mc_cancel') && !(k in held),
    );
    if (extra.length)
      db.prepare('UPDATE charges SET metadata_json = ? WHERE id = ?').run(
        canonicalMetadata({ ...held, ...Object.fromEntries(extra) }),
        ch.id,
      );
  }
  if (piId) {
    const cb = ch.payment_method_details?.card?.capture_before;
    if (cb && !ch.captured) {
      db.prepare(
        'UPDATE payment_intents SET capture_before = ? WHERE id = ? AND capture_before IS NOT ?',
      ).run(cb, piId, cb);
      db.prepare(
        'UPDATE holds SET expires_at = ?, version = version + 1, updated_at = ? WHERE payment_intent_id = ? AND expires_at IS NOT ?',
      ).run(cb * 1000, nowMs, piId, cb * 1000);
    }
    // The charge's refunded amount as just written (the upsert keeps the held one for an older snapshot).
    const chargeRefunded = !existing || newer ? refunded : existing.amount_refunded;
    db.prepare(
      `UPDATE payment_intents SET amount_refunded = ?, latest_charge = coalesce(latest_charge, ?)
       WHERE id = ? AND (amount_refunded IS NOT ? OR latest_charge IS NULL)`,
    ).run(chargeRefunded, ch.id, piId, chargeRefunded);
  }
  // Units the payment took left the stock no earlier than its charge (Stripe's time): a station that learnt of
  // the payment before its charge dated the sale by the PaymentIntent; the charge moves it to the same time every
  // station (and a rebuilt one, which reads the charge with it) uses.
  if (piId && ch.status === 'succeeded')
    db.prepare('UPDATE stock_sales SET sold_at = ? WHERE payment_intent_id = ? AND sold_at < ?').run(
      ch.created,
      piId,
      ch.created,
    );
  return { paymentIntentId: piId, ambiguous };
}

// ------------------------------------------------------------------------------------------------- orders

interface PiContentRow {
  id: string;
  status: string;
  amount: number;
  amount_received: number;
  currency: string;
  capture_method: string;
  latest_charge: string | null;
  cart_id: string | null;
  customer_name: string | null;
  content_json: string | null;
  customer_id: string | null;
  shipping_json: string | null;
  receipt_email: string | null;
  created: number;
}

export function contentOf(db: Db, piId: string): OrderContent | null {
  const r = db.prepare('SELECT content_json FROM payment_intents WHERE id = ?').get(piId) as
    { content_json: string | null } | undefined;
  return r?.content_json ? (JSON.parse(r.content_json) as OrderContent) : null;
}

/** What a PaymentIntent says of its order, as the payment_intents columns that hold it (null: not said). */
export interface PaymentIntentContent {
  content: OrderContent | null;
  contentJson: string | null;
  customerId: string | null;
  shippingJson: string | null;
  receiptEmail: string | null;
  customerName: string | null;
}

export function paymentIntentContentOf(pi: Stripe.PaymentIntent): PaymentIntentContent {
  const content = decodeOrderMetadata(pi.metadata);
  const shipping = pi.shipping?.address ? addressFromStripe(pi.shipping.address) : null;
  return {
    content,
    contentJson: content ? JSON.stringify(content) : null,
    customerId: idOf(pi.customer as string | { id: string } | null),
    shippingJson: shipping
      ? JSON.stringify({
          name: pi.shipping?.name ?? null,
          phone: pi.shipping?.phone ?? null,
          address: shipping,
        })
      : null,
    receiptEmail: pi.receipt_email ?? null,
    customerName: content?.customerName || null,
  };
}

/**
 * While the applier applies a page of events (one transaction), what is written once for the page rather than
 * once an event: the stations seen (one write a station, the same end state as one an order: the highest
 * number, the name and code seen last), and which carts are this station's (a PaymentIntent taken at another
 * station names a cart that is not here: there is nothing to bring up to date).
 */
interface PageContext {
  stations: Map<string, { code: string; name: string; number: number; lastSeen: number }>;
  /** Carts the page's PaymentIntents name that this station does not have. */
  cartsNotHere: Set<string>;
}
let page: PageContext | null = null;

export function beginPage(db: Db, cartIds: string[]): void {
  const here = new Set(
    cartIds.length
      ? (db
          .prepare('SELECT id FROM carts WHERE id IN (SELECT value FROM json_each(?))')
          .pluck()
          .all(JSON.stringify(cartIds)) as string[])
      : [],
  );
  page = { stations: new Map(), cartsNotHere: new Set(cartIds.filter((id) => !here.has(id))) };
}

/** Write what the page gathered; `write` false drops it (the page's transaction is being rolled back). */
export function endPage(db: Db, write: boolean): void {
  const p = page;
  page = null;
  if (!p || !write) return;
  for (const [id, st] of p.stations) writeStation(db, id, st.code, st.name, st.number, st.lastSeen);
}

/** Whether a cart may be this station's (only those the page found missing are known not to be). */
export const mayBeLocalCart = (cartId: string): boolean => !page || !page.cartsNotHere.has(cartId);

/** The station that took an order, as seen in its content (its highest number, its latest name and code). */
export function noteStation(db: Db, content: OrderContent | null, lastSeen: number): void {
  if (!content?.stationId) return;
  if (page) {
    const seen = page.stations.get(content.stationId);
    if (!seen)
      page.stations.set(content.stationId, {
        code: content.stationCode,
        name: content.stationName,
        number: content.number,
        lastSeen,
      });
    else {
      seen.number = Math.max(seen.number, content.number);
      if (lastSeen >= seen.lastSeen) {
        seen.code = content.stationCode;
        seen.name = content.stationName;
        seen.lastSeen = lastSeen;
      }
    }
    return;
  }
  writeStation(db, content.stationId, content.stationCode, content.stationName, content.number, lastSeen);
}

function writeStation(
  db: Db,
  id: string,
  code: string,
  name: string,
  number: number,
  lastSeen: number,
): void {
  db.prepare(
    `INSERT INTO stations (id, code, name, max_number, last_seen) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET code = CASE WHEN excluded.last_seen >= last_seen THEN excluded.code ELSE code END,
       name = CASE WHEN excluded.last_seen >= last_seen THEN excluded.name ELSE name END,
       max_number = max(max_number, excluded.max_number), last_seen = max(last_seen, excluded.last_seen)`,
  ).run(id, code, name, number, lastSeen);
}

/**
 * Record what a PaymentIntent says of its order (content, customer, shipping) on a row that exists. A snapshot
 * the projection applies writes these with the rest of the row (payments/projection.ts); this is for the others.
 */
export function notePaymentIntentContent(db: Db, pi: Stripe.PaymentIntent, lastSeen: number): void {
  const c = paymentIntentContentOf(pi);
  db.prepare(
    `UPDATE payment_intents SET content_json = coalesce(?, content_json), customer_id = coalesce(?, customer_id),
       shipping_json = coalesce(?, shipping_json), receipt_email = coalesce(?, receipt_email),
       customer_name = coalesce(?, customer_name) WHERE id = ?`,
  ).run(c.contentJson, c.customerId, c.shippingJson, c.receiptEmail, c.customerName, pi.id);
  noteStation(db, c.content, lastSeen);
}

const STATUS_OF_RANK = ['received', 'processing', 'shipped'] as const;
/** The PaymentIntent states an order can be in: held (awaiting stock), charged, or a hold released/lapsed. */
const ORDER_PI_STATUSES = new Set(['requires_capture', 'succeeded', 'canceled']);

/** An order's pricing as it stands (orders/order-pricing.ts; migration 011): column and value name. */
const PRICING: [string, string][] = [
  ['subtotal', 'subtotal'],
  ['discount_total', 'discountTotal'],
  ['tax_total', 'taxTotal'],
  ['shipping_fee', 'shippingFee'],
  ['shipping_tax', 'shippingTax'],
  ['tax_json', 'taxJson'],
  ['tax_mode', 'taxMode'],
  ['tax_inclusive', 'taxInclusive'],
  ['tax_exempt', 'taxExempt'],
  ['discount_by', 'discountBy'],
  ['discount_approved_by', 'discountApprovedBy'],
  ['discount_reasons', 'discountReasons'],
];

const ORDER_INSERT = insertOf('orders', [
  ['id', 'id'],
  ['payment_intent_id', 'pi'],
  ['cart_id', 'cart'],
  ['status', 'status'],
  ['customer_name', 'name'],
  ['customer_email', 'email'],
  ['customer_json', 'customer'],
  ['lines_json', 'lines'],
  ['item_count', 'items'],
  ['currency', 'currency'],
  ['amount_captured', 'captured'],
  ['amount_refunded', 'refunded'],
  ['carrier', 'carrier'],
  ['tracking_number', 'tracking'],
  ['created_at', 'createdAt'],
  ['updated_at', 'now'],
  ['number', 'number'],
  ['station_code', 'code'],
  ['station_id', 'stationId'],
  ['taken_by', 'by'],
  ['charge_id', 'charge'],
  ['shipping_json', 'ship'],
  ['fulfilled_by', 'ffBy'],
  ['published', { literal: '1' }],
  ['payment_state', 'payState'],
  ['amount_total', 'total'],
  ['delivery', 'delivery'],
  ['phone_digits', 'phoneDigits'],
  ['card_wait', 'cardWait'],
  ['notes_json', 'notes'],
  ['cancelled_json', 'cancelled'],
  ['conflict', 'conflict'],
  ...PRICING,
]);
/** The pricing columns: derived together from the content, so they are written together when any differs. */
const PRICING_COLUMNS = PRICING.map(([c]) => c);

const ORDER_UPSERT = `${ORDER_INSERT.byPosition}
     ON CONFLICT (id) DO UPDATE SET
        status = CASE WHEN (CASE excluded.status WHEN 'shipped' THEN 2 WHEN 'processing' THEN 1 ELSE 0 END) >
                           (CASE status WHEN 'shipped' THEN 2 WHEN 'processing' THEN 1 ELSE 0 END) THEN excluded.status ELSE status END,
        customer_name = excluded.customer_name, customer_email = excluded.customer_email,
        customer_json = excluded.customer_json, lines_json = excluded.lines_json, item_count = excluded.item_count,
        amount_captured = max(amount_captured, excluded.amount_captured), amount_refunded = excluded.amount_refunded,
        created_at = min(created_at, excluded.created_at),
        carrier = coalesce(excluded.carrier, carrier), tracking_number = coalesce(excluded.tracking_number, tracking_number),
        number = excluded.number, station_code = excluded.station_code, station_id = excluded.station_id,
        taken_by = excluded.taken_by, charge_id = coalesce(excluded.charge_id, charge_id),
        shipping_json = coalesce(excluded.shipping_json, shipping_json),
        fulfilled_by = coalesce(excluded.fulfilled_by, fulfilled_by),
        payment_intent_id = excluded.payment_intent_id,
        payment_state = CASE WHEN payment_state = 'authorized' THEN excluded.payment_state ELSE payment_state END,
        amount_total = excluded.amount_total, delivery = coalesce(excluded.delivery, delivery),
        phone_digits = excluded.phone_digits, card_wait = excluded.card_wait,
        notes_json = coalesce(excluded.notes_json, notes_json),
        cancelled_json = coalesce(excluded.cancelled_json, cancelled_json),
        conflict = coalesce(conflict, excluded.conflict),
        ${PRICING_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')},
        updated_at = excluded.updated_at
     WHERE (CASE excluded.status WHEN 'shipped' THEN 2 WHEN 'processing' THEN 1 ELSE 0 END) >
             (CASE status WHEN 'shipped' THEN 2 WHEN 'processing' THEN 1 ELSE 0 END)
        OR customer_name IS NOT excluded.customer_name OR customer_email IS NOT excluded.customer_email
        OR customer_json IS NOT excluded.customer_json OR lines_json IS NOT excluded.lines_json
        OR amount_captured < excluded.amount_captured OR amount_refunded IS NOT excluded.amount_refunded
        OR created_at > excluded.created_at
        OR (excluded.carrier IS NOT NULL AND carrier IS NOT excluded.carrier)
        OR (excluded.tracking_number IS NOT NULL AND tracking_number IS NOT excluded.tracking_number)
        OR number IS NOT excluded.number OR station_code IS NOT excluded.station_code
        OR station_id IS NOT excluded.station_id OR taken_by IS NOT excluded.taken_by
        OR (excluded.charge_id IS NOT NULL AND charge_id IS NOT excluded.charge_id)
        OR (excluded.shipping_json IS NOT NULL AND shipping_json IS NOT excluded.shipping_json)
        OR (excluded.fulfilled_by IS NOT NULL AND fulfilled_by IS NOT excluded.fulfilled_by)
        OR payment_intent_id IS NOT excluded.payment_intent_id
        OR (payment_state = 'authorized' AND excluded.payment_state != 'authorized')
        OR amount_total IS NOT excluded.amount_total OR phone_digits IS NOT excluded.phone_digits
        OR (excluded.conflict IS NOT NULL AND conflict IS NULL)
        OR (excluded.cancelled_json IS NOT NULL AND cancelled_json IS NOT excluded.cancelled_json)
        OR (excluded.delivery IS NOT NULL AND delivery IS NOT excluded.delivery)
        OR card_wait IS NOT excluded.card_wait
        OR (excluded.notes_json IS NOT NULL AND notes_json IS NOT excluded.notes_json)
        OR (cancelled_json IS NULL AND excluded.cancelled_json IS NOT NULL)
        OR ${PRICING_COLUMNS.map((c) => `${c} IS NOT excluded.${c}`).join(' OR ')}`;

/** What projectOrder reads of a PaymentIntent and its charge (as arrays: cheaper than rows as objects). */
const PI_ORDER_COLUMNS = [
  'id',
  'status',
  'amount',
  'amount_received',
  'currency',
  'capture_method',
  'latest_charge',
  'cart_id',
  'customer_name',
  'content_json',
  'customer_id',
  'shipping_json',
  'receipt_email',
  'created',
  'payment_method_id',
  'setup_future_usage',
  'last_error_json',
  'cancellation_reason',
] as const;
const PI_ORDER_SELECT = `SELECT ${PI_ORDER_COLUMNS.join(', ')} FROM payment_intents WHERE id = ?`;
const CHARGE_ORDER_COLUMNS = [
  'amount_refunded',
  'fulfillment_rank',
  'fulfilled_by',
  'carrier',
  'tracking_number',
  'ship_json',
  'metadata_json',
  'receipt_email',
  'receipt_url',
  'card_label',
  'capture_before',
  'created',
] as const;
const CHARGE_ORDER_SELECT = `SELECT ${CHARGE_ORDER_COLUMNS.join(', ')} FROM charges WHERE id = ?`;

function rowOf<T>(columns: readonly string[], values: unknown[] | undefined): T | undefined {
  if (!values) return undefined;
  const o: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) o[columns[i]!] = values[i];
  return o as T;
}

/**
 * Make or bring up to date the order of a PaymentIntent, from everything known about it: its content, its
 * charge (fulfillment, refunds) and its customer. An order exists once the payment succeeded. Returns the order
 * id when the order was created or changed.
 */
export function projectOrder(
  db: Db,
  piId: string,
  nowMs: number,
): { orderId: string; created: boolean } | null {
  const pi = rowOf<PiContentRow & PiCardRow>(
    PI_ORDER_COLUMNS,
    db.prepare(PI_ORDER_SELECT).raw(true).get(piId) as unknown[] | undefined,
  );
  // An order exists once the card is charged, or held for a waitlist order (awaiting stock); a released or
  // lapsed hold stays an order, cancelled.
  if (!pi) return null;
  // A waitlist order on a saved card is an order while it waits for its stock (payments/saved-cards-projection.ts);
  // a PaymentIntent that a later one continues (a lapsed hold's card charged on arrival) no longer speaks for it.
  const saved = savedCardOrder(db, pi);
  if (saved.superseded) {
    // The order was placed when its first PaymentIntent was made: a later one that continues it (or a station that
    // learnt of that one first) never dates it later.
    db.prepare('UPDATE orders SET created_at = ? WHERE id = ? AND created_at > ?').run(
      pi.created * 1000,
      orderIdFor(pi.id),
      pi.created * 1000,
    );
    return null;
  }
  if (!ORDER_PI_STATUSES.has(pi.status) && !saved.cardWait) return null;
  let content = pi.content_json ? (JSON.parse(pi.content_json) as OrderContent) : null;
  if (!content) {
    // A PaymentIntent made by an earlier version of this console: its lines are only in the local cart.
    const cart = pi.cart_id
      ? (db.prepare('SELECT lines_json, station_code, number FROM carts WHERE id = ?').get(pi.cart_id) as
          { lines_json: string; station_code: string | null; number: number | null } | undefined)
      : undefined;
    if (!cart) return null; // not an order of this shop
    const lines = JSON.parse(cart.lines_json) as CartLine[];
    content = {
      cartId: pi.cart_id ?? '',
      stationCode: cart.station_code ?? '',
      number: cart.number ?? 0,
      stationId: '',
      stationName: '',
      takenBy: '',
      customerName: pi.customer_name ?? '',
      lines: lines.map((l) => ({
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        unitAmount: l.unitAmount,
        waitlist: l.waitlist,
      })),
    };
  }
  const charge = pi.latest_charge
    ? (rowOf(
        CHARGE_ORDER_COLUMNS,
        db.prepare(CHARGE_ORDER_SELECT).raw(true).get(pi.latest_charge) as unknown[] | undefined,
      ) as
        | {
            amount_refunded: number;
            fulfillment_rank: number;
            fulfilled_by: string | null;
            carrier: string | null;
            tracking_number: string | null;
            ship_json: string | null;
            metadata_json: string | null;
            receipt_email: string | null;
            receipt_url: string | null;
            card_label: string | null;
            capture_before: number | null;
            created: number;
          }
        | undefined)
    : undefined;
  const id = orderIdFor(content.rootPaymentIntentId ?? pi.id);
  const existed = db.prepare('SELECT 1 FROM orders WHERE id = ?').pluck().get(id) !== undefined;
  const paymentState =
    pi.status === 'succeeded'
      ? 'paid'
      : pi.status === 'requires_capture' || saved.cardWait
        ? 'authorized'
        : 'canceled';
  // A canceled PaymentIntent is an order only if it was one, as Stripe's objects say (never as this station happened
  // to see it first, so every station and a rebuilt one agree): its card was authorized (a hold, whose charge has a
  // capture deadline), or saved for a charge on arrival — cancelled by us (mc_cancel) or in the Dashboard. An
  // abandoned cart, a declined card or a checkout given up before the card was saved never was.
  if (paymentState === 'canceled' && !charge?.capture_before && !wasSavedCardOrder(db, pi.id, content))
    return null;
  const customer = pi.customer_id
    ? (db
        .prepare('SELECT id, name, email, phone, shipping_json FROM customers WHERE id = ?')
        .get(pi.customer_id) as
        | {
            id: string;
            name: string;
            email: string | null;
            phone: string | null;
            shipping_json: string | null;
          }
        | undefined)
    : undefined;
  const shipText = pi.shipping_json ?? charge?.ship_json ?? null;
  const ship = shipText
    ? (JSON.parse(shipText) as { name: string | null; phone: string | null; address: Address })
    : null;
  // The product ids are this station's business (resolved when an order is read): the order names its SKUs.
  // After a capture by lines, the order is what was taken; the rest was released.
  const lines: CartLine[] = takenLines(content).map((l) => ({
    productId: '',
    sku: l.sku,
    name: l.name,
    unitAmount: l.unitAmount,
    quantity: l.quantity,
    lineTotal: l.unitAmount * l.quantity,
    waitlist: l.waitlist,
  }));
  const name = customer?.name || content.customerName || ship?.name || 'Unknown customer';
  const customerJson = JSON.stringify({
    id: customer?.id ?? pi.customer_id ?? '',
    name,
    email: customer?.email ?? pi.receipt_email ?? null,
    phone: customer?.phone ?? ship?.phone ?? null,
    shipping_json: ship ? JSON.stringify(ship.address) : (customer?.shipping_json ?? null),
  });
  const rank = charge?.fulfillment_rank ?? 0;
  const chargeMetadata = charge ? parseMetadata(charge.metadata_json) : null;
  const cancel = (chargeMetadata ? readCancellation(chargeMetadata) : null) ?? content.cancelled ?? null;
  // A new order is a plain insert (cheaper than the upsert's conflict clauses); a known one is brought up to date.
  const values: Record<string, unknown> = {
    id,
    pi: pi.id,
    cart: content.cartId || pi.cart_id,
    status: STATUS_OF_RANK[rank] ?? 'received',
    name,
    email: customer?.email ?? pi.receipt_email ?? null,
    customer: customerJson,
    lines: JSON.stringify(lines),
    items: lines.reduce((n, l) => n + l.quantity, 0),
    currency: pi.currency,
    captured: pi.amount_received,
    refunded: charge?.amount_refunded ?? 0,
    carrier: charge?.carrier ?? null,
    tracking: charge?.tracking_number ?? null,
    // When the order was placed: Stripe's time of its first PaymentIntent, the same at every station whenever it
    // learns of the charge (a 3D Secure payment is charged minutes after it was placed) and whatever its clock says.
    createdAt: placedAt(db, content, pi.created),
    now: nowMs,
    number: content.number,
    code: content.stationCode,
    stationId: content.stationId || null,
    by: content.takenBy || null,
    charge: pi.latest_charge,
    ship: ship ? JSON.stringify(ship) : null,
    ffBy: charge?.fulfilled_by ?? null,
    payState: paymentState,
    total: pi.amount,
    delivery: content.delivery ?? null,
    phoneDigits: phoneDigits(customer?.phone ?? ship?.phone ?? null),
    // Waiting on a saved card, or needing the customer for it (a refused charge, a removed card).
    cardWait: saved.cardWait,
    // What the shop wrote on the charge (notes, the receipt) is part of the order; a cancellation is kept once seen.
    notes: charge ? JSON.stringify(orderNotesView(charge, chargeMetadata ?? undefined)) : null,
    cancelled: cancel ? JSON.stringify(cancel) : null,
    // Shipped and cancelled (or refunded in full) — each station refuses the second, but two at once can both
    // land: the order says so, and managers are alerted once (sync/apply.ts).
    conflict: conflictOf(
      rank,
      cancel !== null,
      pi.amount_received,
      // Refunds of captured money only: a partial capture's released part also shows in amount_refunded.
      Math.max(0, (charge?.amount_refunded ?? 0) - Math.max(0, pi.amount - pi.amount_received)),
      pi.status === 'succeeded',
    ),
    ...pricingValues(content, paymentState, pi.amount_received),
  };
  // A cancelled order's units are back on the shelf from the cancellation's (Stripe) time: derived here, so every
  // station restocks once, whoever cancelled (catalog/stock-sql.ts).
  // Only cancellations that restock by this rule (written since it: `restock`) count; an older cancel already
  // moved the count itself. The value is Stripe's as it is now, so two cancels at once end the same everywhere.
  if (cancel?.restock)
    db.prepare(
      'UPDATE stock_sales SET restocked_at = ? WHERE payment_intent_id = ? AND restocked_at IS NOT ?',
    ).run(Math.floor(cancel.at / 1000), pi.id, Math.floor(cancel.at / 1000));
  const info = db
    .prepare(existed ? ORDER_UPSERT : ORDER_INSERT.byPosition)
    .run(ORDER_INSERT.params.map((p) => values[p]));
  return info.changes > 0 ? { orderId: id, created: !existed } : null;
}

/**
 * Whether a PaymentIntent (canceled, never authorized) was a saved-card order: cancelled as one by us (mc_cancel on
 * it), continuing one (a lapsed hold's card charged on arrival), or its card saved for the charge on arrival (its
 * SetupIntent succeeded). Read from Stripe's objects only, so it is the same at every station and after a rebuild.
 */
export function wasSavedCardOrder(db: Db, piId: string, content: OrderContent): boolean {
  if (content.cancelled || content.rootPaymentIntentId) return true;
  if (content.wait?.mode !== 'card') return false;
  return (
    db
      .prepare(`SELECT 1 FROM card_setups WHERE payment_intent_id = ? AND status = 'succeeded' LIMIT 1`)
      .get(piId) !== undefined
  );
}

/** The version of the order rule that this station's orders were projected with (sync_state `order_rule`). */
const ORDER_RULE = 16;

/**
 * A database projected by an earlier version (order rule below 16) may lack the saved-card orders it first saw
 * already cancelled (the rule then depended on what the station had seen): their PaymentIntents, which the station
 * holds, are projected again once, at start. Returns the orders made.
 */
export function reprojectEarlierOrders(db: Db, nowMs: number): string[] {
  const done = db.prepare(`SELECT value FROM sync_state WHERE key = 'order_rule'`).pluck().get() as
    string | undefined;
  if (Number(done ?? 0) >= ORDER_RULE) return [];
  return db.transaction(() => {
    const made: string[] = [];
    const missing = db
      .prepare(
        `SELECT p.id FROM payment_intents p
         WHERE p.status = 'canceled' AND p.capture_method = 'automatic'
           AND (json_extract(p.content_json, '$.wait.mode') = 'card'
             OR json_extract(p.content_json, '$.rootPaymentIntentId') IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id =
             'ord_' || substr(coalesce(json_extract(p.content_json, '$.rootPaymentIntentId'), p.id), 4))
         ORDER BY p.created, p.id`,
      )
      .pluck()
      .all() as string[];
    for (const piId of missing) {
      const o = projectOrder(db, piId, nowMs);
      if (o) made.push(o.orderId);
    }
    db.prepare(
      `INSERT INTO sync_state (key, value) VALUES ('order_rule', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ).run(String(ORDER_RULE));
    return made;
  })();
}

/**
 * When an order was placed, in ms: Stripe's creation time of the PaymentIntent that took it (for an order a later
 * PaymentIntent continues — a lapsed hold's saved card charged on arrival — the first one's, when known here).
 */
function placedAt(db: Db, content: OrderContent, created: number): number {
  const root = content.rootPaymentIntentId
    ? (db
        .prepare('SELECT created FROM payment_intents WHERE id = ?')
        .pluck()
        .get(content.rootPaymentIntentId) as number | undefined)
    : undefined;
  return Math.min(root ?? created, created) * 1000;
}

/** The order's pricing columns (migration 011), as orders/order-pricing.ts works them out. */
function pricingValues(
  content: OrderContent,
  paymentState: 'authorized' | 'paid' | 'canceled',
  amountReceived: number,
): Record<string, unknown> {
  const f = orderPricingFigures(content, paymentState, amountReceived);
  return {
    subtotal: f.subtotal,
    discountTotal: f.discountTotal,
    taxTotal: f.taxTotal,
    shippingFee: f.shippingFee,
    shippingTax: f.shippingTax,
    taxJson: f.breakdown.length ? JSON.stringify(f.breakdown) : null,
    taxMode: f.taxMode,
    taxInclusive: f.inclusive ? 1 : 0,
    taxExempt: f.exempt,
    discountBy: f.discountBy,
    discountApprovedBy: f.discountApprovedBy,
    discountReasons: f.reasons.length ? JSON.stringify(f.reasons) : null,
  };
}

/** Why an order's fulfillment and money disagree after a true race between stations, or null. */
export function conflictOf(
  rank: number,
  cancelled: boolean,
  captured: number,
  refunded: number,
  paid: boolean,
): string | null {
  if (rank >= 2 && cancelled)
    return 'Shipped and cancelled: the parcel left while another station cancelled the order (refunded, stock put back). Contact the customer: get the goods back or charge again, and recount the stock.';
  if (rank >= 2 && captured > 0 && refunded >= captured)
    return 'Shipped and refunded in full: make sure the goods come back, or contact the customer.';
  if (cancelled && paid && captured > refunded)
    return 'Cancelled and paid: the order was cancelled while another station charged it. Refund it (or take it back out of the cancelled orders with the customer), and recount the stock.';
  return null;
}

/**
 * Units a payment took out of stock, at Stripe's time of the sale. In-stock lines are taken when the card is
 * charged or authorized; waitlist lines (there was no stock to take) once the hold is captured.
 */
export function recordSales(
  db: Db,
  piId: string,
  content: OrderContent,
  soldAt: number,
  piStatus?: string,
  /** When the waitlist lines were taken (Stripe's time of the capture or charge); unknown: this station's now. */
  waitlistSoldAt?: number,
): void {
  const status =
    piStatus ??
    (db.prepare('SELECT status FROM payment_intents WHERE id = ?').pluck().get(piId) as string) ??
    '';
  const captured = status === 'succeeded';
  if (!captured && status !== 'requires_capture') return;
  const ins = db.prepare(
    `INSERT INTO stock_sales (payment_intent_id, sku, quantity, sold_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (payment_intent_id, sku) DO UPDATE SET quantity = excluded.quantity,
       sold_at = max(sold_at, excluded.sold_at)`,
  );
  const drop = db.prepare('DELETE FROM stock_sales WHERE payment_intent_id = ? AND sku = ?');
  let waitlistAt: number | null = waitlistSoldAt ?? null;
  // Captured by lines: what was released goes back into stock.
  const taken =
    captured && content.captured ? new Map(takenLines(content).map((l) => [l.sku, l.quantity])) : null;
  for (const l of content.lines) {
    if (l.waitlist && !captured) continue;
    const quantity = taken ? (taken.get(l.sku) ?? 0) : l.quantity;
    if (quantity === 0) drop.run(piId, l.sku);
    else if (!l.waitlist) ins.run(piId, l.sku, quantity, soldAt);
    else ins.run(piId, l.sku, quantity, (waitlistAt ??= Math.max(soldAt, stripeTime(db))));
  }
}

/** The order's lines as captured: all of them, or those a capture by lines took (never more than ordered). */
export function takenLines(content: OrderContent): OrderContent['lines'] {
  if (!content.captured) return content.lines;
  const taken = new Map(content.captured.map((c) => [c.sku, c.quantity]));
  return content.lines
    .map((l) => ({ ...l, quantity: Math.min(l.quantity, taken.get(l.sku) ?? 0) }))
    .filter((l) => l.quantity > 0);
}
