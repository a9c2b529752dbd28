import type { Migration } from './index';

export const m001Initial: Migration = {
  name: '001-initial',
  up(db) {
    db.exec(`
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL COLLATE NOCASE UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('staff', 'manager')),
        pin_hash TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE products (
        id TEXT PRIMARY KEY,
        sku TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL,
        unit_amount INTEGER NOT NULL CHECK (unit_amount > 0),
        currency TEXT NOT NULL,
        stock INTEGER NOT NULL CHECK (stock >= 0),
        active INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE customers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT COLLATE NOCASE,
        phone TEXT,
        shipping_json TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX customers_email ON customers (email);
      CREATE INDEX customers_phone ON customers (phone);
      CREATE INDEX customers_name ON customers (name COLLATE NOCASE);

      CREATE TABLE carts (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'on_hold', 'canceled')),
        currency TEXT NOT NULL,
        customer_id TEXT REFERENCES customers (id),
        lines_json TEXT NOT NULL DEFAULT '[]',
        total INTEGER NOT NULL DEFAULT 0,
        waitlist INTEGER NOT NULL DEFAULT 0,
        payment_intent_id TEXT UNIQUE,
        pi_status TEXT,
        last_decline_json TEXT,
        auth_url TEXT,
        pending INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL DEFAULT 0,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX carts_status ON carts (status);

      -- The idempotency journal: written before the first attempt of every POST to Stripe.
      CREATE TABLE stripe_requests (
        key TEXT PRIMARY KEY,
        operation TEXT NOT NULL,
        subject TEXT NOT NULL,
        params_json TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed', 'unknown')),
        attempts INTEGER NOT NULL DEFAULT 0,
        object_id TEXT,
        result_json TEXT,
        error_json TEXT,
        stripe_request_id TEXT,
        actor TEXT,
        confirmed_event_id TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX stripe_requests_open ON stripe_requests (state) WHERE state IN ('pending', 'unknown');
      CREATE INDEX stripe_requests_subject ON stripe_requests (subject, operation);

      -- The event ledger: one row per Stripe event id, ever.
      CREATE TABLE stripe_events (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        created INTEGER NOT NULL,
        object_id TEXT,
        request_id TEXT,
        idempotency_key TEXT,
        source TEXT NOT NULL CHECK (source IN ('poll', 'webhook', 'backfill')),
        outcome TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        payload TEXT NOT NULL
      ) STRICT;
      CREATE INDEX stripe_events_object ON stripe_events (object_id, created);
      CREATE INDEX stripe_events_received ON stripe_events (received_at);

      -- What the console knows of each PaymentIntent; only ever moves forward.
      CREATE TABLE payment_intents (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        status_rank INTEGER NOT NULL,
        amount INTEGER NOT NULL,
        amount_capturable INTEGER NOT NULL DEFAULT 0,
        amount_received INTEGER NOT NULL DEFAULT 0,
        amount_refunded INTEGER NOT NULL DEFAULT 0,
        currency TEXT NOT NULL,
        capture_method TEXT NOT NULL,
        capture_before INTEGER,
        latest_charge TEXT,
        cart_id TEXT,
        cancellation_reason TEXT,
        customer_name TEXT,
        -- When the snapshot we hold was taken (event.created, or read-back time), unix seconds.
        snapshot_at INTEGER NOT NULL,
        needs_read_back INTEGER NOT NULL DEFAULT 0,
        created INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX payment_intents_cart ON payment_intents (cart_id);

      CREATE TABLE holds (
        payment_intent_id TEXT PRIMARY KEY,
        cart_id TEXT,
        status TEXT NOT NULL CHECK (status IN ('authorized', 'captured', 'partially_captured', 'released', 'expired')),
        currency TEXT NOT NULL,
        amount_authorized INTEGER NOT NULL,
        amount_capturable INTEGER NOT NULL,
        amount_captured INTEGER NOT NULL DEFAULT 0,
        authorized_at INTEGER NOT NULL,
        expires_at INTEGER,
        version INTEGER NOT NULL DEFAULT 0,
        pending_action TEXT,
        notified_level INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX holds_expiry ON holds (status, expires_at);

      CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        payment_intent_id TEXT NOT NULL UNIQUE,
        cart_id TEXT,
        status TEXT NOT NULL CHECK (status IN ('received', 'processing', 'shipped')),
        customer_name TEXT NOT NULL,
        customer_email TEXT,
        customer_json TEXT,
        lines_json TEXT NOT NULL,
        item_count INTEGER NOT NULL,
        currency TEXT NOT NULL,
        amount_captured INTEGER NOT NULL,
        amount_refunded INTEGER NOT NULL DEFAULT 0,
        carrier TEXT,
        tracking_number TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX orders_created ON orders (created_at DESC);
      CREATE INDEX orders_status_created ON orders (status, created_at DESC);

      CREATE TABLE refunds (
        id TEXT PRIMARY KEY,
        payment_intent_id TEXT NOT NULL,
        amount INTEGER NOT NULL,
        status TEXT NOT NULL,
        reason TEXT,
        idempotency_key TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX refunds_pi ON refunds (payment_intent_id);

      -- Append-only, hash-chained: each row's hash covers the previous row's hash.
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        station TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        idempotency_key TEXT,
        stripe_request_id TEXT,
        before_json TEXT,
        after_json TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_subject ON audit_log (subject);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

      CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    `);
  },
};
