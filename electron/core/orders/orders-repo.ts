// Orders (repository for the orders table). An order is made from `payment_intent.succeeded` and keyed on
// the PaymentIntent id — the order id itself is derived from it — so a duplicate order cannot exist.
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import { parseOrderNumber } from './order-metadata';
import type { OrderFilter, OrderRow, OrderStatus } from '../../ipc/contract';

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
});

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

function where(f: OrderFilter): { sql: string; args: unknown[]; indexed: boolean } {
  const clauses: string[] = [];
  const args: unknown[] = [];
  if (f.status) {
    clauses.push('o.status = ?');
    args.push(f.status);
  }
  if (f.from !== undefined) {
    clauses.push('o.created_at >= ?');
    args.push(f.from);
  }
  if (f.to !== undefined) {
    clauses.push('o.created_at < ?');
    args.push(f.to);
  }
  const q = f.query?.trim();
  let indexed = false;
  const parsed = q ? parseOrderNumber(q) : null;
  const number =
    parsed && (parsed.code !== null || parsed.number >= 1000 || q!.startsWith('#')) ? parsed : null;
  if (q && number) {
    // An order number, as read out on the phone: "A1042", "#A1042", or just "1042" (any station's).
    clauses.push(number.code ? 'o.number = ? AND o.station_code = ?' : 'o.number = ?');
    args.push(number.number);
    if (number.code) args.push(number.code);
  } else if (q) {
    if (/[^%_]{3}/.test(q)) {
      indexed = true;
      // Trigram index (migration 002): substring match on order id, PaymentIntent id, customer name and
      // email, any case. FTS5 answers LIKE on a trigram table from its index (MATCH can't: detail=none
      // refuses the phrase every query of 4+ characters becomes). In LIKE, `_` and `%` are wildcards
      // (ids are full of `_`), so those queries are checked again literally.
      clauses.push(
        /[%_]/.test(q)
          ? `o.rowid IN (SELECT rowid FROM orders_search WHERE text LIKE ? AND instr(lower(text), ?) > 0)`
          : `o.rowid IN (SELECT rowid FROM orders_search WHERE text LIKE ?)`,
      );
      args.push(`%${q}%`);
      if (/[%_]/.test(q)) args.push(q.toLowerCase());
    } else if (!/[%_\\]/.test(q)) {
      // One or two characters: the start of the customer's name, from its NOCASE index (migration 003) —
      // a substring scan of 100,000 rows for two letters would cost more than it finds.
      clauses.push('o.customer_name LIKE ?');
      args.push(`${q}%`);
    } else {
      // Short queries with wildcard characters in them: a literal scan of name, email and id.
      clauses.push(
        `(o.customer_name LIKE ? ESCAPE '\\' OR o.customer_email LIKE ? ESCAPE '\\' OR o.id LIKE ? ESCAPE '\\')`,
      );
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      args.push(like, like, like);
    }
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args, indexed };
}

export function listOrders(
  db: Db,
  f: OrderFilter,
  offset: number,
  limit: number,
): { rows: OrderRow[]; total: number } {
  const w = where(f);
  const count = () =>
    (db.prepare(`SELECT count(*) AS n FROM orders o ${w.sql}`).get(...w.args) as { n: number }).n;
  if (!w.indexed) {
    // Status and dates walk an index; the count is cheap beside it.
    const rows = db
      .prepare(`SELECT o.* FROM orders o ${w.sql} ORDER BY o.created_at DESC, o.id DESC LIMIT ? OFFSET ?`)
      .all(...w.args, limit, offset) as OrderDbRow[];
    return { rows: rows.map(toOrderRow), total: count() };
  }
  // A search: the page and the total in one pass, so the trigram lookup runs once, not again for the count.
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

export function* iterateOrders(db: Db, f: OrderFilter): Generator<OrderDbRow> {
  const w = where(f);
  yield* db
    .prepare(`SELECT o.* FROM orders o ${w.sql} ORDER BY o.created_at DESC, o.id DESC`)
    .iterate(...w.args) as Iterable<OrderDbRow>;
}
