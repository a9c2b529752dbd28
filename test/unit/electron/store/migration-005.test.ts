// Migration 005: receipts, notes and cancellations read from the shop's record; the shipping fee on carts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../../electron/core/store/db';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'mc-db5-')), 'console.sqlite');

describe('migration 005-shop-manager', () => {
  it('keeps every charge, customer, order and cart of a v4 database and adds the new columns empty', () => {
    const path = tmp();
    const v4 = openDatabase(path, { targetVersion: 4 });
    v4.exec(`
      INSERT INTO customers (id, name, email, created_at, updated_at) VALUES ('cus_1', 'Grace', 'g@x.example', 1, 1);
      INSERT INTO carts (id, status, currency, created_by, created_at, updated_at) VALUES ('cart_1', 'open', 'usd', 'Sam', 1, 1);
      INSERT INTO charges (id, payment_intent_id, amount, created, snapshot_at) VALUES ('ch_1', 'pi_1', 2500, 5, 5);
      INSERT INTO orders (id, payment_intent_id, status, customer_name, lines_json, item_count, currency, amount_captured, created_at, updated_at, number)
        VALUES ('ord_1', 'pi_1', 'received', 'Grace', '[]', 0, 'usd', 2500, 1000, 1000, 1001);
    `);
    v4.close();
    const db = openDatabase(path, { targetVersion: 5 });
    expect(schemaVersion(db)).toBe(5);
    expect(
      db.prepare('SELECT id, receipt_email, receipt_url, card_label, metadata_json FROM charges').all(),
    ).toEqual([
      { id: 'ch_1', receipt_email: null, receipt_url: null, card_label: null, metadata_json: null },
    ]);
    expect(db.prepare('SELECT id, metadata_json FROM customers').all()).toEqual([
      { id: 'cus_1', metadata_json: null },
    ]);
    expect(db.prepare('SELECT id, cancelled_json, notes_json FROM orders').all()).toEqual([
      { id: 'ord_1', cancelled_json: null, notes_json: null },
    ]);
    expect(db.prepare('SELECT id, shipping_fee FROM carts').all()).toEqual([
      { id: 'cart_1', shipping_fee: 0 },
    ]);
    // A negative fee can't be stored.
    expect(() => db.prepare(`UPDATE carts SET shipping_fee = -1 WHERE id = 'cart_1'`).run()).toThrow(/CHECK/);
    const indexes = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('refunds_created', 'payment_intents_customer')`,
      )
      .pluck()
      .all();
    expect(indexes.sort()).toEqual(['payment_intents_customer', 'refunds_created']);
    db.close();
  });
});
