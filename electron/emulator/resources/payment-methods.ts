/**
 * PaymentMethods (docs.stripe.com/api/payment_methods): cards from test numbers, `tok_*` tokens and `pm_card_*`
 * test ids (each use of a `pm_card_*` id makes a fresh PaymentMethod, like Stripe); attach, detach (a detached
 * one is never used again), update, list; a customer's PaymentMethods listed and retrieved through the customer.
 */
import type Stripe from 'stripe';
import { TEST_PAYMENT_METHODS, TEST_TOKENS, cardByNumber } from '../cards';
import type { TestCard } from '../cards';
import { StripeApiError, docUrl, invalidRequest, paramError, resourceMissing } from '../errors';
import { makeBillingDetails, makePaymentMethod } from '../factories';
import type { FormObject } from '../form';
import type { Kernel, RequestCtx } from '../kernel';
import { routeId } from '../kernel';
import { LIST_SPEC, cleanMetadata, mergeMetadata, validate } from '../params';
import { BILLING_SPEC, EXPAND } from '../specs';
import { clone, newId } from '../state';
import type { Stored } from '../state';

export function registerPaymentMethods(k: Kernel): void {
  k.on('POST', '/v1/payment_methods', (p) => createPaymentMethod(k, p));
  k.on('GET', '/v1/payment_methods', (p) => listPaymentMethods(k, p));
  k.on('GET', '/v1/payment_methods/:id', (p, _c, m) => retrievePaymentMethod(k, p, routeId(m)));
  k.on('POST', '/v1/payment_methods/:id', (p, c, m) => updatePaymentMethod(k, p, c, routeId(m)));
  k.on('POST', '/v1/payment_methods/:id/attach', (p, c, m) => attachPaymentMethod(k, p, c, routeId(m)));
  k.on('POST', '/v1/payment_methods/:id/detach', (p, c, m) => detachPaymentMethod(k, p, c, routeId(m)));
  k.on('GET', '/v1/customers/:id/payment_methods', (p, _c, m) => listPaymentMethods(k, p, routeId(m)));
  k.on('GET', '/v1/customers/:id/payment_methods/:pm', (p, _c, m) =>
    retrieveCustomerPaymentMethod(k, p, routeId(m), routeId(m, 2)),
  );
}

function newPaymentMethod(
  k: Kernel,
  card: TestCard,
  opts: Parameters<typeof makePaymentMethod>[3] = {},
): Stored<'payment_method'> {
  const pm = makePaymentMethod(newId('pm'), k.nowSec(), card, opts);
  return k.state.insert('payment_method', pm, { card });
}

/** Resolves a PaymentMethod id, turning `pm_card_*` test ids into a fresh PaymentMethod like Stripe does. */
export function resolvePaymentMethod(k: Kernel, pmId: string, param: string): Stored<'payment_method'> {
  const test = TEST_PAYMENT_METHODS[pmId];
  if (test) return newPaymentMethod(k, test);
  const s = k.state.get('payment_method', pmId);
  if (!s) throw invalidRequest(`No such PaymentMethod: '${pmId}'`, { code: 'resource_missing', param });
  return s;
}

/** A PaymentMethod attached to a customer can only be used with that customer. */
function checkPmCustomer(pm: Stored<'payment_method'>, customer: string | null): void {
  const owner = pm.obj.customer;
  if (owner !== null && owner !== customer) {
    throw invalidRequest(
      customer === null
        ? `The provided PaymentMethod belongs to a Customer, but you did not provide a Customer. Please provide the Customer (${String(owner)}) that the PaymentMethod belongs to.`
        : `The provided PaymentMethod belongs to another Customer.`,
      { param: 'payment_method' },
    );
  }
}

/** A `payment_method` parameter of an intent belonging to `customer`: resolved and checked; returns it. */
export function paymentMethodFor(k: Kernel, pmId: string, customer: string | null): Stored<'payment_method'> {
  const pm = resolvePaymentMethod(k, pmId, 'payment_method');
  checkReusable(pm);
  checkPmCustomer(pm, customer);
  return pm;
}

/**
 * A PaymentMethod detached from its customer can't be used again (docs.stripe.com/api/payment_methods/detach:
 * "it can no longer be used for a payment or re-attached to a Customer"). [unverified] the error's code: none.
 */
export function checkReusable(pm: Stored<'payment_method'>): void {
  if (!pm.internal.detached) return;
  throw invalidRequest(
    'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.',
    { param: 'payment_method' },
  );
}

function cardError(e: { code: string; message: string; param?: string }): StripeApiError {
  return new StripeApiError(402, {
    type: 'card_error',
    code: e.code,
    doc_url: docUrl(e.code),
    message: e.message,
    ...(e.param !== undefined ? { param: e.param } : {}),
  });
}

function createPaymentMethod(k: Kernel, form: FormObject): Stripe.PaymentMethod {
  const p = validate(
    {
      type: { enum: ['card'] },
      card: {
        object: {
          number: 'string',
          exp_month: 'integer',
          exp_year: 'integer',
          cvc: 'string',
          token: 'string',
        },
      },
      billing_details: { object: BILLING_SPEC },
      metadata: 'metadata',
      allow_redisplay: { enum: ['always', 'limited', 'unspecified'] },
      expand: EXPAND,
    },
    form,
    '',
    ['type'],
  );
  const c = p.card as { number?: string; exp_month?: number; exp_year?: number; token?: string } | undefined;
  if (!c) throw paramError('parameter_missing', 'Missing required param: card.', 'card');
  let card: TestCard | undefined;
  if (c.token !== undefined) {
    const key = TEST_TOKENS[c.token];
    if (!key)
      throw invalidRequest(`No such token: '${c.token}'`, { code: 'resource_missing', param: 'card[token]' });
    card = TEST_PAYMENT_METHODS[key];
  } else {
    for (const f of ['number', 'exp_month', 'exp_year'] as const) {
      if (c[f] === undefined) {
        throw paramError('parameter_missing', `Missing required param: card[${f}].`, `card[${f}]`);
      }
    }
    card = cardByNumber(c.number as string);
    if (!card) {
      throw cardError({
        code: 'incorrect_number',
        message: 'Your card number is incorrect.',
        param: 'number',
      });
    }
    const month = c.exp_month as number;
    if (month < 1 || month > 12) {
      throw cardError({
        code: 'invalid_expiry_month',
        message: "Your card's expiration month is invalid.",
        param: 'exp_month',
      });
    }
    const year = (c.exp_year as number) < 100 ? 2000 + (c.exp_year as number) : (c.exp_year as number);
    if (year < new Date(k.nowMs()).getUTCFullYear()) {
      throw cardError({
        code: 'invalid_expiry_year',
        message: "Your card's expiration year is invalid.",
        param: 'exp_year',
      });
    }
  }
  if (!card) throw invalidRequest('Invalid card', { param: 'card' });
  const bd = p.billing_details as Partial<Stripe.PaymentMethod.BillingDetails> | undefined;
  const s = newPaymentMethod(k, card, {
    ...(c.exp_month !== undefined ? { exp_month: c.exp_month } : {}),
    ...(c.exp_year !== undefined ? { exp_year: c.exp_year < 100 ? 2000 + c.exp_year : c.exp_year } : {}),
    metadata: cleanMetadata(p.metadata),
    billing_details: makeBillingDetails(bd ?? {}),
  });
  if (p.allow_redisplay !== undefined)
    s.obj.allow_redisplay = p.allow_redisplay as Stripe.PaymentMethod.AllowRedisplay;
  return k.expand(s.obj, p.expand);
}

function retrievePaymentMethod(k: Kernel, form: FormObject, pmId: string): Stripe.PaymentMethod {
  const p = validate({ expand: EXPAND }, form);
  if (TEST_PAYMENT_METHODS[pmId]) return k.expand(resolvePaymentMethod(k, pmId, 'id').obj, p.expand);
  return k.expand(k.require('payment_method', pmId).obj, p.expand);
}

function updatePaymentMethod(
  k: Kernel,
  form: FormObject,
  ctx: RequestCtx,
  pmId: string,
): Stripe.PaymentMethod {
  const p = validate(
    {
      billing_details: { object: BILLING_SPEC },
      metadata: 'metadata',
      card: { object: { exp_month: 'integer', exp_year: 'integer' } },
      allow_redisplay: { enum: ['always', 'limited', 'unspecified'] },
      expand: EXPAND,
    },
    form,
  );
  const pm = k.require('payment_method', pmId).obj;
  const prev: Record<string, unknown> = {};
  if (p.metadata !== undefined) {
    prev.metadata = pm.metadata;
    pm.metadata = mergeMetadata(pm.metadata ?? {}, p.metadata);
  }
  if (p.billing_details !== undefined) {
    prev.billing_details = pm.billing_details;
    pm.billing_details = makeBillingDetails({ ...pm.billing_details, ...(p.billing_details as object) });
  }
  const c = p.card as { exp_month?: number; exp_year?: number } | undefined;
  if (c && pm.card) {
    prev.card = clone(pm.card);
    if (c.exp_month !== undefined) pm.card.exp_month = c.exp_month;
    if (c.exp_year !== undefined) pm.card.exp_year = c.exp_year;
  }
  if (p.allow_redisplay !== undefined) {
    prev.allow_redisplay = pm.allow_redisplay;
    pm.allow_redisplay = p.allow_redisplay as Stripe.PaymentMethod.AllowRedisplay;
  }
  k.state.touch(pm.id);
  k.emit('payment_method.updated', pm, ctx, prev);
  return k.expand(pm, p.expand);
}

/** Attaches a PaymentMethod to a customer (payment_method.attached); no-op when already theirs. */
export function attach(k: Kernel, s: Stored<'payment_method'>, cusId: string, ctx: RequestCtx): void {
  const pm = s.obj;
  if (pm.customer === cusId) return;
  if (pm.customer !== null) {
    throw invalidRequest('The payment method you provided has already been attached to a customer.', {
      param: 'payment_method',
    });
  }
  pm.customer = cusId;
  k.state.touch(pm.id);
  k.emit('payment_method.attached', pm, ctx, { customer: null });
}

function attachPaymentMethod(
  k: Kernel,
  form: FormObject,
  ctx: RequestCtx,
  pmId: string,
): Stripe.PaymentMethod {
  const p = validate({ customer: 'string', expand: EXPAND }, form, '', ['customer']);
  const cusId = k.customerRef(p.customer);
  const s = resolvePaymentMethod(k, pmId, 'payment_method');
  checkReusable(s);
  attach(k, s, cusId as string, ctx);
  return k.expand(s.obj, p.expand);
}

function detachPaymentMethod(
  k: Kernel,
  form: FormObject,
  ctx: RequestCtx,
  pmId: string,
): Stripe.PaymentMethod {
  const p = validate({ expand: EXPAND }, form);
  const stored = k.require('payment_method', pmId);
  const pm = stored.obj;
  if (pm.customer === null) {
    throw invalidRequest(
      `The payment method you provided is not attached to a customer so detachment is impossible.`,
      { code: 'payment_method_unexpected_state' },
    );
  }
  const prev = { customer: pm.customer };
  pm.customer = null;
  stored.internal.detached = true;
  stored.internal.setUp = false;
  k.state.touch(pm.id);
  k.emit('payment_method.detached', pm, ctx, prev);
  return k.expand(pm, p.expand);
}

/** A customer's PaymentMethod (docs.stripe.com/api/payment_methods/customer): 404 unless it is theirs. */
function retrieveCustomerPaymentMethod(
  k: Kernel,
  form: FormObject,
  cusId: string,
  pmId: string,
): Stripe.PaymentMethod {
  const p = validate({ expand: EXPAND }, form);
  k.require('customer', cusId);
  const pm = k.state.get('payment_method', pmId);
  if (!pm || pm.obj.customer !== cusId) throw resourceMissing('payment_method', pmId);
  return k.expand(pm.obj, p.expand);
}

function listPaymentMethods(
  k: Kernel,
  form: FormObject,
  cusId?: string,
): Stripe.ApiList<Stripe.PaymentMethod> {
  const p = validate({ ...LIST_SPEC, customer: 'string', type: 'string', allow_redisplay: 'string' }, form);
  const customer = cusId ?? (p.customer as string | undefined);
  if (customer !== undefined) k.require('customer', customer, cusId ? 'id' : 'customer', cusId ? 404 : 400);
  return k.listOf(
    'payment_method',
    p,
    cusId ? `/v1/customers/${cusId}/payment_methods` : '/v1/payment_methods',
    (pm) =>
      (customer === undefined || pm.customer === customer) && (p.type === undefined || pm.type === p.type),
  );
}
