import type { Migration } from './index';

// Stripe becomes the shop's shared record; this database becomes a projection of it (plus what belongs to this
// station alone). What changes:
// - products: keyed on Stripe's prod_ id, priced by a Stripe Price, stock = the manager's count minus units
//   sold after it (stock_sales). SKU is no longer UNIQUE: two stations may create one SKU in the same moment,
//   and a projection must take whatever Stripe holds (the catalog flags the duplicate instead).
// - customers, products and orders made by an older version here are marked unpublished (published = 0): the
//   publisher writes them to Stripe once, idempotently, then marks them published.
// - orders: a station code beside the per-station number ("A1042"), who took the order, the charge that
//   carries the fulfillment, the ship-to address. The number is no longer unique on its own.
// - payment_intents: the order content decoded from the PaymentIntent's metadata, its customer and shipping,
//   so holds and orders of every station read the same.
// - charges: what each charge says (deadline, refunds, fulfillment) even before its PaymentIntent is known.
// - stock_sales: units each payment took out of stock, and when (Stripe's time).
// - station: this station's own identity (id, code, next number): never shared.
export const m004SharedRecord: Migration = {
  name: '004-shared-record',
  up(db) {
    db.exec(`
      CREATE TABLE products_v4 (
        id TEXT PRIMARY KEY,
        sku TEXT NOT NULL COLLATE NOCASE,
        name TEXT NOT NULL,
        price_id TEXT,
        unit_amount INTEGER CHECK (unit_amount IS NULL OR unit_amount > 0),
        currency TEXT NOT NULL,
        stock INTEGER NOT NULL CHECK (stock >= 0),
        stock_counted_at INTEGER NOT NULL DEFAULT 0,
        stock_counted_by TEXT,
        lead_time_days INTEGER,
        active INTEGER NOT NULL DEFAULT 1,
        published INTEGER NOT NULL DEFAULT 1,
        snapshot_at INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      INSERT INTO products_v4 (id, sku, name, price_id, unit_amount, currency, stock, stock_counted_at, active,
          published, snapshot_at, created_at, updated_at)
        SELECT id, sku, name, NULL, unit_amount, currency, stock, 0, active, 0, 0, created_at, updated_at FROM products;
      DROP TABLE products;
      ALTER TABLE products_v4 RENAME TO products;
      CREATE INDEX products_sku ON products (sku);
      CREATE INDEX products_name ON products (name COLLATE NOCASE);

      CREATE TABLE prices (
        id TEXT PRIMARY KEY,
        product_id TEXT NOT NULL,
        unit_amount INTEGER,
        currency TEXT NOT NULL,
        active INTEGER NOT NULL,
        created INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX prices_product ON prices (product_id);

      ALTER TABLE customers ADD COLUMN published INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE customers ADD COLUMN snapshot_at INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE customers ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
      UPDATE customers SET published = 0;

      ALTER TABLE carts ADD COLUMN customer_json TEXT;
      ALTER TABLE carts ADD COLUMN station_code TEXT;
      ALTER TABLE carts ADD COLUMN number INTEGER;
      -- A digest of the order details last written to the PaymentIntent (lines, customer, shipping, receipt email).
      ALTER TABLE carts ADD COLUMN pi_details TEXT;
      UPDATE carts SET customer_json = (SELECT json_object('name', c.name, 'email', c.email, 'phone', c.phone,
          'shipping', json(c.shipping_json)) FROM customers c WHERE c.id = carts.customer_id)
        WHERE customer_id IS NOT NULL;

      ALTER TABLE payment_intents ADD COLUMN content_json TEXT;
      ALTER TABLE payment_intents ADD COLUMN customer_id TEXT;
      ALTER TABLE payment_intents ADD COLUMN shipping_json TEXT;
      ALTER TABLE payment_intents ADD COLUMN receipt_email TEXT;

      DROP INDEX orders_number;
      ALTER TABLE orders ADD COLUMN station_code TEXT;
      ALTER TABLE orders ADD COLUMN station_id TEXT;
      ALTER TABLE orders ADD COLUMN taken_by TEXT;
      ALTER TABLE orders ADD COLUMN charge_id TEXT;
      ALTER TABLE orders ADD COLUMN shipping_json TEXT;
      ALTER TABLE orders ADD COLUMN fulfilled_by TEXT;
      ALTER TABLE orders ADD COLUMN published INTEGER NOT NULL DEFAULT 1;
      UPDATE orders SET published = 0,
        charge_id = (SELECT latest_charge FROM payment_intents p WHERE p.id = orders.payment_intent_id);
      CREATE INDEX orders_number ON orders (number, station_code);
      -- Orders are now brought up to date from every snapshot of their payment: re-index a name or email
      -- only when it really changed.
      DROP TRIGGER orders_search_au;
      CREATE TRIGGER orders_search_au AFTER UPDATE OF customer_name, customer_email ON orders
        WHEN old.customer_name IS NOT new.customer_name OR old.customer_email IS NOT new.customer_email BEGIN
        DELETE FROM orders_search WHERE rowid = old.rowid;
        INSERT INTO orders_search (rowid, id, text)
        VALUES (new.rowid, new.id, new.id || ' ' || new.payment_intent_id || ' ' || new.customer_name || ' ' || coalesce(new.customer_email, ''));
      END;

      CREATE TABLE charges (
        id TEXT PRIMARY KEY,
        payment_intent_id TEXT,
        amount INTEGER NOT NULL,
        amount_captured INTEGER NOT NULL DEFAULT 0,
        amount_refunded INTEGER NOT NULL DEFAULT 0,
        captured INTEGER NOT NULL DEFAULT 0,
        capture_before INTEGER,
        -- Fulfillment written on the charge: 0 received, 1 processing, 2 shipped; only ever moves forward.
        fulfillment_rank INTEGER NOT NULL DEFAULT 0,
        fulfilled_by TEXT,
        carrier TEXT,
        tracking_number TEXT,
        ship_json TEXT,
        created INTEGER NOT NULL,
        snapshot_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX charges_pi ON charges (payment_intent_id);
      INSERT INTO charges (id, payment_intent_id, amount, amount_captured, amount_refunded, captured,
          capture_before, fulfillment_rank, carrier, tracking_number, created, snapshot_at)
        SELECT p.latest_charge, p.id, p.amount, p.amount_received, p.amount_refunded, p.status = 'succeeded',
          p.capture_before, coalesce((SELECT CASE o.status WHEN 'shipped' THEN 2 WHEN 'processing' THEN 1 ELSE 0 END
            FROM orders o WHERE o.payment_intent_id = p.id), 0),
          (SELECT o.carrier FROM orders o WHERE o.payment_intent_id = p.id),
          (SELECT o.tracking_number FROM orders o WHERE o.payment_intent_id = p.id),
          p.created, 0
        FROM payment_intents p WHERE p.latest_charge IS NOT NULL;

      CREATE TABLE stock_sales (
        payment_intent_id TEXT NOT NULL,
        sku TEXT NOT NULL COLLATE NOCASE,
        quantity INTEGER NOT NULL,
        sold_at INTEGER NOT NULL,
        PRIMARY KEY (payment_intent_id, sku)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX stock_sales_sku ON stock_sales (sku, sold_at);

      -- Stations seen in the shop's PaymentIntents (code, name, newest number), this one included.
      CREATE TABLE stations (
        id TEXT PRIMARY KEY,
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        max_number INTEGER NOT NULL DEFAULT 0,
        last_seen INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX stations_code ON stations (code);
    `);
  },
};
