import type { Migration } from './index';

// "The 10 now and 15 waiting" (issue 23 item 13): a cart asked for more of a product than is available may keep
// the units in stock and send the rest to a second cart of the same customer, its waiting part, paid in the same
// checkout with the same card (held, or the card saved, as the customer chose).
// - carts.waiting_cart_id: the cart's waiting part (a cart of its own, with its own order number);
// - carts.waiting_of: on the waiting part, the cart it was split from. Its lines always wait for stock: the units
//   on hand are the first cart's.
// Both are this station's (carts are): the orders they become are two PaymentIntents in Stripe, each whole.
export const m015SplitCarts: Migration = {
  name: '015-split-carts',
  up(db) {
    db.exec(`
      ALTER TABLE carts ADD COLUMN waiting_cart_id TEXT;
      ALTER TABLE carts ADD COLUMN waiting_of TEXT;
    `);
  },
};
