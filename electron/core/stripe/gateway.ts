// The Stripe gateway: the only `new Stripe(...)` in the project. Pinned API version, the SDK's own retries
// (which reuse the idempotency key we pass), a timeout, and host/port/protocol only for the emulator.
// Every POST takes a required idempotency key; the journal (journal.ts) decides what the key is.
import Stripe from 'stripe';

export const STRIPE_API_VERSION = '2026-10-28.endive' as const;

export type StripeMode = 'emulator' | 'test' | 'live';

export interface GatewayConfig {
  secretKey: string;
  mode: StripeMode;
  /** Only for the emulator: where it listens. */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

/** What a write returns: the object plus the Stripe request id, for the audit log. */
export interface Written<T> {
  object: T;
  requestId: string | null;
}

export interface StripeGateway {
  readonly mode: StripeMode;
  createPaymentIntent(
    p: Stripe.PaymentIntentCreateParams,
    key: string,
  ): Promise<Written<Stripe.PaymentIntent>>;
  updatePaymentIntent(
    id: string,
    p: Stripe.PaymentIntentUpdateParams,
    key: string,
  ): Promise<Written<Stripe.PaymentIntent>>;
  confirmPaymentIntent(
    id: string,
    p: Stripe.PaymentIntentConfirmParams,
    key: string,
  ): Promise<Written<Stripe.PaymentIntent>>;
  capturePaymentIntent(
    id: string,
    p: Stripe.PaymentIntentCaptureParams,
    key: string,
  ): Promise<Written<Stripe.PaymentIntent>>;
  cancelPaymentIntent(
    id: string,
    p: Stripe.PaymentIntentCancelParams,
    key: string,
  ): Promise<Written<Stripe.PaymentIntent>>;
  createRefund(p: Stripe.RefundCreateParams, key: string): Promise<Written<Stripe.Refund>>;
  createProduct(p: Stripe.ProductCreateParams, key: string): Promise<Written<Stripe.Product>>;
  updateProduct(id: string, p: Stripe.ProductUpdateParams, key: string): Promise<Written<Stripe.Product>>;
  createPrice(p: Stripe.PriceCreateParams, key: string): Promise<Written<Stripe.Price>>;
  updatePrice(id: string, p: Stripe.PriceUpdateParams, key: string): Promise<Written<Stripe.Price>>;
  createCustomer(p: Stripe.CustomerCreateParams, key: string): Promise<Written<Stripe.Customer>>;
  updateCustomer(id: string, p: Stripe.CustomerUpdateParams, key: string): Promise<Written<Stripe.Customer>>;
  updateCharge(id: string, p: Stripe.ChargeUpdateParams, key: string): Promise<Written<Stripe.Charge>>;
  createSetupIntent(p: Stripe.SetupIntentCreateParams, key: string): Promise<Written<Stripe.SetupIntent>>;
  detachPaymentMethod(id: string, key: string): Promise<Written<Stripe.PaymentMethod>>;
  retrieveSetupIntent(id: string): Promise<Stripe.SetupIntent>;
  retrievePaymentMethod(id: string): Promise<Stripe.PaymentMethod>;
  /** The console's SetupIntents and the customers' saved cards, for a rebuild from Stripe's records. */
  listSetupIntents(p: Stripe.SetupIntentListParams): Promise<Stripe.ApiList<Stripe.SetupIntent>>;
  listCustomerPaymentMethods(
    customer: string,
    p: Stripe.CustomerListPaymentMethodsParams,
  ): Promise<Stripe.ApiList<Stripe.PaymentMethod>>;
  retrieveProduct(id: string): Promise<Stripe.Product>;
  listProducts(p: Stripe.ProductListParams): Promise<Stripe.ApiList<Stripe.Product>>;
  listCustomers(p: Stripe.CustomerListParams): Promise<Stripe.ApiList<Stripe.Customer>>;
  listCharges(p: Stripe.ChargeListParams): Promise<Stripe.ApiList<Stripe.Charge>>;
  listDisputes(p: Stripe.DisputeListParams): Promise<Stripe.ApiList<Stripe.Dispute>>;
  listEarlyFraudWarnings(
    p: Stripe.Radar.EarlyFraudWarningListParams,
  ): Promise<Stripe.ApiList<Stripe.Radar.EarlyFraudWarning>>;
  /** Used by the demo catalog's seeding, which takes the SDK client itself. */
  readonly client: Stripe;
  retrievePaymentIntent(id: string): Promise<Stripe.PaymentIntent>;
  retrieveCharge(id: string): Promise<Stripe.Charge>;
  listEvents(p: Stripe.EventListParams): Promise<Stripe.ApiList<Stripe.Event>>;
  listPaymentIntents(p: Stripe.PaymentIntentListParams): Promise<Stripe.ApiList<Stripe.PaymentIntent>>;
  listRefunds(p: Stripe.RefundListParams): Promise<Stripe.ApiList<Stripe.Refund>>;
  /** Stripe Tax (electron/core/stripe/stripe-tax.ts): a calculation is a POST, so it takes a key too. */
  createTaxCalculation(
    p: Stripe.Tax.CalculationCreateParams,
    key: string,
  ): Promise<Written<Stripe.Tax.Calculation>>;
  listTaxCalculationLineItems(
    id: string,
    p: Stripe.Tax.CalculationListLineItemsParams,
  ): Promise<Stripe.ApiList<Stripe.Tax.CalculationLineItem>>;
  findTaxAssociation(paymentIntent: string): Promise<Stripe.Tax.Association>;
  /** A calculation as it was made (its address and shipping), to price part of its order anew. */
  retrieveTaxCalculation(id: string): Promise<Stripe.Tax.Calculation>;
  /** Verify a forwarded webhook against the raw body; throws on a bad signature. */
  constructWebhookEvent(
    rawBody: string | Buffer,
    signature: string,
    secret: string,
    toleranceSeconds?: number,
  ): Stripe.Event;
}

const withId = <T>(object: T & { lastResponse?: { requestId?: string } }): Written<T> => ({
  object,
  requestId: object.lastResponse?.requestId ?? null,
});

export function modeForKey(secretKey: string): 'test' | 'live' {
  return /^(sk|rk)_live_/.test(secretKey) ? 'live' : 'test';
}

export function createStripeGateway(config: GatewayConfig): StripeGateway {
  const stripe = new Stripe(config.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: config.maxNetworkRetries ?? 2,
    timeout: config.timeoutMs ?? 20_000,
    telemetry: false,
    appInfo: { name: 'merchant-console', version: '0.1.0' },
    ...(config.host ? { host: config.host } : {}),
    ...(config.port ? { port: config.port } : {}),
    ...(config.protocol ? { protocol: config.protocol } : {}),
  });
  const pi = stripe.paymentIntents;
  return {
    mode: config.mode,
    createPaymentIntent: async (p, key) => withId(await pi.create(p, { idempotencyKey: key })),
    updatePaymentIntent: async (id, p, key) => withId(await pi.update(id, p, { idempotencyKey: key })),
    confirmPaymentIntent: async (id, p, key) => withId(await pi.confirm(id, p, { idempotencyKey: key })),
    capturePaymentIntent: async (id, p, key) => withId(await pi.capture(id, p, { idempotencyKey: key })),
    cancelPaymentIntent: async (id, p, key) => withId(await pi.cancel(id, p, { idempotencyKey: key })),
    createRefund: async (p, key) => withId(await stripe.refunds.create(p, { idempotencyKey: key })),
    createProduct: async (p, key) => withId(await stripe.products.create(p, { idempotencyKey: key })),
    updateProduct: async (id, p, key) => withId(await stripe.products.update(id, p, { idempotencyKey: key })),
    createPrice: async (p, key) => withId(await stripe.prices.create(p, { idempotencyKey: key })),
    updatePrice: async (id, p, key) => withId(await stripe.prices.update(id, p, { idempotencyKey: key })),
    createCustomer: async (p, key) => withId(await stripe.customers.create(p, { idempotencyKey: key })),
    updateCustomer: async (id, p, key) =>
      withId(await stripe.customers.update(id, p, { idempotencyKey: key })),
    updateCharge: async (id, p, key) => withId(await stripe.charges.update(id, p, { idempotencyKey: key })),
    createSetupIntent: async (p, key) => withId(await stripe.setupIntents.create(p, { idempotencyKey: key })),
    detachPaymentMethod: async (id, key) =>
      withId(await stripe.paymentMethods.detach(id, {}, { idempotencyKey: key })),
    retrieveSetupIntent: (id) => stripe.setupIntents.retrieve(id),
    retrievePaymentMethod: (id) => stripe.paymentMethods.retrieve(id),
    listSetupIntents: (p) => stripe.setupIntents.list(p),
    listCustomerPaymentMethods: (customer, p) => stripe.customers.listPaymentMethods(customer, p),
    retrieveProduct: (id) => stripe.products.retrieve(id, { expand: ['default_price'] }),
    listProducts: (p) => stripe.products.list(p),
    listCustomers: (p) => stripe.customers.list(p),
    listCharges: (p) => stripe.charges.list(p),
    listDisputes: (p) => stripe.disputes.list(p),
    listEarlyFraudWarnings: (p) => stripe.radar.earlyFraudWarnings.list(p),
    client: stripe,
    retrievePaymentIntent: (id) => pi.retrieve(id, { expand: ['latest_charge'] }),
    retrieveCharge: (id) => stripe.charges.retrieve(id),
    listEvents: (p) => stripe.events.list(p),
    listPaymentIntents: (p) => pi.list(p),
    listRefunds: (p) => stripe.refunds.list(p),
    createTaxCalculation: async (p, key) =>
      withId(await stripe.tax.calculations.create(p, { idempotencyKey: key })),
    listTaxCalculationLineItems: (id, p) => stripe.tax.calculations.listLineItems(id, p),
    findTaxAssociation: (paymentIntent) => stripe.tax.associations.find({ payment_intent: paymentIntent }),
    retrieveTaxCalculation: (id) => stripe.tax.calculations.retrieve(id),
    constructWebhookEvent: (raw, sig, secret, tolerance = 300) =>
      stripe.webhooks.constructEvent(raw, sig, secret, tolerance),
  };
}

// ------------------------------------------------------------------------------------ error classification

export type StripeFailure =
  /** The card was refused (402): a result to show staff. The request executed; the PI exists. */
  | {
      kind: 'card';
      code: string;
      declineCode: string | null;
      message: string;
      paymentIntent: Stripe.PaymentIntent | null;
    }
  /** Stripe refused the request (400/403/404): definitive, retrying the same request can't help. */
  | { kind: 'rejected'; status: number; code: string | null; message: string; param: string | null }
  /** The key is wrong or revoked (401). */
  | { kind: 'auth'; message: string }
  /** Rate limited (429): Stripe did not execute it; retry later with the same key. */
  | { kind: 'rate_limited'; message: string }
  /** No answer, 409 or 5xx after the SDK's own retries: the outcome is unknown until read back. */
  | { kind: 'unknown'; message: string };

export function classifyStripeError(e: unknown): StripeFailure {
  const E = Stripe.errors;
  if (e instanceof E.StripeCardError) {
    const raw = e.raw as { payment_intent?: Stripe.PaymentIntent } | undefined;
    return {
      kind: 'card',
      code: e.code ?? 'card_declined',
      declineCode: e.decline_code ?? null,
      message: e.message,
      paymentIntent: raw?.payment_intent ?? e.payment_intent ?? null,
    };
  }
  if (e instanceof E.StripeAuthenticationError) return { kind: 'auth', message: e.message };
  if (e instanceof E.StripeRateLimitError) return { kind: 'rate_limited', message: e.message };
  if (e instanceof E.StripeConnectionError) return { kind: 'unknown', message: e.message };
  if (e instanceof E.StripeAPIError) return { kind: 'unknown', message: e.message };
  if (e instanceof E.StripeError) {
    const status = e.statusCode ?? 0;
    if (status === 409 || status >= 500 || status === 0) return { kind: 'unknown', message: e.message };
    return { kind: 'rejected', status, code: e.code ?? null, message: e.message, param: e.param ?? null };
  }
  return { kind: 'unknown', message: e instanceof Error ? e.message : String(e) };
}
