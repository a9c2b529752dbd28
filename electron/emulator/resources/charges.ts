/**
 * Charges (docs.stripe.com/api/charges): made by confirming PaymentIntents; retrieve, list, and update
 * (description, metadata, receipt_email, shipping with carrier and tracking number, fraud_details, a customer
 * when there is none, a transfer_group when there is none) with charge.updated. Anything else is 400
 * parameter_unknown.
 */
import type Stripe from 'stripe';
import type { AfterPayment, CardBehaviour } from '../cards';
import { makeCharge } from '../factories';
import type { FormObject } from '../form';
import { invalidRequest } from '../errors';
import type { Kernel, RequestCtx } from '../kernel';
import { applyUpdate, routeId } from '../kernel';
import { LIST_SPEC, mergeMetadata, validate } from '../params';
import { EXPAND, SHIPPING_SPEC, normalizeShipping } from '../specs';
import { clone, newId } from '../state';
import type { Stored } from '../state';

export function registerCharges(k: Kernel): void {
  k.on('GET', '/v1/charges', (p) => listCharges(k, p));
  k.on('GET', '/v1/charges/:id', (p, _c, m) => k.retrieveSimple('charge', p, routeId(m)));
  k.on('POST', '/v1/charges/:id', (p, c, m) => updateCharge(k, p, c, routeId(m)));
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
    // A PaymentIntent's customer and shipping are copied onto its charges (stripe-behaviour.md).
    shipping: pi.shipping ? clone(pi.shipping) : null,
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

/** What the charge's test card does after a successful payment (docs.stripe.com/testing). */
export function cardAfter(k: Kernel, ch: Stripe.Charge): AfterPayment | undefined {
  return typeof ch.payment_method === 'string'
    ? k.state.get('payment_method', ch.payment_method)?.internal.card?.after
    : undefined;
}

/**
 * A charge's money has been taken (succeeded and captured). Dispute and fraud-warning test cards schedule
 * what happens next on emulator time (disputes.ts, early-fraud-warnings.ts).
 */
export function chargeSettled(k: Kernel, ch: Stripe.Charge): void {
  const after = cardAfter(k, ch);
  if (!after) return;
  const now = k.nowSec();
  if (after.dispute) k.schedule('dispute_arrives', ch.id, now + k.config.disputeDelaySeconds);
  if (after.earlyFraudWarning)
    k.schedule('fraud_warning_arrives', ch.id, now + k.config.earlyFraudWarningDelaySeconds);
}

function updateCharge(k: Kernel, form: FormObject, ctx: RequestCtx, chId: string): Stripe.Charge {
  const p = validate(
    {
      customer: 'string',
      description: 'string',
      fraud_details: { object: { user_report: { enum: ['fraudulent', 'safe'], nullable: true } } },
      metadata: 'metadata',
      receipt_email: 'string',
      shipping: { object: SHIPPING_SPEC },
      transfer_group: 'string',
      expand: EXPAND,
    },
    form,
  );
  const ch = k.require('charge', chId).obj;
  if (p.customer !== undefined && ch.customer !== null && ch.customer !== p.customer) {
    // "This field may only be updated if there is no existing associated customer with this charge."
    // [unverified] message.
    throw invalidRequest('This charge already has a customer; it can only be set on a charge without one.', {
      param: 'customer',
    });
  }
  if (
    p.transfer_group !== undefined &&
    ch.transfer_group !== null &&
    ch.transfer_group !== p.transfer_group
  ) {
    throw invalidRequest('transfer_group may only be provided if it has not been set.', {
      param: 'transfer_group',
    });
  }
  let fraud: Stripe.Charge.FraudDetails | undefined;
  const report = (p.fraud_details as { user_report?: string | null } | undefined)?.user_report;
  if (report !== undefined) {
    const { user_report: _old, ...rest } = ch.fraud_details ?? {};
    fraud = report === null ? rest : { ...rest, user_report: report };
  }
  const prev = applyUpdate(ch, {
    customer: p.customer !== undefined ? k.customerRef(p.customer) : undefined,
    description: p.description,
    fraud_details: fraud,
    metadata: p.metadata !== undefined ? mergeMetadata(ch.metadata, p.metadata) : undefined,
    receipt_email: p.receipt_email,
    shipping: normalizeShipping(p.shipping),
    transfer_group: p.transfer_group,
  });
  if (Object.keys(prev).length > 0) {
    k.state.touch(ch.id);
    k.emit('charge.updated', ch, ctx, prev);
  }
  return k.expand(ch, p.expand);
}

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
