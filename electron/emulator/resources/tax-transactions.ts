/**
 * Tax Transactions (docs.stripe.com/api/tax/transactions): the tax a shop records as collected
 * (create_from_calculation, "if that calculation hasn't expired"; a calculation becomes at most one
 * transaction) and takes back (create_reversal: `full`, or `partial` by line items, shipping cost or a
 * `flat_amount` spread across the transaction in proportion), retrieve, and list line items. `reference` must
 * be unique across all transactions. Also the commits and reversals Stripe makes by itself for PaymentIntents
 * linked to a calculation (tax-associations.ts calls `commitCalculation` and `reverseFor`).
 */
import type Stripe from 'stripe';
import { invalidRequest, paramError } from '../errors';
import type { FormObject } from '../form';
import type { Kernel } from '../kernel';
import { routeId } from '../kernel';
import { cleanMetadata, validate } from '../params';
import { EXPAND } from '../specs';
import { newId } from '../state';
import { allocate, roundHalfUp } from '../tax-table';
import { liveCalculation, pageLineItems, withIncludes } from './tax-calculations';

type TxLine = Stripe.Tax.TransactionLineItem;

export function registerTaxTransactions(k: Kernel): void {
  k.on('POST', '/v1/tax/transactions/create_from_calculation', (p) => createFromCalculation(k, p));
  k.on('POST', '/v1/tax/transactions/create_reversal', (p) => createReversal(k, p));
  k.on('GET', '/v1/tax/transactions/:id', (p, _c, m) => retrieveTransaction(k, p, routeId(m)));
  k.on('GET', '/v1/tax/transactions/:id/line_items', (p, _c, m) =>
    listTransactionLineItems(k, p, routeId(m)),
  );
}

function referenceTaken(k: Kernel, reference: string): boolean {
  return k.state.order.tax_transaction.some(
    (id) => k.state.get('tax_transaction', id)?.obj.reference === reference,
  );
}

function refuseTakenReference(k: Kernel, reference: string): void {
  if (referenceTaken(k, reference)) {
    // [unverified] Stripe's wording; it documents only that the reference "must be unique across all transactions".
    throw invalidRequest(`A transaction with the reference '${reference}' already exists.`, {
      param: 'reference',
    });
  }
}

export type CommitFailure =
  'calculation_expired' | 'another_payment_associated_with_calculation' | 'unique_reference_violation';

/** Records a calculation as a transaction; the reason when it can't (what an association's attempt shows). */
export function commitCalculation(
  k: Kernel,
  calcId: string,
  reference: string,
  metadata: Record<string, string> | null,
  postedAt: number,
): { ok: true; tx: Stripe.Tax.Transaction } | { ok: false; reason: CommitFailure } {
  const s = k.state.get('tax_calculation', calcId);
  if (!s || (s.obj.expires_at !== null && s.obj.expires_at <= k.nowSec()))
    return { ok: false, reason: 'calculation_expired' };
  if (s.internal.taxCommittedAs) return { ok: false, reason: 'another_payment_associated_with_calculation' };
  if (referenceTaken(k, reference)) return { ok: false, reason: 'unique_reference_violation' };
  const calc = s.obj;
  const lines: TxLine[] = ((s.internal.taxLineItems ?? []) as Stripe.Tax.CalculationLineItem[]).map((li) => ({
    id: newId('tax_li'),
    object: 'tax.transaction_line_item',
    amount: li.amount,
    amount_tax: li.amount_tax,
    livemode: false,
    metadata: li.metadata,
    product: li.product,
    quantity: li.quantity,
    reference: li.reference,
    reversal: null,
    tax_behavior: li.tax_behavior,
    tax_code: li.tax_code,
    type: 'transaction',
  }));
  const tx: Stripe.Tax.Transaction = {
    id: newId('tax'),
    object: 'tax.transaction',
    created: k.nowSec(),
    currency: calc.currency,
    customer: calc.customer,
    customer_details: calc.customer_details,
    livemode: false,
    metadata,
    posted_at: postedAt,
    reference,
    reversal: null,
    ship_from_details: calc.ship_from_details,
    shipping_cost: calc.shipping_cost ? { ...calc.shipping_cost } : null,
    tax_date: calc.tax_date,
    type: 'transaction',
  };
  k.state.insert('tax_transaction', tx, { taxLineItems: lines });
  s.internal.taxCommittedAs = tx.id;
  k.state.touch(calc.id);
  return { ok: true, tx };
}

function createFromCalculation(k: Kernel, form: FormObject): Stripe.Tax.Transaction {
  const p = validate(
    {
      calculation: 'string',
      reference: 'string',
      metadata: 'metadata',
      posted_at: 'integer',
      expand: EXPAND,
    },
    form,
    '',
    ['calculation', 'reference'],
  );
  liveCalculation(k, p.calculation as string, 'calculation', 400);
  refuseTakenReference(k, p.reference as string);
  const r = commitCalculation(
    k,
    p.calculation as string,
    p.reference as string,
    p.metadata !== undefined ? cleanMetadata(p.metadata) : null,
    (p.posted_at as number | undefined) ?? k.nowSec(),
  );
  if (!r.ok) {
    // [unverified] Stripe's wording ("A tax calculation can transition to only one tax Transaction").
    throw invalidRequest(
      `The calculation ${String(p.calculation)} has already been recorded as a transaction.`,
      {
        param: 'calculation',
      },
    );
  }
  return withIncludes(r.tx, lineItemsOf(k, r.tx.id), p.expand, '/v1/tax/transactions');
}

function lineItemsOf(k: Kernel, id: string): TxLine[] {
  return (k.state.get('tax_transaction', id)?.internal.taxLineItems ?? []) as TxLine[];
}

interface Remaining {
  line: TxLine;
  amount: number;
  tax: number;
}

/** What is left of each line of the original (and of its shipping) after earlier reversals. */
function remainingOf(
  k: Kernel,
  original: Stripe.Tax.Transaction,
): { lines: Remaining[]; shipping: { amount: number; tax: number } | null } {
  const lines = lineItemsOf(k, original.id).map((line) => ({
    line,
    amount: line.amount,
    tax: line.amount_tax,
  }));
  const byId = new Map(lines.map((r) => [r.line.id, r]));
  let shipping = original.shipping_cost
    ? { amount: original.shipping_cost.amount, tax: original.shipping_cost.amount_tax }
    : null;
  for (const id of k.state.order.tax_transaction) {
    const s = k.state.get('tax_transaction', id);
    if (!s || s.obj.reversal?.original_transaction !== original.id) continue;
    for (const rl of (s.internal.taxLineItems ?? []) as TxLine[]) {
      const r = rl.reversal ? byId.get(rl.reversal.original_line_item) : undefined;
      if (r) {
        r.amount += rl.amount;
        r.tax += rl.amount_tax;
      }
    }
    if (shipping && s.obj.shipping_cost) {
      shipping = {
        amount: shipping.amount + s.obj.shipping_cost.amount,
        tax: shipping.tax + s.obj.shipping_cost.amount_tax,
      };
    }
  }
  return { lines, shipping };
}

interface ReversalPlan {
  lines: Array<{
    original: TxLine;
    amount: number;
    tax: number;
    quantity: number;
    reference: string;
    metadata: Record<string, string> | null;
  }>;
  shipping: { amount: number; tax: number } | null;
}

/** A full reversal: everything that remains. */
function planFull(k: Kernel, original: Stripe.Tax.Transaction): ReversalPlan {
  const rem = remainingOf(k, original);
  return {
    lines: rem.lines
      .filter((r) => r.amount !== 0 || r.tax !== 0)
      .map((r) => ({
        original: r.line,
        amount: -r.amount,
        tax: -r.tax,
        quantity: r.line.quantity,
        reference: r.line.reference,
        metadata: null,
      })),
    shipping:
      rem.shipping && (rem.shipping.amount !== 0 || rem.shipping.tax !== 0)
        ? { amount: -rem.shipping.amount, tax: -rem.shipping.tax }
        : null,
  };
}

/**
 * A flat amount (negative, tax included) spread over what remains of each line and of shipping, in proportion
 * to what the customer paid for each (largest remainder), each share split into amount and tax in the
 * proportion that remains of them. [unverified] Stripe documents the proportion, not its rounding.
 */
function planFlat(k: Kernel, original: Stripe.Tax.Transaction, flat: number): ReversalPlan {
  const rem = remainingOf(k, original);
  const parts = [
    ...rem.lines.map((r) => ({
      amount: r.amount,
      tax: r.tax,
      inclusive: r.line.tax_behavior === 'inclusive',
    })),
    ...(rem.shipping
      ? [{ ...rem.shipping, inclusive: original.shipping_cost?.tax_behavior === 'inclusive' }]
      : []),
  ];
  const gross = parts.map((x) => x.amount + (x.inclusive ? 0 : x.tax));
  const available = gross.reduce((a, b) => a + b, 0);
  if (-flat > available) {
    // [unverified] Stripe's wording.
    throw invalidRequest(
      `The flat_amount (${flat}) is more than what remains of the transaction (${-available}).`,
      {
        param: 'flat_amount',
      },
    );
  }
  const shares = allocate(-flat, gross);
  const split = parts.map((x, i) => {
    const share = shares[i] as number;
    const g = gross[i] as number;
    const tax = share === g ? x.tax : g === 0 ? 0 : roundHalfUp(share * x.tax, g);
    return { amount: -(x.inclusive ? share : share - tax), tax: -tax };
  });
  return {
    lines: rem.lines
      .map((r, i) => ({
        original: r.line,
        ...(split[i] as { amount: number; tax: number }),
        quantity: r.line.quantity,
        reference: r.line.reference,
        metadata: null,
      }))
      .filter((l) => l.amount !== 0 || l.tax !== 0),
    shipping: rem.shipping ? (split[rem.lines.length] as { amount: number; tax: number }) : null,
  };
}

/** Creates the reversal transaction for a plan. */
function recordReversal(
  k: Kernel,
  original: Stripe.Tax.Transaction,
  plan: ReversalPlan,
  reference: string,
  metadata: Record<string, string> | null,
): Stripe.Tax.Transaction {
  const lines: TxLine[] = plan.lines.map((l) => ({
    id: newId('tax_li'),
    object: 'tax.transaction_line_item',
    amount: l.amount,
    amount_tax: l.tax,
    livemode: false,
    metadata: l.metadata,
    product: l.original.product,
    quantity: l.quantity,
    reference: l.reference,
    reversal: { original_line_item: l.original.id },
    tax_behavior: l.original.tax_behavior,
    tax_code: l.original.tax_code,
    type: 'reversal',
  }));
  const os = original.shipping_cost;
  const tx: Stripe.Tax.Transaction = {
    id: newId('tax'),
    object: 'tax.transaction',
    created: k.nowSec(),
    currency: original.currency,
    customer: original.customer,
    customer_details: original.customer_details,
    livemode: false,
    metadata,
    posted_at: k.nowSec(),
    reference,
    reversal: { original_transaction: original.id },
    ship_from_details: original.ship_from_details,
    shipping_cost:
      plan.shipping && os
        ? {
            amount: plan.shipping.amount,
            amount_tax: plan.shipping.tax,
            tax_behavior: os.tax_behavior,
            tax_code: os.tax_code,
          }
        : null,
    tax_date: original.tax_date,
    type: 'reversal',
  };
  k.state.insert('tax_transaction', tx, { taxLineItems: lines });
  return tx;
}

/** What is left to reverse of a transaction (tax included), in minor units. */
export function leftToReverse(k: Kernel, original: Stripe.Tax.Transaction): number {
  const rem = remainingOf(k, original);
  const lines = rem.lines.reduce(
    (a, r) => a + r.amount + (r.line.tax_behavior === 'inclusive' ? 0 : r.tax),
    0,
  );
  const ship = rem.shipping
    ? rem.shipping.amount + (original.shipping_cost?.tax_behavior === 'inclusive' ? 0 : rem.shipping.tax)
    : 0;
  return lines + ship;
}

/** The reversal Stripe makes for a refund of a linked PaymentIntent: full when nothing will remain, else flat. */
export function reverseFor(
  k: Kernel,
  original: Stripe.Tax.Transaction,
  amount: number,
  full: boolean,
  reference: string,
): Stripe.Tax.Transaction | null {
  const left = leftToReverse(k, original);
  if (left <= 0 || referenceTaken(k, reference)) return null;
  // [unverified] A refund larger than what remains (the payment's amount differed from the calculation's)
  // reverses what remains.
  const plan = full || amount >= left ? planFull(k, original) : planFlat(k, original, -amount);
  return recordReversal(k, original, plan, reference, null);
}

function createReversal(k: Kernel, form: FormObject): Stripe.Tax.Transaction {
  const p = validate(
    {
      mode: { enum: ['full', 'partial'] },
      original_transaction: 'string',
      reference: 'string',
      flat_amount: 'integer',
      line_items: {
        array: {
          object: {
            amount: 'integer',
            amount_tax: 'integer',
            metadata: 'metadata',
            original_line_item: 'string',
            quantity: 'integer',
            reference: 'string',
          },
        },
      },
      shipping_cost: { object: { amount: 'integer', amount_tax: 'integer' } },
      metadata: 'metadata',
      expand: EXPAND,
    },
    form,
    '',
    ['mode', 'original_transaction', 'reference'],
  );
  const original = k.require(
    'tax_transaction',
    p.original_transaction as string,
    'original_transaction',
    400,
  ).obj;
  if (original.type !== 'transaction') {
    // [unverified] Stripe's wording.
    throw invalidRequest('A reversal can only reverse a transaction of type transaction.', {
      param: 'original_transaction',
    });
  }
  refuseTakenReference(k, p.reference as string);
  const metadata = p.metadata !== undefined ? cleanMetadata(p.metadata) : null;
  if (leftToReverse(k, original) <= 0) {
    throw invalidRequest(`The transaction ${original.id} has already been fully reversed.`, {
      param: 'original_transaction',
    });
  }
  let plan: ReversalPlan;
  if (p.mode === 'full') {
    for (const f of ['flat_amount', 'line_items', 'shipping_cost']) {
      if (p[f] !== undefined) throw invalidRequest(`${f} can't be used with mode=full.`, { param: f });
    }
    plan = planFull(k, original);
  } else if (p.flat_amount !== undefined) {
    if (p.line_items !== undefined || p.shipping_cost !== undefined) {
      throw paramError(
        'parameters_exclusive',
        "flat_amount can't be combined with line_items or shipping_cost.",
        'flat_amount',
      );
    }
    if ((p.flat_amount as number) >= 0) {
      throw invalidRequest('flat_amount must be negative (the amount to reverse, tax included).', {
        param: 'flat_amount',
      });
    }
    plan = planFlat(k, original, p.flat_amount as number);
  } else {
    if (p.line_items === undefined && p.shipping_cost === undefined) {
      throw paramError(
        'parameter_missing',
        'With mode=partial, one of flat_amount, line_items or shipping_cost is required.',
        'line_items',
      );
    }
    plan = planLines(k, original, p);
  }
  const tx = recordReversal(k, original, plan, p.reference as string, metadata);
  return withIncludes(tx, lineItemsOf(k, tx.id), p.expand, '/v1/tax/transactions');
}

/** A partial reversal of given lines and/or shipping: amounts are negative and at most what remains. */
function planLines(k: Kernel, original: Stripe.Tax.Transaction, p: Record<string, unknown>): ReversalPlan {
  const rem = remainingOf(k, original);
  const byId = new Map(rem.lines.map((r) => [r.line.id, r]));
  const lines: ReversalPlan['lines'] = [];
  ((p.line_items as Array<Record<string, unknown>> | undefined) ?? []).forEach((li, i) => {
    const at = `line_items[${i}]`;
    for (const f of ['amount', 'amount_tax', 'original_line_item', 'reference']) {
      if (li[f] === undefined)
        throw paramError('parameter_missing', `Missing required param: ${at}[${f}].`, `${at}[${f}]`);
    }
    const r = byId.get(li.original_line_item as string);
    if (!r)
      throw invalidRequest(`No such line item on ${original.id}: '${String(li.original_line_item)}'`, {
        code: 'resource_missing',
        param: `${at}[original_line_item]`,
      });
    const amount = li.amount as number;
    const tax = li.amount_tax as number;
    if (amount > 0 || tax > 0)
      throw invalidRequest('Reversal amounts must be negative or zero.', { param: `${at}[amount]` });
    if (-amount > r.amount || -tax > r.tax) {
      throw invalidRequest(`The reversal is more than what remains of line item ${r.line.id}.`, {
        param: `${at}[amount]`,
      });
    }
    lines.push({
      original: r.line,
      amount,
      tax,
      quantity: (li.quantity as number | undefined) ?? r.line.quantity,
      reference: li.reference as string,
      metadata: li.metadata !== undefined ? cleanMetadata(li.metadata) : null,
    });
  });
  let shipping: ReversalPlan['shipping'] = null;
  const sc = p.shipping_cost as { amount?: number; amount_tax?: number } | undefined;
  if (sc) {
    if (!rem.shipping)
      throw invalidRequest('The original transaction has no shipping cost.', { param: 'shipping_cost' });
    const amount = sc.amount ?? 0;
    const tax = sc.amount_tax ?? 0;
    if (amount > 0 || tax > 0 || -amount > rem.shipping.amount || -tax > rem.shipping.tax) {
      throw invalidRequest('The shipping reversal must be negative and at most what remains.', {
        param: 'shipping_cost[amount]',
      });
    }
    shipping = { amount, tax };
  }
  return { lines, shipping };
}

function retrieveTransaction(k: Kernel, form: FormObject, id: string): Stripe.Tax.Transaction {
  const p = validate({ expand: EXPAND }, form);
  const tx = k.require('tax_transaction', id).obj;
  return withIncludes(tx, lineItemsOf(k, id), p.expand, '/v1/tax/transactions');
}

function listTransactionLineItems(k: Kernel, form: FormObject, id: string): Stripe.ApiList<TxLine> {
  k.require('tax_transaction', id);
  return pageLineItems(lineItemsOf(k, id), form, `/v1/tax/transactions/${id}/line_items`);
}
