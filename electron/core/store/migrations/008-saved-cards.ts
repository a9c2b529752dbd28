import type { Migration } from './index';

// Waitlist orders that wait longer than a card authorization lasts: the card is saved (a Stripe Customer's
// PaymentMethod) and charged off-session when the stock arrives. Projected from Stripe like everything shared:
// - saved_cards: a customer's saved cards as Stripe has them (payment_method.attached / .detached), with only
//   what staff may see — brand, last 4, expiry. A detached card is final (Stripe never uses it again).
// - card_setups: the SetupIntents that save a card for a waiting order (their metadata name the order's
//   PaymentIntent): status, the card, the 3DS page while the customer must authenticate, the last error.
// - payment_intents: the card a PaymentIntent is for, its setup_future_usage (a hold that also saved the card),
//   its last error (an off-session charge the bank refused: "customer action needed") and the page the customer
//   completes it on (next_action) while it waits for them.
// - orders.card_wait: 'waiting' (card saved, charged on arrival) or 'action_needed' (the charge needs the
//   customer: the bank asked for authentication, declined, or the card was removed); NULL otherwise.
// - carts: how a waitlist cart waits ('hold' or 'save_card'), whether a hold also saves the card, what the
//   customer agreed to (the words read out, when, by whom, the expected arrival) and its SetupIntent.
export const m008SavedCards: Migration = {
  name: '008-saved-cards',
  up(db) {
    db.exec(`
      CREATE TABLE saved_cards (
        id TEXT PRIMARY KEY,
        customer_id TEXT,
        brand TEXT NOT NULL,
        last4 TEXT NOT NULL,
        exp_month INTEGER NOT NULL,
        exp_year INTEGER NOT NULL,
        detached INTEGER NOT NULL DEFAULT 0,
        snapshot_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX saved_cards_customer ON saved_cards (customer_id);

      CREATE TABLE card_setups (
        id TEXT PRIMARY KEY,
        payment_intent_id TEXT,
        cart_id TEXT,
        customer_id TEXT,
        payment_method_id TEXT,
        status TEXT NOT NULL,
        status_rank INTEGER NOT NULL,
        action_url TEXT,
        last_error_json TEXT,
        created INTEGER NOT NULL,
        snapshot_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX card_setups_payment_intent ON card_setups (payment_intent_id);
      CREATE INDEX card_setups_payment_method ON card_setups (payment_method_id);

      ALTER TABLE payment_intents ADD COLUMN payment_method_id TEXT;
      ALTER TABLE payment_intents ADD COLUMN setup_future_usage TEXT;
      ALTER TABLE payment_intents ADD COLUMN last_error_json TEXT;
      ALTER TABLE payment_intents ADD COLUMN action_url TEXT;
      CREATE INDEX payment_intents_payment_method ON payment_intents (payment_method_id);

      ALTER TABLE orders ADD COLUMN card_wait TEXT
        CHECK (card_wait IS NULL OR card_wait IN ('waiting', 'action_needed'));

      ALTER TABLE carts ADD COLUMN wait_mode TEXT CHECK (wait_mode IS NULL OR wait_mode IN ('hold', 'save_card'));
      ALTER TABLE carts ADD COLUMN hold_saves_card INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE carts ADD COLUMN consent_json TEXT;
      ALTER TABLE carts ADD COLUMN setup_intent_id TEXT;
    `);
  },
};
