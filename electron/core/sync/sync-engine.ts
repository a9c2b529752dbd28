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
import { RATE_PER_S, makePacer } from './paced';

const WINDOW_S = 30 * 24 * 3600;

/** The lists a rebuild walks, in order (the place reached is saved as one of these and a cursor). */
const REBUILD_STEPS = [
  'products',
  'customers',
  'payment_intents',
  'setup_intents',
  'saved_cards',
  'refunds',
  'disputes',
  'early_fraud_warnings',
] as const;
type RebuildStep = (typeof REBUILD_STEPS)[number];
interface RebuildProgress {
  step: RebuildStep;
  after: string | null;
  read: number;
  orders: number;
}

/**
 * When the oldest object of a list was made, to a few percent of the span, by asking "any made before t?"
 * (a one-item list with created[lt]): back in doubling steps from `before` until none, then halving the gap.
 */
async function oldestCreated(before: number, anyBefore: (t: number) => Promise<boolean>): Promise<number> {
  let known = before; // something was made at `known`
  let gap = 60;
  // Doubling: find a time with nothing before it.
  for (;;) {
    const t = before - gap;
    if (t <= 0 || !(await anyBefore(t))) break;
    known = t;
    gap *= 2;
  }
  let empty = Math.max(0, before - gap); // nothing before `empty`
  // Halving, to 1/32 of the span.
  while (known - empty > Math.max(1, (before - empty) / 32)) {
    const mid = Math.floor((known + empty) / 2);
    if (await anyBefore(mid)) known = mid;
    else empty = mid;
  }
  return empty;
}
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
  private catchUp: SyncHealth['catchUp'] = null;
  /** The last rebuild's requests answered and 429s met (the bench reads them). */
  lastRebuild: { requests: number; rateLimited: number } | null = null;
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
    // The events and their orders' search entries in one transaction: one commit a webhook group, not two.
    const results = withRelaxedSync(this.d.db, () =>
      this.db.transaction(() => {
        const r = this.applier.applyBatch(events, source);
        this.applier.indexSearch();
        return r;
      })(),
    );
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
    // Stopped while the poll was out (the console closing): its database may be closed already.
    if (!this.running) return;
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
   *
   * A big shop is a thousand pages and more: requests keep to Stripe's rate limit (paced.ts: 25 a second in
   * test mode, 100 live; a 429 waits as its Retry-After says), progress with an estimate of the time left is
   * in the sync health (catchUp.rebuild), and the place reached is saved with each page (sync_state
   * rebuild_progress), so a rebuild cut short — the laptop closed, the console quit, Stripe unreachable —
   * carries on from there next time instead of starting again.
   */
  async rebuild(afterAbsence = false): Promise<number> {
    const { db } = this;
    const gw = this.d.gateway();
    const pacer = makePacer(gw.mode === 'live' ? RATE_PER_S.live : RATE_PER_S.test, {
      onWait: (ms) => this.d.logger.warn(`Stripe asked to slow down (429): waiting ${Math.round(ms)} ms`),
    });
    const paced = <T>(request: () => Promise<T>) => pacer.run(request);
    if (afterAbsence) {
      this.fallbackNotice =
        'The console was away longer than Stripe keeps events (30 days). It rebuilt orders, holds, products, customers and saved cards from Stripe’s records instead; run reconciliation to double-check.';
      this.d.logger.warn(this.fallbackNotice);
    }
    // Where a rebuild cut short stopped: the lists before `step` are done, `step` goes on after `after`.
    const saved = this.getState('rebuild_progress');
    const resume = saved ? (JSON.parse(saved) as RebuildProgress) : null;
    const stepIndex = (step: RebuildStep) => REBUILD_STEPS.indexOf(step);
    // Everything listed below is at least as new as the newest event now: events older than it are stale.
    // (A 429 here is left to the poller's back-off, as for any event poll: nothing has started yet.)
    const head = await pacer.run(() => gw.listEvents({ limit: 1 }), 0);
    this.d.stripeClock.observe(head);
    const newest = head.data[0];
    if (newest) db.transaction(() => noteStripeTime(db, newest.created))();
    let n = resume?.read ?? 0;
    /** What is applied and committed (n and progress.orders count what is read). */
    const applied = { read: n, orders: resume?.orders ?? 0 };
    const orderIds = new Set<string>();
    const holdIds = new Set<string>();
    const productIds = new Set<string>();
    const progress: NonNullable<NonNullable<SyncHealth['catchUp']>['rebuild']> = {
      step: resume?.step ?? REBUILD_STEPS[0],
      orders: resume?.orders ?? 0,
      ordersEstimate: null,
      secondsLeft: null,
      resumed: resume !== null,
    };
    const report = () => {
      this.catchUp = { fetched: n, done: false, rebuild: { ...progress } };
      this.emitHealth();
    };
    const walk = async <T extends { id: string; object?: string; created?: number }>(
      step: RebuildStep,
      list: (startingAfter: string | undefined) => Promise<Stripe.ApiList<T>>,
      onPage?: (page: Stripe.ApiList<T>) => Promise<void>,
    ): Promise<void> => {
      if (resume && stepIndex(step) < stepIndex(resume.step)) return;
      progress.step = step;
      const startingAfter = resume?.step === step ? (resume.after ?? undefined) : undefined;
      let next: Promise<Stripe.ApiList<T>> | null = paced(() => list(startingAfter));
      // Pages are applied four at a time (400 objects a commit: a commit's cost is mostly the index pages it
      // writes, shared by the objects in it), each commit with the place reached.
      const held: { page: Stripe.ApiList<T>; now: number }[] = [];
      const applyHeld = () => {
        const pages = held.splice(0);
        if (pages.length === 0) return;
        const lastPage = pages[pages.length - 1]!.page;
        const last = lastPage.data[lastPage.data.length - 1]?.id;
        withRelaxedSync(this.d.db, () =>
          db.transaction(() => {
            for (const { page, now } of pages)
              for (const o of page.data) {
                const fx = applyWritten(db, o, now);
                fx.orderIds.forEach((x) => orderIds.add(x));
                fx.holdIds.forEach((x) => holdIds.add(x));
                fx.productIds.forEach((x) => productIds.add(x));
              }
            applied.read += pages.reduce((k, p) => k + p.page.data.length, 0);
            if (step === 'payment_intents')
              applied.orders += pages.reduce((k, p) => k + p.page.data.length, 0);
            // The pages and the place reached commit together (a customer's cards: the step as a whole, below).
            if (step === 'saved_cards') return;
            const at: RebuildProgress = {
              step: lastPage.has_more && last ? step : (REBUILD_STEPS[stepIndex(step) + 1] ?? step),
              after: lastPage.has_more && last ? last : null,
              read: applied.read,
              orders: applied.orders,
            };
            this.setState('rebuild_progress', JSON.stringify(at));
          })(),
        );
      };
      while (next) {
        let page: Stripe.ApiList<T>;
        try {
          page = await next;
        } catch (e) {
          applyHeld(); // what was read is kept: the next rebuild carries on after it
          throw e;
        }
        const last = page.data[page.data.length - 1]?.id;
        // The next page is asked for before this one is applied: Stripe prepares it meanwhile.
        next = page.has_more && last ? paced(() => list(last)) : null;
        next?.catch(() => undefined); // awaited above, next time round; a failure there ends the walk
        n += page.data.length;
        if (step === 'payment_intents') progress.orders += page.data.length;
        held.push({ page, now: this.d.clock.now() });
        if (held.length >= 4 || !next) applyHeld();
        await onPage?.(page);
        report();
      }
    };
    const paging = (sa: string | undefined) => ({ limit: 100, ...(sa ? { starting_after: sa } : {}) });
    await walk('products', (sa) => gw.listProducts({ ...paging(sa), expand: ['data.default_price'] }));
    await walk('customers', (sa) => gw.listCustomers(paging(sa)));
    // The orders are most of the work: the time left is estimated from how far back in time the pages have
    // come, against when the oldest PaymentIntent was made (found with a few one-item list requests).
    const eta = { first: 0, t0: 0, startedAt: 0, pages: 0, oldest: null as number | null };
    await walk(
      'payment_intents',
      (sa) => gw.listPaymentIntents({ ...paging(sa), expand: ['data.latest_charge'] }),
      async (page) => {
        const oldestHere = page.data[page.data.length - 1]?.created;
        if (oldestHere === undefined) return;
        if (eta.pages++ === 0) {
          eta.t0 = page.data[0]!.created;
          eta.first = progress.orders - page.data.length;
          eta.startedAt = performance.now();
          if (page.has_more)
            eta.oldest = await oldestCreated(oldestHere, (lt) =>
              paced(() => gw.listPaymentIntents({ limit: 1, created: { lt } })).then(
                (l) => l.data.length > 0,
              ),
            );
          return;
        }
        if (eta.oldest === null) return;
        const span = eta.t0 - eta.oldest + 1;
        const covered = Math.min(1, (eta.t0 - oldestHere + 1) / span);
        const readNow = progress.orders - eta.first;
        const total = Math.max(readNow, Math.round(readNow / covered));
        progress.ordersEstimate = eta.first + total;
        const perOrderS = (performance.now() - eta.startedAt) / 1000 / Math.max(1, readNow - 100);
        progress.secondsLeft = page.has_more ? Math.max(0, Math.round((total - readNow) * perOrderS)) : 0;
      },
    );
    progress.secondsLeft = null;
    // Waitlist orders on a saved card: the SetupIntents that saved them, then the saved cards of the customers
    // they belong to, then any card an order waits on that is no longer attached (removed at the customer's
    // request), each through the same projection code as their events.
    await walk('setup_intents', (sa) => gw.listSetupIntents(paging(sa)));
    if (!resume || stepIndex(resume.step) <= stepIndex('saved_cards')) {
      progress.step = 'saved_cards';
      for (const customer of this.savedCardCustomers())
        await walk('saved_cards', (sa) =>
          gw.listCustomerPaymentMethods(customer, { ...paging(sa), type: 'card' }),
        );
      for (const pmId of this.unseenSavedCards()) {
        const pm = await paced(() => gw.retrievePaymentMethod(pmId));
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
      // Each customer's cards start a list of their own: the step is done as a whole.
      applied.read = n;
      this.setState(
        'rebuild_progress',
        JSON.stringify({ step: 'refunds', after: null, read: n, orders: applied.orders }),
      );
    }
    await walk('refunds', (sa) => gw.listRefunds(paging(sa)));
    await walk('disputes', (sa) => gw.listDisputes(paging(sa)));
    await walk('early_fraud_warnings', (sa) => gw.listEarlyFraudWarnings(paging(sa)));
    this.catchUp = { fetched: n, done: true };
    this.lastRebuild = { requests: pacer.requests, rateLimited: pacer.rateLimited };
    db.transaction(() => {
      if (afterAbsence || !newest) {
        this.setState('cursor', newest?.id ?? 'none');
        this.setState('cursor_created', String(newest?.created ?? this.d.stripeClock.nowS()));
      }
      this.setState('rebuilt_at', String(newest?.created ?? 0));
      db.prepare("DELETE FROM sync_state WHERE key = 'rebuild_progress'").run();
    })();
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
