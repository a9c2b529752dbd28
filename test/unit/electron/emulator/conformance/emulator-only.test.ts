/**
 * Emulator-only conformance (control API: clock, 3DS, faults; webhooks to a local server; persistence).
 * These need the emulator's control API, so they never run against real Stripe.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checked, emulatorTarget } from '../../../../helpers/emulator-target';
import type { Target } from '../../../../helpers/emulator-target';
import type { RunningEmulator } from '../../../../../electron/emulator/index';
import { webhookReceiver } from './support';
import type { WebhookReceiver } from './support';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- control API JSON, asserted field by field
type ControlJson = any;

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);

async function control(
  emu: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: ControlJson; headers: Headers }> {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    redirect: 'manual',
    ...(body !== undefined
      ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }
      : {}),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    /* html */
  }
  return { status: res.status, json, headers: res.headers };
}

async function expectError(p: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await p;
  } catch (e) {
    return e as Stripe.errors.StripeError;
  }
  throw new Error('expected failure');
}

describe('emulator-only: clock, expiry, 3DS control', () => {
  let t: Target & { emulator: RunningEmulator };
  let stripe: Stripe;
  beforeAll(async () => {
    t = await emulatorTarget({ clock: { now: () => T0 } });
    stripe = t.stripe;
  });
  afterAll(() => t.close());

  it('clock advance moves emulator time and GET /_emulator/clock reports it', async () => {
    const before = (await control(t.emulator, 'GET', '/_emulator/clock')).json.now as number;
    const r = await control(t.emulator, 'POST', '/_emulator/clock/advance', { seconds: 3600 });
    expect(r.status).toBe(200);
    expect(r.json.now).toBe(before + 3600);
    expect(Math.floor(t.emulator.now() / 1000)).toBe(before + 3600);
    const cus = await stripe.customers.create({});
    expect(cus.created).toBe(before + 3600);
  });

  it('authorization expires after the window: PI canceled, charge.expired + payment_intent.canceled with null request', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
      expand: ['latest_charge'],
    });
    const ch = pi.latest_charge as Stripe.Charge;
    const captureBefore = ch.payment_method_details?.card?.capture_before as number;
    expect(captureBefore).toBe(ch.created + 7 * 86400);
    t.emulator.advanceClock(7 * 86400 - 10);
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('requires_capture');
    await control(t.emulator, 'POST', '/_emulator/clock/advance', { seconds: 20 });
    const after = checked(await stripe.paymentIntents.retrieve(pi.id));
    expect(after.status).toBe('canceled');
    expect(after.cancellation_reason).toBe('automatic');
    const events = (await stripe.events.list({ limit: 5 })).data;
    const expired = events.find((e) => e.type === 'charge.expired');
    const canceled = events.find((e) => e.type === 'payment_intent.canceled');
    expect(expired?.created).toBe(captureBefore);
    expect(canceled?.created).toBe(captureBefore);
    expect(canceled?.request).toEqual({ id: null, idempotency_key: null });
    checked(expired);
    checked(canceled);
    const err = await expectError(stripe.paymentIntents.capture(pi.id));
    expect(err.code).toBe('payment_intent_unexpected_state');
  });

  it('authenticate succeed → succeeded / requires_capture; fail → authentication failure', async () => {
    const a = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
    });
    const r = await control(t.emulator, 'POST', `/_emulator/payment_intents/${a.id}/authenticate`, {
      outcome: 'succeed',
    });
    expect(r.json.status).toBe('succeeded');
    const b = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_threeDSecure2Required',
      capture_method: 'manual',
      confirm: true,
    });
    expect(
      (
        await control(t.emulator, 'POST', `/_emulator/payment_intents/${b.id}/authenticate`, {
          outcome: 'succeed',
        })
      ).json.status,
    ).toBe('requires_capture');
    const c = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
    });
    await control(t.emulator, 'POST', `/_emulator/payment_intents/${c.id}/authenticate`, { outcome: 'fail' });
    const cAfter = checked(await stripe.paymentIntents.retrieve(c.id));
    expect(cAfter.status).toBe('requires_payment_method');
    expect(cAfter.last_payment_error?.code).toBe('payment_intent_authentication_failure');
    const d = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_threeDSecureRequiredChargeDeclined',
      confirm: true,
    });
    await control(t.emulator, 'POST', `/_emulator/payment_intents/${d.id}/authenticate`, {
      outcome: 'succeed',
    });
    const dAfter = await stripe.paymentIntents.retrieve(d.id);
    expect(dAfter.status).toBe('requires_payment_method');
    expect(dAfter.last_payment_error?.decline_code).toBe('generic_decline');
    const types = (await stripe.events.list({ limit: 3 })).data.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['payment_intent.payment_failed', 'charge.failed']);
  });

  it('3DS page: accessible buttons, POST redirects to return_url like Stripe', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
      return_url: 'https://shop.example/done',
    });
    const url = pi.next_action?.redirect_to_url?.url as string;
    expect(url).toBe(`${t.emulator.url}/_emulator/3ds/${pi.id}`);
    const page = await fetch(url);
    const html = await page.text();
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('<button type="submit" class="ok">Complete authentication</button>');
    expect(html).toContain('Fail authentication</button>');
    expect(html).not.toMatch(/<script|<link|src=/);
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'outcome=succeed',
    });
    expect(res.status).toBe(303);
    const loc = new URL(res.headers.get('location') as string);
    expect(loc.origin + loc.pathname).toBe('https://shop.example/done');
    expect(loc.searchParams.get('payment_intent')).toBe(pi.id);
    expect(loc.searchParams.get('redirect_status')).toBe('succeeded');
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
  });

  it('events older than 30 days are not listed and not retrievable', async () => {
    const cus = await stripe.customers.create({ name: 'old' });
    const ev = (await stripe.events.list({ limit: 1 })).data[0] as Stripe.Event;
    expect((ev.data.object as { id: string }).id).toBe(cus.id);
    t.emulator.advanceClock(31 * 86400);
    const err = await expectError(stripe.events.retrieve(ev.id));
    expect(err.statusCode).toBe(404);
    const list = await stripe.events.list({ limit: 100 });
    expect(list.data.find((e) => e.id === ev.id)).toBeUndefined();
  });
});

describe('emulator-only: idempotency and faults', () => {
  let t: Target & { emulator: RunningEmulator };
  beforeAll(async () => {
    t = await emulatorTarget();
  });
  afterAll(() => t.close());

  it('replays with Idempotent-Replayed and Original-Request; other params → 400 idempotency_error', async () => {
    const s = t.stripe;
    const a = await s.customers.create({ name: 'x' }, { idempotencyKey: 'k-1' });
    const b = await s.customers.create({ name: 'x' }, { idempotencyKey: 'k-1' });
    expect(b.id).toBe(a.id);
    expect(b.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(b.lastResponse.headers['original-request']).toBe(a.lastResponse.requestId);
    const err = await expectError(s.customers.create({ name: 'y' }, { idempotencyKey: 'k-1' }));
    expect(err.type).toBe('StripeIdempotencyError');
    expect(err.statusCode).toBe(400);
    const other = await expectError(
      s.paymentIntents.create({ amount: 100, currency: 'usd' }, { idempotencyKey: 'k-1' }),
    );
    expect(other.type).toBe('StripeIdempotencyError');
  });

  it('card errors are saved and replayed; validation errors are not', async () => {
    const s = t.stripe;
    const params = {
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_visa_chargeDeclined',
      confirm: true,
    };
    const e1 = await expectError(s.paymentIntents.create(params, { idempotencyKey: 'decl' }));
    const e2 = await expectError(s.paymentIntents.create(params, { idempotencyKey: 'decl' }));
    expect(e2.statusCode).toBe(402);
    expect((e2.payment_intent as Stripe.PaymentIntent).id).toBe(
      (e1.payment_intent as Stripe.PaymentIntent).id,
    );
    expect(e2.headers?.['idempotent-replayed']).toBe('true');
    const v1 = await expectError(
      s.paymentIntents.create({ amount: 10, currency: 'usd' }, { idempotencyKey: 'small' }),
    );
    expect(v1.code).toBe('amount_too_small');
    const ok = await s.paymentIntents
      .create({ amount: 10, currency: 'usd' }, { idempotencyKey: 'small' })
      .catch((e: Stripe.errors.StripeError) => e);
    expect((ok as Stripe.errors.StripeError).headers?.['idempotent-replayed']).toBeUndefined();
  });

  it('keys expire after 24h of emulator time', async () => {
    const s = t.stripe;
    const a = await s.customers.create({ name: 'ttl' }, { idempotencyKey: 'ttl' });
    t.emulator.advanceClock(24 * 3600 + 1);
    const b = await s.customers.create({ name: 'ttl' }, { idempotencyKey: 'ttl' });
    expect(b.id).not.toBe(a.id);
  });

  it('delay fault: concurrent request with the same key gets 409 idempotency_key_in_use', async () => {
    await control(t.emulator, 'POST', '/_emulator/faults', {
      kind: 'delay',
      count: 1,
      path_prefix: '/v1/customers',
      delay_ms: 300,
    });
    const s = t.client({ maxNetworkRetries: 0 });
    const first = s.customers.create({ name: 'slow' }, { idempotencyKey: 'busy' });
    await new Promise((r) => setTimeout(r, 50));
    const err = await expectError(s.customers.create({ name: 'slow' }, { idempotencyKey: 'busy' }));
    expect(err.statusCode).toBe(409);
    expect(err.code).toBe('idempotency_key_in_use');
    const done = await first;
    const replay = await s.customers.create({ name: 'slow' }, { idempotencyKey: 'busy' });
    expect(replay.id).toBe(done.id);
  });

  it('drop_after_commit: the SDK retry gets the saved result (one object created)', async () => {
    await control(t.emulator, 'POST', '/_emulator/faults', {
      kind: 'drop_after_commit',
      count: 1,
      path_prefix: '/v1/customers',
    });
    const s = t.client({ maxNetworkRetries: 0 });
    const cus = await s.customers.create({ email: 'drop@example.com' });
    expect(cus.lastResponse.headers['idempotent-replayed']).toBe('true');
    const list = await s.customers.list({ email: 'drop@example.com' });
    expect(list.data).toHaveLength(1);
  });

  it('status_500 is retried by the SDK and not saved; status_429 → StripeRateLimitError', async () => {
    await control(t.emulator, 'POST', '/_emulator/faults', {
      kind: 'status_500',
      count: 1,
      path_prefix: '/v1/customers',
    });
    const s = t.client({ maxNetworkRetries: 1 });
    const cus = await s.customers.create({ email: 'retry@example.com' });
    expect(cus.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    await control(t.emulator, 'POST', '/_emulator/faults', { kind: 'status_429', count: 1 });
    const err = await expectError(t.client().customers.list());
    expect(err.type).toBe('StripeRateLimitError');
    expect(
      (await control(t.emulator, 'POST', '/_emulator/faults', { kind: 'status_500', count: 5 })).json.faults,
    ).toHaveLength(1);
    await control(t.emulator, 'DELETE', '/_emulator/faults');
    await t.client().customers.list();
  });

  it('rate limiter: off by default; set, 429 rate_limit with Retry-After above the rate, nothing saved for a key', async () => {
    expect((await control(t.emulator, 'GET', '/_emulator/rate_limit')).json).toEqual({
      per_second: null,
      refused: 0,
    });
    expect((await control(t.emulator, 'POST', '/_emulator/rate_limit', { per_second: -1 })).status).toBe(400);
    expect((await control(t.emulator, 'POST', '/_emulator/rate_limit', { per_second: 'test' })).json).toEqual(
      {
        per_second: 25,
        refused: 0,
      },
    );
    try {
      // 40 reads at once: one second's worth (25) pass, the rest are refused (less the few tokens that flow back
      // while they are answered, on a busy machine); writes have a bucket of their own.
      const s = t.client({ maxNetworkRetries: 0 });
      const got = await Promise.allSettled(Array.from({ length: 40 }, () => s.customers.list({ limit: 1 })));
      const refused = got.filter((g) => g.status === 'rejected');
      expect(refused.length).toBeGreaterThanOrEqual(5);
      expect(refused.length).toBeLessThanOrEqual(15);
      const err = (refused[0] as PromiseRejectedResult).reason as Stripe.errors.StripeError;
      expect(err.type).toBe('StripeRateLimitError');
      expect(err.code).toBe('rate_limit');
      expect(err.statusCode).toBe(429);
      expect(Number(err.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
      // A write refused with an idempotency key saved nothing: the same key later runs the request for real.
      const burst = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) =>
          s.customers.create({ email: `burst${i}@example.com` }, { idempotencyKey: `rl-burst-${i}` }),
        ),
      );
      const refusedAt = burst.findIndex((g) => g.status === 'rejected');
      expect(refusedAt).toBeGreaterThanOrEqual(0);
      await control(t.emulator, 'POST', '/_emulator/rate_limit', { per_second: false });
      const again = await s.customers.create(
        { email: `burst${refusedAt}@example.com` },
        { idempotencyKey: `rl-burst-${refusedAt}` },
      );
      expect(again.lastResponse.headers['idempotent-replayed']).toBeUndefined();
      expect(again.email).toBe(`burst${refusedAt}@example.com`);
    } finally {
      await control(t.emulator, 'POST', '/_emulator/rate_limit', { per_second: false });
    }
  });

  it('auth: non sk_test_ keys → 401; unknown route → 404 envelope; Request-Id on every response', async () => {
    const bad = new Stripe('sk_live_nope', {
      host: t.emulator.host,
      port: t.emulator.port,
      protocol: 'http',
    });
    const err = await expectError(bad.customers.list());
    expect(err.type).toBe('StripeAuthenticationError');
    const res = await fetch(`${t.emulator.url}/v1/nope`, { headers: { Authorization: 'Bearer sk_test_x' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const body = (await res.json()) as { error: { type: string } };
    expect(body.error.type).toBe('invalid_request_error');
  });
});

describe('emulator-only: webhooks', () => {
  let t: Target & { emulator: RunningEmulator };
  let hook: WebhookReceiver;
  beforeAll(async () => {
    t = await emulatorTarget({ webhookRetryDelaysMs: [20, 20] });
    hook = await webhookReceiver();
  });
  afterAll(async () => {
    await t.close();
    await hook.close();
  });

  it('delivers signed events that constructEvent accepts, retrying failures; pending_webhooks reflects it', async () => {
    const we = checked(
      await t.stripe.webhookEndpoints.create({
        url: `${hook.url}/hook`,
        enabled_events: ['customer.created'],
      }),
    );
    expect(we.secret).toMatch(/^whsec_/);
    hook.failNext = 1;
    const cus = await t.stripe.customers.create({ name: 'hooked' });
    const ev = (await t.stripe.events.list({ limit: 1 })).data[0] as Stripe.Event;
    expect(ev.pending_webhooks).toBe(1);
    for (let i = 0; i < 100 && hook.received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(hook.received).toHaveLength(1);
    const got = hook.received[0] as { body: string; sig: string };
    const event = t.stripe.webhooks.constructEvent(got.body, got.sig, we.secret as string);
    checked(event);
    expect(event.type).toBe('customer.created');
    expect((event.data.object as Stripe.Customer).id).toBe(cus.id);
    expect(() => t.stripe.webhooks.constructEvent(got.body, got.sig, 'whsec_wrong')).toThrow();
    for (let i = 0; i < 50; i++) {
      if ((await t.stripe.events.retrieve(ev.id)).pending_webhooks === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await t.stripe.events.retrieve(ev.id)).pending_webhooks).toBe(0);
    const attempts = (await control(t.emulator, 'GET', '/_emulator/webhook_attempts')).json
      .attempts as Array<{ ok: boolean }>;
    expect(attempts.map((a) => a.ok)).toEqual([false, true]);
    const del = await t.stripe.webhookEndpoints.del(we.id);
    expect(del.deleted).toBe(true);
  });
});

describe('emulator-only: --state persistence', () => {
  it('keeps objects, events and idempotency keys across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-state-'));
    try {
      const statePath = join(dir, 'state.db');
      const a = await emulatorTarget({ statePath });
      const pi = await a.stripe.paymentIntents.create(
        { amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true },
        { idempotencyKey: 'persist' },
      );
      a.emulator.advanceClock(60);
      await a.close();
      const b = await emulatorTarget({ statePath });
      const again = await b.stripe.paymentIntents.retrieve(pi.id);
      expect(again.status).toBe('succeeded');
      const replay = await b.stripe.paymentIntents.create(
        { amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true },
        { idempotencyKey: 'persist' },
      );
      expect(replay.id).toBe(pi.id);
      const events = await b.stripe.events.list({ limit: 10 });
      expect(events.data.map((e) => e.type)).toEqual([
        'payment_intent.succeeded',
        'charge.succeeded',
        'payment_intent.created',
      ]);
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
