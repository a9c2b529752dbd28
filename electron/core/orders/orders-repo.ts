// Orders (repository for the orders table). An order is made from `payment_intent.succeeded` and keyed on
// the PaymentIntent id — the order id itself is derived from it — so a duplicate order cannot exist.
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { CartLine, OrderFilter, OrderRow, OrderStatus } from '../../ipc/contract';

export interface OrderDbRow {
  id: string;
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
  created_at: number;
  updated_at: number;
}

export const orderIdFor = (paymentIntentId: string): string => `ord_${paymentIntentId.replace(/^pi_/, '')}`;

export const toOrderRow = (r: OrderDbRow): OrderRow => ({
  id: r.id,
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
 * Create the order for a succeeded PaymentIntent made by this console (metadata.cart_id), with the cart's
 * items and customer. Returns the order id if one was created now, null if it existed or isn't ours.
 */
export function createOrderFromPaymentIntent(
  db: Db,
  pi: Stripe.PaymentIntent,
  createdAtMs: number,
  nowMs: number,
): string | null {
  const cartId = (pi.metadata?.cart_id as string | undefined) ?? null;
  if (!cartId) return null;
  const cart = db.prepare('SELECT lines_json, customer_id FROM carts WHERE id = ?').get(cartId) as
    { lines_json: string; customer_id: string | null } | undefined;
  const customer = cart?.customer_id
    ? (db
        .prepare('SELECT name, email, phone, shipping_json FROM customers WHERE id = ?')
        .get(cart.customer_id) as
        | { name: string; email: string | null; phone: string | null; shipping_json: string | null }
        | undefined)
    : undefined;
  const lines = cart ? (JSON.parse(cart.lines_json) as CartLine[]) : [];
  const name = customer?.name ?? ((pi.metadata?.customer_name as string | undefined) || 'Unknown customer');
  const id = orderIdFor(pi.id);
  const info = db
    .prepare(
      `INSERT INTO orders (id, payment_intent_id, cart_id, status, customer_name, customer_email, customer_json, lines_json,
         item_count, currency, amount_captured, amount_refunded, created_at, updated_at)
       VALUES (?, ?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT (payment_intent_id) DO NOTHING`,
    )
    .run(
      id,
      pi.id,
      cartId,
      name,
      customer?.email ?? pi.receipt_email ?? null,
      customer ? JSON.stringify({ ...customer, id: cart?.customer_id }) : null,
      JSON.stringify(lines),
      lines.reduce((n, l) => n + l.quantity, 0),
      pi.currency,
      pi.amount_received,
      createdAtMs,
      nowMs,
    );
  if (info.changes === 0) {
    // Already there: amounts only move forward (a later capture snapshot, never an older one).
    db.prepare('UPDATE orders SET amount_captured = max(amount_captured, ?) WHERE payment_intent_id = ?').run(
      pi.amount_received,
      pi.id,
    );
    return null;
  }
  db.prepare(`UPDATE carts SET status = 'paid' WHERE id = ? AND status != 'paid'`).run(cartId);
  return id;
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

function where(f: OrderFilter): { sql: string; args: unknown[] } {
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
  if (q) {
    if (q.length >= 3) {
      // Trigram index: substring match on id, PaymentIntent id, customer name and email.
      // (LIKE on the FTS5 table is answered by the trigram index; MATCH phrases need detail=full.)
      clauses.push(`o.rowid IN (SELECT rowid FROM orders_search WHERE text LIKE ? ESCAPE '\\')`);
      args.push(`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    } else {
      clauses.push(`(o.customer_name LIKE ? ESCAPE '\\' OR o.id LIKE ? ESCAPE '\\')`);
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      args.push(like, like);
    }
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args };
}

export function listOrders(
  db: Db,
  f: OrderFilter,
  offset: number,
  limit: number,
): { rows: OrderRow[]; total: number } {
  const w = where(f);
  const rows = db
    .prepare(`SELECT o.* FROM orders o ${w.sql} ORDER BY o.created_at DESC, o.id DESC LIMIT ? OFFSET ?`)
    .all(...w.args, limit, offset) as OrderDbRow[];
  const total = (db.prepare(`SELECT count(*) AS n FROM orders o ${w.sql}`).get(...w.args) as { n: number }).n;
  return { rows: rows.map(toOrderRow), total };
}

export function* iterateOrders(db: Db, f: OrderFilter): Generator<OrderDbRow> {
  const w = where(f);
  yield* db
    .prepare(`SELECT o.* FROM orders o ${w.sql} ORDER BY o.created_at DESC, o.id DESC`)
    .iterate(...w.args) as Iterable<OrderDbRow>;
}
