/**
 * The Stripe API logic: resources, the PaymentIntent state machine, events. Transport-free (see server.ts);
 * every handler takes validated form parameters and returns an SDK-typed object (or a pre-serialised list).
 */
import type Stripe from 'stripe';
import {
  TEST_PAYMENT_METHODS,
  TEST_TOKENS,
  CURRENCIES,
  cardByNumber,
  formatAmount,
  minimumAmount,
} from './cards';
import type { CardBehaviour, TestCard } from './cards';
import {
  StripeApiError,
  docUrl,
  invalidRequest,
  paramError,
  resourceMissing,
  unexpectedState,
} from './errors';
import type { ErrorBody } from './errors';
import {
  makeBillingDetails,
  makeCharge,
  makeCustomer,
  makeDeletedCustomer,
  makeDeletedWebhookEndpoint,
  makePaymentIntent,
  makePaymentMethod,
  makeRefund,
  makeSetupIntent,
  makeWebhookEndpoint,
} from './factories';
import type { FormObject } from './form';
import { checkCursors, checkLimit, inRange, paginate } from './lists';
import type { Range } from './lists';
import { LIST_SPEC, validate } from './params';
import type { Params, SpecMap } from './params';
import { State, buildEventJson, clone, newId } from './state';
import type { EventRecord, Kind, ObjectTypes, Stored } from './state';

export interface EmulatorConfig {
  authorizationWindowSeconds: number;
  /**
   * cancellation_reason set on a PaymentIntent whose authorization expired. [unverified] Stripe's docs do not
   * say whether it is 'automatic' or 'expired'; we assume 'automatic'.
   */
  expiryCancellationReason: Stripe.PaymentIntent.CancellationReason;
}

export interface RequestCtx {
  requestId: string | null;
  idempotencyKey: string | null;
}

/** Stripe-initiated change (expiry, customer's 3DS step): both request fields null. */
export const SYSTEM_CTX: RequestCtx = { requestId: null, idempotencyKey: null };

export interface ClockSource {
  nowMs(): number;
}

export type EventListener = (e: EventRecord) => void;

const DAY = 86_400;
const EVENT_RETENTION_SECONDS = 30 * DAY;

type Handler = (params: FormObject, ctx: RequestCtx, m: RegExpExecArray) => unknown;
interface Route {
  method: string;
  re: RegExp;
  handler: Handler;
}

/** A pre-serialised JSON response (fast path for event lists). */
export class RawJson {
  constructor(readonly json: string) {}
}

const PM_OPTIONS_SPEC: SpecMap = {
  card: {
    object: {
      moto: 'boolean',
      capture_method: { enum: ['manual'], nullable: true },
      request_three_d_secure: { enum: ['automatic', 'any', 'challenge'] },
      setup_future_usage: { enum: ['none', 'off_session', 'on_session'], nullable: true },
      cvc_token: 'string',
      network: 'string',
      statement_descriptor_suffix_kana: 'string',
      statement_descriptor_suffix_kanji: 'string',
    },
    nullable: true,
  },
};
const ADDRESS_SPEC: SpecMap = {
  city: 'nullable_string',
  country: 'nullable_string',
  line1: 'nullable_string',
  line2: 'nullable_string',
  postal_code: 'nullable_string',
  state: 'nullable_string',
};
const SHIPPING_SPEC: SpecMap = {
  address: { object: ADDRESS_SPEC },
  name: 'string',
  phone: 'nullable_string',
  carrier: 'nullable_string',
  tracking_number: 'nullable_string',
};
const BILLING_SPEC: SpecMap = {
  address: { object: ADDRESS_SPEC, nullable: true },
  email: 'nullable_string',
  name: 'nullable_string',
  phone: 'nullable_string',
  tax_id: 'nullable_string',
};
const EXPAND = { array: 'string' } as const;
const SFU = { enum: ['on_session', 'off_session'], nullable: true } as const;

const PI_CREATE_SPEC: SpecMap = {
  amount: 'integer',
  currency: 'string',
  customer: 'string',
  payment_method: 'string',
  confirm: 'boolean',
  capture_method: { enum: ['automatic', 'automatic_async', 'manual'] },
  confirmation_method: { enum: ['automatic', 'manual'] },
  metadata: 'metadata',
  description: 'nullable_string',
  statement_descriptor: 'string',
  statement_descriptor_suffix: 'string',
  receipt_email: 'nullable_string',
  setup_future_usage: SFU,
  off_session: 'string',
  error_on_requires_action: 'boolean',
  return_url: 'string',
  payment_method_types: { array: 'string' },
  allowed_payment_method_types: { array: 'string' },
  excluded_payment_method_types: { array: 'string' },
  payment_method_options: { object: PM_OPTIONS_SPEC },
  automatic_payment_methods: {
    object: { enabled: 'boolean', allow_redirects: { enum: ['always', 'never'] } },
  },
  shipping: { object: SHIPPING_SPEC, nullable: true },
  transfer_group: 'string',
  use_stripe_sdk: 'boolean',
  mandate_data: 'any',
  expand: EXPAND,
};
const PI_UPDATE_SPEC: SpecMap = {
  amount: 'integer',
  currency: 'string',
  customer: 'nullable_string',
  payment_method: 'nullable_string',
  capture_method: { enum: ['automatic', 'automatic_async', 'manual'] },
  metadata: 'metadata',
  description: 'nullable_string',
  statement_descriptor: 'nullable_string',
  statement_descriptor_suffix: 'nullable_string',
  receipt_email: 'nullable_string',
  setup_future_usage: SFU,
  payment_method_types: { array: 'string' },
  allowed_payment_method_types: { array: 'string' },
  excluded_payment_method_types: { array: 'string' },
  payment_method_options: { object: PM_OPTIONS_SPEC },
  shipping: { object: SHIPPING_SPEC, nullable: true },
  transfer_group: 'string',
  expand: EXPAND,
};
const PI_CONFIRM_SPEC: SpecMap = {
  payment_method: 'string',
  return_url: 'string',
  off_session: 'string',
  error_on_requires_action: 'boolean',
  setup_future_usage: SFU,
  capture_method: { enum: ['automatic', 'automatic_async', 'manual'] },
  receipt_email: 'nullable_string',
  payment_method_options: { object: PM_OPTIONS_SPEC },
  payment_method_types: { array: 'string' },
  allowed_payment_method_types: { array: 'string' },
  excluded_payment_method_types: { array: 'string' },
  shipping: { object: SHIPPING_SPEC, nullable: true },
  use_stripe_sdk: 'boolean',
  mandate_data: 'any',
  expand: EXPAND,
};

export class Emulator {
  readonly state = new State();
  readonly routes: Route[] = [];
  baseUrl = 'http://127.0.0.1';
  /** Webhook dispatcher hook: number of endpoints an event goes to, and what to do once it is stored. */
  endpointsFor: (type: string) => number = () => 0;
  onEvent: EventListener = () => {};

  constructor(
    private readonly clock: ClockSource,
    readonly config: EmulatorConfig,
  ) {
    this.registerRoutes();
  }

  nowMs(): number {
    return this.clock.nowMs();
  }
  nowSec(): number {
    return Math.floor(this.clock.nowMs() / 1000);
  }

  // ---------------------------------------------------------------- events

  emit(
    type: string,
    obj: { id: string },
    ctx: RequestCtx,
    prev: Record<string, unknown> | null = null,
    created = this.nowSec(),
  ): EventRecord {
    const e: EventRecord = {
      id: newId('evt'),
      seq: this.state.events.length + 1,
      type,
      created,
      objectJson: JSON.stringify(obj),
      prevJson: prev === null ? null : JSON.stringify(prev),
      request: { id: ctx.requestId, idempotency_key: ctx.idempotencyKey },
      pending: this.endpointsFor(type),
      json: '',
    };
    e.json = buildEventJson(e);
    this.state.addEvent(e);
    this.onEvent(e);
    return e;
  }

  /** Lazy, clock-driven work: authorization expiry and idempotency key TTL. Called before every request. */
  tick(): void {
    const now = this.nowSec();
    if (this.state.holds.size > 0) {
      const due: Array<[string, number]> = [];
      for (const [id, before] of this.state.holds) if (before <= now) due.push([id, before]);
      due.sort((a, b) => a[1] - b[1]);
      for (const [id, before] of due) this.expireHold(id, before);
    }
  }

  private expireHold(piId: string, at: number): void {
    this.state.holds.delete(piId);
    const s = this.state.get('payment_intent', piId);
    if (!s || s.obj.status !== 'requires_capture') return;
    const pi = s.obj;
    const chId = typeof pi.latest_charge === 'string' ? pi.latest_charge : null;
    const ch = chId ? this.state.get('charge', chId) : undefined;
    if (ch) {
      // The authorization lapses and the funds are released: shown like a refund of the uncaptured amount
      // (same representation as cancelling a hold). [unverified] exact charge fields after expiry.
      const prev = { amount_refunded: ch.obj.amount_refunded, refunded: ch.obj.refunded };
      ch.obj.amount_refunded = ch.obj.amount;
      ch.obj.refunded = true;
      this.state.touch(ch.obj.id);
      this.emit('charge.expired', ch.obj, SYSTEM_CTX, prev, at);
    }
    const prev = {
      status: pi.status,
      amount_capturable: pi.amount_capturable,
      canceled_at: null,
      cancellation_reason: null,
    };
    pi.status = 'canceled';
    pi.amount_capturable = 0;
    pi.canceled_at = at;
    pi.cancellation_reason = this.config.expiryCancellationReason;
    this.state.touch(pi.id);
    this.emit('payment_intent.canceled', pi, SYSTEM_CTX, prev, at);
  }

  // ---------------------------------------------------------------- routing

  private on(method: string, path: string, handler: Handler): void {
    const re = new RegExp('^' + path.replace(/:(\w+)/g, '([^/]+)') + '$');
    this.routes.push({ method, re, handler });
  }

  /** Finds the route for a request; undefined → unknown URL. */
  match(method: string, path: string): { handler: Handler; m: RegExpExecArray } | undefined {
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.re.exec(path);
      if (m) return { handler: r.handler, m };
    }
    return undefined;
  }

  /** Whether any route exists for the path with another method (for Stripe's 404 message). */
  private registerRoutes(): void {
    // Customers
    this.on('POST', '/v1/customers', (p, c) => this.createCustomer(p, c));
    this.on('GET', '/v1/customers', (p) => this.listCustomers(p));
    this.on('GET', '/v1/customers/:id', (p, _c, m) => this.retrieveCustomer(p, id(m)));
    this.on('POST', '/v1/customers/:id', (p, c, m) => this.updateCustomer(p, c, id(m)));
    this.on('DELETE', '/v1/customers/:id', (p, c, m) => this.deleteCustomer(p, c, id(m)));
    this.on('GET', '/v1/customers/:id/payment_methods', (p, _c, m) => this.listPaymentMethods(p, id(m)));
    // PaymentMethods
    this.on('POST', '/v1/payment_methods', (p, c) => this.createPaymentMethod(p, c));
    this.on('GET', '/v1/payment_methods', (p) => this.listPaymentMethods(p));
    this.on('GET', '/v1/payment_methods/:id', (p, c, m) => this.retrievePaymentMethod(p, c, id(m)));
    this.on('POST', '/v1/payment_methods/:id', (p, c, m) => this.updatePaymentMethod(p, c, id(m)));
    this.on('POST', '/v1/payment_methods/:id/attach', (p, c, m) => this.attachPaymentMethod(p, c, id(m)));
    this.on('POST', '/v1/payment_methods/:id/detach', (p, c, m) => this.detachPaymentMethod(p, c, id(m)));
    // PaymentIntents
    this.on('POST', '/v1/payment_intents', (p, c) => this.createPaymentIntent(p, c));
    this.on('GET', '/v1/payment_intents', (p) => this.listPaymentIntents(p));
    this.on('GET', '/v1/payment_intents/:id', (p, _c, m) => this.retrievePaymentIntent(p, id(m)));
    this.on('POST', '/v1/payment_intents/:id', (p, c, m) => this.updatePaymentIntent(p, c, id(m)));
    this.on('POST', '/v1/payment_intents/:id/confirm', (p, c, m) => this.confirmPaymentIntent(p, c, id(m)));
    this.on('POST', '/v1/payment_intents/:id/capture', (p, c, m) => this.capturePaymentIntent(p, c, id(m)));
    this.on('POST', '/v1/payment_intents/:id/cancel', (p, c, m) => this.cancelPaymentIntent(p, c, id(m)));
    // SetupIntents
    this.on('POST', '/v1/setup_intents', (p, c) => this.createSetupIntent(p, c));
    this.on('GET', '/v1/setup_intents', (p) => this.listSetupIntents(p));
    this.on('GET', '/v1/setup_intents/:id', (p, _c, m) => this.retrieveSimple('setup_intent', p, id(m)));
    this.on('POST', '/v1/setup_intents/:id', (p, c, m) => this.updateSetupIntent(p, c, id(m)));
    this.on('POST', '/v1/setup_intents/:id/confirm', (p, c, m) => this.confirmSetupIntent(p, c, id(m)));
    this.on('POST', '/v1/setup_intents/:id/cancel', (p, c, m) => this.cancelSetupIntent(p, c, id(m)));
    // Charges
    this.on('GET', '/v1/charges', (p) => this.listCharges(p));
    this.on('GET', '/v1/charges/:id', (p, _c, m) => this.retrieveSimple('charge', p, id(m)));
    // Refunds
    this.on('POST', '/v1/refunds', (p, c) => this.createRefund(p, c));
    this.on('GET', '/v1/refunds', (p) => this.listRefunds(p));
    this.on('GET', '/v1/refunds/:id', (p, _c, m) => this.retrieveSimple('refund', p, id(m)));
    // Events
    this.on('GET', '/v1/events', (p) => this.listEvents(p));
    this.on('GET', '/v1/events/:id', (p, _c, m) => this.retrieveEvent(p, id(m)));
    // Webhook endpoints
    this.on('POST', '/v1/webhook_endpoints', (p, c) => this.createWebhookEndpoint(p, c));
    this.on('GET', '/v1/webhook_endpoints', (p) =>
      this.listSimple('webhook_endpoint', p, '/v1/webhook_endpoints'),
    );
    this.on('GET', '/v1/webhook_endpoints/:id', (p, _c, m) =>
      this.retrieveSimple('webhook_endpoint', p, id(m)),
    );
    this.on('POST', '/v1/webhook_endpoints/:id', (p, _c, m) => this.updateWebhookEndpoint(p, id(m)));
    this.on('DELETE', '/v1/webhook_endpoints/:id', (p, _c, m) => this.deleteWebhookEndpoint(p, id(m)));
  }

  // ---------------------------------------------------------------- shared helpers

  private require<K extends Kind>(kind: K, objId: string, param = 'id', status = 404): Stored<K> {
    const s = this.state.get(kind, objId);
    if (!s || s.internal.deleted) {
      const err = resourceMissing(kind, objId, param);
      if (status !== 404) return throwWithStatus(err, status);
      throw err;
    }
    return s;
  }

  /** Applies `expand[]` paths to a deep copy of obj. */
  expand<T>(obj: T, paths: unknown): T {
    const list = (paths as string[] | undefined) ?? [];
    if (list.length === 0) return obj;
    const copy = clone(obj) as Record<string, unknown>;
    for (const path of list) this.expandPath(copy, path.split('.'), path);
    return copy as T;
  }

  private expandPath(target: Record<string, unknown>, parts: string[], full: string): void {
    const [head, ...rest] = parts;
    if (head === undefined) return;
    if (!(head in target)) {
      throw invalidRequest(`This property cannot be expanded (${full}).`, { param: 'expand' });
    }
    let v = target[head];
    if (v === null) return;
    if (typeof v === 'string') {
      const s = this.state.objects.get(v);
      if (!s) {
        throw invalidRequest(`This property cannot be expanded (${full}).`, { param: 'expand' });
      }
      v = s.internal.deleted ? makeDeletedCustomer(s.obj.id) : clone(s.obj);
      target[head] = v;
    }
    if (rest.length === 0) return;
    if (Array.isArray(v)) {
      for (const item of v)
        if (item && typeof item === 'object') this.expandPath(item as Record<string, unknown>, rest, full);
    } else if (v && typeof v === 'object') {
      this.expandPath(v as Record<string, unknown>, rest, full);
    }
  }

  private listOf<K extends Kind>(
    kind: K,
    params: Params,
    url: string,
    filter: (o: ObjectTypes[K], s: Stored<K>) => boolean = () => true,
  ): Stripe.ApiList<ObjectTypes[K]> {
    checkCursors(params);
    const limit = checkLimit(params.limit);
    const ids = this.state.order[kind];
    const cursorPos = (cursor: unknown, param: string): number | undefined => {
      if (cursor === undefined) return undefined;
      const pos = ids.lastIndexOf(cursor as string);
      if (pos < 0) throw resourceMissing(kind, cursor as string, param);
      return pos;
    };
    const created = params.created as Range | undefined;
    const page = paginate(
      ids.length,
      {
        limit,
        ...(params.starting_after !== undefined
          ? { startingAfter: cursorPos(params.starting_after, 'starting_after') }
          : {}),
        ...(params.ending_before !== undefined
          ? { endingBefore: cursorPos(params.ending_before, 'ending_before') }
          : {}),
      },
      (pos) => {
        const s = this.state.objects.get(ids[pos] as string) as Stored<K> | undefined;
        if (!s || s.internal.deleted) return false;
        return inRange((s.obj as { created: number }).created, created) && filter(s.obj, s);
      },
    );
    const expandPaths = ((params.expand as string[] | undefined) ?? []).map((p) => {
      if (!p.startsWith('data.'))
        throw invalidRequest(`This property cannot be expanded (${p}).`, { param: 'expand' });
      return p.slice(5);
    });
    const data = page.positions.map((pos) => {
      const obj = (this.state.objects.get(ids[pos] as string) as Stored<K>).obj;
      return expandPaths.length ? this.expand(obj, expandPaths) : obj;
    });
    return { object: 'list', data, has_more: page.hasMore, url };
  }

  private retrieveSimple<K extends Kind>(kind: K, form: FormObject, objId: string): ObjectTypes[K] {
    const p = validate({ expand: EXPAND }, form);
    return this.expand(this.require(kind, objId).obj, p.expand);
  }

  private listSimple<K extends Kind>(kind: K, form: FormObject, url: string): Stripe.ApiList<ObjectTypes[K]> {
    return this.listOf(kind, validate(LIST_SPEC, form), url);
  }

  private customerRef(idOrNull: unknown, param = 'customer'): string | null {
    if (idOrNull === undefined || idOrNull === null) return null;
    const s = this.state.get('customer', idOrNull as string);
    if (!s || s.internal.deleted) throw resourceMissing('customer', idOrNull as string, param);
    return s.obj.id;
  }

  // ---------------------------------------------------------------- customers

  private createCustomer(form: FormObject, ctx: RequestCtx): Stripe.Customer {
    const p = validate(
      {
        email: 'nullable_string',
        name: 'nullable_string',
        description: 'nullable_string',
        phone: 'nullable_string',
        metadata: 'metadata',
        address: { object: ADDRESS_SPEC, nullable: true },
        shipping: { object: SHIPPING_SPEC, nullable: true },
        payment_method: 'string',
        invoice_settings: { object: { default_payment_method: 'nullable_string' } },
        preferred_locales: { array: 'string' },
        expand: EXPAND,
      },
      form,
    );
    const cus = makeCustomer(newId('cus', 14), this.nowSec(), {
      email: (p.email as string | null) ?? null,
      name: (p.name as string | null) ?? null,
      description: (p.description as string | null) ?? null,
      phone: (p.phone as string | null) ?? null,
      metadata: cleanMetadata(p.metadata),
      address: (p.address as Stripe.Address | null) ?? null,
      shipping: (p.shipping as Stripe.Customer.Shipping | null) ?? null,
      preferred_locales: (p.preferred_locales as string[] | undefined) ?? [],
    });
    this.state.insert('customer', cus);
    this.emit('customer.created', cus, ctx);
    if (p.payment_method !== undefined) {
      this.attach(this.resolvePaymentMethod(p.payment_method as string, 'payment_method'), cus.id, ctx);
    }
    const dpm = (p.invoice_settings as { default_payment_method?: string | null } | undefined)
      ?.default_payment_method;
    if (dpm) {
      this.require('payment_method', dpm, 'invoice_settings[default_payment_method]', 400);
      cus.invoice_settings.default_payment_method = dpm;
    }
    return this.expand(cus, p.expand);
  }

  private retrieveCustomer(form: FormObject, cusId: string): Stripe.Customer | Stripe.DeletedCustomer {
    const p = validate({ expand: EXPAND }, form);
    const s = this.state.get('customer', cusId);
    if (!s) throw resourceMissing('customer', cusId);
    if (s.internal.deleted) return makeDeletedCustomer(cusId);
    return this.expand(s.obj, p.expand);
  }

  private updateCustomer(form: FormObject, ctx: RequestCtx, cusId: string): Stripe.Customer {
    const p = validate(
      {
        email: 'nullable_string',
        name: 'nullable_string',
        description: 'nullable_string',
        phone: 'nullable_string',
        metadata: 'metadata',
        address: { object: ADDRESS_SPEC, nullable: true },
        shipping: { object: SHIPPING_SPEC, nullable: true },
        invoice_settings: { object: { default_payment_method: 'nullable_string' } },
        preferred_locales: { array: 'string' },
        expand: EXPAND,
      },
      form,
    );
    const s = this.require('customer', cusId);
    const cus = s.obj;
    const prev: Record<string, unknown> = {};
    const set = <F extends keyof Stripe.Customer>(field: F, value: Stripe.Customer[F]): void => {
      if (JSON.stringify(cus[field]) !== JSON.stringify(value)) {
        prev[field] = cus[field] ?? null;
        cus[field] = value;
      }
    };
    for (const f of ['email', 'name', 'description', 'phone', 'address', 'shipping'] as const) {
      if (p[f] !== undefined) set(f, p[f] as never);
    }
    if (p.preferred_locales !== undefined) set('preferred_locales', p.preferred_locales as string[]);
    if (p.metadata !== undefined) set('metadata', mergeMetadata(cus.metadata, p.metadata));
    const is = p.invoice_settings as { default_payment_method?: string | null } | undefined;
    if (is && is.default_payment_method !== undefined) {
      if (is.default_payment_method !== null) {
        this.require(
          'payment_method',
          is.default_payment_method,
          'invoice_settings[default_payment_method]',
          400,
        );
      }
      set('invoice_settings', { ...cus.invoice_settings, default_payment_method: is.default_payment_method });
    }
    if (Object.keys(prev).length > 0) {
      this.state.touch(cus.id);
      this.emit('customer.updated', cus, ctx, prev);
    }
    return this.expand(cus, p.expand);
  }

  private deleteCustomer(form: FormObject, ctx: RequestCtx, cusId: string): Stripe.DeletedCustomer {
    validate({}, form);
    const s = this.require('customer', cusId);
    s.internal.deleted = true;
    this.state.touch(cusId);
    this.emit('customer.deleted', s.obj, ctx);
    return makeDeletedCustomer(cusId);
  }

  private listCustomers(form: FormObject): Stripe.ApiList<Stripe.Customer> {
    const p = validate({ ...LIST_SPEC, email: 'string' }, form);
    return this.listOf('customer', p, '/v1/customers', (c) => p.email === undefined || c.email === p.email);
  }

  // ---------------------------------------------------------------- payment methods

  private newPaymentMethod(
    card: TestCard,
    opts: Parameters<typeof makePaymentMethod>[3] = {},
  ): Stored<'payment_method'> {
    const pm = makePaymentMethod(newId('pm'), this.nowSec(), card, opts);
    return this.state.insert('payment_method', pm, { card });
  }

  /** Resolves a PaymentMethod id, turning `pm_card_*` test ids into a fresh PaymentMethod like Stripe does. */
  resolvePaymentMethod(pmId: string, param: string): Stored<'payment_method'> {
    const test = TEST_PAYMENT_METHODS[pmId];
    if (test) return this.newPaymentMethod(test);
    const s = this.state.get('payment_method', pmId);
    if (!s) throw invalidRequest(`No such PaymentMethod: '${pmId}'`, { code: 'resource_missing', param });
    return s;
  }

  private createPaymentMethod(form: FormObject, ctx: RequestCtx): Stripe.PaymentMethod {
    void ctx;
    const p = validate(
      {
        type: { enum: ['card'] },
        card: {
          object: {
            number: 'string',
            exp_month: 'integer',
            exp_year: 'integer',
            cvc: 'string',
            token: 'string',
          },
        },
        billing_details: { object: BILLING_SPEC },
        metadata: 'metadata',
        allow_redisplay: { enum: ['always', 'limited', 'unspecified'] },
        expand: EXPAND,
      },
      form,
      '',
      ['type'],
    );
    const c = p.card as
      { number?: string; exp_month?: number; exp_year?: number; token?: string } | undefined;
    if (!c) throw paramError('parameter_missing', 'Missing required param: card.', 'card');
    let card: TestCard | undefined;
    if (c.token !== undefined) {
      const key = TEST_TOKENS[c.token];
      if (!key)
        throw invalidRequest(`No such token: '${c.token}'`, {
          code: 'resource_missing',
          param: 'card[token]',
        });
      card = TEST_PAYMENT_METHODS[key];
    } else {
      if (c.number === undefined)
        throw paramError('parameter_missing', 'Missing required param: card[number].', 'card[number]');
      if (c.exp_month === undefined) {
        throw paramError('parameter_missing', 'Missing required param: card[exp_month].', 'card[exp_month]');
      }
      if (c.exp_year === undefined) {
        throw paramError('parameter_missing', 'Missing required param: card[exp_year].', 'card[exp_year]');
      }
      card = cardByNumber(c.number);
      if (!card)
        throw cardError({
          code: 'incorrect_number',
          message: 'Your card number is incorrect.',
          param: 'number',
        });
      if (c.exp_month < 1 || c.exp_month > 12) {
        throw cardError({
          code: 'invalid_expiry_month',
          message: "Your card's expiration month is invalid.",
          param: 'exp_month',
        });
      }
      const year = c.exp_year < 100 ? 2000 + c.exp_year : c.exp_year;
      const nowYear = new Date(this.nowMs()).getUTCFullYear();
      if (year < nowYear) {
        throw cardError({
          code: 'invalid_expiry_year',
          message: "Your card's expiration year is invalid.",
          param: 'exp_year',
        });
      }
    }
    if (!card) throw invalidRequest('Invalid card', { param: 'card' });
    const bd = p.billing_details as Partial<Stripe.PaymentMethod.BillingDetails> | undefined;
    const s = this.newPaymentMethod(card, {
      ...(c.exp_month !== undefined ? { exp_month: c.exp_month } : {}),
      ...(c.exp_year !== undefined ? { exp_year: c.exp_year < 100 ? 2000 + c.exp_year : c.exp_year } : {}),
      metadata: cleanMetadata(p.metadata),
      billing_details: makeBillingDetails(bd ?? {}),
    });
    if (p.allow_redisplay !== undefined)
      s.obj.allow_redisplay = p.allow_redisplay as Stripe.PaymentMethod.AllowRedisplay;
    return this.expand(s.obj, p.expand);
  }

  private retrievePaymentMethod(form: FormObject, ctx: RequestCtx, pmId: string): Stripe.PaymentMethod {
    void ctx;
    const p = validate({ expand: EXPAND }, form);
    if (TEST_PAYMENT_METHODS[pmId]) return this.expand(this.resolvePaymentMethod(pmId, 'id').obj, p.expand);
    return this.expand(this.require('payment_method', pmId).obj, p.expand);
  }

  private updatePaymentMethod(form: FormObject, ctx: RequestCtx, pmId: string): Stripe.PaymentMethod {
    const p = validate(
      {
        billing_details: { object: BILLING_SPEC },
        metadata: 'metadata',
        card: { object: { exp_month: 'integer', exp_year: 'integer' } },
        allow_redisplay: { enum: ['always', 'limited', 'unspecified'] },
        expand: EXPAND,
      },
      form,
    );
    const s = this.require('payment_method', pmId);
    const pm = s.obj;
    const prev: Record<string, unknown> = {};
    if (p.metadata !== undefined) {
      prev.metadata = pm.metadata;
      pm.metadata = mergeMetadata(pm.metadata ?? {}, p.metadata);
    }
    if (p.billing_details !== undefined) {
      prev.billing_details = pm.billing_details;
      pm.billing_details = makeBillingDetails({ ...pm.billing_details, ...(p.billing_details as object) });
    }
    const c = p.card as { exp_month?: number; exp_year?: number } | undefined;
    if (c && pm.card) {
      prev.card = clone(pm.card);
      if (c.exp_month !== undefined) pm.card.exp_month = c.exp_month;
      if (c.exp_year !== undefined) pm.card.exp_year = c.exp_year;
    }
    if (p.allow_redisplay !== undefined) {
      prev.allow_redisplay = pm.allow_redisplay;
      pm.allow_redisplay = p.allow_redisplay as Stripe.PaymentMethod.AllowRedisplay;
    }
    this.state.touch(pm.id);
    this.emit('payment_method.updated', pm, ctx, prev);
    return this.expand(pm, p.expand);
  }

  private attach(s: Stored<'payment_method'>, cusId: string, ctx: RequestCtx): void {
    const pm = s.obj;
    if (pm.customer === cusId) return;
    if (pm.customer !== null) {
      throw invalidRequest('The payment method you provided has already been attached to a customer.', {
        param: 'payment_method',
      });
    }
    pm.customer = cusId;
    this.state.touch(pm.id);
    this.emit('payment_method.attached', pm, ctx, { customer: null });
  }

  private attachPaymentMethod(form: FormObject, ctx: RequestCtx, pmId: string): Stripe.PaymentMethod {
    const p = validate({ customer: 'string', expand: EXPAND }, form, '', ['customer']);
    const cusId = this.customerRef(p.customer);
    const s = this.resolvePaymentMethod(pmId, 'payment_method');
    this.attach(s, cusId as string, ctx);
    return this.expand(s.obj, p.expand);
  }

  private detachPaymentMethod(form: FormObject, ctx: RequestCtx, pmId: string): Stripe.PaymentMethod {
    const p = validate({ expand: EXPAND }, form);
    const s = this.require('payment_method', pmId);
    const pm = s.obj;
    if (pm.customer === null) {
      throw invalidRequest(
        `The payment method you provided is not attached to a customer so detachment is impossible.`,
        {
          code: 'payment_method_unexpected_state',
        },
      );
    }
    const prev = { customer: pm.customer };
    pm.customer = null;
    this.state.touch(pm.id);
    this.emit('payment_method.detached', pm, ctx, prev);
    return this.expand(pm, p.expand);
  }

  private listPaymentMethods(form: FormObject, cusId?: string): Stripe.ApiList<Stripe.PaymentMethod> {
    const p = validate({ ...LIST_SPEC, customer: 'string', type: 'string', allow_redisplay: 'string' }, form);
    const customer = cusId ?? (p.customer as string | undefined);
    if (customer !== undefined)
      this.require('customer', customer, cusId ? 'id' : 'customer', cusId ? 404 : 400);
    return this.listOf(
      'payment_method',
      p,
      cusId ? `/v1/customers/${cusId}/payment_methods` : '/v1/payment_methods',
      (pm) =>
        (customer === undefined || pm.customer === customer) && (p.type === undefined || pm.type === p.type),
    );
  }

  // ---------------------------------------------------------------- payment intents

  private checkAmount(amount: number, currency: string, param = 'amount'): void {
    const min = minimumAmount(currency);
    if (amount < min) {
      throw new StripeApiError(
        400,
        {
          type: 'invalid_request_error',
          code: 'amount_too_small',
          doc_url: docUrl('amount_too_small'),
          message: `Amount must be at least ${formatAmount(min, currency)} ${currency}`,
          param,
        },
        { beforeExecution: true },
      );
    }
    if (amount > 99_999_999) {
      throw new StripeApiError(
        400,
        {
          type: 'invalid_request_error',
          code: 'amount_too_large',
          doc_url: docUrl('amount_too_large'),
          message: `Amount must be no more than ${formatAmount(99_999_999, currency)}`,
          param,
        },
        { beforeExecution: true },
      );
    }
  }

  private checkCurrency(currency: unknown): string {
    const c = String(currency).toLowerCase();
    if (!CURRENCIES.has(c))
      throw paramError('parameter_invalid_string', `Invalid currency: ${c}.`, 'currency');
    return c;
  }

  private createPaymentIntent(form: FormObject, ctx: RequestCtx): unknown {
    const p = validate(PI_CREATE_SPEC, form, '', ['amount', 'currency']);
    const currency = this.checkCurrency(p.currency);
    const amount = p.amount as number;
    this.checkAmount(amount, currency);
    const offSession = parseOffSession(p.off_session);
    if (offSession && p.confirm !== true) {
      throw paramError(
        'parameter_invalid_string',
        'off_session can only be used with confirm=true.',
        'off_session',
      );
    }
    if (p.error_on_requires_action !== undefined && p.confirm !== true) {
      throw paramError(
        'parameter_invalid_string',
        'error_on_requires_action can only be used with confirm=true.',
        'error_on_requires_action',
      );
    }
    if (p.return_url !== undefined && p.confirm !== true) {
      throw paramError(
        'parameter_invalid_string',
        'return_url can only be used with confirm=true.',
        'return_url',
      );
    }
    const customer = this.customerRef(p.customer);
    const pm =
      p.payment_method !== undefined
        ? this.resolvePaymentMethod(p.payment_method as string, 'payment_method')
        : null;
    if (pm) this.checkPmCustomer(pm, customer);
    const pmo = p.payment_method_options as { card?: { moto?: boolean } | null } | undefined;
    const pi = makePaymentIntent(
      newId('pi'),
      this.nowSec(),
      {
        amount,
        currency,
        customer,
        payment_method: pm ? pm.obj.id : null,
        capture_method:
          (p.capture_method as Stripe.PaymentIntent.CaptureMethod | undefined) ?? 'automatic_async',
        description: (p.description as string | null | undefined) ?? null,
        metadata: cleanMetadata(p.metadata),
        receipt_email: (p.receipt_email as string | null | undefined) ?? null,
        setup_future_usage:
          (p.setup_future_usage as Stripe.PaymentIntent.SetupFutureUsage | null | undefined) ?? null,
        statement_descriptor: (p.statement_descriptor as string | undefined) ?? null,
        statement_descriptor_suffix: (p.statement_descriptor_suffix as string | undefined) ?? null,
        payment_method_types: (p.allowed_payment_method_types as string[] | undefined) ??
          (p.payment_method_types as string[] | undefined) ?? ['card'],
        shipping: (p.shipping as Stripe.PaymentIntent.Shipping | null | undefined) ?? null,
        transfer_group: (p.transfer_group as string | undefined) ?? null,
      },
      '',
    );
    pi.client_secret = `${pi.id}_secret_${newId('x', 25).slice(2)}`;
    applyPmTypes(pi, p);
    if (p.confirmation_method !== undefined)
      pi.confirmation_method = p.confirmation_method as 'automatic' | 'manual';
    const s = this.state.insert('payment_intent', pi, { moto: pmo?.card?.moto === true });
    this.emit('payment_intent.created', pi, ctx);
    if (p.confirm === true) {
      this.runConfirm(s, ctx, {
        returnUrl: p.return_url as string | undefined,
        offSession,
        errorOnRequiresAction: p.error_on_requires_action === true,
      });
    }
    return this.expand(pi, p.expand);
  }

  private checkPmCustomer(pm: Stored<'payment_method'>, customer: string | null): void {
    const owner = pm.obj.customer;
    if (owner !== null && owner !== customer) {
      throw invalidRequest(
        customer === null
          ? `The provided PaymentMethod belongs to a Customer, but you did not provide a Customer. Please provide the Customer (${String(owner)}) that the PaymentMethod belongs to.`
          : `The provided PaymentMethod belongs to another Customer.`,
        { param: 'payment_method' },
      );
    }
  }

  private retrievePaymentIntent(form: FormObject, piId: string): Stripe.PaymentIntent {
    const p = validate({ expand: EXPAND, client_secret: 'string' }, form);
    return this.expand(this.require('payment_intent', piId).obj, p.expand);
  }

  private listPaymentIntents(form: FormObject): Stripe.ApiList<Stripe.PaymentIntent> {
    const p = validate({ ...LIST_SPEC, customer: 'string' }, form);
    return this.listOf(
      'payment_intent',
      p,
      '/v1/payment_intents',
      (pi) => p.customer === undefined || pi.customer === p.customer,
    );
  }

  private updatePaymentIntent(form: FormObject, ctx: RequestCtx, piId: string): Stripe.PaymentIntent {
    void ctx;
    const p = validate(PI_UPDATE_SPEC, form);
    const s = this.require('payment_intent', piId);
    const pi = s.obj;
    if (pi.status === 'succeeded' || pi.status === 'canceled' || pi.status === 'processing') {
      throw unexpectedState(
        `You cannot update this PaymentIntent because it has a status of ${pi.status}. Updates are only allowed when the PaymentIntent has a status of requires_payment_method, requires_confirmation, requires_action, or requires_capture.`,
      );
    }
    const currency = p.currency !== undefined ? this.checkCurrency(p.currency) : pi.currency;
    if (p.amount !== undefined || p.currency !== undefined) {
      if (pi.status === 'requires_capture') {
        throw unexpectedState(
          'You cannot update the amount or currency of a PaymentIntent with a status of requires_capture.',
        );
      }
      this.checkAmount((p.amount as number | undefined) ?? pi.amount, currency);
      pi.amount = (p.amount as number | undefined) ?? pi.amount;
      pi.currency = currency;
    }
    if (p.customer !== undefined) pi.customer = this.customerRef(p.customer);
    if (p.payment_method !== undefined) {
      if (p.payment_method === null) {
        pi.payment_method = null;
        if (pi.status !== 'requires_capture') pi.status = 'requires_payment_method';
      } else {
        const pm = this.resolvePaymentMethod(p.payment_method as string, 'payment_method');
        this.checkPmCustomer(pm, pi.customer as string | null);
        pi.payment_method = pm.obj.id;
        if (pi.status === 'requires_payment_method' || pi.status === 'requires_action') {
          pi.status = 'requires_confirmation';
          pi.next_action = null;
        }
      }
    }
    if (p.metadata !== undefined) pi.metadata = mergeMetadata(pi.metadata, p.metadata);
    if (p.description !== undefined) pi.description = p.description as string | null;
    if (p.receipt_email !== undefined) pi.receipt_email = p.receipt_email as string | null;
    if (p.setup_future_usage !== undefined)
      pi.setup_future_usage = p.setup_future_usage as Stripe.PaymentIntent.SetupFutureUsage | null;
    if (p.statement_descriptor !== undefined)
      pi.statement_descriptor = p.statement_descriptor as string | null;
    if (p.statement_descriptor_suffix !== undefined)
      pi.statement_descriptor_suffix = p.statement_descriptor_suffix as string | null;
    if (p.capture_method !== undefined)
      pi.capture_method = p.capture_method as Stripe.PaymentIntent.CaptureMethod;
    if (p.payment_method_types !== undefined) pi.payment_method_types = p.payment_method_types as string[];
    applyPmTypes(pi, p);
    if (p.shipping !== undefined) pi.shipping = p.shipping as Stripe.PaymentIntent.Shipping | null;
    if (p.transfer_group !== undefined) pi.transfer_group = p.transfer_group as string;
    const pmo = p.payment_method_options as { card?: { moto?: boolean } | null } | undefined;
    if (pmo?.card?.moto !== undefined) s.internal.moto = pmo.card.moto;
    this.state.touch(pi.id);
    return this.expand(pi, p.expand);
  }

  private confirmPaymentIntent(form: FormObject, ctx: RequestCtx, piId: string): Stripe.PaymentIntent {
    const p = validate(PI_CONFIRM_SPEC, form);
    const s = this.require('payment_intent', piId);
    const pi = s.obj;
    if (
      pi.status !== 'requires_payment_method' &&
      pi.status !== 'requires_confirmation' &&
      pi.status !== 'requires_action'
    ) {
      throw unexpectedState(
        `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_action, requires_payment_method.`,
      );
    }
    if (p.payment_method !== undefined) {
      const pm = this.resolvePaymentMethod(p.payment_method as string, 'payment_method');
      this.checkPmCustomer(pm, pi.customer as string | null);
      pi.payment_method = pm.obj.id;
    }
    if (p.setup_future_usage !== undefined)
      pi.setup_future_usage = p.setup_future_usage as Stripe.PaymentIntent.SetupFutureUsage | null;
    if (p.capture_method !== undefined)
      pi.capture_method = p.capture_method as Stripe.PaymentIntent.CaptureMethod;
    if (p.receipt_email !== undefined) pi.receipt_email = p.receipt_email as string | null;
    if (p.payment_method_types !== undefined) pi.payment_method_types = p.payment_method_types as string[];
    applyPmTypes(pi, p);
    if (p.shipping !== undefined) pi.shipping = p.shipping as Stripe.PaymentIntent.Shipping | null;
    const pmo = p.payment_method_options as { card?: { moto?: boolean } | null } | undefined;
    if (pmo?.card?.moto !== undefined) s.internal.moto = pmo.card.moto;
    this.runConfirm(s, ctx, {
      returnUrl: p.return_url as string | undefined,
      offSession: parseOffSession(p.off_session),
      errorOnRequiresAction: p.error_on_requires_action === true,
    });
    return this.expand(pi, p.expand);
  }

  private runConfirm(
    s: Stored<'payment_intent'>,
    ctx: RequestCtx,
    opts: { returnUrl: string | undefined; offSession: boolean; errorOnRequiresAction: boolean },
  ): void {
    const pi = s.obj;
    if (!pi.payment_method || typeof pi.payment_method !== 'string') {
      throw invalidRequest(
        "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with cus_xxx, specify a payment method attached to this customer along with the customer ID.",
        { code: 'payment_intent_unexpected_state', param: 'payment_method' },
      );
    }
    const pm = this.require('payment_method', pi.payment_method, 'payment_method', 400);
    const behaviour = pm.internal.card?.behaviour ?? { kind: 'succeed' };
    pi.last_payment_error = null;
    pi.next_action = null;
    s.internal.offSession = opts.offSession;
    this.state.touch(pi.id);
    if (behaviour.kind === 'three_ds' && !s.internal.moto) {
      if (opts.offSession || opts.errorOnRequiresAction) {
        const err: ErrorBody = opts.offSession
          ? {
              type: 'card_error',
              code: 'authentication_required',
              decline_code: 'authentication_required',
              message: 'Your card was declined. This transaction requires authentication.',
              doc_url: docUrl('authentication_required'),
            }
          : {
              type: 'card_error',
              code: 'authentication_required',
              message:
                "This payment required an authentication action to complete, but `error_on_requires_action` was set. When you're ready, you can upgrade your integration to handle actions at https://stripe.com/docs/payments/payment-intents/upgrade-to-handle-actions.",
              doc_url: docUrl('authentication_required'),
            };
        this.failPayment(s, pm, err, ctx);
      }
      pi.status = 'requires_action';
      const url = `${this.baseUrl}/_emulator/3ds/${pi.id}`;
      pi.next_action = opts.returnUrl
        ? { type: 'redirect_to_url', redirect_to_url: { return_url: opts.returnUrl, url } }
        : {
            type: 'use_stripe_sdk',
            use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url, source: newId('src') },
          };
      this.emit('payment_intent.requires_action', pi, ctx, {
        status: 'requires_confirmation',
        next_action: null,
      });
      return;
    }
    const effective: CardBehaviour = behaviour.kind === 'three_ds' ? behaviour.afterAuth : behaviour;
    this.charge(s, pm, effective, ctx);
  }

  /** Records a failed payment attempt and throws the 402 card error naming the PaymentIntent. */
  private failPayment(
    s: Stored<'payment_intent'>,
    pm: Stored<'payment_method'>,
    err: ErrorBody,
    ctx: RequestCtx,
  ): never {
    const pi = s.obj;
    const prevStatus = pi.status;
    pi.status = 'requires_payment_method';
    pi.next_action = null;
    const lpe: Stripe.PaymentIntent.LastPaymentError = {
      ...(err.charge !== undefined ? { charge: err.charge } : {}),
      ...(err.code !== undefined ? { code: err.code as Stripe.PaymentIntent.LastPaymentError.Code } : {}),
      ...(err.decline_code !== undefined ? { decline_code: err.decline_code } : {}),
      ...(err.doc_url !== undefined ? { doc_url: err.doc_url } : {}),
      message: err.message,
      ...(err.param !== undefined ? { param: err.param } : {}),
      payment_method: clone(pm.obj),
      type: err.type as Stripe.PaymentIntent.LastPaymentError.Type,
    };
    pi.last_payment_error = lpe;
    this.state.touch(pi.id);
    this.emit('payment_intent.payment_failed', pi, ctx, { status: prevStatus, last_payment_error: null });
    throw new StripeApiError(402, { ...err, payment_intent: clone(pi), payment_method: clone(pm.obj) });
  }

  /** Creates the charge for a confirmed PaymentIntent (after any 3DS step). */
  private charge(
    s: Stored<'payment_intent'>,
    pm: Stored<'payment_method'>,
    behaviour: CardBehaviour,
    ctx: RequestCtx,
  ): void {
    const pi = s.obj;
    const now = this.nowSec();
    const manual = pi.capture_method === 'manual';
    const failure =
      behaviour.kind === 'decline'
        ? { code: behaviour.code, message: behaviour.message, decline_code: behaviour.decline_code }
        : null;
    const ch = makeCharge(newId('ch'), now, {
      amount: pi.amount,
      currency: pi.currency,
      customer: typeof pi.customer === 'string' ? pi.customer : null,
      description: pi.description,
      metadata: { ...pi.metadata },
      payment_intent: pi.id,
      payment_method: pm.obj,
      receipt_email: pi.receipt_email,
      statement_descriptor: pi.statement_descriptor,
      statement_descriptor_suffix: pi.statement_descriptor_suffix,
      capture: !manual,
      captureBefore: manual && !failure ? now + this.config.authorizationWindowSeconds : null,
      moto: s.internal.moto === true,
      failure,
    });
    this.state.insert('charge', ch);
    pi.latest_charge = ch.id;
    if (behaviour.kind === 'decline') {
      this.emit('charge.failed', ch, ctx);
      this.failPayment(
        s,
        pm,
        {
          type: 'card_error',
          code: behaviour.code,
          decline_code: behaviour.decline_code,
          message: behaviour.message,
          ...(behaviour.param !== undefined ? { param: behaviour.param } : {}),
          charge: ch.id,
          doc_url: docUrl(behaviour.code),
        },
        ctx,
      );
    }
    const prevStatus = pi.status;
    // setup_future_usage with a customer saves the card for later (off-session) use.
    if (pi.setup_future_usage && typeof pi.customer === 'string' && pm.obj.customer === null) {
      this.attach(pm, pi.customer, ctx);
    }
    this.emit('charge.succeeded', ch, ctx);
    if (manual) {
      pi.status = 'requires_capture';
      pi.amount_capturable = pi.amount;
      this.state.holds.set(pi.id, ch.payment_method_details?.card?.capture_before as number);
      this.state.touch(pi.id);
      this.emit('payment_intent.amount_capturable_updated', pi, ctx, {
        status: prevStatus,
        amount_capturable: 0,
      });
    } else {
      pi.status = 'succeeded';
      pi.amount_received = pi.amount;
      this.state.touch(pi.id);
      this.emit('payment_intent.succeeded', pi, ctx, { status: prevStatus, amount_received: 0 });
    }
  }

  /** Completes (or fails) the customer's 3DS step. Control API; events carry a null request. */
  authenticate(piId: string, outcome: 'succeed' | 'fail'): Stripe.PaymentIntent {
    const s = this.require('payment_intent', piId);
    const pi = s.obj;
    if (pi.status !== 'requires_action') {
      throw unexpectedState(
        `This PaymentIntent has a status of ${pi.status}; only requires_action can be authenticated.`,
      );
    }
    const pm = this.require('payment_method', pi.payment_method as string, 'payment_method', 400);
    if (outcome === 'fail') {
      pi.status = 'requires_payment_method';
      pi.next_action = null;
      pi.last_payment_error = {
        code: 'payment_intent_authentication_failure',
        doc_url: docUrl('payment_intent_authentication_failure'),
        message:
          'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
        payment_method: clone(pm.obj),
        type: 'invalid_request_error',
      };
      this.state.touch(pi.id);
      this.emit('payment_intent.payment_failed', pi, SYSTEM_CTX, {
        status: 'requires_action',
        last_payment_error: null,
      });
      return pi;
    }
    const behaviour = pm.internal.card?.behaviour;
    const after: CardBehaviour =
      behaviour?.kind === 'three_ds' ? behaviour.afterAuth : (behaviour ?? { kind: 'succeed' });
    pi.next_action = null;
    try {
      this.charge(s, pm, after, SYSTEM_CTX);
    } catch (e) {
      if (!(e instanceof StripeApiError)) throw e;
    }
    return pi;
  }

  private capturePaymentIntent(form: FormObject, ctx: RequestCtx, piId: string): Stripe.PaymentIntent {
    const p = validate(
      {
        amount_to_capture: 'integer',
        metadata: 'metadata',
        statement_descriptor: 'string',
        statement_descriptor_suffix: 'string',
        final_capture: 'boolean',
        application_fee_amount: 'integer',
        expand: EXPAND,
      },
      form,
    );
    const s = this.require('payment_intent', piId);
    const pi = s.obj;
    if (pi.status !== 'requires_capture') {
      throw unexpectedState(
        `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
      );
    }
    const amount = (p.amount_to_capture as number | undefined) ?? pi.amount_capturable;
    if (amount > pi.amount_capturable) {
      throw invalidRequest(
        `The amount_to_capture (${amount}) must be less than or equal to the PaymentIntent's amount_capturable (${pi.amount_capturable}).`,
        { code: 'amount_too_large', param: 'amount_to_capture' },
      );
    }
    if (amount <= 0) {
      throw invalidRequest('The amount_to_capture must be greater than zero.', {
        param: 'amount_to_capture',
      });
    }
    const ch = this.require('charge', pi.latest_charge as string, 'latest_charge', 400).obj;
    const prevCh = {
      amount_captured: ch.amount_captured,
      captured: ch.captured,
      amount_refunded: ch.amount_refunded,
    };
    ch.captured = true;
    ch.amount_captured = amount;
    // The uncaptured remainder is released; like Stripe's Charges API ("any additional amount will be
    // automatically refunded") it shows in amount_refunded. [unverified] no separate Refund object is created.
    ch.amount_refunded = ch.amount - amount;
    ch.refunded = ch.amount_refunded === ch.amount;
    if (p.metadata !== undefined) pi.metadata = mergeMetadata(pi.metadata, p.metadata);
    if (p.statement_descriptor !== undefined) pi.statement_descriptor = p.statement_descriptor as string;
    if (p.statement_descriptor_suffix !== undefined)
      pi.statement_descriptor_suffix = p.statement_descriptor_suffix as string;
    this.state.touch(ch.id);
    this.emit('charge.captured', ch, ctx, prevCh);
    const prev = {
      status: pi.status,
      amount_capturable: pi.amount_capturable,
      amount_received: pi.amount_received,
    };
    pi.status = 'succeeded';
    pi.amount_received = amount;
    pi.amount_capturable = 0;
    this.state.holds.delete(pi.id);
    this.state.touch(pi.id);
    this.emit('payment_intent.succeeded', pi, ctx, prev);
    return this.expand(pi, p.expand);
  }

  private cancelPaymentIntent(form: FormObject, ctx: RequestCtx, piId: string): Stripe.PaymentIntent {
    const p = validate(
      {
        cancellation_reason: { enum: ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] },
        expand: EXPAND,
      },
      form,
    );
    const s = this.require('payment_intent', piId);
    const pi = s.obj;
    if (pi.status === 'succeeded' || pi.status === 'canceled') {
      throw unexpectedState(
        `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`,
      );
    }
    if (pi.status === 'requires_capture' && typeof pi.latest_charge === 'string') {
      const ch = this.require('charge', pi.latest_charge, 'latest_charge', 400).obj;
      // Cancelling a hold releases it: the uncaptured amount is refunded automatically (stripe-behaviour.md).
      // [unverified] Stripe emits charge.refunded for this; no Refund object is listed.
      const prevCh = { amount_refunded: ch.amount_refunded, refunded: ch.refunded };
      ch.amount_refunded = ch.amount;
      ch.refunded = true;
      this.state.touch(ch.id);
      this.emit('charge.refunded', ch, ctx, prevCh);
    }
    const prev = {
      status: pi.status,
      amount_capturable: pi.amount_capturable,
      canceled_at: null,
      cancellation_reason: null,
    };
    pi.status = 'canceled';
    pi.amount_capturable = 0;
    pi.next_action = null;
    pi.canceled_at = this.nowSec();
    pi.cancellation_reason =
      (p.cancellation_reason as Stripe.PaymentIntent.CancellationReason | undefined) ?? null;
    this.state.holds.delete(pi.id);
    this.state.touch(pi.id);
    this.emit('payment_intent.canceled', pi, ctx, prev);
    return this.expand(pi, p.expand);
  }

  // ---------------------------------------------------------------- setup intents

  private createSetupIntent(form: FormObject, ctx: RequestCtx): Stripe.SetupIntent {
    const p = validate(
      {
        customer: 'string',
        payment_method: 'string',
        confirm: 'boolean',
        usage: { enum: ['on_session', 'off_session'] },
        description: 'nullable_string',
        metadata: 'metadata',
        payment_method_types: { array: 'string' },
        allowed_payment_method_types: { array: 'string' },
        excluded_payment_method_types: { array: 'string' },
        payment_method_options: 'any',
        automatic_payment_methods: 'any',
        return_url: 'string',
        use_stripe_sdk: 'boolean',
        mandate_data: 'any',
        expand: EXPAND,
      },
      form,
    );
    const customer = this.customerRef(p.customer);
    const pm =
      p.payment_method !== undefined
        ? this.resolvePaymentMethod(p.payment_method as string, 'payment_method')
        : null;
    if (pm) this.checkPmCustomer(pm, customer);
    const si = makeSetupIntent(
      newId('seti'),
      this.nowSec(),
      {
        customer,
        payment_method: pm ? pm.obj.id : null,
        description: (p.description as string | null | undefined) ?? null,
        metadata: cleanMetadata(p.metadata),
        usage: (p.usage as string | undefined) ?? 'off_session',
        payment_method_types: (p.allowed_payment_method_types as string[] | undefined) ??
          (p.payment_method_types as string[] | undefined) ?? ['card'],
      },
      '',
    );
    if (p.allowed_payment_method_types !== undefined) {
      si.allowed_payment_method_types =
        p.allowed_payment_method_types as Stripe.SetupIntent.AllowedPaymentMethodType[];
    }
    if (p.excluded_payment_method_types !== undefined) {
      si.excluded_payment_method_types =
        p.excluded_payment_method_types as Stripe.SetupIntent.ExcludedPaymentMethodType[];
    }
    si.client_secret = `${si.id}_secret_${newId('x', 25).slice(2)}`;
    const s = this.state.insert('setup_intent', si);
    this.emit('setup_intent.created', si, ctx);
    if (p.confirm === true) this.runSetupConfirm(s, ctx, p.return_url as string | undefined);
    return this.expand(si, p.expand);
  }

  private listSetupIntents(form: FormObject): Stripe.ApiList<Stripe.SetupIntent> {
    const p = validate({ ...LIST_SPEC, customer: 'string', payment_method: 'string' }, form);
    return this.listOf(
      'setup_intent',
      p,
      '/v1/setup_intents',
      (si) =>
        (p.customer === undefined || si.customer === p.customer) &&
        (p.payment_method === undefined || si.payment_method === p.payment_method),
    );
  }

  private updateSetupIntent(form: FormObject, ctx: RequestCtx, siId: string): Stripe.SetupIntent {
    void ctx;
    const p = validate(
      {
        customer: 'string',
        payment_method: 'string',
        description: 'nullable_string',
        metadata: 'metadata',
        expand: EXPAND,
      },
      form,
    );
    const si = this.require('setup_intent', siId).obj;
    if (si.status === 'succeeded' || si.status === 'canceled') {
      throw invalidRequest(`You cannot update this SetupIntent because it has a status of ${si.status}.`, {
        code: 'setup_intent_unexpected_state',
      });
    }
    if (p.customer !== undefined) si.customer = this.customerRef(p.customer);
    if (p.payment_method !== undefined) {
      si.payment_method = this.resolvePaymentMethod(p.payment_method as string, 'payment_method').obj.id;
      si.status = 'requires_confirmation';
      si.next_action = null;
    }
    if (p.description !== undefined) si.description = p.description as string | null;
    if (p.metadata !== undefined) si.metadata = mergeMetadata(si.metadata ?? {}, p.metadata);
    this.state.touch(si.id);
    return this.expand(si, p.expand);
  }

  private confirmSetupIntent(form: FormObject, ctx: RequestCtx, siId: string): Stripe.SetupIntent {
    const p = validate(
      {
        payment_method: 'string',
        return_url: 'string',
        payment_method_options: 'any',
        use_stripe_sdk: 'boolean',
        mandate_data: 'any',
        expand: EXPAND,
      },
      form,
    );
    const s = this.require('setup_intent', siId);
    const si = s.obj;
    if (
      si.status !== 'requires_payment_method' &&
      si.status !== 'requires_confirmation' &&
      si.status !== 'requires_action'
    ) {
      throw invalidRequest(
        `You cannot confirm this SetupIntent because it has a status of ${si.status}. Only a SetupIntent with one of the following statuses may be confirmed: requires_confirmation, requires_action, requires_payment_method.`,
        { code: 'setup_intent_unexpected_state' },
      );
    }
    if (p.payment_method !== undefined) {
      const pm = this.resolvePaymentMethod(p.payment_method as string, 'payment_method');
      this.checkPmCustomer(pm, si.customer as string | null);
      si.payment_method = pm.obj.id;
    }
    this.runSetupConfirm(s, ctx, p.return_url as string | undefined);
    return this.expand(si, p.expand);
  }

  private runSetupConfirm(s: Stored<'setup_intent'>, ctx: RequestCtx, returnUrl: string | undefined): void {
    const si = s.obj;
    if (typeof si.payment_method !== 'string') {
      throw invalidRequest(
        "You cannot confirm this SetupIntent because it's missing a payment method. Update the SetupIntent with a payment method and then confirm it again.",
        { code: 'setup_intent_unexpected_state', param: 'payment_method' },
      );
    }
    const pm = this.require('payment_method', si.payment_method, 'payment_method', 400);
    const behaviour = pm.internal.card?.behaviour ?? { kind: 'succeed' };
    si.last_setup_error = null;
    si.next_action = null;
    this.state.touch(si.id);
    if (behaviour.kind === 'three_ds') {
      si.status = 'requires_action';
      const url = `${this.baseUrl}/_emulator/3ds/${si.id}`;
      si.next_action = returnUrl
        ? { type: 'redirect_to_url', redirect_to_url: { return_url: returnUrl, url } }
        : { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url } };
      this.emit('setup_intent.requires_action', si, ctx);
      return;
    }
    this.finishSetup(s, pm, behaviour, ctx);
  }

  private finishSetup(
    s: Stored<'setup_intent'>,
    pm: Stored<'payment_method'>,
    behaviour: CardBehaviour,
    ctx: RequestCtx,
  ): void {
    const si = s.obj;
    // A SetupIntent verifies the card, so declining test cards fail here too.
    if (behaviour.kind === 'decline') {
      si.status = 'requires_payment_method';
      si.last_setup_error = {
        code: behaviour.code,
        decline_code: behaviour.decline_code,
        doc_url: docUrl(behaviour.code),
        message: behaviour.message,
        ...(behaviour.param !== undefined ? { param: behaviour.param } : {}),
        payment_method: clone(pm.obj),
        type: 'card_error',
      };
      this.state.touch(si.id);
      this.emit('setup_intent.setup_failed', si, ctx);
      throw new StripeApiError(402, {
        type: 'card_error',
        code: behaviour.code,
        decline_code: behaviour.decline_code,
        doc_url: docUrl(behaviour.code),
        message: behaviour.message,
        ...(behaviour.param !== undefined ? { param: behaviour.param } : {}),
        payment_method: clone(pm.obj),
        setup_intent: clone(si),
      });
    }
    if (typeof si.customer === 'string') this.attach(pm, si.customer, ctx);
    si.status = 'succeeded';
    this.state.touch(si.id);
    this.emit('setup_intent.succeeded', si, ctx);
  }

  authenticateSetupIntent(siId: string, outcome: 'succeed' | 'fail'): Stripe.SetupIntent {
    const s = this.require('setup_intent', siId);
    const si = s.obj;
    if (si.status !== 'requires_action') {
      throw invalidRequest(
        `This SetupIntent has a status of ${si.status}; only requires_action can be authenticated.`,
        {
          code: 'setup_intent_unexpected_state',
        },
      );
    }
    const pm = this.require('payment_method', si.payment_method as string, 'payment_method', 400);
    si.next_action = null;
    if (outcome === 'fail') {
      si.status = 'requires_payment_method';
      si.last_setup_error = {
        code: 'setup_intent_authentication_failure',
        doc_url: docUrl('setup_intent_authentication_failure'),
        message:
          'The latest attempt to set up the payment method has failed because authentication failed. Provide a new payment method to attempt to set up again.',
        payment_method: clone(pm.obj),
        type: 'invalid_request_error',
      };
      this.state.touch(si.id);
      this.emit('setup_intent.setup_failed', si, SYSTEM_CTX);
      return si;
    }
    const b = pm.internal.card?.behaviour;
    const after: CardBehaviour = b?.kind === 'three_ds' ? b.afterAuth : (b ?? { kind: 'succeed' });
    try {
      this.finishSetup(s, pm, after, SYSTEM_CTX);
    } catch (e) {
      if (!(e instanceof StripeApiError)) throw e;
    }
    return si;
  }

  private cancelSetupIntent(form: FormObject, ctx: RequestCtx, siId: string): Stripe.SetupIntent {
    const p = validate(
      { cancellation_reason: { enum: ['abandoned', 'requested_by_customer', 'duplicate'] }, expand: EXPAND },
      form,
    );
    const si = this.require('setup_intent', siId).obj;
    if (si.status === 'succeeded' || si.status === 'canceled') {
      throw invalidRequest(
        `You cannot cancel this SetupIntent because it has a status of ${si.status}. Only a SetupIntent with one of the following statuses may be canceled: requires_payment_method, requires_confirmation, requires_action.`,
        { code: 'setup_intent_unexpected_state' },
      );
    }
    si.status = 'canceled';
    si.next_action = null;
    si.cancellation_reason =
      (p.cancellation_reason as Stripe.SetupIntent.CancellationReason | undefined) ?? null;
    this.state.touch(si.id);
    this.emit('setup_intent.canceled', si, ctx);
    return this.expand(si, p.expand);
  }

  // ---------------------------------------------------------------- charges & refunds

  private listCharges(form: FormObject): Stripe.ApiList<Stripe.Charge> {
    const p = validate(
      { ...LIST_SPEC, customer: 'string', payment_intent: 'string', transfer_group: 'string' },
      form,
    );
    return this.listOf(
      'charge',
      p,
      '/v1/charges',
      (ch) =>
        (p.customer === undefined || ch.customer === p.customer) &&
        (p.payment_intent === undefined || ch.payment_intent === p.payment_intent),
    );
  }

  private createRefund(form: FormObject, ctx: RequestCtx): Stripe.Refund {
    const p = validate(
      {
        charge: 'string',
        payment_intent: 'string',
        amount: 'integer',
        reason: { enum: ['duplicate', 'fraudulent', 'requested_by_customer'] },
        metadata: 'metadata',
        instructions_email: 'string',
        expand: EXPAND,
      },
      form,
    );
    if (p.charge === undefined && p.payment_intent === undefined) {
      throw paramError(
        'parameter_missing',
        'One of the following params should be provided for this request: payment_intent or charge.',
        'charge',
      );
    }
    let ch: Stripe.Charge;
    if (p.payment_intent !== undefined) {
      const pi = this.state.get('payment_intent', p.payment_intent as string);
      if (!pi)
        throw invalidRequest(`No such payment_intent: '${String(p.payment_intent)}'`, {
          code: 'resource_missing',
          param: 'payment_intent',
        });
      if (pi.obj.status !== 'succeeded' || typeof pi.obj.latest_charge !== 'string') {
        throw invalidRequest(
          `This PaymentIntent (${pi.obj.id}) does not have a successful charge to refund.`,
          { code: 'charge_not_refundable', param: 'payment_intent' },
        );
      }
      ch = this.require('charge', pi.obj.latest_charge, 'payment_intent', 400).obj;
      if (p.charge !== undefined && p.charge !== ch.id) {
        throw invalidRequest('The charge and payment_intent parameters do not match.', { param: 'charge' });
      }
    } else {
      const c = this.state.get('charge', p.charge as string);
      if (!c)
        throw invalidRequest(`No such charge: '${String(p.charge)}'`, {
          code: 'resource_missing',
          param: 'charge',
        });
      ch = c.obj;
    }
    if (!ch.captured || ch.status !== 'succeeded') {
      throw invalidRequest(
        `Charge ${ch.id} has not been captured or did not succeed, so it cannot be refunded.`,
        {
          code: 'charge_not_refundable',
        },
      );
    }
    const remaining = ch.amount - ch.amount_refunded;
    if (remaining <= 0) {
      throw invalidRequest(`Charge ${ch.id} has already been refunded.`, { code: 'charge_already_refunded' });
    }
    const amount = (p.amount as number | undefined) ?? remaining;
    if (amount <= 0) throw invalidRequest('Refund amount must be greater than zero.', { param: 'amount' });
    if (amount > remaining) {
      throw invalidRequest(
        `Refund amount (${formatAmount(amount, ch.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, ch.currency)})`,
        { param: 'amount' },
      );
    }
    const re = makeRefund(newId('re'), this.nowSec(), {
      amount,
      charge: ch,
      reason: (p.reason as Stripe.Refund.Reason | undefined) ?? null,
      metadata: cleanMetadata(p.metadata),
    });
    this.state.insert('refund', re);
    const prev = { amount_refunded: ch.amount_refunded, refunded: ch.refunded };
    ch.amount_refunded += amount;
    ch.refunded = ch.amount_refunded === ch.amount;
    this.state.touch(ch.id);
    this.emit('refund.created', re, ctx);
    this.emit('charge.refunded', ch, ctx, prev);
    return this.expand(re, p.expand);
  }

  private listRefunds(form: FormObject): Stripe.ApiList<Stripe.Refund> {
    const p = validate({ ...LIST_SPEC, charge: 'string', payment_intent: 'string' }, form);
    return this.listOf(
      'refund',
      p,
      '/v1/refunds',
      (re) =>
        (p.charge === undefined || re.charge === p.charge) &&
        (p.payment_intent === undefined || re.payment_intent === p.payment_intent),
    );
  }

  // ---------------------------------------------------------------- events

  private eventWindowStart(): number {
    return this.nowSec() - EVENT_RETENTION_SECONDS;
  }

  private retrieveEvent(form: FormObject, evtId: string): RawJson {
    validate({ expand: EXPAND }, form);
    const pos = this.state.eventPos.get(evtId);
    const e = pos === undefined ? undefined : this.state.events[pos];
    if (!e || e.created < this.eventWindowStart()) throw resourceMissing('event', evtId);
    return new RawJson(e.json);
  }

  private listEvents(form: FormObject): RawJson {
    const p = validate(
      { ...LIST_SPEC, type: 'string', types: { array: 'string' }, delivery_success: 'boolean' },
      form,
    );
    checkCursors(p);
    const limit = checkLimit(p.limit);
    if (p.type !== undefined && p.types !== undefined) {
      throw paramError(
        'parameters_exclusive',
        'You may only specify one of these parameters: type, types.',
        'types',
      );
    }
    const types = p.types as string[] | undefined;
    if (types && types.length > 20)
      throw paramError('parameter_invalid_array', 'types may contain at most 20 entries.', 'types');
    if (((p.expand as string[] | undefined) ?? []).length > 0) {
      throw invalidRequest(`This property cannot be expanded (${(p.expand as string[])[0]}).`, {
        param: 'expand',
      });
    }
    const events = this.state.events;
    const cursor = (v: unknown, param: string): number => {
      const pos = this.state.eventPos.get(v as string);
      if (pos === undefined || (events[pos] as EventRecord).created < this.eventWindowStart()) {
        throw resourceMissing('event', v as string, param);
      }
      return pos;
    };
    const matchers: Array<(e: EventRecord) => boolean> = [];
    if (p.type !== undefined) matchers.push(typeMatcher([p.type as string]));
    if (types) matchers.push(typeMatcher(types));
    const created = p.created as Range | undefined;
    if (created !== undefined) matchers.push((e) => inRange(e.created, created));
    if (p.delivery_success !== undefined) {
      // Approximation: an event counts as successfully delivered once no webhook delivery is pending.
      const want = p.delivery_success as boolean;
      matchers.push((e) => (e.pending === 0) === want);
    }
    const windowStart = this.eventWindowStart();
    const page = paginate(
      events.length,
      {
        limit,
        ...(p.starting_after !== undefined
          ? { startingAfter: cursor(p.starting_after, 'starting_after') }
          : {}),
        ...(p.ending_before !== undefined ? { endingBefore: cursor(p.ending_before, 'ending_before') } : {}),
      },
      (pos) => {
        const e = events[pos] as EventRecord;
        // Events are stored in creation order, so walking down past the window means everything older is out too.
        if (e.created < windowStart) return p.ending_before !== undefined ? false : 'stop';
        for (const m of matchers) if (!m(e)) return false;
        return true;
      },
    );
    let json = '{"object":"list","data":[';
    for (let i = 0; i < page.positions.length; i++) {
      if (i > 0) json += ',';
      json += (events[page.positions[i] as number] as EventRecord).json;
    }
    json += `],"has_more":${page.hasMore},"url":"/v1/events"}`;
    return new RawJson(json);
  }

  // ---------------------------------------------------------------- webhook endpoints

  private createWebhookEndpoint(form: FormObject, ctx: RequestCtx): Stripe.WebhookEndpoint {
    void ctx;
    const p = validate(
      {
        url: 'string',
        enabled_events: { array: 'string' },
        description: 'nullable_string',
        metadata: 'metadata',
        api_version: 'string',
        connect: 'boolean',
        expand: EXPAND,
      },
      form,
      '',
      ['url', 'enabled_events'],
    );
    checkUrl(p.url as string);
    const secret = 'whsec_' + newId('x', 32).slice(2);
    const we = makeWebhookEndpoint(newId('we'), this.nowSec(), {
      url: p.url as string,
      enabled_events: p.enabled_events as string[],
      description: (p.description as string | null | undefined) ?? null,
      metadata: cleanMetadata(p.metadata),
      api_version: (p.api_version as string | undefined) ?? null,
    });
    this.state.insert('webhook_endpoint', we, { secret });
    return { ...we, secret };
  }

  private updateWebhookEndpoint(form: FormObject, weId: string): Stripe.WebhookEndpoint {
    const p = validate(
      {
        url: 'string',
        enabled_events: { array: 'string' },
        description: 'nullable_string',
        metadata: 'metadata',
        disabled: 'boolean',
        expand: EXPAND,
      },
      form,
    );
    const we = this.require('webhook_endpoint', weId).obj;
    if (p.url !== undefined) {
      checkUrl(p.url as string);
      we.url = p.url as string;
    }
    if (p.enabled_events !== undefined) we.enabled_events = p.enabled_events as string[];
    if (p.description !== undefined) we.description = p.description as string | null;
    if (p.metadata !== undefined) we.metadata = mergeMetadata(we.metadata, p.metadata);
    if (p.disabled !== undefined) we.status = p.disabled ? 'disabled' : 'enabled';
    this.state.touch(we.id);
    return we;
  }

  private deleteWebhookEndpoint(form: FormObject, weId: string): Stripe.DeletedWebhookEndpoint {
    validate({}, form);
    this.require('webhook_endpoint', weId);
    this.state.objects.delete(weId);
    const order = this.state.order.webhook_endpoint;
    order.splice(order.indexOf(weId), 1);
    this.state.dirtyObjects.add(weId);
    return makeDeletedWebhookEndpoint(weId);
  }
}

function id(m: RegExpExecArray): string {
  return decodeURIComponent(m[1] as string);
}

function throwWithStatus(err: StripeApiError, status: number): never {
  throw new StripeApiError(status, err.body);
}

function cardError(e: { code: string; message: string; param?: string }): StripeApiError {
  return new StripeApiError(402, {
    type: 'card_error',
    code: e.code,
    doc_url: docUrl(e.code),
    message: e.message,
    ...(e.param !== undefined ? { param: e.param } : {}),
  });
}

/** API 2026-10-28.endive: allowed_/excluded_payment_method_types (payment_method_types is still accepted). */
function applyPmTypes(pi: Stripe.PaymentIntent, p: Params): void {
  if (p.allowed_payment_method_types !== undefined) {
    pi.allowed_payment_method_types =
      p.allowed_payment_method_types as Stripe.PaymentIntent.AllowedPaymentMethodType[];
    pi.payment_method_types = p.allowed_payment_method_types as string[];
  }
  if (p.excluded_payment_method_types !== undefined) {
    pi.excluded_payment_method_types =
      p.excluded_payment_method_types as Stripe.PaymentIntent.ExcludedPaymentMethodType[];
  }
}

function parseOffSession(v: unknown): boolean {
  if (v === undefined) return false;
  if (v === 'true' || v === 'one_off' || v === 'recurring') return true;
  if (v === 'false') return false;
  throw paramError('parameter_invalid_boolean', `Invalid boolean: ${String(v)}`, 'off_session');
}

function cleanMetadata(v: unknown): Stripe.Metadata {
  if (v === undefined || v === null) return {};
  const out: Stripe.Metadata = {};
  for (const [k, val] of Object.entries(v as Record<string, string>)) if (val !== '') out[k] = val;
  return out;
}

/** Stripe's metadata update: keys are merged, an empty value unsets a key, `metadata=` clears everything. */
function mergeMetadata(current: Stripe.Metadata, update: unknown): Stripe.Metadata {
  if (update === null) return {};
  const out: Stripe.Metadata = { ...current };
  for (const [k, val] of Object.entries(update as Record<string, string>)) {
    if (val === '') delete out[k];
    else out[k] = val;
  }
  return out;
}

function typeMatcher(patterns: string[]): (e: EventRecord) => boolean {
  const exact = new Set<string>();
  const res: RegExp[] = [];
  for (const t of patterns) {
    if (t.includes('*')) {
      res.push(
        new RegExp(
          '^' +
            t
              .split('*')
              .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
              .join('.*') +
            '$',
        ),
      );
    } else exact.add(t);
  }
  return (e) => exact.has(e.type) || res.some((r) => r.test(e.type));
}

function checkUrl(url: string): void {
  let ok = false;
  try {
    const u = new URL(url);
    ok = u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    ok = false;
  }
  if (!ok) throw paramError('url_invalid', `Invalid URL: ${url}`, 'url');
}
