// Migration 015: a cart may have a waiting part (a second cart for what is not in stock). Carts from before have
// none, and keep working.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../../electron/core/store/db';
import { LATEST_VERSION } from '../../../../electron/core/store/migrations';

describe('migration 015-split-carts', () => {
  it('adds the waiting-part links to an existing database, keeping its carts', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mc-db15-')), 'console.sqlite');
    const v14 = openDatabase(path, { targetVersion: 14 });
    v14
      .prepare(
        `INSERT INTO carts (id, status, currency, created_by, created_at, updated_at) VALUES ('cart_1', 'open', 'usd', 'Sam', 1, 1)`,
      )
      .run();
    v14.close();
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT id, waiting_cart_id, waiting_of FROM carts').all()).toEqual([
      { id: 'cart_1', waiting_cart_id: null, waiting_of: null },
    ]);
    db.close();
  });
});
