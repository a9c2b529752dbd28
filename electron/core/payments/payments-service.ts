// Phone orders: carts, their one PaymentIntent, and paying it. Every Stripe write goes through the journal,
// so a retry — a second press, a dropped connection, a crash and restart — reuses the same key and Stripe
// acts at most once. The cart keeps its PaymentIntent for life: an interrupted checkout resumes it, a
// changed cart updates its amount, a declined card is retried on the same PaymentIntent.
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { Clock, IdGenerator, AuthWindow, Logger } from '../ports';
import type { Cart, CartLine, CustomerInput, TestCard } from '../../ipc/contract';
import { AppError } from '../../ipc/errors';
import type { Actor } from '../auth/auth-service';
import { appendAudit } from '../audit/audit-log';
import { getProduct } from '../catalog/products';
import { saveCustomer } from '../catalog/customers';
import { classifyStripeError, type StripeFailure, type StripeGateway, type Written } from '../stripe/gateway';
import {
  type Journal,
  getEntry,
  latestEntry,
  type JournalEntry,
  type Operation,
  type Outcome,
} from '../stripe/journal';
import { applyPaymentIntent } from './projection';
import { getCartRow, listOpenCarts, toCart, totalOf, type CartRow } from './carts';
import { explainDecline } from './declines';

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
}

export class PaymentsService {
  /** Calls in flight per cart: a second press while one runs waits for it instead of starting another. */
  private readonly inFlight = new Map<string, Promise<Cart>>();

  constructor(private readonly d: PaymentsDeps) {}

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

  async update(
    cartId: string,
    patch: {
      customer?: CustomerInput | null | undefined;
      lines?: { productId: string; quantity: number }[] | undefined;
    },
    actor: Actor,
  ): Promise<Cart> {
    const { db, clock, ids } = this.d;
    const row = this.requireOpen(cartId);
    const phase = toCart(db, row).phase;
    if (patch.lines && !['building', 'awaiting_card'].includes(phase)) {
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
          waitlist: p.stock < l.quantity,
        };
      });
    }
    const total = totalOf(lines);
    if (total > 99_999_999)
      throw new AppError('invalid_input', 'The cart total is more than Stripe accepts in one payment.');
    const waitlist = lines.some((l) => l.waitlist) ? 1 : 0;
    db.transaction(() => {
      let customerId = row.customer_id;
      if (patch.customer !== undefined) {
        customerId = patch.customer ? saveCustomer(db, patch.customer, () => ids.id('cus'), now).id : null;
      }
      db.prepare(
        `UPDATE carts SET customer_id = ?, lines_json = ?, total = ?, waitlist = ?, version = version + 1, updated_at = ? WHERE id = ?`,
      ).run(customerId, JSON.stringify(lines), total, waitlist, now, cartId);
    })();
    // A PaymentIntent that exists follows the cart: amount and capture method, never a second PaymentIntent.
    const updated = getCartRow(db, cartId)!;
    if (
      updated.payment_intent_id &&
      patch.lines &&
      (updated.total !== row.total || updated.waitlist !== row.waitlist)
    ) {
      if (updated.total > 0) await this.syncAmount(updated, actor);
    }
    this.d.onCartChanged(cartId);
    return this.get(cartId);
  }

  async discard(cartId: string, actor: Actor): Promise<Cart> {
    const { db, clock } = this.d;
    const row = this.requireOpen(cartId);
    if (row.payment_intent_id && row.pi_status !== 'canceled') {
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
    this.d.onCartChanged(cartId);
    return this.get(cartId);
  }

  testCards(): TestCard[] {
    if (this.d.gateway().mode === 'live')
      throw new AppError('not_available', 'Test cards are not available in live mode.');
    return TEST_CARDS;
  }

  // ----------------------------------------------------------------------------------------------- paying

  pay(cartId: string, paymentMethod: string, moto: boolean, actor: Actor): Promise<Cart> {
    return this.once(cartId, () => this.payNow(cartId, paymentMethod, moto, actor));
  }

  private async payNow(cartId: string, paymentMethod: string, moto: boolean, actor: Actor): Promise<Cart> {
    const { db } = this.d;
    let row = this.requireOpen(cartId);
    if (moto && !this.d.settings.motoEnabled)
      throw new AppError('precondition_failed', 'MOTO payments are not enabled in Settings.');
    if (this.d.gateway().mode === 'live' && /^pm_card_|^tok_/.test(paymentMethod)) {
      throw new AppError('not_available', 'Test cards cannot be used in live mode.');
    }
    if ((JSON.parse(row.lines_json) as CartLine[]).length === 0)
      throw new AppError('precondition_failed', 'The cart is empty.');
    if (!row.customer_id)
      throw new AppError('precondition_failed', 'Add the customer’s name before taking payment.');

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
    if (row.pi_status === 'requires_action') {
      throw new AppError(
        'precondition_failed',
        'The customer is authenticating this payment. Finish or cancel authentication first.',
      );
    }

    const piId = await this.ensurePaymentIntent(row, actor);
    row = getCartRow(db, cartId)!;
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
    return this.get(cartId);
  }

  async authenticate(cartId: string, actor: Actor): Promise<Cart> {
    const row = getCartRow(this.d.db, cartId);
    if (!row) throw new AppError('not_found', 'That cart does not exist.');
    if (row.pi_status !== 'requires_action' || !row.auth_url) {
      throw new AppError('precondition_failed', 'This payment is not waiting for authentication.');
    }
    await this.d.authWindow.open(row.auth_url, this.d.authWindow.returnUrl());
    return this.refresh(cartId, actor);
  }

  /** Read the PaymentIntent back from Stripe; settle any unconfirmed request of this cart. */
  refresh(cartId: string, actor: Actor): Promise<Cart> {
    return this.once(cartId, async () => {
      const row = getCartRow(this.d.db, cartId);
      if (!row) throw new AppError('not_found', 'That cart does not exist.');
      await this.settleOpenEntries(row, actor);
      const after = getCartRow(this.d.db, cartId)!;
      if (after.payment_intent_id) {
        const pi = await this.readBack(after.payment_intent_id);
        this.applySnapshot(pi, true);
        this.recordDeclineFrom(after, pi);
      }
      this.d.onCartChanged(cartId);
      return this.get(cartId);
    });
  }

  // -------------------------------------------------------------------------------------------- internals

  private async ensurePaymentIntent(row: CartRow, actor: Actor): Promise<string> {
    const { db, clock } = this.d;
    if (row.payment_intent_id) {
      const pi = this.piRow(row.payment_intent_id);
      if (pi && (pi.amount !== row.total || pi.capture_method !== (row.waitlist ? 'manual' : 'automatic'))) {
        await this.syncAmount(row, actor);
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
      const customer = db.prepare('SELECT name, email FROM customers WHERE id = ?').get(row.customer_id) as
        { name: string; email: string | null } | undefined;
      const lines = JSON.parse(row.lines_json) as CartLine[];
      const params: Stripe.PaymentIntentCreateParams = {
        amount: row.total,
        currency: row.currency,
        capture_method: row.waitlist ? 'manual' : 'automatic',
        description:
          `Phone order ${row.id}: ${lines.map((l) => `${l.quantity}× ${l.name}`).join(', ')}`.slice(0, 1000),
        statement_descriptor_suffix: 'PHONE ORDER',
        metadata: {
          cart_id: row.id,
          station: this.d.settings.station,
          customer_name: customer?.name ?? '',
          created_by: actor.name,
        },
        ...(customer?.email ? { receipt_email: customer.email } : {}),
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

  private async syncAmount(row: CartRow, actor: Actor): Promise<void> {
    const piId = row.payment_intent_id!;
    const params = { amount: row.total, capture_method: row.waitlist ? 'manual' : 'automatic' };
    const outcome = await this.call('payment_intent.update', piId, params, actor, (p, key) =>
      this.d.gateway().updatePaymentIntent(piId, p as Stripe.PaymentIntentUpdateParams, key),
    );
    this.raiseUnless(outcome);
    if (outcome.state === 'succeeded') {
      this.d.db.transaction(() => {
        this.applySnapshot(outcome.object, true);
        this.audit(actor, 'payment_intent.updated', row.id, null, params, outcome);
      })();
    }
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
    const open = key ? null : latestEntry(this.d.db, subject, operation);
    const entry =
      open && (open.state === 'pending' || open.state === 'unknown') && !this.d.journal.isPastSafeRetry(open)
        ? open
        : this.d.journal.begin({
            operation,
            subject,
            params,
            actor: actor?.name ?? null,
            ...(key ? { key } : {}),
          });
    return this.d.journal.attempt(entry, exec);
  }

  private applyOutcome(row: CartRow, outcome: Outcome<Stripe.PaymentIntent>, actor: Actor): void {
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
  private async settleOpenEntries(row: CartRow, actor: Actor): Promise<void> {
    const { db, journal } = this.d;
    const subjects = [row.id, row.payment_intent_id].filter((s): s is string => !!s);
    for (const subject of subjects) {
      const open = db
        .prepare(
          `SELECT key FROM stripe_requests WHERE subject = ? AND state IN ('pending', 'unknown') ORDER BY created_at`,
        )
        .all(subject) as { key: string }[];
      for (const { key } of open) {
        const entry = getEntry(db, key)!;
        if (journal.isPastSafeRetry(entry)) {
          await this.settleByReadBack(entry);
          continue;
        }
        const gw = this.d.gateway();
        const exec = executorFor(gw, entry);
        const outcome = await journal.attempt(entry, exec);
        if (entry.operation === 'payment_intent.create') {
          if (outcome.state === 'succeeded') {
            db.transaction(() => {
              this.linkPaymentIntent(row.id, outcome.object.id);
              this.applySnapshot(outcome.object as Stripe.PaymentIntent, true);
            })();
          }
        } else if (entry.operation === 'payment_intent.confirm') {
          this.applyOutcome(getCartRow(db, row.id)!, outcome as Outcome<Stripe.PaymentIntent>, actor);
        } else if (outcome.state === 'succeeded' && outcome.object.id.startsWith('pi_')) {
          this.applySnapshot(outcome.object as Stripe.PaymentIntent, true);
        }
      }
    }
    const stillOpen = db
      .prepare(
        `SELECT count(*) AS n FROM stripe_requests WHERE subject IN (?, ?) AND state IN ('pending', 'unknown')`,
      )
      .get(row.id, row.payment_intent_id ?? '') as { n: number };
    if (stillOpen.n === 0) db.prepare('UPDATE carts SET pending = 0 WHERE id = ?').run(row.id);
  }

  /** Past the key's safe window: what Stripe has now is the answer. */
  async settleByReadBack(entry: JournalEntry): Promise<void> {
    const piId =
      entry.operation === 'payment_intent.create'
        ? entry.objectId
        : entry.subject.startsWith('pi_')
          ? entry.subject
          : null;
    if (!piId) {
      // A create whose PaymentIntent we never learned: the event ledger may know it by the key.
      const ev = this.d.db
        .prepare(
          `SELECT object_id FROM stripe_events WHERE idempotency_key = ? AND object_id LIKE 'pi_%' LIMIT 1`,
        )
        .get(entry.key) as { object_id: string } | undefined;
      if (ev) {
        const pi = await this.readBack(ev.object_id);
        this.d.journal.settle(entry.key, 'succeeded', pi.id, pi);
        this.applySnapshot(pi, true);
      } else {
        this.d.journal.settle(
          entry.key,
          'failed',
          null,
          null,
          'No PaymentIntent was created under this key.',
        );
      }
      return;
    }
    const pi = await this.readBack(piId);
    this.applySnapshot(pi, true);
    const done =
      (entry.operation === 'payment_intent.capture' && pi.status === 'succeeded') ||
      (entry.operation === 'payment_intent.cancel' && pi.status === 'canceled') ||
      (entry.operation === 'payment_intent.confirm' &&
        ['succeeded', 'requires_capture', 'requires_action', 'processing'].includes(pi.status)) ||
      entry.operation === 'payment_intent.create' ||
      (entry.operation === 'payment_intent.update' && pi.amount === (entry.params.amount as number));
    this.d.journal.settle(
      entry.key,
      done ? 'succeeded' : 'failed',
      pi.id,
      done ? pi : null,
      done ? undefined : `Read back: PaymentIntent is ${pi.status}.`,
    );
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

  applySnapshot(pi: Stripe.PaymentIntent, authoritative: boolean): void {
    applyPaymentIntent(
      this.d.db,
      pi,
      Math.floor(this.d.clock.now() / 1000),
      this.d.clock.now(),
      authoritative,
    );
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

  private piRow(id: string): { amount: number; capture_method: string; status: string } | undefined {
    return this.d.db
      .prepare('SELECT amount, capture_method, status FROM payment_intents WHERE id = ?')
      .get(id) as { amount: number; capture_method: string; status: string } | undefined;
  }

  private requireOpen(cartId: string): CartRow {
    const row = getCartRow(this.d.db, cartId);
    if (!row) throw new AppError('not_found', 'That cart does not exist.');
    if (row.status === 'paid') throw new AppError('conflict', 'This cart has already been paid.');
    if (row.status === 'on_hold')
      throw new AppError('conflict', 'This cart is already authorized and on hold.');
    if (row.status === 'canceled') throw new AppError('conflict', 'This cart was canceled.');
    return row;
  }

  private once(cartId: string, fn: () => Promise<Cart>): Promise<Cart> {
    const running = this.inFlight.get(cartId);
    if (running) return running;
    const p = fn().finally(() => this.inFlight.delete(cartId));
    this.inFlight.set(cartId, p);
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
): (p: Record<string, unknown>, k: string) => Promise<Written<Stripe.PaymentIntent | Stripe.Refund>> {
  const id = entry.subject;
  switch (entry.operation) {
    case 'payment_intent.create':
      return (p: Record<string, unknown>, k: string) =>
        gw.createPaymentIntent(p as unknown as Stripe.PaymentIntentCreateParams, k);
    case 'payment_intent.update':
      return (p: Record<string, unknown>, k: string) =>
        gw.updatePaymentIntent(id, p as Stripe.PaymentIntentUpdateParams, k);
    case 'payment_intent.confirm':
      return (p: Record<string, unknown>, k: string) =>
        gw.confirmPaymentIntent(id, p as Stripe.PaymentIntentConfirmParams, k);
    case 'payment_intent.capture':
      return (p: Record<string, unknown>, k: string) =>
        gw.capturePaymentIntent(id, p as Stripe.PaymentIntentCaptureParams, k);
    case 'payment_intent.cancel':
      return (p: Record<string, unknown>, k: string) =>
        gw.cancelPaymentIntent(id, p as Stripe.PaymentIntentCancelParams, k);
    case 'refund.create':
      return (p: Record<string, unknown>, k: string) =>
        gw.createRefund(p as unknown as Stripe.RefundCreateParams, k);
  }
}
