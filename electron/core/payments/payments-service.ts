// Phone orders: carts, their one PaymentIntent, and paying it. Every Stripe write goes through the journal,
// so a retry — a second press, a dropped connection, a crash and restart — reuses the same key and Stripe
// acts at most once. The cart keeps its PaymentIntent for life: an interrupted checkout resumes it, a
// changed cart updates its amount, a declined card is retried on the same PaymentIntent.
import { cutText } from '../record/text';
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { Clock, IdGenerator, AuthWindow, Logger } from '../ports';
import type {
  Cart,
  CartLine,
  CustomerInput,
  Decline,
  Delivery,
  PaymentInProgress,
  TestCard,
} from '../../ipc/contract';
import { checkRegion, missingForShipping } from '../../ipc/address';
import { AppError } from '../../ipc/errors';
import { LIMITS } from '../../ipc/limits';
import { formatMoney } from '../../ipc/money';
import type { Actor } from '../auth/auth-service';
import { appendAudit } from '../audit/audit-log';
import { createHash } from 'node:crypto';
import { getProduct } from '../catalog/products';
import { findCustomer, getCustomer } from '../catalog/customers';
import { encodeOrderMetadata } from '../orders/order-metadata';
import { nextOrderNumber, stationId } from '../station/station';
import { claimStationCode } from '../station/station-claim';
import { addressToStripe } from '../sync/shop-projection';
import { applyWritten } from '../sync/apply-written';
import { classifyStripeError, type StripeFailure, type StripeGateway, type Written } from '../stripe/gateway';
import {
  type Journal,
  openEntriesFor,
  latestEntry,
  type JournalEntry,
  type Operation,
  type Outcome,
} from '../stripe/journal';
import {
  captureMethodOf,
  getCartRow,
  listOpenCarts,
  phaseOf,
  toCart,
  totalOf,
  waitingRowOf,
  type CartRow,
} from './carts';
import type { CheckoutWait, SavedCardsService } from './saved-cards-service';
import type { WaitAgreement } from './waitlist-terms';
import { explainDecline } from './declines';
import { listInProgress } from './in-progress';
import {
  NO_DISCOUNTS,
  byProduct,
  discountsNeedApproval,
  priceCart,
  pricingDigest,
  unpayableReason,
} from './cart-pricing';
import { applyDiscounts } from '../tax/discounts';
import type { CartDiscounts, CartPricing, PricingInput, StripeTaxPort } from './cart-pricing';
import { encodePricing, PRICING_KEYS } from '../orders/pricing-metadata';
import { calculationLines, createCartCalculation } from '../stripe/stripe-tax';
import type { ShopTax } from '../tax/shop-tax';

export const TEST_CARDS: TestCard[] = [
  { paymentMethod: 'pm_card_visa', label: 'Visa — succeeds', outcome: 'succeeds' },
  { paymentMethod: 'pm_card_mastercard', label: 'Mastercard — succeeds', outcome: 'succeeds' },
  { paymentMethod: 'pm_card_visa_chargeDeclined', label: 'Declined (generic)', outcome: 'declines' },
  {
    paymentMethod: 'pm_card_visa_chargeDeclinedInsufficientFunds',
    label: 'Declined — insufficient funds',
    outcome: 'declines',
  },
  {
    paymentMethod: 'pm_card_visa_chargeDeclinedLostCard',
    label: 'Declined — lost card',
    outcome: 'declines',
  },
  {
    paymentMethod: 'pm_card_visa_chargeDeclinedStolenCard',
    label: 'Declined — stolen card',
    outcome: 'declines',
  },
  {
    paymentMethod: 'pm_card_chargeDeclinedExpiredCard',
    label: 'Declined — expired card',
    outcome: 'declines',
  },
  {
    paymentMethod: 'pm_card_chargeDeclinedIncorrectCvc',
    label: 'Declined — incorrect CVC',
    outcome: 'declines',
  },
  {
    paymentMethod: 'pm_card_chargeDeclinedProcessingError',
    label: 'Declined — processing error',
    outcome: 'declines',
  },
  { paymentMethod: 'pm_card_chargeDeclinedFraudulent', label: 'Declined — fraudulent', outcome: 'declines' },
  { paymentMethod: 'pm_card_threeDSecure2Required', label: '3D Secure required', outcome: 'authentication' },
  {
    paymentMethod: 'pm_card_authenticationRequired',
    label: 'Authentication on every payment',
    outcome: 'authentication',
  },
];

export interface PaymentsDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  journal: Journal;
  gateway: () => StripeGateway;
  authWindow: AuthWindow;
  logger: Logger;
  settings: { motoEnabled: boolean; station: string };
  onCartChanged: (cartId: string) => void;
  onOrdersChanged?: (orderIds: string[]) => void;
  /** The shop's tax and discount settings as this station holds them (Settings → Tax; shared in Stripe). */
  shopTax?: () => ShopTax;
}

export interface CartPatch {
  customer?: CustomerInput | null | undefined;
  lines?: { productId: string; quantity: number }[] | undefined;
  /** Shipped or collected in person (a shipped order needs a complete address before the card is charged). */
  delivery?: Delivery | undefined;
  /** The shipping fee (minor units; 0: none). */
  shippingFee?: number | undefined;
  /** The discounts, as a whole (who gave them is the actor). */
  discounts?: Pick<CartDiscounts, 'lines' | 'order'> | undefined;
  /** A manager allowing a discount above the shop's limit: checks their PIN, returns their name. */
  approve?: (() => string) | undefined;
}

export class PaymentsService {
  /**
   * One operation at a time per cart: pay, refresh, update and discard queue behind each other, so the items
   * can't change under a payment in flight. The same operation pressed twice while it runs shares one result.
   */
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly running = new Map<string, Promise<Cart>>();

  /** Waitlist orders on a saved card (saved-cards-service.ts): how a waitlist cart waits, and saving its card. */
  private waitlist: SavedCardsService | null = null;

  constructor(private readonly d: PaymentsDeps) {}

  useWaitlist(w: SavedCardsService): void {
    this.waitlist = w;
  }

  // ------------------------------------------------------------------------------------------------ carts

  create(currency: string, actor: Actor): Cart {
    const { db, clock, ids } = this.d;
    const id = ids.id('cart');
    const now = clock.now();
    db.prepare(
      `INSERT INTO carts (id, status, currency, created_by, created_at, updated_at) VALUES (?, 'open', ?, ?, ?, ?)`,
    ).run(id, currency, actor.name, now, now);
    return this.get(id);
  }

  get(cartId: string): Cart {
    const row = getCartRow(this.d.db, cartId);
    if (!row) throw new AppError('not_found', 'That cart does not exist.');
    return toCart(this.d.db, row);
  }

  listOpen(): Cart[] {
    return listOpenCarts(this.d.db).map((r) => toCart(this.d.db, r));
  }

  update(cartId: string, patch: CartPatch, actor: Actor): Promise<Cart> {
    return this.exclusive(cartId, `update:${JSON.stringify(patch)}`, () =>
      this.updateNow(cartId, patch, actor),
    );
  }

  private async updateNow(cartId: string, patch: CartPatch, actor: Actor): Promise<Cart> {
    const { db, clock } = this.d;
    const row = this.requireOpen(cartId);
    const phase = toCart(db, row).phase;
    if (
      (patch.lines || patch.shippingFee !== undefined || patch.discounts) &&
      (!['building', 'awaiting_card'].includes(phase) || this.hasOpenEntries(row))
    ) {
      throw new AppError(
        'precondition_failed',
        'The payment is in progress. Finish it or cancel it before changing the items.',
      );
    }
    const now = clock.now();
    let lines = JSON.parse(row.lines_json) as CartLine[];
    if (patch.lines) {
      const previous = new Map(lines.map((l) => [l.productId, l]));
      const seen = new Set<string>();
      lines = patch.lines.map((l) => {
        if (seen.has(l.productId))
          throw new AppError('invalid_input', 'A product appears twice in the cart; combine the quantities.');
        seen.add(l.productId);
        const p = getProduct(db, l.productId);
        if (!p || !p.active) throw new AppError('not_found', `Product ${l.productId} is not in the catalog.`);
        if (p.currency !== row.currency) {
          throw new AppError(
            'invalid_input',
            `${p.name} is priced in ${p.currency.toUpperCase()}, the cart in ${row.currency.toUpperCase()}.`,
          );
        }
        // A line keeps the price it was added at; its waitlist flag follows the stock for the quantity asked.
        const kept = previous.get(l.productId);
        const unitAmount = kept?.unitAmount ?? p.unitAmount;
        return {
          productId: p.id,
          sku: p.sku,
          name: p.name,
          unitAmount,
          quantity: l.quantity,
          lineTotal: unitAmount * l.quantity,
          waitlist: waitsForStock(row, p.stock, l.quantity),
        };
      });
    }
    const shippingFee = patch.shippingFee ?? row.shipping_fee;
    const total = totalOf(lines) + (lines.length ? shippingFee : 0);
    if (total > 99_999_999)
      throw new AppError('invalid_input', 'The cart total is more than Stripe accepts in one payment.');
    const waitlist = lines.some((l) => l.waitlist) ? 1 : 0;
    // New quantities can take a % discount past the shop's limit: the PIN again, before anything changes.
    const reapproved = patch.lines && !patch.discounts ? this.reapproveFor(row, lines, patch, actor) : null;
    db.transaction(() => {
      let customerId = row.customer_id;
      let customerJson = row.customer_json;
      if (patch.customer !== undefined) {
        // The customer as typed; a returning customer (same email, else same phone) is the same Stripe Customer.
        customerJson = patch.customer ? JSON.stringify(patch.customer) : null;
        customerId = patch.customer ? (findCustomer(db, patch.customer)?.id ?? null) : null;
      }
      db.prepare(
        `UPDATE carts SET customer_id = ?, customer_json = ?, lines_json = ?, total = ?, waitlist = ?, shipping_fee = ?, version = version + 1, updated_at = ? WHERE id = ?`,
      ).run(customerId, customerJson, JSON.stringify(lines), total, waitlist, shippingFee, now, cartId);
      if (reapproved)
        db.prepare('UPDATE carts SET discounts_json = ? WHERE id = ?').run(
          JSON.stringify(reapproved),
          cartId,
        );
    })();
    if (patch.delivery)
      db.prepare(
        'UPDATE carts SET delivery = ?, version = version + 1 WHERE id = ? AND delivery IS NOT ?',
      ).run(patch.delivery, cartId, patch.delivery);
    if (patch.discounts) {
      const given = this.approveDiscounts(getCartRow(db, cartId)!, patch, actor);
      db.prepare('UPDATE carts SET discounts_json = ?, version = version + 1 WHERE id = ?').run(
        JSON.stringify(given),
        cartId,
      );
    }
    // Any change prices the cart again (discounts, then tax in the shop's mode), before a card is touched.
    await this.reprice(cartId);
    // A PaymentIntent that exists follows the cart — amount, capture method, lines, customer, shipping and
    // receipt email in one journaled update — never a second PaymentIntent.
    const updated = getCartRow(db, cartId)!;
    if (
      updated.payment_intent_id &&
      updated.total > 0 &&
      (patch.lines ||
        patch.customer !== undefined ||
        patch.shippingFee !== undefined ||
        patch.discounts ||
        patch.delivery)
    ) {
      await this.syncDetails(updated, actor);
    }
    // The waiting part is for the same customer, sent the same way: it follows (and is priced again).
    const part = waitingRowOf(db, updated);
    if (part && part.status === 'open' && (patch.customer !== undefined || patch.delivery))
      await this.update(part.id, { customer: patch.customer, delivery: patch.delivery }, actor);
    this.d.onCartChanged(cartId);
    return this.get(cartId);
  }

  discard(cartId: string, actor: Actor): Promise<Cart> {
    return this.exclusive(cartId, 'discard', () => this.discardNow(cartId, actor));
  }

  private async discardNow(cartId: string, actor: Actor): Promise<Cart> {
    const { db, clock } = this.d;
    const row = this.requireOpen(cartId);
    if (row.pending || this.hasOpenEntries(row)) {
      throw new AppError(
        'pending_confirmation',
        'A payment on this cart is still being confirmed with Stripe. Check it again before discarding.',
      );
    }
    if (row.payment_intent_id) {
      // What Stripe says now decides: an authorized hold is released only by a manager, from Holds.
      const pi = await this.readBack(row.payment_intent_id);
      this.applySnapshot(pi, true);
      if (pi.status === 'requires_capture') {
        throw new AppError(
          'forbidden',
          'This cart’s payment is authorized and on hold. A manager can release it from Holds.',
        );
      }
      if (pi.status === 'succeeded') throw new AppError('conflict', 'This cart has already been paid.');
    }
    if (row.payment_intent_id && getCartRow(db, cartId)!.pi_status !== 'canceled') {
      const outcome = await this.call(
        'payment_intent.cancel',
        row.payment_intent_id,
        { cancellation_reason: 'abandoned' },
        actor,
        (p, key) => this.d.gateway().cancelPaymentIntent(row.payment_intent_id!, p, key),
      );
      this.raiseUnless(outcome);
    }
    db.transaction(() => {
      db.prepare(
        `UPDATE carts SET status = 'canceled', version = version + 1, updated_at = ? WHERE id = ?`,
      ).run(clock.now(), cartId);
      this.audit(actor, 'cart.discarded', cartId, null, { paymentIntentId: row.payment_intent_id });
    })();
    const part = waitingRowOf(db, row);
    if (part && part.status === 'open') await this.discard(part.id, actor);
    this.d.onCartChanged(cartId);
    return this.get(cartId);
  }

  /** Payments in progress at every station (payments/in-progress.ts). */
  listInProgress(): PaymentInProgress[] {
    return listInProgress(this.d.db);
  }

  /**
   * Cancel a payment in progress, wherever it was taken. What Stripe says now decides: paid or held meanwhile, it
   * is an order (refused, saying so); cancelled already, nothing is sent. The key is the PaymentIntent's, so two
   * stations cancelling at once send one cancel. The taking station's cart follows from the PaymentIntent.
   */
  async cancelInProgress(paymentIntentId: string, actor: Actor): Promise<PaymentInProgress[]> {
    const known = this.d.db
      .prepare('SELECT content_json FROM payment_intents WHERE id = ?')
      .pluck()
      .get(paymentIntentId) as string | null | undefined;
    if (!known) throw new AppError('not_found', 'That payment is not one of this shop’s.');
    const pi = await this.readBack(paymentIntentId);
    this.applySnapshot(pi, true);
    if (pi.status === 'succeeded')
      throw new AppError('conflict', 'The customer has paid meanwhile: it is an order now (see Orders).');
    if (pi.status === 'requires_capture')
      throw new AppError(
        'conflict',
        'The card was authorized meanwhile: it is a waitlist order now. A manager can release it from Holds.',
      );
    if (pi.status !== 'canceled') {
      const outcome = await this.call(
        'payment_intent.cancel',
        paymentIntentId,
        { cancellation_reason: 'abandoned' },
        actor,
        (p, key) => this.d.gateway().cancelPaymentIntent(paymentIntentId, p, key),
        `mc-cancel-in-progress-${paymentIntentId}`,
      );
      if (outcome.state === 'succeeded') this.applySnapshot(outcome.object, true);
      else if (outcome.state === 'failed') {
        // Cancelled at another station between the read and the cancel (Stripe refuses a second): read again.
        const now = await this.readBack(paymentIntentId);
        this.applySnapshot(now, true);
        if (now.status !== 'canceled') this.raiseUnless(outcome);
      } else this.raiseUnless(outcome);
      this.audit(
        actor,
        'payment.cancelled_in_progress',
        paymentIntentId,
        { status: pi.status },
        null,
        outcome,
      );
    }
    const cartId = (pi.metadata?.cart_id as string | undefined) ?? null;
    if (cartId && getCartRow(this.d.db, cartId)) this.d.onCartChanged(cartId);
    return this.listInProgress();
  }

  testCards(): TestCard[] {
    if (this.d.gateway().mode === 'live')
      throw new AppError('not_available', 'Test cards are not available in live mode.');
    return TEST_CARDS;
  }

  // ----------------------------------------------------------------------------------------------- paying

  /**
   * Take the payment. A cart with a waiting part (splitWaiting) is paid first; once it is paid the same card pays
   * the waiting part — held, or saved, as `wait` says (it is the waiting part's choice then) — and
   * `expectedWaitingTotal` is the waiting part's total as the pay button named it.
   */
  pay(
    cartId: string,
    paymentMethod: string,
    moto: boolean,
    actor: Actor,
    wait?: CheckoutWait,
    expectedWaitingTotal?: number,
  ): Promise<Cart> {
    return this.exclusive(
      cartId,
      `pay:${paymentMethod}:${moto}:${JSON.stringify(wait ?? null)}:${expectedWaitingTotal ?? ''}`,
      () => this.payNow(cartId, paymentMethod, moto, actor, wait, { expectedWaitingTotal }),
    );
  }

  private async payNow(
    cartId: string,
    paymentMethod: string,
    moto: boolean,
    actor: Actor,
    wait?: CheckoutWait,
    opts: { expectedWaitingTotal?: number | undefined; sameCardAs?: string } = {},
  ): Promise<Cart> {
    const { db } = this.d;
    let row = this.requireOpen(cartId);
    if (row.waiting_of && !opts.sameCardAs && getCartRow(db, row.waiting_of)?.status === 'open')
      throw new AppError(
        'precondition_failed',
        'This is the waiting part of an order still being taken: take the payment from that order.',
      );
    if (moto && !this.d.settings.motoEnabled)
      throw new AppError('precondition_failed', 'MOTO payments are not enabled in Settings.');
    if (this.d.gateway().mode === 'live' && /^pm_card_|^tok_/.test(paymentMethod)) {
      throw new AppError('not_available', 'Test cards cannot be used in live mode.');
    }
    if ((JSON.parse(row.lines_json) as CartLine[]).length === 0)
      throw new AppError('precondition_failed', 'The cart is empty.');
    if (!row.customer_json)
      throw new AppError('precondition_failed', 'Add the customer’s name before taking payment.');
    // The waiting part's card is the one this checkout just charged (attached to the customer for it).
    if (!opts.sameCardAs) await this.refuseSavedCard(paymentMethod);
    if (row.delivery === 'ship') {
      // A card is not charged for an order that can't be shipped: the address must be complete.
      const shipping = (JSON.parse(row.customer_json) as CustomerInput).shipping;
      const missing = missingForShipping(shipping);
      if (missing)
        throw new AppError(
          'precondition_failed',
          `The shipping address is not complete (${missing}). Add it, or mark the order as collected in person.`,
        );
      // "ZZ" is no US state: a parcel (and Stripe's fraud checks) need a real one (issue 23).
      const region = shipping ? checkRegion(shipping.country, shipping.state ?? '') : null;
      if (region && !region.ok) throw new AppError('invalid_input', `Shipping address: ${region.reason}`);
    }
    // Stock may have gone meanwhile (sold at another station): a line that can't be sent now becomes a waitlist
    // line, and staff see it before the card is charged.
    this.restock(row);
    const fresh = getCartRow(db, cartId)!;
    if (fresh.waitlist !== row.waitlist) {
      this.d.onCartChanged(cartId);
      throw new AppError(
        'precondition_failed',
        fresh.waitlist
          ? 'Stock changed: some items are now out of stock, so this order becomes a waitlist order (the card is authorized, not charged). Check the cart and take the payment again.'
          : 'Stock changed: every item is in stock now, so the card will be charged at once. Check the cart and take the payment again.',
      );
    }

    // An earlier attempt whose outcome is unknown must be settled first: never a second charge.
    if (row.pending) {
      await this.settleOpenEntries(row, actor);
      row = getCartRow(db, cartId)!;
      if (row.pending)
        throw new AppError(
          'pending_confirmation',
          'The last payment attempt is still unconfirmed. Check again in a moment.',
        );
      if (row.status !== 'open') return this.get(cartId);
    }
    // While the customer is stuck in 3D Secure, another card may be tried on the same PaymentIntent
    // (Stripe confirms from requires_action too): no new cart, no second payment.

    // A waitlist cart waits as the customer chose: its money held, or its card saved (with their agreement).
    if (this.waitlist) {
      this.waitlist.recordChoice(row, wait ?? { waitlist: 'hold', saveCard: false }, actor);
      row = getCartRow(db, cartId)!;
    }
    // A waiting part is made ready before anything is charged: its choice and terms, its price, the total shown.
    const part = this.unpaidWaitingPart(row);
    if (part) await this.readyWaitingPart(part, wait, opts.expectedWaitingTotal, actor);
    // The price must be the one on screen, worked out from the cart as it is now: else price it again, say so and
    // charge nothing (the next press pays the new total, once staff have seen it).
    this.checkPriced(await this.pricingNowOrAgain(row));
    row = getCartRow(db, cartId)!;
    const piId = await this.ensurePaymentIntent(row, actor);
    row = getCartRow(db, cartId)!;
    // Never confirm an amount other than the cart's: the PaymentIntent must match it now.
    const pi = this.piRow(piId);
    if (!pi || pi.amount !== row.total || pi.capture_method !== captureMethodOf(row)) {
      throw new AppError(
        'conflict',
        'The payment amount could not be brought in line with the cart. Check the cart and try again.',
      );
    }
    // Saved and charged on arrival: the card is saved now, and the PaymentIntent waits for the stock.
    if (this.waitlist && row.waitlist && row.wait_mode === 'save_card') {
      await this.waitlist.saveCard(row, piId, paymentMethod, actor);
      return this.get(cartId);
    }
    const params: Stripe.PaymentIntentConfirmParams = {
      payment_method: paymentMethod,
      return_url: this.d.authWindow.returnUrl(),
      expand: ['latest_charge'],
      ...(moto ? { payment_method_options: { card: { moto: true } } } : {}),
    };
    const outcome = await this.call(
      'payment_intent.confirm',
      piId,
      params as Record<string, unknown>,
      actor,
      (p, key) => this.d.gateway().confirmPaymentIntent(piId, p as Stripe.PaymentIntentConfirmParams, key),
    );
    this.applyOutcome(row, outcome, actor);
    if (part) await this.payWaitingPart(cartId, moto, actor);
    return this.get(cartId);
  }

  // ------------------------------------------------------------------------- the waiting part (a split)

  /**
   * More of a product was asked for than is available (issue 23 item 13): this cart keeps the units available and
   * the rest go to its waiting part — a second cart of the same customer, with its own order number, whose lines
   * always wait for stock, paid right after this one with the same card. `quantity` is how many are asked for on
   * this cart; what is over the units available is added to the waiting part. Nothing is charged.
   */
  splitWaiting(cartId: string, productId: string, quantity: number, actor: Actor): Promise<Cart> {
    return this.exclusive(cartId, `split:${productId}:${quantity}`, async () => {
      const { db } = this.d;
      const row = this.requireOpen(cartId);
      if (row.waiting_of)
        throw new AppError('precondition_failed', 'This is already the waiting part of another order.');
      const p = getProduct(db, productId);
      if (!p || !p.active) throw new AppError('not_found', 'That product is not in the catalog.');
      const available = Math.max(0, p.stock);
      if (available < 1)
        throw new AppError(
          'precondition_failed',
          `No ${p.name} is in stock now: add it waiting for stock, so the whole order waits.`,
        );
      if (quantity <= available)
        throw new AppError(
          'precondition_failed',
          `${available} ${p.name} ${available === 1 ? 'is' : 'are'} in stock: all ${quantity} can be sent now.`,
        );
      const lines = (JSON.parse(row.lines_json) as CartLine[]).map((l) => ({
        productId: l.productId,
        quantity: l.quantity,
      }));
      const now = lines.some((l) => l.productId === productId)
        ? lines.map((l) => (l.productId === productId ? { ...l, quantity: available } : l))
        : [...lines, { productId, quantity: available }];
      // This cart first: if it can't take the units in stock, nothing waits either.
      await this.updateNow(cartId, { lines: now }, actor);
      await this.addToWaitingPart(getCartRow(db, cartId)!, productId, quantity - available, actor);
      this.d.onCartChanged(cartId);
      return this.get(cartId);
    });
  }

  /** Drop the waiting part: its cart is discarded, this one keeps its lines. */
  dropWaiting(cartId: string, actor: Actor): Promise<Cart> {
    return this.exclusive(cartId, 'drop-waiting', async () => {
      const row = this.requireOpen(cartId);
      const part = waitingRowOf(this.d.db, row);
      if (part && part.status === 'open') await this.discard(part.id, actor);
      this.d.db
        .prepare('UPDATE carts SET waiting_cart_id = NULL, version = version + 1 WHERE id = ?')
        .run(cartId);
      this.d.onCartChanged(cartId);
      return this.get(cartId);
    });
  }

  private async addToWaitingPart(row: CartRow, productId: string, more: number, actor: Actor): Promise<void> {
    const { db, clock, ids } = this.d;
    let part = waitingRowOf(db, row);
    if (part && part.status !== 'open') part = null;
    if (!part) {
      const id = ids.id('cart');
      const now = clock.now();
      db.transaction(() => {
        db.prepare(
          `INSERT INTO carts (id, status, currency, created_by, created_at, updated_at, customer_id, customer_json,
             delivery, waiting_of) VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          id,
          row.currency,
          actor.name,
          now,
          now,
          row.customer_id,
          row.customer_json,
          row.delivery,
          row.id,
        );
        db.prepare('UPDATE carts SET waiting_cart_id = ?, version = version + 1 WHERE id = ?').run(
          id,
          row.id,
        );
        this.audit(actor, 'cart.split', row.id, null, { waitingCartId: id, productId, quantity: more });
      })();
      part = getCartRow(db, id)!;
    }
    const lines = (JSON.parse(part.lines_json) as CartLine[]).map((l) => ({
      productId: l.productId,
      quantity: l.quantity,
    }));
    const had = lines.find((l) => l.productId === productId);
    const next = had
      ? lines.map((l) =>
          l.productId === productId ? { ...l, quantity: Math.min(LIMITS.quantityMax, l.quantity + more) } : l,
        )
      : [...lines, { productId, quantity: Math.min(LIMITS.quantityMax, more) }];
    await this.update(part.id, { lines: next }, actor);
  }

  /** On a waiting part: the number of the order it was split from (once that order has one). */
  private splitFrom(row: CartRow): string | null {
    if (!row.waiting_of) return null;
    const a = getCartRow(this.d.db, row.waiting_of);
    return a?.station_code && a.number !== null ? `${a.station_code}${a.number}` : null;
  }

  /** The cart's waiting part while it is still to be paid (open, never tried or waiting for a card). */
  private unpaidWaitingPart(row: CartRow): CartRow | null {
    const part = waitingRowOf(this.d.db, row);
    return part &&
      part.status === 'open' &&
      !part.pending &&
      ['building', 'awaiting_card'].includes(phaseOf(part))
      ? part
      : null;
  }

  /**
   * Before the first cart is charged: the waiting part waits as chosen (its terms read out when its card is saved),
   * is priced as it is now, and totals what the button named. Any of these failing charges nothing.
   */
  private async readyWaitingPart(
    part: CartRow,
    wait: CheckoutWait | undefined,
    expected: number | undefined,
    actor: Actor,
  ): Promise<void> {
    const { db } = this.d;
    this.restock(part);
    if (this.waitlist)
      this.waitlist.recordChoice(
        getCartRow(db, part.id)!,
        wait ?? { waitlist: 'hold', saveCard: false },
        actor,
      );
    this.checkPriced(await this.pricingNowOrAgain(getCartRow(db, part.id)!));
    const now = getCartRow(db, part.id)!;
    if (expected === undefined || now.total !== expected) {
      this.d.onCartChanged(part.id);
      throw new AppError(
        'conflict',
        `The waiting part totals ${formatMoney(now.total, now.currency)}${expected === undefined ? '' : `, not the ${formatMoney(expected, now.currency)} shown`}: nothing was charged. Check the order and press again.`,
      );
    }
  }

  /**
   * The first cart is paid: its card — attached to the customer by that payment — pays the waiting part now, held
   * or saved as recorded on it. Once, whoever asks (the checkout, or a refresh after 3D Secure): a waiting part
   * already tried is left to staff (its decline shows, and another card can be taken on it).
   */
  private async payWaitingPart(
    cartId: string,
    moto: boolean,
    actor: Actor,
    /** Called while the waiting part's own operations wait (its refresh): pay it in place. */
    inPartLock = false,
  ): Promise<void> {
    const { db } = this.d;
    const row = getCartRow(db, cartId)!;
    const part = this.unpaidWaitingPart(row);
    if (!part || row.status !== 'paid' || part.last_decline_json || !row.payment_intent_id) return;
    const pm = db
      .prepare('SELECT payment_method_id FROM payment_intents WHERE id = ?')
      .pluck()
      .get(row.payment_intent_id) as string | null | undefined;
    if (!pm) return;
    db.prepare('UPDATE carts SET customer_id = ? WHERE id = ? AND customer_id IS NOT ?').run(
      row.customer_id,
      part.id,
      row.customer_id,
    );
    const wait = waitOfRow(part);
    try {
      const pay = () => this.payNow(part.id, pm, moto, actor, wait, { sameCardAs: cartId });
      if (inPartLock) await pay();
      else await this.exclusive(part.id, `pay-waiting:${pm}`, pay);
    } catch (e) {
      // The first order is paid whatever happens here: the waiting part says why it was not, and waits for staff.
      const after = getCartRow(db, part.id)!;
      if (after.status === 'open' && !after.last_decline_json && e instanceof AppError) {
        const said: Decline = {
          code: e.code,
          declineCode: null,
          explanation: e.message,
          at: this.d.clock.now(),
        };
        db.prepare('UPDATE carts SET last_decline_json = ? WHERE id = ?').run(JSON.stringify(said), part.id);
      }
      this.d.logger.warn(`waiting part ${part.id} not paid: ${e instanceof Error ? e.message : String(e)}`);
    }
    await this.letGoOfSplitCard(part.id, pm, actor);
  }

  /**
   * A waiting part held without saving the card: the card was attached to the customer only to pay it, so it is
   * let go (detached) once the hold is placed. One that waits on the saved card keeps it, as the customer agreed.
   */
  private async letGoOfSplitCard(partId: string, pm: string, actor: Actor): Promise<void> {
    const part = getCartRow(this.d.db, partId)!;
    if (part.status !== 'on_hold' || part.wait_mode === 'save_card' || part.hold_saves_card === 1) return;
    const outcome = await this.detachCard(pm, actor);
    if (outcome.state === 'succeeded') applyWritten(this.d.db, outcome.object, this.d.clock.now());
  }

  /** Detach a card from its customer in Stripe: one key per card, whichever station or path asks. */
  detachCard(pm: string, actor: Actor): Promise<Outcome<Stripe.PaymentMethod>> {
    return this.call<Stripe.PaymentMethod>(
      'payment_method.detach',
      pm,
      {},
      actor,
      (_p, k) => this.d.gateway().detachPaymentMethod(pm, k),
      `mc_pm_detach_${pm}`,
    );
  }

  /**
   * A card saved on a customer's account is charged only through the manager's path (Holds → Saved cards: the
   * manager's PIN and the customer's agreement on the order). Its id is visible to staff, so the phone checkout
   * asks Stripe whose card it is and refuses a saved one. Test-card aliases (pm_card_…) are never saved.
   */
  async refuseSavedCard(paymentMethod: string): Promise<void> {
    if (!paymentMethod.startsWith('pm_') || paymentMethod.startsWith('pm_card_')) return;
    let pm: Stripe.PaymentMethod;
    try {
      pm = await this.d.gateway().retrievePaymentMethod(paymentMethod);
    } catch (e) {
      const f = classifyStripeError(e);
      if (f.kind === 'rejected') return; // no such card: the confirm says so in Stripe's words
      throw failureToError(f, f.kind === 'unknown');
    }
    if (pm.customer)
      throw new AppError(
        'forbidden',
        'This card is saved on a customer’s account. A saved card is charged by a manager from Holds → Saved cards, for the order the customer agreed to; take a new card here.',
      );
  }

  async authenticate(cartId: string, actor: Actor): Promise<Cart> {
    const row = getCartRow(this.d.db, cartId);
    if (!row) throw new AppError('not_found', 'That cart does not exist.');
    if (
      (row.pi_status !== 'requires_action' && toCart(this.d.db, row).phase !== 'authenticating') ||
      !row.auth_url
    ) {
      throw new AppError('precondition_failed', 'This payment is not waiting for authentication.');
    }
    await this.d.authWindow.open(row.auth_url, this.d.authWindow.returnUrl());
    return this.refresh(cartId, actor);
  }

  /** Read the PaymentIntent back from Stripe; settle any unconfirmed request of this cart. */
  refresh(cartId: string, actor: Actor): Promise<Cart> {
    return this.exclusive(cartId, 'refresh', async () => {
      const row = getCartRow(this.d.db, cartId);
      if (!row) throw new AppError('not_found', 'That cart does not exist.');
      await this.settleOpenEntries(row, actor);
      const after = getCartRow(this.d.db, cartId)!;
      if (after.payment_intent_id) {
        const pi = await this.readBack(after.payment_intent_id);
        this.applySnapshot(pi, true);
        this.recordDeclineFrom(after, pi);
      }
      if (this.waitlist) await this.waitlist.refreshSetup(getCartRow(this.d.db, cartId)!, actor);
      // Paid after the bank's check (or the customer's link): the waiting part is paid now, with the same card.
      // Refreshed itself (opened from Unfinished orders after the station stopped between the two payments, or the
      // first was paid on the customer's own device): the same, from the first order's card.
      const me = getCartRow(this.d.db, cartId)!;
      if (me.waiting_of) await this.payWaitingPart(me.waiting_of, false, actor, true);
      else await this.payWaitingPart(cartId, false, actor);
      this.d.onCartChanged(cartId);
      return this.get(cartId);
    });
  }

  // -------------------------------------------------------------------------------------------- internals

  private async ensurePaymentIntent(cartRow: CartRow, actor: Actor): Promise<string> {
    const { db, clock } = this.d;
    let row = cartRow;
    if (row.payment_intent_id) {
      const pi = this.piRow(row.payment_intent_id);
      if (
        pi &&
        (pi.amount !== row.total ||
          pi.capture_method !== captureMethodOf(row) ||
          row.pi_details !== this.detailsDigest(row))
      ) {
        await this.syncDetails(row, actor);
      }
      return row.payment_intent_id;
    }
    // Resume an interrupted create (same key), or make a new one.
    const previous = latestEntry(db, row.id, 'payment_intent.create');
    let entry: JournalEntry;
    if (
      previous &&
      (previous.state === 'pending' || previous.state === 'unknown') &&
      !this.d.journal.isPastSafeRetry(previous)
    ) {
      entry = previous;
    } else if (previous?.state === 'succeeded' && previous.objectId) {
      this.linkPaymentIntent(row.id, previous.objectId);
      return previous.objectId;
    } else {
      // The order's number needs this station's code, claimed in Stripe (two stations can't both be "A").
      if (!row.station_code) await claimStationCode(db, this.d.gateway(), actor.station);
      const customerId = await this.ensureCustomer(row, actor);
      row = getCartRow(db, row.id)!;
      const params: Stripe.PaymentIntentCreateParams = {
        currency: row.currency,
        statement_descriptor_suffix: 'PHONE ORDER',
        ...this.details(row, actor, customerId),
      };
      entry = this.d.journal.begin({
        operation: 'payment_intent.create',
        subject: row.id,
        params: params as unknown as Record<string, unknown>,
        actor: actor.name,
      });
    }
    const outcome = await this.d.journal.attempt(entry, (p, key) =>
      this.d.gateway().createPaymentIntent(p as unknown as Stripe.PaymentIntentCreateParams, key),
    );
    if (outcome.state !== 'succeeded') {
      if (outcome.state === 'unknown') {
        db.prepare('UPDATE carts SET pending = 1, updated_at = ? WHERE id = ?').run(clock.now(), row.id);
      }
      this.raiseUnless(outcome);
      throw new AppError('internal', 'unreachable');
    }
    db.transaction(() => {
      this.linkPaymentIntent(row.id, outcome.object.id);
      db.prepare('UPDATE carts SET pi_details = ? WHERE id = ?').run(this.detailsDigest(row), row.id);
      this.applySnapshot(outcome.object, true);
      this.audit(
        actor,
        'payment_intent.created',
        row.id,
        null,
        { paymentIntentId: outcome.object.id, amount: row.total, currency: row.currency },
        outcome,
      );
    })();
    return outcome.object.id;
  }

  /**
   * What the PaymentIntent says of its order: amount, capture method, the order's content (metadata), customer,
   * ship-to address and receipt email. Allocates the order's number the first time.
   */
  private details(
    row: CartRow,
    actor: Actor,
    customerId: string | null,
  ): {
    amount: number;
    capture_method: 'manual' | 'automatic';
    setup_future_usage?: 'off_session' | 'on_session';
    description: string;
    metadata: Record<string, string>;
    hooks?: { inputs: { tax: { calculation: string } } };
    customer?: string;
    shipping?: Stripe.PaymentIntentCreateParams.Shipping;
    receipt_email?: string;
  } {
    const { db } = this.d;
    let code = row.station_code;
    let number = row.number;
    if (!code || number === null) {
      ({ code, number } = nextOrderNumber(db));
      db.prepare('UPDATE carts SET station_code = ?, number = ? WHERE id = ?').run(code, number, row.id);
    }
    const customer = row.customer_json ? (JSON.parse(row.customer_json) as CustomerInput) : null;
    const lines = JSON.parse(row.lines_json) as CartLine[];
    const waitingOf = this.splitFrom(row);
    const metadata = encodeOrderMetadata({
      cartId: row.id,
      stationCode: code,
      number,
      stationId: stationId(db),
      stationName: this.d.settings.station,
      takenBy: row.created_by || actor.name,
      customerName: customer?.name ?? '',
      lines,
      ...(row.waitlist && row.consent_json ? { wait: JSON.parse(row.consent_json) as WaitAgreement } : {}),
      ...(row.delivery ? { delivery: row.delivery } : {}),
      ...(row.shipping_fee ? { shippingFee: row.shipping_fee } : {}),
      ...(waitingOf ? { waitingOf } : {}),
    });
    const pricing = pricingOf(row);
    if (pricing?.record) Object.assign(metadata, encodePricing(pricing.record));
    return {
      amount: row.total,
      ...(pricing?.calculationId
        ? { hooks: { inputs: { tax: { calculation: pricing.calculationId } } } }
        : {}),
      capture_method: captureMethodOf(row),
      // A hold that also saves the card: attached to the customer once authorized, for an off-session charge.
      ...(row.waitlist && row.wait_mode === 'hold' && row.hold_saves_card
        ? { setup_future_usage: 'off_session' as const }
        : this.unpaidWaitingPart(row)
          ? // The same card pays the waiting part right after: attached to the customer for that (on session;
            // the waiting part saves it for later only with the customer's agreement, and else lets it go).
            { setup_future_usage: 'on_session' as const }
          : {}),
      description: cutText(
        `Phone order ${code}${number}: ${lines.map((l) => `${l.quantity}× ${l.name}`).join(', ')}${row.shipping_fee ? ', shipping' : ''}`,
        1000,
      ),
      metadata,
      ...(customerId ? { customer: customerId } : {}),
      ...(customer?.shipping
        ? {
            shipping: {
              name: customer.name,
              ...(customer.phone ? { phone: customer.phone } : {}),
              address: addressToStripe(customer.shipping),
            },
          }
        : {}),
      ...(customer?.email ? { receipt_email: customer.email } : {}),
    };
  }

  /** A digest of what details() would send, to tell whether the PaymentIntent is behind the cart. */
  private detailsDigest(row: CartRow): string {
    return createHash('sha256')
      .update(`${row.wait_mode ?? ''}|${row.hold_saves_card}|${row.consent_json ?? ''}|`)
      .update(this.unpaidWaitingPart(row) ? 'waiting-part|' : '')
      .update(row.delivery ?? '')
      .update(
        JSON.stringify([
          row.total,
          row.waitlist,
          row.lines_json,
          row.customer_json,
          row.customer_id,
          ...(row.shipping_fee ? [row.shipping_fee] : []),
          ...(row.pricing_json ? [row.pricing_json] : []),
        ]),
      )
      .digest('hex')
      .slice(0, 24);
  }

  /** The cart's customer as a Stripe Customer: a returning one updated if anything changed, else a new one. */
  private async ensureCustomer(row: CartRow, actor: Actor): Promise<string | null> {
    const { db } = this.d;
    if (!row.customer_json) return null;
    const c = JSON.parse(row.customer_json) as CustomerInput;
    const params: Stripe.CustomerCreateParams = {
      name: c.name,
      // Tax-exempt (Stripe's own field) with the reason or certificate number beside it; null clears both.
      ...(c.taxExempt !== undefined
        ? {
            tax_exempt: c.taxExempt ? ('exempt' as const) : ('none' as const),
            metadata: { mc_tax_exempt: c.taxExempt ?? '' },
          }
        : {}),
      ...(c.email ? { email: c.email } : {}),
      ...(c.phone ? { phone: c.phone } : {}),
      ...(c.shipping
        ? {
            shipping: {
              name: c.name,
              ...(c.phone ? { phone: c.phone } : {}),
              address: addressToStripe(c.shipping),
            },
          }
        : {}),
    };
    const digest = createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 20);
    const known = row.customer_id ? getCustomer(db, row.customer_id) : null;
    if (
      known &&
      known.name === c.name &&
      (known.email ?? null) === (c.email ?? known.email ?? null) &&
      (known.phone ?? null) === (c.phone ?? known.phone ?? null) &&
      JSON.stringify(known.shipping ?? null) === JSON.stringify(c.shipping ?? known.shipping ?? null) &&
      (c.taxExempt === undefined || (known.taxExempt ?? null) === c.taxExempt)
    )
      return known.id;
    const outcome = known
      ? await this.call<Stripe.Customer>(
          'customer.update',
          known.id,
          params as Record<string, unknown>,
          actor,
          (p, k) => this.d.gateway().updateCustomer(known.id, p as Stripe.CustomerUpdateParams, k),
          `mc_cus_upd_${known.id}_${digest}`,
        )
      : await this.call<Stripe.Customer>(
          'customer.create',
          row.id,
          params as Record<string, unknown>,
          actor,
          (p, k) => this.d.gateway().createCustomer(p as Stripe.CustomerCreateParams, k),
          `mc_cus_${row.id}_${digest}`,
        );
    this.raiseUnless(outcome);
    if (outcome.state !== 'succeeded') return null;
    const cus = outcome.object;
    db.transaction(() => {
      applyWritten(db, cus, this.d.clock.now());
      db.prepare('UPDATE carts SET customer_id = ? WHERE id = ?').run(cus.id, row.id);
    })();
    return cus.id;
  }

  /** Bring the PaymentIntent in line with the cart in one journaled update (before it is paid). */
  private async syncDetails(cartRow: CartRow, actor: Actor): Promise<void> {
    const piId = cartRow.payment_intent_id!;
    const customerId = await this.ensureCustomer(cartRow, actor);
    const row = getCartRow(this.d.db, cartRow.id)!;
    const params: Record<string, unknown> = this.details(row, actor, customerId);
    // Stripe merges metadata key by key: a discount taken off must blank its key, not leave the old one.
    const md = params.metadata as Record<string, string>;
    for (const k of PRICING_KEYS) if (k !== 'mc_cap_tax' && md[k] === undefined) md[k] = '';
    // A hold that no longer saves the card: unset it (Stripe takes an empty value as "unset").
    if (!params.setup_future_usage && this.savesCard(piId)) params.setup_future_usage = '';
    const outcome = await this.call(
      'payment_intent.update',
      piId,
      params as unknown as Record<string, unknown>,
      actor,
      (p, key) => this.d.gateway().updatePaymentIntent(piId, p as Stripe.PaymentIntentUpdateParams, key),
    );
    this.raiseUnless(outcome);
    if (outcome.state === 'succeeded') {
      this.d.db.transaction(() => {
        this.applySnapshot(outcome.object, true);
        this.d.db
          .prepare('UPDATE carts SET pi_details = ? WHERE id = ?')
          .run(this.detailsDigest(row), row.id);
        this.audit(
          actor,
          'payment_intent.updated',
          row.id,
          null,
          { amount: params.amount, capture_method: params.capture_method },
          outcome,
        );
      })();
    }
  }

  // ------------------------------------------------------------------------------------------------ pricing

  /**
   * The discounts as they will be kept: by whom, and — when one is above the shop's limit — the manager whose PIN
   * allowed it, checked here in main. Without that PIN nothing changes and the caller is told a PIN is needed.
   * A discount the cart has no line for is refused.
   */
  private approveDiscounts(row: CartRow, patch: CartPatch, actor: Actor): CartDiscounts {
    const d = patch.discounts!;
    const lines = JSON.parse(row.lines_json) as CartLine[];
    for (const id of Object.keys(d.lines))
      if (!lines.some((l) => l.productId === id))
        throw new AppError('invalid_input', 'That item is no longer in the order.', {
          fields: { [`lines.${id}.discount`]: 'That item is no longer in the order.' },
        });
    const any = Object.keys(d.lines).length > 0 || d.order !== null;
    const tax = this.d.shopTax ? this.d.shopTax() : DEFAULT_TAX;
    const checked = discountsOn(row.currency, lines, d);
    if (!checked.ok) {
      const fields = byProduct(checked.errors, lines);
      throw new AppError('invalid_input', `${Object.values(fields).join(' ')} Nothing was changed.`, {
        fields,
      });
    }
    let approvedBy: string | null = null;
    // Taking discounts away keeps the manager's approval of the ones left (nothing new to allow).
    const before = discountsOf(row);
    const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
    const onlyFewer =
      before.approvedBy !== null &&
      Object.entries(d.lines).every(([id, g]) => same(before.lines[id], g)) &&
      (d.order === null || same(before.order, d.order));
    let approvedUpTo: number | null = null;
    const covered = checked.value.discountTotal <= (before.approvedUpTo ?? 0);
    if (discountsNeedApproval(tax, checked.value) && onlyFewer && covered) {
      approvedBy = before.approvedBy;
      approvedUpTo = before.approvedUpTo ?? null;
    } else if (discountsNeedApproval(tax, checked.value)) {
      if (!patch.approve)
        throw new AppError(
          'forbidden',
          'This discount is above the shop’s limit: a manager enters their PIN to allow it.',
          { approvalNeeded: true },
        );
      approvedBy = patch.approve();
      approvedUpTo = checked.value.discountTotal;
      this.audit(actor, 'cart.discount_approved', row.id, null, {
        approvedBy,
        lines: d.lines,
        order: d.order,
        amount: approvedUpTo,
      });
    }
    return {
      lines: d.lines,
      order: d.order,
      givenBy: any ? actor.name : null,
      approvedBy: any ? approvedBy : null,
      ...(any && approvedBy !== null ? { approvedUpTo } : {}),
    };
  }

  /**
   * The cart's discounts on new lines (quantities changed, a line added or removed): a % discount can grow past
   * the shop's limit, or past what the manager allowed. Then a manager's PIN again — checked here in main —
   * or nothing changes (forbidden, approvalNeeded). Null: nothing to write (no discount, or still allowed).
   */
  private reapproveFor(
    row: CartRow,
    lines: CartLine[],
    patch: CartPatch,
    actor: Actor,
  ): CartDiscounts | null {
    const given = discountsOf(row);
    if (Object.keys(given.lines).length === 0 && given.order === null) return null;
    const tax = this.d.shopTax ? this.d.shopTax() : DEFAULT_TAX;
    const checked = discountsOn(row.currency, lines, given);
    // A discount now larger than its line is refused when the cart is priced, at its field.
    if (!checked.ok || !discountsNeedApproval(tax, checked.value)) return null;
    if (given.approvedBy !== null && checked.value.discountTotal <= (given.approvedUpTo ?? 0)) return null;
    if (!patch.approve)
      throw new AppError(
        'forbidden',
        `With this change the discount comes to ${formatMoney(checked.value.discountTotal, row.currency)}, above the shop’s limit${given.approvedBy ? ' and above what the manager allowed' : ''}: a manager enters their PIN to allow it. Until then nothing changes.`,
        { approvalNeeded: true },
      );
    const approvedBy = patch.approve();
    const approvedUpTo = checked.value.discountTotal;
    this.audit(actor, 'cart.discount_approved', row.id, null, {
      approvedBy,
      lines: given.lines,
      order: given.order,
      amount: approvedUpTo,
    });
    return { ...given, approvedBy, approvedUpTo };
  }

  /** What the cart's price is worked out from, now: its lines, fee, delivery, address, exemption, discounts. */
  private pricingInput(row: CartRow): PricingInput {
    const { db } = this.d;
    const lines = JSON.parse(row.lines_json) as CartLine[];
    const draft = row.customer_json ? (JSON.parse(row.customer_json) as CustomerInput) : null;
    const known = row.customer_id ? getCustomer(db, row.customer_id) : null;
    const exempt = draft?.taxExempt !== undefined ? (draft.taxExempt ?? null) : (known?.taxExempt ?? null);
    return {
      currency: row.currency,
      lines: lines.map((l) => ({
        productId: l.productId,
        name: l.name,
        unitAmount: l.unitAmount,
        quantity: l.quantity,
        taxCode: taxCodeOf(db, l.productId),
        sku: l.sku,
      })),
      shippingFee: row.shipping_fee ?? 0,
      delivery: row.delivery,
      shipTo: row.delivery === 'collect' ? null : (draft?.shipping ?? null),
      exempt,
      discounts: discountsOf(row),
      tax: this.d.shopTax ? this.d.shopTax() : DEFAULT_TAX,
    };
  }

  private stripeTax(): StripeTaxPort {
    const gw = this.d.gateway();
    return {
      calculate: (cart) => createCartCalculation(gw, cart),
      lines: (id) => calculationLines(gw, id),
    };
  }

  /** Prices the cart from what it holds now and keeps the result (its total is the cart's total). */
  async reprice(cartId: string): Promise<CartPricing> {
    const { db } = this.d;
    const row = getCartRow(db, cartId)!;
    const input = this.pricingInput(row);
    const pricing = await priceCart(input, input.tax.mode === 'stripe_tax' ? this.stripeTax() : null);
    // Checked on every price: an approval covers the discount total the manager allowed, no more (the shop's
    // limit may have changed since, or the lines). Beyond it the cart can't be paid until a manager allows it.
    if (
      pricing.needsApproval &&
      pricing.record?.discountApprovedBy &&
      pricing.discountTotal > (input.discounts.approvedUpTo ?? 0)
    )
      pricing.record = { ...pricing.record, discountApprovedBy: null };
    const after = getCartRow(db, cartId)!;
    // Priced from a cart that moved meanwhile (a change queued behind): that change prices it again.
    if (after.version !== row.version) return pricing;
    db.prepare('UPDATE carts SET pricing_json = ?, total = ? WHERE id = ?').run(
      JSON.stringify(pricing),
      pricing.total,
      cartId,
    );
    return pricing;
  }

  /** The cart's price if it is still the price of what the cart holds; else priced again (and refused). */
  private async pricingNowOrAgain(row: CartRow): Promise<CartPricing> {
    const kept = pricingOf(row);
    const digest = pricingDigest(this.pricingInput(row));
    const why = unpayableReason(kept, digest, Math.floor(this.d.clock.now() / 1000));
    if (!why || (kept && kept.digest === digest && kept.state !== 'priced')) return kept!;
    const fresh = await this.reprice(row.id);
    this.d.onCartChanged(row.id);
    throw new AppError(
      'conflict',
      `${why} It was priced again: the total is now ${formatMoney(fresh.total, row.currency)}. Nothing was charged — check the order and press again.`,
      { fields: fresh.errors },
    );
  }

  /** Refuses (nothing charged) a cart whose price has field errors, needs an address, or needs an approval. */
  private checkPriced(p: CartPricing): void {
    if (p.state === 'needs_address')
      throw new AppError(
        'precondition_failed',
        'Enter the ship-to address (the tax depends on it), or mark the order as collected in person. Nothing was charged.',
        { fields: { 'destination.address': 'Enter the ship-to address: the tax depends on it.' } },
      );
    if (p.state === 'invalid')
      throw new AppError('invalid_input', `${Object.values(p.errors).join(' ')} Nothing was charged.`, {
        fields: p.errors,
      });
    if (p.needsApproval && !discountsOfPricing(p))
      throw new AppError(
        'forbidden',
        'A discount above the shop’s limit needs a manager’s PIN. Nothing was charged.',
        { fields: { discount: 'A manager’s PIN is needed for this discount.' } },
      );
  }

  /** Re-read each line's stock: its waitlist flag follows what is on hand now. */
  private restock(row: CartRow): void {
    const { db } = this.d;
    const lines = JSON.parse(row.lines_json) as CartLine[];
    let changed = false;
    for (const l of lines) {
      const p = getProduct(db, l.productId);
      const waitlist = p ? waitsForStock(row, p.stock, l.quantity) : l.waitlist;
      if (waitlist !== l.waitlist) {
        l.waitlist = waitlist;
        changed = true;
      }
    }
    if (!changed) return;
    db.prepare('UPDATE carts SET lines_json = ?, waitlist = ?, version = version + 1 WHERE id = ?').run(
      JSON.stringify(lines),
      lines.some((l) => l.waitlist) ? 1 : 0,
      row.id,
    );
  }

  private linkPaymentIntent(cartId: string, piId: string): void {
    this.d.db
      .prepare('UPDATE carts SET payment_intent_id = ?, pending = 0, updated_at = ? WHERE id = ?')
      .run(piId, this.d.clock.now(), cartId);
  }

  /**
   * Journal a write to one PaymentIntent. An open (pending/unknown) entry for the same operation and subject
   * is re-attempted with its own key and parameters instead of starting a new one.
   */
  async call<T extends { id: string }>(
    operation: Operation,
    subject: string,
    params: Record<string, unknown>,
    actor: Actor | null,
    exec: (params: Record<string, unknown>, key: string) => Promise<{ object: T; requestId: string | null }>,
    key?: string,
  ): Promise<Outcome<T>> {
    const { journal } = this.d;
    if (!key) {
      // An open entry for the same operation is repeated with its own key — but only if it asks for the same
      // thing. Otherwise it is settled first; if that can't be done, nothing new is sent.
      const open = latestEntry(this.d.db, subject, operation);
      if (open && (open.state === 'pending' || open.state === 'unknown')) {
        if (journal.isPastSafeRetry(open)) await this.settleByReadBack(open);
        else {
          const same = JSON.stringify(open.params) === JSON.stringify(params);
          const outcome = await journal.attempt(open, exec as never);
          if (same) return outcome as Outcome<T>;
          if (outcome.state === 'unknown') return outcome as Outcome<T>;
          if (outcome.state === 'succeeded' && (outcome.object as { id: string }).id.startsWith('pi_')) {
            this.applySnapshot(outcome.object as unknown as Stripe.PaymentIntent, true);
          }
        }
      }
    }
    const entry = journal.begin({
      operation,
      subject,
      params,
      actor: actor?.name ?? null,
      ...(key ? { key } : {}),
    });
    return journal.attempt(entry, exec);
  }

  private applyOutcome(row: CartRow, outcome: Outcome<Stripe.PaymentIntent>, actor: Actor | null): void {
    const { db, clock } = this.d;
    const now = clock.now();
    db.transaction(() => {
      if (outcome.state === 'succeeded') {
        this.applySnapshot(outcome.object, true);
        db.prepare('UPDATE carts SET pending = 0, last_decline_json = NULL WHERE id = ?').run(row.id);
        this.audit(
          actor,
          `payment.${outcome.object.status}`,
          row.id,
          { status: row.pi_status },
          { status: outcome.object.status, amount: outcome.object.amount },
          outcome,
        );
      } else if (outcome.failure.kind === 'card') {
        const f = outcome.failure;
        if (f.paymentIntent) this.applySnapshot(f.paymentIntent, true);
        const decline = {
          code: f.code,
          declineCode: f.declineCode,
          explanation: explainDecline(f.code, f.declineCode),
          at: now,
        };
        db.prepare('UPDATE carts SET pending = 0, last_decline_json = ?, updated_at = ? WHERE id = ?').run(
          JSON.stringify(decline),
          now,
          row.id,
        );
        this.audit(
          actor,
          'payment.declined',
          row.id,
          null,
          { code: f.code, declineCode: f.declineCode },
          outcome,
        );
      } else if (outcome.state === 'unknown') {
        db.prepare('UPDATE carts SET pending = 1, updated_at = ? WHERE id = ?').run(now, row.id);
        this.audit(actor, 'payment.unconfirmed', row.id, null, { reason: outcome.failure.message }, outcome);
      }
    })();
    this.d.onCartChanged(row.id);
    if (outcome.state === 'failed' && outcome.failure.kind !== 'card') this.raiseUnless(outcome);
  }

  /** Re-attempt (same key) or read back every unconfirmed request of a cart. */
  /** Re-attempt (same key) or read back every unconfirmed request of a cart and its PaymentIntent. */
  private async settleOpenEntries(row: CartRow, actor: Actor): Promise<void> {
    const subjects = [row.id, ...(row.payment_intent_id ? [row.payment_intent_id] : [])];
    for (const entry of openEntriesFor(this.d.db, subjects)) await this.settleEntry(entry, actor);
  }

  /**
   * Settle one open journal entry: within the key's safe window, repeat it (same key, same parameters) and
   * apply what Stripe answers; past it, read the object back. Used by checkout, recovery and the sweep.
   */
  async settleEntry(entry: JournalEntry, actor: Actor | null): Promise<void> {
    const { db, journal } = this.d;
    if (journal.isPastSafeRetry(entry)) return this.settleByReadBack(entry);
    const outcome = await journal.attempt(entry, executorFor(this.d.gateway(), entry));
    const cart =
      entry.operation === 'payment_intent.create'
        ? getCartRow(db, entry.subject)
        : (db.prepare('SELECT * FROM carts WHERE payment_intent_id = ?').get(entry.subject) as
            CartRow | undefined);
    if (entry.operation === 'payment_intent.confirm' && cart) {
      this.applyOutcome(cart, outcome as Outcome<Stripe.PaymentIntent>, actor);
    } else if (outcome.state === 'succeeded' && outcome.object.id.startsWith('pi_')) {
      db.transaction(() => {
        if (entry.operation === 'payment_intent.create' && cart)
          this.linkPaymentIntent(cart.id, outcome.object.id);
        this.applySnapshot(outcome.object as Stripe.PaymentIntent, true);
      })();
    }
  }

  /** Past the key's safe window: what Stripe has now is the answer. */
  async settleByReadBack(entry: JournalEntry): Promise<void> {
    const { db, journal } = this.d;
    const gw = this.d.gateway();
    try {
      if (entry.operation === 'setup_intent.create' || entry.operation === 'payment_method.detach') {
        // Past the key's window it is not repeated: saving or removing a card again is for staff to decide.
        journal.settle(entry.key, 'failed', null, null, 'Read back: not repeated past the key’s window.');
        return;
      }
      if (entry.operation === 'refund.create') {
        // Our refunds carry the order id; the one this entry asked for has its amount and came after it.
        const want = entry.params as { amount?: number; metadata?: { order_id?: string } };
        const list = await gw.listRefunds({ payment_intent: entry.subject, limit: 100 });
        const found = list.data.find(
          (r) =>
            r.amount === want.amount &&
            r.metadata?.order_id === want.metadata?.order_id &&
            r.created * 1000 >= entry.createdAt - 60_000,
        );
        if (found) journal.settle(entry.key, 'succeeded', found.id, found);
        else
          journal.settle(
            entry.key,
            'failed',
            null,
            null,
            'Read back: Stripe has no such refund; none was made.',
          );
        return;
      }
      if (entry.operation === 'payment_intent.create' && !entry.objectId) {
        // Which PaymentIntent did this key make? The event ledger may know; otherwise ask Stripe by cart.
        const ev = db
          .prepare(
            `SELECT object_id FROM stripe_events WHERE idempotency_key = ? AND object_id LIKE 'pi_%' LIMIT 1`,
          )
          .get(entry.key) as { object_id: string } | undefined;
        let pi: Stripe.PaymentIntent | undefined = ev ? await this.readBack(ev.object_id) : undefined;
        if (!pi) {
          const since = Math.floor(entry.createdAt / 1000) - 60;
          let startingAfter: string | undefined;
          for (let page = 0; page < 20 && !pi; page++) {
            const list = await gw.listPaymentIntents({
              limit: 100,
              created: { gte: since },
              ...(startingAfter ? { starting_after: startingAfter } : {}),
            });
            pi = list.data.find((x) => x.metadata?.cart_id === entry.subject);
            if (!list.has_more || list.data.length === 0) break;
            startingAfter = list.data[list.data.length - 1]!.id;
          }
        }
        if (pi) {
          journal.settle(entry.key, 'succeeded', pi.id, pi);
          this.linkPaymentIntent(entry.subject, pi.id);
          this.applySnapshot(pi, true);
        } else
          journal.settle(
            entry.key,
            'failed',
            null,
            null,
            'Read back: Stripe has no PaymentIntent for this cart; none was made.',
          );
        return;
      }
      const piId = entry.operation === 'payment_intent.create' ? entry.objectId! : entry.subject;
      const pi = await this.readBack(piId);
      this.applySnapshot(pi, true);
      const p = entry.params as { amount?: number; amount_to_capture?: number };
      const done =
        entry.operation === 'payment_intent.create' ||
        (entry.operation === 'payment_intent.capture' && pi.status === 'succeeded') ||
        (entry.operation === 'payment_intent.cancel' && pi.status === 'canceled') ||
        (entry.operation === 'payment_intent.confirm' &&
          ['succeeded', 'requires_capture', 'requires_action', 'processing'].includes(pi.status)) ||
        (entry.operation === 'payment_intent.update' && pi.amount === p.amount);
      // (product, price, customer and charge writes past the safe window are settled by asking again below)
      journal.settle(
        entry.key,
        done ? 'succeeded' : 'failed',
        pi.id,
        done ? pi : null,
        done ? undefined : `Read back: the PaymentIntent is ${pi.status}.`,
      );
    } catch (e) {
      // Stripe can't be asked now: the entry stays open, and is asked again later.
      if (e instanceof AppError && e.code === 'stripe_unavailable') return;
      throw e;
    }
  }

  private async readBack(piId: string): Promise<Stripe.PaymentIntent> {
    try {
      return await this.d.gateway().retrievePaymentIntent(piId);
    } catch (e) {
      const f = classifyStripeError(e);
      throw new AppError(
        f.kind === 'unknown' || f.kind === 'rate_limited' ? 'stripe_unavailable' : 'stripe_error',
        `Could not read the payment from Stripe: ${f.message}`,
      );
    }
  }

  /**
   * What Stripe answered goes through the projection its events use: the cart, the hold and — once paid — the
   * order, at once (the event that follows finds it there and changes nothing).
   */
  applySnapshot(pi: Stripe.PaymentIntent, _authoritative: true): void {
    const fx = applyWritten(this.d.db, pi, this.d.clock.now());
    if (fx.orderIds.length) this.d.onOrdersChanged?.(fx.orderIds);
  }

  private recordDeclineFrom(row: CartRow, pi: Stripe.PaymentIntent): void {
    const err = pi.last_payment_error;
    if (!err || pi.status !== 'requires_payment_method') return;
    const code = err.code ?? 'card_declined';
    const decline = {
      code,
      declineCode: err.decline_code ?? null,
      explanation: explainDecline(code, err.decline_code ?? null),
      at: this.d.clock.now(),
    };
    this.d.db
      .prepare('UPDATE carts SET last_decline_json = ? WHERE id = ?')
      .run(JSON.stringify(decline), row.id);
  }

  private hasOpenEntries(row: CartRow): boolean {
    return (
      openEntriesFor(this.d.db, [row.id, ...(row.payment_intent_id ? [row.payment_intent_id] : [])]).length >
      0
    );
  }

  private piRow(id: string): { amount: number; capture_method: string; status: string } | undefined {
    return this.d.db
      .prepare('SELECT amount, capture_method, status FROM payment_intents WHERE id = ?')
      .get(id) as { amount: number; capture_method: string; status: string } | undefined;
  }

  /** Whether the PaymentIntent saves its card (setup_future_usage), as last seen. */
  private savesCard(piId: string): boolean {
    return (
      this.d.db.prepare('SELECT setup_future_usage FROM payment_intents WHERE id = ?').pluck().get(piId) !=
      null
    );
  }

  private requireOpen(cartId: string): CartRow {
    const row = getCartRow(this.d.db, cartId);
    if (!row) throw new AppError('not_found', 'That cart does not exist.');
    if (row.status === 'paid') throw new AppError('conflict', 'This cart has already been paid.');
    if (row.status === 'on_hold' && row.wait_mode === 'save_card')
      throw new AppError('conflict', 'This cart’s card is saved: the order waits for its stock.');
    if (row.status === 'on_hold')
      throw new AppError('conflict', 'This cart is already authorized and on hold.');
    if (row.status === 'canceled') throw new AppError('conflict', 'This cart was canceled.');
    return row;
  }

  private exclusive(cartId: string, op: string, fn: () => Promise<Cart>): Promise<Cart> {
    const same = `${cartId}\u0000${op}`;
    const shared = this.running.get(same);
    if (shared) return shared;
    const previous = this.tails.get(cartId) ?? Promise.resolve();
    const p = previous.catch(() => undefined).then(fn);
    const tail = p.catch(() => undefined);
    this.tails.set(cartId, tail);
    this.running.set(same, p);
    void tail.then(() => {
      if (this.running.get(same) === p) this.running.delete(same);
      if (this.tails.get(cartId) === tail) this.tails.delete(cartId);
    });
    return p;
  }

  private raiseUnless<T>(outcome: Outcome<T>): void {
    if (outcome.state === 'succeeded') return;
    throw failureToError(outcome.failure, outcome.state === 'unknown');
  }

  audit(
    actor: Actor | null,
    action: string,
    subject: string,
    before: unknown,
    after: unknown,
    outcome?: Outcome<unknown>,
  ): void {
    appendAudit(this.d.db, {
      at: this.d.clock.now(),
      actor: actor?.name ?? 'system',
      station: this.d.settings.station,
      action,
      subject,
      idempotencyKey: outcome?.key ?? null,
      stripeRequestId: outcome?.state === 'succeeded' ? outcome.requestId : null,
      before,
      after,
    });
  }
}

export function failureToError(f: StripeFailure, unknown: boolean): AppError {
  if (unknown) {
    return new AppError(
      'pending_confirmation',
      `Stripe did not confirm this in time (${f.message}). It is pending confirmation and will be settled automatically — do not repeat it elsewhere.`,
    );
  }
  switch (f.kind) {
    case 'card':
      return new AppError('card_declined', explainDecline(f.code, f.declineCode), {
        code: f.code,
        declineCode: f.declineCode,
      });
    case 'auth':
      return new AppError('stripe_unavailable', 'Stripe refused the secret key. Check it in Settings.');
    case 'rate_limited':
      return new AppError(
        'stripe_unavailable',
        'Stripe is asking the console to slow down. Try again in a few seconds.',
      );
    case 'rejected':
      return new AppError('stripe_error', `Stripe refused: ${f.message}`, { code: f.code, param: f.param });
    default:
      return new AppError('stripe_unavailable', `Stripe cannot be reached: ${f.message}`);
  }
}

/** How to repeat a journaled request exactly (same key, same stored parameters). */
export function executorFor(
  gw: StripeGateway,
  entry: JournalEntry,
): (p: Record<string, unknown>, k: string) => Promise<Written<{ id: string }>> {
  const id = entry.subject;
  type P = Record<string, unknown>;
  switch (entry.operation) {
    case 'payment_intent.create':
      return (p: P, k: string) => gw.createPaymentIntent(p as unknown as Stripe.PaymentIntentCreateParams, k);
    case 'payment_intent.update':
      return (p: P, k: string) => gw.updatePaymentIntent(id, p as Stripe.PaymentIntentUpdateParams, k);
    case 'payment_intent.confirm':
      return (p: P, k: string) => gw.confirmPaymentIntent(id, p as Stripe.PaymentIntentConfirmParams, k);
    case 'payment_intent.capture':
      return (p: P, k: string) => gw.capturePaymentIntent(id, p as Stripe.PaymentIntentCaptureParams, k);
    case 'payment_intent.cancel':
      return (p: P, k: string) => gw.cancelPaymentIntent(id, p as Stripe.PaymentIntentCancelParams, k);
    case 'refund.create':
      return (p: P, k: string) => gw.createRefund(p as unknown as Stripe.RefundCreateParams, k);
    case 'product.create':
      return (p: P, k: string) => gw.createProduct(p as unknown as Stripe.ProductCreateParams, k);
    case 'product.update':
      return (p: P, k: string) => gw.updateProduct(id, p as Stripe.ProductUpdateParams, k);
    case 'price.create':
      return (p: P, k: string) => gw.createPrice(p as unknown as Stripe.PriceCreateParams, k);
    case 'price.update':
      return (p: P, k: string) => gw.updatePrice(id, p as Stripe.PriceUpdateParams, k);
    case 'customer.create':
      return (p: P, k: string) => gw.createCustomer(p as Stripe.CustomerCreateParams, k);
    case 'customer.update':
      return (p: P, k: string) => gw.updateCustomer(id, p as Stripe.CustomerUpdateParams, k);
    case 'charge.update':
      return (p: P, k: string) => gw.updateCharge(id, p as Stripe.ChargeUpdateParams, k);
    case 'setup_intent.create':
      return (p: P, k: string) => gw.createSetupIntent(p as unknown as Stripe.SetupIntentCreateParams, k);
    case 'payment_method.detach':
      return (_p: P, k: string) => gw.detachPaymentMethod(id, k);
  }
}

const DEFAULT_TAX: ShopTax = {
  mode: 'none',
  pricesIncludeTax: false,
  shippingTaxable: false,
  regions: [],
  origin: null,
  discountReasons: [],
  discountLimitAmount: null,
  discountLimitBp: null,
};

export function discountsOf(row: Pick<CartRow, 'discounts_json'>): CartDiscounts {
  return row.discounts_json ? (JSON.parse(row.discounts_json) as CartDiscounts) : NO_DISCOUNTS;
}

export function pricingOf(row: Pick<CartRow, 'pricing_json'>): CartPricing | null {
  return row.pricing_json ? (JSON.parse(row.pricing_json) as CartPricing) : null;
}

/** The cart's lines with the discounts given on them (checked: a discount larger than its line is refused). */
function discountsOn(currency: string, lines: CartLine[], d: Pick<CartDiscounts, 'lines' | 'order'>) {
  return applyDiscounts(
    currency,
    lines.map((l) => ({
      ref: l.productId,
      unitAmount: l.unitAmount,
      quantity: l.quantity,
      discount: d.lines[l.productId]?.discount ?? null,
    })),
    d.order?.discount ?? null,
  );
}

/** Whether the priced cart records the manager who allowed its discounts. */
const discountsOfPricing = (p: CartPricing): boolean => Boolean(p.record?.discountApprovedBy);

function taxCodeOf(db: Db, productId: string): string | null {
  return (
    (db.prepare('SELECT tax_code FROM products WHERE id = ?').pluck().get(productId) as
      string | null | undefined) ?? null
  );
}

/** A line waits for stock when more is asked than is available — and always on a waiting part (the units in stock
 * are the first cart's). */
function waitsForStock(row: Pick<CartRow, 'waiting_of'>, available: number, quantity: number): boolean {
  return row.waiting_of !== null && row.waiting_of !== undefined ? true : available < quantity;
}

/** How a waiting part waits, as recorded on it at checkout (its agreement's terms included). */
function waitOfRow(row: CartRow): CheckoutWait {
  const consent = row.consent_json ? (JSON.parse(row.consent_json) as WaitAgreement) : null;
  return {
    waitlist: row.wait_mode ?? 'hold',
    saveCard: row.hold_saves_card === 1,
    consentText: consent?.terms,
    expectedArrival: consent?.eta ?? undefined,
  };
}
