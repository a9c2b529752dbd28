import type { Migration } from './index';

// Orders get a short number staff can read to a customer on the phone (#1001, #1002, …), in the order they
// were paid. Existing orders are numbered by creation time.
export const m003OrderNumbers: Migration = {
  name: '003-order-numbers',
  up(db) {
    db.exec(`
      ALTER TABLE orders ADD COLUMN number INTEGER;
      UPDATE orders SET number = n.num
        FROM (SELECT rowid AS rid, 1000 + row_number() OVER (ORDER BY created_at, rowid) AS num FROM orders) AS n
        WHERE orders.rowid = n.rid;
      CREATE UNIQUE INDEX orders_number ON orders (number);
    `);
  },
};
