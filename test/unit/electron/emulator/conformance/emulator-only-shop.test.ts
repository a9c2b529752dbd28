/**
 * Emulator-only: the shop resources on emulator time (the control clock), the control API for disputes and
 * prices, webhooks for the new event types, scheduled work across restarts, options, and `--seed demo`.
 * These need the control API or emulator options, so they never run against real Stripe.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CATALOG, demoProductId } from '../../../../../electron/core/catalog/demo-catalog';
import type { RunningEmulator } from '../../../../../electron/emulator/index';
import { seedEmulator } from '../../../../../electron/emulator/seed';
import { checked, emulatorTarget } from '../../../../helpers/emulator-target';
import type { Target } from '../../../../helpers/emulator-target';
import { failure, webhookReceiver } from './support';
import type { WebhookReceiver } from './support';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);

async function control(emu: RunningEmulator, method: string, path: string, body?: unknown) {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    ...(body !== undefined
      ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }
      : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function pay(s: Stripe, pm: string, amount = 2000): Promise<Stripe.PaymentIntent> {
  return s.paymentIntents.create({ amount, currency: 'usd', payment_method: pm, confirm: true });
}

describe('emulator-only: shop resources on emulator time', () => {
  let t: Target & { emulator: RunningEmulator };
  let s: Stripe;
  beforeAll(async () => {
    t = await emulatorTarget({ clock: { now: () => T0 } });
    s = t.stripe;
  });
  afterAll(() => t.close());
  const now = (): number => Math.floor(t.emulator.now() / 1000);

  it("a product's `updated` is the time of its last change", async () => {
    const p = await s.products.create({ name: 'Assam' });
    expect(p.updated).toBe(p.created);
    t.emulator.advanceClock(60);
    const u = await s.products.update(p.id, { metadata: { stock: '11' } });
    expect(u.updated).toBe(p.created + 60);
    const same = await s.products.update(p.id, { metadata: { stock: '11' } });
    expect(same.updated).toBe(p.created + 60);
    const ev = (await s.events.list({ type: 'product.updated', limit: 5 })).data;
    expect(ev).toHaveLength(1);
    expect(ev[0]?.data.previous_attributes).toMatchObject({ updated: p.created, metadata: {} });
  });

  it('a dispute is due at the end of the 7th day; the control API decides it won, once', async () => {
    const pi = await pay(s, 'pm_card_createDispute');
    const du = (await s.disputes.list({ payment_intent: pi.id })).data[0] as Stripe.Dispute;
    expect(du.created).toBe(now());
    const day = Math.floor(du.created / 86_400);
    expect(du.evidence_details.due_by).toBe((day + 7) * 86_400 + 86_399);
    const r = await control(t.emulator, 'POST', `/_emulator/disputes/${du.id}/outcome`, { outcome: 'won' });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('won');
    const closed = (await s.events.list({ type: 'charge.dispute.closed', limit: 1 })).data[0] as Stripe.Event;
    checked(closed);
    expect((closed.data.object as Stripe.Dispute).id).toBe(du.id);
    expect(closed.request).toEqual({ id: null, idempotency_key: null });
    expect(closed.data.previous_attributes).toMatchObject({ status: 'needs_response' });
    const again = await control(t.emulator, 'POST', `/_emulator/disputes/${du.id}/outcome`, {
      outcome: 'lost',
    });
    expect(again.status).toBe(400);
    const bad = await control(t.emulator, 'POST', `/_emulator/disputes/${du.id}/outcome`, {
      outcome: 'maybe',
    });
    expect(bad.status).toBe(400);
  });

  it('an unanswered chargeback is lost when its deadline passes; an inquiry closes as warning_closed', async () => {
    const pi = await pay(s, 'pm_card_createDispute');
    const du = (await s.disputes.list({ payment_intent: pi.id })).data[0] as Stripe.Dispute;
    t.emulator.advanceClock((du.evidence_details.due_by as number) - now() + 1);
    const lost = await s.disputes.retrieve(du.id);
    expect(lost.status).toBe('lost');
    const ev = (await s.events.list({ type: 'charge.dispute.closed', limit: 1 })).data[0] as Stripe.Event;
    expect(ev.created).toBe(du.evidence_details.due_by);
    const inquiry = await pay(s, 'pm_card_createDisputeInquiry');
    const iq = (await s.disputes.list({ payment_intent: inquiry.id })).data[0] as Stripe.Dispute;
    expect((await s.disputes.close(iq.id)).status).toBe('warning_closed');
    const lostInquiry = await pay(s, 'pm_card_createDisputeInquiry');
    const lq = (await s.disputes.list({ payment_intent: lostInquiry.id })).data[0] as Stripe.Dispute;
    const r = await control(t.emulator, 'POST', `/_emulator/disputes/${lq.id}/outcome`, { outcome: 'lost' });
    expect(r.json.status).toBe('lost');
  });

  it('losing_evidence is decided lost after the decision delay of emulator time', async () => {
    const pi = await pay(s, 'pm_card_createDispute');
    const du = (await s.disputes.list({ payment_intent: pi.id })).data[0] as Stripe.Dispute;
    const sub = await s.disputes.update(du.id, { evidence: { uncategorized_text: 'losing_evidence' } });
    expect(sub.status).toBe('under_review');
    expect((await s.disputes.retrieve(du.id)).status).toBe('under_review');
    t.emulator.advanceClock(3);
    expect((await s.disputes.retrieve(du.id)).status).toBe('lost');
  });

  it('a pm_card_refundFail refund fails when emulator time reaches it, with a null request', async () => {
    const pi = await pay(s, 'pm_card_refundFail', 1500);
    const re = await s.refunds.create({ payment_intent: pi.id, amount: 500 });
    const at = now() + 3;
    await new Promise((r) => setTimeout(r, 100));
    expect((await s.refunds.retrieve(re.id)).status).toBe('succeeded');
    t.emulator.advanceClock(3);
    const failed = await s.refunds.retrieve(re.id);
    expect(failed.status).toBe('failed');
    expect(failed.failure_reason).toBe('expired_or_canceled_card');
    expect((await s.charges.retrieve(pi.latest_charge as string)).amount_refunded).toBe(0);
    const types = (await s.events.list({ limit: 3 })).data;
    expect(types.map((e) => e.type)).toEqual(['refund.failed', 'refund.updated', 'charge.refund.updated']);
    for (const e of types) {
      expect(e.created).toBe(at);
      expect(e.request).toEqual({ id: null, idempotency_key: null });
      expect(e.data.previous_attributes).toEqual({ status: 'succeeded' });
    }
  });

  it("a full refund ends a fraud warning's actionability; a partial one does not", async () => {
    const pi = await pay(s, 'pm_card_createIssuerFraudRecord', 3000);
    const efw = (await s.radar.earlyFraudWarnings.list({ payment_intent: pi.id })).data[0];
    expect(efw?.actionable).toBe(true);
    await s.refunds.create({ payment_intent: pi.id, amount: 1000 });
    expect((await s.radar.earlyFraudWarnings.retrieve(efw?.id as string)).actionable).toBe(true);
    await s.refunds.create({ payment_intent: pi.id });
    expect((await s.radar.earlyFraudWarnings.retrieve(efw?.id as string)).actionable).toBe(false);
    const upd = (await s.events.list({ type: 'radar.early_fraud_warning.updated', limit: 1 })).data[0];
    expect(upd?.data.previous_attributes).toEqual({ actionable: true });
  });

  it('the control API deletes a price the way the Dashboard can (not the default price)', async () => {
    const p = await s.products.create({
      name: 'Whisk',
      default_price_data: { currency: 'usd', unit_amount: 1800 },
    });
    const refused = await control(t.emulator, 'DELETE', `/_emulator/prices/${p.default_price as string}`);
    expect(refused.status).toBe(400);
    const other = await s.prices.create({ product: p.id, currency: 'usd', unit_amount: 1700 });
    const r = await control(t.emulator, 'DELETE', `/_emulator/prices/${other.id}`);
    expect(r.json).toEqual({ id: other.id, object: 'price', deleted: true });
    expect((await failure(s.prices.retrieve(other.id))).statusCode).toBe(404);
    const ev = (await s.events.list({ type: 'price.deleted', limit: 1 })).data[0] as Stripe.Event;
    expect((checked(ev).data.object as Stripe.Price).id).toBe(other.id);
  });
});

describe('emulator-only: options', () => {
  it('paymentIntentUpdatableAfterSuccess widens what a succeeded PaymentIntent accepts', async () => {
    const t = await emulatorTarget({ paymentIntentUpdatableAfterSuccess: ['metadata', 'description'] });
    try {
      const pi = await pay(t.stripe, 'pm_card_visa');
      expect((await t.stripe.paymentIntents.update(pi.id, { description: 'Order 9' })).description).toBe(
        'Order 9',
      );
      const err = await failure(t.stripe.paymentIntents.update(pi.id, { receipt_email: 'a@example.com' }));
      expect(err.code).toBe('payment_intent_unexpected_state');
      expect(err.param).toBe('receipt_email');
    } finally {
      await t.close();
    }
  });

  it('scheduled work survives a restart with --state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-timers-'));
    try {
      const statePath = join(dir, 'state.db');
      const a = await emulatorTarget({ statePath, clock: { now: () => T0 } });
      const pi = await pay(a.stripe, 'pm_card_refundFail');
      const re = await a.stripe.refunds.create({ payment_intent: pi.id });
      await a.close();
      const b = await emulatorTarget({ statePath, clock: { now: () => T0 } });
      expect((await b.stripe.refunds.retrieve(re.id)).status).toBe('succeeded');
      b.emulator.advanceClock(5);
      expect((await b.stripe.refunds.retrieve(re.id)).status).toBe('failed');
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('emulator-only: webhooks for the shop events', () => {
  let t: Target & { emulator: RunningEmulator };
  let hook: WebhookReceiver;
  beforeAll(async () => {
    t = await emulatorTarget({ clock: { now: () => T0 } });
    hook = await webhookReceiver();
  });
  afterAll(async () => {
    await t.close();
    await hook.close();
  });

  it('enabled endpoints get the new types signed; a disabled one gets nothing', async () => {
    const on = await t.stripe.webhookEndpoints.create({
      url: `${hook.url}/on`,
      enabled_events: ['product.created', 'charge.dispute.created', 'charge.updated', 'refund.failed'],
    });
    const off = await t.stripe.webhookEndpoints.create({
      url: `${hook.url}/off`,
      enabled_events: ['*'],
    });
    await t.stripe.webhookEndpoints.update(off.id, { disabled: true });
    await t.stripe.products.create({ name: 'Sampler' });
    const disputed = await pay(t.stripe, 'pm_card_createDispute');
    await t.stripe.disputes.list({ payment_intent: disputed.id });
    await t.stripe.charges.update(disputed.latest_charge as string, { metadata: { note: 'disputed' } });
    const pi = await pay(t.stripe, 'pm_card_refundFail');
    await t.stripe.refunds.create({ payment_intent: pi.id });
    t.emulator.advanceClock(3);
    for (let i = 0; i < 100 && hook.received.length < 4; i++) await new Promise((r) => setTimeout(r, 20));
    expect(hook.received.every((r) => r.path === '/on')).toBe(true);
    const events = hook.received.map((r) =>
      t.stripe.webhooks.constructEvent(r.body, r.sig, on.secret as string),
    );
    for (const e of events) checked(e);
    expect(events.map((e) => e.type).sort()).toEqual([
      'charge.dispute.created',
      'charge.updated',
      'product.created',
      'refund.failed',
    ]);
  });
});

describe('emulator-only: --seed demo', () => {
  it('creates the demo catalog through the API; twice at once, then again, creates nothing new', async () => {
    const t = await emulatorTarget();
    try {
      const [a, b] = await Promise.all([seedEmulator(t.emulator, 'demo'), seedEmulator(t.emulator, 'demo')]);
      // Each seeder reports by counting before and after, so two at once both see the whole catalog appear;
      // what matters is that the catalog exists exactly once (checked below).
      for (const r of [a, b]) expect(r.created + r.existing).toBe(DEMO_CATALOG.length);
      const again = await seedEmulator(t.emulator, 'demo');
      expect(again).toEqual({ created: 0, existing: DEMO_CATALOG.length });
      const products = await t.stripe.products.list({ limit: 100, expand: ['data.default_price'] });
      expect(products.data).toHaveLength(DEMO_CATALOG.length);
      for (const d of DEMO_CATALOG) {
        const p = products.data.find((x) => x.id === demoProductId(d.sku)) as Stripe.Product;
        expect(p.name).toBe(d.name);
        expect(p.metadata.sku).toBe(d.sku);
        expect(p.metadata.stock).toBe(String(d.stock));
        expect((p.default_price as Stripe.Price).unit_amount).toBe(d.unitAmount);
      }
      expect((await t.stripe.prices.list({ limit: 100 })).data).toHaveLength(DEMO_CATALOG.length);
    } finally {
      await t.close();
    }
  });

  it('`cli.ts --port 0 --seed demo` seeds after it starts listening', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'electron/emulator/cli.ts', '--port', '0', '--seed', 'demo'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('Seeded demo')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`exited ${String(code)}: ${out}`)));
      });
      expect(out).toMatch(/Stripe emulator listening on http:\/\/127\.0\.0\.1:\d+\n/);
      expect(out).toContain(`Seeded demo: ${DEMO_CATALOG.length} created, 0 already there`);
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});
