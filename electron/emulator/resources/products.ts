/**
 * Products (docs.stripe.com/api/products): create (with a caller-chosen `id`, and `default_price_data`),
 * retrieve, update (`default_price`), delete (only while the product has no prices), list; product.* events.
 * `updated` is the time of the last change.
 */
import type Stripe from 'stripe';
import { invalidRequest, paramError, resourceMissing } from '../errors';
import type { FormObject } from '../form';
import type { Kernel, RequestCtx } from '../kernel';
import { applyUpdate, routeId } from '../kernel';
import { LIST_SPEC, cleanMetadata, mergeMetadata, validate } from '../params';
import type { Params, SpecMap } from '../params';
import { EXPAND } from '../specs';
import { newId } from '../state';
import { PRICE_DATA_SPEC, checkPriceData, createPrice } from './prices';

const DIMENSIONS = {
  object: { height: 'string', length: 'string', weight: 'string', width: 'string' },
} as const;
const TAX_DETAILS = { object: { performance_location: 'string', tax_code: 'nullable_string' } } as const;

const PRODUCT_SPEC: SpecMap = {
  name: 'string',
  active: 'boolean',
  description: 'nullable_string',
  images: { array: 'string' },
  marketing_features: { array: { object: { name: 'string' } } },
  metadata: 'metadata',
  package_dimensions: { ...DIMENSIONS, nullable: true },
  shippable: 'boolean',
  statement_descriptor: 'string',
  tax_code: 'nullable_string',
  tax_details: { ...TAX_DETAILS, nullable: true },
  unit_label: 'nullable_string',
  url: 'nullable_string',
  expand: EXPAND,
};

export function registerProducts(k: Kernel): void {
  k.on('POST', '/v1/products', (p, c) => createProduct(k, p, c));
  k.on('GET', '/v1/products', (p) => listProducts(k, p));
  k.on('GET', '/v1/products/:id', (p, _c, m) => k.retrieveSimple('product', p, routeId(m)));
  k.on('POST', '/v1/products/:id', (p, c, m) => updateProduct(k, p, c, routeId(m)));
  k.on('DELETE', '/v1/products/:id', (p, c, m) => deleteProduct(k, p, c, routeId(m)));
}

function dimensions(v: unknown, param: string): Stripe.Product.PackageDimensions | null | undefined {
  if (v === undefined || v === null) return v as null | undefined;
  const d = v as Record<string, string | undefined>;
  const out: Record<string, number> = {};
  for (const f of ['height', 'length', 'weight', 'width']) {
    const n = Number(d[f]);
    if (d[f] === undefined)
      throw paramError('parameter_missing', `Missing required param: ${param}[${f}].`, `${param}[${f}]`);
    if (!Number.isFinite(n) || n < 0)
      throw paramError('parameter_invalid_float', `Invalid float: ${d[f]}`, `${param}[${f}]`);
    out[f] = n;
  }
  return out as unknown as Stripe.Product.PackageDimensions;
}

function taxDetails(v: unknown): Stripe.Product.TaxDetails | null | undefined {
  if (v === undefined || v === null) return v as null | undefined;
  const t = v as { performance_location?: string; tax_code?: string | null };
  return { performance_location: t.performance_location ?? null, tax_code: t.tax_code ?? null };
}

/**
 * Creates a product from validated parameters (POST /v1/products, a price's product_data); `defaultPrice` is
 * the id its default price will have.
 */
export function createProductFrom(
  k: Kernel,
  p: Params,
  ctx: RequestCtx,
  defaultPrice: string | null = null,
): Stripe.Product {
  const id = (p.id as string | undefined) ?? newId('prod', 14);
  if (k.state.objects.has(id)) {
    // [unverified] message; the code is Stripe's for a taken id.
    throw invalidRequest(`Product already exists.`, { code: 'resource_already_exists', param: 'id' });
  }
  const now = k.nowSec();
  const product: Stripe.Product = {
    id,
    object: 'product',
    active: (p.active as boolean | undefined) ?? true,
    created: now,
    default_price: defaultPrice,
    description: (p.description as string | null | undefined) ?? null,
    images: (p.images as string[] | undefined) ?? [],
    livemode: false,
    marketing_features: (p.marketing_features as Stripe.Product.MarketingFeature[] | undefined) ?? [],
    metadata: cleanMetadata(p.metadata),
    name: p.name as string,
    package_dimensions: dimensions(p.package_dimensions, 'package_dimensions') ?? null,
    shippable: (p.shippable as boolean | undefined) ?? null,
    statement_descriptor: (p.statement_descriptor as string | undefined) ?? null,
    tax_code: (p.tax_code as string | null | undefined) ?? null,
    tax_details: taxDetails(p.tax_details) ?? null,
    type: (p.type as Stripe.Product.Type | undefined) ?? 'service',
    unit_label: (p.unit_label as string | null | undefined) ?? null,
    updated: now,
    url: (p.url as string | null | undefined) ?? null,
  };
  k.state.insert('product', product);
  k.emit('product.created', product, ctx);
  return product;
}

function createProduct(k: Kernel, form: FormObject, ctx: RequestCtx): Stripe.Product {
  const p = validate(
    {
      ...PRODUCT_SPEC,
      id: 'string',
      type: { enum: ['good', 'service'] },
      default_price_data: { object: PRICE_DATA_SPEC },
    },
    form,
    '',
    ['name'],
  );
  const dpd = p.default_price_data as Params | undefined;
  if (dpd) checkPriceData(dpd, 'default_price_data');
  // [unverified] event order: product.created (already naming its default price), then price.created.
  const priceId = dpd ? newId('price') : null;
  const product = createProductFrom(k, p, ctx, priceId);
  if (dpd) createPrice(k, product.id, dpd, ctx, { id: priceId as string });
  return k.expand(product, p.expand);
}

function updateProduct(k: Kernel, form: FormObject, ctx: RequestCtx, productId: string): Stripe.Product {
  const p = validate({ ...PRODUCT_SPEC, default_price: 'string' }, form);
  const product = k.require('product', productId).obj;
  if (p.default_price !== undefined && p.default_price !== product.default_price) {
    const price = k.state.get('price', p.default_price as string);
    if (!price || price.internal.deleted)
      throw resourceMissing('price', p.default_price as string, 'default_price');
    if (price.obj.product !== product.id) {
      // [unverified] message.
      throw invalidRequest(`The price ${price.obj.id} does not belong to product ${product.id}.`, {
        param: 'default_price',
      });
    }
    if (!price.obj.active) {
      // [unverified] message: an archived price can't become the default.
      throw invalidRequest(`The price ${price.obj.id} is archived and can't be the default price.`, {
        param: 'default_price',
      });
    }
  }
  const prev = applyUpdate(product, {
    name: p.name,
    active: p.active,
    default_price: p.default_price,
    description: p.description,
    images: p.images,
    marketing_features: p.marketing_features,
    metadata: p.metadata !== undefined ? mergeMetadata(product.metadata, p.metadata) : undefined,
    package_dimensions: dimensions(p.package_dimensions, 'package_dimensions'),
    shippable: p.shippable,
    statement_descriptor: p.statement_descriptor,
    tax_code: p.tax_code,
    tax_details: taxDetails(p.tax_details),
    unit_label: p.unit_label,
    url: p.url,
  });
  if (Object.keys(prev).length > 0) {
    // `updated` is when it last changed (the console reads it as Stripe's time of the update).
    Object.assign(prev, applyUpdate(product, { updated: k.nowSec() }));
    k.state.touch(product.id);
    k.emit('product.updated', product, ctx, prev);
  }
  return k.expand(product, p.expand);
}

function deleteProduct(
  k: Kernel,
  form: FormObject,
  ctx: RequestCtx,
  productId: string,
): Stripe.DeletedProduct {
  validate({}, form);
  const s = k.require('product', productId);
  // "Deleting a product is only possible if it has no prices associated with it" (API reference): archived
  // prices count too.
  const hasPrices = k.state.order.price.some((id) => {
    const price = k.state.get('price', id);
    return price !== undefined && !price.internal.deleted && price.obj.product === productId;
  });
  if (hasPrices) {
    // [unverified] no error code; the message is the one Stripe users report.
    throw invalidRequest('This product cannot be deleted because it has one or more user-created prices.', {
      param: 'id',
    });
  }
  s.internal.deleted = true;
  k.state.touch(productId);
  k.emit('product.deleted', s.obj, ctx);
  return { id: productId, object: 'product', deleted: true };
}

function listProducts(k: Kernel, form: FormObject): Stripe.ApiList<Stripe.Product> {
  const p = validate(
    {
      ...LIST_SPEC,
      active: 'boolean',
      ids: { array: 'string' },
      shippable: 'boolean',
      type: { enum: ['good', 'service'] },
      url: 'string',
    },
    form,
  );
  const ids = p.ids as string[] | undefined;
  return k.listOf(
    'product',
    p,
    '/v1/products',
    (pr) =>
      (p.active === undefined || pr.active === p.active) &&
      (ids === undefined || ids.includes(pr.id)) &&
      (p.shippable === undefined || pr.shippable === p.shippable) &&
      (p.type === undefined || pr.type === p.type) &&
      (p.url === undefined || pr.url === p.url),
  );
}
