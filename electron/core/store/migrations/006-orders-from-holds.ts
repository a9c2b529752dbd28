import type { Migration } from './index';
import { phoneDigits } from '../../../ipc/phone';

// Orders from the moment a hold is placed, found by phone, and a search that stays fast for any term:
// - orders.payment_state: 'authorized' (a waitlist order awaiting stock: the card is held, not charged), 'paid',
//   or 'canceled' (the hold was released or lapsed). Fulfillment status stays as it was (received → shipped).
// - orders.amount_total: what the order is for (the amount authorized), beside amount_captured.
// - orders.delivery: 'ship', 'collect' (collected in person), or NULL (not said: older orders, other tools).
// - orders.phone_digits / customers.phone_digits: the customer's phone as digits (E.164's, country code
//   included), which search matches however a number is typed.
// - carts.delivery: what the cart will be (ship or collect), sent with the order's content.
// - search: the text searched (order number, ids, name, email) and the phone digits live in a narrow plain
//   table, orders_search_text, kept in step by triggers; orders_search becomes an external-content trigram
//   index over it. A rare term is answered from the index; a term most orders match is cheaper as a scan of
//   the narrow table than as the index's long lists (orders-repo.ts decides by probing the index).
export const m006OrdersFromHolds: Migration = {
  name: '006-orders-from-holds',
  up(db) {
    db.exec(`
      ALTER TABLE orders ADD COLUMN payment_state TEXT NOT NULL DEFAULT 'paid'
        CHECK (payment_state IN ('authorized', 'paid', 'canceled'));
      ALTER TABLE orders ADD COLUMN amount_total INTEGER;
      ALTER TABLE orders ADD COLUMN delivery TEXT CHECK (delivery IS NULL OR delivery IN ('ship', 'collect'));
      ALTER TABLE orders ADD COLUMN phone_digits TEXT;
      ALTER TABLE customers ADD COLUMN phone_digits TEXT;
      ALTER TABLE carts ADD COLUMN delivery TEXT CHECK (delivery IS NULL OR delivery IN ('ship', 'collect'));
      UPDATE orders SET amount_total = coalesce(
        (SELECT p.amount FROM payment_intents p WHERE p.id = orders.payment_intent_id), amount_captured);
      CREATE INDEX orders_payment_created ON orders (payment_state, created_at DESC);
    `);
    const setOrder = db.prepare('UPDATE orders SET phone_digits = ? WHERE rowid = ?');
    for (const r of db
      .prepare(
        `SELECT rowid AS rid, json_extract(customer_json, '$.phone') AS phone FROM orders WHERE customer_json IS NOT NULL`,
      )
      .all() as { rid: number; phone: string | null }[]) {
      const d = phoneDigits(r.phone);
      if (d) setOrder.run(d, r.rid);
    }
    const setCustomer = db.prepare('UPDATE customers SET phone_digits = ? WHERE id = ?');
    for (const r of db.prepare('SELECT id, phone FROM customers WHERE phone IS NOT NULL').all() as {
      id: string;
      phone: string;
    }[]) {
      const d = phoneDigits(r.phone);
      if (d) setCustomer.run(d, r.id);
    }
    const text = (o: string) =>
      `${o}.id || ' ' || ${o}.payment_intent_id || ' ' || coalesce(${o}.station_code, '') || coalesce(${o}.number, '') || ' ' || ${o}.customer_name || ' ' || coalesce(${o}.customer_email, '')`;
    db.exec(`
      CREATE INDEX customers_phone_digits ON customers (phone_digits);

      DROP TRIGGER IF EXISTS orders_search_ai;
      DROP TRIGGER IF EXISTS orders_search_au;
      DROP TRIGGER IF EXISTS orders_search_ad;
      DROP TABLE orders_search;

      CREATE TABLE orders_search_text (
        order_rowid INTEGER PRIMARY KEY,
        text TEXT NOT NULL,
        phone TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE VIRTUAL TABLE orders_search USING fts5(
        text, phone, content = 'orders_search_text', content_rowid = 'order_rowid',
        tokenize = 'trigram', detail = 'none'
      );

      CREATE TRIGGER orders_search_text_ai AFTER INSERT ON orders_search_text BEGIN
        INSERT INTO orders_search (rowid, text, phone) VALUES (new.order_rowid, new.text, new.phone);
      END;
      CREATE TRIGGER orders_search_text_ad AFTER DELETE ON orders_search_text BEGIN
        INSERT INTO orders_search (orders_search, rowid, text, phone) VALUES ('delete', old.order_rowid, old.text, old.phone);
      END;
      CREATE TRIGGER orders_search_text_au AFTER UPDATE ON orders_search_text BEGIN
        INSERT INTO orders_search (orders_search, rowid, text, phone) VALUES ('delete', old.order_rowid, old.text, old.phone);
        INSERT INTO orders_search (rowid, text, phone) VALUES (new.order_rowid, new.text, new.phone);
      END;

      CREATE TRIGGER orders_search_ai AFTER INSERT ON orders BEGIN
        INSERT INTO orders_search_text (order_rowid, text, phone)
        VALUES (new.rowid, ${text('new')}, coalesce(new.phone_digits, ''));
      END;
      -- Orders are brought up to date from every snapshot of their payment: re-index only a real change.
      CREATE TRIGGER orders_search_au AFTER UPDATE OF customer_name, customer_email, phone_digits, number, station_code ON orders
        WHEN old.customer_name IS NOT new.customer_name OR old.customer_email IS NOT new.customer_email
          OR old.phone_digits IS NOT new.phone_digits OR old.number IS NOT new.number
          OR old.station_code IS NOT new.station_code BEGIN
        UPDATE orders_search_text SET text = ${text('new')}, phone = coalesce(new.phone_digits, '')
          WHERE order_rowid = new.rowid;
      END;
      CREATE TRIGGER orders_search_ad AFTER DELETE ON orders BEGIN
        DELETE FROM orders_search_text WHERE order_rowid = old.rowid;
      END;

      INSERT INTO orders_search_text (order_rowid, text, phone)
        SELECT o.rowid, ${text('o')}, coalesce(o.phone_digits, '') FROM orders o;
    `);
  },
};
