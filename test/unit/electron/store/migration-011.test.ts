// Migration 011: a refund's line, units and restock (from its mc_line in Stripe). Refunds already projected keep
// everything they had, with no line and no restock; a line refund with restock adds its units to on hand.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../electron/core/store/db';
import { LATEST_VERSION, migrations } from '../../../../electron/core/store/migrations';
import { stockSelect } from '../../../../electron/core/catalog/stock-sql';

describe('migration 011', () => {
  it('adds the line columns to refunds, keeping the refunds there were', () => {
    const db = new Database(':memory:');
    migrate(db, migrations, 10);
    expect(schemaVersion(db)).toBe(10);
    db.prepare(
      `INSERT INTO refunds (id, payment_intent_id, amount, status, created_at) VALUES ('re_1', 'pi_1', 500, 'succeeded', 1000)`,
    ).run();
    migrate(db, migrations);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT id, amount, line_sku, line_quantity, restock FROM refunds').get()).toEqual({
      id: 're_1',
      amount: 500,
      line_sku: null,
      line_quantity: null,
      restock: 0,
    });
    // A line refund with restock after the count puts its units back on hand; a failed one does not.
    db.prepare(
      `INSERT INTO products (id, sku, name, currency, stock, stock_counted_at, active, created_at, updated_at)
       VALUES ('prod_1', 'CUP', 'Cup', 'usd', 3, 100, 1, 0, 0)`,
    ).run();
    const onHand = () =>
      (db.prepare(`${stockSelect()} WHERE p.id = 'prod_1'`).get() as { on_hand: number }).on_hand;
    expect(onHand()).toBe(3);
    const add = db.prepare(
      `INSERT INTO refunds (id, payment_intent_id, amount, status, created_at, line_sku, line_quantity, restock)
       VALUES (?, 'pi_2', 100, ?, ?, 'cup', 2, 1)`,
    );
    add.run('re_2', 'succeeded', 200_000);
    add.run('re_3', 'failed', 200_000);
    add.run('re_4', 'succeeded', 50_000); // before the count: the count already has it
    expect(onHand()).toBe(5);
  });
});
