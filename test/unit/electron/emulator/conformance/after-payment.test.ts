/**
 * Conformance: what Stripe sends after a payment (docs.stripe.com/testing): disputes and inquiries, the
 * Disputes API, early fraud warnings, refunds that fail. Driven only through the SDK; runs against real
 * Stripe test mode too when STRIPE_TEST_SECRET_KEY is set (these follow-ups arrive there a little later, so
 * the tests poll).
 */
import type Stripe from 'stripe';
import { expect, it } from 'vitest';
import { checked, eventsFor, forEachTarget } from '../../../../helpers/emulator-target';
import { SLOW, eventually, failure } from './support';

forEachTarget('After a payment: disputes, fraud warnings, failed refunds', (target) => {
  const s = (): Stripe => target().stripe;

  async function paid(pm: string, amount = 2000): Promise<Stripe.PaymentIntent> {
    const pi = await s().paymentIntents.create({
      amount,
      currency: 'usd',
      payment_method: pm,
      allowed_payment_method_types: ['card'],
      confirm: true,
    });
    expect(pi.status).toBe('succeeded');
    return pi;
  }

  async function disputeOf(pi: Stripe.PaymentIntent): Promise<Stripe.Dispute> {
    const list = await eventually(
      target(),
      () => s().disputes.list({ payment_intent: pi.id }),
      (l) => l.data.length > 0,
    );
    checked(list);
    expect(list.data).toHaveLength(1);
    return list.data[0] as Stripe.Dispute;
  }

  it(
    'pm_card_createDispute: the charge is disputed as fraudulent, needing a response',
    async () => {
      const pi = await paid('pm_card_createDispute', 4200);
      const du = checked(await disputeOf(pi));
      expect(du.id).toMatch(/^du_/);
      expect(du.charge).toBe(pi.latest_charge);
      expect(du.amount).toBe(4200);
      expect(du.currency).toBe('usd');
      expect(du.reason).toBe('fraudulent');
      expect(du.status).toBe('needs_response');
      expect(du.is_charge_refundable).toBe(false);
      expect(du.evidence_details.has_evidence).toBe(false);
      expect(du.evidence_details.submission_count).toBe(0);
      const due = du.evidence_details.due_by as number;
      expect(due).toBeGreaterThan(du.created);
      expect(due - du.created).toBeLessThan(31 * 86_400);
      const ch = checked(await s().charges.retrieve(pi.latest_charge as string));
      expect(ch.disputed).toBe(true);
      const ev = (await eventsFor(target(), du.id, 1)).find((e) => e.type === 'charge.dispute.created');
      expect((checked(ev as Stripe.Event).data.object as Stripe.Dispute).charge).toBe(ch.id);
      checked(await s().disputes.retrieve(du.id));
      const refund = await failure(s().refunds.create({ charge: ch.id }));
      expect(refund.statusCode).toBe(400);
      expect(refund.code).toBe('charge_disputed');
    },
    SLOW,
  );

  it(
    'pm_card_createDisputeInquiry: an inquiry (warning_needs_response) that can still be refunded',
    async () => {
      const pi = await paid('pm_card_createDisputeInquiry');
      const du = checked(await disputeOf(pi));
      expect(du.status).toBe('warning_needs_response');
      expect(du.payment_method_details?.card?.case_type).toBe('inquiry');
      expect(du.is_charge_refundable).toBe(true);
    },
    SLOW,
  );

  it(
    'update stages evidence and metadata (submit=false); submitting winning_evidence wins the dispute',
    async () => {
      const pi = await paid('pm_card_createDispute');
      const du = await disputeOf(pi);
      const staged = checked(
        await s().disputes.update(du.id, {
          evidence: { product_description: 'Loose-leaf tea, shipped', shipping_tracking_number: '1Z999' },
          metadata: { order: 'A7' },
          submit: false,
        }),
      );
      expect(staged.status).toBe('needs_response');
      expect(staged.metadata).toEqual({ order: 'A7' });
      expect(staged.evidence.product_description).toBe('Loose-leaf tea, shipped');
      expect(staged.evidence_details.has_evidence).toBe(true);
      expect(staged.evidence_details.submission_count).toBe(0);
      const submitted = checked(
        await s().disputes.update(du.id, { evidence: { uncategorized_text: 'winning_evidence' } }),
      );
      expect(submitted.status).toBe('under_review');
      expect(submitted.evidence.product_description).toBe('Loose-leaf tea, shipped');
      expect(submitted.evidence_details.submission_count).toBe(1);
      const late = await failure(s().disputes.update(du.id, { evidence: { customer_name: 'x' } }));
      expect(late.statusCode).toBe(400);
      const won = await eventually(
        target(),
        () => s().disputes.retrieve(du.id),
        (d) => d.status === 'won',
      );
      expect(won.status).toBe('won');
      const types = (await eventsFor(target(), du.id, 4)).map((e) => e.type);
      expect(types.filter((t) => t === 'charge.dispute.updated').length).toBeGreaterThanOrEqual(2);
      expect(types).toContain('charge.dispute.closed');
      const updated = (await eventsFor(target(), du.id, 4)).find((e) => e.type === 'charge.dispute.updated');
      expect(checked(updated as Stripe.Event).data.previous_attributes).toHaveProperty('metadata');
    },
    SLOW,
  );

  it(
    'close accepts the loss: lost, charge.dispute.closed; a closed dispute cannot be closed again',
    async () => {
      const pi = await paid('pm_card_createDispute');
      const du = await disputeOf(pi);
      const closed = checked(await s().disputes.close(du.id));
      expect(closed.status).toBe('lost');
      const again = await failure(s().disputes.close(du.id));
      expect(again.statusCode).toBe(400);
      const closedEvent = (await eventsFor(target(), du.id, 2)).find(
        (e) => e.type === 'charge.dispute.closed',
      );
      expect((checked(closedEvent as Stripe.Event).data.object as Stripe.Dispute).status).toBe('lost');
    },
    SLOW,
  );

  it(
    'pm_card_createIssuerFraudRecord: an early fraud warning names the charge; a full refund ends it',
    async () => {
      const pi = await paid('pm_card_createIssuerFraudRecord');
      const chId = pi.latest_charge as string;
      const list = await eventually(
        target(),
        () => s().radar.earlyFraudWarnings.list({ charge: chId }),
        (l) => l.data.length > 0,
      );
      checked(list);
      const efw = list.data[0] as Stripe.Radar.EarlyFraudWarning;
      expect(efw.id).toMatch(/^issfr_/);
      expect(efw.charge).toBe(chId);
      expect(efw.payment_intent).toBe(pi.id);
      expect(efw.actionable).toBe(true);
      expect(typeof efw.fraud_type).toBe('string');
      expect(checked(await s().radar.earlyFraudWarnings.retrieve(efw.id)).charge).toBe(chId);
      const created = (await eventsFor(target(), efw.id, 1)).find(
        (e) => e.type === 'radar.early_fraud_warning.created',
      );
      expect((checked(created as Stripe.Event).data.object as Stripe.Radar.EarlyFraudWarning).charge).toBe(
        chId,
      );
      const byPi = await s().radar.earlyFraudWarnings.list({ payment_intent: pi.id });
      expect(byPi.data.map((w) => w.id)).toEqual([efw.id]);
      await s().refunds.create({ payment_intent: pi.id });
      const after = await eventually(
        target(),
        () => s().radar.earlyFraudWarnings.retrieve(efw.id),
        (w) => !w.actionable,
      );
      expect(after.actionable).toBe(false);
    },
    SLOW,
  );

  it(
    'pm_card_refundFail: the refund is accepted, then fails; the charge is no longer refunded',
    async () => {
      const pi = await paid('pm_card_refundFail', 1500);
      const chId = pi.latest_charge as string;
      const re = checked(await s().refunds.create({ payment_intent: pi.id }));
      expect(['succeeded', 'pending']).toContain(re.status);
      expect((await s().charges.retrieve(chId)).amount_refunded).toBe(1500);
      const failed = await eventually(
        target(),
        () => s().refunds.retrieve(re.id),
        (r) => r.status === 'failed',
      );
      checked(failed);
      expect(failed.status).toBe('failed');
      expect(['expired_or_canceled_card', 'lost_or_stolen_card', 'unknown']).toContain(failed.failure_reason);
      const ch = await s().charges.retrieve(chId);
      expect(ch.amount_refunded).toBe(0);
      expect(ch.refunded).toBe(false);
      const events = await eventsFor(target(), re.id, 3);
      for (const e of events) checked(e);
      const types = events.map((e) => e.type);
      expect(types).toContain('charge.refund.updated');
      expect(types).toContain('refund.failed');
      const upd = events.find((e) => e.type === 'charge.refund.updated') as Stripe.Event;
      expect((upd.data.object as Stripe.Refund).status).toBe('failed');
    },
    SLOW,
  );

  it('dispute and fraud-warning refusals: unknown ids, unknown parameters', async () => {
    const missing = await failure(s().disputes.retrieve('du_doesnotexist'));
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe('resource_missing');
    const efw = await failure(s().radar.earlyFraudWarnings.retrieve('issfr_doesnotexist'));
    expect(efw.statusCode).toBe(404);
    const unknown = await failure(s().disputes.list({ status: 'won' } as Stripe.DisputeListParams));
    expect(unknown.code).toBe('parameter_unknown');
  });
});
