// Reading many pages from Stripe without tripping its rate limiter (docs.stripe.com/rate-limits: about 25
// requests a second in test mode, 100 in live mode): a rebuild of a big shop is a thousand list pages and more.
// Requests are spaced to the mode's rate (a bucket of one second's worth, refilled continuously, as Stripe's
// limiter allows bursts of about that much), and a 429 all the same (other requests of the console, another
// station's rebuild sharing the account) waits as long as its Retry-After says, longer on each 429 in a row.
// The SDK does not retry a 429 by itself (stripe-node 23: only connection errors, 409 and 5xx).
import Stripe from 'stripe';

export const RATE_PER_S = { test: 25, live: 100 } as const;

export interface Pacer {
  /** Run one request at the pace, retrying it after each 429 (up to `max429` in a row; 0: none). */
  run<T>(request: () => Promise<T>, max429?: number): Promise<T>;
  /** Requests answered (not 429) and 429s met so far. */
  readonly requests: number;
  readonly rateLimited: number;
}

export function makePacer(
  perSecond: number,
  o: {
    now?: () => number;
    sleep?: (ms: number) => Promise<void>;
    max429?: number;
    onWait?: (ms: number) => void;
  } = {},
): Pacer {
  const now = o.now ?? (() => performance.now());
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const max429 = o.max429 ?? 8;
  let tokens = perSecond;
  let at = now();
  let requests = 0;
  let rateLimited = 0;
  /** Take a token, waiting for it if the bucket is empty (a debt paid by waiting, so the average holds). */
  const take = async (): Promise<void> => {
    const t = now();
    tokens = Math.min(perSecond, tokens + ((t - at) / 1000) * perSecond);
    at = t;
    tokens -= 1;
    if (tokens < 0) await sleep((-tokens / perSecond) * 1000);
  };
  return {
    get requests() {
      return requests;
    },
    get rateLimited() {
      return rateLimited;
    },
    async run<T>(request: () => Promise<T>, max = max429): Promise<T> {
      for (let attempt = 0; ; attempt++) {
        await take();
        try {
          const r = await request();
          requests++;
          return r;
        } catch (e) {
          if (!(e instanceof Stripe.errors.StripeRateLimitError) || attempt >= max) throw e;
          rateLimited++;
          // Retry-After (seconds) when Stripe sends it; at least an exponential back-off from 250 ms.
          const header = Number(e.headers?.['retry-after']);
          const asked = Number.isFinite(header) && header > 0 ? header * 1000 : 0;
          const ms = Math.max(asked, Math.min(30_000, 250 * 2 ** attempt)) * (1 + Math.random() * 0.1);
          // The limiter's bucket is empty: start ours empty too after the wait.
          tokens = 0;
          o.onWait?.(ms);
          await sleep(ms);
          at = now();
        }
      }
    },
  };
}
