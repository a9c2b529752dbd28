import type { Migration } from './index';

// Pricing the cart (issue 21, part A):
// - carts.discounts_json: the discounts staff gave on the cart (per line and on the order, amount or percentage,
//   reason, who gave them, the manager who allowed them), as typed; carts.pricing_json: the cart as last priced
//   (payments/cart-pricing.ts): totals, tax by jurisdiction, the Stripe Tax calculation, and a digest of what it
//   was priced from, so a payment is refused when the cart moved since.
// - products.tax_code: the Stripe Product's own tax_code (txcd_…; null: the shop's default, taxable goods).
// - customers.tax_exempt: the Stripe Customer's tax_exempt ('none', 'exempt', 'reverse').
export const m013CartPricing: Migration = {
  name: '013-cart-pricing',
  up(db) {
    db.exec(`
      ALTER TABLE carts ADD COLUMN discounts_json TEXT;
      ALTER TABLE carts ADD COLUMN pricing_json TEXT;
      ALTER TABLE products ADD COLUMN tax_code TEXT;
      ALTER TABLE customers ADD COLUMN tax_exempt TEXT;
    `);
  },
};
