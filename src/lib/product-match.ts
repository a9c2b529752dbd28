// Which product Enter adds: the best match that is in stock, not the alphabetically first (issue 23 item 13).
// The search answers name-or-SKU matches (exact SKU first, then by name); this orders them as staff mean them.
import type { Product } from '../../electron/ipc/contract';

/** How well the name or SKU matches what was typed: 0 exact SKU, 1 name equal, 2 name starts, 3 a word starts. */
function closeness(p: Product, q: string): number {
  if (!q) return 4;
  if (p.sku.toLowerCase() === q) return 0;
  const name = p.name.toLowerCase();
  if (name === q) return 1;
  if (name.startsWith(q)) return 2;
  if (name.split(/[^\p{L}\p{N}]+/u).some((w) => w.startsWith(q))) return 3;
  return 4;
}

/**
 * The results in the order Enter should take them: an exact SKU first (staff typed that product), then what is
 * in stock before what is not, each by closeness, then as the search gave them. The first is what Enter adds.
 */
export function rankProducts(products: readonly Product[], query: string): Product[] {
  const q = query.trim().toLowerCase();
  return products
    .map((p, i) => ({ p, i, c: closeness(p, q) }))
    .sort(
      (a, b) =>
        Number(b.c === 0) - Number(a.c === 0) ||
        Number(b.p.stock > 0) - Number(a.p.stock > 0) ||
        a.c - b.c ||
        a.i - b.i,
    )
    .map((x) => x.p);
}

/** What the search box sends: white space collapsed, at most `max` characters (a pasted page is cut, not refused). */
export function searchText(typed: string, max: number): { query: string; cut: boolean } {
  const flat = typed.replace(/\s+/g, ' ').trim();
  return flat.length > max ? { query: flat.slice(0, max).trim(), cut: true } : { query: flat, cut: false };
}
