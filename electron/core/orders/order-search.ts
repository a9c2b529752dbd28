// The order search index, filled in bulk (migration 009): orders the applier wrote since the last fill are copied
// from orders_search_source (the one definition of the searched text) into orders_search_text, whose triggers
// add them to the trigram index. One statement for all of them: FTS5 writes a segment per transaction, so a
// catch-up of 10,000 events indexes its orders once rather than page by page. Orders are never deleted and a new
// one takes the highest rowid, so everything above the highest indexed rowid is the unindexed tail.
import type { Db } from '../store/db';

/** Index the orders not yet in the search index; returns how many were added. */
export function indexOrderSearch(db: Db): number {
  const upto = db
    .prepare('SELECT coalesce(max(order_rowid), 0) FROM orders_search_text')
    .pluck()
    .get() as number;
  const newest = db.prepare('SELECT coalesce(max(rowid), 0) FROM orders').pluck().get() as number;
  if (newest <= upto) return 0;
  return db
    .prepare(
      `INSERT INTO orders_search_text (order_rowid, text, phone)
       SELECT order_rowid, text, phone FROM orders_search_source WHERE order_rowid > ? ORDER BY order_rowid`,
    )
    .run(upto).changes;
}
