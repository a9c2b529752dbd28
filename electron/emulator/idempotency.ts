/**
 * Idempotency layer, as Stripe documents it (docs.stripe.com/api/idempotent_requests):
 * - the first request for a key saves its status and body once execution begins, success or failure
 *   (including 500s and card errors); a replay returns them with `Idempotent-Replayed: true` and
 *   `Original-Request: <first request id>`;
 * - the same key with other parameters, or on another endpoint → 400 idempotency_error;
 * - a request while the first is still executing → 409 idempotency_key_in_use;
 * - nothing is saved when parameter validation fails (the caller abandons the record), nor for 401/429
 *   (those happen before this layer);
 * - keys are pruned once 24 hours (of emulator time) old, after which the key starts a new request.
 */
import { StripeApiError } from './errors';
import type { IdempotencyRecord, State } from './state';

export const KEY_TTL_MS = 24 * 3600 * 1000;
export const MAX_KEY_LENGTH = 255;

export type BeginResult =
  | { kind: 'new'; rec: IdempotencyRecord }
  | { kind: 'replay'; rec: IdempotencyRecord }
  | { kind: 'error'; error: StripeApiError };

export class IdempotencyLayer {
  constructor(
    private readonly state: State,
    private readonly nowMs: () => number,
    private readonly ttlMs = KEY_TTL_MS,
  ) {}

  /** Drops keys older than the TTL (Map iteration order is creation order). */
  prune(): void {
    const cutoff = this.nowMs() - this.ttlMs;
    for (const [key, rec] of this.state.idempotency) {
      if (rec.createdMs > cutoff) break;
      if (rec.inFlight) continue;
      this.state.idempotency.delete(key);
      this.state.dirtyIdem.add(key);
    }
  }

  begin(key: string, method: string, path: string, paramsHash: string): BeginResult {
    if (key.length > MAX_KEY_LENGTH) {
      return {
        kind: 'error',
        error: new StripeApiError(
          400,
          {
            type: 'invalid_request_error',
            message: `Idempotency-Key must be at most ${MAX_KEY_LENGTH} characters long.`,
          },
          { beforeExecution: true },
        ),
      };
    }
    this.prune();
    const existing = this.state.idempotency.get(key);
    if (existing && existing.createdMs + this.ttlMs > this.nowMs()) {
      if (existing.inFlight) {
        return {
          kind: 'error',
          error: new StripeApiError(
            409,
            {
              type: 'idempotency_error',
              code: 'idempotency_key_in_use',
              message:
                'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ' +
                key +
                '. Please try again later.',
            },
            { beforeExecution: true },
          ),
        };
      }
      if (existing.method !== method || existing.path !== path) {
        return {
          kind: 'error',
          error: new StripeApiError(
            400,
            {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${existing.method} ${existing.path}' vs '${method} ${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
            },
            { beforeExecution: true },
          ),
        };
      }
      if (existing.paramsHash !== paramsHash) {
        return {
          kind: 'error',
          error: new StripeApiError(
            400,
            {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
            },
            { beforeExecution: true },
          ),
        };
      }
      return { kind: 'replay', rec: existing };
    }
    if (existing) this.state.idempotency.delete(key); // expired: re-insert at the end (creation order)
    const rec: IdempotencyRecord = {
      key,
      method,
      path,
      paramsHash,
      createdMs: this.nowMs(),
      inFlight: true,
      status: 0,
      body: '',
      requestId: '',
      headers: {},
    };
    this.state.idempotency.set(key, rec);
    return { kind: 'new', rec };
  }

  complete(rec: IdempotencyRecord, status: number, body: string, requestId: string): void {
    rec.inFlight = false;
    rec.status = status;
    rec.body = body;
    rec.requestId = requestId;
    this.state.dirtyIdem.add(rec.key);
  }

  /** Execution never began (validation failure): forget the key. */
  abandon(rec: IdempotencyRecord): void {
    if (this.state.idempotency.get(rec.key) === rec) this.state.idempotency.delete(rec.key);
    this.state.dirtyIdem.add(rec.key);
  }
}
