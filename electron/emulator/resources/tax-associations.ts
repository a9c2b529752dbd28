/**
 * Tax Associations (docs.stripe.com/api/tax/associations, API 2025-11-17 and later): a PaymentIntent linked to
 * a Tax Calculation through `hooks[inputs][tax][calculation]` (on create, update, confirm and capture:
 * docs.stripe.com/tax/payment-intent). When the PaymentIntent succeeds Stripe commits the calculation as a tax
 * transaction (reference = the PaymentIntent's id); each refund of it is reversed (a flat amount, or in full
 * when nothing remains); every attempt is listed on the association, committed or errored with a reason
 * (calculation_expired, currency_mismatch, another_payment_associated_with_calculation,
 * unique_reference_violation). `GET /v1/tax/associations/find?payment_intent=` shows it.
 *
 * What Stripe says it won't do: change the PaymentIntent's amount from the calculation, alter the tax
 * transaction for the captured amount, reverse for disputes. The amount should be the calculation's
 * amount_total; Stripe's docs name no error when it isn't, so the emulator accepts it by default and records
 * the calculation as it is (`taxAmountMismatch: 'accept'`) [unverified]; 'refuse' makes it a 400 instead.
 * Not emulated: the reversal Stripe makes when a refund later fails.
 */
import type Stripe from 'stripe';
import { invalidRequest, resourceMissing } from '../errors';
import type { FormObject } from '../form';
import type { Kernel } from '../kernel';
import type { SpecMap } from '../params';
import { validate } from '../params';
import { EXPAND } from '../specs';
import { newId } from '../state';
import { liveCalculation } from './tax-calculations';
import { commitCalculation, reverseFor } from './tax-transactions';

export const HOOKS_SPEC: SpecMap = {
  hooks: { object: { inputs: { object: { tax: { object: { calculation: 'nullable_string' } } } } } },
};
const PARAM = 'hooks[inputs][tax][calculation]';

export function registerTaxAssociations(k: Kernel): void {
  k.on('GET', '/v1/tax/associations/find', (p) => findAssociation(k, p));
}

function associationOf(k: Kernel, piId: string): Stripe.Tax.Association | undefined {
  for (const id of k.state.order.tax_association) {
    const s = k.state.get('tax_association', id);
    if (s && !s.internal.deleted && s.obj.payment_intent === piId) return s.obj;
  }
  return undefined;
}

/** The calculation a request links, if it names one: undefined = not given, null = unlink (`calculation=`). */
export function requestedCalculation(p: Record<string, unknown>): string | null | undefined {
  const hooks = p.hooks as { inputs?: { tax?: { calculation?: string | null } } } | undefined;
  return hooks?.inputs?.tax === undefined ? undefined : (hooks.inputs.tax.calculation ?? null);
}

/**
 * Checks a link before anything changes: the calculation must exist and not have expired, and (only with
 * taxAmountMismatch 'refuse') its amount_total must be the amount the request leaves on the PaymentIntent.
 */
export function checkTaxLink(
  k: Kernel,
  calcId: string | null | undefined,
  amount: number,
  amountParam = 'amount',
): void {
  if (calcId === undefined || calcId === null) return;
  const { calc } = liveCalculation(k, calcId, PARAM, 400);
  if (k.config.taxAmountMismatch === 'refuse' && calc.amount_total !== amount) {
    // [unverified] Stripe's docs don't name an error for this (see the module comment).
    throw invalidRequest(
      `The ${amountParam} (${amount}) must equal the tax calculation's amount_total (${calc.amount_total}).`,
      { param: amountParam },
    );
  }
}

/** Links (or unlinks) the PaymentIntent and its association after a request succeeded in changing it. */
export function applyTaxLink(k: Kernel, pi: Stripe.PaymentIntent, calcId: string | null | undefined): void {
  if (calcId === undefined) return;
  const existing = associationOf(k, pi.id);
  if (calcId === null) {
    delete pi.hooks;
    if (existing) {
      // [unverified] what Stripe keeps of an association whose calculation was removed: the emulator forgets it.
      const s = k.state.get('tax_association', existing.id);
      if (s) s.internal.deleted = true;
      k.state.touch(existing.id);
    }
    return;
  }
  pi.hooks = { inputs: { tax: { calculation: calcId } } };
  if (existing) {
    existing.calculation = calcId;
    k.state.touch(existing.id);
  } else {
    k.state.insert('tax_association', {
      id: newId('taxa'),
      object: 'tax.association',
      calculation: calcId,
      payment_intent: pi.id,
      tax_transaction_attempts: null,
    });
  }
}

function attempt(
  k: Kernel,
  a: Stripe.Tax.Association,
  x: Stripe.Tax.Association.TaxTransactionAttempt,
): void {
  a.tax_transaction_attempts = [...(a.tax_transaction_attempts ?? []), x];
  k.state.touch(a.id);
}

/** The PaymentIntent succeeded: commit its linked calculation as a tax transaction. */
export function taxOnSucceeded(k: Kernel, pi: Stripe.PaymentIntent): void {
  const a = associationOf(k, pi.id);
  if (!a) return;
  const calc = k.state.get('tax_calculation', a.calculation)?.obj;
  if (calc && calc.currency !== pi.currency) {
    attempt(k, a, { source: pi.id, status: 'errored', errored: { reason: 'currency_mismatch' } });
    return;
  }
  const r = commitCalculation(k, a.calculation, pi.id, null, k.nowSec());
  attempt(
    k,
    a,
    r.ok
      ? { source: pi.id, status: 'committed', committed: { transaction: r.tx.id } }
      : { source: pi.id, status: 'errored', errored: { reason: r.reason } },
  );
}

/** A refund of a linked PaymentIntent: reverse that much of its committed transaction. */
export function taxOnRefund(k: Kernel, refund: Stripe.Refund, charge: Stripe.Charge): void {
  const piId = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
  if (!piId) return;
  const a = associationOf(k, piId);
  if (!a) return;
  const committed = (a.tax_transaction_attempts ?? []).find(
    (x) => x.source === piId && x.status === 'committed',
  );
  const txId = committed?.committed?.transaction;
  const original = txId ? k.state.get('tax_transaction', txId)?.obj : undefined;
  if (!original) return;
  const reversal = reverseFor(k, original, refund.amount, charge.refunded, refund.id);
  if (reversal)
    attempt(k, a, { source: refund.id, status: 'committed', committed: { transaction: reversal.id } });
}

function findAssociation(k: Kernel, form: FormObject): Stripe.Tax.Association {
  const p = validate({ payment_intent: 'string', expand: EXPAND }, form, '', ['payment_intent']);
  if (p.expand !== undefined && (p.expand as string[]).length > 0) {
    throw invalidRequest(`This property cannot be expanded (${(p.expand as string[])[0]}).`, {
      param: 'expand',
    });
  }
  const a = associationOf(k, p.payment_intent as string);
  if (!a) {
    // [unverified] Stripe's wording for a PaymentIntent without an association.
    throw resourceMissing('tax.association', String(p.payment_intent), 'payment_intent');
  }
  return a;
}
