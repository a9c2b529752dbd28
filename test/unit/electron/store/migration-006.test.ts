// Migration 006: orders get a payment state (waitlist orders exist from the hold), a total, a delivery and the
// customer's phone digits; search moves to a narrow table with an external-content trigram index over it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../../electron/core/store/db';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'mc-db6-')), 'console.sqlite');

describe('migration 006-orders-from-holds', () => {
  it('keeps every order, fills the new columns from what is known, and re-indexes search with phone digits', () => {
    const path = tmp();
    const v5 = openDatabase(path, { targetVersion: 5 });
    v5.exec(`
      INSERT INTO payment_intents (id, status, status_rank, amount, amount_received, currency, capture_method, snapshot_at, created, updated_at)
        VALUES ('pi_1', 'succeeded', 6, 8900, 5000, 'usd', 'manual', 1, 1, 1);
      INSERT INTO orders (id, payment_intent_id, status, customer_name, customer_email, customer_json, lines_json, item_count, currency,
          amount_captured, created_at, updated_at, number, station_code)
        VALUES ('ord_1', 'pi_1', 'shipped', 'Grace Hopper', 'grace@navy.example',
          '{"name":"Grace Hopper","phone":"+1 (555) 010-1234"}', '[]', 1, 'usd', 5000, 1000, 1000, 1042, 'A'),
        ('ord_2', 'pi_2', 'received', 'Alan Turing', NULL, NULL, '[]', 1, 'usd', 700, 2000, 2000, 1043, 'A');
      INSERT INTO customers (id, name, phone, created_at, updated_at) VALUES ('cus_1', 'Grace Hopper', '+1 555-010-1234', 1, 1);
    `);
    v5.close();
    const db = openDatabase(path, { targetVersion: 6 });
    expect(schemaVersion(db)).toBe(6);
    expect(
      db
        .prepare('SELECT id, payment_state, amount_total, phone_digits, delivery FROM orders ORDER BY id')
        .all(),
    ).toEqual([
      { id: 'ord_1', payment_state: 'paid', amount_total: 8900, phone_digits: '15550101234', delivery: null },
      { id: 'ord_2', payment_state: 'paid', amount_total: 700, phone_digits: null, delivery: null },
    ]);
    expect(db.prepare('SELECT phone_digits FROM customers').pluck().get()).toBe('15550101234');

    const text = (q: string) =>
      db
        .prepare(
          'SELECT o.id FROM orders o WHERE o.rowid IN (SELECT rowid FROM orders_search WHERE text LIKE ?) ORDER BY o.id',
        )
        .pluck()
        .all(`%${q}%`);
    const phone = (q: string) =>
      db
        .prepare(
          'SELECT o.id FROM orders o WHERE o.rowid IN (SELECT rowid FROM orders_search WHERE phone LIKE ?) ORDER BY o.id',
        )
        .pluck()
        .all(`%${q}%`);
    expect(text('hopp')).toEqual(['ord_1']);
    expect(text('A1043')).toEqual(['ord_2']);
    expect(phone('0101234')).toEqual(['ord_1']);
    // Digits of ids or numbers are not phone matches.
    expect(phone('1043')).toEqual([]);

    // Kept in step: a new order, a changed name or phone, a deleted order.
    db.prepare(
      `INSERT INTO orders (id, payment_intent_id, status, customer_name, lines_json, item_count, currency, amount_captured, created_at, updated_at, number, station_code, phone_digits, payment_state)
       VALUES ('ord_3', 'pi_3', 'received', 'Ada Lovelace', '[]', 1, 'usd', 0, 3000, 3000, 1044, 'B', '442079460018', 'authorized')`,
    ).run();
    expect(text('lovel')).toEqual(['ord_3']);
    expect(phone('2079460018')).toEqual(['ord_3']);
    db.prepare(
      `UPDATE orders SET customer_name = 'Alan M. Turing', phone_digits = '15550109999' WHERE id = 'ord_2'`,
    ).run();
    expect(text('n M. T')).toEqual(['ord_2']);
    expect(text('Alan Turing')).toEqual([]);
    expect(phone('0109999')).toEqual(['ord_2']);
    db.prepare(`DELETE FROM orders WHERE id = 'ord_1'`).run();
    expect(text('hopp')).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM orders_search_text').pluck().get()).toBe(2);
    // The index agrees with its content table.
    db.prepare(`INSERT INTO orders_search (orders_search, rank) VALUES ('integrity-check', 1)`).run();
    expect(() =>
      db
        .prepare(
          `INSERT INTO orders (id, payment_intent_id, status, customer_name, lines_json, item_count, currency, amount_captured, created_at, updated_at, payment_state) VALUES ('ord_x', 'pi_x', 'received', 'X', '[]', 1, 'usd', 0, 1, 1, 'lost')`,
        )
        .run(),
    ).toThrow(/CHECK/);
  });
});
