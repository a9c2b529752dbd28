// Waitlist orders that wait longer than a card authorization lasts: the card is saved at checkout (a SetupIntent,
// 3DS during setup when the card asks for it) or with the hold (setup_future_usage), and charged off-session when
// the stock arrives. Every Stripe write goes through the journal with a key derived from the order — never from
// the click — so two managers, or two stations, charging the same order make one charge: the order has one
// PaymentIntent that can succeed once, and the keys that create or confirm it are the same wherever they are
// computed. When the bank wants the customer (authentication_required) or declines, the order says "customer
// action needed": staff call back, or send the customer a link to the bank's page on their own device.
import { cutText } from '../record/text';
import { ON_HAND_SQL } from '../catalog/stock-sql';
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { AuthWindow, Clock } from '../ports';
import type {
  CartLine,
  CustomerSavedCard,
  RemovedCard,
  SavedCardView,
  WaitChoice,
  WaitingOrder,
  WaitOptions,
} from '../../ipc/contract';
import { AppError } from '../../ipc/errors';
import { formatMoney } from '../../ipc/money';
import type { Actor } from '../auth/auth-service';
import { applyWritten } from '../sync/apply-written';
import { classifyStripeError, type StripeGateway } from '../stripe/gateway';
import { openEntriesFor } from '../stripe/journal';
import {
  CAPTURED_AT_KEY,
  capturedAtValue,
  capturedLinesMetadata,
  encodeOrderMetadata,
  orderAmount,
  orderNumberText,
  type OrderContent,
} from '../orders/order-metadata';
import { getCartRow, type CartRow } from './carts';
import { explainDecline } from './declines';
import type { ShopTax } from '../tax/shop-tax';
import { chargeForLines } from './lines-tax';
import { lineTotalsOf } from '../orders/order-pricing';
import { failureToError, type PaymentsService } from './payments-service';
import {
  cardWaitOf,
  savedCardFor,
  successorOf,
  type CardError,
  type PiCardRow,
} from './saved-cards-projection';
import {
  authorizationWindow,
  consentTerms,
  dayAfter,
  endOfDay,
  suggest,
  type WaitAgreement,
} from './waitlist-terms';

export interface SavedCardsDeps {
  db: Db;
  clock: Clock;
  gateway: () => StripeGateway;
  payments: PaymentsService;
  authWindow: AuthWindow;
  /** Stripe's now (ms): the authorization window is Stripe's capture_before, compared on Stripe's clock. */
  stripeNow: () => number;
  onCartChanged: (cartId: string) => void;
  onOrdersChanged: (orderIds: string[]) => void;
  /** The shop's tax settings now: a saved card under "Rates I set" is charged at the rates of the day. */
  shopTax?: () => ShopTax;
}

/** A line to charge when only some of the order arrived: which product, and how many of it. */
export interface ChargeLine {
  sku: string;
  quantity: number;
}

/** The choice made at checkout, as `payments:pay` receives it. */
export interface CheckoutWait {
  waitlist: WaitChoice;
  saveCard: boolean;
  consentText?: string | undefined;
  expectedArrival?: string | undefined;
}

interface PiRow extends PiCardRow {
  amount: number;
  currency: string;
  cart_id: string | null;
  latest_charge: string | null;
  action_url: string | null;
  created: number;
}

const short = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);

export class SavedCardsService {
  private readonly inFlight = new Map<string, Promise<WaitingOrder>>();

  constructor(private readonly d: SavedCardsDeps) {}

  // ------------------------------------------------------------------------------------------ checkout

  /** What to suggest for a waitlist cart, and the words to read out for each way of saving the card. */
  options(cartId: string, expectedArrival?: string): WaitOptions {
    const row = getCartRow(this.d.db, cartId);
    if (!row) throw new AppError('not_found', 'That cart does not exist.');
    const now = this.d.stripeNow();
    const lines = JSON.parse(row.lines_json) as CartLine[];
    let eta: string | null = null;
    let source: WaitOptions['arrivalSource'] = null;
    const lead = this.leadTimeDays(lines);
    if (expectedArrival) {
      if (endOfDay(expectedArrival) === null)
        throw new AppError('invalid_input', 'The expected arrival is not a date (yyyy-mm-dd).');
      eta = expectedArrival;
      source = 'staff';
    } else if (lead !== null) {
      eta = dayAfter(now, lead);
      source = 'lead_time';
    }
    const windowMs = this.authorizationWindowMs();
    const s = suggest(now, windowMs, eta);
    return {
      cartId,
      suggested: s.suggested,
      reason: s.reason,
      expectedArrival: eta,
      arrivalSource: source,
      leadTimeDays: lead,
      authorizationDays: Math.round((windowMs / 86_400_000) * 10) / 10,
      holdLapsesAt: s.holdLapsesAt,
      terms: {
        saveCard: consentTerms('card', lines, row.total, row.currency, eta, cartTax(row)),
        holdAndSave: consentTerms('hold_card', lines, row.total, row.currency, eta, cartTax(row)),
      },
    };
  }

  /** The supplier's usual lead time of the cart's waitlist lines (the longest), from the products' metadata. */
  private leadTimeDays(lines: CartLine[]): number | null {
    const skus = lines.filter((l) => l.waitlist).map((l) => l.sku);
    if (skus.length === 0) return null;
    const v = this.d.db
      .prepare(
        `SELECT max(lead_time_days) FROM products WHERE active = 1 AND sku IN (${skus.map(() => '?').join(',')})`,
      )
      .pluck()
      .get(...skus) as number | null;
    return v ?? null;
  }

  /** Stripe's authorization window as this shop's recent holds showed it (capture_before − authorized). */
  private authorizationWindowMs(): number {
    const recent = this.d.db
      .prepare(
        `SELECT authorized_at AS authorizedAt, expires_at AS expiresAt FROM holds WHERE expires_at IS NOT NULL
         ORDER BY authorized_at DESC LIMIT 20`,
      )
      .all() as { authorizedAt: number; expiresAt: number }[];
    return authorizationWindow(recent);
  }

  /**
   * Record how a waitlist cart waits, before its PaymentIntent is made or brought up to date. Saving the card
   * needs the words the customer agreed to, exactly as this console wrote them for the cart as it is now.
   */
  recordChoice(row: CartRow, choice: CheckoutWait, actor: Actor): void {
    const { db } = this.d;
    if (!row.waitlist) {
      if (row.wait_mode !== null)
        db.prepare(
          'UPDATE carts SET wait_mode = NULL, hold_saves_card = 0, consent_json = NULL WHERE id = ?',
        ).run(row.id);
      return;
    }
    const saves = choice.waitlist === 'save_card' || choice.saveCard;
    let consent: WaitAgreement | null = null;
    if (saves) {
      const mode = choice.waitlist === 'save_card' ? 'card' : 'hold_card';
      const eta = choice.expectedArrival ?? null;
      if (eta !== null && endOfDay(eta) === null)
        throw new AppError('invalid_input', 'The expected arrival is not a date (yyyy-mm-dd).');
      const lines = JSON.parse(row.lines_json) as CartLine[];
      const terms = consentTerms(mode, lines, row.total, row.currency, eta, cartTax(row));
      if (!choice.consentText) {
        throw new AppError(
          'precondition_failed',
          'Saving the card needs the customer’s agreement: read them the terms first.',
        );
      }
      if (choice.consentText !== terms) {
        throw new AppError(
          'conflict',
          'The order changed since the terms were read out. Read the new terms to the customer before saving the card.',
          { terms },
        );
      }
      const kept = row.consent_json ? (JSON.parse(row.consent_json) as WaitAgreement) : null;
      consent =
        kept && kept.mode === mode && kept.terms === terms && kept.eta === eta
          ? kept
          : {
              mode,
              terms,
              agreedAt: Math.floor(this.d.stripeNow() / 1000),
              eta,
              agreedBy: actor.name,
            };
    }
    db.prepare(
      'UPDATE carts SET wait_mode = ?, hold_saves_card = ?, consent_json = ?, updated_at = ? WHERE id = ?',
    ).run(
      choice.waitlist,
      choice.waitlist === 'hold' && saves ? 1 : 0,
      consent ? JSON.stringify(consent) : null,
      this.d.clock.now(),
      row.id,
    );
  }

  /**
   * Save the card for a waitlist order that is charged on arrival: a SetupIntent for the order's customer
   * (usage off_session; 3DS now if the card asks for it), its metadata naming the order and what was agreed.
   * The order's PaymentIntent waits unconfirmed, and is told its card once it is saved.
   */
  async saveCard(row: CartRow, piId: string, paymentMethod: string, actor: Actor): Promise<void> {
    const { db, payments } = this.d;
    const consent = row.consent_json ? (JSON.parse(row.consent_json) as WaitAgreement) : null;
    if (!consent || !row.customer_id)
      throw new AppError('internal', 'The card can only be saved for a customer who agreed.');
    const params: Stripe.SetupIntentCreateParams = {
      customer: row.customer_id,
      payment_method: paymentMethod,
      usage: 'off_session',
      confirm: true,
      return_url: this.d.authWindow.returnUrl(),
      allowed_payment_method_types: ['card'],
      description: `Card saved for phone order ${orderNumberText(row.station_code ?? '', row.number ?? 0)}`,
      metadata: {
        mc_pi: piId,
        cart_id: row.id,
        mc_order: orderNumberText(row.station_code ?? '', row.number ?? 0),
        mc_wait: consent.mode,
        mc_terms: consent.terms,
        mc_agreed: cutText(`${consent.agreedAt}|${consent.eta ?? ''}|${consent.agreedBy}`, 500),
      },
    };
    // The same card for the same agreement is the same SetupIntent, however often Save is pressed.
    const key = `mc_seti_${row.id}_${short(`${paymentMethod}|${consent.terms}|${consent.agreedAt}`)}`;
    const outcome = await payments.call<Stripe.SetupIntent>(
      'setup_intent.create',
      row.id,
      params as unknown as Record<string, unknown>,
      actor,
      (p, k) => this.d.gateway().createSetupIntent(p as unknown as Stripe.SetupIntentCreateParams, k),
      key,
    );
    const now = this.d.clock.now();
    if (outcome.state === 'succeeded') {
      const si = outcome.object;
      db.transaction(() => {
        db.prepare(
          'UPDATE carts SET setup_intent_id = ?, last_decline_json = NULL, pending = 0, updated_at = ? WHERE id = ?',
        ).run(si.id, now, row.id);
        applyWritten(db, si, now);
        payments.audit(actor, `card_setup.${si.status}`, row.id, null, { setupIntentId: si.id }, outcome);
      })();
      if (si.status === 'succeeded') await this.attachToPaymentIntent(piId, si, actor);
    } else if (outcome.failure.kind === 'card') {
      const f = outcome.failure;
      db.prepare('UPDATE carts SET last_decline_json = ?, pending = 0, updated_at = ? WHERE id = ?').run(
        JSON.stringify({
          code: f.code,
          declineCode: f.declineCode,
          explanation: explainDecline(f.code, f.declineCode),
          at: now,
        }),
        now,
        row.id,
      );
      payments.audit(
        actor,
        'card_setup.declined',
        row.id,
        null,
        { code: f.code, declineCode: f.declineCode },
        outcome,
      );
    } else {
      if (outcome.state === 'unknown') db.prepare('UPDATE carts SET pending = 1 WHERE id = ?').run(row.id);
      this.d.onCartChanged(row.id);
      throw failureToError(outcome.failure, outcome.state === 'unknown');
    }
    this.d.onCartChanged(row.id);
  }

  /** The order's PaymentIntent names its saved card (Stripe's record of which card the order waits on). */
  private async attachToPaymentIntent(
    piId: string,
    si: Stripe.SetupIntent,
    actor: Actor | null,
  ): Promise<void> {
    const pm = typeof si.payment_method === 'string' ? si.payment_method : si.payment_method?.id;
    if (!pm) return;
    const outcome = await this.d.payments.call<Stripe.PaymentIntent>(
      'payment_intent.update',
      piId,
      { payment_method: pm },
      actor,
      (p, k) => this.d.gateway().updatePaymentIntent(piId, p as Stripe.PaymentIntentUpdateParams, k),
      `mc_pi_card_${piId}_${pm}`,
    );
    if (outcome.state === 'succeeded') this.d.payments.applySnapshot(outcome.object, true);
  }

  /** Read the cart's SetupIntent back (after its 3DS step, or to settle an unknown outcome). */
  async refreshSetup(row: CartRow, actor: Actor | null): Promise<void> {
    if (!row.setup_intent_id || row.wait_mode !== 'save_card') return;
    const si = await this.d.gateway().retrieveSetupIntent(row.setup_intent_id);
    applyWritten(this.d.db, si, this.d.clock.now());
    if (si.status === 'succeeded' && row.payment_intent_id) {
      const pi = this.piRow(row.payment_intent_id);
      if (pi && !pi.payment_method_id) await this.attachToPaymentIntent(row.payment_intent_id, si, actor);
    }
    this.d.onCartChanged(row.id);
  }

  // --------------------------------------------------------------------------------- waiting orders

  /** Saved-card orders waiting for their stock or for their customer, oldest first. */
  list(): WaitingOrder[] {
    const rows = this.d.db
      .prepare(
        `SELECT o.id AS order_id, o.created_at AS order_created, p.* FROM orders o
         JOIN payment_intents p ON p.id = o.payment_intent_id
         WHERE o.card_wait IS NOT NULL ORDER BY o.created_at, o.id`,
      )
      .all() as (PiRow & { order_id: string; order_created: number })[];
    return rows.map((r) => this.view(r, r.order_id, r.order_created));
  }

  /** One saved-card order, by its cart (every station knows the cart id: it is in the order's metadata). */
  get(cartId: string): WaitingOrder {
    const pi = this.currentPi(cartId);
    const root = this.rootOf(pi);
    const order = this.d.db
      .prepare('SELECT id, created_at FROM orders WHERE id = ? OR payment_intent_id = ?')
      .get(`ord_${root.replace(/^pi_/, '')}`, pi.id) as { id: string; created_at: number } | undefined;
    return this.view(pi, order?.id ?? null, order?.created_at ?? pi.created * 1000);
  }

  private view(pi: PiRow, orderId: string | null, createdAt: number): WaitingOrder {
    const content = this.content(pi);
    const wait = cardWaitOf(this.d.db, pi);
    const pmId = savedCardFor(this.d.db, pi, content);
    const card = pmId ? this.card(pmId) : null;
    const err = pi.last_error_json ? (JSON.parse(pi.last_error_json) as CardError) : null;
    const removed = card?.detached ?? false;
    const lines = content?.lines ?? [];
    const stock = this.stockBySku(lines.map((l) => l.sku));
    const totals = content?.pricing ? lineTotalsOf(content) : null;
    return {
      orderId,
      cartId: pi.cart_id ?? content?.cartId ?? '',
      paymentIntentId: pi.id,
      orderNumber: content ? orderNumberText(content.stationCode, content.number) : '',
      customerId: pi.customer_id,
      customerName: content?.customerName ?? '',
      currency: pi.currency,
      amount: pi.amount,
      shippingFee: content?.shippingFee ?? 0,
      ...(totals ? { shippingTotal: totals.shippingTotal } : {}),
      items: lines.map((l, i) => ({
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        unitAmount: l.unitAmount,
        waitlist: l.waitlist,
        inStock: (stock.get(l.sku) ?? 0) >= l.quantity,
        ...(totals ? { lineTotal: totals.lineTotals[i] ?? l.unitAmount * l.quantity } : {}),
      })),
      state: pi.status === 'succeeded' ? 'paid' : (wait ?? 'waiting'),
      card: card ? card.view : null,
      cardRemoved: removed,
      agreement: content?.wait
        ? {
            terms: content.wait.terms,
            agreedAt: content.wait.agreedAt * 1000,
            expectedArrival: content.wait.eta,
            agreedBy: content.wait.agreedBy,
          }
        : null,
      problem: removed
        ? {
            code: 'card_removed',
            declineCode: null,
            explanation: 'The customer’s saved card was removed. Call them for another card.',
          }
        : err && pi.status !== 'succeeded'
          ? {
              code: err.code,
              declineCode: err.declineCode,
              explanation: explainDecline(err.code, err.declineCode),
            }
          : null,
      payLink: pi.status === 'requires_action' ? pi.action_url : null,
      stockArrived: lines.filter((l) => l.waitlist).every((l) => (stock.get(l.sku) ?? 0) >= l.quantity),
      createdAt,
    };
  }

  private stockBySku(skus: string[]): Map<string, number> {
    if (skus.length === 0) return new Map();
    const rows = this.d.db
      .prepare(
        // What is on the shelf: a waiting order takes the units committed to it (catalog/stock-sql.ts).
        `SELECT p.sku, ${ON_HAND_SQL} AS available
         FROM products p WHERE p.active = 1 AND p.sku IN (${skus.map(() => '?').join(',')})`,
      )
      .all(...skus) as { sku: string; available: number }[];
    return new Map(rows.map((r) => [r.sku, r.available]));
  }

  private card(pmId: string): { view: SavedCardView; detached: boolean } | null {
    const r = this.d.db
      .prepare('SELECT id, brand, last4, exp_month, exp_year, detached FROM saved_cards WHERE id = ?')
      .get(pmId) as
      | { id: string; brand: string; last4: string; exp_month: number; exp_year: number; detached: number }
      | undefined;
    if (!r) return null;
    return {
      view: { id: r.id, brand: r.brand, last4: r.last4, expMonth: r.exp_month, expYear: r.exp_year },
      detached: r.detached === 1,
    };
  }

  private content(pi: PiCardRow): OrderContent | null {
    return pi.content_json ? (JSON.parse(pi.content_json) as OrderContent) : null;
  }

  private piRow(id: string): PiRow | undefined {
    return this.d.db.prepare('SELECT * FROM payment_intents WHERE id = ?').get(id) as PiRow | undefined;
  }

  /** The order's PaymentIntent now: the newest one carrying its cart (a lapsed hold's successor, if any). */
  private currentPi(cartId: string): PiRow {
    const pi = this.d.db
      .prepare('SELECT * FROM payment_intents WHERE cart_id = ? ORDER BY created DESC, rowid DESC LIMIT 1')
      .get(cartId) as PiRow | undefined;
    if (!pi) throw new AppError('not_found', 'There is no order for that cart.');
    return pi;
  }

  private rootOf(pi: PiRow): string {
    return this.content(pi)?.rootPaymentIntentId ?? pi.id;
  }

  // ---------------------------------------------------------------------------------- charging

  /**
   * Charge a saved-card order off-session (manager). The stock of its waitlist lines must be in. Keys: the
   * PaymentIntent that continues a lapsed hold is created under `mc_saved_pi_<hold>`, and a charge attempt is
   * `mc_saved_charge_<PaymentIntent>_<last charge>` — the same at every station that knows the same attempts.
   */
  chargeSaved(
    cartId: string,
    actor: Actor,
    lines?: ChargeLine[],
    expectedAmount?: number,
  ): Promise<WaitingOrder> {
    return this.once(`charge:${cartId}:${JSON.stringify([lines ?? null, expectedAmount ?? null])}`, () =>
      this.chargeNow(cartId, actor, lines, expectedAmount),
    );
  }

  private async chargeNow(
    cartId: string,
    actor: Actor,
    lines?: ChargeLine[],
    expectedAmount?: number,
  ): Promise<WaitingOrder> {
    // What Stripe says now, not this station's copy (which may be a day old, past the 24 hours Stripe keeps
    // idempotency keys): the order's PaymentIntent, and every PaymentIntent that continues it.
    await this.readStripeNow(cartId);
    let pi = this.currentPi(cartId);
    if (pi.status === 'processing') return this.get(cartId);
    if (pi.status === 'succeeded') return this.get(cartId);
    if (pi.status === 'requires_capture')
      throw new AppError('precondition_failed', 'This order’s card is held: capture it from Holds.');
    const wait = cardWaitOf(this.d.db, pi);
    const content = this.content(pi);
    if (!wait || !content)
      throw new AppError('precondition_failed', 'This order has no saved card to charge.');
    const pm = savedCardFor(this.d.db, pi, content);
    if (!pm || this.card(pm)?.detached)
      throw new AppError(
        'precondition_failed',
        'The customer’s saved card was removed. Call them for another card.',
      );
    // By lines, as for holds: the lines that arrived are charged, the rest is not (the order lists what was).
    const take = lines ? this.linesToCharge(content, lines) : null;
    const wanted = take
      ? content.lines.map((l) => ({ ...l, quantity: take.get(l.sku) ?? 0 })).filter((l) => l.quantity > 0)
      : content.lines;
    const short_ = wanted.filter((l) => l.waitlist && !this.inStock(l.sku, l.quantity));
    if (short_.length > 0) {
      throw new AppError(
        'precondition_failed',
        `Not in stock yet: ${short_.map((l) => `${l.quantity} × ${l.name}`).join(', ')}. Count the delivery in the catalog first.`,
      );
    }
    const open = openEntriesFor(this.d.db, [pi.id]).find((e) => e.operation === 'payment_intent.confirm');
    if (open)
      throw new AppError(
        'pending_confirmation',
        'A charge of this order is still being confirmed with Stripe. Wait for it before charging again.',
      );
    if (pi.status === 'canceled') pi = await this.continueOrder(pi, content, pm, actor);
    // Charged at the tax of the day it ships: Stripe Tax prices the lines anew (lines-tax.ts).
    // Under "Rates I set", at the shop's rates of that day (the order's recorded destination).
    const repriced =
      (content.pricing?.taxMode === 'stripe_tax' && content.pricing.calculationId !== null) ||
      (content.pricing?.taxMode === 'rates' && content.pricing.breakdown.length > 0);
    if (take || repriced)
      pi = await this.chargeOnly(pi, content, wanted, actor, take !== null, expectedAmount);
    // The amount the manager was shown is the amount charged, or nothing is.
    if (expectedAmount !== undefined && pi.amount !== expectedAmount)
      throw amountMoved(pi.amount, expectedAmount, pi.currency);
    const piId = pi.id;
    await this.markChargedBy(pi, actor);
    const key = `mc_saved_charge_${piId}_${pi.latest_charge ?? 'first'}`;
    const outcome = await this.d.payments.call<Stripe.PaymentIntent>(
      'payment_intent.confirm',
      piId,
      { payment_method: pm, off_session: true, expand: ['latest_charge'] },
      actor,
      (p, k) => this.d.gateway().confirmPaymentIntent(piId, p as Stripe.PaymentIntentConfirmParams, k),
      key,
    );
    await this.settle(piId, outcome, actor, 'waitlist.charged');
    // A charge by lines that the bank refused leaves the order as it was: every line, at its whole amount.
    const after = this.piRow(piId);
    if (take && after && after.status !== 'succeeded' && after.status !== 'processing')
      await this.restoreOrder(after, content, actor);
    return this.get(cartId);
  }

  /**
   * Who charges the saved card, at which station, when (Stripe's time): mc_cap_at on the PaymentIntent, just before
   * it is confirmed (a confirm takes no metadata) — the managers' money actions read it at every station. Per
   * attempt; a charge the bank refuses is not listed as a charge (its PaymentIntent did not succeed). A link sent
   * to the customer (`via` link: they pay it) and a card taken on the phone (`via` phone) mark their attempt too,
   * so the attempt that succeeded is the one named. Nothing is confirmed unmarked: a charge of ours always says
   * who, and one with no mark was made outside the console.
   */
  private async markChargedBy(pi: PiRow, actor: Actor, via?: 'link' | 'phone'): Promise<void> {
    const value = capturedAtValue(
      Math.floor(this.d.stripeNow() / 1000),
      `${actor.name} · ${actor.station}`,
      via,
    );
    const outcome = await this.d.payments.call<Stripe.PaymentIntent>(
      'payment_intent.update',
      pi.id,
      { metadata: { [CAPTURED_AT_KEY]: value } },
      actor,
      (p, k) => this.d.gateway().updatePaymentIntent(pi.id, p as Stripe.PaymentIntentUpdateParams, k),
      `mc_saved_by_${pi.id}_${pi.latest_charge ?? 'first'}_${short(value)}`,
    );
    if (outcome.state !== 'succeeded') throw failureToError(outcome.failure, outcome.state === 'unknown');
    this.d.payments.applySnapshot(outcome.object, true);
  }

  /**
   * Read the order's PaymentIntent back from Stripe, and list the customer's PaymentIntents (a list is strongly
   * consistent; Stripe's search is not) for any that continues this order: one charged at another station, even
   * more than 24 hours ago, is seen here before anything is created or confirmed.
   */
  private async readStripeNow(cartId: string): Promise<void> {
    const pi = this.currentPi(cartId);
    const gw = this.d.gateway();
    try {
      const fresh = await gw.retrievePaymentIntent(pi.id);
      this.d.payments.applySnapshot(fresh, true);
      const root = this.rootOf(pi);
      const customer = typeof fresh.customer === 'string' ? fresh.customer : (fresh.customer?.id ?? null);
      if (!customer) return;
      let startingAfter: string | undefined;
      for (let page = 0; page < 20; page++) {
        const list = await gw.listPaymentIntents({
          customer,
          limit: 100,
          created: { gte: fresh.created },
          ...(startingAfter ? { starting_after: startingAfter } : {}),
        });
        for (const x of list.data)
          if (x.id !== fresh.id && x.metadata?.mc_root === root) this.d.payments.applySnapshot(x, true);
        if (!list.has_more || list.data.length === 0) break;
        startingAfter = list.data[list.data.length - 1]!.id;
      }
    } catch (e) {
      if (e instanceof AppError) throw e;
      const f = classifyStripeError(e);
      throw failureToError(f, f.kind === 'unknown');
    }
  }

  /** Undo a charge-by-lines' narrowing after the bank refused it: the whole order's amount, no captured lines. */
  private async restoreOrder(pi: PiRow, content: OrderContent, actor: Actor): Promise<void> {
    const amount = orderAmount(content);
    const now = this.content(pi);
    if (pi.amount === amount && !now?.captured && !now?.capturedTax) return;
    const calc = content.pricing?.taxMode === 'stripe_tax' ? content.pricing.calculationId : null;
    const outcome = await this.d.payments.call<Stripe.PaymentIntent>(
      'payment_intent.update',
      pi.id,
      {
        amount,
        metadata: { mc_cap: '', mc_cap_tax: '' },
        ...(calc ? { hooks: { inputs: { tax: { calculation: calc } } } } : {}),
      },
      actor,
      (p, k) => this.d.gateway().updatePaymentIntent(pi.id, p as Stripe.PaymentIntentUpdateParams, k),
      `mc_saved_restore_${pi.id}_${pi.latest_charge ?? 'first'}`,
    );
    if (outcome.state === 'succeeded') this.d.payments.applySnapshot(outcome.object, true);
  }

  /** The lines asked for, checked against the order: sku → quantity (at least one, none beyond what was ordered). */
  private linesToCharge(content: OrderContent, lines: ChargeLine[]): Map<string, number> {
    const ordered = new Map(content.lines.map((l) => [l.sku, l.quantity]));
    for (const l of lines) {
      const max = ordered.get(l.sku);
      if (max === undefined) throw new AppError('invalid_input', `${l.sku} is not in this order.`);
      if (l.quantity > max) throw new AppError('invalid_input', `At most ${max} × ${l.sku} were ordered.`);
    }
    const take = new Map(lines.filter((l) => l.quantity > 0).map((l) => [l.sku, l.quantity]));
    if (take.size === 0) throw new AppError('invalid_input', 'Choose at least one line to charge.');
    return take;
  }

  /**
   * Charge only the lines that arrived (`narrow`), and at the tax of the day: the PaymentIntent's amount becomes
   * theirs with their tax (a new Stripe Tax calculation linked to it), the lines and the tax are written on it
   * (mc_cap, mc_cap_tax, as a capture by lines writes them), before it is confirmed; keyed on the lines, so a
   * repeat is one.
   */
  private async chargeOnly(
    pi: PiRow,
    content: OrderContent,
    lines: OrderContent['lines'],
    actor: Actor,
    narrow = true,
    expectedAmount?: number,
  ): Promise<PiRow> {
    const taken = lines.map((l) => ({ sku: l.sku, quantity: l.quantity }));
    // The lines' prices less discounts, their tax and the shipping fee with this, the order's first charge: the
    // rule holds use too.
    const shopTax = this.d.shopTax ? this.d.shopTax() : null;
    const priced = await chargeForLines(this.d.gateway(), content, pi.currency, taken, true, shopTax);
    const metadata = { ...(narrow ? capturedLinesMetadata(taken) : {}), ...priced.metadata };
    const amount = priced.amount;
    // Priced anew (the tax of the day): if that is not what the manager was shown, change and charge nothing.
    if (expectedAmount !== undefined && amount !== expectedAmount)
      throw amountMoved(amount, expectedAmount, pi.currency);
    if (!priced.calculationId && amount === pi.amount && this.content(pi)?.captured) return pi;
    const outcome = await this.d.payments.call<Stripe.PaymentIntent>(
      'payment_intent.update',
      pi.id,
      {
        amount,
        metadata,
        ...(priced.calculationId
          ? { hooks: { inputs: { tax: { calculation: priced.calculationId } } } }
          : {}),
      },
      actor,
      (p, k) => this.d.gateway().updatePaymentIntent(pi.id, p as Stripe.PaymentIntentUpdateParams, k),
      // Per attempt (the last charge tried): after a refused charge the order is restored, and narrowing it again
      // must be a new request, not Stripe's replay of the first one.
      `mc_saved_lines_${pi.id}_${pi.latest_charge ?? 'first'}_${short(`${amount}|${metadata.mc_cap ?? ''}|${metadata.mc_cap_tax ?? ''}`)}`,
    );
    if (outcome.state !== 'succeeded') throw failureToError(outcome.failure, outcome.state === 'unknown');
    this.d.payments.applySnapshot(outcome.object, true);
    // Never confirm an amount other than the lines': what Stripe answered must be it.
    if (outcome.object.amount !== amount || (narrow && outcome.object.metadata?.mc_cap !== metadata.mc_cap))
      throw new AppError(
        'conflict',
        'The order could not be narrowed to the lines in stock; nothing was charged. Look at it again.',
      );
    return this.piRow(pi.id)!;
  }

  /** A lapsed or released hold's order continues on a new PaymentIntent for the same content and saved card. */
  private async continueOrder(hold: PiRow, content: OrderContent, pm: string, actor: Actor): Promise<PiRow> {
    const known = successorOf(this.d.db, hold.id);
    if (known) return this.piRow(known)!;
    const params: Stripe.PaymentIntentCreateParams = {
      amount: hold.amount,
      currency: hold.currency,
      capture_method: 'automatic',
      payment_method: pm,
      allowed_payment_method_types: ['card'],
      statement_descriptor_suffix: 'PHONE ORDER',
      description: `Phone order ${orderNumberText(content.stationCode, content.number)} (saved card, charged on arrival)`,
      metadata: encodeOrderMetadata({ ...content, rootPaymentIntentId: hold.id }),
      ...(hold.customer_id ? { customer: hold.customer_id } : {}),
    };
    const outcome = await this.d.payments.call<Stripe.PaymentIntent>(
      'payment_intent.create',
      hold.id,
      params as unknown as Record<string, unknown>,
      actor,
      (p, k) => this.d.gateway().createPaymentIntent(p as unknown as Stripe.PaymentIntentCreateParams, k),
      `mc_saved_pi_${hold.id}`,
    );
    if (outcome.state !== 'succeeded') throw failureToError(outcome.failure, outcome.state === 'unknown');
    this.d.payments.applySnapshot(outcome.object, true);
    return this.piRow(outcome.object.id)!;
  }

  /** Apply what Stripe answered to a charge or a link: paid, customer action needed, or still unknown. */
  private async settle(
    piId: string,
    outcome: Awaited<ReturnType<PaymentsService['call']>>,
    actor: Actor,
    action: string,
  ): Promise<void> {
    const { payments } = this.d;
    if (outcome.state === 'succeeded') {
      const pi = outcome.object as Stripe.PaymentIntent;
      payments.applySnapshot(pi, true);
      payments.audit(actor, action, piId, null, { status: pi.status, amount: pi.amount }, outcome);
      return;
    }
    const f = outcome.failure;
    if (f.kind === 'card') {
      if (f.paymentIntent) payments.applySnapshot(f.paymentIntent, true);
      payments.audit(
        actor,
        `${action.replace(/\.\w+$/, '')}.action_needed`,
        piId,
        null,
        { code: f.code, declineCode: f.declineCode },
        outcome,
      );
      return;
    }
    if (f.kind === 'rejected') {
      // Someone else acted first (another station charged it): what Stripe holds now is the answer.
      payments.applySnapshot(await this.d.gateway().retrievePaymentIntent(piId), true);
      const now = this.piRow(piId);
      if (now?.status === 'succeeded') return;
    }
    throw failureToError(f, outcome.state === 'unknown');
  }

  private inStock(sku: string, quantity: number): boolean {
    return (this.stockBySku([sku]).get(sku) ?? 0) >= quantity;
  }

  /**
   * A link for the customer to pay on their own device: the order's PaymentIntent confirmed again with them
   * present, which stops at the bank's page (next_action). Once they complete it there, the payment succeeds and
   * every station sees the order paid.
   */
  paymentLink(cartId: string, actor: Actor): Promise<WaitingOrder> {
    return this.once(`link:${cartId}`, async () => {
      const pi = this.currentPi(cartId);
      if (pi.status === 'requires_action' && pi.action_url) return this.get(cartId);
      const wait = cardWaitOf(this.d.db, pi);
      if (wait !== 'action_needed' || pi.status !== 'requires_payment_method')
        throw new AppError(
          'precondition_failed',
          'This order does not need the customer: charge it instead.',
        );
      const content = this.content(pi);
      const pm = savedCardFor(this.d.db, pi, content);
      if (!pm || this.card(pm)?.detached)
        throw new AppError(
          'precondition_failed',
          'The saved card was removed. Call the customer for another card.',
        );
      await this.markChargedBy(pi, actor, 'link');
      const key = `mc_saved_link_${pi.id}_${pi.latest_charge ?? 'first'}`;
      const outcome = await this.d.payments.call<Stripe.PaymentIntent>(
        'payment_intent.confirm',
        pi.id,
        { payment_method: pm, return_url: this.d.authWindow.returnUrl() },
        actor,
        (p, k) => this.d.gateway().confirmPaymentIntent(pi.id, p as Stripe.PaymentIntentConfirmParams, k),
        key,
      );
      await this.settle(pi.id, outcome, actor, 'waitlist.link_sent');
      return this.get(cartId);
    });
  }

  /**
   * Staff call the customer back and take another card on the phone, for the same order: the order's
   * PaymentIntent confirmed on-session with that card (3D Secure in the console's window or through the link, as
   * at the phone checkout; MOTO where the account allows it). One PaymentIntent that can succeed once, and a key
   * derived from the order, its last attempt and the card: the same card pressed twice, or at two stations, is
   * one charge; a card the bank refuses leaves the order waiting for the next one.
   */
  payByPhone(cartId: string, paymentMethod: string, moto: boolean, actor: Actor): Promise<WaitingOrder> {
    return this.once(`phone:${cartId}`, () => this.payByPhoneNow(cartId, paymentMethod, moto, actor));
  }

  private async payByPhoneNow(
    cartId: string,
    paymentMethod: string,
    moto: boolean,
    actor: Actor,
  ): Promise<WaitingOrder> {
    if (this.d.gateway().mode === 'live' && /^pm_card_|^tok_/.test(paymentMethod))
      throw new AppError('not_available', 'Test cards cannot be used in live mode.');
    // What Stripe says now (the order may have been paid at another station, even a day ago), and a card saved on
    // a customer is never taken here: that is the manager's path (Charge, with the PIN and the agreement).
    await this.readStripeNow(cartId);
    await this.d.payments.refuseSavedCard(paymentMethod);
    let pi = this.currentPi(cartId);
    if (pi.status === 'succeeded' || pi.status === 'processing') return this.get(cartId);
    const content = this.content(pi);
    const wait = cardWaitOf(this.d.db, pi);
    if (wait !== 'action_needed' || !content)
      throw new AppError(
        'precondition_failed',
        'This order does not need the customer: it is charged to the saved card when the stock arrives.',
      );
    // The stock must be in, as for the saved card (lines written on the order when only some arrived were
    // checked in stock then; the rest is not charged).
    const short_ = content.captured
      ? []
      : content.lines.filter((l) => l.waitlist && !this.inStock(l.sku, l.quantity));
    if (short_.length > 0)
      throw new AppError(
        'precondition_failed',
        `Not in stock yet: ${short_.map((l) => `${l.quantity} × ${l.name}`).join(', ')}. Count the delivery in the catalog first.`,
      );
    const open = openEntriesFor(this.d.db, [pi.id]).find((e) => e.operation === 'payment_intent.confirm');
    if (open)
      throw new AppError(
        'pending_confirmation',
        'A charge of this order is still being confirmed with Stripe. Wait for it before taking another card.',
      );
    // A lapsed hold whose saved card was removed: the order continues on a PaymentIntent of its own.
    if (pi.status === 'canceled') pi = await this.continueOrder(pi, content, paymentMethod, actor);
    const piId = pi.id;
    await this.markChargedBy(pi, actor, 'phone');
    const key = `mc_saved_phone_${piId}_${pi.latest_charge ?? 'first'}_${short(`${paymentMethod}|${moto}`)}`;
    const outcome = await this.d.payments.call<Stripe.PaymentIntent>(
      'payment_intent.confirm',
      piId,
      {
        payment_method: paymentMethod,
        return_url: this.d.authWindow.returnUrl(),
        expand: ['latest_charge'],
        ...(moto ? { payment_method_options: { card: { moto: true } } } : {}),
      },
      actor,
      (p, k) => this.d.gateway().confirmPaymentIntent(piId, p as Stripe.PaymentIntentConfirmParams, k),
      key,
    );
    await this.settle(piId, outcome, actor, 'waitlist.phone_paid');
    return this.get(cartId);
  }

  /**
   * The bank's page for a card taken on the phone, opened in the console's own window (the customer is in the
   * shop, or tells staff the code); once it returns, Stripe's answer is read back and applied.
   */
  authenticate(cartId: string, actor: Actor): Promise<WaitingOrder> {
    return this.once(`auth:${cartId}`, async () => {
      const pi = this.currentPi(cartId);
      if (pi.status !== 'requires_action' || !pi.action_url)
        throw new AppError('precondition_failed', 'This payment is not waiting for authentication.');
      await this.d.authWindow.open(pi.action_url, this.d.authWindow.returnUrl());
      const after = await this.d.gateway().retrievePaymentIntent(pi.id);
      this.d.payments.applySnapshot(after, true);
      this.d.payments.audit(actor, 'waitlist.authenticated', pi.id, null, { status: after.status });
      return this.get(cartId);
    });
  }

  // -------------------------------------------------------------------------------- customers' cards

  /** A customer's saved cards (brand, last 4, expiry — never more) with the orders waiting on each. */
  savedCards(customerId: string): CustomerSavedCard[] {
    const cards = this.d.db
      .prepare(
        `SELECT id FROM saved_cards WHERE customer_id = ? AND detached = 0 ORDER BY snapshot_at DESC, id`,
      )
      .pluck()
      .all(customerId) as string[];
    const waiting = this.list().filter((o) => o.customerId === customerId);
    return cards.map((id) => ({
      ...this.card(id)!.view,
      waitingOrders: waiting.filter((o) => o.card?.id === id),
    }));
  }

  /**
   * Remove a saved card at the customer's request: detached in Stripe (payment_method.detached tells every
   * station). Says which waiting orders it affects: they need the customer for another card.
   */
  async removeCard(customerId: string, paymentMethodId: string, actor: Actor): Promise<RemovedCard> {
    const card = this.card(paymentMethodId);
    const owner = this.d.db
      .prepare('SELECT customer_id FROM saved_cards WHERE id = ?')
      .pluck()
      .get(paymentMethodId) as string | null | undefined;
    if (!card || owner !== customerId)
      throw new AppError('not_found', 'That card is not saved for this customer.');
    const affected = this.list().filter((o) => o.card?.id === paymentMethodId && o.state !== 'paid');
    if (!card.detached) {
      const outcome = await this.d.payments.detachCard(paymentMethodId, actor);
      if (outcome.state === 'succeeded') {
        applyWritten(this.d.db, outcome.object, this.d.clock.now());
      } else if (outcome.failure.kind === 'rejected') {
        // Already detached elsewhere (another station, the Dashboard): the card is gone either way.
        applyWritten(
          this.d.db,
          await this.d.gateway().retrievePaymentMethod(paymentMethodId),
          this.d.clock.now(),
        );
      } else throw failureToError(outcome.failure, outcome.state === 'unknown');
      this.d.payments.audit(
        actor,
        'card.removed',
        customerId,
        { card: card.view },
        {
          affectedOrders: affected.map((o) => o.orderNumber),
        },
        outcome,
      );
    }
    const orderIds = affected.map((o) => o.orderId).filter((x): x is string => x !== null);
    if (orderIds.length) this.d.onOrdersChanged(orderIds);
    return {
      removed: card.view,
      affectedOrders: affected.map((o) => this.get(o.cartId)),
      message:
        affected.length === 0
          ? `${card.view.brand} •••• ${card.view.last4} was removed. No waiting order used it.`
          : `${card.view.brand} •••• ${card.view.last4} was removed. ${affected.map((o) => o.orderNumber).join(', ')} ${affected.length === 1 ? 'waits' : 'wait'} on it: call the customer for another card before the stock arrives.`,
    };
  }

  private once(key: string, fn: () => Promise<WaitingOrder>): Promise<WaitingOrder> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const p = fn().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }
}

/** The tax in the cart's price as last priced (0: none, or not priced): the agreement says how it is charged. */
function cartTax(row: Pick<CartRow, 'pricing_json'>): number {
  if (!row.pricing_json) return 0;
  const p = JSON.parse(row.pricing_json) as { taxTotal?: number };
  return p.taxTotal ?? 0;
}

/** The charge comes to another amount than the one the manager was shown: nothing is charged; the new amount is
 * in the error's details, for the dialog to show before it is pressed again. */
function amountMoved(amount: number, shown: number, currency: string): AppError {
  return new AppError(
    'conflict',
    `With today’s tax this charge comes to ${formatMoney(amount, currency)}, not ${formatMoney(shown, currency)}. Nothing was charged: check the amount and charge again.`,
    { amount },
  );
}
