/** Small helpers shared by the conformance suites (not a test file). */
import Stripe from 'stripe';
import { expect } from 'vitest';
import type { Target } from '../../../../helpers/emulator-target';

/** The Stripe error a request fails with (the test fails if it succeeds). */
export async function failure(p: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(Stripe.errors.StripeError);
    return e as Stripe.errors.StripeError;
  }
  throw new Error('expected the request to fail');
}

/**
 * Polls `read` until `ok` holds: at once on the emulator (its follow-ups are due before the next request), for
 * up to `seconds` on real Stripe (disputes, warnings and failed refunds arrive there a little later).
 */
export async function eventually<T>(
  t: Target,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  seconds = 60,
): Promise<T> {
  for (let i = 0; ; i++) {
    const v = await read();
    if (ok(v) || t.name === 'emulator' || i >= seconds / 2) return v;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** A value no other run has used (real Stripe keeps everything). */
export const unique = (prefix: string): string =>
  `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
