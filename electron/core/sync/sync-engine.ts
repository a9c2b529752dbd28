// Event sync without a public URL: poll GET /v1/events from a cursor saved in SQLite (every ~500 ms while
// busy, backing off when idle, on 429 and when Stripe is unreachable), catch up after sleep or downtime,
// and fall back to listing PaymentIntents when the cursor is older than Stripe's 30-day event window.
// Forwarded webhooks (webhook-receiver.ts) feed the same applier, so both paths are exactly-once.
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { Clock, Logger, Scheduler, Cancel } from '../ports';
import type { EventRow, SyncHealth } from '../../ipc/contract';
import { classifyStripeError, type StripeGateway } from '../stripe/gateway';
import { applyPaymentIntent } from '../payments/projection';
import { createOrderFromPaymentIntent, setRefunded } from '../orders/orders-repo';
import { EVENT_TYPES, makeApplier, type ApplyResult, type Source } from './apply';

const WINDOW_S = 30 * 24 * 3600;
const BUSY_MS = 500;
const IDLE_STEPS = [500, 1000, 2000, 5000];
const MAX_BACKOFF_MS = 30_000;

export interface SyncDeps {
  db: Db;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  gateway: () => StripeGateway;
  station: () => string;
  onApplied: (changes: { orderIds: string[]; holdIds: string[]; cartIds: string[] }) => void;
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
  private lastPollAt: number | null = null;
  private catchUp: { fetched: number; done: boolean } | null = null;
  private fallbackNotice: string | null = null;
  private webhook = { enabled: false, port: null as number | null, received: 0 };
  private busyUntil = 0;

  constructor(private readonly d: SyncDeps) {
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
    if (source === 'webhook') this.webhook.received += events.length;
    this.afterApply(results);
    return results;
  }

  private afterApply(results: ApplyResult[]): void {
    const orderIds = new Set<string>();
    const holdIds = new Set<string>();
    const cartIds = new Set<string>();
    const readBack = new Set<string>();
    for (const r of results) {
      r.orderIds.forEach((x) => orderIds.add(x));
      r.holdIds.forEach((x) => holdIds.add(x));
      r.cartIds.forEach((x) => cartIds.add(x));
      r.readBack.forEach((x) => readBack.add(x));
    }
    if (orderIds.size || holdIds.size || cartIds.size) {
      this.d.onApplied({ orderIds: [...orderIds], holdIds: [...holdIds], cartIds: [...cartIds] });
    }
    for (const id of readBack) void this.readBack(id);
  }

  /** Ambiguous order of events: ask Stripe what is true now. */
  async readBack(piId: string): Promise<void> {
    try {
      const pi = await this.d.gateway().retrievePaymentIntent(piId);
      const now = this.d.clock.now();
      this.d.db.transaction(() => {
        applyPaymentIntent(this.d.db, pi, Math.floor(now / 1000), now, true);
        if (pi.status === 'succeeded') createOrderFromPaymentIntent(this.d.db, pi, pi.created * 1000, now);
      })();
      this.d.onApplied({ orderIds: [], holdIds: [piId], cartIds: [] });
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
    if (!this.running || this.polling) return;
    let applied = 0;
    try {
      applied = await this.pollOnce();
      this.backoffMs = 0;
      this.lastError = null;
      this.reachable = true;
    } catch (e) {
      const f = classifyStripeError(e);
      this.lastError = f.message;
      this.reachable = f.kind !== 'unknown';
      this.backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(1000, this.backoffMs * 2));
      this.d.logger.warn(`event poll failed (${f.kind}); retrying in ${this.backoffMs} ms`);
    }
    this.emitHealth();
    if (this.backoffMs) return this.schedule(this.backoffMs);
    if (applied > 0 || this.d.clock.now() < this.busyUntil) {
      this.idleStep = 0;
      return this.schedule(BUSY_MS);
    }
    this.idleStep = Math.min(IDLE_STEPS.length - 1, this.idleStep + 1);
    this.schedule(IDLE_STEPS[this.idleStep]!);
  }

  /** One poll: fetch everything newer than the cursor, page by page, applying as it goes. */
  async pollOnce(): Promise<number> {
    this.polling = true;
    try {
      const cursor = this.getState('cursor');
      if (!cursor || cursor === 'none') return await this.initialSync();
      const cursorCreated = Number(this.getState('cursor_created') ?? '0');
      const nowS = Math.floor(this.d.clock.now() / 1000);
      if (cursorCreated && nowS - cursorCreated > WINDOW_S) return await this.backfill(cursorCreated);
      let applied = 0;
      let after = cursor;
      for (;;) {
        let page: Stripe.ApiList<Stripe.Event>;
        try {
          page = await this.d
            .gateway()
            .listEvents({ ending_before: after, limit: 100, types: [...EVENT_TYPES] });
        } catch (e) {
          const f = classifyStripeError(e);
          // The cursor event is gone (pruned past the window): rebuild from objects instead.
          if (f.kind === 'rejected' && f.status === 404)
            return await this.backfill(cursorCreated || nowS - WINDOW_S);
          throw e;
        }
        this.lastPollAt = this.d.clock.now();
        if (page.data.length === 0) break;
        const oldestFirst = [...page.data].reverse();
        const newest = page.data[0]!;
        // Apply the page and advance the cursor in one transaction: a crash can't skip or repeat a page.
        const results = this.d.db.transaction(() => {
          const r = this.applier.applyBatch(oldestFirst, 'poll');
          this.setState('cursor', newest.id);
          this.setState('cursor_created', String(newest.created));
          return r;
        })();
        this.afterApply(results);
        applied += results.filter((r) => !r.duplicate).length;
        after = newest.id;
        if (page.has_more) {
          this.catchUp = {
            fetched: (this.catchUp?.done === false ? this.catchUp.fetched : 0) + page.data.length,
            done: false,
          };
          this.emitHealth();
        } else break;
      }
      if (this.catchUp && !this.catchUp.done) this.catchUp = { ...this.catchUp, done: true };
      return applied;
    } finally {
      this.polling = false;
    }
  }

  /** First start: read the window's events (newest first, paging back), then apply oldest first. */
  private async initialSync(): Promise<number> {
    const all: Stripe.Event[] = [];
    let startingAfter: string | undefined;
    for (;;) {
      const page = await this.d
        .gateway()
        .listEvents({
          limit: 100,
          types: [...EVENT_TYPES],
          ...(startingAfter ? { starting_after: startingAfter } : {}),
        });
      this.lastPollAt = this.d.clock.now();
      all.push(...page.data);
      this.catchUp = { fetched: all.length, done: !page.has_more };
      if (!page.has_more || page.data.length === 0) break;
      startingAfter = page.data[page.data.length - 1]!.id;
    }
    const newest = all[0];
    const oldestFirst = all.reverse();
    const results = this.d.db.transaction(() => {
      const r = this.applier.applyBatch(oldestFirst, 'poll');
      this.setState('cursor', newest?.id ?? 'none');
      this.setState('cursor_created', String(newest?.created ?? Math.floor(this.d.clock.now() / 1000)));
      return r;
    })();
    this.afterApply(results);
    return results.length;
  }

  /** Past the 30-day horizon: list PaymentIntents (and refunds) changed since, apply them, restart the cursor. */
  async backfill(sinceS: number): Promise<number> {
    const { db, clock } = this.d;
    this.fallbackNotice =
      'The console was away longer than Stripe keeps events (30 days). It rebuilt orders and holds from PaymentIntents instead; run reconciliation to double-check.';
    this.d.logger.warn(this.fallbackNotice);
    let n = 0;
    let startingAfter: string | undefined;
    const orderIds: string[] = [];
    for (;;) {
      const page = await this.d.gateway().listPaymentIntents({
        limit: 100,
        created: { gte: Math.max(0, sinceS - 7 * 24 * 3600) },
        expand: ['data.latest_charge'],
        ...(startingAfter ? { starting_after: startingAfter } : {}),
      });
      const now = clock.now();
      db.transaction(() => {
        for (const pi of page.data) {
          applyPaymentIntent(db, pi, Math.floor(now / 1000), now, true);
          if (pi.status === 'succeeded') {
            const id = createOrderFromPaymentIntent(db, pi, pi.created * 1000, now);
            if (id) orderIds.push(id);
            const ch = pi.latest_charge && typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
            if (ch?.amount_refunded) setRefunded(db, pi.id, ch.amount_refunded, now);
          }
          n++;
        }
      })();
      this.catchUp = { fetched: n, done: !page.has_more };
      this.emitHealth();
      if (!page.has_more || page.data.length === 0) break;
      startingAfter = page.data[page.data.length - 1]!.id;
    }
    // Restart the cursor at the newest event Stripe has now.
    const head = await this.d.gateway().listEvents({ limit: 1, types: [...EVENT_TYPES] });
    const newest = head.data[0];
    this.setState('cursor', newest?.id ?? 'none');
    this.setState('cursor_created', String(newest?.created ?? Math.floor(clock.now() / 1000)));
    if (orderIds.length) this.d.onApplied({ orderIds, holdIds: [], cartIds: [] });
    return n;
  }

  // ----------------------------------------------------------------------------------------------- health

  health(): SyncHealth {
    const last = this.d.db
      .prepare('SELECT created, received_at FROM stripe_events ORDER BY received_at DESC LIMIT 1')
      .get() as { created: number; received_at: number } | undefined;
    const applied = (this.d.db.prepare('SELECT count(*) AS n FROM stripe_events').get() as { n: number }).n;
    const cursor = this.getState('cursor');
    return {
      mode: !this.running ? 'stopped' : this.webhook.enabled ? 'webhook' : 'polling',
      running: this.running,
      lastEventAt: last ? last.created * 1000 : null,
      lastPollAt: this.lastPollAt,
      lagMs: last ? Math.max(0, last.received_at - last.created * 1000) : null,
      cursor: cursor && cursor !== 'none' ? cursor : null,
      eventsApplied: applied,
      catchUp: this.catchUp,
      lastError: this.lastError,
      stripeReachable: this.reachable,
      webhook: { ...this.webhook },
      fallbackNotice: this.fallbackNotice,
    };
  }

  get isReachable(): boolean {
    return this.reachable;
  }

  private emitHealth(): void {
    this.d.onHealth(this.health());
  }

  recentEvents(limit: number): EventRow[] {
    const rows = this.d.db
      .prepare(
        'SELECT id, type, created, received_at, source, object_id, outcome FROM stripe_events ORDER BY received_at DESC, created DESC LIMIT ?',
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
        this.d.db.prepare('SELECT value FROM sync_state WHERE key = ?').get(key) as
          { value: string } | undefined
      )?.value ?? null
    );
  }

  private setState(key: string, value: string): void {
    this.d.db
      .prepare(
        'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}
