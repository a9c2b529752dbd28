/** Parameter specs shared by several resources (addresses, shipping, billing details, card options, expand). */
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
