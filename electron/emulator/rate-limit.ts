/**
 * Stripe's basic rate limiter (docs.stripe.com/rate-limits): per account, about 25 read and 25 write operations
 * a second in test mode, 100 and 100 in live mode; above that, 429 with `code: rate_limit`. It runs before the
 * idempotency layer, so nothing is saved for a 429 (stripe-behaviour.md).
 *
 * Off unless configured (tests and the offline demo never meet it): `startEmulator({ rateLimit: 'test' })`,
 * a number of requests a second, `--rate-limit test|live|N` on the CLI, or POST /_emulator/rate_limit.
 *
 * Modelled as two token buckets (reads: GET; writes: POST and DELETE), each holding one second's worth and
 * refilled continuously, on real time (Stripe's limiter does not follow the training clock).
 * [unverified] Stripe documents the rates but not the shape of the limiter (bucket, window, burst) nor any
 * Retry-After header; this one sends `Retry-After` with the whole seconds until a request would pass (at least
 * 1, HTTP's unit), which clients may obey or not. The SDK (23.1.0) does not retry a 429 by itself.
 */

export type RateLimitSetting = number | 'test' | 'live' | false;

/** Requests a second of each kind for a setting (false: no limit). */
export function ratePerSecond(s: RateLimitSetting): number | null {
  if (s === false) return null;
  if (s === 'test') return 25;
  if (s === 'live') return 100;
  if (!Number.isFinite(s) || s <= 0)
    throw new Error('a rate limit must be a positive number of requests a second');
  return s;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private perSecond: number | null;
  private readonly buckets: Record<'read' | 'write', Bucket>;
  /** Requests refused so far (for the control API and tests). */
  refused = 0;

  constructor(
    setting: RateLimitSetting,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.perSecond = ratePerSecond(setting);
    const t = this.nowMs();
    this.buckets = {
      read: { tokens: this.perSecond ?? 0, at: t },
      write: { tokens: this.perSecond ?? 0, at: t },
    };
  }

  get rate(): number | null {
    return this.perSecond;
  }

  set(setting: RateLimitSetting): void {
    this.perSecond = ratePerSecond(setting);
    const t = this.nowMs();
    for (const b of Object.values(this.buckets)) {
      b.tokens = this.perSecond ?? 0;
      b.at = t;
    }
    this.refused = 0;
  }

  /**
   * Take one request of this method's kind. null: it may go ahead; otherwise the seconds (whole, ≥ 1) after
   * which one would pass, for Retry-After.
   */
  take(method: string): number | null {
    const rate = this.perSecond;
    if (rate === null) return null;
    const b = this.buckets[method === 'GET' || method === 'HEAD' ? 'read' : 'write'];
    const t = this.nowMs();
    b.tokens = Math.min(rate, b.tokens + ((t - b.at) / 1000) * rate);
    b.at = t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return null;
    }
    this.refused++;
    return Math.max(1, Math.ceil((1 - b.tokens) / rate));
  }
}
