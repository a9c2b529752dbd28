// The limits of what the renderer may send, as plain numbers: the IPC contract (contract.ts) builds its zod
// schemas from them, and the renderer's forms check the same numbers as people type (src/lib/validation.ts),
// so a field says what is wrong before anything is sent. No zod here: the renderer bundle imports this file.

export const LIMITS = {
  /** A customer's name (Stripe accepts more; a phone order never needs more). */
  customerName: 200,
  /** RFC 5321's limit on an address. */
  email: 254,
  /** A phone number as typed, spaces and punctuation included. */
  phone: 40,
  addressLine: 200,
  city: 200,
  postalCode: 20,
  state: 100,
  quantityMin: 1,
  quantityMax: 999,
  cartLines: 100,
  /** Stripe's cap on one payment for most currencies, in minor units. */
  amountMax: 99_999_999,
  userName: 60,
  pinMin: 4,
  pinMax: 8,
  carrier: 60,
  trackingNumber: 60,
  orderQuery: 200,
  productQuery: 100,
  customerQuery: 100,
  station: 60,
  sku: 40,
  productName: 200,
  stock: 1_000_000,
  /** The message sent with a secure payment link (email or text). */
  linkMessage: 500,
} as const;

export type LimitName = keyof typeof LIMITS;

/**
 * What counts as an email address: zod's own pattern for `z.email()` (zod 4), written out so the renderer can
 * check it without bundling zod; the contract passes it to `z.email({ pattern })`, so the two can't drift.
 */
export const EMAIL_PATTERN =
  /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/** A country code as Stripe takes it. */
export const COUNTRY_PATTERN = /^[A-Z]{2}$/;
