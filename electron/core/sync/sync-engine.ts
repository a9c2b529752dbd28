// Event sync without a public URL: poll GET /v1/events from a cursor saved in SQLite (every ~500 ms while
// busy, backing off when idle, on 429 and when Stripe is unreachable), catch up after sleep or downtime,
// and fall back to listing PaymentIntents when the cursor is older than Stripe's 30-day event window.
// Forwarded webhooks (webhook-receiver.ts) feed the same applier, so both paths are exactly-once.
import Stripe from 'stripe';
import type { Db } from '../store/db';
import type { Clock, Logger, Scheduler, Cancel } from '../ports';
import type { EventRow, SyncHealth } from '../../ipc/contract';
import { classifyStripeError, type StripeGateway } from '../stripe/gateway';
import { applyWritten } from './apply-written';
import { noteStripeTime, projectOrder, stripeTime } from './shop-projection';
import { applySavedCard, paymentIntentsOnCard } from '../payments/saved-cards-projection';
import type { StripeClock } from '../stripe/stripe-clock';
import type { MoneyAlert } from './money-signals';
import { makeApplier, withRelaxedSync, withStatementCache, type ApplyResult, type Source } from './apply';

const WINDOW_S = 30 * 24 * 3600;
const BUSY_MS = 500;
/**
 * Idle back-off by consecutive empty polls: 500 ms for the first ~10 s (a payment finishing after 3DS or a
 * hold captured in the Dashboard shows within a second), then 1 s, and 2 s after ~5 minutes of quiet.
 * 1 request/s is far inside Stripe's test-mode limit (~25/s); webhooks, when forwarded, are faster still.
 */
const IDLE_STEPS: [emptyPolls: number, ms: number][] = [
  [20, 500],
  [300, 1000],
  [Infinity, 2000],
];
const MAX_BACKOFF_MS = 30_000;

export interface SyncDeps {
  db: Db;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  gateway: () => StripeGateway;
  station: () => string;
  /** Stripe's clock (from its answers): the event window is Stripe's 30 days, not this station's. */
  stripeClock: StripeClock;
  onApplied: (changes: {
    orderIds: string[];
    holdIds: string[];
    cartIds: string[];
    productIds?: string[];
    alerts?: MoneyAlert[];
  }) => void;
  onHealth: (h: SyncHealth) => void;
}

export class SyncEngine {
  private readonly applier;
  private timer: Cancel | null = null;
  private running = false;
  private polling = false;
  private idleStep = 0;
  private backoffMs = 0;
  private lastError: string | null = null;
  private reachable = true;
  private serverFailures = 0;
  private lastPollAt: number | null = null;
  private catchUp: { fetched: number; done: boolean } | null = null;
  private fallbackNotice: string | null = null;
  private webhook = { enabled: false, port: null as number | null, received: 0 };
  private busyUntil = 0;
  /** The poll in flight (polls are serialised: two at once could move the cursor backwards). */
  private inflight: Promise<number> | null = null;
  /** Read-backs started and not yet finished. */
  private readonly readBacks = new Set<Promise<void>>();
  private readonly db: Db;

  constructor(private readonly d: SyncDeps) {
    this.db = withStatementCache(d.db);
    this.applier = makeApplier(d.db, () => d.clock.now(), d.station);
  }

  // ------------------------------------------------------------------------------------------- lifecycle

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    this.timer?.();
    this.timer = null;
  }

  /** Something just happened at Stripe on our behalf: poll fast for a while. */
  poke(): void {
    this.busyUntil = this.d.clock.now() + 30_000;
    this.idleStep = 0;
    if (this.running && !this.polling && this.backoffMs === 0) this.schedule(0);
  }

  setWebhookStatus(enabled: boolean, port: number | null): void {
    this.webhook.enabled = enabled;
    this.webhook.port = port;
    this.emitHealth();
  }

  // ----------------------------------------------------------------------------------------------- ingest

  /** Apply events from any source (oldest first). Returns what changed. */
  ingest(events: Stripe.Event[], source: Source): ApplyResult[] {
    const results = this.applier.applyBatch(events, source);
    this.applier.indexSearch();
    if (source === 'webhook') this.webhook.received += events.length;
    this.afterApply(results);
    return results;
  }

  private afterApply(results: ApplyResult[]): void {
    const orderIds = new Set<string>();
    const holdIds = new Set<string>();
    const cartIds = new Set<string>();
    const productIds = new Set<string>();
    const readBack = new Set<string>();
    const alerts: MoneyAlert[] = [];
    for (const r of results) {
      alerts.push(...r.alerts);
      r.productIds.forEach((x) => productIds.add(x));
      r.orderIds.forEach((x) => orderIds.add(x));
      r.holdIds.forEach((x) => holdIds.add(x));
      r.cartIds.forEach((x) => cartIds.add(x));
      r.readBack.forEach((x) => readBack.add(x));
    }
    if (orderIds.size || holdIds.size || cartIds.size || productIds.size || alerts.length) {
      this.d.onApplied({
        orderIds: [...orderIds],
        holdIds: [...holdIds],
        cartIds: [...cartIds],
        productIds: [...productIds],
        alerts,
      });
    }
    for (const id of readBack) {
      const p = this.readBack(id).finally(() => this.readBacks.delete(p));
      this.readBacks.add(p);
    }
  }

  /** Resolves when every read-back started so far has finished (tests, and the end of each poll). */
  async settled(): Promise<void> {
    while (this.readBacks.size) await Promise.all([...this.readBacks]);
  }

  /** Ambiguous order of events: ask Stripe what is true now. */
  async readBack(piId: string): Promise<void> {
    try {
      const pi = await this.d.gateway().retrievePaymentIntent(piId);
      const now = this.d.clock.now();
      const fx = this.db.transaction(() => applyWritten(this.db, pi, now))();
      this.applier.indexSearch();
      const cartId = (pi.metadata?.cart_id as string | undefined) ?? null;
      this.d.onApplied({
        orderIds: fx.orderIds,
        holdIds: fx.holdIds,
        cartIds: cartId ? [cartId] : [],
      });
    } catch (e) {
      this.d.logger.warn(`read-back of ${piId} failed`, (e as Error).message);
    }
  }

  // ------------------------------------------------------------------------------------------------ polls

  private schedule(ms: number): void {
    this.timer?.();
    if (!this.running) return;
    this.timer = this.d.scheduler.after(ms, () => void this.tick());
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    // A poll started by someone else (a test, a caller of pollOnce) is running: look again shortly
    // rather than dropping the timer, which would stop the poller for good.
    if (this.polling) return this.schedule(BUSY_MS);
    let applied = 0;
    try {
      applied = await this.pollOnce();
      this.backoffMs = 0;
      this.lastError = null;
      this.reachable = true;
      this.serverFailures = 0;
    } catch (e) {
      const f = classifyStripeError(e);
      this.lastError = f.message;
      // Unreachable: no answer at all, or server errors (5xx/409) three polls running — money actions would
      // only end "pending confirmation". A 429 is Stripe answering, asking us to slow down.
      const noAnswer =
        e instanceof Stripe.errors.StripeConnectionError || !(e instanceof Stripe.errors.StripeError);
      this.serverFailures = f.kind === 'unknown' ? this.serverFailures + 1 : 0;
      this.reachable = !noAnswer && this.serverFailures < 3;
      this.backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(1000, this.backoffMs * 2));
      this.d.logger.warn(`event poll failed (${f.kind}); retrying in ${this.backoffMs} ms`);
    }
    this.emitHealth();
    if (this.backoffMs) return this.schedule(this.backoffMs);
    if (applied > 0 || this.d.clock.now() < this.busyUntil) {
      this.idleStep = 0;
      return this.schedule(BUSY_MS);
    }
    this.idleStep++;
    this.schedule(IDLE_STEPS.find(([n]) => this.idleStep < n)![1]);
  }

  /** One poll: fetch everything newer than the cursor, page by page, applying as it goes. */
  async pollOnce(): Promise<number> {
    // Serialise: a second caller waits for the poll in flight, then polls again (it may want newer events).
    while (this.inflight) await this.inflight.catch(() => undefined);
    const p = this.pollNow();
    this.inflight = p;
    try {
      return await p;
    } finally {
      this.inflight = null;
    }
  }

  private async pollNow(): Promise<number> {
    this.polling = true;
    try {
      const n = await this.pollInner();
      // The cycle's new orders go into the search index together (orders/order-search.ts).
      if (n > 0) this.applier.indexSearch();
      this.setState('last_poll_ok', String(this.d.stripeClock.nowS()));
      await this.settled();
      return n;
    } finally {
      this.polling = false;
    }
  }

  private async pollInner(): Promise<number> {
    const cursor = this.getState('cursor');
    const cursorCreated = Number(this.getState('cursor_created') ?? '0');
    // Events we have not seen were created after our last successful poll; if that was inside Stripe's
    // window they are all still there, even when the cursor event itself (an idle week) has aged out.
    const lastOk = Number(this.getState('last_poll_ok') ?? '0') || cursorCreated;
    const nowS = this.d.stripeClock.nowS();
    if (lastOk && nowS - lastOk > WINDOW_S) return await this.rebuild(true);
    if (!cursor) {
      // A station with an empty data folder: Stripe's objects first (everything, however old), then the
      // window's events (the timeline and anything newer).
      const n = await this.rebuild(false);
      return n + (await this.initialSync());
    }
    if (cursor === 'none') return await this.initialSync();
    if (cursorCreated && nowS - cursorCreated > WINDOW_S - 60) return await this.reanchor(lastOk);
    let applied = 0;
    let fetched = 0;
    let after = cursor;
    for (;;) {
      let page: Stripe.ApiList<Stripe.Event>;
      try {
        page = await this.d.gateway().listEvents({ ending_before: after, limit: 100 });
      } catch (e) {
        const f = classifyStripeError(e);
        // The cursor event is gone (aged out of the window): re-read from the newest events back to our
        // last poll; the ledger drops what we already have.
        if (f.kind === 'rejected' && f.status === 404) return applied + (await this.reanchor(lastOk));
        throw e;
      }
      this.d.stripeClock.observe(page);
      this.lastPollAt = this.d.stripeClock.now(); // Stripe's time, like every time the renderer counts from
      if (page.data.length === 0) break;
      fetched += page.data.length;
      const oldestFirst = [...page.data].reverse();
      const newest = page.data[0]!;
      // Apply the page and advance the cursor in one transaction: a crash can't skip or repeat a page.
      const results = withRelaxedSync(this.d.db, () =>
        this.db.transaction(() => {
          const r = this.applier.applyBatch(oldestFirst, 'poll');
          this.setState('cursor', newest.id);
          this.setState('cursor_created', String(newest.created));
          return r;
        })(),
      );
      this.afterApply(results);
      applied += results.filter((r) => !r.duplicate).length;
      after = newest.id;
      if (page.has_more || this.catchUp?.done === false) {
        // A long catch-up (after sleep or downtime): report progress page by page.
        this.catchUp = { fetched, done: !page.has_more };
        this.emitHealth();
      }
      if (!page.has_more) break;
    }
    return applied;
  }

  /**
   * The cursor event has aged out but nothing we missed has: list events newest first back to a minute
   * before our last successful poll, apply them oldest first (duplicates are dropped by the ledger), and
   * restart the cursor at the newest.
   */
  private async reanchor(sinceS: number): Promise<number> {
    return this.initialSync({ gte: Math.max(0, sinceS - 60) });
  }

  /** First start: read the window's events (newest first, paging back), then apply oldest first. */
  private async initialSync(created?: { gte: number }): Promise<number> {
    const all: Stripe.Event[] = [];
    let startingAfter: string | undefined;
    for (;;) {
      const page = await this.d.gateway().listEvents({
        limit: 100,
        ...(created ? { created } : {}),
        ...(startingAfter ? { starting_after: startingAfter } : {}),
      });
      this.d.stripeClock.observe(page);
      this.lastPollAt = this.d.stripeClock.now();
      all.push(...page.data);
      this.catchUp = { fetched: all.length, done: !page.has_more };
      if (page.has_more) this.emitHealth();
      if (!page.has_more || page.data.length === 0) break;
      startingAfter = page.data[page.data.length - 1]!.id;
    }
    const newest = all[0];
    const oldestFirst = all.reverse();
    const results = withRelaxedSync(this.d.db, () =>
      this.db.transaction(() => {
        const r = this.applier.applyBatch(oldestFirst, 'poll');
        this.setState('cursor', newest?.id ?? 'none');
        this.setState('cursor_created', String(newest?.created ?? this.d.stripeClock.nowS()));
        return r;
      })(),
    );
    this.afterApply(results);
    return results.filter((r) => !r.duplicate).length;
  }

  /**
   * Rebuild the projection from Stripe's objects (list endpoints, newest first, page by page): the catalog, the
   * customers, every PaymentIntent with its charge, and the refunds. Used by a station with an empty data folder
   * (then the window's events follow, for the timeline) and after an absence longer than Stripe keeps events
   * (then polling restarts at the newest event). Each page is applied in one transaction through the same
   * projection code as events, so it only ever moves state forward.
   */
  async rebuild(afterAbsence = false): Promise<number> {
    const { db } = this;
    const gw = this.d.gateway();
    if (afterAbsence) {
      this.fallbackNotice =
        'The console was away longer than Stripe keeps events (30 days). It rebuilt orders, holds, products, customers and saved cards from Stripe’s records instead; run reconciliation to double-check.';
      this.d.logger.warn(this.fallbackNotice);
    }
    // Everything listed below is at least as new as the newest event now: events older than it are stale.
    const head = await gw.listEvents({ limit: 1 });
    this.d.stripeClock.observe(head);
    const newest = head.data[0];
    if (newest) db.transaction(() => noteStripeTime(db, newest.created))();
    let n = 0;
    const orderIds = new Set<string>();
    const holdIds = new Set<string>();
    const productIds = new Set<string>();
    const walk = async <T extends { id: string; object?: string }>(
      list: (startingAfter: string | undefined) => Promise<Stripe.ApiList<T>>,
    ): Promise<void> => {
      let startingAfter: string | undefined;
      for (;;) {
        const page = await list(startingAfter);
        const now = this.d.clock.now();
        withRelaxedSync(this.d.db, () =>
          db.transaction(() => {
            for (const o of page.data) {
              const fx = applyWritten(db, o, now);
              fx.orderIds.forEach((x) => orderIds.add(x));
              fx.holdIds.forEach((x) => holdIds.add(x));
              fx.productIds.forEach((x) => productIds.add(x));
            }
          })(),
        );
        n += page.data.length;
        this.catchUp = { fetched: n, done: false };
        this.emitHealth();
        if (!page.has_more || page.data.length === 0) break;
        startingAfter = page.data[page.data.length - 1]!.id;
      }
    };
    const paging = (sa: string | undefined) => ({ limit: 100, ...(sa ? { starting_after: sa } : {}) });
    await walk((sa) => gw.listProducts({ ...paging(sa), expand: ['data.default_price'] }));
    await walk((sa) => gw.listCustomers(paging(sa)));
    await walk((sa) => gw.listPaymentIntents({ ...paging(sa), expand: ['data.latest_charge'] }));
    // Waitlist orders on a saved card: the SetupIntents that saved them, then the saved cards of the customers
    // they belong to, then any card an order waits on that is no longer attached (removed at the customer's
    // request), each through the same projection code as their events.
    await walk((sa) => gw.listSetupIntents(paging(sa)));
    for (const customer of this.savedCardCustomers())
      await walk((sa) => gw.listCustomerPaymentMethods(customer, { ...paging(sa), type: 'card' }));
    for (const pmId of this.unseenSavedCards()) {
      const pm = await gw.retrievePaymentMethod(pmId);
      const now = this.d.clock.now();
      db.transaction(() => {
        // A card an order saved that no customer holds any more was detached.
        applySavedCard(
          db,
          pm,
          stripeTime(db),
          now,
          true,
          pm.customer ? undefined : 'payment_method.detached',
        );
        // The orders waiting on it follow (a detached card names no customer, so they are looked up by card).
        for (const piId of paymentIntentsOnCard(db, pmId)) {
          const o = projectOrder(db, piId, now);
          if (o) orderIds.add(o.orderId);
        }
      })();
      n += 1;
    }
    await walk((sa) => gw.listRefunds(paging(sa)));
    await walk((sa) => gw.listDisputes(paging(sa)));
    await walk((sa) => gw.listEarlyFraudWarnings(paging(sa)));
    this.catchUp = { fetched: n, done: true };
    if (afterAbsence || !newest) {
      this.setState('cursor', newest?.id ?? 'none');
      this.setState('cursor_created', String(newest?.created ?? this.d.stripeClock.nowS()));
    }
    this.setState('rebuilt_at', String(newest?.created ?? 0));
    this.applier.indexSearch();
    this.emitHealth();
    if (orderIds.size || holdIds.size || productIds.size)
      this.d.onApplied({
        orderIds: [...orderIds],
        holdIds: [...holdIds],
        cartIds: [],
        productIds: [...productIds],
      });
    return n;
  }

  /** Customers whose cards a waitlist order saved (by a SetupIntent, or with its hold). */
  private savedCardCustomers(): string[] {
    return this.db
      .prepare(
        `SELECT customer_id FROM card_setups WHERE customer_id IS NOT NULL
         UNION SELECT customer_id FROM payment_intents WHERE setup_future_usage = 'off_session' AND customer_id IS NOT NULL`,
      )
      .pluck()
      .all() as string[];
  }

  /** Cards waitlist orders saved that the customers' lists did not show (detached since). */
  private unseenSavedCards(): string[] {
    return this.db
      .prepare(
        `SELECT payment_method_id FROM card_setups WHERE status = 'succeeded' AND payment_method_id IS NOT NULL
         UNION SELECT payment_method_id FROM payment_intents
           WHERE setup_future_usage = 'off_session' AND payment_method_id IS NOT NULL
         EXCEPT SELECT id FROM saved_cards`,
      )
      .pluck()
      .all() as string[];
  }

  // ----------------------------------------------------------------------------------------------- health

  /** The rebuild past the 30-day window asked for a reconciliation; once one has run, the notice has done its job. */
  acknowledgeFallback(): void {
    this.fallbackNotice = null;
    this.emitHealth();
  }

  /**
   * How late events reach this station: the last event's delivery (its receipt, in Stripe's time, minus its
   * `created`) — but never more than the time since a poll that read everything: a station that has just read
   * the whole list is in step, even when Stripe's clock moved since that event came (a training clock, a
   * computer's drift: the receipt is converted with today's offset, not the one it was received with).
   */
  private lag(last: { created: number; received_at: number }): number {
    const delivery = Math.max(0, last.received_at + this.d.stripeClock.offset - last.created * 1000);
    if (this.lastPollAt === null || this.lastError) return delivery;
    return Math.min(delivery, Math.max(0, this.d.stripeClock.now() - this.lastPollAt));
  }

  health(): SyncHealth {
    const last = this.db
      .prepare('SELECT created, received_at FROM stripe_events ORDER BY rowid DESC LIMIT 1')
      .get() as { created: number; received_at: number } | undefined;
    const applied = (this.db.prepare('SELECT count(*) AS n FROM stripe_events').get() as { n: number }).n;
    const cursor = this.getState('cursor');
    return {
      mode: !this.running ? 'stopped' : this.webhook.enabled ? 'webhook' : 'polling',
      running: this.running,
      lastEventAt: last ? last.created * 1000 : null,
      lastPollAt: this.lastPollAt,
      lagMs: last ? this.lag(last) : null,
      cursor: cursor && cursor !== 'none' ? cursor : null,
      eventsApplied: applied,
      catchUp: this.catchUp,
      lastError: this.lastError,
      stripeReachable: this.reachable,
      webhook: { ...this.webhook },
      fallbackNotice: this.fallbackNotice,
      stripeNow: Math.round(this.d.stripeClock.now()),
    };
  }

  get isReachable(): boolean {
    return this.reachable;
  }

  private emitHealth(): void {
    this.d.onHealth(this.health());
  }

  recentEvents(limit: number): EventRow[] {
    const rows = this.db
      .prepare(
        // The ledger's rowid is the order events were received in (a page is applied oldest first).
        'SELECT id, type, created, received_at, source, object_id, outcome FROM stripe_events ORDER BY rowid DESC LIMIT ?',
      )
      .all(limit) as {
      id: string;
      type: string;
      created: number;
      received_at: number;
      source: EventRow['source'];
      object_id: string | null;
      outcome: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      createdAt: r.created * 1000,
      receivedAt: r.received_at,
      source: r.source,
      objectId: r.object_id,
      outcome: r.outcome,
    }));
  }

  private getState(key: string): string | null {
    return (
      (
        this.db.prepare('SELECT value FROM sync_state WHERE key = ?').get(key) as
          { value: string } | undefined
      )?.value ?? null
    );
  }

  private setState(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}
