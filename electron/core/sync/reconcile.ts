// Reconciliation: compare local orders and holds with Stripe and list the drift, each with a fix.
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { Clock } from '../ports';
import type { Drift } from '../../ipc/contract';
import type { StripeGateway } from '../stripe/gateway';
import { refundedOf, setRefunded } from '../orders/orders-repo';
import { applyWritten } from './apply-written';

const LOOKBACK_S = 35 * 24 * 3600;
const MAX_PAGES = 50;

export interface Reconciler {
  run(): Promise<{ at: number; drifts: Drift[] }>;
  fix(driftId: string): Promise<{ at: number; drifts: Drift[] }>;
  last(): { at: number; drifts: Drift[] } | null;
}

export function createReconciler(db: Db, clock: Clock, gateway: () => StripeGateway): Reconciler {
  let latest: { at: number; drifts: Drift[] } | null = null;
  const seen = new Map<string, Stripe.PaymentIntent>();
  /** Stripe's disputes, fraud warnings and refunds of the drifts last found, by PaymentIntent: what a fix applies. */
  const signals = new Map<string, { id: string; object?: string }[]>();

  async function listAll<T extends { id: string }>(
    list: (startingAfter: string | undefined) => Promise<Stripe.ApiList<T>>,
  ): Promise<T[]> {
    const out: T[] = [];
    let startingAfter: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const l = await list(startingAfter);
      out.push(...l.data);
      if (!l.has_more || l.data.length === 0) break;
      startingAfter = l.data[l.data.length - 1]!.id;
    }
    return out;
  }

  /** Disputes, fraud warnings and refunds at Stripe that this station shows otherwise (or not at all). */
  async function moneySignalDrifts(known: Set<string>): Promise<Drift[]> {
    const gw = gateway();
    const created = { gte: Math.floor(clock.now() / 1000) - LOOKBACK_S };
    const piOf = (x: { payment_intent?: string | { id: string } | null }) =>
      typeof x.payment_intent === 'string' ? x.payment_intent : (x.payment_intent?.id ?? null);
    const page = (sa: string | undefined) => ({ limit: 100, created, ...(sa ? { starting_after: sa } : {}) });
    const drifts: Drift[] = [];
    signals.clear();
    const note = (piId: string, obj: { id: string; object?: string }) =>
      signals.set(piId, [...(signals.get(piId) ?? []), obj]);
    for (const d of await listAll((sa) => gw.listDisputes(page(sa)))) {
      const piId = piOf(d);
      if (!piId || !known.has(piId)) continue;
      const here = db.prepare('SELECT status FROM disputes WHERE id = ?').pluck().get(d.id) as
        string | undefined;
      if (here === d.status) continue;
      note(piId, d);
      drifts.push({
        id: `dispute_missing_here:${piId}`,
        kind: 'dispute_missing_here',
        paymentIntentId: piId,
        description: here
          ? `The dispute is ${d.status.replace(/_/g, ' ')} at Stripe, ${here.replace(/_/g, ' ')} here.`
          : `Disputed at Stripe (${d.reason.replace(/_/g, ' ')}), but not shown here.`,
        fix: 'Show the dispute as Stripe has it (the order can’t be shipped while it is open).',
      });
    }
    for (const w of await listAll((sa) => gw.listEarlyFraudWarnings(page(sa)))) {
      const piId = piOf(w);
      if (!piId || !known.has(piId)) continue;
      if (db.prepare('SELECT 1 FROM fraud_warnings WHERE id = ?').pluck().get(w.id)) continue;
      note(piId, w);
      drifts.push({
        id: `fraud_warning_missing_here:${piId}`,
        kind: 'fraud_warning_missing_here',
        paymentIntentId: piId,
        description: 'The card issuer sent an early fraud warning for this payment; it is not shown here.',
        fix: 'Show the warning on the order (refunding avoids a dispute).',
      });
    }
    for (const rf of await listAll((sa) => gw.listRefunds(page(sa)))) {
      const piId = piOf(rf);
      if (!piId || !known.has(piId)) continue;
      const here = db.prepare('SELECT status FROM refunds WHERE id = ?').pluck().get(rf.id) as
        string | undefined;
      if (here === (rf.status ?? 'succeeded')) continue;
      note(piId, rf);
      drifts.push({
        id: `refund_mismatch:${piId}`,
        kind: 'refund_mismatch',
        paymentIntentId: piId,
        description: here
          ? `A refund is ${rf.status} at Stripe but ${here} here${rf.status === 'failed' ? ': the customer was not refunded' : ''}.`
          : `A refund of ${rf.amount} (minor units) at Stripe is not shown here.`,
        fix: 'Take the refund as Stripe has it (and the refundable balance with it).',
      });
    }
    // One row per PaymentIntent and kind.
    return [...new Map(drifts.map((d) => [d.id, d])).values()];
  }

  async function fetchOurs(): Promise<Stripe.PaymentIntent[]> {
    const out: Stripe.PaymentIntent[] = [];
    let startingAfter: string | undefined;
    const since = Math.floor(clock.now() / 1000) - LOOKBACK_S;
    for (let page = 0; page < MAX_PAGES; page++) {
      const list = await gateway().listPaymentIntents({
        limit: 100,
        created: { gte: since },
        expand: ['data.latest_charge'],
        ...(startingAfter ? { starting_after: startingAfter } : {}),
      });
      out.push(...list.data.filter((pi) => pi.metadata?.cart_id));
      if (!list.has_more || list.data.length === 0) break;
      startingAfter = list.data[list.data.length - 1]!.id;
    }
    return out;
  }

  async function run() {
    const pis = await fetchOurs();
    seen.clear();
    const drifts: Drift[] = [];
    const atStripe = new Set<string>();
    for (const pi of pis) {
      seen.set(pi.id, pi);
      atStripe.add(pi.id);
      const order = db
        .prepare('SELECT id, amount_captured, amount_refunded FROM orders WHERE payment_intent_id = ?')
        .get(pi.id) as { id: string; amount_captured: number; amount_refunded: number } | undefined;
      const hold = db.prepare('SELECT status FROM holds WHERE payment_intent_id = ?').get(pi.id) as
        { status: string } | undefined;
      const charge = pi.latest_charge && typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
      if (pi.status === 'succeeded' && !order) {
        drifts.push({
          id: `paid_no_order:${pi.id}`,
          kind: 'paid_no_order',
          paymentIntentId: pi.id,
          description: `Paid in Stripe (${pi.amount_received} ${pi.currency.toUpperCase()}), but there is no order here.`,
          fix: 'Create the order from the PaymentIntent.',
        });
      }
      if (pi.status === 'requires_capture' && hold?.status !== 'authorized') {
        drifts.push({
          id: `hold_missing_here:${pi.id}`,
          kind: 'hold_missing_here',
          paymentIntentId: pi.id,
          description: `Authorized at Stripe (${pi.amount_capturable} ${pi.currency.toUpperCase()} on hold), but not shown as a live hold here.`,
          fix: 'Show the hold, with its deadline, as Stripe has it.',
        });
      }
      if (hold?.status === 'authorized' && pi.status === 'canceled') {
        drifts.push({
          id: `hold_canceled_at_stripe:${pi.id}`,
          kind: 'hold_canceled_at_stripe',
          paymentIntentId: pi.id,
          description: 'Shown as a live hold here, but canceled at Stripe.',
          fix: 'Mark the hold released or expired, as Stripe says.',
        });
      }
      if (
        order &&
        (order.amount_captured !== pi.amount_received ||
          (charge && order.amount_refunded !== refundedOf(charge)))
      ) {
        drifts.push({
          id: `amount_mismatch:${pi.id}`,
          kind: 'amount_mismatch',
          paymentIntentId: pi.id,
          description: `Here: captured ${order.amount_captured}, refunded ${order.amount_refunded}. Stripe: captured ${pi.amount_received}, refunded ${charge ? refundedOf(charge) : 0}.`,
          fix: 'Take the amounts from Stripe.',
        });
      }
    }
    drifts.push(...(await moneySignalDrifts(atStripe)));
    const since = clock.now() - (LOOKBACK_S - 24 * 3600) * 1000;
    const localOrders = db
      .prepare('SELECT payment_intent_id FROM orders WHERE created_at >= ?')
      .all(since) as { payment_intent_id: string }[];
    for (const o of localOrders) {
      if (!atStripe.has(o.payment_intent_id)) {
        drifts.push({
          id: `order_missing_at_stripe:${o.payment_intent_id}`,
          kind: 'order_missing_at_stripe',
          paymentIntentId: o.payment_intent_id,
          description: 'An order here has no matching payment at Stripe.',
          fix: 'Check the payment in Stripe before shipping; the order is left as it is.',
        });
      }
    }
    latest = { at: clock.now(), drifts };
    return latest;
  }

  async function fix(driftId: string) {
    const [kind, piId] = driftId.split(':');
    if (!piId || kind === 'order_missing_at_stripe') return latest ?? run();
    const pi = seen.get(piId) ?? (await gateway().retrievePaymentIntent(piId));
    const now = clock.now();
    db.transaction(() => {
      for (const obj of signals.get(piId) ?? []) applyWritten(db, obj, now);
      applyWritten(db, pi, now);
      if (pi.status === 'succeeded')
        db.prepare('UPDATE orders SET amount_captured = ? WHERE payment_intent_id = ?').run(
          pi.amount_received,
          pi.id,
        );
      const charge = pi.latest_charge && typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
      // Take Stripe's figure as it is (setRefunded only moves forward; a fix may need to move back).
      if (charge) {
        db.prepare('UPDATE orders SET amount_refunded = ?, updated_at = ? WHERE payment_intent_id = ?').run(
          refundedOf(charge),
          now,
          pi.id,
        );
        setRefunded(db, pi.id, refundedOf(charge), now);
      }
      if (pi.status === 'canceled') {
        db.prepare(
          `UPDATE holds SET status = CASE WHEN ? IN ('automatic', 'expired') THEN 'expired' ELSE 'released' END, amount_capturable = 0, version = version + 1 WHERE payment_intent_id = ? AND status = 'authorized'`,
        ).run(pi.cancellation_reason, pi.id);
      }
    })();
    return run();
  }

  return { run, fix, last: () => latest };
}
