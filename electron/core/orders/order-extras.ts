// What staff add to an order after the payment, kept on its charge in Stripe so that every station sees it
// (charge.updated announces each change): internal notes, a resent receipt, and the cancellation of a paid
// order as one action — refund what is left, put the items back in stock, and mark it cancelled, with a reason.
// Every write goes through the journal with a key derived from what is written, and Stripe's answer through
// the projection (apply-written), as every other command does.
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { Clock } from '../ports';
import type { CancelReason, OrderExtras } from '../../ipc/contract';
import { AppError } from '../../ipc/errors';
import type { Actor } from '../auth/auth-service';
import type { StripeGateway } from '../stripe/gateway';
import { failureToError, type PaymentsService } from '../payments/payments-service';
import { applyWritten } from '../sync/apply-written';
import { contentOf } from '../sync/shop-projection';
import type { CatalogService } from '../catalog/catalog-service';
import type { HoldsService } from '../payments/holds-service';
import { stationId } from '../station/station';
import type { OrdersService } from './orders-service';
import { getOrderRow, type OrderDbRow } from './orders-repo';
import {
  cancelKey,
  hasCancellation,
  NOTE_PREFIX,
  RECEIPT_KEY,
  assertRoomForNote,
  cancellationValue,
  newNoteId,
  noteValue,
  parseMetadata,
  receiptValue,
  type Cancellation,
  type OrderNotesView,
} from './order-notes';

export interface OrderExtrasDeps {
  db: Db;
  clock: Clock;
  gateway: () => StripeGateway;
  payments: PaymentsService;
  orders: OrdersService;
  catalog: CatalogService;
  /** Holds: a waiting order on hold is cancelled by releasing it. */
  holds: HoldsService;
  onOrdersChanged: (ids: string[]) => void;
  /** Stripe's now (ms), as this station knows it from Stripe's answers. */
  stripeNow: () => number;
}

type Row = OrderDbRow & { cancelled_json: string | null; notes_json: string | null };

const REFUND_REASON: Record<CancelReason, Stripe.RefundCreateParams.Reason> = {
  customer_request: 'requested_by_customer',
  out_of_stock: 'requested_by_customer',
  suspected_fraud: 'fraudulent',
  duplicate: 'duplicate',
  other: 'requested_by_customer',
};

const digest = (v: unknown): string =>
  createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

export class OrderExtrasService {
  private readonly inFlight = new Map<string, Promise<OrderExtras>>();

  constructor(private readonly d: OrderExtrasDeps) {}

  private row(orderId: string): Row {
    const r = getOrderRow(this.d.db, orderId) as Row | null;
    if (!r) throw new AppError('not_found', 'That order does not exist.');
    return r;
  }

  private chargeOf(r: Row): { id: string; metadata: Record<string, string> } {
    const id =
      r.charge_id ??
      ((this.d.db
        .prepare('SELECT latest_charge FROM payment_intents WHERE id = ?')
        .pluck()
        .get(r.payment_intent_id) as string | null) ||
        null);
    if (!id)
      throw new AppError(
        'precondition_failed',
        `Order #${this.label(r)} has no charge to record this on yet.`,
      );
    const md = this.d.db.prepare('SELECT metadata_json FROM charges WHERE id = ?').pluck().get(id) as
      string | null | undefined;
    return { id, metadata: parseMetadata(md) };
  }

  private label(r: Row): string {
    return `${r.station_code ?? ''}${r.number}`;
  }

  extras(orderId: string): OrderExtras {
    const { db } = this.d;
    const r = this.row(orderId);
    const view: OrderNotesView = r.notes_json
      ? (JSON.parse(r.notes_json) as OrderNotesView)
      : { notes: [], receipt: { email: null, url: null, card: null, resent: null } };
    const pi = db
      .prepare('SELECT status, customer_id, amount_received FROM payment_intents WHERE id = ?')
      .get(r.payment_intent_id) as
      { status: string; customer_id: string | null; amount_received: number } | undefined;
    const captured = Math.max(r.amount_captured, pi?.amount_received ?? 0);
    const refundable = Math.max(0, captured - r.amount_refunded);
    const cancellation = r.cancelled_json ? (JSON.parse(r.cancelled_json) as Cancellation) : null;
    const cancelBlocked = cancellation
      ? 'This order is already cancelled.'
      : r.status === 'shipped'
        ? 'The order has shipped: refund it instead once the goods come back.'
        : pi && pi.status !== 'succeeded' && r.payment_state !== 'authorized' && !r.card_wait
          ? 'This order was not paid: there is nothing to cancel.'
          : null;
    return {
      orderId: r.id,
      number: this.label(r),
      currency: r.currency,
      shippingFee: contentOf(db, r.payment_intent_id)?.shippingFee ?? 0,
      notes: view.notes,
      cancellation,
      receipt: view.receipt,
      customerId: pi?.customer_id ?? null,
      refundable,
      waiting: r.payment_state === 'authorized' || !!r.card_wait,
      cancelBlocked,
    };
  }

  /** Write to the order's charge (journaled; keyed on what is written) and project Stripe's answer. */
  private async updateCharge(
    r: Row,
    chargeId: string,
    params: Stripe.ChargeUpdateParams,
    key: string,
    actor: Actor,
    action: string,
    after: unknown,
  ): Promise<void> {
    const { db, payments } = this.d;
    const outcome = await payments.call<Stripe.Charge>(
      'charge.update',
      chargeId,
      params as Record<string, unknown>,
      actor,
      (p, k) => this.d.gateway().updateCharge(chargeId, p as Stripe.ChargeUpdateParams, k),
      key,
    );
    if (outcome.state !== 'succeeded') throw failureToError(outcome.failure, outcome.state === 'unknown');
    db.transaction(() => {
      applyWritten(db, outcome.object, this.d.clock.now());
      payments.audit(actor, action, r.id, null, after, outcome);
    })();
    this.d.onOrdersChanged([r.id]);
  }

  async addNote(orderId: string, text: string, actor: Actor): Promise<OrderExtras> {
    const r = this.row(orderId);
    const charge = this.chargeOf(r);
    assertRoomForNote(charge.metadata);
    const now = this.d.clock.now();
    const id = newNoteId(now);
    const value = noteValue(text, `${actor.name} · ${actor.station}`, now);
    await this.updateCharge(
      r,
      charge.id,
      { metadata: { [`${NOTE_PREFIX}${id}`]: value } },
      `mc_note_${charge.id}_${id}`,
      actor,
      'order.note_added',
      { note: text.trim().slice(0, 300) },
    );
    return this.extras(orderId);
  }

  async removeNote(orderId: string, noteId: string, actor: Actor): Promise<OrderExtras> {
    const r = this.row(orderId);
    const charge = this.chargeOf(r);
    const key = `${NOTE_PREFIX}${noteId}`;
    if (!(key in charge.metadata)) return this.extras(orderId); // removed already (here or elsewhere)
    await this.updateCharge(
      r,
      charge.id,
      { metadata: { [key]: '' } },
      `mc_note_del_${charge.id}_${noteId}`,
      actor,
      'order.note_removed',
      { noteId },
    );
    return this.extras(orderId);
  }

  /**
   * Ask Stripe to send the receipt again (to the same address or another): updating the charge's receipt_email
   * sends a new receipt. Keyed on how many resends the order had and the address: a second press of the same
   * button sends one.
   */
  async resendReceipt(orderId: string, email: string, actor: Actor): Promise<OrderExtras> {
    const r = this.row(orderId);
    const charge = this.chargeOf(r);
    const before = this.extras(orderId);
    const n = (before.receipt.resent?.n ?? 0) + 1;
    const key = `mc_receipt_${charge.id}_${n}_${digest([email.toLowerCase(), actor.station])}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const p = (async () => {
      await this.updateCharge(
        r,
        charge.id,
        {
          receipt_email: email,
          metadata: {
            [RECEIPT_KEY]: receiptValue({
              to: email,
              by: `${actor.name} · ${actor.station}`,
              at: this.d.clock.now(),
              n,
            }),
          },
        },
        key,
        actor,
        'order.receipt_sent',
        { to: email },
      );
      return this.extras(orderId);
    })().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  /**
   * Cancel a paid order as one action: refund what is left of the payment, put back in stock what the payment
   * took out of it, and mark the order cancelled on its charge (who, when, why). Each step is keyed so that a
   * repeat after a failure half-way does only what is left: the refund by the refunded total the manager saw,
   * each restock by the payment and SKU, the mark by the charge.
   */
  cancel(
    orderId: string,
    reason: CancelReason,
    note: string,
    expectedRefunded: number,
    actor: Actor,
  ): Promise<OrderExtras> {
    const key = `${orderId}:cancel`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const p = this.cancelNow(orderId, reason, note, expectedRefunded, actor).finally(() =>
      this.inFlight.delete(key),
    );
    this.inFlight.set(key, p);
    return p;
  }

  /**
   * Cancel an order that waits for its stock, for holds and saved cards alike: a hold is released; a saved-card
   * order's unconfirmed PaymentIntent is cancelled; and the cancellation is written on the order's charge where
   * there is one (a lapsed hold's), which ends its card wait at every station and at a rebuilt one.
   */
  private async cancelWaiting(
    r: Row,
    reason: CancelReason,
    note: string,
    actor: Actor,
  ): Promise<OrderExtras> {
    const { db, payments } = this.d;
    const piId = r.payment_intent_id;
    const fresh = await this.d.gateway().retrievePaymentIntent(piId);
    payments.applySnapshot(fresh, true);
    if (fresh.status === 'succeeded' || fresh.status === 'processing')
      throw new AppError(
        'conflict',
        `Order #${this.label(r)} was paid meanwhile. Look at it again before cancelling.`,
      );
    const cancellation: Cancellation = {
      by: `${actor.name} · ${actor.station}`,
      at: this.d.stripeNow(),
      reason,
      note: note.trim(),
      restock: true,
    };
    if (fresh.status === 'requires_capture') {
      const version = db
        .prepare('SELECT version FROM holds WHERE payment_intent_id = ?')
        .pluck()
        .get(piId) as number | undefined;
      await this.d.holds.release(piId, version ?? 0, actor, false, false);
    } else if (fresh.status !== 'canceled') {
      // No charge to write the cancellation on: it goes on the PaymentIntent, before it is cancelled.
      if (!fresh.latest_charge) {
        const marked = await payments.call<Stripe.PaymentIntent>(
          'payment_intent.update',
          piId,
          { metadata: { [cancelKey(stationId(this.d.db))]: cancellationValue(cancellation) } },
          actor,
          (p, k) => this.d.gateway().updatePaymentIntent(piId, p as Stripe.PaymentIntentUpdateParams, k),
          `mc_cancel_pi_${piId}`,
        );
        if (marked.state !== 'succeeded') throw failureToError(marked.failure, marked.state === 'unknown');
      }
      const outcome = await payments.call<Stripe.PaymentIntent>(
        'payment_intent.cancel',
        piId,
        { cancellation_reason: 'requested_by_customer' },
        actor,
        (p, k) => this.d.gateway().cancelPaymentIntent(piId, p as Stripe.PaymentIntentCancelParams, k),
        `mc_cancel_wait_${piId}`,
      );
      if (outcome.state !== 'succeeded') throw failureToError(outcome.failure, outcome.state === 'unknown');
      payments.applySnapshot(outcome.object, true);
    }
    const chargeId =
      typeof fresh.latest_charge === 'string' ? fresh.latest_charge : (fresh.latest_charge?.id ?? null);
    if (chargeId)
      await this.updateCharge(
        this.row(r.id),
        chargeId,
        { metadata: { [cancelKey(stationId(this.d.db))]: cancellationValue(cancellation) } },
        `mc_cancel_${chargeId}_${digest(actor.station)}`,
        actor,
        'order.cancelled',
        { reason, note: cancellation.note, refunded: 0, restocked: [] },
      );
    else payments.audit(actor, 'order.cancelled', r.id, null, { reason, note: cancellation.note });
    this.d.onOrdersChanged([r.id]);
    return this.extras(r.id);
  }

  private async cancelNow(
    orderId: string,
    reason: CancelReason,
    note: string,
    expectedRefunded: number,
    actor: Actor,
  ): Promise<OrderExtras> {
    const { db } = this.d;
    let r = this.row(orderId);
    // A waiting order (held, or waiting on its saved card) is cancelled by ending what waits, in Stripe.
    if (r.payment_state === 'authorized' || r.card_wait) return this.cancelWaiting(r, reason, note, actor);
    const charge = this.chargeOf(r);
    // What Stripe says now: an order another station shipped (or cancelled) a moment ago is not cancelled here.
    const fresh = await this.d.gateway().retrieveCharge(charge.id);
    db.transaction(() => applyWritten(db, fresh, this.d.clock.now()))();
    this.d.onOrdersChanged([r.id]);
    if (fresh.metadata?.mc_shipped && !hasCancellation(fresh.metadata))
      throw new AppError(
        'conflict',
        `Order #${this.label(r)} was shipped (${fresh.metadata.mc_shipped}): it can’t be cancelled now. Refund it instead when the goods come back.`,
      );
    r = this.row(orderId);
    const before = this.extras(orderId);
    if (before.cancelBlocked) throw new AppError('precondition_failed', before.cancelBlocked);
    if (r.amount_refunded !== expectedRefunded)
      throw new AppError(
        'conflict',
        'This order was refunded meanwhile (perhaps by another manager). Look at it again before cancelling.',
      );

    // 1. The refund of whatever was captured and not yet refunded.
    if (before.refundable > 0) {
      await this.d.orders.refund(orderId, before.refundable, r.amount_refunded, REFUND_REASON[reason], actor);
      r = this.row(orderId);
    }

    // 2. Its units go back on the shelf by the mark itself: stock is derived from orders, and a cancelled order's
    // units count again from the cancellation's time (catalog/stock-sql.ts) — once, whichever station marks it.
    const restocked = db
      .prepare('SELECT sku, quantity FROM stock_sales WHERE payment_intent_id = ? ORDER BY sku')
      .all(r.payment_intent_id) as { sku: string; quantity: number }[];

    // 3. The order is marked cancelled on its charge, for every station.
    const cancellation: Cancellation = {
      by: `${actor.name} · ${actor.station}`,
      // Stripe's time (this station's estimate of it): the moment its units are back in stock, at every station.
      at: this.d.stripeNow(),
      reason,
      note: note.trim(),
      restock: true,
    };
    await this.updateCharge(
      r,
      charge.id,
      { metadata: { [cancelKey(stationId(this.d.db))]: cancellationValue(cancellation) } },
      `mc_cancel_${charge.id}_${digest(actor.station)}`,
      actor,
      'order.cancelled',
      { reason, note: cancellation.note, refunded: before.refundable, restocked },
    );
    return this.extras(orderId);
  }
}
