import type { Migration } from './index';

// Tax and discounts after the payment (issue 21): what an order's PaymentIntent records of its pricing
// (orders/pricing-metadata.ts), projected with the order by the applier, so lists, the CSV and Today add it up
// without decoding metadata. Every value is derived from Stripe (a rebuilt station shows the same):
// - orders.subtotal: the lines as captured, before discounts (null: an order projected before this migration,
//   until its PaymentIntent is applied again); discount_total: their discounts;
// - orders.tax_total: the tax recorded for the order as it stands — what was charged or held (a capture by lines:
//   the tax of those lines, mc_cap_tax), 0 for a released hold; shipping_fee and shipping_tax (in tax_total);
// - orders.tax_json: that tax by jurisdiction [{jurisdiction, level, type, country, state, ratePpm, amount}];
// - orders.tax_mode ('none' | 'rates' | 'stripe_tax', null: no tax recorded), tax_inclusive, tax_exempt (the
//   exempt customer's reason or certificate), discount_by, discount_approved_by, discount_reasons (JSON array);
// - refunds.tax: the tax a refund took back, from its own metadata (mc_tax_back).
export const m014OrderPricing: Migration = {
  name: '014-order-pricing',
  up(db) {
    db.exec(`
      ALTER TABLE orders ADD COLUMN subtotal INTEGER;
      ALTER TABLE orders ADD COLUMN discount_total INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE orders ADD COLUMN tax_total INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE orders ADD COLUMN shipping_fee INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE orders ADD COLUMN shipping_tax INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE orders ADD COLUMN tax_json TEXT;
      ALTER TABLE orders ADD COLUMN tax_mode TEXT CHECK (tax_mode IS NULL OR tax_mode IN ('none', 'rates', 'stripe_tax'));
      ALTER TABLE orders ADD COLUMN tax_inclusive INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE orders ADD COLUMN tax_exempt TEXT;
      ALTER TABLE orders ADD COLUMN discount_by TEXT;
      ALTER TABLE orders ADD COLUMN discount_approved_by TEXT;
      ALTER TABLE orders ADD COLUMN discount_reasons TEXT;
      ALTER TABLE refunds ADD COLUMN tax INTEGER NOT NULL DEFAULT 0;
    `);
  },
};
