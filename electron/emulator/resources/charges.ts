/** Charges (docs.stripe.com/api/charges): made by confirming PaymentIntents; retrieve and list. */
import type Stripe from 'stripe';
import type { CardBehaviour } from '../cards';
import { makeCharge } from '../factories';
import type { FormObject } from '../form';
import type { Kernel } from '../kernel';
import { routeId } from '../kernel';
import { LIST_SPEC, validate } from '../params';
import { newId } from '../state';
import type { Stored } from '../state';

export function registerCharges(k: Kernel): void {
  k.on('GET', '/v1/charges', (p) => listCharges(k, p));
  k.on('GET', '/v1/charges/:id', (p, _c, m) => k.retrieveSimple('charge', p, routeId(m)));
}

/** The charge of one payment attempt of a PaymentIntent (failed when the card declines). */
export function createCharge(
  k: Kernel,
  pi: Stripe.PaymentIntent,
  pm: Stored<'payment_method'>,
  behaviour: CardBehaviour,
  moto: boolean,
): Stripe.Charge {
  const now = k.nowSec();
  const manual = pi.capture_method === 'manual';
  const failure =
    behaviour.kind === 'decline'
      ? { code: behaviour.code, message: behaviour.message, decline_code: behaviour.decline_code }
      : null;
  const ch = makeCharge(newId('ch'), now, {
    amount: pi.amount,
    currency: pi.currency,
    customer: typeof pi.customer === 'string' ? pi.customer : null,
    description: pi.description,
    metadata: { ...pi.metadata },
    payment_intent: pi.id,
    payment_method: pm.obj,
    receipt_email: pi.receipt_email,
    statement_descriptor: pi.statement_descriptor,
    statement_descriptor_suffix: pi.statement_descriptor_suffix,
    capture: !manual,
    captureBefore: manual && !failure ? now + k.config.authorizationWindowSeconds : null,
    moto,
    failure,
  });
  k.state.insert('charge', ch);
  return ch;
}

/** A charge's money has been taken (succeeded and captured): what the card does afterwards happens here. */
export function chargeSettled(_k: Kernel, _ch: Stripe.Charge): void {}

function listCharges(k: Kernel, form: FormObject): Stripe.ApiList<Stripe.Charge> {
  const p = validate(
    { ...LIST_SPEC, customer: 'string', payment_intent: 'string', transfer_group: 'string' },
    form,
  );
  return k.listOf(
    'charge',
    p,
    '/v1/charges',
    (ch) =>
      (p.customer === undefined || ch.customer === p.customer) &&
      (p.payment_intent === undefined || ch.payment_intent === p.payment_intent),
  );
}
