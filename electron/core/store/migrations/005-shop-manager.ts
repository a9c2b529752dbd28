import type { Migration } from './index';

// What a shop manager reads every day, projected from the shop's record in Stripe:
// - charges: the receipt (receipt_email, receipt_url), the card in words ("Visa •••• 4242") for printed
//   receipts, and the charge's metadata as last seen (order notes `mc_note_*` and the cancellation `mc_cancel`
//   live there, where charge.updated tells every station about them).
// - customers: the customer's metadata as last seen (customer notes `mc_note_*`).
// - orders: the cancellation (who, when, why) once an order was cancelled, NULL otherwise; and what the shop wrote
//   on the order's charge that staff read on the order (notes, the receipt sent), so that a change to them is a
//   change to the order (orders:changed at every station).
// - carts: the shipping fee the order will carry (a line of its own in the order's content).
// - indexes for the glance screen (refunds of a day) and the customer page (a customer's payments).
export const m005ShopManager: Migration = {
  name: '005-shop-manager',
  up(db) {
    db.exec(`
      ALTER TABLE charges ADD COLUMN receipt_email TEXT;
      ALTER TABLE charges ADD COLUMN receipt_url TEXT;
      ALTER TABLE charges ADD COLUMN card_label TEXT;
      ALTER TABLE charges ADD COLUMN metadata_json TEXT;
      ALTER TABLE customers ADD COLUMN metadata_json TEXT;
      ALTER TABLE orders ADD COLUMN cancelled_json TEXT;
      ALTER TABLE orders ADD COLUMN notes_json TEXT;
      ALTER TABLE carts ADD COLUMN shipping_fee INTEGER NOT NULL DEFAULT 0 CHECK (shipping_fee >= 0);
      CREATE INDEX refunds_created ON refunds (created_at);
      CREATE INDEX payment_intents_customer ON payment_intents (customer_id);
    `);
  },
};
