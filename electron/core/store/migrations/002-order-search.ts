import type { Migration } from './index';

// Substring search over orders (customer name, email, order id, PaymentIntent id) that stays fast at
// 100,000 orders: an FTS5 index with the trigram tokenizer, kept in step by triggers, backfilled here.
export const m002OrderSearch: Migration = {
  name: '002-order-search',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE orders_search USING fts5(
        id UNINDEXED, text, tokenize = 'trigram', detail = 'none'
      );
      CREATE TRIGGER orders_search_ai AFTER INSERT ON orders BEGIN
        INSERT INTO orders_search (rowid, id, text)
        VALUES (new.rowid, new.id, new.id || ' ' || new.payment_intent_id || ' ' || new.customer_name || ' ' || coalesce(new.customer_email, ''));
      END;
      CREATE TRIGGER orders_search_au AFTER UPDATE OF customer_name, customer_email ON orders BEGIN
        DELETE FROM orders_search WHERE rowid = old.rowid;
        INSERT INTO orders_search (rowid, id, text)
        VALUES (new.rowid, new.id, new.id || ' ' || new.payment_intent_id || ' ' || new.customer_name || ' ' || coalesce(new.customer_email, ''));
      END;
      CREATE TRIGGER orders_search_ad AFTER DELETE ON orders BEGIN
        DELETE FROM orders_search WHERE rowid = old.rowid;
      END;
      INSERT INTO orders_search (rowid, id, text)
        SELECT rowid, id, id || ' ' || payment_intent_id || ' ' || customer_name || ' ' || coalesce(customer_email, '')
        FROM orders;
    `);
  },
};
