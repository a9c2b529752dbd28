// The idempotency journal. Every POST to Stripe is written here — operation, exact parameters and key —
// before its first attempt, inside a committed transaction. A retry, whether the SDK's own (same key), a
// second press of the button, or recovery after a crash, replays the same key with the same parameters, so
// Stripe executes it at most once. An outcome we could not observe is recorded as `unknown` ("pending
// confirmation") and settled by a later retry, by reading the object back, or by its event — never guessed.
import type { Db } from '../store/db';
import type { Clock, IdGenerator } from '../ports';
import { classifyStripeError, type StripeFailure, type Written } from './gateway';
import { malformedTextIn } from '../record/text';

export type Operation =
  | 'payment_intent.create'
  | 'payment_intent.update'
  | 'payment_intent.confirm'
  | 'payment_intent.capture'
  | 'payment_intent.cancel'
  | 'refund.create'
  | 'product.create'
  | 'product.update'
  | 'price.create'
  | 'price.update'
  | 'customer.create'
  | 'customer.update'
  | 'charge.update'
  | 'setup_intent.create'
  | 'payment_method.detach';

export type JournalState = 'pending' | 'succeeded' | 'failed' | 'unknown';

export interface JournalEntry {
  key: string;
  operation: Operation;
  subject: string;
  params: Record<string, unknown>;
  state: JournalState;
  attempts: number;
  objectId: string | null;
  result: unknown;
  error: StripeFailure | null;
  stripeRequestId: string | null;
  actor: string | null;
  confirmedEventId: string | null;
  createdAt: number;
  updatedAt: number;
}

/** Stripe may prune keys 24 h after first use; past 23 h we read back instead of retrying. */
export const KEY_SAFE_RETRY_MS = 23 * 3600 * 1000;

interface Row {
  key: string;
  operation: string;
  subject: string;
  params_json: string;
  state: string;
  attempts: number;
  object_id: string | null;
  result_json: string | null;
  error_json: string | null;
  stripe_request_id: string | null;
  actor: string | null;
  confirmed_event_id: string | null;
  created_at: number;
  updated_at: number;
}

const toEntry = (r: Row): JournalEntry => ({
  key: r.key,
  operation: r.operation as Operation,
  subject: r.subject,
  params: JSON.parse(r.params_json) as Record<string, unknown>,
  state: r.state as JournalState,
  attempts: r.attempts,
  objectId: r.object_id,
  result: r.result_json ? (JSON.parse(r.result_json) as unknown) : null,
  error: r.error_json ? (JSON.parse(r.error_json) as StripeFailure) : null,
  stripeRequestId: r.stripe_request_id,
  actor: r.actor,
  confirmedEventId: r.confirmed_event_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function getEntry(db: Db, key: string): JournalEntry | null {
  const r = db.prepare('SELECT * FROM stripe_requests WHERE key = ?').get(key) as Row | undefined;
  return r ? toEntry(r) : null;
}

export function openEntries(db: Db): JournalEntry[] {
  return (
    db
      .prepare(`SELECT * FROM stripe_requests WHERE state IN ('pending', 'unknown') ORDER BY created_at`)
      .all() as Row[]
  ).map(toEntry);
}

/** The newest entry for a subject and operation (e.g. the open confirm of a cart's PaymentIntent). */
export function latestEntry(db: Db, subject: string, operation: Operation): JournalEntry | null {
  const r = db
    .prepare(
      'SELECT * FROM stripe_requests WHERE subject = ? AND operation = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
    )
    .get(subject, operation) as Row | undefined;
  return r ? toEntry(r) : null;
}

export function entriesForSubjects(db: Db, subjects: string[]): JournalEntry[] {
  if (subjects.length === 0) return [];
  const q = `SELECT * FROM stripe_requests WHERE subject IN (${subjects.map(() => '?').join(',')}) ORDER BY created_at`;
  return (db.prepare(q).all(...subjects) as Row[]).map(toEntry);
}

/** Event types that mean the request ran and was refused (a decline); any other event means it ran and took effect. */
const FAILURE_EVENTS = new Set([
  'payment_intent.payment_failed',
  'charge.failed',
  'setup_intent.setup_failed',
]);

/**
 * Stripe's event for this request arrived (matched by request.idempotency_key): the request certainly ran.
 * An entry still pending or unknown is settled by it — succeeded, or failed for a decline — and the cart or
 * hold waiting on it stops showing "pending confirmation". Returns whether the key is one of ours.
 */
export function markConfirmed(
  db: Db,
  key: string,
  eventId: string,
  objectId: string | null,
  eventType?: string,
): boolean {
  const type =
    eventType ??
    (db.prepare('SELECT type FROM stripe_events WHERE id = ?').get(eventId) as { type: string } | undefined)
      ?.type;
  const settledAs = type && FAILURE_EVENTS.has(type) ? 'failed' : 'succeeded';
  const info = db
    .prepare(
      `UPDATE stripe_requests SET confirmed_event_id = coalesce(confirmed_event_id, ?), object_id = coalesce(object_id, ?),
         state = CASE WHEN state IN ('pending', 'unknown') THEN ? ELSE state END
       WHERE key = ?`,
    )
    .run(eventId, objectId, settledAs, key);
  if (info.changes === 0) return false;
  const entry = db.prepare('SELECT subject FROM stripe_requests WHERE key = ?').get(key) as {
    subject: string;
  };
  clearPendingFlags(db, entry.subject);
  return true;
}

/** Once nothing is open for a cart or PaymentIntent, it no longer reads "pending confirmation". */
export function clearPendingFlags(db: Db, subject: string): void {
  const open = `EXISTS (SELECT 1 FROM stripe_requests r WHERE r.state IN ('pending', 'unknown') AND r.subject IN (c.id, coalesce(c.payment_intent_id, '')))`;
  db.prepare(
    `UPDATE carts AS c SET pending = 0 WHERE pending = 1 AND (c.id = ? OR c.payment_intent_id = ?) AND NOT ${open}`,
  ).run(subject, subject);
  db.prepare(
    `UPDATE holds SET pending_action = NULL WHERE payment_intent_id = ? AND pending_action IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM stripe_requests r WHERE r.state IN ('pending', 'unknown') AND r.subject = holds.payment_intent_id
         AND r.operation IN ('payment_intent.capture', 'payment_intent.cancel'))`,
  ).run(subject);
}

/** Open entries for any of these subjects (a cart and its PaymentIntent). */
export function openEntriesFor(db: Db, subjects: string[]): JournalEntry[] {
  if (subjects.length === 0) return [];
  const q = `SELECT * FROM stripe_requests WHERE state IN ('pending', 'unknown') AND subject IN (${subjects.map(() => '?').join(',')}) ORDER BY created_at`;
  return (db.prepare(q).all(...subjects) as Row[]).map(toEntry);
}

export interface JournalDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  /** Waits between 429 retries (injected so tests need not wait). */
  sleep?: (ms: number) => Promise<void>;
}

/** Backoff for 429s, which the SDK does not retry: Stripe ran nothing, so the same key is simply re-sent. */
export const RATE_LIMIT_BACKOFF_MS = [250, 750, 2000];

export interface Begin {
  operation: Operation;
  subject: string;
  params: Record<string, unknown>;
  actor: string | null;
  /** A deterministic key (hold capture/release); otherwise a fresh one is made. */
  key?: string;
}

export type Outcome<T> =
  | { state: 'succeeded'; key: string; object: T; requestId: string | null }
  | { state: 'failed'; key: string; failure: StripeFailure }
  | { state: 'unknown'; key: string; failure: StripeFailure };

export class Journal {
  constructor(private readonly deps: JournalDeps) {}

  newKey(operation: Operation): string {
    // Namespaced per operation; a UUID v7 underneath. Well under Stripe's 255 characters.
    return `mc_${operation.replace('.', '_')}_${this.deps.ids.uuid()}`;
  }

  /**
   * Write the entry (or find the existing one for a deterministic key) before any network call.
   * Returns the entry as stored: for an existing key, its stored parameters win.
   */
  begin(b: Begin): JournalEntry {
    const { db, clock } = this.deps;
    const key = b.key ?? this.newKey(b.operation);
    const now = clock.now();
    db.prepare(
      `INSERT INTO stripe_requests (key, operation, subject, params_json, state, actor, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
    ).run(key, b.operation, b.subject, JSON.stringify(b.params), b.actor, now, now);
    return getEntry(db, key)!;
  }

  /** Make (or repeat) the call for an entry, recording what happened. Never throws for Stripe errors. */
  async attempt<T extends { id: string }>(
    entry: JournalEntry,
    call: (params: Record<string, unknown>, key: string) => Promise<Written<T>>,
  ): Promise<Outcome<T>> {
    const { db, clock } = this.deps;
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    // Text Stripe's encoder can't send (a character cut in half) fails here, before anything leaves: a failure,
    // not an unknown outcome, so the cart stays payable and discardable.
    const bad = malformedTextIn(entry.params);
    if (bad) {
      const failure: StripeFailure = {
        kind: 'rejected',
        status: 0,
        code: 'invalid_text',
        message: `The request was not sent: ${bad} holds a character cut in half.`,
        param: bad,
      };
      db.prepare(
        `UPDATE stripe_requests SET state = 'failed', error_json = ?, updated_at = ? WHERE key = ? AND state != 'succeeded'`,
      ).run(JSON.stringify(failure), clock.now(), entry.key);
      clearPendingFlags(db, entry.subject);
      return { state: 'failed', key: entry.key, failure };
    }
    for (let retry = 0; ; retry++) {
      db.prepare('UPDATE stripe_requests SET attempts = attempts + 1, updated_at = ? WHERE key = ?').run(
        clock.now(),
        entry.key,
      );
      try {
        const w = await call(entry.params, entry.key);
        db.prepare(
          `UPDATE stripe_requests SET state = 'succeeded', object_id = ?, result_json = ?, error_json = NULL,
             stripe_request_id = ?, updated_at = ? WHERE key = ?`,
        ).run(w.object.id, JSON.stringify(w.object), w.requestId, clock.now(), entry.key);
        clearPendingFlags(db, entry.subject);
        return { state: 'succeeded', key: entry.key, object: w.object, requestId: w.requestId };
      } catch (e) {
        const failure = classifyStripeError(e);
        if (failure.kind === 'rate_limited' && retry < RATE_LIMIT_BACKOFF_MS.length) {
          await sleep(RATE_LIMIT_BACKOFF_MS[retry]!);
          continue;
        }
        // No answer / 5xx / 409 after the SDK's retries: the outcome is unknown. So is a 429 that outlasted our
        // backoff: that request did not run, but an earlier attempt under the same key (the SDK's own retry
        // after a timeout, or ours before a crash) may have. Card errors and other refusals are definitive.
        const state: JournalState =
          failure.kind === 'unknown' || failure.kind === 'rate_limited' ? 'unknown' : 'failed';
        const objectId = failure.kind === 'card' ? (failure.paymentIntent?.id ?? null) : null;
        db.prepare(
          `UPDATE stripe_requests SET state = ?, error_json = ?, object_id = coalesce(object_id, ?), updated_at = ?
           WHERE key = ? AND state != 'succeeded'`,
        ).run(state, JSON.stringify(failure), objectId, clock.now(), entry.key);
        if (state === 'failed') clearPendingFlags(db, entry.subject);
        return state === 'failed'
          ? { state: 'failed', key: entry.key, failure }
          : { state: 'unknown', key: entry.key, failure };
      }
    }
  }

  /** Settle an entry from a read-back (past the key's safe window, or when an event proved the outcome). */
  settle(
    key: string,
    state: 'succeeded' | 'failed',
    objectId: string | null,
    result: unknown,
    note?: string,
  ): void {
    const { db, clock } = this.deps;
    db.prepare(
      `UPDATE stripe_requests SET state = ?, object_id = coalesce(object_id, ?), result_json = coalesce(?, result_json),
         error_json = CASE WHEN ? = 'failed' THEN ? ELSE error_json END, updated_at = ? WHERE key = ?`,
    ).run(
      state,
      objectId,
      result === undefined || result === null ? null : JSON.stringify(result),
      state,
      JSON.stringify({
        kind: 'rejected',
        status: 0,
        code: 'settled_by_read_back',
        message: note ?? 'settled by read-back',
        param: null,
      }),
      clock.now(),
      key,
    );
    clearPendingFlags(db, getEntry(db, key)!.subject);
  }

  isPastSafeRetry(entry: JournalEntry): boolean {
    return this.deps.clock.now() - entry.createdAt >= KEY_SAFE_RETRY_MS;
  }
}
