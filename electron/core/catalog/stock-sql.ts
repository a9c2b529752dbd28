// Stock, the same at every station: a sum of movements, never a last write (record/rules.ts).
//   on hand   = the manager's last count (products.stock, at Stripe's time stock_counted_at)
//             + deliveries since that count (products.received: every station's own counter for this count)
//             − units sold by payments made after the count (stock_sales.sold_at)
//             + units of cancelled orders put back after the count (stock_sales.restocked_at)
//   committed = units of waiting orders' waitlist lines (held, or waiting on a saved card): promised, not yet sent
//   available = on hand − committed: what a new order may take (Shopify's "available")
// Sales and restocks are derived from orders, so a cancel seen by every station restocks once; deliveries are
// per-station counters, so two stations receiving at once both count.

/** On hand for the product row aliased `p`. */
export const ON_HAND_SQL = `(p.stock + p.received
    - coalesce((SELECT sum(s.quantity) FROM stock_sales s WHERE s.sku = p.sku AND s.sold_at > p.stock_counted_at), 0)
    + coalesce((SELECT sum(s.quantity) FROM stock_sales s
                WHERE s.sku = p.sku AND s.restocked_at IS NOT NULL AND s.restocked_at > p.stock_counted_at), 0))`;

/** Units committed to waiting orders for the product row aliased `p`. */
export const COMMITTED_SQL = `coalesce((SELECT sum(json_extract(l.value, '$.quantity'))
    FROM orders o, json_each(o.lines_json) l
    WHERE (o.payment_state = 'authorized' OR o.card_wait IS NOT NULL) AND o.cancelled_json IS NULL
      AND json_extract(l.value, '$.waitlist') = 1 AND json_extract(l.value, '$.sku') = p.sku COLLATE NOCASE), 0)`;

/** The columns every stock reader selects: on_hand, committed, available. */
export const STOCK_COLUMNS_SQL = `${ON_HAND_SQL} AS on_hand, ${COMMITTED_SQL} AS committed,
    ${ON_HAND_SQL} - ${COMMITTED_SQL} AS available`;
