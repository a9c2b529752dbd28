/**
 * The emulator's kernel: state, clock, events, scheduled work, route registration, lookups, lists and expand.
 * Transport-free (see server.ts). Every Stripe resource lives in its own module under resources/, which
 * registers its routes here; a handler takes validated form parameters and returns an SDK-typed object (or a
 * pre-serialised list). Idempotency and the error envelope are the transport's job (idempotency.ts, errors.ts).
 */
import type Stripe from 'stripe';
import { StripeApiError, invalidRequest, resourceMissing } from './errors';
import { expandObject } from './expand';
import type { FormObject } from './form';
import { checkCursors, checkLimit, inRange, paginate } from './lists';
import type { Range } from './lists';
import { LIST_SPEC, validate } from './params';
import type { Params } from './params';
import { State, buildEventJson, newId } from './state';
import type { EventRecord, Kind, ObjectTypes, Stored, Timer } from './state';

export interface EmulatorConfig {
  authorizationWindowSeconds: number;
  /**
   * cancellation_reason set on a PaymentIntent whose authorization expired. [unverified] Stripe's docs do not
   * say whether it is 'automatic' or 'expired'; we assume 'automatic'.
   */
  expiryCancellationReason: Stripe.PaymentIntent.CancellationReason;
  /**
   * Parameters a succeeded or canceled PaymentIntent still accepts on update. Stripe's docs say only that
   * metadata can still be edited (the Dashboard does it); [unverified] for any other field, so the default is
   * ['metadata'] and e.g. description, receipt_email or shipping can be allowed here.
   */
  paymentIntentUpdatableAfterSuccess: readonly string[];
  /** Seconds after a dispute test card's payment succeeds until the dispute arrives. [unverified] "soon" */
  disputeDelaySeconds: number;
  /** Seconds after the fraud-warning test card's payment succeeds until the warning arrives. [unverified] */
  earlyFraudWarningDelaySeconds: number;
  /** Days to respond: evidence_details.due_by is the end (23:59:59 UTC) of that day after the dispute. */
  disputeResponseDays: number;
  /** Seconds after evidence marked winning_evidence / losing_evidence is submitted until the decision. */
  disputeDecisionDelaySeconds: number;
  /** Status of a closed (accepted) inquiry. [unverified] Stripe documents only needs_response → lost. */
  inquiryClosedStatus: 'warning_closed' | 'lost';
  /** Seconds until a refund of pm_card_refundFail fails ("some time later" in Stripe's docs). */
  refundFailureDelaySeconds: number;
  /** failure_reason of such a refund. [unverified] which of Stripe's reasons the test card gives. */
  refundFailureReason: string;
  /** Seconds a Tax Calculation lives (expires_at − creation): 90 days, per Stripe's docs. */
  taxCalculationLifetimeSeconds: number;
  /**
   * A PaymentIntent linked to a Tax Calculation whose amount isn't the calculation's amount_total. Stripe's
   * docs say to set it to amount_total and that Stripe won't change either; they name no error [unverified]:
   * 'accept' (default) links it anyway, 'refuse' answers 400.
   */
  taxAmountMismatch: 'accept' | 'refuse';
}

export interface RequestCtx {
  requestId: string | null;
  idempotencyKey: string | null;
}

/** Stripe-initiated change (expiry, customer's 3DS step): both request fields null. */
export const SYSTEM_CTX: RequestCtx = { requestId: null, idempotencyKey: null };

export interface ClockSource {
  nowMs(): number;
}

export type EventListener = (e: EventRecord) => void;

export type Handler = (params: FormObject, ctx: RequestCtx, m: RegExpExecArray) => unknown;
interface Route {
  method: string;
  re: RegExp;
  handler: Handler;
}

/** Runs a scheduled task; `at` is the moment it was due (events it emits carry that `created`). */
export type TimerHandler = (id: string, at: number) => void;

/** A pre-serialised JSON response (fast path for event lists). */
export class RawJson {
  constructor(readonly json: string) {}
}

/** The id from a route's `:id` capture. */
export function routeId(m: RegExpExecArray, group = 1): string {
  return decodeURIComponent(m[group] as string);
}

export class Kernel {
  readonly state = new State();
  readonly routes: Route[] = [];
  baseUrl = 'http://127.0.0.1';
  /** Webhook dispatcher hook: number of endpoints an event goes to, and what to do once it is stored. */
  endpointsFor: (type: string) => number = () => 0;
  onEvent: EventListener = () => {};
  /** Called when the earliest scheduled task changes (the running emulator arms a real-time timer for it). */
  onTimersChanged: () => void = () => {};
  private readonly timerHandlers = new Map<string, TimerHandler>();
  /** Earliest `at` among timers; Infinity when none; NaN when it must be recomputed. */
  private nextDue = Infinity;

  constructor(
    private readonly clock: ClockSource,
    readonly config: EmulatorConfig,
  ) {}

  nowMs(): number {
    return this.clock.nowMs();
  }
  nowSec(): number {
    return Math.floor(this.clock.nowMs() / 1000);
  }

  // ---------------------------------------------------------------- events

  emit(
    type: string,
    obj: { id: string },
    ctx: RequestCtx,
    prev: Record<string, unknown> | null = null,
    created = this.nowSec(),
  ): EventRecord {
    const e: EventRecord = {
      id: newId('evt'),
      seq: this.state.events.length + 1,
      type,
      created,
      objectJson: JSON.stringify(obj),
      prevJson: prev === null ? null : JSON.stringify(prev),
      request: { id: ctx.requestId, idempotency_key: ctx.idempotencyKey },
      pending: this.endpointsFor(type),
      json: '',
    };
    e.json = buildEventJson(e);
    this.state.addEvent(e);
    this.onEvent(e);
    return e;
  }

  // ---------------------------------------------------------------- scheduled work (emulator time)

  /** Registers what runs when a task of this kind comes due. */
  onTimer(task: string, handler: TimerHandler): void {
    this.timerHandlers.set(task, handler);
  }

  /** Schedules (or reschedules) `task` for object `id` at unix second `at`. */
  schedule(task: string, id: string, at: number): void {
    const t: Timer = { task, id, at, seq: ++this.state.timerSeq };
    this.state.timers.set(`${task}:${id}`, t);
    this.state.dirtyTimers = true;
    if (!(at >= this.nextDue)) {
      this.nextDue = Number.isNaN(this.nextDue) ? NaN : at;
      this.onTimersChanged();
    }
  }

  cancelTimer(task: string, id: string): void {
    if (this.state.timers.delete(`${task}:${id}`)) {
      this.state.dirtyTimers = true;
      this.nextDue = NaN;
      this.onTimersChanged();
    }
  }

  /** Unix second of the earliest scheduled task, if any. */
  nextTimerAt(): number | undefined {
    if (Number.isNaN(this.nextDue)) {
      let min = Infinity;
      for (const t of this.state.timers.values()) if (t.at < min) min = t.at;
      this.nextDue = min;
    }
    return this.nextDue === Infinity ? undefined : this.nextDue;
  }

  /** Runs the tasks that are due (in due order). Called before every request and by the real-time timer. */
  tick(): void {
    const now = this.nowSec();
    const next = this.nextTimerAt();
    if (next === undefined || next > now) return;
    for (let round = 0; round < 1000; round++) {
      const due = [...this.state.timers.values()].filter((t) => t.at <= now);
      if (due.length === 0) break;
      due.sort((a, b) => a.at - b.at || a.seq - b.seq);
      for (const t of due) {
        this.state.timers.delete(`${t.task}:${t.id}`);
        this.state.dirtyTimers = true;
        this.timerHandlers.get(t.task)?.(t.id, t.at);
      }
    }
    this.nextDue = NaN;
    this.onTimersChanged();
  }

  /** Rebuilds timer bookkeeping after state was restored or reset. */
  timersRestored(): void {
    this.nextDue = NaN;
    this.onTimersChanged();
  }

  // ---------------------------------------------------------------- routing

  on(method: string, path: string, handler: Handler): void {
    const re = new RegExp('^' + path.replace(/:(\w+)/g, '([^/]+)') + '$');
    this.routes.push({ method, re, handler });
  }

  /** Finds the route for a request; undefined → unknown URL. */
  match(method: string, path: string): { handler: Handler; m: RegExpExecArray } | undefined {
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.re.exec(path);
      if (m) return { handler: r.handler, m };
    }
    return undefined;
  }

  // ---------------------------------------------------------------- lookups, expand, lists

  /** The stored object, or 404 resource_missing (another status when it is a parameter naming it). */
  require<K extends Kind>(kind: K, objId: string, param = 'id', status = 404): Stored<K> {
    const s = this.state.get(kind, objId);
    if (!s || s.internal.deleted) {
      const err = resourceMissing(kind, objId, param);
      if (status !== 404) throw new StripeApiError(status, err.body);
      throw err;
    }
    return s;
  }

  /** Applies `expand[]` paths to a deep copy of obj. */
  expand<T>(obj: T, paths: unknown): T {
    const list = (paths as string[] | undefined) ?? [];
    return expandObject(obj, list, (id) => this.state.objects.get(id));
  }

  listOf<K extends Kind>(
    kind: K,
    params: Params,
    url: string,
    filter: (o: ObjectTypes[K], s: Stored<K>) => boolean = () => true,
  ): Stripe.ApiList<ObjectTypes[K]> {
    checkCursors(params);
    const limit = checkLimit(params.limit);
    const ids = this.state.order[kind];
    const cursorPos = (cursor: unknown, param: string): number | undefined => {
      if (cursor === undefined) return undefined;
      const pos = ids.lastIndexOf(cursor as string);
      if (pos < 0) throw resourceMissing(kind, cursor as string, param);
      return pos;
    };
    const created = params.created as Range | undefined;
    const page = paginate(
      ids.length,
      {
        limit,
        ...(params.starting_after !== undefined
          ? { startingAfter: cursorPos(params.starting_after, 'starting_after') }
          : {}),
        ...(params.ending_before !== undefined
          ? { endingBefore: cursorPos(params.ending_before, 'ending_before') }
          : {}),
      },
      (pos) => {
        const s = this.state.objects.get(ids[pos] as string) as Stored<K> | undefined;
        if (!s || s.internal.deleted) return false;
        return inRange((s.obj as { created: number }).created, created) && filter(s.obj, s);
      },
    );
    const expandPaths = ((params.expand as string[] | undefined) ?? []).map((p) => {
      if (!p.startsWith('data.'))
        throw invalidRequest(`This property cannot be expanded (${p}).`, { param: 'expand' });
      return p.slice(5);
    });
    const data = page.positions.map((pos) => {
      const obj = (this.state.objects.get(ids[pos] as string) as Stored<K>).obj;
      return expandPaths.length ? this.expand(obj, expandPaths) : obj;
    });
    return { object: 'list', data, has_more: page.hasMore, url };
  }

  retrieveSimple<K extends Kind>(kind: K, form: FormObject, objId: string): ObjectTypes[K] {
    const p = validate({ expand: { array: 'string' } }, form);
    return this.expand(this.require(kind, objId).obj, p.expand);
  }

  listSimple<K extends Kind>(kind: K, form: FormObject, url: string): Stripe.ApiList<ObjectTypes[K]> {
    return this.listOf(kind, validate(LIST_SPEC, form), url);
  }

  /** A customer id parameter: the customer must exist and not be deleted. */
  customerRef(idOrNull: unknown, param = 'customer'): string | null {
    if (idOrNull === undefined || idOrNull === null) return null;
    const s = this.state.get('customer', idOrNull as string);
    if (!s || s.internal.deleted) throw resourceMissing('customer', idOrNull as string, param);
    return s.obj.id;
  }
}

/**
 * Applies an update: sets each given (defined) field whose value differs and returns the previous values of
 * those fields, as an event's `previous_attributes` (empty when nothing changed). A changed `metadata` is
 * given whole, as it was. [unverified] whether Stripe lists only the changed keys of a hash; the SDK types
 * previous_attributes as a Partial of the object, which a whole metadata object satisfies.
 */
export function applyUpdate(obj: object, changes: Record<string, unknown>): Record<string, unknown> {
  const target = obj as Record<string, unknown>;
  const prev: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const current = target[key];
    if (JSON.stringify(current) === JSON.stringify(value)) continue;
    prev[key] = current ?? null;
    target[key] = value;
  }
  return prev;
}
