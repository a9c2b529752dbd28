// What the shop believes happened, kept by the simulation from the answers the stations gave: the orders taken
// (and what became of each), the stock each product should have by its movements, the notes written. The
// invariants compare it with Stripe itself; nothing here is read from a station's database.

export type TakeMode = 'pay' | 'hold' | 'save' | 'hold_save';
export type OrderState =
  | 'paid' // charged at once
  | 'held' // a hold authorized, not captured
  | 'waiting' // a saved card, charged on arrival
  | 'captured' // a hold captured (fully or by lines), or a saved card charged
  | 'released' // a hold released by a manager: nothing may be charged for it, ever
  | 'expired' // a hold that lapsed (a hold-and-save order then waits on its card)
  | 'cancelled' // a paid order cancelled as one action: refunded in full, restocked
  | 'unknown'; // the outcome was never learnt (a fault the retries did not settle)

export interface SimLine {
  sku: string;
  quantity: number;
  unitAmount: number;
  waitlist: boolean;
}

export interface SimOrder {
  /** The station that took it (index in the world). */
  station: number;
  cartId: string;
  number: string | null;
  pi: string | null;
  mode: TakeMode;
  lines: SimLine[];
  total: number;
  state: OrderState;
  /** Captured at Stripe as the shop believes (minor units). */
  captured: number;
  refunded: number;
  shipped: boolean;
  notes: string[];
  /** Units this order took out of stock, per SKU (given back by a release, a lapse or a cancel). */
  taken: Record<string, number>;
}

export interface SimProduct {
  sku: string;
  id: string;
  name: string;
  unitAmount: number;
  /** The count by movements: the last recount plus deliveries and restocks, minus sales since. */
  expected: number;
  /** Movements whose outcome the shop never learnt: the count may or may not include each. */
  maybe: number[];
}

export interface PendingFault {
  kind: 'drop_after_commit' | 'status_500' | 'status_429' | 'kill';
  /** Which of the action's writes it hits (an index into the action's request paths). */
  pick: number;
}

export interface SimModel {
  stations: { offline: boolean; skewMs: number }[];
  products: SimProduct[];
  orders: SimOrder[];
  /** Armed by a fault command: the next action meets it. */
  pendingFault: PendingFault | null;
  /** Emulator seconds moved since the start. */
  clockSeconds: number;
  /** Seconds of Stripe's clock between two actions. */
  stepSeconds: number;
  /** Actions left that fall in the same second as the one before (the fault 'same_second'). */
  stillFor: number;
  /** Notes written so far (each note's text is unique). */
  noteSeq: number;
}

export function productBySku(m: SimModel, sku: string): SimProduct {
  const p = m.products.find((x) => x.sku === sku);
  if (!p) throw new Error(`the model has no product ${sku}`);
  return p;
}

/** A sale, a delivery, a restock: the count moves by `delta` (known to have happened, or only maybe). */
export function move(m: SimModel, sku: string, delta: number, sure = true): void {
  if (delta === 0) return;
  const p = productBySku(m, sku);
  if (sure) p.expected += delta;
  else p.maybe.push(delta);
}

/** A recount: what the shelf holds now, whatever moved before. */
export function recount(m: SimModel, sku: string, count: number, sure = true): void {
  const p = productBySku(m, sku);
  if (sure) {
    p.expected = count;
    p.maybe = [];
  } else {
    // Either the count was written (then only what follows counts) or not: too many worlds to follow exactly.
    p.maybe.push(count - p.expected);
  }
}

/** Every count the product may show, given the movements whose outcome is unknown. */
export function possibleCounts(p: SimProduct): number[] {
  let sums = [p.expected];
  for (const d of p.maybe) sums = [...sums, ...sums.map((s) => s + d)];
  return [...new Set(sums)].sort((a, b) => a - b);
}

/** What an order takes out of stock when it is charged or authorized: its in-stock lines (waitlist ones later). */
export function takeInStock(m: SimModel, o: SimOrder): void {
  for (const l of o.lines) {
    if (l.waitlist) continue;
    move(m, l.sku, -l.quantity);
    o.taken[l.sku] = (o.taken[l.sku] ?? 0) + l.quantity;
  }
}

/** A capture (or a saved card charged): the waitlist lines' units, all of them or those a capture by lines took. */
export function takeOnCapture(
  m: SimModel,
  o: SimOrder,
  lines: { sku: string; quantity: number }[] | null,
): void {
  const byLine = lines ? new Map(lines.map((l) => [l.sku, l.quantity])) : null;
  for (const l of o.lines) {
    const want = byLine ? Math.min(l.quantity, byLine.get(l.sku) ?? 0) : l.quantity;
    const had = o.taken[l.sku] ?? 0;
    // In-stock lines were taken at authorization; a capture by lines gives back what it did not take.
    move(m, l.sku, had - want);
    o.taken[l.sku] = want;
  }
}

/** A release, a lapse or a cancel: what the order took goes back on the shelf. */
export function giveBack(m: SimModel, o: SimOrder): void {
  for (const [sku, q] of Object.entries(o.taken)) move(m, sku, q);
  o.taken = {};
}

export function orderByPi(m: SimModel, pi: string): SimOrder | undefined {
  return m.orders.find((o) => o.pi === pi);
}

export function orderByNumber(m: SimModel, n: string | null): SimOrder | undefined {
  return n ? m.orders.find((o) => o.number === n) : undefined;
}
