// Today at a glance, and any day's end-of-day summary: what was sold and refunded, what is held and lapsing,
// what waits to be packed and shipped, disputes and fraud warnings. Everything is read from the projection of
// the shop's record (orders, refunds, holds — each from Stripe's objects and times), so two stations of a shop
// set to the same time zone show the same figures.
import type { Db } from '../store/db';
import type { Clock } from '../ports';
import type { DayFigures, Hold, OrderRow } from '../../ipc/contract';
import { AppError } from '../../ipc/errors';
import { toOrderRow, type OrderDbRow } from '../orders/orders-repo';
import { shopSettings } from './shop-settings';
import { dayBounds, dayOf, hourOf, nextDay } from './time-zone';
import { OPEN_DISPUTE } from '../sync/money-signals';
import type { RecordedJurisdiction } from '../orders/pricing-metadata';

export const EXPIRING_WITHIN_MS = 24 * 3600_000;
const CHART_DAYS = 14;
const ORDERS_MAX = 500;

export interface GlanceDeps {
  db: Db;
  clock: Clock;
  /** Open holds, as the holds screen lists them (deadline first). */
  openHolds: () => Hold[];
  machineTimeZone?: () => string;
}

/** The shop's currency: the one most of its active products are priced in (usd for an empty catalog). */
export function shopCurrency(db: Db): string {
  const r = db
    .prepare(
      `SELECT currency FROM products WHERE active = 1 GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1`,
    )
    .pluck()
    .get() as string | undefined;
  return r ?? 'usd';
}

/**
 * Disputes still open (waiting for the shop's answer or the bank's decision) and their amount, and early fraud
 * warnings still actionable — from the disputes projection (sync/money-signals.ts).
 */
function disputeFigures(
  db: Db,
  currency: string,
): { disputes: { count: number; amount: number }; fraud: number } {
  const active = [...OPEN_DISPUTE].filter((x) => x !== 'lost');
  const marks = active.map(() => '?').join(',');
  const disputes = db
    .prepare(
      `SELECT count(*) AS count, coalesce(sum(amount), 0) AS amount FROM disputes
       WHERE status IN (${marks}) AND currency = ?`,
    )
    .get(...active, currency) as { count: number; amount: number };
  const fraud = db
    .prepare('SELECT count(*) FROM fraud_warnings WHERE actionable = 1')
    .pluck()
    .get() as number;
  return { disputes, fraud };
}

/** An order as listed, marked when it was cancelled. */
export function withCancelled(r: OrderDbRow & { cancelled_json?: string | null }): OrderRow {
  return { ...toOrderRow(r), ...(r.cancelled_json ? { cancelled: true } : {}) };
}

export class GlanceService {
  constructor(private readonly d: GlanceDeps) {}

  /**
   * The day's tax and discounts (orders/order-pricing.ts projects them with each order): the tax the day's sales
   * captured, by jurisdiction; what the day's refunds took back (each refund's own record); discounts given.
   */
  private taxAndDiscounts(
    from: number,
    to: number,
    currency: string,
    refundRows: { tax: number }[],
  ): Pick<DayFigures, 'tax' | 'discounts'> {
    const rows = this.d.db
      .prepare(
        `SELECT tax_total, discount_total, tax_json FROM orders
         WHERE created_at >= ? AND created_at < ? AND currency = ? AND amount_captured > 0`,
      )
      .all(from, to, currency) as { tax_total: number; discount_total: number; tax_json: string | null }[];
    const byName = new Map<string, number>();
    for (const r of rows)
      for (const b of r.tax_json ? (JSON.parse(r.tax_json) as RecordedJurisdiction[]) : []) {
        const name = `${b.jurisdiction} (${[b.country, b.state].filter(Boolean).join('-')})`;
        byName.set(name, (byName.get(name) ?? 0) + b.amount);
      }
    const discounted = rows.filter((r) => r.discount_total > 0);
    return {
      tax: {
        collected: rows.reduce((n, r) => n + r.tax_total, 0),
        refunded: refundRows.reduce((n, r) => n + r.tax, 0),
        byJurisdiction: [...byName].map(([name, amount]) => ({ name, amount })),
      },
      discounts: {
        count: discounted.length,
        amount: discounted.reduce((n, r) => n + r.discount_total, 0),
      },
    };
  }

  day(day?: string): DayFigures {
    const { db } = this.d;
    const now = this.d.clock.now();
    const settings = shopSettings(db, this.d.machineTimeZone);
    const tz = settings.timeZone;
    const today = dayOf(tz, now);
    const d = day ?? today;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)))
      throw new AppError('invalid_input', `Not a day: ${d}`);
    const { from, to } = dayBounds(tz, d);
    const currency = shopCurrency(db);

    // Orders of the day. An order's time is its charge's creation (Stripe's clock).
    const dayRows = db
      .prepare(
        `SELECT * FROM orders WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id LIMIT ${ORDERS_MAX}`,
      )
      .all(from, to) as (OrderDbRow & { cancelled_json: string | null })[];
    const sales = db
      .prepare(
        `SELECT count(*) AS count, coalesce(sum(amount_captured), 0) AS amount FROM orders
         WHERE created_at >= ? AND created_at < ? AND currency = ? AND amount_captured > 0`,
      )
      .get(from, to, currency) as { count: number; amount: number };
    const otherCurrencies = db
      .prepare(
        `SELECT count(*) FROM orders WHERE created_at >= ? AND created_at < ? AND currency != ? AND amount_captured > 0`,
      )
      .pluck()
      .get(from, to, currency) as number;

    // Refunds made that day (Stripe's time of the refund, to the second); failed or canceled ones gave nothing back.
    const refundRows = db
      .prepare(
        `SELECT r.amount, (r.created_at / 1000) * 1000 AS at, r.reason, o.station_code, o.number, r.tax
         FROM refunds r JOIN payment_intents p ON p.id = r.payment_intent_id
         LEFT JOIN orders o ON o.payment_intent_id = r.payment_intent_id
         WHERE (r.created_at / 1000) * 1000 >= ? AND (r.created_at / 1000) * 1000 < ? AND p.currency = ?
           AND r.status NOT IN ('failed', 'canceled')
         ORDER BY r.created_at, r.id`,
      )
      .all(from, to, currency) as {
      amount: number;
      at: number;
      reason: string | null;
      station_code: string | null;
      number: number | null;
      tax: number;
    }[];
    const refunds = {
      count: refundRows.length,
      amount: refundRows.reduce((n, r) => n + r.amount, 0),
    };
    const tax = this.taxAndDiscounts(from, to, currency, refundRows);

    // Holds still open now (and the ones lapsing within a day), whatever day is shown.
    const open = this.d.openHolds().filter((h) => h.status === 'authorized' && h.currency === currency);
    const expiringHolds = open.filter((h) => h.expiresAt !== null && h.expiresAt - now <= EXPIRING_WITHIN_MS);
    const tally = (hs: Hold[]) => ({
      count: hs.length,
      amount: hs.reduce((n, h) => n + h.amountCapturable, 0),
    });

    // Work waiting now: paid, not cancelled, not refunded in full, not disputed or flagged as fraud (those
    // must not be shipped: they are counted as disputes and fraud warnings instead).
    const blocked = [...OPEN_DISPUTE];
    const waiting = db
      .prepare(
        `SELECT o.status, count(*) AS n FROM orders o JOIN payment_intents p ON p.id = o.payment_intent_id
         WHERE o.status IN ('received', 'processing') AND p.status = 'succeeded' AND o.cancelled_json IS NULL
           AND NOT (o.amount_captured > 0 AND o.amount_refunded >= o.amount_captured)
           AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.payment_intent_id = o.payment_intent_id
             AND d.status IN (${blocked.map(() => '?').join(',')}))
           AND NOT EXISTS (SELECT 1 FROM fraud_warnings w WHERE w.payment_intent_id = o.payment_intent_id AND w.actionable = 1)
         GROUP BY o.status`,
      )
      .all(...blocked) as { status: string; n: number }[];
    const count = (s: string) => waiting.find((w) => w.status === s)?.n ?? 0;
    // Cancelled by the shop (its cancellation's time), or a saved-card order cancelled in Stripe's Dashboard
    // before its charge on arrival (Stripe's canceled_at: the same at every station).
    const cancelled = db
      .prepare(
        `SELECT (SELECT count(*) FROM orders WHERE cancelled_json IS NOT NULL
           AND json_extract(cancelled_json, '$.at') >= ? AND json_extract(cancelled_json, '$.at') < ?)
         + (SELECT count(*) FROM orders o JOIN payment_intents p ON p.id = o.payment_intent_id
           WHERE o.cancelled_json IS NULL AND o.payment_state = 'canceled' AND p.capture_method = 'automatic'
             AND p.canceled_at * 1000 >= ? AND p.canceled_at * 1000 < ?)`,
      )
      .pluck()
      .get(from, to, from, to) as number;

    // Charts: by hour of the day, and by day over the last two weeks (the zone's days).
    const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, count: 0, amount: 0 }));
    const firstDay = nextDay(d, -(CHART_DAYS - 1));
    const chartFrom = dayBounds(tz, firstDay).from;
    const byDay = Array.from({ length: CHART_DAYS }, (_, i) => ({
      day: nextDay(firstDay, i),
      count: 0,
      amount: 0,
    }));
    const dayIndex = new Map(byDay.map((b, i) => [b.day, i]));
    for (const r of db
      .prepare(
        `SELECT created_at, amount_captured FROM orders
         WHERE created_at >= ? AND created_at < ? AND currency = ? AND amount_captured > 0`,
      )
      .iterate(chartFrom, to, currency) as Iterable<{ created_at: number; amount_captured: number }>) {
      const i = dayIndex.get(dayOf(tz, r.created_at));
      if (i !== undefined) {
        byDay[i]!.count++;
        byDay[i]!.amount += r.amount_captured;
      }
      if (r.created_at >= from) {
        const h = byHour[hourOf(tz, r.created_at)]!;
        h.count++;
        h.amount += r.amount_captured;
      }
    }

    // Items sold that day (orders not cancelled, in the shop's currency).
    const items = new Map<string, { sku: string; name: string; quantity: number; amount: number }>();
    for (const r of dayRows) {
      if (r.cancelled_json || r.currency !== currency || r.amount_captured <= 0) continue;
      for (const l of JSON.parse(r.lines_json) as {
        sku: string;
        name: string;
        quantity: number;
        unitAmount: number;
      }[]) {
        const key = l.sku.toUpperCase();
        const it = items.get(key) ?? { sku: l.sku, name: l.name, quantity: 0, amount: 0 };
        it.quantity += l.quantity;
        it.amount += l.unitAmount * l.quantity;
        items.set(key, it);
      }
    }

    const { disputes, fraud } = disputeFigures(db, currency);
    const orders: OrderRow[] = dayRows.map(withCancelled);
    return {
      timeZone: tz,
      day: d,
      from,
      to,
      at: now,
      currency,
      sales,
      refunds,
      net: sales.amount - refunds.amount,
      ...tax,
      otherCurrencies,
      holds: tally(open),
      expiring: tally(expiringHolds),
      expiringHolds: expiringHolds.slice(0, 20),
      toPack: count('received'),
      toShip: count('processing'),
      cancelled,
      disputes,
      fraudWarnings: fraud,
      byHour,
      byDay,
      orders,
      items: [...items.values()].sort((a, b) => b.quantity - a.quantity || a.name.localeCompare(b.name)),
      refundList: refundRows.map((r) => ({
        orderNumber: r.number !== null ? `${r.station_code ?? ''}${r.number}` : null,
        amount: r.amount,
        at: r.at,
        reason: r.reason,
      })),
    };
  }
}
