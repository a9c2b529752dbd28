import type { Migration } from './index';

// One instant for "when the order was placed" (issue 23 item 10): Stripe's creation time of the order's first
// PaymentIntent. Earlier versions dated an order by its charge when the station knew the charge at the time it
// projected the order, else by the PaymentIntent, so a 3D Secure order (charged minutes after it was placed) read
// differently at the station that took it and at one rebuilt from Stripe. Every order known here is dated again.
// And payments in progress (payments/in-progress.ts: made, not yet paid, held or cancelled) are found from a partial
// index of the few PaymentIntents in those states, not a scan of them all; the cancelled orders (managers' money
// actions, orders/money-actions.ts) likewise.
export const m012OrderPlacedAt: Migration = {
  name: '012-order-placed-at',
  up(db) {
    db.exec(`
      UPDATE orders SET created_at = (
        SELECT p.created * 1000 FROM payment_intents p WHERE p.id = 'pi_' || substr(orders.id, 5)
      )
      WHERE EXISTS (
        SELECT 1 FROM payment_intents p
        WHERE p.id = 'pi_' || substr(orders.id, 5) AND p.created * 1000 != orders.created_at
      );
      CREATE INDEX payment_intents_in_progress ON payment_intents (created)
        WHERE status IN ('requires_payment_method', 'requires_confirmation', 'requires_action', 'processing');
      CREATE INDEX orders_cancelled ON orders (payment_intent_id) WHERE cancelled_json IS NOT NULL;
    `);
  },
};
