import type { Migration } from './index';

// When a PaymentIntent was cancelled, as Stripe says (its `canceled_at`, unix seconds): the time of a cancel with
// nothing of ours on it — a saved-card order cancelled in Stripe's Dashboard — the same at every station and at one
// rebuilt from Stripe's list endpoints after the 30-day event window (Today's cancelled orders, the money actions).
// Known here already from the events this station kept; the rest comes with the next snapshot of each.
export const m016PaymentIntentCanceledAt: Migration = {
  name: '016-payment-intent-canceled-at',
  up(db) {
    db.exec(`
      ALTER TABLE payment_intents ADD COLUMN canceled_at INTEGER;
      UPDATE payment_intents SET canceled_at = (
        SELECT coalesce(json_extract(e.payload, '$.data.object.canceled_at'), e.created) FROM stripe_events e
        WHERE e.object_id = payment_intents.id AND e.type = 'payment_intent.canceled'
          AND json_valid(e.payload) ORDER BY e.created LIMIT 1
      )
      WHERE status = 'canceled';
    `);
  },
};
