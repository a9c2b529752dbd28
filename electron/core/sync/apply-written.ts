// What Stripe answered to one of our own writes goes through the same projection code as its later event, so
// an action and its event can never disagree. Such an answer is what Stripe holds now (authoritative).
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import { applyPaymentIntent } from '../payments/projection';
import { stripeTimeOf } from '../stripe/stripe-clock';
import { applySavedCard } from '../payments/saved-cards-projection';
import { applyDispute, applyFraudWarning, applyRefund } from './money-signals';
import {
  applyCharge,
  applyCustomer,
  applyPrice,
  applyProduct,
  noteStripeTime,
  projectOrder,
  stripeTime,
} from './shop-projection';

export interface WrittenEffects {
  orderIds: string[];
  productIds: string[];
  holdIds: string[];
}

export function applyWritten(db: Db, obj: { id: string; object?: string }, nowMs: number): WrittenEffects {
  const out: WrittenEffects = { orderIds: [], productIds: [], holdIds: [] };
  // Stripe's time of this answer (its Date header), never this station's clock: events created before it are
  // older than what it says. Objects without one (read from an error body) count as of the newest event seen.
  const answered = stripeTimeOf(obj);
  if (answered !== null) noteStripeTime(db, answered);
  const at = answered ?? stripeTime(db);
  switch (obj.object) {
    case 'payment_intent': {
      const pi = obj as Stripe.PaymentIntent;
      applyPaymentIntent(db, pi, at, nowMs, true);
      if (pi.latest_charge && typeof pi.latest_charge === 'object')
        applyCharge(db, pi.latest_charge, at, nowMs, true);
      if (pi.capture_method === 'manual') out.holdIds.push(pi.id);
      const o = projectOrder(db, pi.id, nowMs);
      if (o) out.orderIds.push(o.orderId);
      break;
    }
    case 'charge': {
      const c = applyCharge(db, obj as Stripe.Charge, at, nowMs, true);
      if (c.paymentIntentId) {
        const o = projectOrder(db, c.paymentIntentId, nowMs);
        if (o) out.orderIds.push(o.orderId);
      }
      break;
    }
    case 'product':
      if (applyProduct(db, obj as Stripe.Product, nowMs, true)) out.productIds.push(obj.id);
      break;
    case 'price':
      applyPrice(db, obj as Stripe.Price, nowMs);
      break;
    case 'refund':
      applyRefund(db, obj as Stripe.Refund, at, null);
      break;
    case 'dispute':
      applyDispute(db, obj as Stripe.Dispute, at);
      break;
    case 'radar.early_fraud_warning':
      applyFraudWarning(db, obj as Stripe.Radar.EarlyFraudWarning, at);
      break;
    case 'customer':
      applyCustomer(db, obj as Stripe.Customer, at, nowMs, true);
      break;
    case 'setup_intent':
    case 'payment_method': {
      const r = applySavedCard(db, obj as Stripe.SetupIntent | Stripe.PaymentMethod, at, nowMs, true);
      for (const piId of r?.paymentIntentIds ?? []) {
        const o = projectOrder(db, piId, nowMs);
        if (o) out.orderIds.push(o.orderId);
      }
      break;
    }
  }
  return out;
}
