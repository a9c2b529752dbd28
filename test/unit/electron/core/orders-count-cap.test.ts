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

  it('counts a common phone term from the trigram candidates, with an order of that number among them', () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mc-cap-')), 'console.sqlite'));
    const ins = db.prepare(
      `INSERT INTO orders (id, payment_intent_id, status, customer_name, customer_email, lines_json, item_count, currency,
         amount_captured, created_at, updated_at, number, station_code, payment_state, phone_digits)
       VALUES (?, ?, ?, ?, ?, '[]', 1, 'usd', 100, ?, ?, ?, 'A', 'paid', ?)`,
    );
    const N = 6000;
    db.transaction(() => {
      for (let i = 0; i < N; i++)
        ins.run(
          `ord_ph${i}`,
          `pi_ph${i}`,
          i % 2 ? 'shipped' : 'received',
          `Customer ${i}`,
          `c${i}@x.test`,
          i,
          i,
          1000 + i,
          `1555010${String(i % 5000).padStart(4, '0')}`,
        );
      // An order whose number is the digits typed, and whose phone doesn't match them.
      ins.run('ord_num', 'pi_num', 'received', 'Numbered', 'n@x.test', N, N, 5_550_101, '14155550000');
      ins.run(
        'ord_num2',
        'pi_num2',
        'received',
        'Numbered too',
        'm@x.test',
        N + 1,
        N + 1,
        55_501_012,
        '14155550001',
      );
    })();
    indexOrderSearch(db);
    // "5550101": the phones ending 1000–1999 (1,000 orders, common at this size), or order number 5550101.
    const r = listOrders(db, { query: '5550101' }, 0, 100);
    expect(r.total).toBe(1001);
    expect(r.totalCapped).toBeUndefined();
    expect(r.rows[0]!.id).toBe('ord_num'); // the newest with these digits
    expect(r.rows[1]!.id).toBe('ord_ph1999');
    // A rarer one (100 phones, from the index) that is also an order's number: that order and the 100, newest first.
    const rarer = listOrders(db, { query: '55501012' }, 0, 200);
    expect(rarer.total).toBe(101);
    expect(rarer.rows.map((o) => o.id).slice(0, 2)).toEqual(['ord_num2', 'ord_ph1299']);
    // A longer, rarer phone term (no order has its number): exact, from the index.
    expect(listOrders(db, { query: '(555) 010-1234' }, 0, 10).total).toBe(1);
    // Filtered by status: counted the other way, the same answer for its half.
    expect(listOrders(db, { query: '5550101', status: 'shipped' }, 0, 10).total).toBe(500);
    // Digits every phone shares: past the cap? No — 6,000 orders, all counted.
    expect(listOrders(db, { query: '555 010' }, 0, 10)).toMatchObject({ total: N });
    db.close();
  });

  it('at a million orders, a term the probe finds past the cap, or counts under it, is not counted again', () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mc-cap-')), 'console.sqlite'));
    const ins = db.prepare(
      `INSERT INTO orders (rowid, id, payment_intent_id, status, customer_name, customer_email, lines_json, item_count,
         currency, amount_captured, created_at, updated_at, number, station_code, payment_state)
       VALUES (?, ?, ?, 'received', ?, ?, '[]', 1, 'usd', 100, ?, ?, ?, 'A', 'paid')`,
    );
    db.transaction(() => {
      // 10,001 Lovelaces and exactly 10,000 Hoppers; the newest order's rowid says the shop has a million.
      for (let i = 0; i < 20_001; i++) {
        const name = i < 10_001 ? `Ada Lovelace ${i}` : `Grace Hopper ${i}`;
        ins.run(i + 1, `ord_m${i}`, `pi_m${i}`, name, `c${i}@x.test`, i, i, 1000 + i);
      }
      ins.run(1_000_000, 'ord_last', 'pi_last', 'Radia Perlman', 'r@x.test', 30_000, 30_000, 999_999);
    })();
    indexOrderSearch(db);
    const prepared: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    // The counting statements (from the narrow table, or walking orders), as opposed to the probe.
    const counts = () =>
      prepared.filter((q) =>
        /^SELECT count\(\*\) FROM \(SELECT 1 FROM (orders_search_text|orders o) /.test(q),
      );

    const past = listOrders(db, { query: 'Lovelace' }, 0, 10);
    expect(past).toMatchObject({ total: COUNT_CAP, totalCapped: true });
    expect(past.rows[0]!.id).toBe('ord_m10000');
    expect(counts()).toEqual([]);

    prepared.length = 0;
    const under = listOrders(db, { query: 'Hopper' }, 0, 10);
    expect(under.total).toBe(10_000);
    expect(under.totalCapped).toBeUndefined();
    expect(under.rows[0]!.id).toBe('ord_m20000');
    expect(counts()).toEqual([]);
    // With a filter the probe doesn't speak for the count: counted (exactly) the other way.
    expect(listOrders(db, { query: 'Hopper', status: 'received' }, 0, 10).total).toBe(10_000);
    db.close();
  });
});
