// Migration 013: carts keep their discounts and their price; products their Stripe tax code; customers their
// tax exemption. Rows from before keep working (no price yet: priced at the next change).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../../electron/core/store/db';
import { LATEST_VERSION } from '../../../../electron/core/store/migrations';

describe('migration 013-cart-pricing', () => {
  it('adds the pricing columns to an existing database, keeping its rows', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mc-db11-')), 'console.sqlite');
    const v10 = openDatabase(path, { targetVersion: 10 });
    v10
      .prepare(
        `INSERT INTO carts (id, status, currency, created_by, created_at, updated_at) VALUES ('cart_1', 'open', 'usd', 'Sam', 1, 1)`,
      )
      .run();
    v10.close();
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    const row = db.prepare('SELECT discounts_json, pricing_json FROM carts WHERE id = ?').get('cart_1');
    expect(row).toEqual({ discounts_json: null, pricing_json: null });
    const cols = (t: string) =>
      (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
    expect(cols('products')).toContain('tax_code');
    expect(cols('customers')).toContain('tax_exempt');
    db.close();
  });
});
