/** Stripe's error envelope (docs.stripe.com/api/errors) and the emulator's typed error. */
import type Stripe from 'stripe';

export type StripeErrorType =
  | 'api_error'
  | 'card_error'
  | 'idempotency_error'
  | 'invalid_request_error'
  | 'rate_limit_error'
  | 'authentication_error';

export interface ErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  request_log_url?: string;
  charge?: string;
  payment_intent?: Stripe.PaymentIntent;
  payment_method?: Stripe.PaymentMethod;
  setup_intent?: Stripe.SetupIntent;
  advice_code?: string;
  network_decline_code?: string;
}

export class StripeApiError extends Error {
  readonly status: number;
  readonly body: ErrorBody;
  /**
   * True for failures detected before the endpoint started executing (parameter validation). Stripe does not
   * save an idempotent result for those.
   */
  readonly beforeExecution: boolean;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    body: ErrorBody,
    opts: { beforeExecution?: boolean; headers?: Record<string, string> } = {},
  ) {
    super(body.message);
    this.status = status;
    this.body = body;
    this.beforeExecution = opts.beforeExecution ?? false;
    this.headers = opts.headers ?? {};
  }
}

export function docUrl(code: string): string {
  return `https://docs.stripe.com/error-codes/${code.replace(/_/g, '-')}`;
}

export function invalidRequest(
  message: string,
  extra: { code?: string; param?: string; status?: number; beforeExecution?: boolean } = {},
): StripeApiError {
  const body: ErrorBody = { type: 'invalid_request_error', message };
  if (extra.code) {
    body.code = extra.code;
    body.doc_url = docUrl(extra.code);
  }
  if (extra.param) body.param = extra.param;
  return new StripeApiError(extra.status ?? 400, body, { beforeExecution: extra.beforeExecution ?? false });
}

/** A parameter validation error: never saved by the idempotency layer. */
export function paramError(code: string, message: string, param?: string): StripeApiError {
  return invalidRequest(message, { code, ...(param !== undefined ? { param } : {}), beforeExecution: true });
}

export function resourceMissing(kind: string, id: string, param = 'id'): StripeApiError {
  return invalidRequest(`No such ${kind}: '${id}'`, { code: 'resource_missing', param, status: 404 });
}

export function unexpectedState(message: string): StripeApiError {
  return invalidRequest(message, { code: 'payment_intent_unexpected_state' });
}

/** Serialises an error into Stripe's envelope, adding request_log_url. */
export function errorEnvelope(body: ErrorBody, requestId: string): string {
  const out: ErrorBody = { ...body };
  out.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
  return JSON.stringify({ error: out });
}
