// The IPC contract: the single source of truth for every call the renderer may make and every event main
// may push. One zod `{ input, output }` pair per channel; the channel list, the preload allowlist, the
// handler map's type and the renderer's typed client are all derived from this file.
//
// Rules: channel names are `domain:verb`, events `domain:pastTense`. Inputs are strict (unknown keys are an
// error), bounded (no 1 MB strings, no huge amounts) and never carry who the caller is: the actor comes from
// main's session for the calling window, whatever the renderer sends. No output ever carries a secret key.
import { z } from 'zod';
import { COUNTRY_PATTERN, EMAIL_PATTERN, LIMITS } from './limits';

// ---------------------------------------------------------------------------------------------- primitives

/** Integer minor units (cents, or whole yen for zero-decimal currencies). Never a float. */
export const MinorUnits = z.number().int().safe();
/** A positive amount Stripe could accept: at most 99,999,999 minor units (Stripe's cap for most currencies). */
export const PositiveAmount = z.number().int().min(1).max(LIMITS.amountMax);
export const Currency = z
  .string()
  .regex(/^[a-z]{3}$/, 'a three-letter ISO currency code in lower case, e.g. usd');
const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'an identifier');
export const PaymentIntentId = z.string().regex(/^pi_[A-Za-z0-9]{1,60}$/, 'a PaymentIntent id (pi_…)');
const ShortText = z.string().max(LIMITS.addressLine);
const Pin = z
  .string()
  .regex(
    new RegExp(`^\\d{${LIMITS.pinMin},${LIMITS.pinMax}}$`),
    `a PIN of ${LIMITS.pinMin} to ${LIMITS.pinMax} digits`,
  );
const Timestamp = z.number().int().nonnegative(); // epoch milliseconds
const Empty = z.object({}).strict();

export const Role = z.enum(['staff', 'manager']);
export type Role = z.infer<typeof Role>;
export const Mode = z.enum(['emulator', 'test', 'live']);
export type Mode = z.infer<typeof Mode>;

// ------------------------------------------------------------------------------------------------- objects

export const User = z.object({ id: z.string(), name: z.string(), role: Role, disabled: z.boolean() });
export type User = z.infer<typeof User>;

export const Address = z
  .object({
    line1: ShortText,
    line2: ShortText.optional(),
    city: z.string().max(LIMITS.city),
    postalCode: z.string().max(LIMITS.postalCode),
    state: z.string().max(LIMITS.state).optional(),
    country: z.string().regex(COUNTRY_PATTERN, 'a two-letter country code, e.g. US'),
  })
  .strict();
export type Address = z.infer<typeof Address>;

export const CustomerInput = z
  .object({
    name: z.string().trim().min(1).max(LIMITS.customerName),
    email: z.email({ pattern: EMAIL_PATTERN }).max(LIMITS.email).optional(),
    phone: z.string().max(LIMITS.phone).optional(),
    shipping: Address.optional(),
    /** Tax-exempt: the reason or certificate number (kept on the Stripe Customer); null: not exempt. */
    taxExempt: z.string().trim().min(1, 'the reason or certificate number').max(100).nullable().optional(),
  })
  .strict();
export type CustomerInput = z.infer<typeof CustomerInput>;
export const Customer = CustomerInput.extend({ id: z.string() });
export type Customer = z.infer<typeof Customer>;

export const Product = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  unitAmount: MinorUnits,
  currency: z.string(),
  /** Units available to new orders: on hand less what waiting orders are promised (never below zero). */
  stock: z.number().int(),
  /** Units sold beyond the count (two stations sold the last one at once): the manager must sort it out. */
  oversold: z.number().int(),
  active: z.boolean(),
  /** Stripe's tax code for the product (txcd_…); null: general goods. */
  taxCode: z.string().nullable().optional(),
});
export type Product = z.infer<typeof Product>;

export const CartLine = z.object({
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  unitAmount: MinorUnits,
  quantity: z.number().int(),
  lineTotal: MinorUnits,
  /** Out of stock when added: the cart becomes a waitlist cart paid by a hold. */
  waitlist: z.boolean(),
});
export type CartLine = z.infer<typeof CartLine>;

export const PaymentPhase = z.enum([
  'building', // no PaymentIntent yet
  'awaiting_card', // PaymentIntent exists, needs a payment method
  'authenticating', // 3DS: requires_action
  'processing',
  'pending_confirmation', // outcome unknown (connection dropped); the journal or an event settles it
  'succeeded',
  'on_hold', // requires_capture: a waitlist hold was placed
  'card_saved', // a waitlist order's card was saved (SetupIntent succeeded): charged when the stock arrives
  'canceled',
]);
export type PaymentPhase = z.infer<typeof PaymentPhase>;

export const Decline = z.object({
  code: z.string(),
  declineCode: z.string().nullable(),
  /** What to tell the customer on the phone, in plain words. */
  explanation: z.string(),
  at: Timestamp,
});
export type Decline = z.infer<typeof Decline>;

/**
 * A payment in progress at any station (issue 23 item 5): its PaymentIntent made (the order's content on it from
 * creation), not yet paid, held or cancelled — derived from the PaymentIntents every station projects.
 */
export const PaymentInProgress = z.object({
  paymentIntentId: z.string(),
  /** This station's cart for it (resumable here), or null: taken at another station. */
  cartId: z.string().nullable(),
  orderNumber: z.string().nullable(),
  customerName: z.string(),
  itemCount: z.number().int(),
  amount: MinorUnits,
  currency: z.string(),
  /** authenticating: waiting for the customer's 3D Secure; declined: waiting for another card. */
  state: z.enum(['authenticating', 'declined', 'awaiting_card', 'processing']),
  /** The bank's page for the customer (3D Secure), to send again. */
  secureLink: z.string().nullable(),
  stationName: z.string(),
  takenBy: z.string(),
  /** When it was placed: Stripe's time of the PaymentIntent. */
  createdAt: Timestamp,
});
export type PaymentInProgress = z.infer<typeof PaymentInProgress>;

/**
 * A money action of any station (issue 23 item 7), read from what it wrote in Stripe: who, at which station, when
 * (Stripe's time; null where Stripe keeps none), how much. `by` is null where nothing names a person (a hold the
 * bank let lapse, an action taken in Stripe's Dashboard or by an earlier version).
 */
export const MoneyAction = z.object({
  kind: z.enum([
    'captured',
    'charged_saved_card',
    'released',
    'lapsed',
    'refunded',
    'refund_failed',
    'cancelled',
  ]),
  at: Timestamp.nullable(),
  amount: MinorUnits,
  currency: z.string(),
  orderId: z.string().nullable(),
  orderNumber: z.string().nullable(),
  customerName: z.string(),
  /**
   * Who did it: a person of the shop (by, at station); the customer, through the link a person (by, station)
   * sent; Stripe itself (a hold that lapsed); someone in Stripe's Dashboard (nothing of ours on it); or a person
   * an earlier version of the console did not name.
   */
  who: z.enum(['person', 'customer', 'stripe', 'dashboard', 'unrecorded']),
  by: z.string().nullable(),
  station: z.string().nullable(),
  detail: z.string().nullable(),
});
export type MoneyAction = z.infer<typeof MoneyAction>;

/** Shipped to the customer, or collected in person. */
export const Delivery = z.enum(['ship', 'collect']);
export type Delivery = z.infer<typeof Delivery>;

// ---- pricing: discounts and tax (payments/cart-pricing.ts)
export const DiscountSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('amount'), amount: z.number().int().min(0).max(LIMITS.amountMax) }).strict(),
  /** Basis points: 12.5 % is 1 250; at most 100 %. */
  z.object({ kind: z.literal('percent'), bp: z.number().int().min(0).max(10_000) }).strict(),
]);
export type DiscountSpec = z.infer<typeof DiscountSpec>;
export const GivenDiscount = z.object({ discount: DiscountSpec, reason: z.string().trim().max(60) }).strict();
export const CartDiscounts = z.object({
  lines: z.record(z.string(), GivenDiscount),
  order: GivenDiscount.nullable(),
  givenBy: z.string().nullable(),
  approvedBy: z.string().nullable(),
});
export type CartDiscounts = z.infer<typeof CartDiscounts>;
export const TaxMode = z.enum(['none', 'rates', 'stripe_tax']);
export const CartPricing = z.object({
  state: z.enum(['priced', 'needs_address', 'invalid']),
  errors: z.record(z.string(), z.string()),
  mode: TaxMode,
  inclusive: z.boolean(),
  subtotal: MinorUnits,
  discountTotal: MinorUnits,
  taxTotal: MinorUnits,
  shipping: MinorUnits,
  shippingTax: MinorUnits,
  total: MinorUnits,
  breakdown: z.array(z.object({ jurisdiction: z.string(), percent: z.string(), amount: MinorUnits })),
  lines: z.array(z.object({ productId: z.string(), discount: MinorUnits, tax: MinorUnits })),
  calculationId: z.string().nullable(),
  expiresAt: z.number().int().nullable(),
  needsApproval: z.boolean(),
  exempt: z.boolean().optional(),
});
export type CartPricing = z.infer<typeof CartPricing>;

/**
 * The waiting part of a cart (issue 23 item 13: "the 10 now and 15 waiting"): a second cart of the same customer
 * for what is not in stock, with its own order number, paid in the same checkout with the same card — held, or the
 * card saved, as the customer chose — once the first is paid. Its lines always wait for stock.
 */
export const WaitingPart = z.object({
  cartId: z.string(),
  status: z.enum(['open', 'paid', 'on_hold', 'canceled']),
  phase: PaymentPhase,
  lines: z.array(CartLine),
  /** With its tax (its own pricing); no second shipping fee. */
  total: MinorUnits,
  taxTotal: MinorUnits,
  orderNumber: z.string().nullable(),
  lastDecline: Decline.nullable(),
  authenticationUrl: z.string().nullable(),
});
export type WaitingPart = z.infer<typeof WaitingPart>;

export const Cart = z.object({
  id: z.string(),
  /** The shipping fee charged with the order (a line of its own, outside the items); 0 when none. */
  shippingFee: MinorUnits.optional(),
  status: z.enum(['open', 'paid', 'on_hold', 'canceled']),
  phase: PaymentPhase,
  currency: z.string(),
  customer: Customer.nullable(),
  lines: z.array(CartLine),
  total: MinorUnits,
  waitlist: z.boolean(),
  captureMethod: z.enum(['automatic', 'manual']),
  paymentIntentId: z.string().nullable(),
  lastDecline: Decline.nullable(),
  /** The 3DS page to open when phase is 'authenticating'. */
  authenticationUrl: z.string().nullable(),
  orderId: z.string().nullable(),
  /** The order's number (station code + number, e.g. "A1042"), given when the payment is first set up. */
  orderNumber: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  createdBy: z.string(),
  /** How a waitlist cart waits: its money held, or its card saved and charged on arrival (null: not said yet). */
  waitMode: z.enum(['hold', 'save_card']).nullable().optional(),
  /** A hold that also saves the card (charged on arrival if the hold lapses or is released). */
  holdSavesCard: z.boolean().optional(),
  /** Shipped to the customer or collected in person; null until staff said. */
  delivery: Delivery.nullable(),
  /** The discounts staff gave, as given. */
  discounts: CartDiscounts.optional(),
  /** The cart as last priced: subtotal, discounts, tax by jurisdiction, shipping, total (= total above). */
  pricing: CartPricing.nullable().optional(),
  /** What waits for stock as a second order, paid after this one with the same card (null: none). */
  waitingPart: WaitingPart.nullable().optional(),
  /** On a waiting part: the cart it was split from. */
  waitingOf: z.string().nullable().optional(),
});
export type Cart = z.infer<typeof Cart>;

export const HoldStatus = z.enum(['authorized', 'captured', 'partially_captured', 'released', 'expired']);
export type HoldStatus = z.infer<typeof HoldStatus>;
export const Hold = z.object({
  paymentIntentId: z.string(),
  cartId: z.string().nullable(),
  orderId: z.string().nullable(),
  orderNumber: z.string().nullable(),
  customerName: z.string(),
  items: z.array(
    z.object({
      name: z.string(),
      quantity: z.number().int(),
      waitlist: z.boolean(),
      /** For capturing by lines: which line, at what price. */
      sku: z.string(),
      unitAmount: MinorUnits,
      /** The whole line after its discounts, with its tax when prices exclude it (absent: price × quantity). */
      lineTotal: MinorUnits.optional(),
    }),
  ),
  currency: z.string(),
  amountAuthorized: MinorUnits,
  amountCapturable: MinorUnits,
  amountCaptured: MinorUnits,
  authorizedAt: Timestamp,
  /** From the charge's capture_before; null only while Stripe has not said. */
  expiresAt: Timestamp.nullable(),
  status: HoldStatus,
  /** Bumped on every change; capture/release must name the version the manager saw. */
  version: z.number().int(),
  pendingAction: z.enum(['capture', 'release']).nullable(),
  /** The order's shipping fee: captured with the lines (the first capture takes it). */
  shippingFee: MinorUnits,
  /** The shipping fee with its tax when prices exclude it (absent: the fee). */
  shippingTotal: MinorUnits.optional(),
  /** The customer agreed to have the card saved too: a release may keep it for "charge on arrival". */
  savesCard: z.boolean(),
});
export type Hold = z.infer<typeof Hold>;

export const OrderStatus = z.enum(['received', 'processing', 'shipped']);
export type OrderStatus = z.infer<typeof OrderStatus>;
/**
 * Where the order's money is: 'authorized' — a waitlist order awaiting stock, the card held, not charged;
 * 'canceled' — that hold was released or lapsed (nothing was charged); otherwise paid, in part or fully refunded.
 */
export const PaymentState = z.enum(['paid', 'partially_refunded', 'refunded', 'authorized', 'canceled']);
export type PaymentState = z.infer<typeof PaymentState>;

export const OrderRow = z.object({
  id: z.string(),
  /** For reading out on the phone: the taking station's code and its own sequence number ("A1042"). */
  number: z.string(),
  paymentIntentId: z.string(),
  status: OrderStatus,
  customerName: z.string(),
  customerEmail: z.string().nullable(),
  currency: z.string(),
  amountCaptured: MinorUnits,
  amountRefunded: MinorUnits,
  itemCount: z.number().int(),
  createdAt: Timestamp,
  paymentState: PaymentState,
  /** What the order is for (the amount authorized), whatever has been captured so far. */
  amountTotal: MinorUnits,
  /** The customer's phone as stored (E.164 when it was typed in this console). */
  customerPhone: z.string().nullable(),
  /** Shipped, or collected in person; null when the order did not say (older orders). */
  delivery: Delivery.nullable(),
  /** Cancelled as one action (refund, restock, status): shown as such wherever the order is listed. */
  cancelled: z.boolean().optional(),
  /** A waitlist order on a saved card: waiting (charged on arrival), or the charge needs the customer. */
  cardWait: z.enum(['waiting', 'action_needed']).optional(),
  /** Its hold's deadline (Stripe's capture_before) has passed on Stripe's clock: nothing is held any more,
   * whether or not Stripe's event saying so has arrived. */
  holdLapsed: z.boolean().optional(),
  /** Discounts given and tax recorded on the order as it stands (absent: none). */
  discountTotal: MinorUnits.optional(),
  taxTotal: MinorUnits.optional(),
});
export type OrderRow = z.infer<typeof OrderRow>;

export const Ledger = z.object({
  currency: z.string(),
  authorized: MinorUnits,
  captured: MinorUnits,
  refunded: MinorUnits,
  released: MinorUnits,
});
export type Ledger = z.infer<typeof Ledger>;

export const TimelineEntry = z.object({
  at: Timestamp,
  kind: z.enum(['stripe_event', 'audit']),
  title: z.string(),
  detail: z.string().nullable(),
  /** True when Stripe's own event confirmed this action (matched by idempotency key). */
  confirmedByStripe: z.boolean(),
  actor: z.string().nullable(),
  /** Stripe's own words for it (event types, ids, parameters), folded away for whoever wants them. */
  technical: z.array(z.string()),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** An order's discounts and tax as it stands (orders/order-pricing.ts): what the order pane and receipt show. */
export const OrderPricingView = z.object({
  /** The lines (as captured) before discounts. */
  subtotal: MinorUnits,
  discountTotal: MinorUnits,
  /** Who gave the discounts, the manager whose PIN allowed them, and the reasons given. */
  discountBy: z.string().nullable(),
  discountApprovedBy: z.string().nullable(),
  discountReasons: z.array(z.string()),
  taxMode: z.enum(['none', 'rates', 'stripe_tax']).nullable(),
  /** Prices include tax (the tax is inside the subtotal). */
  taxInclusive: z.boolean(),
  /** A tax-exempt customer: their reason or certificate number. */
  taxExempt: z.string().nullable(),
  /** Tax charged (or held) on the order, shipping's included; and what refunds took back of it. */
  taxTotal: MinorUnits,
  taxRefunded: MinorUnits,
  breakdown: z.array(
    z.object({
      jurisdiction: z.string(),
      country: z.string(),
      state: z.string().nullable(),
      /** Parts per million (8.875 % = 88 750). */
      ratePpm: z.number().int(),
      amount: MinorUnits,
    }),
  ),
  shippingFee: MinorUnits,
  shippingTax: MinorUnits,
  /** subtotal − discounts + shipping (+ tax when prices exclude it). */
  total: MinorUnits,
  /** What each line (as captured) cost the customer after its discounts, with its tax: a refund of a line. */
  lineTotals: z.array(z.object({ sku: z.string(), total: MinorUnits })).optional(),
});
export type OrderPricingView = z.infer<typeof OrderPricingView>;

export const OrderDetail = OrderRow.extend({
  cartId: z.string().nullable(),
  customer: Customer.nullable(),
  lines: z.array(CartLine),
  ledger: Ledger,
  carrier: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  timeline: z.array(TimelineEntry),
  canShip: z.boolean(),
  refundable: MinorUnits,
  /** Lines of the order that a capture by lines released (not charged, not shipped). */
  releasedLines: z.array(CartLine),
  /** Why the order must not be shipped now (a dispute, a fraud warning), in the shop's words. */
  shipBlock: z.string().nullable(),
  /** Shipped and cancelled (or refunded in full) at two stations at once: what a manager must do, or null. */
  conflict: z.string().nullable(),
  dispute: z
    .object({
      id: z.string(),
      amount: MinorUnits,
      currency: z.string(),
      reason: z.string(),
      /** The reason as the customer's bank put it, in plain words. */
      reasonText: z.string(),
      status: z.string(),
      /** When evidence is due (Stripe's evidence_details.due_by). */
      dueBy: Timestamp.nullable(),
      /** An inquiry (a question from the bank) rather than a chargeback. */
      inquiry: z.boolean(),
    })
    .nullable(),
  fraudWarning: z
    .object({ id: z.string(), fraudType: z.string(), actionable: z.boolean(), createdAt: Timestamp })
    .nullable(),
  /** Every refund of the order as Stripe has it, failed ones included (the customer was not refunded). */
  refunds: z.array(
    z.object({
      id: z.string(),
      amount: MinorUnits,
      status: z.string(),
      failureReason: z.string().nullable(),
      requestedBy: z.string().nullable(),
      createdAt: Timestamp,
    }),
  ),
  /** Units of each line refunded, and how many of them went back in stock (line refunds; failed ones left out). */
  refundedLines: z
    .array(z.object({ sku: z.string(), quantity: z.number().int(), restocked: z.number().int() }))
    .optional(),
  /** Where the payment stands, in words ("Awaiting stock: $18.00 held until Dec 6."); null when simply paid. */
  paymentNote: z.string().nullable(),
  /** Subtotal, discounts (who gave and allowed them, why), tax by jurisdiction, shipping, as recorded in Stripe. */
  pricing: OrderPricingView.optional(),
  /**
   * A split order (issue 23 item 13): this is the waiting part of another order, or has one. The other order's
   * number, and its id here when this station has it.
   */
  split: z
    .object({
      role: z.enum(['waiting_part', 'has_waiting_part']),
      number: z.string(),
      orderId: z.string().nullable(),
    })
    .optional(),
});
export type OrderDetail = z.infer<typeof OrderDetail>;

export const SyncHealth = z.object({
  mode: z.enum(['polling', 'webhook', 'stopped']),
  running: z.boolean(),
  lastEventAt: Timestamp.nullable(),
  lastPollAt: Timestamp.nullable(),
  lagMs: z.number().nullable(),
  cursor: z.string().nullable(),
  eventsApplied: z.number().int(),
  catchUp: z
    .object({
      fetched: z.number().int(),
      done: z.boolean(),
      /** A rebuild from Stripe's lists (an empty data folder): which list, the orders read and the estimate. */
      rebuild: z
        .object({
          step: z.string(),
          orders: z.number().int(),
          ordersEstimate: z.number().int().nullable(),
          secondsLeft: z.number().nullable(),
          resumed: z.boolean(),
        })
        .optional(),
    })
    .nullable(),
  lastError: z.string().nullable(),
  stripeReachable: z.boolean(),
  webhook: z.object({ enabled: z.boolean(), port: z.number().int().nullable(), received: z.number().int() }),
  fallbackNotice: z.string().nullable(),
  /** Stripe's now (ms) when this report was made, from its answers' Date headers: countdowns run on it. */
  stripeNow: Timestamp.optional(),
});
export type SyncHealth = z.infer<typeof SyncHealth>;

export const EventRow = z.object({
  id: z.string(),
  type: z.string(),
  createdAt: Timestamp,
  receivedAt: Timestamp,
  source: z.enum(['poll', 'webhook', 'backfill']),
  objectId: z.string().nullable(),
  outcome: z.string(),
});
export type EventRow = z.infer<typeof EventRow>;

export const Drift = z.object({
  id: z.string(),
  kind: z.enum([
    'paid_no_order',
    'hold_canceled_at_stripe',
    'amount_mismatch',
    'order_missing_at_stripe',
    'hold_missing_here',
    'refund_mismatch',
    'dispute_missing_here',
    'fraud_warning_missing_here',
  ]),
  paymentIntentId: z.string(),
  description: z.string(),
  fix: z.string(),
});
export type Drift = z.infer<typeof Drift>;

export const AuditEntry = z.object({
  seq: z.number().int(),
  at: Timestamp,
  actor: z.string(),
  station: z.string(),
  action: z.string(),
  subject: z.string(),
  idempotencyKey: z.string().nullable(),
  stripeRequestId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  /** The subject as staff read it: its order's number ("#A1042") when it is an order, cart or payment. */
  subjectLabel: z.string().nullable().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const TestCard = z.object({
  paymentMethod: z.string(),
  label: z.string(),
  outcome: z.enum(['succeeds', 'declines', 'authentication']),
});
export type TestCard = z.infer<typeof TestCard>;

export const AppInfo = z.object({
  mode: Mode,
  station: z.string(),
  version: z.string(),
  stripeReachable: z.boolean(),
  motoEnabled: z.boolean(),
  publishableKey: z.string().nullable(),
  /** Where the offline demo's emulator listens (emulator mode only). */
  emulatorUrl: z.string().nullable(),
  /** The console's clock minus this machine's (non-zero only when the training clock was advanced). */
  clockOffsetMs: z.number().int(),
  /** The shop's country (two letters): phone numbers typed without a country code are its numbers. */
  country: z.string(),
  /** The message sent with a secure payment link; {link}, {amount}, {order} and {shop} are filled in. */
  linkMessage: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Settings = z.object({
  mode: Mode,
  hasSecretKey: z.boolean(),
  /** e.g. "sk_test_…4242": enough to recognise it, never enough to use it. */
  secretKeyHint: z.string().nullable(),
  publishableKey: z.string().nullable(),
  motoEnabled: z.boolean(),
  webhook: z.object({ enabled: z.boolean(), port: z.number().int(), hasSecret: z.boolean() }),
  station: z.string(),
  /** The letter(s) this station's order numbers start with ("A" → A1001); null until its first order. */
  stationCode: z.string().nullable(),
  /** Which Stripe this console is the station of, in words (e.g. "Shared demo shop at http://127.0.0.1:12111"). */
  shop: z.string(),
  /** The stations of this shop seen in its orders, this one included. */
  stations: z.array(
    z.object({ code: z.string(), name: z.string(), lastSeen: Timestamp, thisStation: z.boolean() }),
  ),
  /** Another station takes orders under this station's code: its numbers would clash. */
  stationCodeConflict: z.string().nullable(),
  /** The shop's country (two letters), e.g. US: the default for phone numbers and addresses. */
  country: z.string(),
  /** The message sent with a secure payment link (email or text); {link}, {amount}, {order}, {shop}. */
  linkMessage: z.string(),
});
export type Settings = z.infer<typeof Settings>;

const OrderFilter = z
  .object({
    status: OrderStatus.optional(),
    from: Timestamp.optional(),
    to: Timestamp.optional(),
    query: z.string().max(LIMITS.orderQuery).optional(),
    /** Awaiting stock (a held waitlist order), paid, or cancelled (a released or lapsed hold). */
    payment: z.enum(['authorized', 'paid', 'canceled']).optional(),
  })
  .strict();
export type OrderFilter = z.infer<typeof OrderFilter>;

// ------------------------------------------------------------------ shop manager: catalog, glance, customers, printing

export const CatalogItem = Product.extend({
  /** Units on the shelf (count + deliveries − sales + restocks); `stock` is what new orders may take. */
  onHand: z.number().int(),
  /** Units promised to waiting orders (holds and saved cards) until they are captured or released. */
  committed: z.number().int(),
  /** When the stock was last counted (epoch ms, Stripe's time); null when it never was. */
  countedAt: Timestamp.nullable(),
  /** Who counted it ("Maria · Front desk"). */
  countedBy: z.string().nullable(),
  /** Another active product has the same SKU (two stations created it at once): one should be deactivated. */
  duplicateSku: z.boolean(),
});
export type CatalogItem = z.infer<typeof CatalogItem>;

export const Note = z.object({ id: z.string(), text: z.string(), by: z.string(), at: Timestamp });
export type Note = z.infer<typeof Note>;

export const CoverableHold = z.object({
  hold: Hold,
  lines: z.array(
    z.object({
      sku: z.string(),
      name: z.string(),
      quantity: z.number().int(),
      unitAmount: MinorUnits,
      waitlist: z.boolean(),
      /** In stock now (after the holds with an earlier deadline took theirs). */
      covered: z.boolean(),
    }),
  ),
  /** What capturing the covered lines takes from the hold; the rest is released. */
  amount: MinorUnits,
  /** Every line can be sent now. */
  complete: z.boolean(),
});
export type CoverableHold = z.infer<typeof CoverableHold>;

export const Cancellation = z.object({ by: z.string(), at: Timestamp, reason: z.string(), note: z.string() });
export type Cancellation = z.infer<typeof Cancellation>;
export const CancelReason = z.enum([
  'customer_request',
  'out_of_stock',
  'suspected_fraud',
  'duplicate',
  'other',
]);
export type CancelReason = z.infer<typeof CancelReason>;

export const OrderExtras = z.object({
  orderId: z.string(),
  number: z.string(),
  currency: z.string(),
  shippingFee: MinorUnits,
  notes: z.array(Note),
  cancellation: Cancellation.nullable(),
  receipt: z.object({
    /** Where Stripe sends the receipt (the charge's receipt_email); null when the order has no email. */
    email: z.string().nullable(),
    url: z.string().nullable(),
    card: z.string().nullable(),
    /** The last resend asked for from the console (any station). */
    resent: z.object({ to: z.string(), by: z.string(), at: Timestamp, n: z.number().int() }).nullable(),
  }),
  customerId: z.string().nullable(),
  /** What cancelling refunds now (the captured amount not yet refunded). */
  refundable: MinorUnits,
  /** Why the order can't be cancelled as one action; null when it can. */
  /** A waiting order (held, or waiting on its saved card): cancelling releases it; nothing was charged. */
  waiting: z.boolean().optional(),
  cancelBlocked: z.string().nullable(),
});
export type OrderExtras = z.infer<typeof OrderExtras>;

const Tally = z.object({ count: z.number().int(), amount: MinorUnits });
export const DayFigures = z.object({
  /** The shop's time zone (IANA name) the day is counted in. */
  timeZone: z.string(),
  /** The day, yyyy-mm-dd in that zone, and its bounds (epoch ms). */
  day: z.string(),
  from: Timestamp,
  to: Timestamp,
  /** When these figures were read (this station's clock). */
  at: Timestamp,
  currency: z.string(),
  /** Orders placed that day and what was captured on them. */
  sales: Tally,
  /** Refunds made that day (failed ones excluded). */
  refunds: Tally,
  net: MinorUnits,
  /**
   * Tax collected on the day's sales (what they captured carries), taken back by the day's refunds, and by
   * jurisdiction; discounts given on the day's sales (sales are already net of them). Absent: an older core.
   */
  tax: z
    .object({
      collected: MinorUnits,
      refunded: MinorUnits,
      byJurisdiction: z.array(z.object({ name: z.string(), amount: MinorUnits })),
    })
    .optional(),
  discounts: Tally.optional(),
  /** Orders in other currencies, not in the figures above. */
  otherCurrencies: z.number().int(),
  /** Waitlist holds still open (now), and their capturable value. */
  holds: Tally,
  /** Of those, the ones whose authorization lapses within 24 hours. */
  expiring: Tally,
  expiringHolds: z.array(Hold),
  toPack: z.number().int(),
  toShip: z.number().int(),
  cancelled: z.number().int(),
  disputes: Tally,
  fraudWarnings: z.number().int(),
  /** Sales by hour of the day (24 entries, the zone's hours). */
  byHour: z.array(z.object({ hour: z.number().int(), count: z.number().int(), amount: MinorUnits })),
  /** Sales by day, the 14 days up to and including this one. */
  byDay: z.array(z.object({ day: z.string(), count: z.number().int(), amount: MinorUnits })),
  /** The day's orders (at most 500), oldest first, for the end-of-day summary. */
  orders: z.array(OrderRow),
  /** Items sold that day, most sold first. */
  items: z.array(
    z.object({ sku: z.string(), name: z.string(), quantity: z.number().int(), amount: MinorUnits }),
  ),
  refundList: z.array(
    z.object({
      orderNumber: z.string().nullable(),
      amount: MinorUnits,
      at: Timestamp,
      reason: z.string().nullable(),
    }),
  ),
});
export type DayFigures = z.infer<typeof DayFigures>;

const TaxRegion = z
  .object({
    country: z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code, e.g. US'),
    state: z.string().max(3).nullable().optional(),
    components: z
      .array(
        z
          .object({
            jurisdiction: z.string().trim().min(1, 'name the tax').max(40),
            level: z.enum(['country', 'state', 'province', 'county', 'city']),
            type: z.enum(['sales_tax', 'vat', 'gst', 'hst', 'pst', 'qst']),
            /** Parts per million: 8.875 % is 88 750; at most 100 %. */
            ratePpm: z.number().int().min(0).max(1_000_000, 'a rate can’t be more than 100%'),
          })
          .strict(),
      )
      .min(1)
      .max(4),
  })
  .strict();
export const ShopTax = z
  .object({
    mode: TaxMode,
    pricesIncludeTax: z.boolean(),
    shippingTaxable: z.boolean(),
    regions: z.array(TaxRegion).max(60),
    origin: z
      .object({
        line1: z.string().trim().max(LIMITS.addressLine),
        city: z.string().trim().max(LIMITS.city),
        state: z.string().trim().max(LIMITS.state),
        postalCode: z.string().trim().max(LIMITS.postalCode),
        country: z.string().regex(COUNTRY_PATTERN, 'a two-letter country code, e.g. US'),
      })
      .strict()
      .nullable(),
    discountReasons: z.array(z.string().trim().min(1).max(40)).max(12),
    discountLimitAmount: z.number().int().min(0).max(LIMITS.amountMax).nullable(),
    /** Basis points (10 % = 1 000). */
    discountLimitBp: z.number().int().min(0).max(10_000).nullable(),
  })
  .strict();
export type ShopTax = z.infer<typeof ShopTax>;

export const ShopSettings = z.object({
  /** The name printed on receipts, packing slips and the end-of-day summary. */
  name: z.string(),
  /** The shop's time zone (IANA), which "today" is counted in. */
  timeZone: z.string(),
  /** True when no zone was chosen: this machine's zone is used. */
  timeZoneIsDefault: z.boolean(),
  /** The shipping fee staff are offered for a new order (minor units, the shop's currency; 0: none). */
  defaultShippingFee: MinorUnits,
  /** The shop's address as people write it (lines), printed on slips; '' when not set. */
  address: z.string(),
  /** Stripe's time (ms) of the shop's settings this station holds (kept in Stripe, shared by every station). */
  sharedAt: Timestamp.nullable(),
});
export type ShopSettings = z.infer<typeof ShopSettings>;

export const CustomerProfile = z.object({
  customer: Customer,
  /** Every ship-to address of theirs (their record's and their orders'), newest first. */
  addresses: z.array(Address),
  orders: z.array(OrderRow),
  holds: z.array(Hold),
  currency: z.string(),
  /** Captured minus refunded, in `currency` (orders in other currencies are not added in). */
  totalSpent: MinorUnits,
  totalRefunded: MinorUnits,
  notes: z.array(Note),
  firstOrderAt: Timestamp.nullable(),
  lastOrderAt: Timestamp.nullable(),
});
export type CustomerProfile = z.infer<typeof CustomerProfile>;

export const PrintDocument = z.object({
  orderId: z.string(),
  number: z.string(),
  createdAt: Timestamp,
  status: OrderStatus,
  cancelled: z.boolean(),
  customer: z.object({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable() }),
  shipTo: z.object({ name: z.string(), phone: z.string().nullable(), address: Address }).nullable(),
  lines: z.array(CartLine),
  shippingFee: MinorUnits,
  currency: z.string(),
  /** What the customer paid (captured), and what was refunded. */
  paid: MinorUnits,
  refunded: MinorUnits,
  card: z.string().nullable(),
  receiptEmail: z.string().nullable(),
  takenBy: z.string().nullable(),
  /** Discounts and tax, for the receipt (never on the packing slip); absent: an order with neither. */
  pricing: OrderPricingView.optional(),
});
export type PrintDocument = z.infer<typeof PrintDocument>;

const NoteText = z.string().trim().min(1).max(300);
const DayText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as yyyy-mm-dd');

// ------------------------------------------------------------------------- waitlist orders on a saved card

export const WaitChoice = z.enum(['hold', 'save_card']);
export type WaitChoice = z.infer<typeof WaitChoice>;
/** A day, yyyy-mm-dd. */
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, yyyy-mm-dd');

/** How a waitlist cart could wait, what the console suggests, and the words to read out for saving the card. */
export const WaitOptions = z.object({
  cartId: z.string(),
  suggested: WaitChoice,
  /** Why, in a sentence staff can repeat. */
  reason: z.string(),
  /** The expected arrival (yyyy-mm-dd): as staff entered it, or from the products' usual lead time. */
  expectedArrival: z.string().nullable(),
  arrivalSource: z.enum(['staff', 'lead_time']).nullable(),
  leadTimeDays: z.number().int().nullable(),
  /** How long a card authorization lasts (Stripe's capture_before, as this shop's holds showed it). */
  authorizationDays: z.number(),
  /** When a hold placed now would lapse (Stripe's time). */
  holdLapsesAt: Timestamp,
  /** The words to read out before saving the card, for each way: send back exactly the ones read. */
  terms: z.object({ saveCard: z.string(), holdAndSave: z.string() }),
});
export type WaitOptions = z.infer<typeof WaitOptions>;

/** A saved card as staff may see it: brand, last 4, expiry — never more. */
export const SavedCardView = z.object({
  id: z.string(),
  brand: z.string(),
  last4: z.string(),
  expMonth: z.number().int(),
  expYear: z.number().int(),
});
export type SavedCardView = z.infer<typeof SavedCardView>;

/** A waitlist order whose card was saved: charged when its stock arrives (manager). */
export const WaitingOrder = z.object({
  orderId: z.string().nullable(),
  cartId: z.string(),
  paymentIntentId: z.string(),
  orderNumber: z.string(),
  customerId: z.string().nullable(),
  customerName: z.string(),
  currency: z.string(),
  amount: MinorUnits,
  /** The order's shipping fee: charged with the first charge, by lines or whole. */
  shippingFee: MinorUnits,
  items: z.array(
    z.object({
      sku: z.string(),
      name: z.string(),
      quantity: z.number().int(),
      unitAmount: MinorUnits,
      waitlist: z.boolean(),
      inStock: z.boolean(),
      /** The whole line after its discounts, with its tax when prices exclude it (absent: price × quantity). */
      lineTotal: MinorUnits.optional(),
    }),
  ),
  /** The shipping fee with its tax when prices exclude it (absent: the fee). */
  shippingTotal: MinorUnits.optional(),
  /** waiting: card saved, charged on arrival; action_needed: the charge needs the customer; paid. */
  state: z.enum(['waiting', 'action_needed', 'paid']),
  card: SavedCardView.nullable(),
  cardRemoved: z.boolean(),
  /** What the customer agreed to, as kept with the order in Stripe. */
  agreement: z
    .object({
      terms: z.string(),
      agreedAt: Timestamp,
      expectedArrival: z.string().nullable(),
      agreedBy: z.string(),
    })
    .nullable(),
  /** Why the customer is needed, in words staff can use on the phone. */
  problem: z
    .object({ code: z.string(), declineCode: z.string().nullable(), explanation: z.string() })
    .nullable(),
  /** The bank's page for the customer to complete the payment on their own device, once sent. */
  payLink: z.string().nullable(),
  /** Every waitlist line is in stock now. */
  stockArrived: z.boolean(),
  createdAt: Timestamp,
});
export type WaitingOrder = z.infer<typeof WaitingOrder>;

export const CustomerSavedCard = SavedCardView.extend({ waitingOrders: z.array(WaitingOrder) });
export type CustomerSavedCard = z.infer<typeof CustomerSavedCard>;
export const RemovedCard = z.object({
  removed: SavedCardView,
  /** The waiting orders that used it: they need the customer for another card. */
  affectedOrders: z.array(WaitingOrder),
  message: z.string(),
});
export type RemovedCard = z.infer<typeof RemovedCard>;

// ------------------------------------------------------------------------------------------------ channels

const channel = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const contract = {
  // app and session
  'app:info': channel(Empty, AppInfo),
  'auth:status': channel(Empty, z.object({ needsSetup: z.boolean(), user: User.nullable() })),
  'auth:setup': channel(
    z.object({ name: z.string().trim().min(1).max(LIMITS.userName), pin: Pin }).strict(),
    User,
  ),
  /** With a name, or with the passcode alone (passcodes are unique within the shop). */
  'auth:login': channel(
    z.object({ name: z.string().trim().max(LIMITS.userName).default(''), pin: Pin }).strict(),
    User,
  ),
  'auth:logout': channel(Empty, z.null()),
  /** Anyone signed in changes their own PIN, saying the current one. */
  'auth:changePin': channel(z.object({ currentPin: Pin, newPin: Pin }).strict(), User),

  // staff accounts (manager)
  'users:list': channel(Empty, z.array(User)),
  'users:create': channel(
    // managerPin: the signed-in manager's own PIN; account and key changes are confirmed like money actions.
    z
      .object({ name: z.string().trim().min(1).max(LIMITS.userName), role: Role, pin: Pin, managerPin: Pin })
      .strict(),
    User,
  ),
  'users:update': channel(
    z
      .object({
        userId: Id,
        role: Role.optional(),
        disabled: z.boolean().optional(),
        pin: Pin.optional(),
        managerPin: Pin,
      })
      .strict(),
    User,
  ),

  // catalog and customers
  'products:search': channel(
    z
      .object({
        query: z.string().max(LIMITS.productQuery),
        limit: z.number().int().min(1).max(100).default(20),
      })
      .strict(),
    z.array(Product),
  ),
  'products:save': channel(
    z
      .object({
        id: Id.optional(),
        sku: z.string().trim().min(1).max(LIMITS.sku),
        name: z.string().trim().min(1).max(LIMITS.productName),
        unitAmount: PositiveAmount,
        currency: Currency,
        stock: z.number().int().min(0).max(LIMITS.stock),
        active: z.boolean().default(true),
        /** Stripe's tax code: general goods, food, or nontaxable; null: general goods. */
        taxCode: z.enum(['txcd_99999999', 'txcd_40060003', 'txcd_00000000']).nullable().optional(),
      })
      .strict(),
    Product,
  ),
  'customers:search': channel(
    z.object({ query: z.string().min(1).max(LIMITS.customerQuery) }).strict(),
    z.array(Customer),
  ),
  /** Every customer by name, a page at a time (the Customers screen browses them, not only searches). */
  'customers:list': channel(
    z
      .object({
        offset: z.number().int().min(0).max(10_000_000),
        limit: z.number().int().min(1).max(200),
      })
      .strict(),
    z.object({ total: z.number().int(), rows: z.array(Customer) }),
  ),

  // carts and phone-order checkout
  'carts:create': channel(z.object({ currency: Currency.default('usd') }).strict(), Cart),
  'carts:get': channel(z.object({ cartId: Id }).strict(), Cart),
  'carts:listOpen': channel(Empty, z.array(Cart)),
  'carts:update': channel(
    z
      .object({
        cartId: Id,
        customer: CustomerInput.nullable().optional(),
        /** 'ship' needs a complete address before the card is charged; 'collect' needs none. */
        delivery: Delivery.optional(),
        lines: z
          .array(
            z
              .object({
                productId: Id,
                quantity: z.number().int().min(LIMITS.quantityMin).max(LIMITS.quantityMax),
              })
              .strict(),
          )
          .max(LIMITS.cartLines)
          .optional(),
        /** Minor units; 0 removes the fee. */
        shippingFee: z.number().int().min(0).max(1_000_000).optional(),
        /** The cart's discounts as a whole (replacing the ones before): per line (by product) and on the order. */
        discounts: z
          .object({
            lines: z.record(Id, GivenDiscount).refine((r) => Object.keys(r).length <= LIMITS.cartLines, {
              message: 'too many discounts',
            }),
            order: GivenDiscount.nullable(),
          })
          .strict()
          .optional(),
        /** A manager's PIN allowing a discount above the shop's limit (checked in main). */
        approvalPin: Pin.optional(),
      })
      .strict(),
    Cart,
  ),
  'carts:discard': channel(z.object({ cartId: Id }).strict(), Cart),
  /**
   * More of a product was asked for than is available: keep the units available on this cart and send the rest to
   * its waiting part (made if missing). `quantity` is how many the customer wants in all. Nothing is charged.
   */
  'carts:splitWaiting': channel(
    z
      .object({
        cartId: Id,
        productId: Id,
        quantity: z.number().int().min(LIMITS.quantityMin).max(LIMITS.quantityMax),
      })
      .strict(),
    Cart,
  ),
  /** Drop the waiting part (its cart is discarded; this cart keeps its lines). */
  'carts:dropWaiting': channel(z.object({ cartId: Id }).strict(), Cart),

  'payments:testCards': channel(Empty, z.array(TestCard)),
  /** Payments in progress at every station of the shop (issue 23 item 5). */
  'payments:inProgress': channel(Empty, z.array(PaymentInProgress)),
  /** Cancel one, wherever it was taken: Stripe is read first (paid or held meanwhile: refused, saying so). */
  'payments:cancelInProgress': channel(
    z.object({ paymentIntentId: PaymentIntentId }).strict(),
    z.array(PaymentInProgress),
  ),
  /** Create (or reuse) the cart's PaymentIntent, then confirm it with the card. Safe to call again. */
  'payments:pay': channel(
    z
      .object({
        cartId: Id,
        paymentMethod: z
          .string()
          .regex(/^(pm|tok)_[A-Za-z0-9_]{1,100}$/, 'a PaymentMethod id (pm_…) or token'),
        moto: z.boolean().default(false),
        /** A cart with waitlist lines: hold the money, or save the card and charge it when the stock arrives. */
        waitlist: WaitChoice.default('hold'),
        /** With a hold: save the card too, so a hold that lapses or is released is charged on arrival. */
        saveCard: z.boolean().default(false),
        /** The terms read out (from waitlist:options), exactly; required when the card is saved. */
        consentText: z.string().max(600).optional(),
        expectedArrival: Day.optional(),
        /** The amount the pay button named (minor units): main charges nothing if the cart totals another. */
        expectedTotal: z.number().int().min(0).optional(),
        /** With a waiting part: its total as the pay button named it (then `waitlist`… are its choice). */
        expectedWaitingTotal: z.number().int().min(0).optional(),
      })
      .strict(),
    Cart,
  ),
  /** Open the 3DS page in the console's own window; resolves once it returns (or is closed). */
  'payments:authenticate': channel(z.object({ cartId: Id }).strict(), Cart),
  /** Read the PaymentIntent back from Stripe and settle the cart (used for pending confirmation). */
  'payments:refresh': channel(z.object({ cartId: Id }).strict(), Cart),
  /** Staff sent the customer the secure link to finish 3D Secure on their own device: recorded on the order. */
  'payments:linkSent': channel(
    z
      .object({
        cartId: Id,
        via: z.enum(['email', 'text', 'copy']),
        to: z.string().trim().max(LIMITS.email).optional(),
      })
      .strict(),
    Cart,
  ),
  /** Live card entry (desktop app): Stripe.js in a window of its own; the PaymentMethod to pay with. */
  'payments:collectCard': channel(
    z.object({ customerName: z.string().max(200), amountLabel: z.string().max(40) }).strict(),
    z.union([z.object({ paymentMethodId: z.string() }), z.object({ canceled: z.literal(true) })]),
  ),

  // waitlist holds (manager; PIN re-entered for money actions)
  'holds:list': channel(
    z.object({ include: z.enum(['open', 'all']).default('open') }).strict(),
    z.array(Hold),
  ),
  'holds:capture': channel(
    z
      .object({
        paymentIntentId: PaymentIntentId,
        amount: PositiveAmount,
        version: z.number().int().min(0),
        pin: Pin,
        /** Capture by lines: the lines (and how many of each) that arrived; the rest is released. */
        lines: z
          .array(
            z.object({ sku: z.string().min(1).max(40), quantity: z.number().int().min(0).max(999) }).strict(),
          )
          .max(100)
          .optional(),
      })
      .strict(),
    Hold,
  ),
  'holds:release': channel(
    z
      .object({
        paymentIntentId: PaymentIntentId,
        version: z.number().int().min(0),
        pin: Pin,
        /** The customer asked to be charged on arrival instead: the saved card stays for the order. */
        keepCard: z.boolean().optional(),
      })
      .strict(),
    Hold,
  ),

  // waitlist orders on a saved card
  'waitlist:options': channel(
    z.object({ cartId: Id, expectedArrival: Day.optional() }).strict(),
    WaitOptions,
  ),
  'waitlist:list': channel(Empty, z.array(WaitingOrder)),
  /** Charge a saved-card order off-session now that its stock is in (manager, PIN re-entered). */
  'waitlist:chargeSaved': channel(
    z
      .object({
        cartId: Id,
        pin: Pin,
        /** By lines, as for holds: the lines (and how many of each) that arrived are charged; the rest is not. */
        lines: z
          .array(
            z.object({ sku: z.string().min(1).max(40), quantity: z.number().int().min(0).max(999) }).strict(),
          )
          .max(100)
          .optional(),
        /** The amount the dialog named (minor units): nothing is charged if the charge comes to another. */
        expectedAmount: z.number().int().min(0).optional(),
      })
      .strict(),
    WaitingOrder,
  ),
  /** The bank's page for the customer to complete the payment on their own device. */
  'waitlist:payLink': channel(z.object({ cartId: Id }).strict(), WaitingOrder),
  /** Customer action needed, staff call back: another card taken on the phone pays the same order (on-session). */
  'waitlist:payByPhone': channel(
    z
      .object({
        cartId: Id,
        paymentMethod: z
          .string()
          .regex(/^(pm|tok)_[A-Za-z0-9_]{1,100}$/, 'a PaymentMethod id (pm_…) or token'),
        moto: z.boolean().default(false),
      })
      .strict(),
    WaitingOrder,
  ),
  /** The bank's page for the card taken on the phone, in the console's own window; resolves once it returns. */
  'waitlist:authenticate': channel(z.object({ cartId: Id }).strict(), WaitingOrder),
  'customers:savedCards': channel(z.object({ customerId: Id }).strict(), z.array(CustomerSavedCard)),
  /** Remove a saved card at the customer's request (detached in Stripe); says which waiting orders it affects. */
  'customers:removeCard': channel(
    z.object({ customerId: Id, paymentMethodId: z.string().regex(/^pm_[A-Za-z0-9_]{1,100}$/) }).strict(),
    RemovedCard,
  ),

  // orders and fulfillment
  'orders:list': channel(
    OrderFilter.extend({
      offset: z.number().int().min(0).max(10_000_000).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }).strict(),
    z.object({
      rows: z.array(OrderRow),
      total: z.number().int(),
      /** A term most orders match is counted only so far: `total` is then a lower bound ("10,000+"). */
      totalCapped: z.literal(true).optional(),
    }),
  ),
  'orders:get': channel(z.object({ orderId: Id }).strict(), OrderDetail),
  'orders:advance': channel(
    z
      .object({
        orderIds: z.array(Id).min(1).max(500),
        to: z.enum(['processing', 'shipped']),
        carrier: z.string().trim().max(LIMITS.carrier).optional(),
        trackingNumber: z.string().trim().max(LIMITS.trackingNumber).optional(),
        /** Shipping several orders: each its own carrier and tracking number (overrides the two above). */
        shipments: z
          .array(
            z
              .object({
                orderId: Id,
                carrier: z.string().trim().max(LIMITS.carrier),
                trackingNumber: z.string().trim().max(LIMITS.trackingNumber),
              })
              .strict(),
          )
          .max(500)
          .optional(),
      })
      .strict(),
    z.array(
      z.object({
        orderId: z.string(),
        ok: z.boolean(),
        status: OrderStatus.nullable(),
        message: z.string().nullable(),
      }),
    ),
  ),
  'orders:exportCsv': channel(
    OrderFilter.extend({
      /** One row per order, or one per item line (for packing). */
      layout: z.enum(['orders', 'lines']).default('orders'),
      /** The IANA time zone the dates are written in (the console's own); the machine's zone when absent. */
      timeZone: z.string().max(64).optional(),
    }).strict(),
    z.object({ filename: z.string(), csv: z.string(), rows: z.number().int() }),
  ),
  'orders:refund': channel(
    z
      .object({
        orderId: Id,
        amount: PositiveAmount,
        /** The refunded total the manager was looking at: a refund on a stale view is refused. */
        expectedRefunded: MinorUnits.min(0),
        pin: Pin,
        reason: z.enum(['requested_by_customer', 'duplicate', 'fraudulent']).optional(),
        /** A refund of units of one line (the amount is theirs), and whether they go back in stock. */
        line: z
          .object({
            sku: z.string().min(1).max(LIMITS.sku),
            quantity: z.number().int().min(1).max(LIMITS.quantityMax),
            restock: z.boolean(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    OrderDetail,
  ),

  // sync health, event log, reconciliation
  'sync:status': channel(Empty, SyncHealth),
  'sync:events': channel(
    z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    z.array(EventRow),
  ),
  'sync:reconcile': channel(Empty, z.object({ at: Timestamp, drifts: z.array(Drift) })),
  'sync:fix': channel(
    z.object({ driftId: z.string().max(200) }).strict(),
    z.object({ at: Timestamp, drifts: z.array(Drift) }),
  ),

  // audit log
  'audit:list': channel(
    z
      .object({
        limit: z.number().int().min(1).max(500).default(100),
        offset: z.number().int().min(0).max(10_000_000).default(0),
        /** Who did it (exact name), what (an action or its start, e.g. "order." or "hold.captured"). */
        actor: z.string().trim().max(LIMITS.userName).optional(),
        action: z.string().trim().max(60).optional(),
        /** Any part of the subject: an order, cart or payment id, or an order number. */
        subject: z.string().trim().max(LIMITS.orderQuery).optional(),
        from: Timestamp.optional(),
        to: Timestamp.optional(),
      })
      .strict(),
    z.array(AuditEntry),
  ),
  /** Every station's money actions, from Stripe (managers). */
  'audit:moneyActions': channel(
    z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    z.array(MoneyAction),
  ),
  'audit:verify': channel(
    Empty,
    z.object({ ok: z.boolean(), entries: z.number().int(), brokenAt: z.number().int().nullable() }),
  ),

  // settings (manager)
  'settings:get': channel(Empty, Settings),
  'settings:update': channel(
    z
      .object({
        publishableKey: z
          .string()
          .regex(/^pk_(test|live)_[A-Za-z0-9]{10,250}$/)
          .nullable()
          .optional(),
        motoEnabled: z.boolean().optional(),
        webhookEnabled: z.boolean().optional(),
        webhookPort: z.number().int().min(1024).max(65535).optional(),
        webhookSecret: z
          .string()
          .regex(/^whsec_[A-Za-z0-9]{10,250}$/)
          .nullable()
          .optional(),
        station: z.string().trim().min(1).max(LIMITS.userName).optional(),
        stationCode: z
          .string()
          .regex(/^[A-Z]{1,3}$/, 'one to three capital letters, e.g. A or FD')
          .optional(),
        country: z.string().regex(COUNTRY_PATTERN, 'a two-letter country code, e.g. US').optional(),
        linkMessage: z.string().trim().min(1).max(LIMITS.linkMessage).optional(),
      })
      .strict(),
    Settings,
  ),
  /** Stored with the OS keychain (safeStorage); never returned. null removes it (back to the emulator). */
  'settings:setSecretKey': channel(
    z
      .object({
        secretKey: z
          .string()
          .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]{10,250}$/, 'a Stripe secret key (sk_test_…/sk_live_…)')
          .nullable(),
        managerPin: Pin,
      })
      .strict(),
    Settings,
  ),

  // catalog and stock (manager): the catalog screen, goods received, holds the new stock covers
  'catalog:list': channel(
    z
      .object({
        query: z.string().max(100).default(''),
        include: z.enum(['active', 'all']).default('all'),
        limit: z.number().int().min(1).max(500).default(200),
      })
      .strict(),
    z.array(CatalogItem),
  ),
  'catalog:receive': channel(
    z
      .object({
        productId: Id,
        quantity: z.number().int().min(1).max(100_000),
        /** One per delivery (the dialog makes it): a repeat of the same delivery counts once. */
        deliveryId: z
          .string()
          .regex(/^[A-Za-z0-9_-]{8,60}$/)
          .optional(),
      })
      .strict(),
    z.object({ product: CatalogItem, coverable: z.array(CoverableHold) }),
  ),
  'catalog:coverable': channel(Empty, z.array(CoverableHold)),

  // today at a glance and the end-of-day summary; the shop's own settings (name, time zone, shipping fee)
  'glance:day': channel(z.object({ day: DayText.optional() }).strict(), DayFigures),
  'shop:settings': channel(Empty, ShopSettings),
  /** Settings → Tax: how the shop collects tax, its rates, and its discount rules (shared in Stripe). */
  'tax:settings': channel(Empty, ShopTax),
  'tax:update': channel(ShopTax, ShopTax),
  'shop:update': channel(
    z
      .object({
        name: z.string().trim().min(1).max(80).optional(),
        timeZone: z.string().max(60).nullable().optional(),
        defaultShippingFee: z.number().int().min(0).max(1_000_000).optional(),
        address: z.string().trim().max(300).optional(),
      })
      .strict(),
    ShopSettings,
  ),

  // customers: the customer page and its shared notes
  'customers:get': channel(z.object({ customerId: Id }).strict(), CustomerProfile),
  'customers:addNote': channel(z.object({ customerId: Id, text: NoteText }).strict(), CustomerProfile),
  'customers:removeNote': channel(
    z.object({ customerId: Id, noteId: z.string().regex(/^[a-z0-9]{1,20}$/) }).strict(),
    CustomerProfile,
  ),

  // an order's notes, receipt and cancellation (shared through its charge)
  'orders:extras': channel(z.object({ orderId: Id }).strict(), OrderExtras),
  'orders:addNote': channel(z.object({ orderId: Id, text: NoteText }).strict(), OrderExtras),
  'orders:removeNote': channel(
    z.object({ orderId: Id, noteId: z.string().regex(/^[a-z0-9]{1,20}$/) }).strict(),
    OrderExtras,
  ),
  'orders:cancel': channel(
    z
      .object({
        orderId: Id,
        reason: CancelReason,
        note: z.string().trim().max(250).default(''),
        /** The refunded total the manager was looking at: a cancel on a stale view is refused. */
        expectedRefunded: MinorUnits.min(0),
        pin: Pin,
      })
      .strict(),
    OrderExtras,
  ),
  'receipts:resend': channel(z.object({ orderId: Id, email: z.email().max(254) }).strict(), OrderExtras),

  // printing: receipts, packing slips and labels for one order or a selection
  'print:documents': channel(
    z.object({ orderIds: z.array(Id).min(1).max(200) }).strict(),
    z.array(PrintDocument),
  ),
  /** Desktop app: print the console's window (the print view), or save it as a PDF. Browser mode: not_available. */
  'print:page': channel(
    z
      .object({
        action: z.enum(['print', 'pdf']),
        /** A file name for the PDF, without a folder. */
        filename: z
          .string()
          .regex(/^[A-Za-z0-9 _.-]{1,80}\.pdf$/, 'a file name ending in .pdf')
          .optional(),
      })
      .strict(),
    z.object({ done: z.boolean(), path: z.string().nullable() }),
  ),

  /** Put text on the clipboard: Electron's main (its clipboard); browser mode: the page (the bridge's shim). */
  'clipboard:write': channel(
    z.object({ text: z.string().min(1).max(4000) }).strict(),
    z.object({ copied: z.boolean() }),
  ),
  /** Hand a link to the app that opens it (mail, messages, phone, the browser); opened: it was handed over. */
  'links:open': channel(
    z
      .object({
        url: z
          .string()
          .max(8000)
          .regex(/^(mailto:|sms:|tel:|https:\/\/)/, 'a mailto:, sms:, tel: or https:// link'),
      })
      .strict(),
    z.object({ opened: z.boolean() }),
  ),

  // training mode (emulator only): rehearse expiries without waiting days
  'emulator:advanceClock': channel(
    z
      .object({
        seconds: z
          .number()
          .int()
          .min(1)
          .max(60 * 24 * 3600),
      })
      .strict(),
    z.object({ now: Timestamp }),
  ),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Input<C extends Channel> = z.input<Contract[C]['input']>;
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type Output<C extends Channel> = z.output<Contract[C]['output']>;

// -------------------------------------------------------------------------------------------------- events

export const eventContract = {
  'sync:progressed': SyncHealth,
  'orders:changed': z.object({ orderIds: z.array(z.string()) }),
  'holds:changed': z.object({ paymentIntentIds: z.array(z.string()) }),
  'carts:changed': z.object({ cartId: z.string() }),
  'products:changed': z.object({ productIds: z.array(z.string()) }),
  /** Stripe said something a manager must act on: a dispute, a fraud warning, a failed refund. */
  'orders:alerted': z.object({
    paymentIntentId: z.string(),
    orderId: z.string(),
    kind: z.enum(['dispute_opened', 'dispute_closed', 'fraud_warning', 'refund_failed', 'order_conflict']),
    title: z.string(),
    body: z.string(),
  }),
  /** A hold's notification was clicked: show that hold. */
  'holds:focus': z.object({ paymentIntentId: z.string() }),
  /** The desktop app's menu (Go → a screen): the page switches to it if the signed-in user may open it. */
  'app:navigate': z.object({ screen: z.string() }),
  /**
   * Whether the console's process answers this page (browser mode's bridge reports it itself, the moment its
   * event stream or a call fails, and again once it is back; in Electron the window and main live together).
   */
  'console:connection': z.object({ connected: z.boolean() }),
  'holds:expiring': z.object({
    paymentIntentId: z.string(),
    customerName: z.string(),
    hoursLeft: z.number(),
  }),
} as const;
export type EventContract = typeof eventContract;
export type EventName = keyof EventContract;
export type EventPayload<E extends EventName> = z.output<EventContract[E]>;
