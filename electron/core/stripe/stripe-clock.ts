// Stripe's clock, as this station can know it. A station's own clock may be minutes off, so nothing the console
// orders by — snapshots, the 30-day event window, hold deadlines — is compared with it directly. Every answer
// from Stripe carries Stripe's time in its HTTP Date header (whole seconds); the offset from the local clock,
// taken from the latest answer, turns "now" into Stripe's now.
import type { Clock } from '../ports';

interface WithResponse {
  lastResponse?: { headers?: Record<string, string | string[] | undefined> };
}

/** Stripe's time of the answer that carried `obj` (unix seconds), from its Date header; null if unknown. */
export function stripeTimeOf(obj: unknown): number | null {
  const h = (obj as WithResponse | null)?.lastResponse?.headers;
  const raw = h?.date ?? h?.Date;
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

export class StripeClock {
  private offsetMs = 0;
  private known = false;

  constructor(private readonly local: Clock) {}

  /** Learn Stripe's time from an answer (any SDK object or list). Returns that time, or null. */
  observe(obj: unknown): number | null {
    const at = stripeTimeOf(obj);
    if (at === null) return null;
    // The header is truncated to the second: Stripe's clock is somewhere in [at, at + 1).
    this.offsetMs = at * 1000 + 500 - this.local.now();
    this.known = true;
    return at;
  }

  /** Stripe's now, in ms (the local clock while no answer has been seen). */
  now(): number {
    return this.local.now() + this.offsetMs;
  }

  nowS(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Stripe's clock minus this station's, in ms (0 until Stripe has answered once). */
  get offset(): number {
    return this.known ? this.offsetMs : 0;
  }
}
