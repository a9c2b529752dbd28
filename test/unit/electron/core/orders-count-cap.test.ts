// A search most orders match counts only to 10,000 and says so ("10,000+", as Shopify does): counting every
// match of a million orders was most of the time such a search took (issue 22). Rarer terms count exactly.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/core/store/db';
import { COUNT_CAP, listOrders } from '../../../../electron/core/orders/orders-repo';
import { indexOrderSearch } from '../../../../electron/core/orders/order-search';

describe('orders: the count of a common term', () => {
  it('caps at 10,000 with totalCapped; below the cap, and for rare terms and filters, counts exactly', () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mc-cap-')), 'console.sqlite'));
    const N = COUNT_CAP + 2000;
    const ins = db.prepare(
      `INSERT INTO orders (id, payment_intent_id, status, customer_name, customer_email, lines_json, item_count, currency,
         amount_captured, created_at, updated_at, number, station_code, payment_state)
       VALUES (?, ?, ?, ?, ?, '[]', 1, 'usd', 100, ?, ?, ?, 'A', 'paid')`,
    );
    db.transaction(() => {
      for (let i = 0; i < N; i++) {
        // Every order at example.com; 1,500 of them at a "rarer" domain that is still common (≥ 1,000).
        const domain = i % 8 === 0 && i < 12_000 ? 'tea-lovers.example.com' : 'mail.example.com';
        ins.run(
          `ord_cap${i}`,
          `pi_cap${i}`,
          i % 2 ? 'shipped' : 'received',
          `Customer ${i}`,
          `c${i}@${domain}`,
          i,
          i,
          1000 + i,
        );
      }
    })();
    indexOrderSearch(db);

    const all = listOrders(db, { query: 'example.com' }, 0, 100);
    expect(all.total).toBe(COUNT_CAP);
    expect(all.totalCapped).toBe(true);
    expect(all.rows).toHaveLength(100);
    expect(all.rows[0]!.id).toBe(`ord_cap${N - 1}`); // newest first
    // With a status filter: 6,000 shipped orders match, under the cap: counted exactly, newest first.
    const shipped = listOrders(db, { query: 'example.com', status: 'shipped' }, 0, 10);
    expect(shipped.total).toBe(N / 2);
    expect(shipped.totalCapped).toBeUndefined();
    expect(shipped.rows[0]!.id).toBe(`ord_cap${N - 1}`);
    expect(shipped.rows.every((r) => r.status === 'shipped')).toBe(true);

    const common = listOrders(db, { query: 'tea-lovers' }, 0, 100);
    expect(common.total).toBe(1500);
    expect(common.totalCapped).toBeUndefined();

    const rare = listOrders(db, { query: 'Customer 1234' }, 0, 100);
    expect(rare.totalCapped).toBeUndefined();
    expect(rare.rows.map((r) => r.id)).toEqual(['ord_cap1234']);
    expect(rare.total).toBe(1);

    // The start of a name every customer shares (two letters: the name index): capped, newest first.
    const start = listOrders(db, { query: 'Cu' }, 0, 5);
    expect(start).toMatchObject({ total: COUNT_CAP, totalCapped: true });
    expect(start.rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5].map((k) => `ord_cap${N - k}`));
    expect(listOrders(db, { query: 'Zz' }, 0, 5)).toMatchObject({ total: 0, rows: [] });

    expect(listOrders(db, { status: 'received' }, 0, 10)).toMatchObject({ total: N / 2 });
    db.close();
  });
});
