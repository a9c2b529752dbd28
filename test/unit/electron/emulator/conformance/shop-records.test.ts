/**
 * Conformance: the shop's shared records on payments — charge updates, what a PaymentIntent copies onto its
 * charge, PaymentIntent updates after success, and the list endpoints a station is rebuilt from. Driven only
 * through the SDK; runs against real Stripe test mode too when STRIPE_TEST_SECRET_KEY is set.
 */
import type Stripe from 'stripe';
import { expect, it } from 'vitest';
import { checked, eventsFor, forEachTarget } from '../../../../helpers/emulator-target';
import { failure, unique } from './support';

const SHIPPING = {
  name: 'Ada Lovelace',
  phone: '+15555550123',
  address: { line1: '12 Tea Lane', city: 'Springfield', postal_code: '12345', country: 'US' },
};

forEachTarget('Charges and PaymentIntents as shared records', (target) => {
  const s = (): Stripe => target().stripe;

  async function paid(extra: Partial<Stripe.PaymentIntentCreateParams> = {}): Promise<Stripe.PaymentIntent> {
    return s().paymentIntents.create({
      amount: 2400,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      allowed_payment_method_types: ['card'],
      confirm: true,
      ...extra,
    });
  }

  it("a PaymentIntent's customer and shipping are copied onto its charge", async () => {
    const cus = await s().customers.create({ email: `${unique('c')}@example.com` });
    const pi = checked(await paid({ customer: cus.id, shipping: SHIPPING, expand: ['latest_charge'] }));
    expect(pi.shipping?.address?.line2).toBeNull();
    const ch = pi.latest_charge as Stripe.Charge;
    expect(ch.customer).toBe(cus.id);
    expect(ch.shipping).toEqual({
      address: { ...SHIPPING.address, line2: null, state: null },
      carrier: null,
      name: SHIPPING.name,
      phone: SHIPPING.phone,
      tracking_number: null,
    });
  });

  it('charge update: description, metadata merge/unset, receipt_email, shipping with tracking, fraud_details', async () => {
    const pi = await paid({ metadata: { order: 'A1' }, shipping: SHIPPING });
    const chId = pi.latest_charge as string;
    const upd = checked(
      await s().charges.update(chId, {
        description: 'Order A1',
        metadata: { shipped: 'yes', order: '' },
        receipt_email: 'ada@example.com',
        shipping: { ...SHIPPING, carrier: 'USPS', tracking_number: '9400100000000000000000' },
        fraud_details: { user_report: 'safe' },
      }),
    );
    expect(upd.description).toBe('Order A1');
    expect(upd.metadata).toEqual({ shipped: 'yes' });
    expect(upd.receipt_email).toBe('ada@example.com');
    expect(upd.shipping?.carrier).toBe('USPS');
    expect(upd.shipping?.tracking_number).toBe('9400100000000000000000');
    expect(upd.fraud_details).toMatchObject({ user_report: 'safe' });
    const again = checked(await s().charges.retrieve(chId));
    expect(again.metadata).toEqual({ shipped: 'yes' });
    const ev = (await eventsFor(target(), chId, 2)).find((e) => e.type === 'charge.updated') as Stripe.Event;
    checked(ev);
    expect(ev.data.previous_attributes).toMatchObject({
      description: null,
      metadata: { order: 'A1' },
      receipt_email: null,
    });
  });

  it('charge update refusals: a second customer, unknown parameters', async () => {
    const a = await s().customers.create({ email: `${unique('a')}@example.com` });
    const b = await s().customers.create({ email: `${unique('b')}@example.com` });
    const anonymous = await paid();
    const set = checked(await s().charges.update(anonymous.latest_charge as string, { customer: a.id }));
    expect(set.customer).toBe(a.id);
    const owned = await paid({ customer: a.id });
    const err = await failure(s().charges.update(owned.latest_charge as string, { customer: b.id }));
    expect(err.statusCode).toBe(400);
    expect(err.param).toBe('customer');
    const amount = await failure(
      s().charges.update(owned.latest_charge as string, { amount: 1 } as Stripe.ChargeUpdateParams),
    );
    expect(amount.code).toBe('parameter_unknown');
    expect(amount.param).toBe('amount');
  });

  it('after success a PaymentIntent takes metadata but not a new amount; no payment_intent.updated event', async () => {
    const pi = await paid({ metadata: { order: 'B2' } });
    const upd = checked(await s().paymentIntents.update(pi.id, { metadata: { fulfilled: 'true' } }));
    expect(upd.metadata).toEqual({ order: 'B2', fulfilled: 'true' });
    const err = await failure(s().paymentIntents.update(pi.id, { amount: 3000 }));
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe('payment_intent_unexpected_state');
    expect((await s().paymentIntents.retrieve(pi.id)).amount).toBe(2400);
    const types = (await eventsFor(target(), pi.id, 3)).map((e) => e.type);
    expect(types).not.toContain('payment_intent.updated');
  });

  it('lists for rebuilding: created filters, paging both ways, expand[]=data.…', async () => {
    const cus = await s().customers.create({ email: `${unique('r')}@example.com` });
    const pis: Stripe.PaymentIntent[] = [];
    for (let i = 0; i < 3; i++) pis.push(await paid({ customer: cus.id, amount: 1000 + i }));
    const ids = pis.map((p) => p.id);
    const first = checked(
      await s().paymentIntents.list({ customer: cus.id, limit: 2, expand: ['data.latest_charge'] }),
    );
    expect(first.data.map((p) => p.id)).toEqual([ids[2], ids[1]]);
    expect((first.data[0]?.latest_charge as Stripe.Charge).amount).toBe(1002);
    const back = await s().paymentIntents.list({ customer: cus.id, ending_before: ids[0] });
    expect(back.data.map((p) => p.id)).toEqual([ids[2], ids[1]]);
    const since = await s().paymentIntents.list({
      customer: cus.id,
      created: { gte: pis[0]?.created as number },
    });
    expect(since.data).toHaveLength(3);
    expect(
      (await s().paymentIntents.list({ customer: cus.id, created: { lt: pis[0]?.created as number } })).data,
    ).toHaveLength(0);

    const charges = checked(await s().charges.list({ customer: cus.id, expand: ['data.payment_intent'] }));
    expect(charges.data.map((c) => (c.payment_intent as Stripe.PaymentIntent).id)).toEqual(
      [...ids].reverse(),
    );
    const older = await s().charges.list({ customer: cus.id, limit: 1, starting_after: charges.data[0]?.id });
    expect(older.data.map((c) => c.id)).toEqual([charges.data[1]?.id]);
    expect(older.has_more).toBe(true);

    const re = await s().refunds.create({ payment_intent: ids[0] as string, amount: 100 });
    const refunds = checked(
      await s().refunds.list({
        payment_intent: ids[0] as string,
        expand: ['data.charge'],
        created: { gte: re.created },
      }),
    );
    expect(refunds.data.map((r) => r.id)).toEqual([re.id]);
    expect((refunds.data[0]?.charge as Stripe.Charge).amount_refunded).toBe(100);

    const customers = checked(await s().customers.list({ email: cus.email as string, created: cus.created }));
    expect(customers.data.map((c) => c.id)).toEqual([cus.id]);
    const bad = await failure(s().paymentIntents.list({ expand: ['data.amount'] }));
    expect(bad.statusCode).toBe(400);
  });
});
