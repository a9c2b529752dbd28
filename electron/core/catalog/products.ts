// The product catalog (repository for the products table, a projection of the shop's Stripe Products).
import type { Db } from '../store/db';
import type { Product } from '../../ipc/contract';
import { stockSelect } from './stock-sql';

export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  unit_amount: number | null;
  currency: string;
  stock: number;
  /** Deliveries since the count (every station's counter). */
  received: number;
  on_hand: number;
  committed: number;
  /** On hand less what waiting orders are promised: what a new order may take. */
  available: number;
  active: number;
  price_id: string | null;
  stock_counted_at: number;
  stock_counted_by: string | null;
  lead_time_days: number | null;
  tax_code?: string | null;
}

const toProduct = (r: ProductRow): Product => ({
  id: r.id,
  sku: r.sku,
  name: r.name,
  unitAmount: r.unit_amount ?? 0,
  currency: r.currency,
  stock: Math.max(0, r.available),
  oversold: Math.max(0, -r.on_hand),
  active: r.active === 1,
  taxCode: r.tax_code ?? null,
});

/** Stock on hand, committed and available, the same at every station (catalog/stock-sql.ts). */
const SELECT = stockSelect();

export function getProductRow(db: Db, id: string): ProductRow | null {
  return (db.prepare(`${SELECT} WHERE p.id = ?`).get(id) as ProductRow | undefined) ?? null;
}

export function getProduct(db: Db, id: string): Product | null {
  const r = getProductRow(db, id);
  return r ? toProduct(r) : null;
}

/** Name or SKU contains the query (case-insensitive); active, priced products, exact SKU first, then by name. */
export function searchProducts(db: Db, query: string, limit: number): Product[] {
  const q = `%${query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return (
    db
      .prepare(
        `${SELECT} WHERE p.active = 1 AND p.unit_amount IS NOT NULL
           AND (p.name LIKE ? ESCAPE '\\' OR p.sku LIKE ? ESCAPE '\\')
         ORDER BY (p.sku = ? COLLATE NOCASE) DESC, p.name LIMIT ?`,
      )
      .all(q, q, query.trim(), limit) as ProductRow[]
  ).map(toProduct);
}

export function productCount(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM products').get() as { n: number }).n;
}
