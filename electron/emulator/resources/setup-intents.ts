/**
 * SetupIntents (docs.stripe.com/api/setup_intents): save a card for later; create, retrieve, list, update,
 * confirm (3DS cards stop at requires_action), cancel, and the customer's 3DS step (control API).
 */
import type Stripe from 'stripe';
import type { CardBehaviour } from '../cards';
import { StripeApiError, docUrl, invalidRequest } from '../errors';
import { makeSetupIntent } from '../factories';
import type { FormObject } from '../form';
import type { Kernel, RequestCtx } from '../kernel';
import { SYSTEM_CTX, routeId } from '../kernel';
import { LIST_SPEC, cleanMetadata, mergeMetadata, validate } from '../params';
import { CONFIRMABLE, EXPAND } from '../specs';
import { clone, newId } from '../state';
import type { Stored } from '../state';
import { attach, paymentMethodFor, resolvePaymentMethod } from './payment-methods';

export function registerSetupIntents(k: Kernel): void {
  k.on('POST', '/v1/setup_intents', (p, c) => createSetupIntent(k, p, c));
  k.on('GET', '/v1/setup_intents', (p) => listSetupIntents(k, p));
  k.on('GET', '/v1/setup_intents/:id', (p, _c, m) => k.retrieveSimple('setup_intent', p, routeId(m)));
  k.on('POST', '/v1/setup_intents/:id', (p, _c, m) => updateSetupIntent(k, p, routeId(m)));
  k.on('POST', '/v1/setup_intents/:id/confirm', (p, c, m) => confirmSetupIntent(k, p, c, routeId(m)));
  k.on('POST', '/v1/setup_intents/:id/cancel', (p, c, m) => cancelSetupIntent(k, p, c, routeId(m)));
}

function unexpected(message: string): StripeApiError {
  return invalidRequest(message, { code: 'setup_intent_unexpected_state' });
}

function createSetupIntent(k: Kernel, form: FormObject, ctx: RequestCtx): Stripe.SetupIntent {
  const p = validate(
    {
      customer: 'string',
      payment_method: 'string',
      confirm: 'boolean',
      usage: { enum: ['on_session', 'off_session'] },
      description: 'nullable_string',
      metadata: 'metadata',
      payment_method_types: { array: 'string' },
      allowed_payment_method_types: { array: 'string' },
      excluded_payment_method_types: { array: 'string' },
      payment_method_options: 'any',
      automatic_payment_methods: 'any',
      return_url: 'string',
      use_stripe_sdk: 'boolean',
      mandate_data: 'any',
      expand: EXPAND,
    },
    form,
  );
  const customer = k.customerRef(p.customer);
  const pm =
    p.payment_method !== undefined ? paymentMethodFor(k, p.payment_method as string, customer) : null;
  const si = makeSetupIntent(
    newId('seti'),
    k.nowSec(),
    {
      customer,
      payment_method: pm ? pm.obj.id : null,
      description: (p.description as string | null | undefined) ?? null,
      metadata: cleanMetadata(p.metadata),
      usage: (p.usage as string | undefined) ?? 'off_session',
      payment_method_types: (p.allowed_payment_method_types as string[] | undefined) ??
        (p.payment_method_types as string[] | undefined) ?? ['card'],
    },
    '',
  );
  if (p.allowed_payment_method_types !== undefined) {
    si.allowed_payment_method_types =
      p.allowed_payment_method_types as Stripe.SetupIntent.AllowedPaymentMethodType[];
  }
  if (p.excluded_payment_method_types !== undefined) {
    si.excluded_payment_method_types =
      p.excluded_payment_method_types as Stripe.SetupIntent.ExcludedPaymentMethodType[];
  }
  si.client_secret = `${si.id}_secret_${newId('x', 25).slice(2)}`;
  const s = k.state.insert('setup_intent', si);
  k.emit('setup_intent.created', si, ctx);
  if (p.confirm === true) runSetupConfirm(k, s, ctx, p.return_url as string | undefined);
  return k.expand(si, p.expand);
}

function listSetupIntents(k: Kernel, form: FormObject): Stripe.ApiList<Stripe.SetupIntent> {
  const p = validate({ ...LIST_SPEC, customer: 'string', payment_method: 'string' }, form);
  return k.listOf(
    'setup_intent',
    p,
    '/v1/setup_intents',
    (si) =>
      (p.customer === undefined || si.customer === p.customer) &&
      (p.payment_method === undefined || si.payment_method === p.payment_method),
  );
}

function updateSetupIntent(k: Kernel, form: FormObject, siId: string): Stripe.SetupIntent {
  const p = validate(
    {
      customer: 'string',
      payment_method: 'string',
      description: 'nullable_string',
      metadata: 'metadata',
      expand: EXPAND,
    },
    form,
  );
  const si = k.require('setup_intent', siId).obj;
  if (si.status === 'succeeded' || si.status === 'canceled') {
    throw unexpected(`You cannot update this SetupIntent because it has a status of ${si.status}.`);
  }
  if (p.customer !== undefined) si.customer = k.customerRef(p.customer);
  if (p.payment_method !== undefined) {
    si.payment_method = resolvePaymentMethod(k, p.payment_method as string, 'payment_method').obj.id;
    si.status = 'requires_confirmation';
    si.next_action = null;
  }
  if (p.description !== undefined) si.description = p.description as string | null;
  if (p.metadata !== undefined) si.metadata = mergeMetadata(si.metadata ?? {}, p.metadata);
  k.state.touch(si.id);
  return k.expand(si, p.expand);
}

function confirmSetupIntent(k: Kernel, form: FormObject, ctx: RequestCtx, siId: string): Stripe.SetupIntent {
  const p = validate(
    {
      payment_method: 'string',
      return_url: 'string',
      payment_method_options: 'any',
      use_stripe_sdk: 'boolean',
      mandate_data: 'any',
      expand: EXPAND,
    },
    form,
  );
  const s = k.require('setup_intent', siId);
  const si = s.obj;
  if (!CONFIRMABLE.has(si.status)) {
    throw unexpected(
      `You cannot confirm this SetupIntent because it has a status of ${si.status}. Only a SetupIntent with one of the following statuses may be confirmed: requires_confirmation, requires_action, requires_payment_method.`,
    );
  }
  if (p.payment_method !== undefined) {
    si.payment_method = paymentMethodFor(k, p.payment_method as string, si.customer as string | null).obj.id;
  }
  runSetupConfirm(k, s, ctx, p.return_url as string | undefined);
  return k.expand(si, p.expand);
}

function runSetupConfirm(
  k: Kernel,
  s: Stored<'setup_intent'>,
  ctx: RequestCtx,
  returnUrl: string | undefined,
): void {
  const si = s.obj;
  if (typeof si.payment_method !== 'string') {
    throw invalidRequest(
      "You cannot confirm this SetupIntent because it's missing a payment method. Update the SetupIntent with a payment method and then confirm it again.",
      { code: 'setup_intent_unexpected_state', param: 'payment_method' },
    );
  }
  const pm = k.require('payment_method', si.payment_method, 'payment_method', 400);
  const behaviour = pm.internal.card?.behaviour ?? { kind: 'succeed' };
  si.last_setup_error = null;
  si.next_action = null;
  k.state.touch(si.id);
  if (behaviour.kind === 'three_ds') {
    si.status = 'requires_action';
    const url = `${k.baseUrl}/_emulator/3ds/${si.id}`;
    si.next_action = returnUrl
      ? { type: 'redirect_to_url', redirect_to_url: { return_url: returnUrl, url } }
      : { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url } };
    k.emit('setup_intent.requires_action', si, ctx);
    return;
  }
  finishSetup(k, s, pm, behaviour, ctx);
}

function finishSetup(
  k: Kernel,
  s: Stored<'setup_intent'>,
  pm: Stored<'payment_method'>,
  behaviour: CardBehaviour,
  ctx: RequestCtx,
): void {
  const si = s.obj;
  // A SetupIntent verifies the card, so declining test cards fail here too (except those that decline only
  // payments, cards.ts).
  if (behaviour.kind === 'decline' && behaviour.setupSucceeds !== true) {
    const detail = {
      code: behaviour.code,
      decline_code: behaviour.decline_code,
      doc_url: docUrl(behaviour.code),
      message: behaviour.message,
      ...(behaviour.param !== undefined ? { param: behaviour.param } : {}),
      payment_method: clone(pm.obj),
    };
    si.status = 'requires_payment_method';
    si.last_setup_error = { ...detail, type: 'card_error' };
    k.state.touch(si.id);
    k.emit('setup_intent.setup_failed', si, ctx);
    throw new StripeApiError(402, { type: 'card_error', ...detail, setup_intent: clone(si) });
  }
  if (typeof si.customer === 'string') attach(k, pm, si.customer, ctx);
  // Set up for off-session payments (docs.stripe.com/payments/save-and-reuse): an 'unless set up' card no
  // longer asks for the cardholder off-session. usage on_session keeps it for payments with them present.
  if (si.usage === 'off_session') pm.internal.setUp = true;
  si.status = 'succeeded';
  k.state.touch(si.id);
  k.emit('setup_intent.succeeded', si, ctx);
}

/** Completes (or fails) the customer's 3DS step of a SetupIntent. Control API; events carry a null request. */
export function authenticateSetupIntent(
  k: Kernel,
  siId: string,
  outcome: 'succeed' | 'fail',
): Stripe.SetupIntent {
  const s = k.require('setup_intent', siId);
  const si = s.obj;
  if (si.status !== 'requires_action') {
    throw unexpected(
      `This SetupIntent has a status of ${si.status}; only requires_action can be authenticated.`,
    );
  }
  const pm = k.require('payment_method', si.payment_method as string, 'payment_method', 400);
  si.next_action = null;
  if (outcome === 'fail') {
    si.status = 'requires_payment_method';
    si.last_setup_error = {
      code: 'setup_intent_authentication_failure',
      doc_url: docUrl('setup_intent_authentication_failure'),
      message:
        'The latest attempt to set up the payment method has failed because authentication failed. Provide a new payment method to attempt to set up again.',
      payment_method: clone(pm.obj),
      type: 'invalid_request_error',
    };
    k.state.touch(si.id);
    k.emit('setup_intent.setup_failed', si, SYSTEM_CTX);
    return si;
  }
  const b = pm.internal.card?.behaviour;
  const after: CardBehaviour = b?.kind === 'three_ds' ? b.afterAuth : (b ?? { kind: 'succeed' });
  try {
    finishSetup(k, s, pm, after, SYSTEM_CTX);
  } catch (e) {
    if (!(e instanceof StripeApiError)) throw e;
  }
  return si;
}

function cancelSetupIntent(k: Kernel, form: FormObject, ctx: RequestCtx, siId: string): Stripe.SetupIntent {
  const p = validate(
    { cancellation_reason: { enum: ['abandoned', 'requested_by_customer', 'duplicate'] }, expand: EXPAND },
    form,
  );
  const si = k.require('setup_intent', siId).obj;
  if (si.status === 'succeeded' || si.status === 'canceled') {
    throw unexpected(
      `You cannot cancel this SetupIntent because it has a status of ${si.status}. Only a SetupIntent with one of the following statuses may be canceled: requires_payment_method, requires_confirmation, requires_action.`,
    );
  }
  si.status = 'canceled';
  si.next_action = null;
  si.cancellation_reason =
    (p.cancellation_reason as Stripe.SetupIntent.CancellationReason | undefined) ?? null;
  k.state.touch(si.id);
  k.emit('setup_intent.canceled', si, ctx);
  return k.expand(si, p.expand);
}
