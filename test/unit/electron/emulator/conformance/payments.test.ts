/**
 * Conformance: each rule of docs stripe-behaviour.md as a test, driven only through the stripe SDK.
 * Runs against the emulator, and against real Stripe test mode when STRIPE_TEST_SECRET_KEY is set.
 */
import type Stripe from 'stripe';
import { expect, it } from 'vitest';
import { checked, eventsFor, forEachTarget } from '../../../../helpers/emulator-target';
import { failure as cardError } from './support';

const DECLINES: Array<[string, string, string, string | undefined]> = [
  ['pm_card_visa_chargeDeclined', 'card_declined', 'generic_decline', undefined],
  ['pm_card_visa_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds', undefined],
  ['pm_card_visa_chargeDeclinedLostCard', 'card_declined', 'lost_card', undefined],
  ['pm_card_visa_chargeDeclinedStolenCard', 'card_declined', 'stolen_card', undefined],
  ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card', 'exp_month'],
  ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc', 'cvc'],
  ['pm_card_chargeDeclinedProcessingError', 'processing_error', 'processing_error', undefined],
  ['pm_card_chargeDeclinedFraudulent', 'card_declined', 'fraudulent', undefined],
];

forEachTarget('PaymentIntents', (target) => {
  const s = (): Stripe => target().stripe;

  it('pay now: succeeds with pm_card_visa and emits created, charge.succeeded, succeeded', async () => {
    const pi = checked(
      await s().paymentIntents.create({
        amount: 2000,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        allowed_payment_method_types: ['card'],
        confirm: true,
        metadata: { order: 'A1' },
        expand: ['latest_charge', 'payment_method'],
      }),
    );
    expect(pi.status).toBe('succeeded');
    expect(pi.amount_received).toBe(2000);
    expect(pi.metadata).toEqual({ order: 'A1' });
    const ch = pi.latest_charge as Stripe.Charge;
    expect(ch.object).toBe('charge');
    expect(ch.captured).toBe(true);
    expect(ch.amount_captured).toBe(2000);
    expect((pi.payment_method as Stripe.PaymentMethod).card?.last4).toBe('4242');
    const types = (await eventsFor(target(), pi.id, 2)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['payment_intent.created', 'payment_intent.succeeded']));
    const chTypes = (await eventsFor(target(), ch.id, 1)).map((e) => e.type);
    expect(chTypes).toContain('charge.succeeded');
  });

  it('mastercard succeeds too', async () => {
    const pi = await s().paymentIntents.create({
      amount: 500,
      currency: 'eur',
      payment_method: 'pm_card_mastercard',
      allowed_payment_method_types: ['card'],
      confirm: true,
    });
    expect(pi.status).toBe('succeeded');
  });

  it.each(DECLINES)(
    'decline %s → 402 %s/%s, PI named and back in requires_payment_method',
    async (pm, code, dc, param) => {
      const err = await cardError(
        s().paymentIntents.create({
          amount: 1500,
          currency: 'usd',
          payment_method: pm,
          allowed_payment_method_types: ['card'],
          confirm: true,
        }),
      );
      expect(err.type).toBe('StripeCardError');
      expect(err.statusCode).toBe(402);
      expect(err.code).toBe(code);
      expect(err.decline_code).toBe(dc);
      expect(err.param).toBe(param);
      const named = err.payment_intent as Stripe.PaymentIntent;
      expect(named.status).toBe('requires_payment_method');
      checked(named);
      const pi = checked(await s().paymentIntents.retrieve(named.id));
      expect(pi.status).toBe('requires_payment_method');
      expect(pi.last_payment_error?.code).toBe(code);
      expect(pi.last_payment_error?.decline_code).toBe(dc);
      // can be confirmed again with another card
      const again = checked(await s().paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' }));
      expect(again.status).toBe('succeeded');
      expect(again.last_payment_error).toBeNull();
    },
  );

  it('decline emits charge.failed and payment_intent.payment_failed', async () => {
    const err = await cardError(
      s().paymentIntents.create({
        amount: 1500,
        currency: 'usd',
        payment_method: 'pm_card_visa_chargeDeclined',
        allowed_payment_method_types: ['card'],
        confirm: true,
      }),
    );
    const pi = err.payment_intent as Stripe.PaymentIntent;
    const types = (await eventsFor(target(), pi.id, 2)).map((e) => e.type);
    expect(types).toContain('payment_intent.payment_failed');
    const ch = await s().charges.retrieve(pi.latest_charge as string);
    expect(ch.status).toBe('failed');
    expect((await eventsFor(target(), ch.id, 1)).map((e) => e.type)).toContain('charge.failed');
  });

  it('3DS card stops at requires_action: redirect_to_url with return_url, use_stripe_sdk without', async () => {
    const withUrl = checked(
      await s().paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: 'pm_card_threeDSecure2Required',
        allowed_payment_method_types: ['card'],
        confirm: true,
        return_url: 'https://example.com/return',
      }),
    );
    expect(withUrl.status).toBe('requires_action');
    expect(withUrl.next_action?.type).toBe('redirect_to_url');
    expect(withUrl.next_action?.redirect_to_url?.return_url).toBe('https://example.com/return');
    expect(withUrl.next_action?.redirect_to_url?.url).toMatch(/^https?:\/\//);
    const sdk = checked(
      await s().paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: 'pm_card_authenticationRequired',
        allowed_payment_method_types: ['card'],
        confirm: true,
      }),
    );
    expect(sdk.status).toBe('requires_action');
    expect(sdk.next_action?.type).toBe('use_stripe_sdk');
    expect((await eventsFor(target(), sdk.id, 2)).map((e) => e.type)).toContain(
      'payment_intent.requires_action',
    );
    // capturing it is 400 payment_intent_unexpected_state
    const err = await cardError(s().paymentIntents.capture(sdk.id));
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe('payment_intent_unexpected_state');
  });

  it('error_on_requires_action → 402 authentication_required, PI in requires_payment_method', async () => {
    const err = await cardError(
      s().paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: 'pm_card_threeDSecure2Required',
        allowed_payment_method_types: ['card'],
        confirm: true,
        error_on_requires_action: true,
      }),
    );
    expect(err.statusCode).toBe(402);
    expect(err.code).toBe('authentication_required');
    expect((err.payment_intent as Stripe.PaymentIntent).status).toBe('requires_payment_method');
  });

  it('manual capture: hold, partial capture releases the rest', async () => {
    const pi = checked(
      await s().paymentIntents.create({
        amount: 5000,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        allowed_payment_method_types: ['card'],
        capture_method: 'manual',
        confirm: true,
        expand: ['latest_charge'],
      }),
    );
    expect(pi.status).toBe('requires_capture');
    expect(pi.amount_capturable).toBe(5000);
    const ch = pi.latest_charge as Stripe.Charge;
    expect(ch.captured).toBe(false);
    const before = ch.payment_method_details?.card?.capture_before;
    expect(typeof before).toBe('number');
    expect(before as number).toBeGreaterThan(ch.created);
    const types = (await eventsFor(target(), pi.id, 2)).map((e) => e.type);
    expect(types).toContain('payment_intent.amount_capturable_updated');
    expect(types).not.toContain('payment_intent.requires_capture');

    const tooMuch = await cardError(s().paymentIntents.capture(pi.id, { amount_to_capture: 6000 }));
    expect(tooMuch.statusCode).toBe(400);

    const cap = checked(
      await s().paymentIntents.capture(pi.id, { amount_to_capture: 3000, expand: ['latest_charge'] }),
    );
    expect(cap.status).toBe('succeeded');
    expect(cap.amount_received).toBe(3000);
    expect(cap.amount_capturable).toBe(0);
    const ch2 = cap.latest_charge as Stripe.Charge;
    expect(ch2.captured).toBe(true);
    expect(ch2.amount_captured).toBe(3000);
    expect((await eventsFor(target(), ch2.id, 2)).map((e) => e.type)).toContain('charge.captured');
    // refunds are limited to what was captured
    const over = await cardError(s().refunds.create({ payment_intent: pi.id, amount: 3001 }));
    expect(over.statusCode).toBe(400);
    const ok = checked(await s().refunds.create({ payment_intent: pi.id, amount: 3000 }));
    expect(ok.status).toBe('succeeded');
  });

  it('cancel rules: hold can be canceled; succeeded cannot', async () => {
    const hold = await s().paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      allowed_payment_method_types: ['card'],
      capture_method: 'manual',
      confirm: true,
    });
    const canceled = checked(
      await s().paymentIntents.cancel(hold.id, { cancellation_reason: 'requested_by_customer' }),
    );
    expect(canceled.status).toBe('canceled');
    expect(canceled.cancellation_reason).toBe('requested_by_customer');
    expect(canceled.amount_capturable).toBe(0);
    const again = await cardError(s().paymentIntents.cancel(hold.id));
    expect(again.code).toBe('payment_intent_unexpected_state');
    const capErr = await cardError(s().paymentIntents.capture(hold.id));
    expect(capErr.code).toBe('payment_intent_unexpected_state');
    const paid = await s().paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      allowed_payment_method_types: ['card'],
      confirm: true,
    });
    const err = await cardError(s().paymentIntents.cancel(paid.id));
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe('payment_intent_unexpected_state');
    const fresh = await s().paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      allowed_payment_method_types: ['card'],
    });
    expect(fresh.status).toBe('requires_payment_method');
    expect((await s().paymentIntents.cancel(fresh.id)).status).toBe('canceled');
    expect((await eventsFor(target(), fresh.id, 2)).map((e) => e.type)).toContain('payment_intent.canceled');
  });

  it('MOTO exempts 3DS cards', async () => {
    const pi = await s().paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_threeDSecure2Required',
      allowed_payment_method_types: ['card'],
      payment_method_options: { card: { moto: true } },
      confirm: true,
    });
    expect(pi.status).toBe('succeeded');
  });

  it('minimum amounts and zero-decimal currencies', async () => {
    const err = await cardError(
      s().paymentIntents.create({ amount: 49, currency: 'usd', allowed_payment_method_types: ['card'] }),
    );
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe('amount_too_small');
    expect(err.param).toBe('amount');
    const jpy = checked(
      await s().paymentIntents.create({
        amount: 500,
        currency: 'jpy',
        allowed_payment_method_types: ['card'],
      }),
    );
    expect(jpy.amount).toBe(500);
    expect(jpy.currency).toBe('jpy');
  });

  it('update amount until success; list by customer with pagination', async () => {
    const cus = checked(await s().customers.create({ email: 'pi-list@example.com' }));
    const a = await s().paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      customer: cus.id,
      allowed_payment_method_types: ['card'],
    });
    const b = await s().paymentIntents.create({
      amount: 1100,
      currency: 'usd',
      customer: cus.id,
      allowed_payment_method_types: ['card'],
    });
    const c = await s().paymentIntents.create({
      amount: 1200,
      currency: 'usd',
      customer: cus.id,
      allowed_payment_method_types: ['card'],
    });
    const upd = checked(await s().paymentIntents.update(a.id, { amount: 1300, description: 'changed' }));
    expect(upd.amount).toBe(1300);
    const page1 = checked(await s().paymentIntents.list({ customer: cus.id, limit: 2 }));
    expect(page1.data.map((p) => p.id)).toEqual([c.id, b.id]);
    expect(page1.has_more).toBe(true);
    const page2 = await s().paymentIntents.list({ customer: cus.id, limit: 2, starting_after: b.id });
    expect(page2.data.map((p) => p.id)).toEqual([a.id]);
    expect(page2.has_more).toBe(false);
  });
});

forEachTarget('Customers, PaymentMethods, SetupIntents, Refunds', (target) => {
  const s = (): Stripe => target().stripe;

  it('customer CRUD with events', async () => {
    const cus = checked(
      await s().customers.create({ name: 'Ada', email: 'ada@example.com', metadata: { a: '1' } }),
    );
    const upd = checked(await s().customers.update(cus.id, { name: 'Ada L', metadata: { b: '2' } }));
    expect(upd.name).toBe('Ada L');
    expect(upd.metadata).toEqual({ a: '1', b: '2' });
    const got = checked(await s().customers.retrieve(cus.id));
    expect((got as Stripe.Customer).email).toBe('ada@example.com');
    const del = checked(await s().customers.del(cus.id));
    expect(del.deleted).toBe(true);
    const after = await s().customers.retrieve(cus.id);
    expect(after.deleted).toBe(true);
    const events = await eventsFor(target(), cus.id, 3);
    expect(events.map((e) => e.type)).toEqual(['customer.created', 'customer.updated', 'customer.deleted']);
    expect(events[1]?.data.previous_attributes).toMatchObject({ name: 'Ada' });
  });

  it('payment methods: tokens, attach, list, detach', async () => {
    const cus = await s().customers.create({ email: 'pm@example.com' });
    const pm = checked(await s().paymentMethods.create({ type: 'card', card: { token: 'tok_mastercard' } }));
    expect(pm.card?.brand).toBe('mastercard');
    expect(pm.card?.last4).toBe('4444');
    const att = checked(await s().paymentMethods.attach(pm.id, { customer: cus.id }));
    expect(att.customer).toBe(cus.id);
    const list = checked(await s().paymentMethods.list({ customer: cus.id, type: 'card' }));
    expect(list.data.map((p) => p.id)).toEqual([pm.id]);
    const det = checked(await s().paymentMethods.detach(pm.id));
    expect(det.customer).toBeNull();
    expect((await eventsFor(target(), pm.id, 2)).map((e) => e.type)).toEqual([
      'payment_method.attached',
      'payment_method.detached',
    ]);
  });

  it('setup intent saves a card for off-session use, then an off-session payment succeeds', async () => {
    const cus = await s().customers.create({ email: 'si@example.com' });
    const si = checked(
      await s().setupIntents.create({
        customer: cus.id,
        payment_method: 'pm_card_visa',
        allowed_payment_method_types: ['card'],
        confirm: true,
        usage: 'off_session',
      }),
    );
    expect(si.status).toBe('succeeded');
    const pm = si.payment_method as string;
    const pmObj = await s().paymentMethods.retrieve(pm);
    expect(pmObj.customer).toBe(cus.id);
    const pi = await s().paymentIntents.create({
      amount: 1500,
      currency: 'usd',
      customer: cus.id,
      payment_method: pm,
      allowed_payment_method_types: ['card'],
      off_session: true,
      confirm: true,
    });
    expect(pi.status).toBe('succeeded');
    const canceled = await s().setupIntents.create({
      customer: cus.id,
      allowed_payment_method_types: ['card'],
    });
    expect(checked(await s().setupIntents.cancel(canceled.id)).status).toBe('canceled');
  });

  it('refunds: full and partial, by charge or payment_intent; total ≤ captured', async () => {
    const pi = await s().paymentIntents.create({
      amount: 3000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      allowed_payment_method_types: ['card'],
      confirm: true,
    });
    const chId = pi.latest_charge as string;
    const r1 = checked(await s().refunds.create({ charge: chId, amount: 1000 }));
    expect(r1.amount).toBe(1000);
    let ch = checked(await s().charges.retrieve(chId));
    expect(ch.amount_refunded).toBe(1000);
    expect(ch.refunded).toBe(false);
    const r2 = await s().refunds.create({ payment_intent: pi.id });
    expect(r2.amount).toBe(2000);
    ch = await s().charges.retrieve(chId);
    expect(ch.amount_refunded).toBe(3000);
    expect(ch.refunded).toBe(true);
    const err = await cardError(s().refunds.create({ charge: chId, amount: 1 }));
    expect(err.statusCode).toBe(400);
    const list = checked(await s().refunds.list({ charge: chId }));
    expect(list.data.map((r) => r.id)).toEqual([r2.id, r1.id]);
    const types = (await eventsFor(target(), chId, 3)).map((e) => e.type);
    expect(types).toContain('charge.refunded');
    expect((await eventsFor(target(), r1.id, 1)).map((e) => e.type)).toContain('refund.created');
  });

  it('errors use Stripe envelope: unknown object, unknown param, missing param, invalid integer', async () => {
    const missing = await cardError(s().paymentIntents.retrieve('pi_doesnotexist'));
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe('resource_missing');
    expect(missing.param).toBe('id');
    const unknown = await cardError(
      s().customers.create({ bogus_param: 'x' } as Stripe.CustomerCreateParams),
    );
    expect(unknown.code).toBe('parameter_unknown');
    expect(unknown.param).toBe('bogus_param');
    const miss = await cardError(
      s().paymentIntents.create({ currency: 'usd' } as Stripe.PaymentIntentCreateParams),
    );
    expect(miss.code).toBe('parameter_missing');
    expect(miss.param).toBe('amount');
    const bad = await cardError(
      s().paymentIntents.create({
        amount: 'abc',
        currency: 'usd',
      } as unknown as Stripe.PaymentIntentCreateParams),
    );
    expect(bad.code).toBe('parameter_invalid_integer');
    expect(bad.param).toBe('amount');
  });
});
