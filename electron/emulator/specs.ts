/**
 * Parameter specs shared by several resources (addresses, shipping, billing details, card options, expand),
 * and the normalisation of shipping details.
 */
import type Stripe from 'stripe';
import { paramError } from './errors';
import type { Spec, SpecMap } from './params';

export const EXPAND = { array: 'string' } as const satisfies Spec;
export const SFU = { enum: ['on_session', 'off_session'], nullable: true } as const satisfies Spec;

export const ADDRESS_SPEC: SpecMap = {
  city: 'nullable_string',
  country: 'nullable_string',
  line1: 'nullable_string',
  line2: 'nullable_string',
  postal_code: 'nullable_string',
  state: 'nullable_string',
};

export const SHIPPING_SPEC: SpecMap = {
  address: { object: ADDRESS_SPEC },
  name: 'string',
  phone: 'nullable_string',
  carrier: 'nullable_string',
  tracking_number: 'nullable_string',
};

export const BILLING_SPEC: SpecMap = {
  address: { object: ADDRESS_SPEC, nullable: true },
  email: 'nullable_string',
  name: 'nullable_string',
  phone: 'nullable_string',
  tax_id: 'nullable_string',
};

export const PM_OPTIONS_SPEC: SpecMap = {
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

/** Statuses a PaymentIntent or SetupIntent can be confirmed from. */
export const CONFIRMABLE: ReadonlySet<string> = new Set([
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
]);

/** A customer's shipping: no carrier or tracking number (those belong to a payment's shipping). */
export const CUSTOMER_SHIPPING_SPEC: SpecMap = {
  address: { object: ADDRESS_SPEC },
  name: 'string',
  phone: 'nullable_string',
};

/**
 * Shipping details as Stripe returns them: every address field present (null when not given), and, for
 * payments and charges, `carrier` and `tracking_number`. `name` and `address` are required when shipping is
 * given. Returns null for `shipping=` (unset) and undefined when absent.
 */
export function normalizeShipping(
  v: unknown,
  param = 'shipping',
  withTracking = true,
): Stripe.Charge.Shipping | null | undefined {
  if (v === undefined || v === null) return v as null | undefined;
  const s = v as { address?: Record<string, string | null>; name?: string; phone?: string | null } & Record<
    string,
    unknown
  >;
  for (const f of ['address', 'name'] as const) {
    if (s[f] === undefined)
      throw paramError('parameter_missing', `Missing required param: ${param}[${f}].`, `${param}[${f}]`);
  }
  const a = s.address ?? {};
  const address: Stripe.Address = {
    city: a.city ?? null,
    country: a.country ?? null,
    line1: a.line1 ?? null,
    line2: a.line2 ?? null,
    postal_code: a.postal_code ?? null,
    state: a.state ?? null,
  };
  return withTracking
    ? {
        address,
        carrier: (s.carrier as string | null | undefined) ?? null,
        name: s.name as string,
        phone: s.phone ?? null,
        tracking_number: (s.tracking_number as string | null | undefined) ?? null,
      }
    : { address, name: s.name as string, phone: s.phone ?? null };
}
