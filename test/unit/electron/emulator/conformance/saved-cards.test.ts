/**
 * Conformance: saving a card and charging it later (docs.stripe.com/payments/save-during-payment,
 * /payments/save-and-reuse, /testing "Authentication and setup"), through the stripe SDK only. The first half
 * runs against real Stripe test mode too; completing a 3DS step needs the emulator's control API, so the
 * second half is the emulator's alone.
 */
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checked, emulatorTarget, eventsFor, forEachTarget } from '../../../../helpers/emulator-target';
import type { Target } from '../../../../helpers/emulator-target';
import type { RunningEmulator } from '../../../../../electron/emulator/index';
import { failure } from './support';

const RETURN_URL = 'https://example.com/return';

/** An off-session payment of a saved card, as a shop charges it when the goods arrive. */
function offSession(s: Stripe, customer: string, pm: string, amount = 4200): Promise<Stripe.PaymentIntent> {
  return s.paymentIntents.create({
    amount,
    currency: 'eur',
    customer,
    payment_method: pm,
    allowed_payment_method_types: ['card'],
    off_session: true,
    confirm: true,
  });
}

forEachTarget('Saved cards: setup_future_usage, off-session payments, customer PaymentMethods', (target) => {
  const s = (): Stripe => target().stripe;

  it('a hold with setup_future_usage=off_session attaches the card once authorized; it then pays off-session', async () => {
    const cus = await s().customers.create({ name: 'Hold and save' });
    const hold = checked(
      await s().paymentIntents.create({
        amount: 8900,
        currency: 'usd',
        customer: cus.id,
        payment_method: 'pm_card_visa',
        allowed_payment_method_types: ['card'],
        capture_method: 'manual',
        setup_future_usage: 'off_session',
        confirm: true,
      }),
    );
    expect(hold.status).toBe('requires_capture');
    expect(hold.setup_future_usage).toBe('off_session');
    const pm = hold.payment_method as string;
    expect(checked(await s().paymentMethods.retrieve(pm)).customer).toBe(cus.id);
    expect((await eventsFor(target(), pm, 1)).map((e) => e.type)).toContain('payment_method.attached');
    // The hold is released (or lapses): the saved card still pays later, without the customer.
    expect((await s().paymentIntents.cancel(hold.id)).status).toBe('canceled');
    const later = checked(await offSession(s(), cus.id, pm, 8900));
    expect(later.status).toBe('succeeded');
    expect(later.amount_received).toBe(8900);
  });

  it('a card that always authenticates: on-session asks for 3DS, off-session is declined authentication_required', async () => {
    const cus = await s().customers.create({ name: 'Always authenticate' });
    const pm = await s().paymentMethods.attach('pm_card_authenticationRequired', { customer: cus.id });
    const onSession = checked(
      await s().paymentIntents.create({
        amount: 1500,
        currency: 'eur',
        customer: cus.id,
        payment_method: pm.id,
        allowed_payment_method_types: ['card'],
        confirm: true,
        return_url: RETURN_URL,
      }),
    );
    expect(onSession.status).toBe('requires_action');
    expect(onSession.next_action?.type).toBe('redirect_to_url');
    const err = await failure(offSession(s(), cus.id, pm.id));
    expect(err.type).toBe('StripeCardError');
    expect(err.statusCode).toBe(402);
    expect(err.code).toBe('authentication_required');
    expect(err.decline_code).toBe('authentication_required');
    const declined = checked(err.payment_intent as Stripe.PaymentIntent);
    expect(declined.status).toBe('requires_payment_method');
    expect(declined.last_payment_error?.code).toBe('authentication_required');
    expect(declined.last_payment_error?.decline_code).toBe('authentication_required');
    expect(declined.last_payment_error?.payment_method?.id).toBe(pm.id);
    // The bank's refusal is a failed charge, as for any decline.
    const chId = declined.latest_charge as string;
    expect(chId).toMatch(/^ch_/);
    const ch = checked(await s().charges.retrieve(chId));
    expect(ch.status).toBe('failed');
    expect(ch.failure_code).toBe('authentication_required');
    const types = (await eventsFor(target(), declined.id, 2)).map((e) => e.type);
    expect(types).toContain('payment_intent.payment_failed');
    // The customer can still pay it on-session: the same PaymentIntent, confirmed with them present.
    const again = checked(
      await s().paymentIntents.confirm(declined.id, { payment_method: pm.id, return_url: RETURN_URL }),
    );
    expect(again.status).toBe('requires_action');
    expect(again.next_action?.redirect_to_url?.url).toMatch(/^https?:\/\//);
  });

  it('a card that authenticates unless set up: declined off-session before it is set up; setup asks for 3DS', async () => {
    const cus = await s().customers.create({ name: 'Unless set up' });
    const pm = await s().paymentMethods.attach('pm_card_authenticationRequiredOnSetup', { customer: cus.id });
    const err = await failure(offSession(s(), cus.id, pm.id));
    expect(err.code).toBe('authentication_required');
    const si = checked(
      await s().setupIntents.create({
        customer: cus.id,
        payment_method: pm.id,
        allowed_payment_method_types: ['card'],
        usage: 'off_session',
        confirm: true,
        return_url: RETURN_URL,
      }),
    );
    expect(si.status).toBe('requires_action');
    expect(si.next_action?.type).toBe('redirect_to_url');
  });

  it('a card already set up for off-session use pays off-session, but asks for 3DS on-session', async () => {
    const cus = await s().customers.create({ name: 'Already set up' });
    const pm = await s().paymentMethods.attach('pm_card_authenticationRequiredSetupForOffSession', {
      customer: cus.id,
    });
    expect(checked(await offSession(s(), cus.id, pm.id)).status).toBe('succeeded');
    const onSession = await s().paymentIntents.create({
      amount: 1500,
      currency: 'eur',
      customer: cus.id,
      payment_method: pm.id,
      allowed_payment_method_types: ['card'],
      confirm: true,
      return_url: RETURN_URL,
    });
    expect(onSession.status).toBe('requires_action');
  });

  it("a customer's cards: list and retrieve through the customer, detach with an event, never used again", async () => {
    const cus = await s().customers.create({ name: 'Two cards' });
    const visa = await s().paymentMethods.attach('pm_card_visa', { customer: cus.id });
    const mc = await s().paymentMethods.attach('pm_card_mastercard', { customer: cus.id });
    const list = checked(await s().customers.listPaymentMethods(cus.id, { type: 'card' }));
    expect(list.data.map((p) => p.id).sort()).toEqual([visa.id, mc.id].sort());
    expect(list.data.every((p) => p.customer === cus.id)).toBe(true);
    const one = checked(await s().customers.retrievePaymentMethod(cus.id, visa.id));
    expect(one.card?.last4).toBe('4242');
    expect(typeof one.card?.exp_month).toBe('number');
    expect(typeof one.card?.exp_year).toBe('number');
    const det = checked(await s().paymentMethods.detach(visa.id));
    expect(det.customer).toBeNull();
    const events = await eventsFor(target(), visa.id, 2);
    expect(events.map((e) => e.type)).toEqual(['payment_method.attached', 'payment_method.detached']);
    expect(events[1]?.data.previous_attributes).toMatchObject({ customer: cus.id });
    const after = await s().customers.listPaymentMethods(cus.id, { type: 'card' });
    expect(after.data.map((p) => p.id)).toEqual([mc.id]);
    const gone = await failure(s().customers.retrievePaymentMethod(cus.id, visa.id));
    expect(gone.statusCode).toBe(404);
    const reuse = await failure(offSession(s(), cus.id, visa.id));
    expect(reuse.statusCode).toBe(400);
    expect(reuse.type).toBe('StripeInvalidRequestError');
  });
});

// ------------------------------------------------------------------------------------------------------------

async function authenticate(emu: RunningEmulator, kind: 'payment_intents' | 'setup_intents', id: string) {
  const res = await fetch(`${emu.url}/_emulator/${kind}/${id}/authenticate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ outcome: 'succeed' }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { status: string };
}

describe('emulator-only: 3DS during setup, then off-session', () => {
  let t: Target & { emulator: RunningEmulator };
  let s: Stripe;
  beforeAll(async () => {
    t = await emulatorTarget();
    s = t.stripe;
  });
  afterAll(() => t.close());

  async function setUp(card: string): Promise<{ cus: Stripe.Customer; pm: string; si: Stripe.SetupIntent }> {
    const cus = await s.customers.create({ name: card });
    const si = await s.setupIntents.create({
      customer: cus.id,
      payment_method: card,
      allowed_payment_method_types: ['card'],
      usage: 'off_session',
      confirm: true,
      return_url: RETURN_URL,
    });
    expect(si.status).toBe('requires_action');
    expect(si.next_action?.redirect_to_url?.url).toContain(`/_emulator/3ds/${si.id}`);
    expect((await authenticate(t.emulator, 'setup_intents', si.id)).status).toBe('succeeded');
    const done = checked(await s.setupIntents.retrieve(si.id));
    return { cus, pm: done.payment_method as string, si: done };
  }

  it('authenticate unless set up: once set up with its 3DS step, an off-session payment goes through', async () => {
    const { cus, pm, si } = await setUp('pm_card_authenticationRequiredOnSetup');
    expect(si.status).toBe('succeeded');
    expect((await s.paymentMethods.retrieve(pm)).customer).toBe(cus.id);
    const types = (await eventsFor(t, si.id)).map((e) => e.type);
    expect(types).toEqual(['setup_intent.created', 'setup_intent.requires_action', 'setup_intent.succeeded']);
    // Ten days later, without the customer: one charge.
    await fetch(`${t.emulator.url}/_emulator/clock/advance`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ seconds: 10 * 86_400 }),
    });
    const pi = checked(await offSession(s, cus.id, pm));
    expect(pi.status).toBe('succeeded');
    expect((await s.charges.list({ payment_intent: pi.id })).data).toHaveLength(1);
    // On-session it still asks (the docs: "on-session payments with this card always require authentication").
    const on = await s.paymentIntents.create({
      amount: 500,
      currency: 'eur',
      customer: cus.id,
      payment_method: pm,
      allowed_payment_method_types: ['card'],
      confirm: true,
    });
    expect(on.status).toBe('requires_action');
  });

  it('always authenticate: set up with 3DS, still declined off-session; paid on-session through the 3DS page', async () => {
    const { cus, pm } = await setUp('pm_card_authenticationRequired');
    const err = await failure(offSession(s, cus.id, pm));
    expect(err.code).toBe('authentication_required');
    const piId = (err.payment_intent as Stripe.PaymentIntent).id;
    const link = await s.paymentIntents.confirm(piId, { return_url: RETURN_URL });
    expect(link.status).toBe('requires_action');
    const url = link.next_action?.redirect_to_url?.url as string;
    // The page the customer opens on their own device, and their "Complete authentication".
    const page = await fetch(url);
    expect(await page.text()).toContain('Complete authentication');
    const done = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'outcome=succeed',
      redirect: 'manual',
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toContain('redirect_status=succeeded');
    const paid = checked(await s.paymentIntents.retrieve(piId));
    expect(paid.status).toBe('succeeded');
    const charges = (await s.charges.list({ payment_intent: piId })).data;
    expect(charges.map((c) => c.status).sort()).toEqual(['failed', 'succeeded']);
  });

  it('declined with insufficient funds once set up; saving it works', async () => {
    const { cus, pm, si } = await setUp('pm_card_authenticationRequiredChargeDeclinedInsufficientFunds');
    expect(si.status).toBe('succeeded');
    const err = await failure(offSession(s, cus.id, pm));
    expect(err.code).toBe('card_declined');
    expect(err.decline_code).toBe('insufficient_funds');
  });

  it('usage on_session does not set a card up for off-session payments', async () => {
    const cus = await s.customers.create({ name: 'on-session only' });
    const si = await s.setupIntents.create({
      customer: cus.id,
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      allowed_payment_method_types: ['card'],
      usage: 'on_session',
      confirm: true,
    });
    await authenticate(t.emulator, 'setup_intents', si.id);
    const pm = (await s.setupIntents.retrieve(si.id)).payment_method as string;
    expect((await failure(offSession(s, cus.id, pm))).code).toBe('authentication_required');
  });

  it('a declining card fails its setup: setup_intent.setup_failed, nothing attached', async () => {
    const cus = await s.customers.create({ name: 'declines' });
    const err = await failure(
      s.setupIntents.create({
        customer: cus.id,
        payment_method: 'pm_card_visa_chargeDeclined',
        allowed_payment_method_types: ['card'],
        confirm: true,
      }),
    );
    expect(err.code).toBe('card_declined');
    expect((await s.customers.listPaymentMethods(cus.id)).data).toHaveLength(0);
  });
});
