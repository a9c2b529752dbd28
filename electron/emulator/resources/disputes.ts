/**
 * Disputes (docs.stripe.com/api/disputes, docs.stripe.com/testing#disputes). The dispute test cards succeed,
 * then the charge is disputed on emulator time: charge.dispute.created, `charge.disputed = true`. A chargeback
 * is `needs_response`, an inquiry `warning_needs_response`; evidence is due at the end of the 7th day.
 * Update stages evidence and metadata and submits (the default) → under_review, charge.dispute.updated; close
 * accepts the loss → lost, charge.dispute.closed. As in Stripe's test mode, submitted evidence whose
 * uncategorized_text is `winning_evidence` / `losing_evidence` is decided won / lost a little later; the control
 * API decides any open dispute. Balance effects (funds withdrawn / reinstated) are not modelled.
 */
import type Stripe from 'stripe';
import { invalidRequest } from '../errors';
import type { FormObject } from '../form';
import type { Kernel, RequestCtx } from '../kernel';
import { SYSTEM_CTX, applyUpdate, routeId } from '../kernel';
import { LIST_SPEC, mergeMetadata, validate } from '../params';
import type { SpecMap } from '../params';
import { EXPAND } from '../specs';
import { newId } from '../state';
import { cardAfter } from './charges';
import { fraudWarningsNoLongerActionable } from './early-fraud-warnings';

const EVIDENCE_FIELDS = [
  'access_activity_log',
  'billing_address',
  'cancellation_policy',
  'cancellation_policy_disclosure',
  'cancellation_rebuttal',
  'customer_communication',
  'customer_email_address',
  'customer_name',
  'customer_purchase_ip',
  'customer_signature',
  'duplicate_charge_documentation',
  'duplicate_charge_explanation',
  'duplicate_charge_id',
  'product_description',
  'receipt',
  'refund_policy',
  'refund_policy_disclosure',
  'refund_refusal_explanation',
  'service_date',
  'service_documentation',
  'shipping_address',
  'shipping_carrier',
  'shipping_date',
  'shipping_documentation',
  'shipping_tracking_number',
  'uncategorized_file',
  'uncategorized_text',
] as const;

const EVIDENCE_SPEC: SpecMap = {
  ...Object.fromEntries(EVIDENCE_FIELDS.map((f) => [f, 'nullable_string'])),
  appeal: 'any',
  enhanced_evidence: 'any',
};

/** Statuses that still await the merchant's response. */
const AWAITING = new Set(['needs_response', 'warning_needs_response']);
const CLOSED = new Set(['won', 'lost', 'warning_closed', 'prevented']);

export function registerDisputes(k: Kernel): void {
  k.on('GET', '/v1/disputes', (p) => listDisputes(k, p));
  k.on('GET', '/v1/disputes/:id', (p, _c, m) => k.retrieveSimple('dispute', p, routeId(m)));
  k.on('POST', '/v1/disputes/:id', (p, c, m) => updateDispute(k, p, c, routeId(m)));
  k.on('POST', '/v1/disputes/:id/close', (p, c, m) => closeDispute(k, p, c, routeId(m)));
  k.onTimer('dispute_arrives', (chId, at) => openDispute(k, chId, at));
  k.onTimer('dispute_decided', (duId, at) => {
    const du = k.state.get('dispute', duId)?.obj;
    const text = du?.evidence.uncategorized_text;
    if (du && !CLOSED.has(du.status))
      decide(k, du, text === 'winning_evidence' ? 'won' : 'lost', SYSTEM_CTX, at);
  });
  k.onTimer('dispute_deadline', (duId, at) => {
    // A chargeback nobody answered by the deadline is lost. [unverified] exactly when Stripe closes it.
    const du = k.state.get('dispute', duId)?.obj;
    if (du && du.status === 'needs_response') decide(k, du, 'lost', SYSTEM_CTX, at);
  });
}

/** End (23:59:59 UTC) of the day `days` days after `created` — the shape of Stripe's due_by. */
function dueBy(created: number, days: number): number {
  const day = Math.floor(created / 86_400) + days;
  return day * 86_400 + 86_399;
}

function openDispute(k: Kernel, chId: string, at: number): void {
  const ch = k.state.get('charge', chId)?.obj;
  const spec = ch ? cardAfter(k, ch)?.dispute : undefined;
  if (!ch || !spec || ch.disputed) return;
  const evidence = Object.fromEntries(
    EVIDENCE_FIELDS.map((f) => [f, null]),
  ) as unknown as Stripe.Dispute.Evidence;
  evidence.enhanced_evidence = {};
  const du: Stripe.Dispute = {
    id: newId('du'),
    object: 'dispute',
    amount: ch.amount_captured,
    balance_transactions: [],
    charge: ch.id,
    created: at,
    currency: ch.currency,
    enhanced_eligibility_types: [],
    evidence,
    evidence_details: {
      due_by: dueBy(at, k.config.disputeResponseDays),
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      // [unverified] the value before any submission.
      submission_method: 'not_submitted',
    },
    intended_submission_method: null,
    // An inquiry moves no money yet, so the charge can still be refunded; a chargeback can't.
    is_charge_refundable: spec.inquiry,
    livemode: false,
    metadata: {},
    network_reason_code: spec.networkReasonCode,
    payment_intent: typeof ch.payment_intent === 'string' ? ch.payment_intent : null,
    payment_method_details: {
      card: {
        brand: ch.payment_method_details?.card?.brand ?? 'visa',
        case_type: spec.inquiry ? 'inquiry' : 'chargeback',
        network: ch.payment_method_details?.card?.network ?? 'visa',
        network_reason_code: spec.networkReasonCode,
      },
      type: 'card',
    },
    reason: spec.reason,
    status: spec.inquiry ? 'warning_needs_response' : 'needs_response',
  };
  k.state.insert('dispute', du);
  ch.disputed = true;
  k.state.touch(ch.id);
  k.emit('charge.dispute.created', du, SYSTEM_CTX, null, at);
  if (!spec.inquiry) k.schedule('dispute_deadline', du.id, du.evidence_details.due_by as number);
  fraudWarningsNoLongerActionable(k, ch.id, at);
}

/** A chargeback on the charge that has not been decided for the merchant (refunds are refused then). */
export function openChargeback(k: Kernel, chId: string): Stripe.Dispute | undefined {
  for (const id of k.state.order.dispute) {
    const du = k.state.get('dispute', id)?.obj;
    if (du && du.charge === chId && !du.status.startsWith('warning_') && du.status !== 'won') return du;
  }
  return undefined;
}

function updateDispute(k: Kernel, form: FormObject, ctx: RequestCtx, duId: string): Stripe.Dispute {
  const p = validate(
    {
      evidence: { object: EVIDENCE_SPEC },
      metadata: 'metadata',
      submit: 'boolean',
      intended_submission_method: {
        enum: ['manual', 'prefer_manual', 'prefer_smart_disputes', 'smart_disputes'],
      },
      expand: EXPAND,
    },
    form,
  );
  const du = k.require('dispute', duId).obj;
  // `submit` defaults to true. [unverified] an update with neither evidence nor submit (metadata only) is
  // taken as not submitting anything.
  const submitting = p.submit === true || (p.submit === undefined && p.evidence !== undefined);
  if ((p.evidence !== undefined || submitting) && !AWAITING.has(du.status)) {
    // [unverified] message.
    throw invalidRequest(
      `This dispute has a status of ${du.status}; evidence can only be changed or submitted while it needs a response.`,
      { param: p.evidence !== undefined ? 'evidence' : 'submit' },
    );
  }
  const given = (p.evidence ?? {}) as Record<string, unknown>;
  const evidence = { ...du.evidence } as Record<string, unknown>;
  for (const [f, v] of Object.entries(given)) evidence[f] = f === 'enhanced_evidence' ? (v ?? {}) : v;
  const details = { ...du.evidence_details };
  details.has_evidence = EVIDENCE_FIELDS.some((f) => evidence[f] !== null && evidence[f] !== undefined);
  let status = du.status;
  if (submitting) {
    details.submission_count += 1;
    details.submission_method = 'manual';
    details.past_due = k.nowSec() > (details.due_by ?? Infinity);
    status = du.status === 'warning_needs_response' ? 'warning_under_review' : 'under_review';
  }
  const prev = applyUpdate(du, {
    evidence: p.evidence !== undefined ? evidence : undefined,
    evidence_details: details,
    intended_submission_method: p.intended_submission_method,
    metadata: p.metadata !== undefined ? mergeMetadata(du.metadata, p.metadata) : undefined,
    status,
  });
  if (Object.keys(prev).length > 0) {
    k.state.touch(du.id);
    k.emit('charge.dispute.updated', du, ctx, prev);
  }
  if (submitting) {
    k.cancelTimer('dispute_deadline', du.id);
    const text = du.evidence.uncategorized_text;
    if (text === 'winning_evidence' || text === 'losing_evidence') {
      k.schedule('dispute_decided', du.id, k.nowSec() + k.config.disputeDecisionDelaySeconds);
    }
  }
  return k.expand(du, p.expand);
}

/** Closes a dispute with an outcome: charge.dispute.closed. An inquiry that is won closes as warning_closed. */
function decide(
  k: Kernel,
  du: Stripe.Dispute,
  outcome: 'won' | 'lost',
  ctx: RequestCtx,
  at = k.nowSec(),
): void {
  const inquiry = du.status.startsWith('warning_');
  const status = inquiry && outcome === 'won' ? 'warning_closed' : outcome;
  const prev = applyUpdate(du, { status, is_charge_refundable: false });
  k.cancelTimer('dispute_deadline', du.id);
  k.cancelTimer('dispute_decided', du.id);
  k.state.touch(du.id);
  k.emit('charge.dispute.closed', du, ctx, prev, at);
}

function closeDispute(k: Kernel, form: FormObject, ctx: RequestCtx, duId: string): Stripe.Dispute {
  const p = validate({ expand: EXPAND }, form);
  const du = k.require('dispute', duId).obj;
  if (!AWAITING.has(du.status)) {
    // [unverified] message.
    throw invalidRequest(`This dispute has a status of ${du.status} and can no longer be closed.`);
  }
  if (du.status === 'warning_needs_response' && k.config.inquiryClosedStatus === 'warning_closed') {
    decide(k, du, 'won', ctx);
  } else {
    decide(k, du, 'lost', ctx);
  }
  return k.expand(du, p.expand);
}

/** Decides an open dispute (control API: the bank's decision). Events carry a null request. */
export function decideDispute(k: Kernel, duId: string, outcome: 'won' | 'lost'): Stripe.Dispute {
  const du = k.require('dispute', duId).obj;
  if (CLOSED.has(du.status)) {
    throw invalidRequest(`This dispute is already closed (${du.status}).`, { param: 'id' });
  }
  decide(k, du, outcome, SYSTEM_CTX);
  return du;
}

function listDisputes(k: Kernel, form: FormObject): Stripe.ApiList<Stripe.Dispute> {
  const p = validate({ ...LIST_SPEC, charge: 'string', payment_intent: 'string' }, form);
  return k.listOf(
    'dispute',
    p,
    '/v1/disputes',
    (du) =>
      (p.charge === undefined || du.charge === p.charge) &&
      (p.payment_intent === undefined || du.payment_intent === p.payment_intent),
  );
}
