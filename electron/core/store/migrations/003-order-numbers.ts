import type { Migration } from './index';

// Orders get a short number staff can read to a customer on the phone (#1001, #1002, …), in the order they
// were paid; existing orders are numbered by creation time. And an index for searching by the start of a name.
export const m003OrderNumbers: Migration = {
  name: '003-order-numbers',
  up(db) {
    db.exec(`
      ALTER TABLE orders ADD COLUMN number INTEGER;
      UPDATE orders SET number = n.num
        FROM (SELECT rowid AS rid, 1000 + row_number() OVER (ORDER BY created_at, rowid) AS num FROM orders) AS n
        WHERE orders.rowid = n.rid;
      CREATE UNIQUE INDEX orders_number ON orders (number);
      -- One- and two-letter searches match the start of the customer's name from this index.
      CREATE INDEX orders_name_nocase ON orders (customer_name COLLATE NOCASE);
    `);
  },
};
