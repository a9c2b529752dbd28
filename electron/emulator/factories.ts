/**
 * Factories for every object the emulator returns, typed as the SDK's own types so that an SDK upgrade that
 * changes a shape breaks the build. Field order follows Stripe's (alphabetical after id/object).
 */
import type Stripe from 'stripe';
import type { TestCard } from './cards';

export function makeCustomer(id: string, created: number, p: Partial<Stripe.Customer>): Stripe.Customer {
  return {
    id,
    object: 'customer',
    address: p.address ?? null,
    balance: 0,
    created,
    currency: null,
    default_source: null,
    delinquent: false,
    description: p.description ?? null,
    email: p.email ?? null,
    invoice_prefix: p.invoice_prefix ?? id.slice(4, 12).toUpperCase(),
    invoice_settings: p.invoice_settings ?? {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: p.metadata ?? {},
    name: p.name ?? null,
    next_invoice_sequence: 1,
    phone: p.phone ?? null,
    preferred_locales: p.preferred_locales ?? [],
    shipping: p.shipping ?? null,
    tax_exempt: p.tax_exempt ?? 'none',
    test_clock: null,
  };
}

export function makeDeletedCustomer(id: string): Stripe.DeletedCustomer {
  return { id, object: 'customer', deleted: true };
}

export function makeBillingDetails(
  p: Partial<Stripe.PaymentMethod.BillingDetails> = {},
): Stripe.PaymentMethod.BillingDetails {
  return {
    address: p.address ?? {
      city: null,
      country: null,
      line1: null,
      line2: null,
      postal_code: null,
      state: null,
    },
    email: p.email ?? null,
    name: p.name ?? null,
    phone: p.phone ?? null,
    tax_id: p.tax_id ?? null,
  };
}

export function makePaymentMethod(
  id: string,
  created: number,
  card: TestCard,
  opts: {
    exp_month?: number;
    exp_year?: number;
    customer?: string | null;
    metadata?: Stripe.Metadata;
    billing_details?: Stripe.PaymentMethod.BillingDetails;
  } = {},
): Stripe.PaymentMethod {
  return {
    id,
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: opts.billing_details ?? makeBillingDetails(),
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'unchecked' },
      country: card.country,
      display_brand: card.brand,
      exp_month: opts.exp_month ?? 12,
      exp_year: opts.exp_year ?? new Date(created * 1000).getUTCFullYear() + 3,
      fingerprint: fingerprint(card.number),
      funding: card.funding,
      generated_from: null,
      last4: card.number.slice(-4),
      networks: { available: [card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created,
    customer: opts.customer ?? null,
    customer_account: null,
    livemode: false,
    metadata: opts.metadata ?? {},
    type: 'card',
  };
}

function fingerprint(num: string): string {
  let h = 0;
  for (let i = 0; i < num.length; i++) h = (h * 31 + num.charCodeAt(i)) >>> 0;
  return ('fp' + h.toString(36) + num.slice(-4)).padEnd(16, 'x').slice(0, 16);
}

export interface PaymentIntentInit {
  amount: number;
  currency: string;
  customer: string | null;
  payment_method: string | null;
  capture_method: Stripe.PaymentIntent.CaptureMethod;
  description: string | null;
  metadata: Stripe.Metadata;
  receipt_email: string | null;
  setup_future_usage: Stripe.PaymentIntent.SetupFutureUsage | null;
  statement_descriptor: string | null;
  statement_descriptor_suffix: string | null;
  payment_method_types: string[];
  shipping: Stripe.PaymentIntent.Shipping | null;
  transfer_group: string | null;
}

export function makePaymentIntent(
  id: string,
  created: number,
  init: PaymentIntentInit,
  clientSecret: string,
): Stripe.PaymentIntent {
  return {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: init.amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: init.capture_method,
    client_secret: clientSecret,
    confirmation_method: 'automatic',
    created,
    currency: init.currency,
    customer: init.customer,
    customer_account: null,
    description: init.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: init.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: init.payment_method,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: {
        installments: null,
        mandate_options: null,
        network: null,
        request_three_d_secure: 'automatic',
      },
    },
    payment_method_types: init.payment_method_types,
    payment_record: null,
    processing: null,
    receipt_email: init.receipt_email,
    review: null,
    setup_future_usage: init.setup_future_usage,
    shipping: init.shipping,
    source: null,
    statement_descriptor: init.statement_descriptor,
    statement_descriptor_suffix: init.statement_descriptor_suffix,
    status: init.payment_method ? 'requires_confirmation' : 'requires_payment_method',
    transfer_group: init.transfer_group,
  };
}

export interface ChargeInit {
  amount: number;
  currency: string;
  customer: string | null;
  description: string | null;
  metadata: Stripe.Metadata;
  payment_intent: string;
  payment_method: Stripe.PaymentMethod;
  receipt_email: string | null;
  shipping: Stripe.Charge.Shipping | null;
  statement_descriptor: string | null;
  statement_descriptor_suffix: string | null;
  capture: boolean;
  captureBefore: number | null;
  moto: boolean;
  failure: { code: string; message: string; decline_code: string } | null;
}

export function makeCharge(id: string, created: number, init: ChargeInit): Stripe.Charge {
  const pm = init.payment_method;
  const c = pm.card;
  const failed = init.failure !== null;
  const cardDetails: Stripe.Charge.PaymentMethodDetails.Card = {
    amount_authorized: failed ? null : init.amount,
    authorization_code: failed ? null : String(100000 + (created % 900000)),
    brand: c?.brand ?? null,
    ...(init.captureBefore !== null ? { capture_before: init.captureBefore } : {}),
    checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
    country: c?.country ?? null,
    electronic_commerce_indicator: null,
    exp_month: c?.exp_month ?? 12,
    exp_year: c?.exp_year ?? 2030,
    extended_authorization: { status: 'disabled' },
    fingerprint: c?.fingerprint ?? null,
    funding: c?.funding ?? null,
    incremental_authorization: { status: 'unavailable' },
    installments: null,
    last4: c?.last4 ?? null,
    mandate: null,
    ...(init.moto ? { moto: true } : {}),
    multicapture: { status: 'unavailable' },
    network: c?.brand ?? null,
    network_token: { used: false },
    network_transaction_id: failed ? null : String(created) + '0000000',
    overcapture: { maximum_amount_capturable: init.amount, status: 'unavailable' },
    regulated_status: 'unregulated',
    three_d_secure: null,
    transaction_link_id: null,
    wallet: null,
  };
  const outcome: Stripe.Charge.Outcome = failed
    ? {
        advice_code: null,
        network_advice_code: null,
        network_decline_code: null,
        network_status: 'declined_by_network',
        reason: init.failure?.decline_code ?? null,
        risk_level: 'normal',
        risk_score: 30,
        seller_message: 'The bank did not return any further details with this decline.',
        type: 'issuer_declined',
      }
    : {
        advice_code: null,
        network_advice_code: null,
        network_decline_code: null,
        network_status: 'approved_by_network',
        reason: null,
        risk_level: 'normal',
        risk_score: 20,
        seller_message: 'Payment complete.',
        type: 'authorized',
      };
  return {
    id,
    object: 'charge',
    amount: init.amount,
    amount_captured: !failed && init.capture ? init.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: { ...pm.billing_details },
    calculated_statement_descriptor: init.statement_descriptor_suffix
      ? `EMULATOR* ${init.statement_descriptor_suffix}`.slice(0, 22)
      : (init.statement_descriptor ?? 'EMULATOR'),
    captured: !failed && init.capture,
    created,
    currency: init.currency,
    customer: init.customer,
    description: init.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: init.failure?.code ?? null,
    failure_message: init.failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: init.metadata,
    on_behalf_of: null,
    outcome,
    paid: !failed,
    payment_intent: init.payment_intent,
    payment_method: pm.id,
    payment_method_details: { card: cardDetails, type: 'card' },
    radar_options: {},
    receipt_email: init.receipt_email,
    receipt_number: null,
    receipt_url: `https://pay.stripe.com/receipts/payment/${id}`,
    refunded: false,
    review: null,
    shipping: init.shipping,
    source: null,
    source_transfer: null,
    statement_descriptor: init.statement_descriptor,
    statement_descriptor_suffix: init.statement_descriptor_suffix,
    status: failed ? 'failed' : 'succeeded',
    transfer_data: null,
    transfer_group: null,
  };
}

export function makeRefund(
  id: string,
  created: number,
  p: {
    amount: number;
    charge: Stripe.Charge;
    reason: Stripe.Refund.Reason | null;
    metadata: Stripe.Metadata;
  },
): Stripe.Refund {
  return {
    id,
    object: 'refund',
    amount: p.amount,
    balance_transaction: null,
    charge: p.charge.id,
    created,
    currency: p.charge.currency,
    customer: typeof p.charge.customer === 'string' ? p.charge.customer : null,
    customer_account: null,
    destination_details: {
      card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
      type: 'card',
    },
    metadata: p.metadata,
    payment_intent: typeof p.charge.payment_intent === 'string' ? p.charge.payment_intent : null,
    payment_method: p.charge.payment_method,
    reason: p.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
}

export function makeSetupIntent(
  id: string,
  created: number,
  p: {
    customer: string | null;
    payment_method: string | null;
    description: string | null;
    metadata: Stripe.Metadata;
    usage: string;
    payment_method_types: string[];
  },
  clientSecret: string,
): Stripe.SetupIntent {
  return {
    id,
    object: 'setup_intent',
    allowed_payment_method_types: null,
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: clientSecret,
    created,
    customer: p.customer,
    customer_account: null,
    description: p.description,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: p.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: p.payment_method,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { mandate_options: null, network: null, request_three_d_secure: 'automatic' },
    },
    payment_method_types: p.payment_method_types,
    single_use_mandate: null,
    status: p.payment_method ? 'requires_confirmation' : 'requires_payment_method',
    usage: p.usage,
  };
}

export function makeWebhookEndpoint(
  id: string,
  created: number,
  p: {
    url: string;
    enabled_events: string[];
    description: string | null;
    metadata: Stripe.Metadata;
    api_version: string | null;
    secret?: string;
  },
): Stripe.WebhookEndpoint {
  return {
    id,
    object: 'webhook_endpoint',
    api_version: p.api_version,
    application: null,
    created,
    description: p.description,
    enabled_events: p.enabled_events,
    livemode: false,
    metadata: p.metadata,
    ...(p.secret !== undefined ? { secret: p.secret } : {}),
    status: 'enabled',
    url: p.url,
  };
}

export function makeDeletedWebhookEndpoint(id: string): Stripe.DeletedWebhookEndpoint {
  return { id, object: 'webhook_endpoint', deleted: true };
}

export function makeList<T>(data: T[], hasMore: boolean, url: string): Stripe.ApiList<T> {
  return { object: 'list', data, has_more: hasMore, url };
}
