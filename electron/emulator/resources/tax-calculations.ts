/**
 * Tax Calculations (docs.stripe.com/api/tax/calculations): create, retrieve, and list a calculation's line
 * items. Rates come from the emulator's table (tax-table.ts); tax is collected only where an active Tax
 * Registration covers the customer's place (tax-registrations.ts), elsewhere `not_collecting` with no tax
 * (docs.stripe.com/tax/zero-tax). A customer Stripe Tax can't locate is 400 `customer_tax_location_invalid`
 * (docs.stripe.com/tax/customer-locations). A calculation expires (`expires_at`, 90 days by default: "Tax
 * calculations expire after 90 days and you can't access them after that", changelog 2024-09-30); after that
 * retrieve and line_items are 404, it can't become a transaction nor be linked to a PaymentIntent.
 *
 * Arithmetic [unverified: Stripe does not document its rounding]: per line and per jurisdiction, half up.
 * Exclusive: tax = round(amount × rate). Inclusive: taxable = round(amount / (1 + Σ rates)), the line's tax
 * amount − taxable, split across its jurisdictions by largest remainder in proportion to their rates.
 */
import type Stripe from 'stripe';
import { StripeApiError, docUrl, invalidRequest, paramError, resourceMissing } from '../errors';
import type { FormObject } from '../form';
import type { Kernel } from '../kernel';
import { routeId } from '../kernel';
import { cleanMetadata, validate } from '../params';
import type { SpecMap } from '../params';
import { checkCursors, checkLimit } from '../lists';
import { ADDRESS_SPEC, EXPAND } from '../specs';
import { newId } from '../state';
import {
  DEFAULT_TAX_CODE,
  SHIPPING,
  TAX_CODES,
  allocate,
  jurisdictionOf,
  locate,
  roundHalfUp,
  stateName,
  treatment,
} from '../tax-table';
import type { Place, TaxComponent } from '../tax-table';
import { collectingIn } from './tax-registrations';

type LineItem = Stripe.Tax.CalculationLineItem;
type LineBreakdown = Stripe.Tax.CalculationLineItem.TaxBreakdown;
type Override = Stripe.Tax.Calculation.CustomerDetails.TaxabilityOverride;

const BEHAVIOR = { enum: ['exclusive', 'inclusive'] } as const;
const CALC_SPEC: SpecMap = {
  currency: 'string',
  line_items: {
    array: {
      object: {
        amount: 'integer',
        metadata: 'metadata',
        performance_location: 'string',
        product: 'string',
        quantity: 'integer',
        reference: 'string',
        tax_behavior: BEHAVIOR,
        tax_code: 'string',
      },
    },
  },
  customer: 'string',
  customer_details: {
    object: {
      address: { object: ADDRESS_SPEC },
      address_source: { enum: ['billing', 'shipping'] },
      ip_address: 'string',
      tax_ids: { array: { object: { type: 'string', value: 'string' } } },
      taxability_override: { enum: ['customer_exempt', 'none', 'reverse_charge'] },
    },
  },
  ship_from_details: { object: { address: { object: ADDRESS_SPEC } } },
  shipping_cost: {
    object: { amount: 'integer', shipping_rate: 'string', tax_behavior: BEHAVIOR, tax_code: 'string' },
  },
  tax_date: 'integer',
  expand: EXPAND,
};

export function registerTaxCalculations(k: Kernel): void {
  k.on('POST', '/v1/tax/calculations', (p) => createCalculation(k, p));
  k.on('GET', '/v1/tax/calculations/:id', (p, _c, m) => retrieveCalculation(k, p, routeId(m)));
  k.on('GET', '/v1/tax/calculations/:id/line_items', (p, _c, m) =>
    listCalculationLineItems(k, p, routeId(m)),
  );
}

/** Stripe's error for a customer it can't place. The message is Stripe's (seen in the field). */
export function locationInvalid(param: string): StripeApiError {
  const code = 'customer_tax_location_invalid';
  return new StripeApiError(400, {
    type: 'invalid_request_error',
    code,
    doc_url: docUrl(code),
    message:
      "The customer's location isn't recognized. Set a valid customer address in order to automatically calculate tax.",
    param,
  });
}

interface Priced {
  amountTax: number;
  breakdown: LineBreakdown[];
}

/** The tax of one line (or the shipping cost) at `place`. */
function priceLine(
  place: Place,
  collecting: boolean,
  override: Override,
  amount: number,
  inclusive: boolean,
  taxCode: string,
): Priced {
  const j = jurisdictionOf(place);
  const zero = (reason: Stripe.Tax.CalculationLineItem.TaxBreakdown.TaxabilityReason): Priced => ({
    amountTax: 0,
    breakdown: [
      {
        amount: 0,
        jurisdiction: {
          country: j.country,
          display_name: stateName(j.country, j.state),
          level: j.level,
          state: j.state,
        },
        sourcing: 'destination',
        tax_rate_details: null,
        taxability_reason: reason,
        taxable_amount: 0,
      },
    ],
  });
  if (!collecting) return zero('not_collecting');
  if (override === 'customer_exempt') return zero('customer_exempt');
  if (override === 'reverse_charge') return zero('reverse_charge');
  const t = treatment(place, taxCode);
  if (t.kind === 'untaxed') return zero(t.reason);
  const rates = t.components.map((c) => c.ppm);
  let taxable: number;
  let parts: number[];
  if (inclusive) {
    taxable = roundHalfUp(amount * 1_000_000, 1_000_000 + rates.reduce((a, b) => a + b, 0));
    parts = allocate(amount - taxable, rates);
  } else {
    taxable = amount;
    parts = rates.map((r) => roundHalfUp(amount * r, 1_000_000));
  }
  return {
    amountTax: parts.reduce((a, b) => a + b, 0),
    breakdown: t.components.map((c: TaxComponent, i) => ({
      amount: parts[i] as number,
      jurisdiction: {
        country: place.country,
        display_name: c.name,
        level: c.level,
        state: c.level === 'country' ? null : place.state,
      },
      sourcing: 'destination',
      tax_rate_details: { display_name: c.rateName, percentage_decimal: c.percent, tax_type: c.taxType },
      taxability_reason: t.reason,
      taxable_amount: taxable,
    })),
  };
}

function fullAddress(a: Partial<Stripe.Address> | null | undefined): Stripe.Address {
  return {
    city: a?.city ?? null,
    country: a?.country ?? null,
    line1: a?.line1 ?? null,
    line2: a?.line2 ?? null,
    postal_code: a?.postal_code ?? null,
    state: a?.state ?? null,
  };
}

/** The customer's address and how to treat them: from customer_details, else from the Customer object. */
function customerOf(
  k: Kernel,
  p: Record<string, unknown>,
): { details: Stripe.Tax.Calculation.CustomerDetails; place: Place; customer: string | null } {
  const cd = p.customer_details as
    | {
        address?: Partial<Stripe.Address>;
        address_source?: 'billing' | 'shipping';
        ip_address?: string;
        tax_ids?: Array<{ type: string; value: string }>;
        taxability_override?: Override;
      }
    | undefined;
  const customerId = k.customerRef(p.customer);
  const cus = customerId ? k.state.get('customer', customerId)?.obj : undefined;
  let address: Partial<Stripe.Address> | null = null;
  let source: 'billing' | 'shipping' | null = null;
  let param = 'customer_details[address]';
  if (cd?.address) {
    address = cd.address;
    source = cd.address_source ?? null;
  } else if (cus) {
    // docs.stripe.com/tax/customer-locations: the shipping address if present (an invalid one is an error,
    // not a reason to try the next), then the billing address.
    param = 'customer';
    if (cus.shipping?.address) {
      address = cus.shipping.address;
      source = 'shipping';
    } else if (cus.address) {
      address = cus.address;
      source = 'billing';
    }
  } else if (cd?.ip_address === undefined) {
    throw paramError(
      'parameter_missing',
      'You must provide one of customer_details[address], customer_details[ip_address] or customer.',
      'customer_details',
    );
  }
  // [unverified] The emulator can't geolocate an IP address: a calculation from an IP alone can't be placed.
  const place = address ? locate(address) : null;
  if (!place) throw locationInvalid(param);
  const override: Override =
    cd?.taxability_override ??
    (cus?.tax_exempt === 'exempt'
      ? 'customer_exempt'
      : cus?.tax_exempt === 'reverse'
        ? 'reverse_charge'
        : 'none');
  return {
    customer: customerId,
    place,
    details: {
      address: fullAddress(address),
      address_source: source,
      ip_address: cd?.ip_address ?? null,
      tax_ids: (cd?.tax_ids ?? []).map((t) => ({
        type: t.type as Stripe.Tax.Calculation.CustomerDetails.TaxId.Type,
        value: t.value,
      })),
      taxability_override: override,
    },
  };
}

function taxCodeOf(k: Kernel, given: string | undefined, product: string | undefined, param: string): string {
  let code = given;
  if (code === undefined && product !== undefined) {
    const prod = k.state.get('product', product);
    if (!prod || prod.internal.deleted)
      throw resourceMissing('product', product, param.replace('tax_code', 'product'));
    const tc = prod.obj.tax_code;
    code = (typeof tc === 'string' ? tc : tc?.id) ?? undefined;
  }
  code ??= DEFAULT_TAX_CODE;
  if (!TAX_CODES.has(code)) {
    // [unverified] Stripe's wording; the emulator knows only the codes in its table (tax-table.ts).
    throw invalidRequest(`No such tax code: '${code}'`, { code: 'resource_missing', param });
  }
  return code;
}

function createCalculation(k: Kernel, form: FormObject): Stripe.Tax.Calculation {
  const p = validate(CALC_SPEC, form, '', ['currency', 'line_items']);
  const currency = String(p.currency).toLowerCase();
  const items = p.line_items as Array<Record<string, unknown>>;
  if (items.length === 0)
    throw paramError('parameter_missing', 'Missing required param: line_items.', 'line_items');
  const now = k.nowSec();
  const taxDate = (p.tax_date as number | undefined) ?? now;
  if (Math.abs(taxDate - now) > 31 * 86_400) {
    throw invalidRequest('tax_date must be within 31 days of the current date.', { param: 'tax_date' });
  }
  items.forEach((li, i) => {
    if (li.amount === undefined)
      throw paramError(
        'parameter_missing',
        `Missing required param: line_items[${i}][amount].`,
        `line_items[${i}][amount]`,
      );
    if ((li.amount as number) < 0)
      throw paramError(
        'parameter_invalid_integer',
        'The amount must be a non-negative integer.',
        `line_items[${i}][amount]`,
      );
    if (li.quantity !== undefined && (li.quantity as number) < 1)
      throw paramError(
        'parameter_invalid_integer',
        'The quantity must be at least 1.',
        `line_items[${i}][quantity]`,
      );
  });
  const refs = new Set<string>();
  items.forEach((li, i) => {
    const ref =
      (li.reference as string | undefined) ?? (li.product as string | undefined) ?? `line_item_${i}`;
    if (refs.has(ref)) {
      throw invalidRequest(
        `The reference '${ref}' is used by more than one line item; references must be unique.`,
        {
          param: `line_items[${i}][reference]`,
        },
      );
    }
    refs.add(ref);
  });
  const who = customerOf(k, p);
  const j = jurisdictionOf(who.place);
  const collecting = collectingIn(k, j.country, j.state, taxDate);
  const override = who.details.taxability_override;
  const id = newId('taxcalc');
  const lineItems: LineItem[] = items.map((li, i) => {
    const inclusive = li.tax_behavior === 'inclusive';
    const taxCode = taxCodeOf(
      k,
      li.tax_code as string | undefined,
      li.product as string | undefined,
      `line_items[${i}][tax_code]`,
    );
    const priced = priceLine(who.place, collecting, override, li.amount as number, inclusive, taxCode);
    return {
      id: newId('tax_li'),
      object: 'tax.calculation_line_item',
      amount: li.amount as number,
      amount_tax: priced.amountTax,
      livemode: false,
      metadata: li.metadata !== undefined ? cleanMetadata(li.metadata) : null,
      performance_location: (li.performance_location as string | undefined) ?? null,
      product: (li.product as string | undefined) ?? null,
      quantity: (li.quantity as number | undefined) ?? 1,
      reference:
        (li.reference as string | undefined) ?? (li.product as string | undefined) ?? `line_item_${i}`,
      tax_behavior: inclusive ? 'inclusive' : 'exclusive',
      tax_breakdown: priced.breakdown,
      tax_code: taxCode,
    };
  });
  const sc = p.shipping_cost as
    | { amount?: number; shipping_rate?: string; tax_behavior?: 'exclusive' | 'inclusive'; tax_code?: string }
    | undefined;
  let shipping: Stripe.Tax.Calculation.ShippingCost | null = null;
  if (sc) {
    if (sc.shipping_rate !== undefined) {
      // [unverified] Shipping Rates are not emulated; pass the amount instead.
      throw invalidRequest(
        'The emulator does not support shipping_cost[shipping_rate]; pass shipping_cost[amount].',
        {
          param: 'shipping_cost[shipping_rate]',
        },
      );
    }
    if (sc.amount === undefined)
      throw paramError(
        'parameter_missing',
        'Missing required param: shipping_cost[amount].',
        'shipping_cost[amount]',
      );
    if (sc.amount < 0)
      throw paramError(
        'parameter_invalid_integer',
        'The amount must be a non-negative integer.',
        'shipping_cost[amount]',
      );
    const code = sc.tax_code ?? SHIPPING;
    if (!TAX_CODES.has(code))
      throw invalidRequest(`No such tax code: '${code}'`, {
        code: 'resource_missing',
        param: 'shipping_cost[tax_code]',
      });
    const inclusive = sc.tax_behavior === 'inclusive';
    const priced = priceLine(who.place, collecting, override, sc.amount, inclusive, code);
    shipping = {
      amount: sc.amount,
      amount_tax: priced.amountTax,
      tax_behavior: inclusive ? 'inclusive' : 'exclusive',
      tax_breakdown: priced.breakdown as Stripe.Tax.Calculation.ShippingCost.TaxBreakdown[],
      tax_code: code,
    };
  }
  const parts: Array<{ amount: number; tax: number; inclusive: boolean; breakdown: LineBreakdown[] }> = [
    ...lineItems.map((l) => ({
      amount: l.amount,
      tax: l.amount_tax,
      inclusive: l.tax_behavior === 'inclusive',
      breakdown: l.tax_breakdown ?? [],
    })),
    ...(shipping
      ? [
          {
            amount: shipping.amount,
            tax: shipping.amount_tax,
            inclusive: shipping.tax_behavior === 'inclusive',
            breakdown: (shipping.tax_breakdown ?? []) as LineBreakdown[],
          },
        ]
      : []),
  ];
  const exclusiveTax = parts.filter((x) => !x.inclusive).reduce((a, x) => a + x.tax, 0);
  const inclusiveTax = parts.filter((x) => x.inclusive).reduce((a, x) => a + x.tax, 0);
  const calc: Stripe.Tax.Calculation & { id: string } = {
    id,
    object: 'tax.calculation',
    amount_total: parts.reduce((a, x) => a + x.amount, 0) + exclusiveTax,
    currency,
    customer: who.customer,
    customer_details: who.details,
    expires_at: now + k.config.taxCalculationLifetimeSeconds,
    livemode: false,
    ship_from_details: p.ship_from_details
      ? { address: fullAddress((p.ship_from_details as { address?: Partial<Stripe.Address> }).address) }
      : null,
    shipping_cost: shipping,
    tax_amount_exclusive: exclusiveTax,
    tax_amount_inclusive: inclusiveTax,
    tax_breakdown: summarize(parts),
    tax_date: taxDate,
  };
  k.state.insert('tax_calculation', calc, { taxLineItems: lineItems });
  return withIncludes(calc, lineItems, p.expand, '/v1/tax/calculations');
}

/** The calculation's tax_breakdown: its lines' (and shipping's) breakdowns summed by rate and reason. */
function summarize(
  parts: Array<{ inclusive: boolean; breakdown: LineBreakdown[] }>,
): Stripe.Tax.Calculation.TaxBreakdown[] {
  const out = new Map<string, Stripe.Tax.Calculation.TaxBreakdown>();
  for (const part of parts) {
    for (const b of part.breakdown) {
      const d = b.tax_rate_details;
      const key = [
        b.taxability_reason,
        part.inclusive,
        b.jurisdiction.country,
        b.jurisdiction.state,
        d?.percentage_decimal ?? '0.0',
        d?.tax_type ?? '',
      ].join('|');
      const cur = out.get(key);
      if (cur) {
        cur.amount += b.amount;
        cur.taxable_amount += b.taxable_amount;
        continue;
      }
      out.set(key, {
        amount: b.amount,
        inclusive: part.inclusive,
        tax_rate_details: {
          country: b.jurisdiction.country,
          flat_amount: null,
          percentage_decimal: d?.percentage_decimal ?? '0.0',
          rate_type: 'percentage',
          state: b.jurisdiction.state,
          tax_type:
            (d?.tax_type as Stripe.Tax.Calculation.TaxBreakdown.TaxRateDetails.TaxType | undefined) ?? null,
        },
        taxability_reason: b.taxability_reason,
        taxable_amount: b.taxable_amount,
      });
    }
  }
  return [...out.values()];
}

/** Line items as the list endpoint shows them: tax_breakdown only when asked for (expand[]=data.tax_breakdown). */
function shownLineItem<T extends object>(li: T, withBreakdown: boolean): T {
  if (withBreakdown || !('tax_breakdown' in li)) return li;
  const { tax_breakdown: _b, ...rest } = li;
  return rest as T;
}

/** Applies `expand[]=line_items` (an includable list) and refuses any other expansion. */
export function withIncludes<T extends { id: string | null; line_items?: unknown }>(
  obj: T,
  lineItems: ReadonlyArray<{ id: string; tax_breakdown?: unknown }>,
  expand: unknown,
  base: string,
): T {
  const paths = (expand as string[] | undefined) ?? [];
  const out: T = { ...obj };
  for (const path of paths) {
    if (path === 'line_items') {
      out.line_items = {
        object: 'list',
        data: lineItems.slice(0, 10).map((li) => shownLineItem(li, false)),
        has_more: lineItems.length > 10,
        url: `${base}/${obj.id}/line_items`,
      };
    } else if (path === 'line_items.data.tax_breakdown') {
      out.line_items = {
        object: 'list',
        data: lineItems.slice(0, 10),
        has_more: lineItems.length > 10,
        url: `${base}/${obj.id}/line_items`,
      };
    } else {
      throw invalidRequest(`This property cannot be expanded (${path}).`, { param: 'expand' });
    }
  }
  return out;
}

/** The calculation, or 404 when it doesn't exist or has expired ("you can't access them after that"). */
export function liveCalculation(
  k: Kernel,
  id: string,
  param = 'id',
  status = 404,
): { calc: Stripe.Tax.Calculation & { id: string }; lineItems: LineItem[] } {
  const s = k.state.get('tax_calculation', id);
  if (!s || (s.obj.expires_at !== null && s.obj.expires_at <= k.nowSec())) {
    // [unverified] Stripe's wording for an expired calculation: the same as for a missing one.
    const err = resourceMissing('tax.calculation', id, param);
    throw status === 404 ? err : new StripeApiError(status, err.body);
  }
  return { calc: s.obj, lineItems: (s.internal.taxLineItems ?? []) as LineItem[] };
}

function retrieveCalculation(k: Kernel, form: FormObject, id: string): Stripe.Tax.Calculation {
  const p = validate({ expand: EXPAND }, form);
  const { calc, lineItems } = liveCalculation(k, id);
  return withIncludes(calc, lineItems, p.expand, '/v1/tax/calculations');
}

/** Pages through line items in the order they were given (forward cursors on their ids). */
export function pageLineItems<T extends { id: string }>(
  items: readonly T[],
  form: FormObject,
  url: string,
): Stripe.ApiList<T> {
  const p = validate(
    { limit: 'integer', starting_after: 'string', ending_before: 'string', expand: EXPAND },
    form,
  );
  checkCursors(p);
  const limit = checkLimit(p.limit);
  const withBreakdown = ((p.expand as string[] | undefined) ?? []).includes('data.tax_breakdown');
  for (const e of (p.expand as string[] | undefined) ?? []) {
    if (e !== 'data.tax_breakdown')
      throw invalidRequest(`This property cannot be expanded (${e}).`, { param: 'expand' });
  }
  const find = (cursor: unknown, param: string): number => {
    const i = items.findIndex((x) => x.id === cursor);
    if (i < 0) throw resourceMissing('line_item', String(cursor), param);
    return i;
  };
  let from = 0;
  let to = items.length;
  if (p.starting_after !== undefined) from = find(p.starting_after, 'starting_after') + 1;
  if (p.ending_before !== undefined) {
    to = find(p.ending_before, 'ending_before');
    from = Math.max(0, to - limit);
  }
  const data = items.slice(from, Math.min(to, from + limit)).map((li) => shownLineItem(li, withBreakdown));
  return {
    object: 'list',
    data,
    has_more: p.ending_before !== undefined ? from > 0 : from + limit < to,
    url,
  };
}

function listCalculationLineItems(k: Kernel, form: FormObject, id: string): Stripe.ApiList<LineItem> {
  const { lineItems } = liveCalculation(k, id);
  return pageLineItems(lineItems, form, `/v1/tax/calculations/${id}/line_items`);
}
