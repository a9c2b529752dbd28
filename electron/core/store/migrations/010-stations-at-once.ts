import type { Migration } from './index';
import { anchorAuditChain } from '../../audit/audit-log';

// Several stations at once (issue 19):
// - users.lockouts: lockouts in a row since the last right PIN; each lasts twice the one before.
// - audit_anchor: the audit chain's head (seq, hash), sealed with a key from the keychain, rewritten with every
//   append, so entries deleted from the end of the log are found. The chain found here is anchored as it is.
// - products.received: deliveries since the last count, the sum of every station's own counter (each station
//   writes only its own key on the Stripe Product; see record/rules.ts).
// - stock_sales.restocked_at: a cancelled order's units back on the shelf, at the Stripe time of the cancellation
//   written on its charge — derived from the order, so a cancel seen by every station restocks once.
// - orders_waiting: the waiting orders whose waitlist lines are committed stock (catalog/stock-sql.ts).
// - orders.conflict: "shipped and refunded" (or cancelled) both happened in a true race; shown loudly.
export const m010StationsAtOnce: Migration = {
  name: '010-stations-at-once',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN lockouts INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE audit_anchor (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        seal TEXT NOT NULL
      ) STRICT;
      ALTER TABLE orders ADD COLUMN conflict TEXT;
      ALTER TABLE orders ADD COLUMN conflict_notified INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE stock_sales ADD COLUMN restocked_at INTEGER;
      ALTER TABLE products ADD COLUMN received INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX stock_sales_restocked ON stock_sales (sku, restocked_at) WHERE restocked_at IS NOT NULL;
      CREATE INDEX orders_waiting ON orders (id)
        WHERE (payment_state = 'authorized' OR card_wait IS NOT NULL) AND cancelled_json IS NULL;
    `);
    anchorAuditChain(db);
  },
};
