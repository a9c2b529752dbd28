/**
 * Refunds (docs.stripe.com/api/refunds): full or partial, by charge or payment_intent; retrieve and list.
 * A refund of pm_card_refundFail (docs.stripe.com/testing#refunds) starts `succeeded`, then fails on emulator
 * time with `failure_reason`: charge.refund.updated, refund.updated, refund.failed, and the charge's
 * amount_refunded goes back down (the customer was not refunded).
 */
import type Stripe from 'stripe';
import { formatAmount } from '../cards';
import { invalidRequest, paramError } from '../errors';
import { makeRefund } from '../factories';
import type { FormObject } from '../form';
import type { Kernel, RequestCtx } from '../kernel';
import { SYSTEM_CTX, routeId } from '../kernel';
import { LIST_SPEC, cleanMetadata, validate } from '../params';
import { EXPAND } from '../specs';
import { newId } from '../state';
import { cardAfter } from './charges';
import { openChargeback } from './disputes';
import { fraudWarningsNoLongerActionable } from './early-fraud-warnings';
import { taxOnRefund } from './tax-associations';

export function registerRefunds(k: Kernel): void {
  k.on('POST', '/v1/refunds', (p, c) => createRefund(k, p, c));
  k.on('GET', '/v1/refunds', (p) => listRefunds(k, p));
  k.on('GET', '/v1/refunds/:id', (p, _c, m) => k.retrieveSimple('refund', p, routeId(m)));
  k.onTimer('refund_fails', (reId, at) => failRefund(k, reId, at));
}

/** The charge a refund request names (directly, or as a PaymentIntent's successful charge). */
function chargeToRefund(k: Kernel, p: Record<string, unknown>): Stripe.Charge {
  if (p.payment_intent !== undefined) {
    const pi = k.state.get('payment_intent', p.payment_intent as string);
    if (!pi) {
      throw invalidRequest(`No such payment_intent: '${String(p.payment_intent)}'`, {
        code: 'resource_missing',
        param: 'payment_intent',
      });
    }
    if (pi.obj.status !== 'succeeded' || typeof pi.obj.latest_charge !== 'string') {
      throw invalidRequest(`This PaymentIntent (${pi.obj.id}) does not have a successful charge to refund.`, {
        code: 'charge_not_refundable',
        param: 'payment_intent',
      });
    }
    const ch = k.require('charge', pi.obj.latest_charge, 'payment_intent', 400).obj;
    if (p.charge !== undefined && p.charge !== ch.id) {
      throw invalidRequest('The charge and payment_intent parameters do not match.', { param: 'charge' });
    }
    return ch;
  }
  const c = k.state.get('charge', p.charge as string);
  if (!c) {
    throw invalidRequest(`No such charge: '${String(p.charge)}'`, {
      code: 'resource_missing',
      param: 'charge',
    });
  }
  return c.obj;
}

function createRefund(k: Kernel, form: FormObject, ctx: RequestCtx): Stripe.Refund {
  const p = validate(
    {
      charge: 'string',
      payment_intent: 'string',
      amount: 'integer',
      reason: { enum: ['duplicate', 'fraudulent', 'requested_by_customer'] },
      metadata: 'metadata',
      instructions_email: 'string',
      expand: EXPAND,
    },
    form,
  );
  if (p.charge === undefined && p.payment_intent === undefined) {
    throw paramError(
      'parameter_missing',
      'One of the following params should be provided for this request: payment_intent or charge.',
      'charge',
    );
  }
  const ch = chargeToRefund(k, p);
  if (!ch.captured || ch.status !== 'succeeded') {
    throw invalidRequest(
      `Charge ${ch.id} has not been captured or did not succeed, so it cannot be refunded.`,
      {
        code: 'charge_not_refundable',
      },
    );
  }
  if (openChargeback(k, ch.id)) {
    // [unverified] message; the code is Stripe's.
    throw invalidRequest(`Charge ${ch.id} has been charged back; cannot issue a refund.`, {
      code: 'charge_disputed',
    });
  }
  const remaining = ch.amount - ch.amount_refunded;
  if (remaining <= 0) {
    throw invalidRequest(`Charge ${ch.id} has already been refunded.`, { code: 'charge_already_refunded' });
  }
  const amount = (p.amount as number | undefined) ?? remaining;
  if (amount <= 0) throw invalidRequest('Refund amount must be greater than zero.', { param: 'amount' });
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${formatAmount(amount, ch.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, ch.currency)})`,
      { param: 'amount' },
    );
  }
  const re = makeRefund(newId('re'), k.nowSec(), {
    amount,
    charge: ch,
    reason: (p.reason as Stripe.Refund.Reason | undefined) ?? null,
    metadata: cleanMetadata(p.metadata),
  });
  k.state.insert('refund', re);
  const prev = { amount_refunded: ch.amount_refunded, refunded: ch.refunded };
  ch.amount_refunded += amount;
  ch.refunded = ch.amount_refunded === ch.amount;
  k.state.touch(ch.id);
  k.emit('refund.created', re, ctx);
  k.emit('charge.refunded', ch, ctx, prev);
  taxOnRefund(k, re, ch);
  if (ch.refunded) fraudWarningsNoLongerActionable(k, ch.id);
  if (cardAfter(k, ch)?.refundFails)
    k.schedule('refund_fails', re.id, k.nowSec() + k.config.refundFailureDelaySeconds);
  return k.expand(re, p.expand);
}

function failRefund(k: Kernel, reId: string, at: number): void {
  const re = k.state.get('refund', reId)?.obj;
  if (!re || re.status !== 'succeeded') return;
  // previous_attributes: the status (failure_reason had no value before; the SDK types it as a string).
  const prev = { status: re.status };
  re.status = 'failed';
  re.failure_reason = k.config.refundFailureReason;
  k.state.touch(re.id);
  const ch = typeof re.charge === 'string' ? k.state.get('charge', re.charge)?.obj : undefined;
  if (ch) {
    ch.amount_refunded = Math.max(0, ch.amount_refunded - re.amount);
    ch.refunded = ch.amount_refunded === ch.amount;
    k.state.touch(ch.id);
  }
  k.emit('charge.refund.updated', re, SYSTEM_CTX, prev, at);
  k.emit('refund.updated', re, SYSTEM_CTX, prev, at);
  k.emit('refund.failed', re, SYSTEM_CTX, prev, at);
}

function listRefunds(k: Kernel, form: FormObject): Stripe.ApiList<Stripe.Refund> {
  const p = validate({ ...LIST_SPEC, charge: 'string', payment_intent: 'string' }, form);
  return k.listOf(
    'refund',
    p,
    '/v1/refunds',
    (re) =>
      (p.charge === undefined || re.charge === p.charge) &&
      (p.payment_intent === undefined || re.payment_intent === p.payment_intent),
  );
}
