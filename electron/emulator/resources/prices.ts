/**
 * Prices (docs.stripe.com/api/prices): create (for a product, or with product_data), retrieve, update, list;
 * price.created / price.updated. A price's amount can't change (`unit_amount` on update is an unknown
 * parameter): make a new price instead. Stripe's API has no price delete; the control API offers the
 * Dashboard's (price.deleted).
 */
import type Stripe from 'stripe';
import { CURRENCIES } from '../cards';
import { invalidRequest, paramError } from '../errors';
import type { FormObject } from '../form';
import type { Kernel, RequestCtx } from '../kernel';
import { SYSTEM_CTX, applyUpdate, routeId } from '../kernel';
import { LIST_SPEC, cleanMetadata, mergeMetadata, validate } from '../params';
import type { Params, SpecMap } from '../params';
import { EXPAND } from '../specs';
import { newId } from '../state';
import { createProductFrom } from './products';

const TAX_BEHAVIOR = { enum: ['exclusive', 'inclusive', 'unspecified'] } as const;

/** What a price is made of: `POST /v1/prices` and a product's `default_price_data`. */
export const PRICE_DATA_SPEC: SpecMap = {
  currency: 'string',
  unit_amount: 'integer',
  unit_amount_decimal: 'string',
  custom_unit_amount: {
    object: { enabled: 'boolean', maximum: 'integer', minimum: 'integer', preset: 'integer' },
  },
  recurring: {
    object: {
      interval: { enum: ['day', 'week', 'month', 'year'] },
      interval_count: 'integer',
      usage_type: { enum: ['licensed', 'metered'] },
      trial_period_days: 'integer',
      meter: 'string',
    },
  },
  tax_behavior: TAX_BEHAVIOR,
  metadata: 'metadata',
};

const PRICE_CREATE_SPEC: SpecMap = {
  ...PRICE_DATA_SPEC,
  active: 'boolean',
  billing_scheme: { enum: ['per_unit'] },
  lookup_key: 'string',
  nickname: 'string',
  product: 'string',
  product_data: {
    object: {
      name: 'string',
      active: 'boolean',
      id: 'string',
      metadata: 'metadata',
      statement_descriptor: 'string',
      tax_code: 'string',
      unit_label: 'string',
    },
  },
  transfer_lookup_key: 'boolean',
  expand: EXPAND,
};

export function registerPrices(k: Kernel): void {
  k.on('POST', '/v1/prices', (p, c) => createPriceRoute(k, p, c));
  k.on('GET', '/v1/prices', (p) => listPrices(k, p));
  k.on('GET', '/v1/prices/:id', (p, _c, m) => k.retrieveSimple('price', p, routeId(m)));
  k.on('POST', '/v1/prices/:id', (p, c, m) => updatePrice(k, p, c, routeId(m)));
}

/** Validates price data (`prefix` names the parameter it came in, e.g. `default_price_data`). */
export function checkPriceData(p: Params, prefix = ''): void {
  const name = (f: string): string => (prefix ? `${prefix}[${f}]` : f);
  if (p.currency === undefined) {
    throw paramError('parameter_missing', `Missing required param: ${name('currency')}.`, name('currency'));
  }
  if (!CURRENCIES.has(String(p.currency).toLowerCase())) {
    throw paramError(
      'parameter_invalid_string',
      `Invalid currency: ${String(p.currency)}.`,
      name('currency'),
    );
  }
  const given = ['unit_amount', 'unit_amount_decimal', 'custom_unit_amount'].filter(
    (f) => p[f] !== undefined,
  );
  if (given.length === 0) {
    // [unverified] message; Stripe requires one of the three for a per_unit price.
    throw paramError(
      'parameter_missing',
      `Missing required param: ${name('unit_amount')}. Provide one of unit_amount, unit_amount_decimal or custom_unit_amount.`,
      name('unit_amount'),
    );
  }
  if (given.length > 1) {
    throw paramError(
      'parameters_exclusive',
      `You may only specify one of these parameters: ${given.map(name).join(', ')}.`,
      name(given[1] as string),
    );
  }
  if (p.unit_amount !== undefined && (p.unit_amount as number) < 0) {
    throw paramError(
      'parameter_invalid_integer',
      'This value must be greater than or equal to 0.',
      name('unit_amount'),
    );
  }
  if (p.unit_amount_decimal !== undefined && !/^\d+(\.\d{1,12})?$/.test(p.unit_amount_decimal as string)) {
    throw paramError('parameter_invalid_string', 'Invalid decimal.', name('unit_amount_decimal'));
  }
}

/** Creates a price of `product` from validated data and emits price.created. */
export function createPrice(
  k: Kernel,
  product: string,
  p: Params,
  ctx: RequestCtx,
  extra: { id?: string; active?: boolean; lookup_key?: string | null; nickname?: string | null } = {},
): Stripe.Price {
  const r = p.recurring as
    | {
        interval: Stripe.Price.Recurring.Interval;
        interval_count?: number;
        usage_type?: string;
        trial_period_days?: number;
        meter?: string;
      }
    | undefined;
  const cua = p.custom_unit_amount as { maximum?: number; minimum?: number; preset?: number } | undefined;
  const unitAmount =
    p.unit_amount !== undefined
      ? (p.unit_amount as number)
      : p.unit_amount_decimal !== undefined && /^\d+$/.test(p.unit_amount_decimal as string)
        ? Number(p.unit_amount_decimal)
        : null;
  const price: Stripe.Price = {
    id: extra.id ?? newId('price'),
    object: 'price',
    active: extra.active ?? true,
    billing_scheme: 'per_unit',
    created: k.nowSec(),
    currency: String(p.currency).toLowerCase(),
    custom_unit_amount: cua
      ? { maximum: cua.maximum ?? null, minimum: cua.minimum ?? null, preset: cua.preset ?? null }
      : null,
    livemode: false,
    lookup_key: extra.lookup_key ?? null,
    metadata: cleanMetadata(p.metadata),
    nickname: extra.nickname ?? null,
    product,
    recurring: r
      ? {
          interval: r.interval,
          interval_count: r.interval_count ?? 1,
          meter: r.meter ?? null,
          trial_period_days: r.trial_period_days ?? null,
          usage_type: (r.usage_type as Stripe.Price.Recurring.UsageType | undefined) ?? 'licensed',
        }
      : null,
    tax_behavior: (p.tax_behavior as Stripe.Price.TaxBehavior | undefined) ?? 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: r ? 'recurring' : 'one_time',
    unit_amount: unitAmount,
    // On the wire a decimal string; the SDK turns it into its Decimal type when it parses the response.
    unit_amount_decimal: (p.unit_amount_decimal !== undefined
      ? (p.unit_amount_decimal as string)
      : unitAmount !== null
        ? String(unitAmount)
        : null) as unknown as Stripe.Price['unit_amount_decimal'],
  };
  k.state.insert('price', price);
  k.emit('price.created', price, ctx);
  return price;
}

/** A lookup_key names one price: taking it from another needs transfer_lookup_key (price.updated for it). */
function claimLookupKey(k: Kernel, key: string, transfer: boolean, ctx: RequestCtx, except?: string): void {
  for (const id of k.state.order.price) {
    const other = k.state.get('price', id);
    if (!other || other.internal.deleted || id === except || other.obj.lookup_key !== key) continue;
    if (!transfer) {
      throw invalidRequest(
        `A price (\`${id}\`) already uses that lookup key. Use \`transfer_lookup_key\` to transfer it to this price.`,
        { param: 'lookup_key' },
      );
    }
    const prev = applyUpdate(other.obj, { lookup_key: null });
    k.state.touch(id);
    k.emit('price.updated', other.obj, ctx, prev);
  }
}

function createPriceRoute(k: Kernel, form: FormObject, ctx: RequestCtx): Stripe.Price {
  const p = validate(PRICE_CREATE_SPEC, form);
  checkPriceData(p);
  if ((p.product === undefined) === (p.product_data === undefined)) {
    throw paramError(
      p.product === undefined ? 'parameter_missing' : 'parameters_exclusive',
      'You must specify either `product` or `product_data` when creating a price.',
      'product',
    );
  }
  let productId: string;
  if (p.product !== undefined) {
    productId = k.require('product', p.product as string, 'product', 400).obj.id;
  } else {
    const pd = p.product_data as Params;
    if (pd.name === undefined) {
      throw paramError(
        'parameter_missing',
        'Missing required param: product_data[name].',
        'product_data[name]',
      );
    }
    productId = createProductFrom(k, pd, ctx).id;
  }
  if (p.lookup_key !== undefined)
    claimLookupKey(k, p.lookup_key as string, p.transfer_lookup_key === true, ctx);
  const price = createPrice(k, productId, p, ctx, {
    ...(p.active !== undefined ? { active: p.active as boolean } : {}),
    ...(p.lookup_key !== undefined ? { lookup_key: p.lookup_key as string } : {}),
    ...(p.nickname !== undefined ? { nickname: p.nickname as string } : {}),
  });
  return k.expand(price, p.expand);
}

function updatePrice(k: Kernel, form: FormObject, ctx: RequestCtx, priceId: string): Stripe.Price {
  const p = validate(
    {
      active: 'boolean',
      lookup_key: 'nullable_string',
      metadata: 'metadata',
      nickname: 'nullable_string',
      tax_behavior: TAX_BEHAVIOR,
      transfer_lookup_key: 'boolean',
      expand: EXPAND,
    },
    form,
  );
  const price = k.require('price', priceId).obj;
  if (p.active === false && price.active) {
    const product = k.state.get('product', price.product as string)?.obj;
    if (product?.default_price === price.id) {
      // [unverified] message: Stripe refuses to archive a product's default price.
      throw invalidRequest(
        `This price cannot be archived because it is the default price of its product (${product.id}). Set another default_price on the product first.`,
        { param: 'active' },
      );
    }
  }
  if (
    p.tax_behavior !== undefined &&
    price.tax_behavior !== 'unspecified' &&
    p.tax_behavior !== price.tax_behavior
  ) {
    throw invalidRequest('tax_behavior cannot be changed once it is set to inclusive or exclusive.', {
      param: 'tax_behavior',
    });
  }
  if (typeof p.lookup_key === 'string' && p.lookup_key !== price.lookup_key) {
    claimLookupKey(k, p.lookup_key, p.transfer_lookup_key === true, ctx, price.id);
  }
  const prev = applyUpdate(price, {
    active: p.active,
    lookup_key: p.lookup_key,
    nickname: p.nickname,
    tax_behavior: p.tax_behavior,
    metadata: p.metadata !== undefined ? mergeMetadata(price.metadata, p.metadata) : undefined,
  });
  if (Object.keys(prev).length > 0) {
    k.state.touch(price.id);
    k.emit('price.updated', price, ctx, prev);
  }
  return k.expand(price, p.expand);
}

function listPrices(k: Kernel, form: FormObject): Stripe.ApiList<Stripe.Price> {
  const p = validate(
    {
      ...LIST_SPEC,
      active: 'boolean',
      currency: 'string',
      product: 'string',
      type: { enum: ['one_time', 'recurring'] },
      lookup_keys: { array: 'string' },
      recurring: {
        object: {
          interval: { enum: ['day', 'week', 'month', 'year'] },
          usage_type: { enum: ['licensed', 'metered'] },
          meter: 'string',
        },
      },
    },
    form,
  );
  const keys = p.lookup_keys as string[] | undefined;
  const r = p.recurring as { interval?: string; usage_type?: string; meter?: string } | undefined;
  return k.listOf(
    'price',
    p,
    '/v1/prices',
    (pr) =>
      (p.active === undefined || pr.active === p.active) &&
      (p.currency === undefined || pr.currency === String(p.currency).toLowerCase()) &&
      (p.product === undefined || pr.product === p.product) &&
      (p.type === undefined || pr.type === p.type) &&
      (keys === undefined || (pr.lookup_key !== null && keys.includes(pr.lookup_key))) &&
      (r === undefined ||
        (pr.recurring !== null &&
          (r.interval === undefined || pr.recurring.interval === r.interval) &&
          (r.usage_type === undefined || pr.recurring.usage_type === r.usage_type) &&
          (r.meter === undefined || pr.recurring.meter === r.meter))),
  );
}

/**
 * Deletes a price as the Dashboard can (control API; Stripe's API has none): price.deleted, then it is gone.
 * A product's default price can't be deleted. [unverified] a deleted price answers 404 afterwards.
 */
export function deletePrice(k: Kernel, priceId: string): Stripe.DeletedPrice {
  const s = k.require('price', priceId);
  const product = k.state.get('product', s.obj.product as string)?.obj;
  if (product?.default_price === priceId) {
    throw invalidRequest('The default price of a product cannot be deleted.', { param: 'id' });
  }
  s.internal.deleted = true;
  k.state.touch(priceId);
  k.emit('price.deleted', s.obj, SYSTEM_CTX);
  return { id: priceId, object: 'price', deleted: true };
}
