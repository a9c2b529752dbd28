/**
 * Radar early fraud warnings (docs.stripe.com/api/radar/early_fraud_warnings): the issuer reports a payment
 * as fraud before any dispute. The fraud-warning test card (pm_card_createIssuerFraudRecord, 4000000000005423)
 * succeeds, then a warning naming the charge and PaymentIntent arrives: radar.early_fraud_warning.created.
 * It stays `actionable` until the charge is fully refunded or disputed (radar.early_fraud_warning.updated).
 */
import type Stripe from 'stripe';
import type { FormObject } from '../form';
import type { Kernel } from '../kernel';
import { SYSTEM_CTX, routeId } from '../kernel';
import { LIST_SPEC, validate } from '../params';
import { newId } from '../state';
import { cardAfter } from './charges';

export function registerEarlyFraudWarnings(k: Kernel): void {
  k.on('GET', '/v1/radar/early_fraud_warnings', (p) => listWarnings(k, p));
  k.on('GET', '/v1/radar/early_fraud_warnings/:id', (p, _c, m) =>
    k.retrieveSimple('early_fraud_warning', p, routeId(m)),
  );
  k.onTimer('fraud_warning_arrives', (chId, at) => warn(k, chId, at));
}

function warn(k: Kernel, chId: string, at: number): void {
  const ch = k.state.get('charge', chId)?.obj;
  const spec = ch ? cardAfter(k, ch)?.earlyFraudWarning : undefined;
  if (!ch || !spec) return;
  const efw: Stripe.Radar.EarlyFraudWarning = {
    id: newId('issfr'),
    object: 'radar.early_fraud_warning',
    actionable: !ch.refunded && !ch.disputed,
    charge: ch.id,
    created: at,
    fraud_type: spec.fraudType,
    livemode: false,
    ...(typeof ch.payment_intent === 'string' ? { payment_intent: ch.payment_intent } : {}),
  };
  k.state.insert('early_fraud_warning', efw);
  k.emit('radar.early_fraud_warning.created', efw, SYSTEM_CTX, null, at);
}

/**
 * "An EFW is actionable if it has not received a dispute and has not been fully refunded": called when the
 * charge is fully refunded or disputed.
 */
export function fraudWarningsNoLongerActionable(k: Kernel, chId: string, at = k.nowSec()): void {
  for (const id of k.state.order.early_fraud_warning) {
    const efw = k.state.get('early_fraud_warning', id)?.obj;
    if (!efw || efw.charge !== chId || !efw.actionable) continue;
    efw.actionable = false;
    k.state.touch(id);
    k.emit('radar.early_fraud_warning.updated', efw, SYSTEM_CTX, { actionable: true }, at);
  }
}

function listWarnings(k: Kernel, form: FormObject): Stripe.ApiList<Stripe.Radar.EarlyFraudWarning> {
  const p = validate({ ...LIST_SPEC, charge: 'string', payment_intent: 'string' }, form);
  return k.listOf(
    'early_fraud_warning',
    p,
    '/v1/radar/early_fraud_warnings',
    (w) =>
      (p.charge === undefined || w.charge === p.charge) &&
      (p.payment_intent === undefined || w.payment_intent === p.payment_intent),
  );
}
