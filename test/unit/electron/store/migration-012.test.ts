// Migration 012: every order is dated by Stripe's creation time of its first PaymentIntent (issue 23 item 10), not
// by its charge where the station happened to know the charge first.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, type Db } from '../../../../electron/core/store/db';
import { LATEST_VERSION } from '../../../../electron/core/store/migrations';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'mc-db11-')), 'console.sqlite');

const insertOrder = (db: Db, id: string, createdAt: number) =>
  db
    .prepare(
      `INSERT INTO orders (id, payment_intent_id, status, customer_name, lines_json, item_count, currency,
         amount_captured, created_at, updated_at, number, station_code, payment_state)
       VALUES (?, ?, 'received', 'Placed Pat', '[]', 1, 'usd', 100, ?, ?, 1001, 'A', 'paid')`,
    )
    .run(id, id.replace('ord_', 'pi_'), createdAt, createdAt);
const insertPi = (db: Db, id: string, created: number) =>
  db
    .prepare(
      `INSERT INTO payment_intents (id, status, status_rank, amount, currency, capture_method, snapshot_at, created, updated_at)
       VALUES (?, 'succeeded', 6, 100, 'usd', 'automatic', ?, ?, ?)`,
    )
    .run(id, created, created, created * 1000);

describe('migration 012-order-placed-at', () => {
  it('dates each order by its PaymentIntent’s creation, and leaves an order without one as it was', () => {
    const path = tmp();
    const v10 = openDatabase(path, { targetVersion: 10 });
    const placed = 1_790_000_000;
    // Charged three minutes after it was placed (3D Secure): dated by the charge before.
    insertPi(v10, 'pi_3DSecureLater', placed);
    insertOrder(v10, 'ord_3DSecureLater', (placed + 180) * 1000);
    insertPi(v10, 'pi_RightAlready', placed + 5);
    insertOrder(v10, 'ord_RightAlready', (placed + 5) * 1000);
    insertOrder(v10, 'ord_NoPaymentIntent', 42_000);
    v10.close();

    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    const dates = Object.fromEntries(
      (db.prepare('SELECT id, created_at FROM orders').all() as { id: string; created_at: number }[]).map(
        (r) => [r.id, r.created_at],
      ),
    );
    expect(dates).toEqual({
      ord_3DSecureLater: placed * 1000,
      ord_RightAlready: (placed + 5) * 1000,
      ord_NoPaymentIntent: 42_000,
    });
    db.close();
  });
});

describe('payments in progress (migration 012)', () => {
  it('are read from the partial index, not a scan of every PaymentIntent', async () => {
    const db = openDatabase(tmp());
    const { IN_PROGRESS_QUERY, listInProgress } =
      await import('../../../../electron/core/payments/in-progress');
    insertPi(db, 'pi_Paid', 1_790_000_000);
    db.prepare(`UPDATE payment_intents SET content_json = ? WHERE id = 'pi_Paid'`).run(
      JSON.stringify({
        stationCode: 'A',
        number: 1001,
        lines: [],
        customerName: 'Pat',
        stationName: 'Front desk',
        takenBy: 'Sam',
        cartId: 'cart_1',
        stationId: 's1',
      }),
    );
    db.prepare(
      `INSERT INTO payment_intents (id, status, status_rank, amount, currency, capture_method, snapshot_at, created, updated_at, content_json)
       VALUES ('pi_Waiting', 'requires_action', 3, 2800, 'usd', 'automatic', 1, 1790000100, 1, ?)`,
    ).run(
      JSON.stringify({
        stationCode: 'A',
        number: 1002,
        lines: [{ sku: 'CUP', name: 'Cups', quantity: 2, unitAmount: 1400, waitlist: false }],
        customerName: 'Lena',
        stationName: 'Front desk',
        takenBy: 'Sam',
        cartId: 'cart_2',
        stationId: 's1',
      }),
    );
    expect(listInProgress(db).map((p) => [p.paymentIntentId, p.orderNumber, p.itemCount, p.state])).toEqual([
      ['pi_Waiting', 'A1002', 2, 'authenticating'],
    ]);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${IN_PROGRESS_QUERY}`).all(10) as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toContain('payment_intents_in_progress');
    db.close();
  });
});
