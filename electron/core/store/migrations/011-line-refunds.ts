import type { Migration } from './index';

// A refund of an order line (issue 23): which line and how many units it refunded, and whether they went back on
// the shelf — read from the refund's own metadata in Stripe (mc_line, record/rules.ts), so every station, and a
// station rebuilt from nothing, marks the line and counts the restock the same way (catalog/stock-sql.ts).
export const m011LineRefunds: Migration = {
  name: '011-line-refunds',
  up(db) {
    db.exec(`
      ALTER TABLE refunds ADD COLUMN line_sku TEXT COLLATE NOCASE;
      ALTER TABLE refunds ADD COLUMN line_quantity INTEGER;
      ALTER TABLE refunds ADD COLUMN restock INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX refunds_restock ON refunds (line_sku, created_at) WHERE restock = 1;
    `);
  },
};
