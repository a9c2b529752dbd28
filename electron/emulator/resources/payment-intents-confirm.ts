/**
 * Confirming a PaymentIntent (docs.stripe.com/payments/paymentintents/lifecycle): the card's behaviour decides
 * between requires_action (3DS), a decline (402 naming the PaymentIntent, back to requires_payment_method) and
 * a charge (requires_capture for manual capture, otherwise succeeded). Also the customer's 3DS step.
 */
import type Stripe from 'stripe';
import { AUTHENTICATION_REQUIRED } from '../cards';
import type { CardBehaviour } from '../cards';
import { StripeApiError, docUrl, invalidRequest, unexpectedState } from '../errors';
import type { ErrorBody } from '../errors';
import type { Kernel, RequestCtx } from '../kernel';
import { SYSTEM_CTX } from '../kernel';
import { clone, newId } from '../state';
import type { Stored } from '../state';
import { chargeSettled, createCharge } from './charges';
import { attach, checkReusable } from './payment-methods';
import { taxOnSucceeded } from './tax-associations';

export interface ConfirmOptions {
  returnUrl: string | undefined;
  offSession: boolean;
  errorOnRequiresAction: boolean;
}

export function runConfirm(
  k: Kernel,
  s: Stored<'payment_intent'>,
  ctx: RequestCtx,
  opts: ConfirmOptions,
): void {
  const pi = s.obj;
  if (!pi.payment_method || typeof pi.payment_method !== 'string') {
    throw invalidRequest(
      "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with cus_xxx, specify a payment method attached to this customer along with the customer ID.",
      { code: 'payment_intent_unexpected_state', param: 'payment_method' },
    );
  }
  const pm = k.require('payment_method', pi.payment_method, 'payment_method', 400);
  checkReusable(pm);
  const behaviour = pm.internal.card?.behaviour ?? { kind: 'succeed' };
  pi.last_payment_error = null;
  pi.next_action = null;
  s.internal.offSession = opts.offSession;
  k.state.touch(pi.id);
  if (behaviour.kind === 'three_ds' && !s.internal.moto) {
    if (opts.offSession) {
      // Off-session the cardholder isn't there: a card set up for it (or one that never asks off-session)
      // goes through; otherwise the bank declines softly, with a failed charge (docs.stripe.com/testing).
      chargeCard(
        k,
        s,
        pm,
        offSessionPasses(behaviour, pm) ? behaviour.afterAuth : AUTHENTICATION_REQUIRED,
        ctx,
      );
      return;
    }
    if (opts.errorOnRequiresAction) {
      failPayment(
        k,
        s,
        pm,
        {
          type: 'card_error',
          code: 'authentication_required',
          message:
            "This payment required an authentication action to complete, but `error_on_requires_action` was set. When you're ready, you can upgrade your integration to handle actions at https://stripe.com/docs/payments/payment-intents/upgrade-to-handle-actions.",
          doc_url: docUrl('authentication_required'),
        },
        ctx,
      );
    }
    pi.status = 'requires_action';
    const url = `${k.baseUrl}/_emulator/3ds/${pi.id}`;
    pi.next_action = opts.returnUrl
      ? { type: 'redirect_to_url', redirect_to_url: { return_url: opts.returnUrl, url } }
      : {
          type: 'use_stripe_sdk',
          use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url, source: newId('src') },
        };
    k.emit('payment_intent.requires_action', pi, ctx, { status: 'requires_confirmation', next_action: null });
    return;
  }
  const effective: CardBehaviour = behaviour.kind === 'three_ds' ? behaviour.afterAuth : behaviour;
  chargeCard(k, s, pm, effective, ctx);
}

/** Whether an off-session payment with a 3DS card goes through without the cardholder (cards.ts). */
function offSessionPasses(
  behaviour: Extract<CardBehaviour, { kind: 'three_ds' }>,
  pm: Stored<'payment_method'>,
): boolean {
  const rule = behaviour.offSession ?? 'always';
  return rule === 'never' || (rule === 'unless_set_up' && pm.internal.setUp === true);
}

/** Records a failed payment attempt and throws the 402 card error naming the PaymentIntent. */
function failPayment(
  k: Kernel,
  s: Stored<'payment_intent'>,
  pm: Stored<'payment_method'>,
  err: ErrorBody,
  ctx: RequestCtx,
): never {
  const pi = s.obj;
  const prevStatus = pi.status;
  pi.status = 'requires_payment_method';
  pi.next_action = null;
  pi.last_payment_error = {
    ...(err.charge !== undefined ? { charge: err.charge } : {}),
    ...(err.code !== undefined ? { code: err.code as Stripe.PaymentIntent.LastPaymentError.Code } : {}),
    ...(err.decline_code !== undefined ? { decline_code: err.decline_code } : {}),
    ...(err.doc_url !== undefined ? { doc_url: err.doc_url } : {}),
    message: err.message,
    ...(err.param !== undefined ? { param: err.param } : {}),
    payment_method: clone(pm.obj),
    type: err.type as Stripe.PaymentIntent.LastPaymentError.Type,
  };
  k.state.touch(pi.id);
  k.emit('payment_intent.payment_failed', pi, ctx, { status: prevStatus, last_payment_error: null });
  throw new StripeApiError(402, { ...err, payment_intent: clone(pi), payment_method: clone(pm.obj) });
}

/** Charges the card of a confirmed PaymentIntent (after any 3DS step). */
function chargeCard(
  k: Kernel,
  s: Stored<'payment_intent'>,
  pm: Stored<'payment_method'>,
  behaviour: CardBehaviour,
  ctx: RequestCtx,
): void {
  const pi = s.obj;
  const manual = pi.capture_method === 'manual';
  const ch = createCharge(k, pi, pm, behaviour, s.internal.moto === true);
  pi.latest_charge = ch.id;
  if (behaviour.kind === 'decline') {
    k.emit('charge.failed', ch, ctx);
    failPayment(
      k,
      s,
      pm,
      {
        type: 'card_error',
        code: behaviour.code,
        decline_code: behaviour.decline_code,
        message: behaviour.message,
        ...(behaviour.param !== undefined ? { param: behaviour.param } : {}),
        charge: ch.id,
        doc_url: docUrl(behaviour.code),
      },
      ctx,
    );
  }
  const prevStatus = pi.status;
  // setup_future_usage with a customer saves the card for later use (docs.stripe.com/payments/save-during-
  // payment): attached once the payment succeeds (or is authorized), with any 3DS step it needed done, which
  // sets an 'unless set up' card up for off-session payments.
  if (pi.setup_future_usage && typeof pi.customer === 'string' && pm.obj.customer === null) {
    attach(k, pm, pi.customer, ctx);
  }
  if (pi.setup_future_usage === 'off_session') pm.internal.setUp = true;
  k.emit('charge.succeeded', ch, ctx);
  if (manual) {
    pi.status = 'requires_capture';
    pi.amount_capturable = pi.amount;
    k.schedule('hold_expiry', pi.id, ch.payment_method_details?.card?.capture_before as number);
    k.state.touch(pi.id);
    k.emit('payment_intent.amount_capturable_updated', pi, ctx, { status: prevStatus, amount_capturable: 0 });
  } else {
    pi.status = 'succeeded';
    pi.amount_received = pi.amount;
    k.state.touch(pi.id);
    k.emit('payment_intent.succeeded', pi, ctx, { status: prevStatus, amount_received: 0 });
    taxOnSucceeded(k, pi);
    chargeSettled(k, ch);
  }
}

/** Completes (or fails) the customer's 3DS step. Control API; events carry a null request. */
export function authenticatePaymentIntent(
  k: Kernel,
  piId: string,
  outcome: 'succeed' | 'fail',
): Stripe.PaymentIntent {
  const s = k.require('payment_intent', piId);
  const pi = s.obj;
  if (pi.status !== 'requires_action') {
    throw unexpectedState(
      `This PaymentIntent has a status of ${pi.status}; only requires_action can be authenticated.`,
    );
  }
  const pm = k.require('payment_method', pi.payment_method as string, 'payment_method', 400);
  if (outcome === 'fail') {
    pi.status = 'requires_payment_method';
    pi.next_action = null;
    pi.last_payment_error = {
      code: 'payment_intent_authentication_failure',
      doc_url: docUrl('payment_intent_authentication_failure'),
      message:
        'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
      payment_method: clone(pm.obj),
      type: 'invalid_request_error',
    };
    k.state.touch(pi.id);
    k.emit('payment_intent.payment_failed', pi, SYSTEM_CTX, {
      status: 'requires_action',
      last_payment_error: null,
    });
    return pi;
  }
  const behaviour = pm.internal.card?.behaviour;
  const after: CardBehaviour =
    behaviour?.kind === 'three_ds' ? behaviour.afterAuth : (behaviour ?? { kind: 'succeed' });
  pi.next_action = null;
  try {
    chargeCard(k, s, pm, after, SYSTEM_CTX);
  } catch (e) {
    if (!(e instanceof StripeApiError)) throw e;
  }
  return pi;
}
