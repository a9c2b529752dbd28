import type { Migration } from './index';

// What Stripe says about the money after a payment: disputes (chargebacks and inquiries), early fraud
// warnings, and refunds that fail later. All projected from Stripe's objects (the same at every station).
export const m007MoneySignals: Migration = {
  name: '007-money-signals',
  up(db) {
    db.exec(`
      CREATE TABLE disputes (
        id TEXT PRIMARY KEY,
        charge_id TEXT,
        payment_intent_id TEXT,
        amount INTEGER NOT NULL,
        currency TEXT NOT NULL,
        reason TEXT NOT NULL,
        status TEXT NOT NULL,
        due_by INTEGER,
        created INTEGER NOT NULL,
        snapshot_at INTEGER NOT NULL,
        notified INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX disputes_pi ON disputes (payment_intent_id);
      CREATE INDEX disputes_charge ON disputes (charge_id);

      CREATE TABLE fraud_warnings (
        id TEXT PRIMARY KEY,
        charge_id TEXT,
        payment_intent_id TEXT,
        fraud_type TEXT NOT NULL,
        actionable INTEGER NOT NULL,
        created INTEGER NOT NULL,
        snapshot_at INTEGER NOT NULL,
        notified INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX fraud_warnings_pi ON fraud_warnings (payment_intent_id);

      ALTER TABLE refunds ADD COLUMN failure_reason TEXT;
      ALTER TABLE refunds ADD COLUMN requested_by TEXT;
      ALTER TABLE refunds ADD COLUMN snapshot_at INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE refunds ADD COLUMN notified INTEGER NOT NULL DEFAULT 0;
      -- Refunds known before this version were told about already.
      UPDATE refunds SET notified = 1;
    `);
  },
};
