// The product catalog (one repository module for the products table).
import type { Db } from '../store/db';
import type { Product } from '../../ipc/contract';

interface Row {
  id: string;
  sku: string;
  name: string;
  unit_amount: number;
  currency: string;
  stock: number;
  active: number;
}

const toProduct = (r: Row): Product => ({
  id: r.id,
  sku: r.sku,
  name: r.name,
  unitAmount: r.unit_amount,
  currency: r.currency,
  stock: r.stock,
  active: r.active === 1,
});

export function getProduct(db: Db, id: string): Product | null {
  const r = db.prepare('SELECT * FROM products WHERE id = ?').get(id) as Row | undefined;
  return r ? toProduct(r) : null;
}

/** Name or SKU contains the query (case-insensitive); active products first, then by name. */
export function searchProducts(db: Db, query: string, limit: number): Product[] {
  const q = `%${query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return (
    db
      .prepare(
        `SELECT * FROM products WHERE active = 1 AND (name LIKE ? ESCAPE '\\' OR sku LIKE ? ESCAPE '\\')
         ORDER BY (sku = ? COLLATE NOCASE) DESC, name LIMIT ?`,
      )
      .all(q, q, query.trim(), limit) as Row[]
  ).map(toProduct);
}

export interface ProductInput {
  id?: string | undefined;
  sku: string;
  name: string;
  unitAmount: number;
  currency: string;
  stock: number;
  active: boolean;
}

export function upsertProduct(db: Db, p: ProductInput & { id: string }, now: number): Product {
  db.prepare(
    `INSERT INTO products (id, sku, name, unit_amount, currency, stock, active, created_at, updated_at)
     VALUES (@id, @sku, @name, @unitAmount, @currency, @stock, @active, @now, @now)
     ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, name = excluded.name, unit_amount = excluded.unit_amount,
       currency = excluded.currency, stock = excluded.stock, active = excluded.active, updated_at = excluded.updated_at`,
  ).run({ ...p, active: p.active ? 1 : 0, now });
  return getProduct(db, p.id)!;
}

export function productCount(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM products').get() as { n: number }).n;
}

/** Take stock for paid lines; never below zero (waitlist lines were out of stock to begin with). */
export function takeStock(db: Db, lines: { productId: string; quantity: number }[]): void {
  const stmt = db.prepare('UPDATE products SET stock = max(0, stock - ?) WHERE id = ?');
  for (const l of lines) stmt.run(l.quantity, l.productId);
}

/** The offline demo's catalog (emulator mode, first run). Prices in cents. */
export const DEMO_CATALOG: Omit<ProductInput, 'id'>[] = [
  {
    sku: 'TEA-EARL-100',
    name: 'Earl Grey loose leaf, 100 g',
    unitAmount: 1250,
    currency: 'usd',
    stock: 40,
    active: true,
  },
  {
    sku: 'TEA-SENCHA-100',
    name: 'Sencha green tea, 100 g',
    unitAmount: 1490,
    currency: 'usd',
    stock: 25,
    active: true,
  },
  {
    sku: 'TEA-ASSAM-250',
    name: 'Assam breakfast, 250 g',
    unitAmount: 1890,
    currency: 'usd',
    stock: 12,
    active: true,
  },
  {
    sku: 'POT-CAST-08',
    name: 'Cast-iron teapot, 0.8 l',
    unitAmount: 6400,
    currency: 'usd',
    stock: 0,
    active: true,
  },
  {
    sku: 'CUP-PORC-2',
    name: 'Porcelain cups, set of 2',
    unitAmount: 2800,
    currency: 'usd',
    stock: 8,
    active: true,
  },
  {
    sku: 'KET-GOOSE-1',
    name: 'Gooseneck kettle, 1 l',
    unitAmount: 8900,
    currency: 'usd',
    stock: 0,
    active: true,
  },
  {
    sku: 'INF-STEEL',
    name: 'Steel infuser basket',
    unitAmount: 950,
    currency: 'usd',
    stock: 60,
    active: true,
  },
  {
    sku: 'TEA-MATCHA-30',
    name: 'Ceremonial matcha, 30 g',
    unitAmount: 3200,
    currency: 'usd',
    stock: 5,
    active: true,
  },
  {
    sku: 'WHISK-BAMBOO',
    name: 'Bamboo matcha whisk',
    unitAmount: 1800,
    currency: 'usd',
    stock: 0,
    active: true,
  },
  {
    sku: 'GIFT-SAMPLER',
    name: 'Tea sampler gift box',
    unitAmount: 4500,
    currency: 'usd',
    stock: 15,
    active: true,
  },
];
