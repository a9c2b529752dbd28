// Migration 008: saved cards for waitlist orders — saved_cards and card_setups, the card and last error of a
// PaymentIntent, an order's card wait, and how a cart waits.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../../electron/core/store/db';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'mc-db8-')), 'console.sqlite');

describe('migration 008-saved-cards', () => {
  it('keeps payments, orders and carts as they were and adds the saved-card columns and tables', () => {
    const path = tmp();
    const v7 = openDatabase(path, { targetVersion: 7 });
    v7.exec(`
      INSERT INTO payment_intents (id, status, status_rank, amount, currency, capture_method, snapshot_at, created, updated_at)
        VALUES ('pi_1', 'requires_capture', 5, 8900, 'usd', 'manual', 1, 1, 1);
      INSERT INTO orders (id, payment_intent_id, status, customer_name, lines_json, item_count, currency,
          amount_captured, created_at, updated_at, number, station_code, payment_state)
        VALUES ('ord_1', 'pi_1', 'received', 'Grace Hopper', '[]', 1, 'usd', 0, 1000, 1000, 1042, 'A', 'authorized');
      INSERT INTO carts (id, status, currency, created_by, created_at, updated_at) VALUES ('cart_1', 'on_hold', 'usd', 'Sam', 1, 1);
    `);
    v7.close();
    const db = openDatabase(path, { targetVersion: 8 });
    expect(schemaVersion(db)).toBe(8);
    expect(
      db
        .prepare(
          'SELECT payment_method_id, setup_future_usage, last_error_json, action_url FROM payment_intents',
        )
        .get(),
    ).toEqual({ payment_method_id: null, setup_future_usage: null, last_error_json: null, action_url: null });
    expect(db.prepare('SELECT payment_state, card_wait FROM orders').get()).toEqual({
      payment_state: 'authorized',
      card_wait: null,
    });
    expect(
      db.prepare('SELECT status, wait_mode, hold_saves_card, consent_json, setup_intent_id FROM carts').get(),
    ).toEqual({
      status: 'on_hold',
      wait_mode: null,
      hold_saves_card: 0,
      consent_json: null,
      setup_intent_id: null,
    });
    db.prepare(
      `INSERT INTO saved_cards (id, customer_id, brand, last4, exp_month, exp_year, snapshot_at, updated_at)
       VALUES ('pm_1', 'cus_1', 'visa', '4242', 12, 2030, 1, 1)`,
    ).run();
    expect(db.prepare('SELECT detached FROM saved_cards').pluck().get()).toBe(0);
    db.prepare(
      `INSERT INTO card_setups (id, payment_intent_id, status, status_rank, created, snapshot_at, updated_at)
       VALUES ('seti_1', 'pi_1', 'succeeded', 6, 1, 1, 1)`,
    ).run();
    // The checks hold: an order's card wait and a cart's wait mode take only their values.
    expect(() => db.prepare(`UPDATE orders SET card_wait = 'maybe'`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE carts SET wait_mode = 'forever'`).run()).toThrow(/CHECK/);
    db.prepare(`UPDATE orders SET card_wait = 'action_needed'`).run();
    db.prepare(`UPDATE carts SET wait_mode = 'save_card'`).run();
    db.close();
  });
});
