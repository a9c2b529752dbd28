// The SQLite layer: fresh databases migrate to the latest schema; a database from a newer app is refused;
// a damaged file is reported and left exactly as it was; each migration has its own test.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DatabaseError, openDatabase, schemaVersion } from '../../../../electron/core/store/db';
import { LATEST_VERSION, migrations } from '../../../../electron/core/store/migrations';
import { listOrders } from '../../../../electron/core/orders/orders-repo';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'mc-db-')), 'console.sqlite');

describe('openDatabase', () => {
  it('creates a fresh database at the latest version, in WAL with foreign keys and STRICT tables', () => {
    const db = openDatabase(tmp());
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    const loose = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%STRICT%' AND name NOT LIKE 'orders_search%' AND name NOT LIKE 'sqlite_%'`,
      )
      .all();
    expect(loose).toEqual([]);
    db.close();
  });

  it('refuses a database written by a newer version, with a clear message, and changes nothing', () => {
    const path = tmp();
    openDatabase(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_VERSION + 3}`);
    raw.close();
    const bytes = readFileSync(path);
    let err: unknown;
    try {
      openDatabase(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatabaseError);
    expect((err as DatabaseError).kind).toBe('too_new');
    expect((err as Error).message).toMatch(/newer version of the console/);
    expect((err as Error).message).toContain(`schema ${LATEST_VERSION + 3}`);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('reports a corrupt file and never replaces it', () => {
    const path = tmp();
    const garbage = Buffer.from(
      'this is not a database, it is a shopping list: tea, cups, a kettle'.repeat(100),
    );
    writeFileSync(path, garbage);
    expect(() => openDatabase(path)).toThrow(DatabaseError);
    try {
      openDatabase(path);
    } catch (e) {
      expect((e as DatabaseError).kind).toBe('corrupt');
      expect((e as Error).message).toMatch(/damaged.*has not been changed/s);
    }
    expect(readFileSync(path).equals(garbage)).toBe(true);
  });

  it('runs each migration in its own transaction: a failing one leaves the previous version intact', () => {
    const path = tmp();
    const broken = [
      ...migrations,
      {
        name: '999-broken',
        up: (db: Database.Database) =>
          db.exec('CREATE TABLE half (x INTEGER) STRICT; SELECT no_such_function();'),
      },
    ];
    expect(() => openDatabase(path, { migrations: broken })).toThrow();
    const db = new Database(path);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).get()).toBeUndefined();
    db.close();
  });
});

describe('migration 001-initial', () => {
  it('creates the money tables, and the audit log refuses edits', () => {
    const db = openDatabase(tmp(), { targetVersion: 1 });
    expect(schemaVersion(db)).toBe(1);
    for (const t of [
      'carts',
      'stripe_requests',
      'stripe_events',
      'payment_intents',
      'holds',
      'orders',
      'refunds',
      'audit_log',
    ]) {
      expect(
        db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`).get(t),
      ).toBeTruthy();
    }
    db.prepare(
      `INSERT INTO audit_log (at, actor, station, action, subject, prev_hash, hash) VALUES (1, 'a', 's', 'x', 'y', 'p', 'h')`,
    ).run();
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO orders (id, payment_intent_id, status, customer_name, lines_json, item_count, currency, amount_captured, created_at, updated_at) VALUES ('o1', 'pi_1', 'lost', 'x', '[]', 0, 'usd', 1, 1, 1)`,
        )
        .run(),
    ).toThrow(/CHECK/);
  });
});

describe('migration 002-order-search', () => {
  it('backfills the trigram index from existing orders and keeps it in step', () => {
    const path = tmp();
    const v1 = openDatabase(path, { targetVersion: 1 });
    const insert = v1.prepare(
      `INSERT INTO orders (id, payment_intent_id, status, customer_name, customer_email, lines_json, item_count, currency, amount_captured, created_at, updated_at)
       VALUES (?, ?, 'received', ?, ?, '[]', 1, 'usd', 100, 1, 1)`,
    );
    insert.run('ord_a', 'pi_a', 'Grace Hopper', 'grace@navy.example');
    insert.run('ord_b', 'pi_b', 'Alan Turing', null);
    v1.close();
    const v2 = openDatabase(path, { targetVersion: 2 });
    expect(schemaVersion(v2)).toBe(2);
    const find = (q: string) =>
      (v2.prepare(`SELECT id FROM orders_search WHERE text LIKE ?`).all(`%${q}%`) as { id: string }[]).map(
        (r) => r.id,
      );
    expect(find('hopp')).toEqual(['ord_a']);
    expect(find('navy.ex')).toEqual(['ord_a']);
    v2.prepare(
      `INSERT INTO orders (id, payment_intent_id, status, customer_name, lines_json, item_count, currency, amount_captured, created_at, updated_at) VALUES ('ord_c', 'pi_c', 'received', 'Ada Lovelace', '[]', 1, 'usd', 1, 1, 1)`,
    ).run();
    expect(find('lovel')).toEqual(['ord_c']);
    v2.prepare(`UPDATE orders SET customer_name = 'Alan M. Turing' WHERE id = 'ord_b'`).run();
    expect(find('n M. T')).toEqual(['ord_b']);
  });
});

describe('migration 003-order-numbers', () => {
  it('numbers existing orders by creation time, and new ones follow', () => {
    const path = tmp();
    const v2 = openDatabase(path, { targetVersion: 2 });
    const insert = v2.prepare(
      `INSERT INTO orders (id, payment_intent_id, status, customer_name, lines_json, item_count, currency, amount_captured, created_at, updated_at)
       VALUES (?, ?, 'received', ?, '[]', 1, 'usd', 100, ?, ?)`,
    );
    insert.run('ord_late', 'pi_late', 'Late', 300, 300);
    insert.run('ord_early', 'pi_early', 'Early', 100, 100);
    insert.run('ord_mid', 'pi_mid', 'Middle', 200, 200);
    v2.close();
    const v3 = openDatabase(path, { targetVersion: 3 });
    expect(schemaVersion(v3)).toBe(3);
    const numbers = v3.prepare('SELECT id, number FROM orders ORDER BY number').all();
    expect(numbers).toEqual([
      { id: 'ord_early', number: 1001 },
      { id: 'ord_mid', number: 1002 },
      { id: 'ord_late', number: 1003 },
    ]);
    expect(() => v3.prepare(`UPDATE orders SET number = 1001 WHERE id = 'ord_late'`).run()).toThrow(/UNIQUE/);
  });
});

describe('migration 004-shared-record', () => {
  it('keeps every product, customer, cart and order of a v3 database, marked for publishing to Stripe', () => {
    const path = tmp();
    const v3 = openDatabase(path, { targetVersion: 3 });
    v3.exec(`
      INSERT INTO products (id, sku, name, unit_amount, currency, stock, active, created_at, updated_at)
        VALUES ('prod_old1', 'TEA-1', 'Old tea', 1250, 'usd', 7, 1, 1, 1);
      INSERT INTO customers (id, name, email, phone, shipping_json, created_at, updated_at)
        VALUES ('cus_local1', 'Grace Hopper', 'grace@navy.example', '555 0101',
          '{"line1":"1 Navy Way","city":"Arlington","postalCode":"22201","state":"VA","country":"US"}', 1, 1);
      INSERT INTO carts (id, status, currency, customer_id, lines_json, total, payment_intent_id, pi_status, created_by, created_at, updated_at)
        VALUES ('cart_1', 'paid', 'usd', 'cus_local1', '[{"productId":"prod_old1","sku":"TEA-1","name":"Old tea","unitAmount":1250,"quantity":2,"lineTotal":2500,"waitlist":false}]',
          2500, 'pi_one', 'succeeded', 'Sam', 1, 1);
      INSERT INTO payment_intents (id, status, status_rank, amount, amount_received, currency, capture_method, latest_charge, cart_id, snapshot_at, created, updated_at)
        VALUES ('pi_one', 'succeeded', 6, 2500, 2500, 'usd', 'automatic', 'ch_one', 'cart_1', 5, 5, 5);
      INSERT INTO orders (id, payment_intent_id, cart_id, status, customer_name, customer_email, customer_json, lines_json, item_count, currency, amount_captured, carrier, tracking_number, created_at, updated_at, number)
        VALUES ('ord_one', 'pi_one', 'cart_1', 'shipped', 'Grace Hopper', 'grace@navy.example', '{"id":"cus_local1","name":"Grace Hopper"}',
          '[{"productId":"prod_old1","sku":"TEA-1","name":"Old tea","unitAmount":1250,"quantity":2,"lineTotal":2500,"waitlist":false}]', 2, 'usd', 2500, 'UPS', '1Z999', 1000, 1000, 1042);
    `);
    v3.close();
    // Upgraded through 004 to the latest (later migrations keep what 004 made; the order list reads their columns).
    const v4 = openDatabase(path);
    expect(schemaVersion(v4)).toBe(LATEST_VERSION);
    expect(v4.prepare('SELECT id, sku, stock, unit_amount, published FROM products').all()).toEqual([
      { id: 'prod_old1', sku: 'TEA-1', stock: 7, unit_amount: 1250, published: 0 },
    ]);
    expect(v4.prepare('SELECT id, published FROM customers').all()).toEqual([
      { id: 'cus_local1', published: 0 },
    ]);
    const draft = JSON.parse(
      (v4.prepare(`SELECT customer_json FROM carts WHERE id = 'cart_1'`).pluck().get() as string) ?? 'null',
    ) as { name: string; shipping: { state: string } };
    expect(draft.name).toBe('Grace Hopper');
    expect(draft.shipping.state).toBe('VA');
    expect(
      v4.prepare('SELECT number, status, published, charge_id, tracking_number FROM orders').get(),
    ).toEqual({
      number: 1042,
      status: 'shipped',
      published: 0,
      charge_id: 'ch_one',
      tracking_number: '1Z999',
    });
    // The charge carries the fulfillment from now on: the shipped status came with it.
    expect(v4.prepare('SELECT fulfillment_rank, tracking_number FROM charges').get()).toEqual({
      fulfillment_rank: 2,
      tracking_number: '1Z999',
    });
    // Numbers are no longer unique on their own (two stations' A1001 and B1001), and search still finds them.
    v4.prepare(`UPDATE orders SET station_code = 'A' WHERE id = 'ord_one'`).run();
    expect(listOrders(v4, { query: '#A1042' }, 0, 10).rows.map((r) => r.number)).toEqual(['A1042']);
    expect(listOrders(v4, { query: '1042' }, 0, 10).rows.map((r) => r.id)).toEqual(['ord_one']);
    expect(listOrders(v4, { query: 'B1042' }, 0, 10).rows).toEqual([]);
  });
});

describe('a big database is checked after it opens (issue 22: start-up)', () => {
  const fill = (path: string) => {
    const db = openDatabase(path);
    db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const ins = db.prepare('INSERT INTO filler (body) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) ins.run(`row ${i} `.repeat(40));
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  };
  const checked = (path: string) =>
    new Promise<{ db: ReturnType<typeof openDatabase>; result: string }>((resolve) => {
      const db = openDatabase(path, {
        backgroundCheckBytes: 0,
        onBackgroundCheck: (result) => resolve({ db, result }),
      });
    });

  it('a sound file opens at once and is then reported ok', async () => {
    const path = tmp();
    fill(path);
    const { db, result } = await checked(path);
    expect(result).toBe('ok');
    db.close();
  });

  it('damage past the schema opens, then is reported; the file is not changed', async () => {
    const path = tmp();
    fill(path);
    const bytes = readFileSync(path);
    // Scribble over a run of table pages near the end (the header and the schema page stay intact).
    const at = bytes.length - 8 * 4096;
    bytes.fill(0x5a, at, at + 3 * 4096);
    writeFileSync(path, bytes);
    const { db, result } = await checked(path);
    expect(result).not.toBe('ok');
    db.close();
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });
});
