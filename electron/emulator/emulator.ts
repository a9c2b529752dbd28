/**
 * The Stripe API, composed: the kernel (kernel.ts) plus one module per resource under resources/, each
 * registering its routes, in the order Stripe's API reference lists them. To add a resource, write
 * resources/<resource>.ts with a `register…(k)` function and call it here.
 */
import type Stripe from 'stripe';
import { Kernel } from './kernel';
import type { ClockSource, EmulatorConfig } from './kernel';
import { registerCharges } from './resources/charges';
import { registerCustomers } from './resources/customers';
import { decideDispute, registerDisputes } from './resources/disputes';
import { registerEarlyFraudWarnings } from './resources/early-fraud-warnings';
import { registerEvents } from './resources/events';
import { authenticatePaymentIntent, registerPaymentIntents } from './resources/payment-intents';
import { registerPaymentMethods } from './resources/payment-methods';
import { deletePrice, registerPrices } from './resources/prices';
import { registerProducts } from './resources/products';
import { registerRefunds } from './resources/refunds';
import { authenticateSetupIntent, registerSetupIntents } from './resources/setup-intents';
import { registerTaxAssociations } from './resources/tax-associations';
import { registerTaxCalculations } from './resources/tax-calculations';
import { registerTaxRegistrations } from './resources/tax-registrations';
import { registerTaxTransactions } from './resources/tax-transactions';
import { registerWebhookEndpoints } from './resources/webhook-endpoints';

export { RawJson, SYSTEM_CTX } from './kernel';
export type { ClockSource, EmulatorConfig, EventListener, RequestCtx } from './kernel';

export class Emulator extends Kernel {
  constructor(clock: ClockSource, config: EmulatorConfig) {
    super(clock, config);
    registerCustomers(this);
    registerPaymentMethods(this);
    registerPaymentIntents(this);
    registerSetupIntents(this);
    registerCharges(this);
    registerRefunds(this);
    registerDisputes(this);
    registerEarlyFraudWarnings(this);
    registerEvents(this);
    registerWebhookEndpoints(this);
    registerProducts(this);
    registerPrices(this);
    registerTaxRegistrations(this);
    registerTaxCalculations(this);
    registerTaxTransactions(this);
    registerTaxAssociations(this);
  }

  /** Completes (or fails) the customer's 3DS step of a PaymentIntent (control API). */
  authenticate(piId: string, outcome: 'succeed' | 'fail'): Stripe.PaymentIntent {
    return authenticatePaymentIntent(this, piId, outcome);
  }

  /** Decides an open dispute won or lost, as the cardholder's bank would (control API). */
  decideDispute(disputeId: string, outcome: 'won' | 'lost'): Stripe.Dispute {
    return decideDispute(this, disputeId, outcome);
  }

  /** Deletes a price the way the Dashboard can (control API): price.deleted. */
  deletePrice(priceId: string): Stripe.DeletedPrice {
    return deletePrice(this, priceId);
  }

  /** Completes (or fails) the customer's 3DS step of a SetupIntent (control API). */
  authenticateSetupIntent(siId: string, outcome: 'succeed' | 'fail'): Stripe.SetupIntent {
    return authenticateSetupIntent(this, siId, outcome);
  }
}
