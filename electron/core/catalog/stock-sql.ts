// Stock, the same at every station: a sum of movements, never a last write (record/rules.ts).
//   on hand   = the manager's last count (products.stock, at Stripe's time stock_counted_at)
//             + deliveries since that count (products.received: every station's own counter for this count)
//             − units sold by payments made after the count (stock_sales.sold_at)
//             + units of cancelled orders put back after the count (stock_sales.restocked_at)
//             + units a line refund put back after the count (refunds.restock, from the refund's mc_line in
//               Stripe), unless the order was cancelled too (its cancel puts back every unit sold already)
//   committed = units of waiting orders' waitlist lines (held, or waiting on a saved card): promised, not yet sent
//   available = on hand − committed: what a new order may take (Shopify's "available")
// Sales and restocks are derived from orders, so a cancel seen by every station restocks once; deliveries are
// per-station counters, so two stations receiving at once both count.

/** On hand for the product row aliased `p`. */
export const ON_HAND_SQL = `(p.stock + p.received
    - coalesce((SELECT sum(s.quantity) FROM stock_sales s WHERE s.sku = p.sku AND s.sold_at > p.stock_counted_at), 0)
    + coalesce((SELECT sum(s.quantity) FROM stock_sales s
                WHERE s.sku = p.sku AND s.restocked_at IS NOT NULL AND s.restocked_at > p.stock_counted_at), 0)
    + coalesce((SELECT sum(r.line_quantity) FROM refunds r
                WHERE r.line_sku = p.sku AND r.restock = 1 AND r.status != 'failed'
                  AND r.created_at / 1000 > p.stock_counted_at
                  AND NOT EXISTS (SELECT 1 FROM stock_sales s WHERE s.payment_intent_id = r.payment_intent_id
                                    AND s.sku = r.line_sku AND s.restocked_at IS NOT NULL)), 0))`;

/**
 * Units committed to waiting orders, per SKU (upper case), computed once per query: a waiting order's waitlist
 * lines (held, or waiting on a saved card, not cancelled). The partial index orders_waiting finds those orders.
 */
const COMMITTED_CTE = `committed_units AS (
    SELECT upper(json_extract(l.value, '$.sku')) AS sku, sum(json_extract(l.value, '$.quantity')) AS qty
    FROM orders o, json_each(o.lines_json) l
    WHERE (o.payment_state = 'authorized' OR o.card_wait IS NOT NULL) AND o.cancelled_json IS NULL
      AND json_extract(l.value, '$.waitlist') = 1
    GROUP BY 1)`;

/**
 * `SELECT p.*, on_hand, committed, available [extra] FROM (…) p`: each product's stock computed once; callers add
 * `WHERE`/`ORDER BY` on `p.` columns. `extra` adds columns computed on the product row aliased `p`.
 */
export function stockSelect(extra = ''): string {
  return `WITH ${COMMITTED_CTE}
    SELECT p.*, p.on_hand - p.committed AS available FROM (
      SELECT p.*, ${ON_HAND_SQL} AS on_hand, coalesce(c.qty, 0) AS committed${extra}
      FROM products p LEFT JOIN committed_units c ON c.sku = upper(p.sku)) p`;
}
