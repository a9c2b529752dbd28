/** Small helpers shared by the conformance suites (not a test file). */
import http from 'node:http';
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
 * Polls `read` until `ok` holds or `seconds` pass (then returns the last value for the assertions to report).
 * Disputes, fraud warnings and failed refunds arrive a little after the request that causes them, on real
 * Stripe and (on its own clock) on the emulator.
 */
export async function eventually<T>(
  t: Target,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  seconds = 60,
): Promise<T> {
  const every = t.name === 'emulator' ? 250 : 2000;
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Per-test timeout for tests that wait on `eventually` (the suite default is 20 s). */
export const SLOW = 120_000;

/** A value no other run has used (real Stripe keeps everything). */
export const unique = (prefix: string): string =>
  `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export interface WebhookReceiver {
  url: string;
  /** Deliveries answered 200, in arrival order. */
  received: Array<{ path: string; body: string; sig: string }>;
  /** How many of the next deliveries to answer 500. */
  failNext: number;
  close(): Promise<void>;
}

/** A local HTTP server standing in for a webhook endpoint. */
export async function webhookReceiver(): Promise<WebhookReceiver> {
  const r: WebhookReceiver = { url: '', received: [], failNext: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (r.failNext > 0) {
        r.failNext--;
        res.writeHead(500).end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      r.received.push({ path: req.url ?? '', body, sig: String(req.headers['stripe-signature']) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  r.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  r.close = () => new Promise((done) => server.close(() => done()));
  return r;
}

/** Places for the Stripe Tax suites (the demo shop registers New York; Texas has no registration). */
export const TAX_PLACES = {
  NYC: { line1: '350 5th Ave', city: 'New York', state: 'NY', postal_code: '10118', country: 'US' },
  AUSTIN: { line1: '1100 Congress Ave', city: 'Austin', state: 'TX', postal_code: '78701', country: 'US' },
};

/** A card payment of a Tax Calculation's amount_total, linked to it (hooks.inputs.tax.calculation) and confirmed. */
export function payLinked(
  s: Stripe,
  calc: Stripe.Tax.Calculation,
  extra: Partial<Stripe.PaymentIntentCreateParams> = {},
): Promise<Stripe.PaymentIntent> {
  return s.paymentIntents.create({
    amount: calc.amount_total,
    currency: 'usd',
    payment_method: 'pm_card_visa',
    allowed_payment_method_types: ['card'],
    hooks: { inputs: { tax: { calculation: calc.id as string } } },
    confirm: true,
    ...extra,
  });
}
