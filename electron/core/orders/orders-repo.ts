// Orders (repository for the orders table). An order is made once its card is held (a waitlist order, awaiting
// stock) or charged, and keyed on the PaymentIntent id — the order id itself is derived from it — so a duplicate
// order cannot exist.
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import { parseOrderNumber } from './order-metadata';
import { DEFAULT_COUNTRY, phoneSearchDigits } from '../../ipc/phone';
import { indexOrderSearch } from './order-search';
import type { Delivery, OrderFilter, OrderRow, OrderStatus, PaymentState } from '../../ipc/contract';

export interface OrderDbRow {
  id: string;
  number: number;
  station_code: string | null;
  payment_intent_id: string;
  cart_id: string | null;
  status: OrderStatus;
  customer_name: string;
  customer_email: string | null;
  customer_json: string | null;
  lines_json: string;
  item_count: number;
  currency: string;
  amount_captured: number;
  amount_refunded: number;
  carrier: string | null;
  tracking_number: string | null;
  shipping_json: string | null;
  taken_by: string | null;
  fulfilled_by: string | null;
  charge_id: string | null;
  created_at: number;
  updated_at: number;
  payment_state: 'authorized' | 'paid' | 'canceled';
  amount_total: number | null;
  delivery: Delivery | null;
  phone_digits: string | null;
  /** Set once the order was cancelled as one action (who, when, why), from its charge. */
  cancelled_json?: string | null;
  /** Shipped and cancelled/refunded in a true race between stations (sync/shop-projection conflictOf). */
  conflict?: string | null;
  /** A waitlist order on a saved card (migration 008): 'waiting' or 'action_needed'. */
  card_wait?: 'waiting' | 'action_needed' | null;
  /** Its pricing (migration 011; orders/order-pricing.ts): null subtotal = projected before it. */
  subtotal?: number | null;
  discount_total?: number;
  tax_total?: number;
  shipping_fee?: number;
  shipping_tax?: number;
  tax_json?: string | null;
  tax_mode?: 'none' | 'rates' | 'stripe_tax' | null;
  tax_inclusive?: number;
  tax_exempt?: string | null;
  discount_by?: string | null;
  discount_approved_by?: string | null;
  discount_reasons?: string | null;
}

export const orderIdFor = (paymentIntentId: string): string => `ord_${paymentIntentId.replace(/^pi_/, '')}`;

export const toOrderRow = (r: OrderDbRow): OrderRow => ({
  id: r.id,
  number: `${r.station_code ?? ''}${r.number}`,
  paymentIntentId: r.payment_intent_id,
  status: r.status,
  customerName: r.customer_name,
  customerEmail: r.customer_email,
  currency: r.currency,
  amountCaptured: r.amount_captured,
  amountRefunded: r.amount_refunded,
  itemCount: r.item_count,
  createdAt: r.created_at,
  paymentState: paymentStateOf(r),
  amountTotal: r.amount_total ?? r.amount_captured,
  customerPhone: phoneOf(r),
  delivery: r.delivery ?? null,
  ...(r.cancelled_json ? { cancelled: true } : {}),
  ...(r.card_wait ? { cardWait: r.card_wait } : {}),
  ...(r.discount_total ? { discountTotal: r.discount_total } : {}),
  ...(r.tax_total ? { taxTotal: r.tax_total } : {}),
});

export function paymentStateOf(
  r: Pick<OrderDbRow, 'payment_state' | 'amount_captured' | 'amount_refunded'>,
): PaymentState {
  if (r.payment_state === 'authorized' || r.payment_state === 'canceled') return r.payment_state;
  if (r.amount_captured > 0 && r.amount_refunded >= r.amount_captured) return 'refunded';
  return r.amount_refunded > 0 ? 'partially_refunded' : 'paid';
}

function phoneOf(r: Pick<OrderDbRow, 'customer_json'>): string | null {
  if (!r.customer_json) return null;
  try {
    return (JSON.parse(r.customer_json) as { phone?: string | null }).phone ?? null;
  } catch {
    return null;
  }
}

export function getOrderRow(db: Db, id: string): OrderDbRow | null {
  return (db.prepare('SELECT * FROM orders WHERE id = ?').get(id) as OrderDbRow | undefined) ?? null;
}

/**
 * What was refunded to the customer on a charge. After a partial capture Stripe reports the released,
 * never-captured remainder in `amount_refunded` too (amount 8900, captured 5000 → amount_refunded 3900 before
 * any refund), and a released hold shows its whole amount there; neither is a refund.
 */
export function refundedOf(
  ch: Pick<Stripe.Charge, 'amount' | 'amount_captured' | 'amount_refunded' | 'captured'>,
): number {
  if (!ch.captured) return 0;
  const captured = ch.amount_captured ?? ch.amount;
  return Math.max(0, (ch.amount_refunded ?? 0) - (ch.amount - captured));
}

export function setRefunded(
  db: Db,
  paymentIntentId: string,
  amountRefunded: number,
  nowMs: number,
): string | null {
  const info = db
    .prepare(
      'UPDATE orders SET amount_refunded = ?, updated_at = ? WHERE payment_intent_id = ? AND amount_refunded < ?',
    )
    .run(amountRefunded, nowMs, paymentIntentId, amountRefunded);
  db.prepare('UPDATE payment_intents SET amount_refunded = max(amount_refunded, ?) WHERE id = ?').run(
    amountRefunded,
    paymentIntentId,
  );
  return info.changes > 0 ? orderIdFor(paymentIntentId) : null;
}

/** How a search is answered (see listOrders). */
type SearchKind = 'none' | 'index' | 'scan';

/** An order's (ord_) or PaymentIntent's (pi_) id, or the start of one (at least a character past the prefix). */
const ID_PREFIX = /^(ord|pi)_([A-Za-z0-9]+)$/;
/** What could be the start of an id without its prefix (Stripe's ids are 24+ letters and digits). */
const ID_BODY = /^[A-Za-z0-9]{8,}$/;
/**
 * Ids are not in the searched text (migration 009: random ids were most of its trigrams); they are found by
 * prefix through their own indexes. An order's id is its first PaymentIntent's with ord_ for pi_, so the one
 * body finds the order by either.
 */
const ID_RANGE = '((o.id >= ? AND o.id < ?) OR (o.payment_intent_id >= ? AND o.payment_intent_id < ?))';
const idRangeArgs = (body: string): string[] => {
  const upTo = (s: string) => `${s}\u{10FFFF}`;
  return [`ord_${body}`, upTo(`ord_${body}`), `pi_${body}`, upTo(`pi_${body}`)];
};

/** A search's matches are counted up to this many; beyond, the list says "10,000+" (its first 10,000). */
export const COUNT_CAP = 10_000;
/**
 * At least this many matches (probed in the trigram index) make a term "common": scanned, not looked up. The
 * index answers in time proportional to the matches (~10 µs each: 1,000 is ~10 ms); a scan walks orders newest
 * first until a page is found (100 ÷ the share of orders that match) and counts, up to COUNT_CAP, over the
 * narrow table. So the line moves with the shop: 1,000 matches up to 100,000 orders (1%), 1% of the orders
 * beyond, up to COUNT_CAP + 1 — where a common term is known to be past the cap without counting.
 */
export const COMMON_TERM = 1000;
const commonTerm = (db: Db): number => {
  const orders = db.prepare('SELECT coalesce(max(rowid), 0) FROM orders').pluck().get() as number;
  return Math.max(COMMON_TERM, Math.min(COUNT_CAP + 1, Math.ceil(orders / 100)));
};
const NAME_PREFIX = 'o.customer_name LIKE ?';

/**
 * A search over one column of the search table (migrations 006, 009): `text` (order number, name, email) or
 * `phone` (digits). A rare term is looked up in the trigram index; a common one — its posting lists as long as
 * the table — is checked row by row against the narrow table while orders are walked newest first, which finds
 * a page at once. The probe reads at most commonTerm() index entries.
 */
function termClause(
  db: Db,
  column: 'text' | 'phone',
  term: string,
): {
  sql: string;
  args: unknown[];
  kind: 'index' | 'scan';
  /** How to count a common term's matches (alone), cheaper than from orders. */
  count: { sql: string; args: unknown[] } | null;
  overCap: boolean;
  /** A common term's matches, when the probe counted them all (so nothing needs counting again). */
  exact: number | null;
  /** For digits: the candidates from the trigram index (a subquery of order rowids) and their arguments. */
  candidates?: { sql: string; args: unknown[] };
} {
  const common = commonTerm(db);
  // The probe reads one past the cap when the line is at the cap (a million orders): a term it finds past the
  // cap is then known to be so without counting, and one it finds under it is counted by the probe itself.
  const probeLimit = common >= COUNT_CAP ? COUNT_CAP + 1 : common;
  const exactOf = (probe: number) => (probe < probeLimit ? probe : null);
  const like = `%${term}%`;
  const wild = /[%_]/.test(term);
  const lit = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  if (column === 'phone' && /^\d{3,}$/.test(term)) {
    // Digits: every phone of a shop shares its first digits (country, area code), so FTS5's LIKE, which reads
    // the posting list of every trigram of the term, reads most of the index for them (~100 ms at a million
    // orders). The number's last three trigrams are where phones differ: candidates from those (MATCH, in either
    // column), then each checked against the phone itself.
    const tri: string[] = [];
    for (let i = 0; i + 3 <= term.length; i++) tri.push(`"${term.slice(i, i + 3)}"`);
    const match = tri.slice(-3).join(' AND ');
    const candidates = `SELECT s.rowid FROM orders_search s JOIN orders_search_text t ON t.order_rowid = s.rowid
      WHERE orders_search MATCH ? AND t.phone LIKE ?`;
    const probe = db
      .prepare(`SELECT count(*) FROM (${candidates} LIMIT ${probeLimit})`)
      .pluck()
      .get(match, like) as number;
    if (probe < common)
      return {
        sql: `o.rowid IN (${candidates})`,
        args: [match, like],
        kind: 'index',
        count: null,
        overCap: false,
        exact: null,
        candidates: { sql: candidates, args: [match, like] },
      };
    return {
      sql: `EXISTS (SELECT 1 FROM orders_search_text t WHERE t.order_rowid = o.rowid AND t.phone LIKE ?)`,
      args: [like],
      kind: 'scan',
      // Counted from the same candidates (~1 µs a match), not by reading every phone of the narrow table
      // (~11 ms at 100,000 orders, ~200 ms at a million, whatever the term).
      count: { sql: `SELECT count(*) FROM (${candidates})`, args: [match, like] },
      overCap: probe > COUNT_CAP,
      exact: exactOf(probe),
      candidates: { sql: candidates, args: [match, like] },
    };
  }
  const probe = db
    .prepare(`SELECT count(*) FROM (SELECT 1 FROM orders_search WHERE ${column} LIKE ? LIMIT ${probeLimit})`)
    .pluck()
    .get(like) as number;
  if (probe < common) {
    // FTS5 answers LIKE on a trigram table from its index (MATCH can't: detail=none refuses the phrase every
    // query of 4+ characters becomes). In LIKE, `_` and `%` are wildcards (ids are full of `_`), so those
    // queries are checked again literally.
    return wild
      ? {
          sql: `o.rowid IN (SELECT rowid FROM orders_search WHERE ${column} LIKE ? AND instr(lower(${column}), ?) > 0)`,
          args: [like, term.toLowerCase()],
          kind: 'index',
          count: null,
          overCap: false,
          exact: null,
        }
      : {
          sql: `o.rowid IN (SELECT rowid FROM orders_search WHERE ${column} LIKE ?)`,
          args: [like],
          kind: 'index',
          count: null,
          overCap: false,
          exact: null,
        };
  }
  return {
    sql: `EXISTS (SELECT 1 FROM orders_search_text t WHERE t.order_rowid = o.rowid AND t.${column} LIKE ? ESCAPE '\\')`,
    args: [lit],
    kind: 'scan',
    count: { sql: `SELECT count(*) FROM orders_search_text WHERE ${column} LIKE ? ESCAPE '\\'`, args: [lit] },
    overCap: probe > COUNT_CAP,
    // The probe's LIKE treats % and _ as wildcards; the literal term is counted on its own.
    exact: wild ? null : exactOf(probe),
  };
}

interface Where {
  sql: string;
  args: unknown[];
  kind: SearchKind;
  /** For a common term alone (no other filter): its count from the narrow table, cheaper than from orders. */
  count: { sql: string; args: unknown[] } | null;
  /** A common term and no other filter, which the probe found more than COUNT_CAP orders match. */
  overCap: boolean;
  /** A common term alone (no other filter) whose matches the probe counted: the total, with nothing to count. */
  exact: number | null;
}

function where(db: Db, f: OrderFilter, country: string): Where {
  const clauses: string[] = [];
  const args: unknown[] = [];
  if (f.status) {
    clauses.push('o.status = ?');
    args.push(f.status);
  }
  if (f.payment) {
    clauses.push('o.payment_state = ?');
    args.push(f.payment);
  }
  if (f.from !== undefined) {
    clauses.push('o.created_at >= ?');
    args.push(f.from);
  }
  if (f.to !== undefined) {
    clauses.push('o.created_at < ?');
    args.push(f.to);
  }
  const filtered = clauses.length > 0;
  const q = f.query?.trim();
  let kind: SearchKind = 'none';
  let count: Where['count'] = null;
  let overCap = false;
  let exact: number | null = null;
  const parsed = q ? parseOrderNumber(q) : null;
  const number =
    parsed && (parsed.code !== null || parsed.number >= 1000 || q!.startsWith('#')) ? parsed : null;
  const phone = q ? phoneSearchDigits(q, country) : null;
  const id = q ? ID_PREFIX.exec(q) : null;
  if (q && id) {
    // An order's or PaymentIntent's id, whole or its start (copied from Stripe's Dashboard or a receipt).
    clauses.push(ID_RANGE);
    args.push(...idRangeArgs(id[2]!));
  } else if (q && number && (number.code || q.startsWith('#') || !phone)) {
    // An order number, as read out on the phone: "A1042", "#A1042".
    clauses.push(number.code ? 'o.number = ? AND o.station_code = ?' : 'o.number = ?');
    args.push(number.number);
    if (number.code) args.push(number.code);
  } else if (q && phone) {
    // Digits: a phone number however it is typed ("555", "(555) 010-1234"); a bare number of four digits or
    // more may also be an order number ("1042").
    indexOrderSearch(db);
    const t = termClause(db, 'phone', phone);
    kind = t.kind;
    overCap = t.overCap;
    if (number && t.kind === 'index') {
      // One list of rowids (the number's and the phone's candidates): with an OR between them SQLite walks
      // every order by time and checks each (~330 ms at a million orders for a term of 10,000 matches).
      clauses.push(
        t.sql.replace('o.rowid IN (', 'o.rowid IN (SELECT rowid FROM orders WHERE number = ? UNION ALL '),
      );
      args.push(number.number, ...t.args);
      kind = 'index';
    } else if (number) {
      clauses.push(`(o.number = ? OR ${t.sql})`);
      args.push(number.number, ...t.args);
      kind = t.kind === 'index' ? 'index' : 'scan';
      // Counted as the number's order and the phone's candidates together, not by walking every order.
      if (t.candidates && !filtered)
        count = {
          sql: `SELECT count(*) FROM (SELECT rowid FROM orders WHERE number = ? UNION ${t.candidates.sql})`,
          args: [number.number, ...t.candidates.args],
        };
    } else {
      clauses.push(t.sql);
      args.push(...t.args);
      if (t.count && !filtered) count = t.count;
      if (!filtered) exact = t.exact;
    }
  } else if (
    q &&
    ID_BODY.test(q) &&
    db.prepare(`SELECT 1 FROM orders o WHERE ${ID_RANGE} LIMIT 1`).get(...idRangeArgs(q)) !== undefined
  ) {
    // Letters and digits that start an order's or PaymentIntent's id (its prefix left out): that order. (Ids are
    // random; a word that starts one is not a word anybody searches for.)
    clauses.push(ID_RANGE);
    args.push(...idRangeArgs(q));
  } else if (q && /[^%_]{3}/.test(q)) {
    indexOrderSearch(db);
    const t = termClause(db, 'text', q);
    kind = t.kind;
    overCap = t.overCap;
    clauses.push(t.sql);
    args.push(...t.args);
    if (t.count && !filtered) count = t.count;
    if (!filtered) exact = t.exact;
  } else if (q && !/[%_\\]/.test(q)) {
    // One or two characters: the start of the customer's name, from its NOCASE index (migration 003) —
    // a substring scan of 100,000 rows for two letters would cost more than it finds. (listOrders walks the
    // creation-time index instead when the start is a common one: NAME_PREFIX marks the clause.)
    clauses.push(NAME_PREFIX);
    args.push(`${q}%`);
  } else if (q) {
    // Short queries with wildcard characters in them: a literal scan of name, email and id.
    clauses.push(
      `(o.customer_name LIKE ? ESCAPE '\\' OR o.customer_email LIKE ? ESCAPE '\\' OR o.id LIKE ? ESCAPE '\\')`,
    );
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    args.push(like, like, like);
  }
  return {
    sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '',
    args,
    kind,
    count,
    overCap: overCap && kind === 'scan' && !filtered,
    exact: kind === 'scan' && !filtered ? exact : null,
  };
}

export function listOrders(
  db: Db,
  f: OrderFilter,
  offset: number,
  limit: number,
  country = DEFAULT_COUNTRY,
): { rows: OrderRow[]; total: number; totalCapped?: true } {
  const w = where(db, f, country);
  if (w.kind === 'scan' || (w.kind === 'none' && f.query?.trim())) {
    // A term many orders match (or the start of a name): its page from the newest orders at once, and its count
    // only up to COUNT_CAP (shown as "10,000+"): counting every match of a million orders would be most of the
    // time the search takes. A common term alone is known to be past the cap without counting.
    const page = (sql: string) =>
      (
        db
          .prepare(`SELECT o.* FROM orders o ${sql} ORDER BY o.created_at DESC, o.id DESC LIMIT ? OFFSET ?`)
          .all(...w.args, limit, offset) as OrderDbRow[]
      ).map(toOrderRow);
    if (w.overCap) return { rows: page(w.sql), total: COUNT_CAP, totalCapped: true };
    const n =
      w.exact ??
      (w.count
        ? (db
            .prepare(`SELECT count(*) FROM (${w.count.sql.replace('count(*)', '1')} LIMIT ${COUNT_CAP + 1})`)
            .pluck()
            .get(...w.count.args) as number)
        : (db
            .prepare(`SELECT count(*) FROM (SELECT 1 FROM orders o ${w.sql} LIMIT ${COUNT_CAP + 1})`)
            .pluck()
            .get(...w.args) as number));
    // The start of a name many customers share: the newest orders walked (its index would sort them all);
    // a rare one is read from the name index.
    const sql = n > 1000 ? w.sql.replace(NAME_PREFIX, `+${NAME_PREFIX}`) : w.sql;
    return n > COUNT_CAP
      ? { rows: page(sql), total: COUNT_CAP, totalCapped: true }
      : { rows: page(sql), total: n };
  }
  const count = () =>
    w.count
      ? (db
          .prepare(w.count.sql)
          .pluck()
          .get(...w.count.args) as number)
      : (db.prepare(`SELECT count(*) AS n FROM orders o ${w.sql}`).get(...w.args) as { n: number }).n;
  if (w.kind !== 'index') {
    // Status, dates and common terms walk the creation-time index (a common term finds a page at once).
    const rows = db
      .prepare(`SELECT o.* FROM orders o ${w.sql} ORDER BY o.created_at DESC, o.id DESC LIMIT ? OFFSET ?`)
      .all(...w.args, limit, offset) as OrderDbRow[];
    return { rows: rows.map(toOrderRow), total: count() };
  }
  // A rare term: the page and the total in one pass, so the trigram lookup runs once, not again for the count.
  // The window sorts narrow rows; only the page's rows are read in full.
  const rows = db
    .prepare(
      `WITH page AS (SELECT o.rowid AS r, o.created_at AS c, o.id AS i, count(*) OVER () AS total_rows FROM orders o ${w.sql}
         ORDER BY o.created_at DESC, o.id DESC LIMIT ? OFFSET ?)
       SELECT o.*, page.total_rows FROM page JOIN orders o ON o.rowid = page.r ORDER BY page.c DESC, page.i DESC`,
    )
    .all(...w.args, limit, offset) as (OrderDbRow & { total_rows: number })[];
  return { rows: rows.map(toOrderRow), total: rows[0]?.total_rows ?? (offset === 0 ? 0 : count()) };
}

export function* iterateOrders(db: Db, f: OrderFilter, country = DEFAULT_COUNTRY): Generator<OrderDbRow> {
  const w = where(db, f, country);
  yield* db
    .prepare(`SELECT o.* FROM orders o ${w.sql} ORDER BY o.created_at DESC, o.id DESC`)
    .iterate(...w.args) as Iterable<OrderDbRow>;
}
