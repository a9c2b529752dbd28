import type { Migration } from './index';

// The event applier's writes, trimmed to what is read (issue 9's apply aim):
// - Order search is indexed in bulk, not row by row. FTS5 writes a segment at every commit that touched it, so
//   an index kept up by triggers paid ~40 µs an order in a page of 25 orders; filled once per sync cycle (the
//   poller's catch-up, a webhook batch, a rebuild) it costs a few µs an order. orders_search_source (a view over
//   orders) is the one definition of the searched text; orders/order-search.ts copies new orders from it into
//   orders_search_text, whose triggers keep the trigram index. An order already indexed is re-indexed by the
//   trigger below when its name, email, phone or number changes; one not yet indexed is picked up as it is.
//   Searches index the tail first, so they never miss an order.
// - The searched text no longer holds the order and PaymentIntent ids: random ids are most of the text's
//   trigrams and nobody types the middle of one. Ids are found by prefix through their own indexes
//   (orders-repo.ts).
// - The trigram index keeps no per-row sizes (columnsize=0: nothing ranks by them).
// - stripe_events_received is gone: the ledger's rowid is the order events were received in.
// - Indexes on columns most rows leave empty (a PaymentIntent's cart, customer, card) hold only the rows that
//   have one: every query on them asks for a value.
export const m009BulkSearchIndex: Migration = {
  name: '009-bulk-search-index',
  up(db) {
    db.exec(`
      DROP INDEX stripe_events_received;

      DROP INDEX payment_intents_cart;
      CREATE INDEX payment_intents_cart ON payment_intents (cart_id) WHERE cart_id IS NOT NULL;
      DROP INDEX payment_intents_customer;
      CREATE INDEX payment_intents_customer ON payment_intents (customer_id) WHERE customer_id IS NOT NULL;
      DROP INDEX payment_intents_payment_method;
      CREATE INDEX payment_intents_payment_method ON payment_intents (payment_method_id)
        WHERE payment_method_id IS NOT NULL;

      DROP TRIGGER orders_search_ai;
      DROP TRIGGER orders_search_au;
      DROP TRIGGER orders_search_ad;
      DROP TRIGGER orders_search_text_ai;
      DROP TRIGGER orders_search_text_ad;
      DROP TRIGGER orders_search_text_au;
      DROP TABLE orders_search;
      DROP TABLE orders_search_text;

      CREATE VIEW orders_search_source AS
        SELECT rowid AS order_rowid,
          coalesce(station_code, '') || coalesce(number, '') || ' ' || customer_name || ' ' || coalesce(customer_email, '') AS text,
          coalesce(phone_digits, '') AS phone
        FROM orders;

      CREATE TABLE orders_search_text (
        order_rowid INTEGER PRIMARY KEY,
        text TEXT NOT NULL,
        phone TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE VIRTUAL TABLE orders_search USING fts5(
        text, phone, content = 'orders_search_text', content_rowid = 'order_rowid',
        tokenize = 'trigram', detail = 'none', columnsize = 0
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

      -- An indexed order whose searched fields changed (one not yet indexed has no row here: nothing to do).
      CREATE TRIGGER orders_search_au AFTER UPDATE OF customer_name, customer_email, phone_digits, number, station_code ON orders
        WHEN old.customer_name IS NOT new.customer_name OR old.customer_email IS NOT new.customer_email
          OR old.phone_digits IS NOT new.phone_digits OR old.number IS NOT new.number
          OR old.station_code IS NOT new.station_code BEGIN
        UPDATE orders_search_text SET (text, phone) = (SELECT s.text, s.phone FROM orders_search_source s WHERE s.order_rowid = new.rowid)
          WHERE order_rowid = new.rowid;
      END;
      CREATE TRIGGER orders_search_ad AFTER DELETE ON orders BEGIN
        DELETE FROM orders_search_text WHERE order_rowid = old.rowid;
      END;

      INSERT INTO orders_search_text (order_rowid, text, phone)
        SELECT order_rowid, text, phone FROM orders_search_source ORDER BY order_rowid;
    `);
  },
};
