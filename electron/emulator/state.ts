/**
 * The emulator's state: in-memory maps (fast path) with optional write-through persistence to SQLite when a
 * state file is given. Objects are stored as the SDK-typed objects the API returns; emulator-only details live
 * in `internal` side records.
 */
import { randomBytes } from 'node:crypto';
import type Stripe from 'stripe';
import type { TestCard } from './cards';

export const API_VERSION = '2026-10-28.endive';

export type Kind =
  | 'customer'
  | 'payment_intent'
  | 'charge'
  | 'refund'
  | 'payment_method'
  | 'setup_intent'
  | 'webhook_endpoint'
  | 'product'
  | 'price'
  | 'dispute'
  | 'early_fraud_warning'
  | 'tax_registration'
  | 'tax_calculation'
  | 'tax_transaction'
  | 'tax_association';

export interface ObjectTypes {
  customer: Stripe.Customer;
  payment_intent: Stripe.PaymentIntent;
  charge: Stripe.Charge;
  refund: Stripe.Refund;
  payment_method: Stripe.PaymentMethod;
  setup_intent: Stripe.SetupIntent;
  webhook_endpoint: Stripe.WebhookEndpoint;
  product: Stripe.Product;
  price: Stripe.Price;
  dispute: Stripe.Dispute;
  early_fraud_warning: Stripe.Radar.EarlyFraudWarning;
  tax_registration: Stripe.Tax.Registration;
  tax_calculation: Stripe.Tax.Calculation & { id: string };
  tax_transaction: Stripe.Tax.Transaction;
  tax_association: Stripe.Tax.Association;
}

export interface Internal {
  /** PaymentIntent: payment_method_options[card][moto] (not part of the response type). */
  moto?: boolean;
  /** PaymentMethod: the test card behind it. */
  card?: TestCard;
  /** Customer, Product, Price: deleted (a customer's retrieve answers with a DeletedCustomer). */
  deleted?: boolean;
  /** WebhookEndpoint: signing secret (only returned on create). */
  secret?: string;
  /** PaymentIntent / SetupIntent: emulator-only data about the pending 3DS step. */
  offSession?: boolean;
  /**
   * PaymentMethod: set up for off-session use (a SetupIntent with usage off_session, or a payment with
   * setup_future_usage off_session, succeeded with it — its 3DS step included): cards that authenticate
   * "unless set up" then pay off-session without it.
   */
  setUp?: boolean;
  /** PaymentMethod: detached from its customer; Stripe refuses to use it again. */
  detached?: boolean;
  /** Tax Calculation / Transaction: its line items (the list endpoints page through them). */
  taxLineItems?: Array<Stripe.Tax.CalculationLineItem | Stripe.Tax.TransactionLineItem>;
  /** Tax Calculation: the transaction it was committed as (a calculation becomes at most one). */
  taxCommittedAs?: string;
}

export interface Stored<K extends Kind = Kind> {
  kind: K;
  obj: ObjectTypes[K];
  internal: Internal;
  /** Insertion sequence, used as a stable tie-break for lists. */
  seq: number;
}

export interface EventRecord {
  id: string;
  seq: number;
  type: string;
  created: number;
  /** JSON of data.object at the moment of the event (the snapshot). */
  objectJson: string;
  prevJson: string | null;
  request: { id: string | null; idempotency_key: string | null } | null;
  pending: number;
  /** The full event JSON, rebuilt whenever pending_webhooks changes. */
  json: string;
}

/** Work due at an emulator time (authorization expiry, a dispute arriving, a refund failing, …). */
export interface Timer {
  task: string;
  /** The object the task is about. */
  id: string;
  /** Unix seconds (emulator time). */
  at: number;
  /** Insertion sequence: tasks due at the same second run in the order they were scheduled. */
  seq: number;
}

export interface IdempotencyRecord {
  key: string;
  method: string;
  path: string;
  paramsHash: string;
  createdMs: number;
  inFlight: boolean;
  status: number;
  body: string;
  requestId: string;
  headers: Record<string, string>;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
let pool = randomBytes(8192);
let poolPos = 0;
/** A Stripe-like id: prefix + 24 base62 characters. */
export function newId(prefix: string, length = 24): string {
  if (poolPos + length > pool.length) {
    pool = randomBytes(8192);
    poolPos = 0;
  }
  let s = prefix + '_';
  for (let i = 0; i < length; i++) s += ALPHABET[(pool[poolPos++] as number) % 62];
  return s;
}

export function buildEventJson(e: EventRecord): string {
  const req = e.request === null ? 'null' : JSON.stringify(e.request);
  return (
    `{"id":"${e.id}","object":"event","api_version":"${API_VERSION}","created":${e.created},` +
    `"data":{"object":${e.objectJson}${e.prevJson === null ? '' : `,"previous_attributes":${e.prevJson}`}},` +
    `"livemode":false,"pending_webhooks":${e.pending},"request":${req},"type":"${e.type}"}`
  );
}

/** The typed form of an event record (the fast path serialises the same shape via {@link buildEventJson}). */
export function eventObject(e: EventRecord): Stripe.Event {
  const event: Stripe.EventBase = {
    id: e.id,
    object: 'event',
    api_version: API_VERSION,
    created: e.created,
    data: {
      object: JSON.parse(e.objectJson) as Stripe.Event.Data.Object,
      ...(e.prevJson === null
        ? {}
        : { previous_attributes: JSON.parse(e.prevJson) as Stripe.Event.Data.PreviousAttributes }),
    },
    livemode: false,
    pending_webhooks: e.pending,
    request: e.request,
    type: e.type as Stripe.Event.Type,
  };
  return event as Stripe.Event;
}

/** Minimal persistence interface (implemented with better-sqlite3 in persist.ts). */
export interface Persistence {
  load(): {
    objects: Stored[];
    events: EventRecord[];
    idempotency: IdempotencyRecord[];
    offsetMs: number;
    /** Absent in state files written before timers were persisted. */
    timers?: Timer[];
  };
  flush(state: State): void;
  clear(): void;
  close(): void;
}

export class State {
  readonly objects = new Map<string, Stored>();
  /** Ids per kind, in insertion order. */
  readonly order: Record<Kind, string[]> = {
    customer: [],
    payment_intent: [],
    charge: [],
    refund: [],
    payment_method: [],
    setup_intent: [],
    webhook_endpoint: [],
    product: [],
    price: [],
    dispute: [],
    early_fraud_warning: [],
    tax_registration: [],
    tax_calculation: [],
    tax_transaction: [],
    tax_association: [],
  };
  events: EventRecord[] = [];
  eventPos = new Map<string, number>();
  readonly idempotency = new Map<string, IdempotencyRecord>();
  /** Scheduled work, keyed `${task}:${id}`. */
  readonly timers = new Map<string, Timer>();
  timerSeq = 0;
  seq = 0;
  offsetMs = 0;

  // dirty tracking for persistence
  dirtyObjects = new Set<string>();
  dirtyEvents = new Set<string>();
  dirtyIdem = new Set<string>();
  dirtyTimers = false;
  newEventsFrom = 0;

  get<K extends Kind>(kind: K, id: string): Stored<K> | undefined {
    const s = this.objects.get(id);
    return s && s.kind === kind ? (s as Stored<K>) : undefined;
  }

  insert<K extends Kind>(kind: K, obj: ObjectTypes[K], internal: Internal = {}): Stored<K> {
    const stored: Stored<K> = { kind, obj, internal, seq: ++this.seq };
    this.objects.set(obj.id, stored as unknown as Stored);
    this.order[kind].push(obj.id);
    this.dirtyObjects.add(obj.id);
    return stored;
  }

  touch(id: string): void {
    this.dirtyObjects.add(id);
  }

  addEvent(e: EventRecord): void {
    this.eventPos.set(e.id, this.events.length);
    this.events.push(e);
    this.dirtyEvents.add(e.id);
  }

  restore(data: ReturnType<Persistence['load']>): void {
    const sorted = [...data.objects].sort((a, b) => a.seq - b.seq);
    for (const s of sorted) {
      this.objects.set(s.obj.id, s);
      this.order[s.kind].push(s.obj.id);
      this.seq = Math.max(this.seq, s.seq);
    }
    if (data.timers) {
      for (const t of [...data.timers].sort((a, b) => a.seq - b.seq)) {
        this.timers.set(`${t.task}:${t.id}`, t);
        this.timerSeq = Math.max(this.timerSeq, t.seq);
      }
    } else {
      // Older state files: authorization expiry is derived from the holds themselves.
      for (const s of sorted) {
        if (s.kind !== 'payment_intent') continue;
        const pi = s.obj as Stripe.PaymentIntent;
        if (pi.status === 'requires_capture' && typeof pi.latest_charge === 'string') {
          const ch = this.objects.get(pi.latest_charge)?.obj as Stripe.Charge | undefined;
          const before = ch?.payment_method_details?.card?.capture_before;
          if (before !== undefined) {
            const t: Timer = { task: 'hold_expiry', id: pi.id, at: before, seq: ++this.timerSeq };
            this.timers.set(`${t.task}:${t.id}`, t);
          }
        }
      }
    }
    for (const e of [...data.events].sort((a, b) => a.seq - b.seq)) {
      this.eventPos.set(e.id, this.events.length);
      this.events.push(e);
    }
    for (const r of data.idempotency) this.idempotency.set(r.key, r);
    this.offsetMs = data.offsetMs;
    this.clearDirty();
  }

  clearDirty(): void {
    this.dirtyObjects.clear();
    this.dirtyEvents.clear();
    this.dirtyIdem.clear();
    this.dirtyTimers = false;
  }

  reset(): void {
    this.objects.clear();
    for (const k of Object.keys(this.order) as Kind[]) this.order[k] = [];
    this.events = [];
    this.eventPos = new Map();
    this.idempotency.clear();
    this.timers.clear();
    this.timerSeq = 0;
    this.offsetMs = 0;
    this.clearDirty();
  }
}

/** Deep copy through JSON (objects are plain JSON data). */
export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
