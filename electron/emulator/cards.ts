/** Stripe's test cards (docs.stripe.com/testing) and currency rules. */
import { luhn } from '../ipc/luhn';

export type CardBehaviour =
  | { kind: 'succeed' }
  | {
      kind: 'decline';
      code: string;
      decline_code: string;
      param?: string;
      message: string;
      /** Saving the card (a SetupIntent) still succeeds: only payments are declined. */
      setupSucceeds?: boolean;
    }
  /**
   * 3DS required on every on-session payment and setup (unless MOTO); `afterAuth` is what happens once
   * authenticated. `offSession` says what an off-session payment does (default 'always').
   */
  | { kind: 'three_ds'; afterAuth: CardBehaviour; offSession?: OffSessionAuth };

/**
 * How a card that asks for 3DS on-session behaves off-session (docs.stripe.com/testing, "Authentication and
 * setup"):
 *   'always'        the bank asks for the cardholder on every payment, however the card was set up: an
 *                   off-session payment is declined with authentication_required (4000002760003184)
 *   'unless_set_up' declined with authentication_required unless the card was set up for off-session use — a
 *                   SetupIntent, or a payment with setup_future_usage=off_session, that succeeded (with its
 *                   3DS step) — after which off-session payments go through without it (4000002500003155)
 *   'never'         off-session payments go through as if the card had been set up (4000003800000446)
 * [unverified] the 3DS-required cards of "Support and availability" (4000000000003220, …): the docs say only
 * that 3DS must be completed; off-session they are taken as 'always'.
 */
export type OffSessionAuth = 'always' | 'unless_set_up' | 'never';

/** The soft decline of an off-session payment the bank wants the cardholder for. */
export const AUTHENTICATION_REQUIRED: CardBehaviour = {
  kind: 'decline',
  code: 'authentication_required',
  decline_code: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
};

/** What happens after a successful (captured) payment with the card (docs.stripe.com/testing#disputes, #refunds). */
export interface AfterPayment {
  /** The cardholder disputes the charge: a chargeback, or an inquiry (a `warning_*` dispute). */
  dispute?: { reason: string; inquiry: boolean; networkReasonCode: string };
  /** The issuer reports fraud: Radar's early fraud warning. */
  earlyFraudWarning?: { fraudType: string };
  /** Refunds are accepted, then fail. */
  refundFails?: boolean;
}

export interface TestCard {
  number: string;
  brand: string;
  funding: string;
  country: string;
  behaviour: CardBehaviour;
  after?: AfterPayment;
}

const DECLINED_MESSAGE = 'Your card was declined.';
const decline = (
  code: string,
  decline_code: string,
  message = DECLINED_MESSAGE,
  param?: string,
): Extract<CardBehaviour, { kind: 'decline' }> => ({
  kind: 'decline',
  code,
  decline_code,
  message,
  ...(param !== undefined ? { param } : {}),
});
const OK: CardBehaviour = { kind: 'succeed' };
const GENERIC_DECLINE = decline('card_declined', 'generic_decline');

const card = (
  number: string,
  brand: string,
  behaviour: CardBehaviour = OK,
  funding = 'credit',
  country = 'US',
): TestCard => ({
  number,
  brand,
  funding,
  country,
  behaviour,
});

const after = (number: string, a: AfterPayment): TestCard => ({ ...card(number, 'visa'), after: a });

/** `pm_card_*` test PaymentMethod ids, per stripe-behaviour.md and docs.stripe.com/testing. */
export const TEST_PAYMENT_METHODS: Record<string, TestCard> = {
  pm_card_visa: card('4242424242424242', 'visa'),
  pm_card_visa_debit: card('4000056655665556', 'visa', OK, 'debit'),
  pm_card_mastercard: card('5555555555554444', 'mastercard'),
  pm_card_mastercard_debit: card('5200828282828210', 'mastercard', OK, 'debit'),
  pm_card_amex: card('378282246310005', 'amex'),
  pm_card_discover: card('6011111111111117', 'discover'),
  pm_card_visa_chargeDeclined: card('4000000000000002', 'visa', GENERIC_DECLINE),
  pm_card_visa_chargeDeclinedInsufficientFunds: card(
    '4000000000009995',
    'visa',
    decline('card_declined', 'insufficient_funds', 'Your card has insufficient funds.'),
  ),
  pm_card_visa_chargeDeclinedLostCard: card(
    '4000000000009987',
    'visa',
    decline('card_declined', 'lost_card'),
  ),
  pm_card_visa_chargeDeclinedStolenCard: card(
    '4000000000009979',
    'visa',
    decline('card_declined', 'stolen_card'),
  ),
  pm_card_chargeDeclinedExpiredCard: card(
    '4000000000000069',
    'visa',
    decline('expired_card', 'expired_card', 'Your card has expired.', 'exp_month'),
  ),
  pm_card_chargeDeclinedIncorrectCvc: card(
    '4000000000000127',
    'visa',
    decline('incorrect_cvc', 'incorrect_cvc', "Your card's security code is incorrect.", 'cvc'),
  ),
  pm_card_chargeDeclinedProcessingError: card(
    '4000000000000119',
    'visa',
    decline(
      'processing_error',
      'processing_error',
      'An error occurred while processing your card. Try again in a little bit.',
    ),
  ),
  pm_card_chargeDeclinedFraudulent: card('4100000000000019', 'visa', decline('card_declined', 'fraudulent')),
  pm_card_threeDSecure2Required: card('4000000000003220', 'visa', { kind: 'three_ds', afterAuth: OK }),
  // "Authentication and setup" (docs.stripe.com/testing). [unverified] issuing country of these four: DE.
  pm_card_authenticationRequired: card(
    '4000002760003184',
    'visa',
    { kind: 'three_ds', afterAuth: OK, offSession: 'always' },
    'credit',
    'DE',
  ),
  pm_card_authenticationRequiredOnSetup: card(
    '4000002500003155',
    'visa',
    { kind: 'three_ds', afterAuth: OK, offSession: 'unless_set_up' },
    'credit',
    'DE',
  ),
  pm_card_authenticationRequiredSetupForOffSession: card(
    '4000003800000446',
    'visa',
    { kind: 'three_ds', afterAuth: OK, offSession: 'never' },
    'credit',
    'DE',
  ),
  // Declined with insufficient_funds even once authenticated or set up; saving it works. [unverified] an
  // off-session payment before it was set up: taken as authentication_required, like the card above.
  pm_card_authenticationRequiredChargeDeclinedInsufficientFunds: card(
    '4000008260003178',
    'visa',
    {
      kind: 'three_ds',
      afterAuth: {
        ...decline('card_declined', 'insufficient_funds', 'Your card has insufficient funds.'),
        setupSucceeds: true,
      },
      offSession: 'unless_set_up',
    },
    'credit',
    'DE',
  ),
  pm_card_threeDSecureRequiredChargeDeclined: card('4000008400001629', 'visa', {
    kind: 'three_ds',
    afterAuth: GENERIC_DECLINE,
  }),
  // Succeed, then something happens (docs.stripe.com/testing: disputes, fraud warnings, refunds).
  // [unverified] network reason codes: Visa's 10.4 (card-absent fraud) and 13.1 (not received); the inquiry
  // keeps Visa's fraud reason code 10 and reason `fraudulent`.
  pm_card_createDispute: after('4000000000000259', {
    dispute: { reason: 'fraudulent', inquiry: false, networkReasonCode: '10.4' },
  }),
  pm_card_createDisputeProductNotReceived: after('4000000000002685', {
    dispute: { reason: 'product_not_received', inquiry: false, networkReasonCode: '13.1' },
  }),
  pm_card_createDisputeInquiry: after('4000000000001976', {
    dispute: { reason: 'fraudulent', inquiry: true, networkReasonCode: '10' },
  }),
  // [unverified] fraud_type of the warning this card produces.
  pm_card_createIssuerFraudRecord: after('4000000000005423', {
    earlyFraudWarning: { fraudType: 'made_with_stolen_card' },
  }),
  pm_card_refundFail: after('4000000000005126', { refundFails: true }),
};

/** `tok_*` test tokens (card[token] on PaymentMethod create). */
export const TEST_TOKENS: Record<string, string> = {
  tok_visa: 'pm_card_visa',
  tok_visa_debit: 'pm_card_visa_debit',
  tok_mastercard: 'pm_card_mastercard',
  tok_mastercard_debit: 'pm_card_mastercard_debit',
  tok_amex: 'pm_card_amex',
  tok_discover: 'pm_card_discover',
  tok_chargeDeclined: 'pm_card_visa_chargeDeclined',
  tok_chargeDeclinedInsufficientFunds: 'pm_card_visa_chargeDeclinedInsufficientFunds',
  tok_chargeDeclinedLostCard: 'pm_card_visa_chargeDeclinedLostCard',
  tok_chargeDeclinedStolenCard: 'pm_card_visa_chargeDeclinedStolenCard',
  tok_chargeDeclinedExpiredCard: 'pm_card_chargeDeclinedExpiredCard',
  tok_chargeDeclinedIncorrectCvc: 'pm_card_chargeDeclinedIncorrectCvc',
  tok_chargeDeclinedProcessingError: 'pm_card_chargeDeclinedProcessingError',
  tok_chargeDeclinedFraudulent: 'pm_card_chargeDeclinedFraudulent',
  tok_threeDSecure2Required: 'pm_card_threeDSecure2Required',
  tok_authenticationRequired: 'pm_card_authenticationRequired',
  tok_authenticationRequiredOnSetup: 'pm_card_authenticationRequiredOnSetup',
  tok_threeDSecureRequiredChargeDeclined: 'pm_card_threeDSecureRequiredChargeDeclined',
};

const BY_NUMBER = new Map<string, TestCard>(Object.values(TEST_PAYMENT_METHODS).map((c) => [c.number, c]));

export function luhnValid(num: string): boolean {
  return /^\d{12,19}$/.test(num) && luhn(num);
}

function brandOf(num: string): string {
  if (num.startsWith('4')) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(num)) return 'mastercard';
  if (/^3[47]/.test(num)) return 'amex';
  if (/^6(011|5)/.test(num)) return 'discover';
  return 'unknown';
}

/** A test card by raw number: a known test number, or any other Luhn-valid number (which succeeds). */
export function cardByNumber(num: string): TestCard | undefined {
  const clean = num.replace(/[\s-]/g, '');
  const known = BY_NUMBER.get(clean);
  if (known) return known;
  if (!luhnValid(clean)) return undefined;
  return card(clean, brandOf(clean));
}

/** Zero-decimal currencies (docs.stripe.com/currencies#zero-decimal). */
export const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);

/**
 * Minimum charge amounts in the currency's smallest unit (docs.stripe.com/currencies#minimum-and-maximum-charge-amounts).
 * Currencies not listed get a minimum of 1 unit.
 */
export const MINIMUM_AMOUNTS: Record<string, number> = {
  usd: 50,
  aed: 200,
  aud: 50,
  bgn: 100,
  brl: 50,
  cad: 50,
  chf: 50,
  czk: 1500,
  dkk: 250,
  eur: 50,
  gbp: 30,
  hkd: 400,
  huf: 17500,
  inr: 50,
  jpy: 50,
  mxn: 1000,
  myr: 200,
  nok: 300,
  nzd: 50,
  pln: 200,
  ron: 200,
  sek: 300,
  sgd: 50,
  thb: 1000,
  krw: 100,
};

export function minimumAmount(currency: string): number {
  return MINIMUM_AMOUNTS[currency] ?? 1;
}

/** Formats an amount for error messages, e.g. "$0.50" / "¥50" / "0.50 eur". */
export function formatAmount(amount: number, currency: string): string {
  const zero = ZERO_DECIMAL.has(currency);
  const value = zero ? String(amount) : (amount / 100).toFixed(2);
  if (currency === 'usd') return `$${value}`;
  if (currency === 'jpy') return `¥${value}`;
  return `${value} ${currency}`;
}

/** ISO currencies the emulator accepts (a generous set). */
export const CURRENCIES = new Set([
  ...ZERO_DECIMAL,
  ...Object.keys(MINIMUM_AMOUNTS),
  'ars',
  'cny',
  'cop',
  'egp',
  'idr',
  'ils',
  'isk',
  'kes',
  'ngn',
  'php',
  'pkr',
  'sar',
  'try',
  'twd',
  'uah',
  'zar',
]);
