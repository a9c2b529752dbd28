/**
 * PaymentIntents (docs.stripe.com/api/payment_intents): create (optionally confirming), retrieve, list, update,
 * confirm, capture (holds), cancel, and authorization expiry on emulator time. Confirming is in
 * payment-intents-confirm.ts.
 */
import type Stripe from 'stripe';
import { CURRENCIES, formatAmount, minimumAmount } from '../cards';
import { StripeApiError, docUrl, invalidRequest, paramError, unexpectedState } from '../errors';
import { makePaymentIntent } from '../factories';
import type { FormObject } from '../form';
import type { Kernel, RequestCtx } from '../kernel';
import { SYSTEM_CTX, routeId } from '../kernel';
import { LIST_SPEC, cleanMetadata, mergeMetadata, validate } from '../params';
import type { Params, SpecMap } from '../params';
import { CONFIRMABLE, EXPAND, PM_OPTIONS_SPEC, SFU, SHIPPING_SPEC, normalizeShipping } from '../specs';
import { newId } from '../state';
import { chargeSettled } from './charges';
import { authenticatePaymentIntent, runConfirm } from './payment-intents-confirm';
import { paymentMethodFor } from './payment-methods';
import {
  HOOKS_SPEC,
  applyTaxLink,
  checkTaxLink,
  requestedCalculation,
  taxOnSucceeded,
} from './tax-associations';

const CAPTURE_METHOD = { enum: ['automatic', 'automatic_async', 'manual'] } as const;
const PM_TYPES: SpecMap = {
  payment_method_types: { array: 'string' },
  allowed_payment_method_types: { array: 'string' },
  excluded_payment_method_types: { array: 'string' },
};

const PI_CREATE_SPEC: SpecMap = {
  amount: 'integer',
  currency: 'string',
  customer: 'string',
  payment_method: 'string',
  confirm: 'boolean',
  capture_method: CAPTURE_METHOD,
  confirmation_method: { enum: ['automatic', 'manual'] },
  metadata: 'metadata',
  description: 'nullable_string',
  statement_descriptor: 'string',
  statement_descriptor_suffix: 'string',
  receipt_email: 'nullable_string',
  setup_future_usage: SFU,
  off_session: 'string',
  error_on_requires_action: 'boolean',
  return_url: 'string',
  ...PM_TYPES,
  payment_method_options: { object: PM_OPTIONS_SPEC },
  automatic_payment_methods: {
    object: { enabled: 'boolean', allow_redirects: { enum: ['always', 'never'] } },
  },
  shipping: { object: SHIPPING_SPEC, nullable: true },
  transfer_group: 'string',
  use_stripe_sdk: 'boolean',
  mandate_data: 'any',
  ...HOOKS_SPEC,
  expand: EXPAND,
};
const PI_UPDATE_SPEC: SpecMap = {
  amount: 'integer',
  currency: 'string',
  customer: 'nullable_string',
  payment_method: 'nullable_string',
  capture_method: CAPTURE_METHOD,
  metadata: 'metadata',
  description: 'nullable_string',
  statement_descriptor: 'nullable_string',
  statement_descriptor_suffix: 'nullable_string',
  receipt_email: 'nullable_string',
  setup_future_usage: SFU,
  ...PM_TYPES,
  payment_method_options: { object: PM_OPTIONS_SPEC },
  shipping: { object: SHIPPING_SPEC, nullable: true },
  transfer_group: 'string',
  ...HOOKS_SPEC,
  expand: EXPAND,
};
const PI_CONFIRM_SPEC: SpecMap = {
  payment_method: 'string',
  return_url: 'string',
  off_session: 'string',
  error_on_requires_action: 'boolean',
  setup_future_usage: SFU,
  capture_method: CAPTURE_METHOD,
  receipt_email: 'nullable_string',
  payment_method_options: { object: PM_OPTIONS_SPEC },
  ...PM_TYPES,
  shipping: { object: SHIPPING_SPEC, nullable: true },
  use_stripe_sdk: 'boolean',
  mandate_data: 'any',
  ...HOOKS_SPEC,
  expand: EXPAND,
};

export function registerPaymentIntents(k: Kernel): void {
  k.on('POST', '/v1/payment_intents', (p, c) => createPaymentIntent(k, p, c));
  k.on('GET', '/v1/payment_intents', (p) => listPaymentIntents(k, p));
  k.on('GET', '/v1/payment_intents/:id', (p, _c, m) => retrievePaymentIntent(k, p, routeId(m)));
  k.on('POST', '/v1/payment_intents/:id', (p, _c, m) => updatePaymentIntent(k, p, routeId(m)));
  k.on('POST', '/v1/payment_intents/:id/confirm', (p, c, m) => confirmPaymentIntent(k, p, c, routeId(m)));
  k.on('POST', '/v1/payment_intents/:id/capture', (p, c, m) => capturePaymentIntent(k, p, c, routeId(m)));
  k.on('POST', '/v1/payment_intents/:id/cancel', (p, c, m) => cancelPaymentIntent(k, p, c, routeId(m)));
  k.onTimer('hold_expiry', (piId, at) => expireHold(k, piId, at));
}

export { authenticatePaymentIntent };

function checkAmount(amount: number, currency: string, param = 'amount'): void {
  const tooSmall = amount < minimumAmount(currency);
  if (!tooSmall && amount <= 99_999_999) return;
  const code = tooSmall ? 'amount_too_small' : 'amount_too_large';
  const message = tooSmall
    ? `Amount must be at least ${formatAmount(minimumAmount(currency), currency)} ${currency}`
    : `Amount must be no more than ${formatAmount(99_999_999, currency)}`;
  throw new StripeApiError(
    400,
    { type: 'invalid_request_error', code, doc_url: docUrl(code), message, param },
    { beforeExecution: true },
  );
}

function checkCurrency(currency: unknown): string {
  const c = String(currency).toLowerCase();
  if (!CURRENCIES.has(c)) throw paramError('parameter_invalid_string', `Invalid currency: ${c}.`, 'currency');
  return c;
}

/** API 2026-10-28.endive: allowed_/excluded_payment_method_types (payment_method_types is still accepted). */
function applyPmTypes(pi: Stripe.PaymentIntent, p: Params): void {
  if (p.payment_method_types !== undefined) pi.payment_method_types = p.payment_method_types as string[];
  if (p.allowed_payment_method_types !== undefined) {
    pi.allowed_payment_method_types =
      p.allowed_payment_method_types as Stripe.PaymentIntent.AllowedPaymentMethodType[];
    pi.payment_method_types = p.allowed_payment_method_types as string[];
  }
  if (p.excluded_payment_method_types !== undefined) {
    pi.excluded_payment_method_types =
      p.excluded_payment_method_types as Stripe.PaymentIntent.ExcludedPaymentMethodType[];
  }
}

function parseOffSession(v: unknown): boolean {
  if (v === undefined) return false;
  if (v === 'true' || v === 'one_off' || v === 'recurring') return true;
  if (v === 'false') return false;
  throw paramError('parameter_invalid_boolean', `Invalid boolean: ${String(v)}`, 'off_session');
}

function confirmOnly(p: Params, name: string): void {
  if (p[name] !== undefined && p.confirm !== true) {
    throw paramError('parameter_invalid_string', `${name} can only be used with confirm=true.`, name);
  }
}

function createPaymentIntent(k: Kernel, form: FormObject, ctx: RequestCtx): unknown {
  const p = validate(PI_CREATE_SPEC, form, '', ['amount', 'currency']);
  const currency = checkCurrency(p.currency);
  const amount = p.amount as number;
  checkAmount(amount, currency);
  const taxCalc = requestedCalculation(p);
  checkTaxLink(k, taxCalc, amount);
  const offSession = parseOffSession(p.off_session);
  if (offSession) confirmOnly(p, 'off_session');
  confirmOnly(p, 'error_on_requires_action');
  confirmOnly(p, 'return_url');
  const customer = k.customerRef(p.customer);
  const pm =
    p.payment_method !== undefined ? paymentMethodFor(k, p.payment_method as string, customer) : null;
  const pmo = p.payment_method_options as { card?: { moto?: boolean } | null } | undefined;
  const pi = makePaymentIntent(
    newId('pi'),
    k.nowSec(),
    {
      amount,
      currency,
      customer,
      payment_method: pm ? pm.obj.id : null,
      capture_method:
        (p.capture_method as Stripe.PaymentIntent.CaptureMethod | undefined) ?? 'automatic_async',
      description: (p.description as string | null | undefined) ?? null,
      metadata: cleanMetadata(p.metadata),
      receipt_email: (p.receipt_email as string | null | undefined) ?? null,
      setup_future_usage:
        (p.setup_future_usage as Stripe.PaymentIntent.SetupFutureUsage | null | undefined) ?? null,
      statement_descriptor: (p.statement_descriptor as string | undefined) ?? null,
      statement_descriptor_suffix: (p.statement_descriptor_suffix as string | undefined) ?? null,
      payment_method_types: (p.allowed_payment_method_types as string[] | undefined) ??
        (p.payment_method_types as string[] | undefined) ?? ['card'],
      shipping: normalizeShipping(p.shipping) ?? null,
      transfer_group: (p.transfer_group as string | undefined) ?? null,
    },
    '',
  );
  pi.client_secret = `${pi.id}_secret_${newId('x', 25).slice(2)}`;
  applyPmTypes(pi, { ...p, payment_method_types: undefined });
  if (p.confirmation_method !== undefined)
    pi.confirmation_method = p.confirmation_method as 'automatic' | 'manual';
  applyTaxLink(k, pi, taxCalc);
  const s = k.state.insert('payment_intent', pi, { moto: pmo?.card?.moto === true });
  k.emit('payment_intent.created', pi, ctx);
  if (p.confirm === true) {
    runConfirm(k, s, ctx, {
      returnUrl: p.return_url as string | undefined,
      offSession,
      errorOnRequiresAction: p.error_on_requires_action === true,
    });
  }
  return k.expand(pi, p.expand);
}

function retrievePaymentIntent(k: Kernel, form: FormObject, piId: string): Stripe.PaymentIntent {
  const p = validate({ expand: EXPAND, client_secret: 'string' }, form);
  return k.expand(k.require('payment_intent', piId).obj, p.expand);
}

function listPaymentIntents(k: Kernel, form: FormObject): Stripe.ApiList<Stripe.PaymentIntent> {
  const p = validate({ ...LIST_SPEC, customer: 'string' }, form);
  return k.listOf(
    'payment_intent',
    p,
    '/v1/payment_intents',
    (pi) => p.customer === undefined || pi.customer === p.customer,
  );
}

function updatePaymentIntent(k: Kernel, form: FormObject, piId: string): Stripe.PaymentIntent {
  const p = validate(PI_UPDATE_SPEC, form);
  const s = k.require('payment_intent', piId);
  const pi = s.obj;
  if (pi.status === 'succeeded' || pi.status === 'canceled') {
    const allowed = new Set([...k.config.paymentIntentUpdatableAfterSuccess, 'expand']);
    const refused = Object.keys(p).find((f) => !allowed.has(f));
    if (refused !== undefined) {
      // [unverified] message, after Stripe's for the amount.
      throw invalidRequest(
        `This PaymentIntent's ${refused} could not be updated because it has a status of ${pi.status}. You may only update the ${refused} of a PaymentIntent with one of the following statuses: requires_payment_method, requires_confirmation, requires_action, requires_capture.`,
        { code: 'payment_intent_unexpected_state', param: refused },
      );
    }
  }
  if (pi.status === 'processing') {
    throw unexpectedState(
      `You cannot update this PaymentIntent because it has a status of ${pi.status}. Updates are only allowed when the PaymentIntent has a status of requires_payment_method, requires_confirmation, requires_action, or requires_capture.`,
    );
  }
  const currency = p.currency !== undefined ? checkCurrency(p.currency) : pi.currency;
  // Checked before anything changes: metadata that would overflow the object refuses the whole update.
  const metadata = p.metadata !== undefined ? mergeMetadata(pi.metadata, p.metadata) : pi.metadata;
  const taxCalc = requestedCalculation(p);
  checkTaxLink(k, taxCalc, (p.amount as number | undefined) ?? pi.amount);
  if (p.amount !== undefined || p.currency !== undefined) {
    if (pi.status === 'requires_capture') {
      throw unexpectedState(
        'You cannot update the amount or currency of a PaymentIntent with a status of requires_capture.',
      );
    }
    checkAmount((p.amount as number | undefined) ?? pi.amount, currency);
    pi.amount = (p.amount as number | undefined) ?? pi.amount;
    pi.currency = currency;
  }
  if (p.customer !== undefined) pi.customer = k.customerRef(p.customer);
  if (p.payment_method !== undefined) {
    if (p.payment_method === null) {
      pi.payment_method = null;
      if (pi.status !== 'requires_capture') pi.status = 'requires_payment_method';
    } else {
      pi.payment_method = paymentMethodFor(
        k,
        p.payment_method as string,
        pi.customer as string | null,
      ).obj.id;
      if (pi.status === 'requires_payment_method' || pi.status === 'requires_action') {
        pi.status = 'requires_confirmation';
        pi.next_action = null;
      }
    }
  }
  applyCommonUpdates(pi, p);
  pi.metadata = metadata;
  if (p.description !== undefined) pi.description = p.description as string | null;
  if (p.statement_descriptor !== undefined) pi.statement_descriptor = p.statement_descriptor as string | null;
  if (p.statement_descriptor_suffix !== undefined)
    pi.statement_descriptor_suffix = p.statement_descriptor_suffix as string | null;
  if (p.transfer_group !== undefined) pi.transfer_group = p.transfer_group as string;
  const pmo = p.payment_method_options as { card?: { moto?: boolean } | null } | undefined;
  if (pmo?.card?.moto !== undefined) s.internal.moto = pmo.card.moto;
  applyTaxLink(k, pi, taxCalc);
  k.state.touch(pi.id);
  return k.expand(pi, p.expand);
}

/** Parameters that update and confirm both take. */
function applyCommonUpdates(pi: Stripe.PaymentIntent, p: Params): void {
  if (p.receipt_email !== undefined) pi.receipt_email = p.receipt_email as string | null;
  if (p.setup_future_usage !== undefined)
    pi.setup_future_usage = p.setup_future_usage as Stripe.PaymentIntent.SetupFutureUsage | null;
  if (p.capture_method !== undefined)
    pi.capture_method = p.capture_method as Stripe.PaymentIntent.CaptureMethod;
  applyPmTypes(pi, p);
  if (p.shipping !== undefined) pi.shipping = normalizeShipping(p.shipping) ?? null;
}

function confirmPaymentIntent(
  k: Kernel,
  form: FormObject,
  ctx: RequestCtx,
  piId: string,
): Stripe.PaymentIntent {
  const p = validate(PI_CONFIRM_SPEC, form);
  const s = k.require('payment_intent', piId);
  const pi = s.obj;
  if (!CONFIRMABLE.has(pi.status)) {
    throw unexpectedState(
      `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_action, requires_payment_method.`,
    );
  }
  const taxCalc = requestedCalculation(p);
  checkTaxLink(k, taxCalc, pi.amount);
  if (p.payment_method !== undefined) {
    pi.payment_method = paymentMethodFor(k, p.payment_method as string, pi.customer as string | null).obj.id;
  }
  applyCommonUpdates(pi, p);
  applyTaxLink(k, pi, taxCalc);
  const pmo = p.payment_method_options as { card?: { moto?: boolean } | null } | undefined;
  if (pmo?.card?.moto !== undefined) s.internal.moto = pmo.card.moto;
  runConfirm(k, s, ctx, {
    returnUrl: p.return_url as string | undefined,
    offSession: parseOffSession(p.off_session),
    errorOnRequiresAction: p.error_on_requires_action === true,
  });
  return k.expand(pi, p.expand);
}

function capturePaymentIntent(
  k: Kernel,
  form: FormObject,
  ctx: RequestCtx,
  piId: string,
): Stripe.PaymentIntent {
  const p = validate(
    {
      amount_to_capture: 'integer',
      metadata: 'metadata',
      statement_descriptor: 'string',
      statement_descriptor_suffix: 'string',
      final_capture: 'boolean',
      application_fee_amount: 'integer',
      ...HOOKS_SPEC,
      expand: EXPAND,
    },
    form,
  );
  const pi = k.require('payment_intent', piId).obj;
  if (pi.status !== 'requires_capture') {
    throw unexpectedState(
      `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
    );
  }
  const amount = (p.amount_to_capture as number | undefined) ?? pi.amount_capturable;
  if (amount > pi.amount_capturable) {
    throw invalidRequest(
      `The amount_to_capture (${amount}) must be less than or equal to the PaymentIntent's amount_capturable (${pi.amount_capturable}).`,
      { code: 'amount_too_large', param: 'amount_to_capture' },
    );
  }
  if (amount <= 0) {
    throw invalidRequest('The amount_to_capture must be greater than zero.', { param: 'amount_to_capture' });
  }
  // Checked before anything changes: metadata that would overflow the object refuses the whole capture.
  const metadata = p.metadata !== undefined ? mergeMetadata(pi.metadata, p.metadata) : pi.metadata;
  const taxCalc = requestedCalculation(p);
  checkTaxLink(k, taxCalc, amount, 'amount_to_capture');
  const ch = k.require('charge', pi.latest_charge as string, 'latest_charge', 400).obj;
  applyTaxLink(k, pi, taxCalc);
  const prevCh = {
    amount_captured: ch.amount_captured,
    captured: ch.captured,
    amount_refunded: ch.amount_refunded,
  };
  ch.captured = true;
  ch.amount_captured = amount;
  // The uncaptured remainder is released; like Stripe's Charges API ("any additional amount will be
  // automatically refunded") it shows in amount_refunded. [unverified] no separate Refund object is created.
  ch.amount_refunded = ch.amount - amount;
  ch.refunded = ch.amount_refunded === ch.amount;
  pi.metadata = metadata;
  if (p.statement_descriptor !== undefined) pi.statement_descriptor = p.statement_descriptor as string;
  if (p.statement_descriptor_suffix !== undefined)
    pi.statement_descriptor_suffix = p.statement_descriptor_suffix as string;
  k.state.touch(ch.id);
  k.emit('charge.captured', ch, ctx, prevCh);
  const prev = {
    status: pi.status,
    amount_capturable: pi.amount_capturable,
    amount_received: pi.amount_received,
  };
  pi.status = 'succeeded';
  pi.amount_received = amount;
  pi.amount_capturable = 0;
  k.cancelTimer('hold_expiry', pi.id);
  k.state.touch(pi.id);
  k.emit('payment_intent.succeeded', pi, ctx, prev);
  taxOnSucceeded(k, pi);
  chargeSettled(k, ch);
  return k.expand(pi, p.expand);
}

/** Cancelling or expiring a hold releases it: shown like a refund of the uncaptured amount. */
function releaseHold(
  k: Kernel,
  pi: Stripe.PaymentIntent,
): { ch: Stripe.Charge; prev: Record<string, unknown> } | null {
  if (pi.status !== 'requires_capture' || typeof pi.latest_charge !== 'string') return null;
  const ch = k.state.get('charge', pi.latest_charge)?.obj;
  if (!ch) return null;
  const prev = { amount_refunded: ch.amount_refunded, refunded: ch.refunded };
  ch.amount_refunded = ch.amount;
  ch.refunded = true;
  k.state.touch(ch.id);
  return { ch, prev };
}

function markCanceled(
  k: Kernel,
  pi: Stripe.PaymentIntent,
  at: number,
  reason: Stripe.PaymentIntent.CancellationReason | null,
): Record<string, unknown> {
  const prev = {
    status: pi.status,
    amount_capturable: pi.amount_capturable,
    canceled_at: null,
    cancellation_reason: null,
  };
  pi.status = 'canceled';
  pi.amount_capturable = 0;
  pi.next_action = null;
  pi.canceled_at = at;
  pi.cancellation_reason = reason;
  k.cancelTimer('hold_expiry', pi.id);
  k.state.touch(pi.id);
  return prev;
}

function cancelPaymentIntent(
  k: Kernel,
  form: FormObject,
  ctx: RequestCtx,
  piId: string,
): Stripe.PaymentIntent {
  const p = validate(
    {
      cancellation_reason: { enum: ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] },
      expand: EXPAND,
    },
    form,
  );
  const pi = k.require('payment_intent', piId).obj;
  if (pi.status === 'succeeded' || pi.status === 'canceled') {
    throw unexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`,
    );
  }
  // Cancelling a hold releases it: the uncaptured amount is refunded automatically (stripe-behaviour.md).
  // [unverified] Stripe emits charge.refunded for this; no Refund object is listed.
  const released = releaseHold(k, pi);
  if (released) k.emit('charge.refunded', released.ch, ctx, released.prev);
  const reason = (p.cancellation_reason as Stripe.PaymentIntent.CancellationReason | undefined) ?? null;
  const prev = markCanceled(k, pi, k.nowSec(), reason);
  k.emit('payment_intent.canceled', pi, ctx, prev);
  return k.expand(pi, p.expand);
}

/** The authorization lapsed: the funds are released and the PaymentIntent is canceled (Stripe-initiated). */
function expireHold(k: Kernel, piId: string, at: number): void {
  const pi = k.state.get('payment_intent', piId)?.obj;
  if (!pi || pi.status !== 'requires_capture') return;
  // [unverified] exact charge fields after expiry: same representation as cancelling a hold.
  const released = releaseHold(k, pi);
  if (released) k.emit('charge.expired', released.ch, SYSTEM_CTX, released.prev, at);
  const prev = markCanceled(k, pi, at, k.config.expiryCancellationReason);
  k.emit('payment_intent.canceled', pi, SYSTEM_CTX, prev, at);
}
