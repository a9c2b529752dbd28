// Carts (repository for the carts table) and how a cart reads to the renderer.
import type { Db } from '../store/db';
import type {
  Cart,
  CartLine,
  CustomerInput,
  Decline,
  Delivery,
  PaymentPhase,
  WaitingPart,
} from '../../ipc/contract';

export interface CartRow {
  id: string;
  status: Cart['status'];
  currency: string;
  customer_id: string | null;
  lines_json: string;
  total: number;
  waitlist: number;
  payment_intent_id: string | null;
  pi_status: string | null;
  last_decline_json: string | null;
  auth_url: string | null;
  pending: number;
  version: number;
  created_by: string;
  created_at: number;
  updated_at: number;
  /** The customer as staff typed it (a returning customer's Stripe id is customer_id). */
  customer_json: string | null;
  station_code: string | null;
  number: number | null;
  pi_details: string | null;
  /** How a waitlist cart waits ('hold' or 'save_card'); null until the customer chose. */
  wait_mode: 'hold' | 'save_card' | null;
  /** A hold that also saves the card (1). */
  hold_saves_card: number;
  /** What the customer agreed to for saving the card (WaitAgreement as JSON). */
  consent_json: string | null;
  /** The SetupIntent saving the card of a 'save_card' cart. */
  setup_intent_id: string | null;
  /** Shipped or collected in person; null until staff said. */
  delivery: Delivery | null;
  /** The shipping fee (minor units), included in total. */
  shipping_fee: number;
  /** The discounts staff gave (payments/cart-pricing.ts CartDiscounts), or null. */
  discounts_json: string | null;
  /** The cart as last priced (CartPricing), or null. */
  pricing_json: string | null;
  /** This cart's waiting part: a second cart for what is not in stock, paid after it with the same card. */
  waiting_cart_id: string | null;
  /** On a waiting part: the cart it was split from. Its lines always wait for stock. */
  waiting_of: string | null;
}

export function getCartRow(db: Db, id: string): CartRow | null {
  return (db.prepare('SELECT * FROM carts WHERE id = ?').get(id) as CartRow | undefined) ?? null;
}

/** A waitlist cart whose card is saved is charged on arrival (automatic); a hold is captured by a manager. */
export function captureMethodOf(row: Pick<CartRow, 'waitlist' | 'wait_mode'>): 'manual' | 'automatic' {
  return row.waitlist === 1 && row.wait_mode !== 'save_card' ? 'manual' : 'automatic';
}

/** The phase of a cart saving its card: its SetupIntent's (its PaymentIntent waits unconfirmed meanwhile). */
function setupPhase(db: Db, row: CartRow): PaymentPhase | null {
  if (row.wait_mode !== 'save_card' || !row.setup_intent_id || row.pending) return null;
  const status = db
    .prepare('SELECT status FROM card_setups WHERE id = ?')
    .pluck()
    .get(row.setup_intent_id) as string | undefined;
  if (status === 'succeeded') return row.pi_status === 'succeeded' ? 'succeeded' : 'card_saved';
  if (status === 'requires_action') return 'authenticating';
  return null;
}

export function phaseOf(row: CartRow): PaymentPhase {
  if (row.pending) return 'pending_confirmation';
  switch (row.pi_status) {
    case null:
      return 'building';
    case 'requires_payment_method':
    case 'requires_confirmation':
      return 'awaiting_card';
    case 'requires_action':
      return 'authenticating';
    case 'processing':
      return 'processing';
    case 'requires_capture':
      return 'on_hold';
    case 'succeeded':
      return 'succeeded';
    case 'canceled':
      return 'canceled';
    default:
      return 'awaiting_card';
  }
}

export function toCart(db: Db, row: CartRow): Cart {
  const lines = JSON.parse(row.lines_json) as CartLine[];
  const order = row.payment_intent_id
    ? (db.prepare('SELECT id FROM orders WHERE payment_intent_id = ?').get(row.payment_intent_id) as
        { id: string } | undefined)
    : undefined;
  const draft = row.customer_json ? (JSON.parse(row.customer_json) as CustomerInput) : null;
  return {
    id: row.id,
    shippingFee: row.shipping_fee ?? 0,
    status: row.status,
    phase: setupPhase(db, row) ?? phaseOf(row),
    currency: row.currency,
    customer: draft ? { ...draft, id: row.customer_id ?? '' } : null,
    lines,
    total: row.total,
    waitlist: row.waitlist === 1,
    captureMethod: captureMethodOf(row),
    paymentIntentId: row.payment_intent_id,
    lastDecline: row.last_decline_json ? (JSON.parse(row.last_decline_json) as Decline) : null,
    authenticationUrl: row.auth_url,
    orderId: order?.id ?? null,
    orderNumber: row.number !== null && row.station_code ? `${row.station_code}${row.number}` : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by,
    waitMode: row.wait_mode ?? null,
    holdSavesCard: row.hold_saves_card === 1,
    delivery: row.delivery ?? null,
    ...(row.discounts_json ? { discounts: JSON.parse(row.discounts_json) as Cart['discounts'] } : {}),
    pricing: row.pricing_json ? publicPricing(JSON.parse(row.pricing_json) as CartPricingRow) : null,
    waitingPart: waitingPartOf(db, row),
    waitingOf: row.waiting_of ?? null,
  };
}

/** The cart's waiting part, while it has one that was not dropped. */
export function waitingRowOf(db: Db, row: Pick<CartRow, 'waiting_cart_id'>): CartRow | null {
  if (!row.waiting_cart_id) return null;
  const b = getCartRow(db, row.waiting_cart_id);
  return b && b.status !== 'canceled' && b.lines_json !== '[]' ? b : null;
}

function waitingPartOf(db: Db, row: CartRow): WaitingPart | null {
  const b = waitingRowOf(db, row);
  if (!b) return null;
  const c = toCart(db, b);
  return {
    cartId: c.id,
    status: c.status,
    phase: c.phase,
    lines: c.lines,
    total: c.total,
    taxTotal: c.pricing?.taxTotal ?? 0,
    orderNumber: c.orderNumber,
    lastDecline: c.lastDecline,
    authenticationUrl: c.authenticationUrl,
  };
}

type CartPricingRow = NonNullable<Cart['pricing']> & { digest?: string; record?: unknown };
/** The price as the renderer sees it (without the digest and the record kept for the order's metadata). */
function publicPricing(p: CartPricingRow): NonNullable<Cart['pricing']> {
  const { digest: _d, record: _r, ...rest } = p;
  return rest;
}

export function listOpenCarts(db: Db): CartRow[] {
  return (
    db
      // A waiting part is listed on its own once the cart it was split from is no longer open (paid, or dropped).
      .prepare(
        `SELECT * FROM carts c WHERE status = 'open'
         AND NOT EXISTS (SELECT 1 FROM carts a WHERE a.id = c.waiting_of AND a.status = 'open')
       ORDER BY updated_at DESC LIMIT 50`,
      )
      .all() as CartRow[]
  );
}

/** Sum of lines in integer minor units; throws past Stripe's cap rather than overflowing. */
export function totalOf(lines: CartLine[]): number {
  let total = 0;
  for (const l of lines) total += l.lineTotal;
  return total;
}
