// Migration 009: order search indexed in bulk (the applier writes orders; the search index takes them once per
// sync cycle, and a search indexes what is left first), ids out of the searched text (found by prefix), no
// received-at index on the ledger, partial indexes on a PaymentIntent's optional cart, customer and card.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, type Db } from '../../../../electron/core/store/db';
import { LATEST_VERSION } from '../../../../electron/core/store/migrations';
import { listOrders } from '../../../../electron/core/orders/orders-repo';
import { indexOrderSearch } from '../../../../electron/core/orders/order-search';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'mc-db9-')), 'console.sqlite');

const insertOrder = (db: Db, o: { id: string; pi: string; name: string; number: number; phone?: string }) =>
  db
    .prepare(
      `INSERT INTO orders (id, payment_intent_id, status, customer_name, customer_email, lines_json, item_count, currency,
         amount_captured, created_at, updated_at, number, station_code, phone_digits, payment_state)
       VALUES (?, ?, 'received', ?, ?, '[]', 1, 'usd', 100, ?, ?, ?, 'A', ?, 'paid')`,
    )
    .run(
      o.id,
      o.pi,
      o.name,
      `${o.name.split(' ')[0]!.toLowerCase()}@example.com`,
      o.number,
      o.number,
      o.number,
      o.phone ?? null,
    );

const found = (db: Db, query: string) =>
  listOrders(db, { query }, 0, 50)
    .rows.map((r) => r.id)
    .sort();

const indexed = (db: Db) =>
  db.prepare('SELECT order_rowid FROM orders_search_text ORDER BY order_rowid').pluck().all() as number[];

describe('migration 009-bulk-search-index', () => {
  it('indexes every order already there, without ids in the text, and drops the indexes nobody reads', () => {
    const path = tmp();
    const v8 = openDatabase(path, { targetVersion: 8 });
    insertOrder(v8, {
      id: 'ord_3MtwBwLkdIwHu7ix',
      pi: 'pi_3MtwBwLkdIwHu7ix',
      name: 'Grace Hopper',
      number: 1042,
    });
    insertOrder(v8, {
      id: 'ord_3NabCdEfGhIjKlmn',
      pi: 'pi_3NabCdEfGhIjKlmn',
      name: 'Alan Turing',
      number: 1043,
      phone: '15550101234',
    });
    v8.close();

    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    const texts = db.prepare('SELECT text FROM orders_search_text ORDER BY order_rowid').pluck().all();
    expect(texts).toEqual(['A1042 Grace Hopper grace@example.com', 'A1043 Alan Turing alan@example.com']);
    db.prepare(`INSERT INTO orders_search (orders_search, rank) VALUES ('integrity-check', 1)`).run();

    const indexes = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`)
      .all() as { name: string; sql: string }[];
    expect(indexes.map((i) => i.name)).not.toContain('stripe_events_received');
    for (const name of ['payment_intents_cart', 'payment_intents_customer', 'payment_intents_payment_method'])
      expect(indexes.find((i) => i.name === name)?.sql).toMatch(/WHERE \w+ IS NOT NULL/);

    expect(found(db, 'hopper')).toEqual(['ord_3MtwBwLkdIwHu7ix']);
    expect(found(db, 'A1043')).toEqual(['ord_3NabCdEfGhIjKlmn']);
    expect(found(db, '555 010 1234')).toEqual(['ord_3NabCdEfGhIjKlmn']);
    // Ids, whole or their start, with either prefix or none (8+ letters and digits).
    expect(found(db, 'pi_3MtwBwLkdIwHu7ix')).toEqual(['ord_3MtwBwLkdIwHu7ix']);
    expect(found(db, 'ord_3Nab')).toEqual(['ord_3NabCdEfGhIjKlmn']);
    expect(found(db, 'pi_3N')).toEqual(['ord_3NabCdEfGhIjKlmn']);
    expect(found(db, '3MtwBwLkdI')).toEqual(['ord_3MtwBwLkdIwHu7ix']);
    // The middle of an id is not a search term (it never was one anybody typed).
    expect(found(db, 'wLkdIwHu')).toEqual([]);
  });

  it('a new order waits for the cycle end, yet a search finds it (the tail is indexed first)', () => {
    const db = openDatabase(tmp());
    insertOrder(db, { id: 'ord_a1', pi: 'pi_a1', name: 'Grace Hopper', number: 1001 });
    expect(indexed(db)).toEqual([]);
    expect(indexOrderSearch(db)).toBe(1);
    expect(indexOrderSearch(db)).toBe(0);
    expect(indexed(db)).toHaveLength(1);

    // Written by the applier; nobody has indexed it yet.
    insertOrder(db, { id: 'ord_b2', pi: 'pi_b2', name: 'Ada Lovelace', number: 1002, phone: '442079460018' });
    expect(indexed(db)).toHaveLength(1);
    expect(found(db, 'lovelace')).toEqual(['ord_b2']);
    expect(indexed(db)).toHaveLength(2);

    // Written, then changed before anybody indexed it: indexed as it is now.
    insertOrder(db, { id: 'ord_c3', pi: 'pi_c3', name: 'Alan Turing', number: 1003 });
    db.prepare(`UPDATE orders SET customer_name = 'Alan M. Turing' WHERE id = 'ord_c3'`).run();
    expect(found(db, 'n M. T')).toEqual(['ord_c3']);
    expect(found(db, 'Alan Turing')).toEqual([]);

    // An indexed order whose name and phone change is re-indexed at once.
    db.prepare(
      `UPDATE orders SET customer_name = 'Grace B. Hopper', phone_digits = '15550109999' WHERE id = 'ord_a1'`,
    ).run();
    expect(found(db, 'e B. H')).toEqual(['ord_a1']);
    expect(found(db, '5550109999')).toEqual(['ord_a1']);
    expect(found(db, 'Grace Hopper')).toEqual([]);
    expect(found(db, '2079460018')).toEqual(['ord_b2']);
    db.prepare(`INSERT INTO orders_search (orders_search, rank) VALUES ('integrity-check', 1)`).run();
  });
});
