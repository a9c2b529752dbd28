// The catalog as the manager sees it (every product, active or not, with who counted its stock and when), and
// the waitlist holds that stock now covers: the same at every station, since both come from the shop's record
// (products and their counts from Stripe Products, sales from the shop's payments, holds from its PaymentIntents).
import type { Db } from '../store/db';
import type { CatalogItem, CoverableHold, Hold } from '../../ipc/contract';
import { amountForLines, type OrderContent } from '../orders/order-metadata';
import { stockSelect } from './stock-sql';

interface Row {
  id: string;
  sku: string;
  name: string;
  unit_amount: number | null;
  currency: string;
  on_hand: number;
  committed: number;
  available: number;
  active: number;
  stock_counted_at: number;
  stock_counted_by: string | null;
  duplicates: number;
}

const SELECT = stockSelect(
  `, (SELECT count(*) FROM products d WHERE d.sku = p.sku AND d.id != p.id AND d.active = 1) AS duplicates`,
);

const toItem = (r: Row): CatalogItem => ({
  id: r.id,
  sku: r.sku,
  name: r.name,
  unitAmount: r.unit_amount ?? 0,
  currency: r.currency,
  stock: Math.max(0, r.available),
  oversold: Math.max(0, -r.on_hand),
  onHand: Math.max(0, r.on_hand),
  committed: r.committed,
  active: r.active === 1,
  // stock_counted_at is Stripe's time in seconds; 0 means "before any sale" (the demo's seed): no count taken.
  countedAt: r.stock_counted_at > 0 ? r.stock_counted_at * 1000 : null,
  countedBy: r.stock_counted_by,
  duplicateSku: r.active === 1 && r.duplicates > 0,
});

/** Products whose name or SKU contains the query: active ones first, then by name. */
export function listCatalog(db: Db, query: string, include: 'active' | 'all', limit: number): CatalogItem[] {
  const q = `%${query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return (
    db
      .prepare(
        `${SELECT} WHERE (p.name LIKE @q ESCAPE '\\' OR p.sku LIKE @q ESCAPE '\\') ${include === 'active' ? 'AND p.active = 1' : ''}
         ORDER BY p.active DESC, p.name COLLATE NOCASE, p.id LIMIT @limit`,
      )
      .all({ q, limit }) as Row[]
  ).map(toItem);
}

export function getCatalogItem(db: Db, id: string): CatalogItem | null {
  const r = db.prepare(`${SELECT} WHERE p.id = ?`).get(id) as Row | undefined;
  return r ? toItem(r) : null;
}

/**
 * The open waitlist holds the stock on hand now covers, oldest deadline first. Stock is given out line by line
 * in that order (the hold that lapses first is served first); a line in stock when the card was authorized was
 * taken then, and is always covered. A hold appears once at least one of its waitlist lines is covered; the
 * amount is what capturing the covered lines takes (the whole hold when every line is covered).
 */
export function coverableHolds(db: Db, holds: Hold[]): CoverableHold[] {
  const stock = new Map<string, number>();
  for (const r of db.prepare(`${SELECT} WHERE p.active = 1`).all() as Row[])
    // Waiting orders are served from what is on hand (what they are committed is theirs to take).
    stock.set(r.sku.toUpperCase(), (stock.get(r.sku.toUpperCase()) ?? 0) + Math.max(0, r.on_hand));
  const contentOf = db.prepare('SELECT content_json FROM payment_intents WHERE id = ?').pluck();
  const open = holds
    .filter((h) => h.status === 'authorized' && h.amountCapturable > 0)
    .sort(
      (a, b) =>
        (a.expiresAt ?? Number.MAX_SAFE_INTEGER) - (b.expiresAt ?? Number.MAX_SAFE_INTEGER) ||
        a.authorizedAt - b.authorizedAt,
    );
  const out: CoverableHold[] = [];
  for (const hold of open) {
    const json = contentOf.get(hold.paymentIntentId) as string | null | undefined;
    const content = json ? (JSON.parse(json) as OrderContent) : null;
    if (!content) continue;
    let coveredWaitlist = 0;
    const lines = content.lines.map((l) => {
      if (!l.waitlist) return { ...l, covered: true };
      const key = l.sku.toUpperCase();
      const left = stock.get(key) ?? 0;
      const covered = left >= l.quantity;
      if (covered) {
        stock.set(key, left - l.quantity);
        coveredWaitlist++;
      }
      return { ...l, covered };
    });
    if (coveredWaitlist === 0) continue;
    const complete = lines.every((l) => l.covered);
    // One rule for what capturing the lines in stock takes (orders/order-metadata amountForLines).
    const amount = complete
      ? hold.amountCapturable
      : Math.min(
          hold.amountCapturable,
          amountForLines(
            content,
            lines.filter((l) => l.covered),
          ),
        );
    out.push({
      hold,
      lines: lines.map((l) => ({
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        unitAmount: l.unitAmount,
        waitlist: l.waitlist,
        covered: l.covered,
      })),
      amount,
      complete,
    });
  }
  return out;
}
