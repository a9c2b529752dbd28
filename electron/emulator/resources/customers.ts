/** Customers (docs.stripe.com/api/customers): create, retrieve, update, delete, list; customer.* events. */
import type Stripe from 'stripe';
import { resourceMissing } from '../errors';
import { makeCustomer, makeDeletedCustomer } from '../factories';
import type { FormObject } from '../form';
import type { Kernel, RequestCtx } from '../kernel';
import { applyUpdate, routeId } from '../kernel';
import { LIST_SPEC, cleanMetadata, mergeMetadata, validate } from '../params';
import type { SpecMap } from '../params';
import { ADDRESS_SPEC, CUSTOMER_SHIPPING_SPEC, EXPAND, normalizeShipping } from '../specs';
import { newId } from '../state';
import { attach, resolvePaymentMethod } from './payment-methods';

const WRITABLE: SpecMap = {
  email: 'nullable_string',
  name: 'nullable_string',
  description: 'nullable_string',
  phone: 'nullable_string',
  metadata: 'metadata',
  address: { object: ADDRESS_SPEC, nullable: true },
  shipping: { object: CUSTOMER_SHIPPING_SPEC, nullable: true },
  invoice_settings: { object: { default_payment_method: 'nullable_string' } },
  preferred_locales: { array: 'string' },
  tax_exempt: { enum: ['none', 'exempt', 'reverse'], nullable: true },
  expand: EXPAND,
};

export function registerCustomers(k: Kernel): void {
  k.on('POST', '/v1/customers', (p, c) => createCustomer(k, p, c));
  k.on('GET', '/v1/customers', (p) => listCustomers(k, p));
  k.on('GET', '/v1/customers/:id', (p, _c, m) => retrieveCustomer(k, p, routeId(m)));
  k.on('POST', '/v1/customers/:id', (p, c, m) => updateCustomer(k, p, c, routeId(m)));
  k.on('DELETE', '/v1/customers/:id', (p, c, m) => deleteCustomer(k, p, c, routeId(m)));
}

function createCustomer(k: Kernel, form: FormObject, ctx: RequestCtx): Stripe.Customer {
  const p = validate({ ...WRITABLE, payment_method: 'string' }, form);
  const cus = makeCustomer(newId('cus', 14), k.nowSec(), {
    email: (p.email as string | null) ?? null,
    name: (p.name as string | null) ?? null,
    description: (p.description as string | null) ?? null,
    phone: (p.phone as string | null) ?? null,
    metadata: cleanMetadata(p.metadata),
    address: (p.address as Stripe.Address | null) ?? null,
    shipping: normalizeShipping(p.shipping, 'shipping', false) ?? null,
    preferred_locales: (p.preferred_locales as string[] | undefined) ?? [],
    tax_exempt: (p.tax_exempt as Stripe.Customer.TaxExempt | null | undefined) ?? 'none',
  });
  k.state.insert('customer', cus);
  k.emit('customer.created', cus, ctx);
  if (p.payment_method !== undefined) {
    attach(k, resolvePaymentMethod(k, p.payment_method as string, 'payment_method'), cus.id, ctx);
  }
  const dpm = (p.invoice_settings as { default_payment_method?: string | null } | undefined)
    ?.default_payment_method;
  if (dpm) {
    k.require('payment_method', dpm, 'invoice_settings[default_payment_method]', 400);
    cus.invoice_settings.default_payment_method = dpm;
  }
  return k.expand(cus, p.expand);
}

function retrieveCustomer(
  k: Kernel,
  form: FormObject,
  cusId: string,
): Stripe.Customer | Stripe.DeletedCustomer {
  const p = validate({ expand: EXPAND }, form);
  const s = k.state.get('customer', cusId);
  if (!s) throw resourceMissing('customer', cusId);
  if (s.internal.deleted) return makeDeletedCustomer(cusId);
  return k.expand(s.obj, p.expand);
}

function updateCustomer(k: Kernel, form: FormObject, ctx: RequestCtx, cusId: string): Stripe.Customer {
  const p = validate(WRITABLE, form);
  const cus = k.require('customer', cusId).obj;
  const is = p.invoice_settings as { default_payment_method?: string | null } | undefined;
  const dpm = is?.default_payment_method;
  if (dpm) k.require('payment_method', dpm, 'invoice_settings[default_payment_method]', 400);
  const prev = applyUpdate(cus, {
    email: p.email,
    name: p.name,
    description: p.description,
    phone: p.phone,
    address: p.address,
    shipping: normalizeShipping(p.shipping, 'shipping', false),
    preferred_locales: p.preferred_locales,
    // `tax_exempt=` (empty) sets it back to none.
    tax_exempt: p.tax_exempt === null ? 'none' : p.tax_exempt,
    metadata: p.metadata !== undefined ? mergeMetadata(cus.metadata, p.metadata) : undefined,
    invoice_settings:
      dpm !== undefined ? { ...cus.invoice_settings, default_payment_method: dpm } : undefined,
  });
  if (Object.keys(prev).length > 0) {
    k.state.touch(cus.id);
    k.emit('customer.updated', cus, ctx, prev);
  }
  return k.expand(cus, p.expand);
}

function deleteCustomer(k: Kernel, form: FormObject, ctx: RequestCtx, cusId: string): Stripe.DeletedCustomer {
  validate({}, form);
  const s = k.require('customer', cusId);
  s.internal.deleted = true;
  k.state.touch(cusId);
  k.emit('customer.deleted', s.obj, ctx);
  return makeDeletedCustomer(cusId);
}

function listCustomers(k: Kernel, form: FormObject): Stripe.ApiList<Stripe.Customer> {
  const p = validate({ ...LIST_SPEC, email: 'string' }, form);
  return k.listOf('customer', p, '/v1/customers', (c) => p.email === undefined || c.email === p.email);
}
