// Orders for staff: list, search, detail with money ledger and timeline, fulfillment (received →
// processing → shipped, never shipped while unpaid), CSV export, and refunds (manager).
import { encodeRefundLine, REFUND_LINE_KEY, type RefundLine } from './refund-line';
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { Clock } from '../ports';
import type {
  Address,
  CartLine,
  Customer,
  OrderDetail,
  OrderFilter,
  OrderRow,
  OrderStatus,
} from '../../ipc/contract';
import { AppError } from '../../ipc/errors';
import type { Actor } from '../auth/auth-service';
import { appendAudit } from '../audit/audit-log';
import { createHash } from 'node:crypto';
import { classifyStripeError, type StripeGateway } from '../stripe/gateway';
import { applyWritten } from '../sync/apply-written';
import { addressToStripe } from '../sync/shop-projection';
import { fulfillmentUpdate } from './fulfillment-metadata';
import { hasCancellation } from './order-notes';
import { orderTimeline } from './order-timeline';
import { paymentNote } from './payment-note';
import { shopSettings } from '../glance/shop-settings';
import { ordersCsv, type CsvLayout } from './orders-csv';
import { DEFAULT_COUNTRY } from '../../ipc/phone';
import { moneyStateOf } from '../sync/money-signals';
import { contentOf, takenLines } from '../sync/shop-projection';

import { getEntry, openEntriesFor } from '../stripe/journal';
import { failureToError, type PaymentsService } from '../payments/payments-service';
import { getOrderRow, listOrders, setRefunded, toOrderRow, type OrderDbRow } from './orders-repo';
import { paidLineTotals, pricingViewOf, taxRefundedOf } from './order-pricing';
import { parseOrderNumber } from './order-metadata';
import { taxOfRefund } from '../tax/split';
import { REFUND_TAX_KEY, asJurisdictionAmounts, type RecordedJurisdiction } from './pricing-metadata';

/** Units of each line that line refunds returned (failed refunds left out), and how many went back in stock. */
function refundedLinesOf(db: Db, piId: string): { sku: string; quantity: number; restocked: number }[] {
  return db
    .prepare(
      `SELECT line_sku AS sku, sum(line_quantity) AS quantity, sum(CASE WHEN restock = 1 THEN line_quantity ELSE 0 END) AS restocked
       FROM refunds WHERE payment_intent_id = ? AND line_sku IS NOT NULL AND status != 'failed'
       GROUP BY line_sku COLLATE NOCASE ORDER BY min(created_at)`,
    )
    .all(piId) as { sku: string; quantity: number; restocked: number }[];
}

/** What a capture by lines released: the ordered lines less those taken. */
function releasedLinesOf(db: Db, piId: string): CartLine[] {
  const content = contentOf(db, piId);
  if (!content?.captured) return [];
  const taken = new Map(takenLines(content).map((l) => [l.sku, l.quantity]));
  return content.lines
    .map((l) => ({ ...l, quantity: l.quantity - (taken.get(l.sku) ?? 0) }))
    .filter((l) => l.quantity > 0)
    .map((l) => ({
      productId: '',
      sku: l.sku,
      name: l.name,
      unitAmount: l.unitAmount,
      quantity: l.quantity,
      lineTotal: l.unitAmount * l.quantity,
      waitlist: l.waitlist,
    }));
}

/**
 * The tax a refund of `amount` takes back (tax/split.ts taxOfRefund: in proportion, cumulative, so refunding
 * everything in any number of pieces takes back exactly the tax collected), recorded on the refund itself
 * (mc_tax_back) for every station. Stripe Tax reverses its own transaction for a linked PaymentIntent.
 */
function refundTaxMetadata(db: Db, r: OrderDbRow, amount: number): Record<string, string> {
  if (!r.tax_total) return {};
  const before = taxRefundedOf(db, r.payment_intent_id);
  const breakdown = r.tax_json ? (JSON.parse(r.tax_json) as RecordedJurisdiction[]) : [];
  const t = taxOfRefund(
    r.currency,
    {
      total: r.amount_captured,
      taxTotal: r.tax_total,
      breakdown: asJurisdictionAmounts(breakdown),
    },
    { amount: r.amount_refunded, tax: before },
    amount,
  );
  return t.ok && t.value.tax > 0 ? { [REFUND_TAX_KEY]: String(t.value.tax) } : {};
}

const NEXT: Record<OrderStatus, OrderStatus | null> = {
  received: 'processing',
  processing: 'shipped',
  shipped: null,
};

export interface OrdersDeps {
  db: Db;
  clock: Clock;
  gateway: () => StripeGateway;
  payments: PaymentsService;
  station: () => string;
  onOrdersChanged: (ids: string[]) => void;
  /** Stripe's now (ms): a hold's deadline is Stripe's capture_before, compared with Stripe's clock. */
  stripeNow?: () => number;
  /** The shop's country (phone numbers typed without a country code are read as its numbers). */
  country?: () => string;
}

export class OrdersService {
  constructor(private readonly d: OrdersDeps) {}

  list(filter: OrderFilter, offset: number, limit: number) {
    const out = listOrders(this.d.db, filter, offset, limit, this.country());
    return { ...out, rows: out.rows.map((r) => this.withLapse(r)) };
  }

  /** Stripe's now (its clock, as this station knows it): hold deadlines are Stripe's. */
  private stripeNow(): number {
    return this.d.stripeNow?.() ?? this.d.clock.now();
  }

  /**
   * An order awaiting stock whose hold's deadline has passed on Stripe's clock holds nothing any more, even before
   * Stripe's event says the authorization lapsed: it is marked so ("held" is never said of it).
   */
  private withLapse<R extends OrderRow>(r: R): R {
    if (r.paymentState !== 'authorized' || r.cardWait) return r;
    const expires = this.d.db
      .prepare(`SELECT expires_at FROM holds WHERE payment_intent_id = ? AND status = 'authorized'`)
      .pluck()
      .get(r.paymentIntentId) as number | null | undefined;
    return expires != null && this.stripeNow() >= expires ? { ...r, holdLapsed: true } : r;
  }

  private country(): string {
    return this.d.country?.() ?? DEFAULT_COUNTRY;
  }

  get(orderId: string): OrderDetail {
    const { db } = this.d;
    const r = getOrderRow(db, orderId);
    if (!r) throw new AppError('not_found', 'That order does not exist.');
    const money = moneyStateOf(db, r.payment_intent_id);
    const pi = db
      .prepare(
        'SELECT amount, amount_received, amount_capturable, status, capture_method FROM payment_intents WHERE id = ?',
      )
      .get(r.payment_intent_id) as
      | {
          amount: number;
          amount_received: number;
          amount_capturable: number;
          status: string;
          capture_method: string;
        }
      | undefined;
    // Nothing is held on a saved card waiting for its stock (it is charged on arrival): nothing authorized. A hold
    // released or lapsed was authorized, and all of it released.
    const hold = db
      .prepare('SELECT amount_authorized FROM holds WHERE payment_intent_id = ?')
      .pluck()
      .get(r.payment_intent_id) as number | undefined;
    const waitsOnCard = r.card_wait !== null && r.card_wait !== undefined && r.amount_captured === 0;
    // A saved-card order cancelled before its charge on arrival (here or in Stripe's Dashboard): never authorized.
    const cancelledUnheld =
      hold === undefined && pi?.status === 'canceled' && pi.capture_method === 'automatic';
    const authorized = hold ?? (waitsOnCard || cancelledUnheld ? 0 : (pi?.amount ?? r.amount_captured));
    const captured = Math.max(r.amount_captured, pi?.amount_received ?? 0);
    const released =
      pi && pi.capture_method === 'manual' && pi.status === 'succeeded'
        ? Math.max(0, authorized - captured)
        : pi && pi.status === 'canceled' && hold !== undefined && captured === 0
          ? hold
          : 0;
    const customer = r.customer_json
      ? (JSON.parse(r.customer_json) as Customer & { shipping_json?: string | null })
      : null;
    const view = pricingViewOf(r, taxRefundedOf(db, r.payment_intent_id));
    const content = view ? contentOf(db, r.payment_intent_id) : null;
    const pricing = view && content?.pricing ? { ...view, lineTotals: paidLineTotals(content) } : view;
    const shipping = r.shipping_json
      ? (JSON.parse(r.shipping_json) as { address: Address }).address
      : customer?.shipping_json
        ? (JSON.parse(customer.shipping_json) as Address)
        : undefined;
    return {
      ...this.withLapse(toOrderRow(r)),
      cartId: r.cart_id,
      customer: customer
        ? {
            id: customer.id,
            name: customer.name,
            ...(customer.email ? { email: customer.email } : {}),
            ...(customer.phone ? { phone: customer.phone } : {}),
            ...(shipping ? { shipping } : {}),
          }
        : null,
      // The order names its SKUs; which of this station's catalog rows they are is looked up here.
      lines: (JSON.parse(r.lines_json) as CartLine[]).map((l) => ({
        ...l,
        productId:
          l.productId ||
          ((db
            .prepare('SELECT id FROM products WHERE sku = ? ORDER BY active DESC LIMIT 1')
            .pluck()
            .get(l.sku) as string | undefined) ??
            ''),
      })),
      ledger: { currency: r.currency, authorized, captured, refunded: r.amount_refunded, released },
      carrier: r.carrier,
      trackingNumber: r.tracking_number,
      timeline: orderTimeline(db, r, shopSettings(db).timeZone),
      paymentNote: paymentNote(db, r, shopSettings(db).timeZone, this.stripeNow()),
      canShip:
        (pi?.status === 'succeeded' || pi === undefined) &&
        !(r.amount_captured > 0 && r.amount_refunded >= r.amount_captured) &&
        money.shipBlock === null,
      refundable: Math.max(0, captured - r.amount_refunded),
      releasedLines: releasedLinesOf(db, r.payment_intent_id),
      shipBlock: money.shipBlock,
      conflict: r.conflict ?? null,
      dispute: money.dispute,
      fraudWarning: money.fraudWarning,
      refunds: money.refunds,
      refundedLines: refundedLinesOf(db, r.payment_intent_id),
      ...(pricing ? { pricing } : {}),
      ...splitLink(db, r.payment_intent_id, `${r.station_code ?? ''}${r.number}`),
    };
  }

  /**
   * Move orders forward. Fulfillment is written to each order's charge in Stripe (journaled, keyed on the
   * charge, the status and the tracking number), and what Stripe answers is applied through the projection — so
   * this station, the other stations and a rebuilt one all read the same status and tracking number.
   */
  async advance(
    orderIds: string[],
    to: 'processing' | 'shipped',
    carrierForAll: string | undefined,
    trackingForAll: string | undefined,
    actor: Actor,
    shipments: { orderId: string; carrier: string; trackingNumber: string }[] = [],
  ) {
    const { db, payments } = this.d;
    const results: { orderId: string; ok: boolean; status: OrderStatus | null; message: string | null }[] =
      [];
    const changed: string[] = [];
    for (const orderId of orderIds) {
      const r = getOrderRow(db, orderId);
      if (!r) {
        results.push({ orderId, ok: false, status: null, message: 'No such order.' });
        continue;
      }
      const label = `#${r.station_code ?? ''}${r.number}`;
      // Each order may have its own parcel: its own carrier and tracking number.
      const own = shipments.find((s) => s.orderId === orderId);
      const carrier = (own ? own.carrier : carrierForAll) || undefined;
      const tracking = (own ? own.trackingNumber : trackingForAll) || undefined;
      if (r.payment_state === 'authorized') {
        results.push({
          orderId,
          ok: false,
          status: r.status,
          message: `${label} is awaiting stock: its hold is captured first (Holds).`,
        });
        continue;
      }
      if (r.payment_state === 'canceled') {
        // A hold released (or lapsed), or a saved-card order cancelled before its charge on arrival: no hold.
        const held = db.prepare('SELECT 1 FROM holds WHERE payment_intent_id = ?').get(r.payment_intent_id);
        results.push({
          orderId,
          ok: false,
          status: r.status,
          message: `${label} is cancelled: ${held ? 'its hold was released, ' : ''}nothing was charged.`,
        });
        continue;
      }
      if (r.status === to) {
        results.push({ orderId, ok: true, status: r.status, message: `${label} is already ${r.status}.` });
        continue;
      }
      if (to === 'processing' && r.status === 'shipped') {
        results.push({ orderId, ok: false, status: r.status, message: `${label} is already shipped.` });
        continue;
      }
      if (NEXT[r.status] !== to) {
        results.push({
          orderId,
          ok: false,
          status: r.status,
          message: `${label}: a ${r.status} order cannot move to ${to}.`,
        });
        continue;
      }
      const block = moneyStateOf(db, r.payment_intent_id).shipBlock;
      if (block) {
        results.push({ orderId, ok: false, status: r.status, message: `${label}: ${block}` });
        continue;
      }
      if (to === 'shipped') {
        const pi = db.prepare('SELECT status FROM payment_intents WHERE id = ?').get(r.payment_intent_id) as
          { status: string } | undefined;
        if (pi && pi.status !== 'succeeded') {
          results.push({
            orderId,
            ok: false,
            status: r.status,
            message: `${label} not shipped: the payment is not captured.`,
          });
          continue;
        }
        if (r.amount_refunded >= r.amount_captured && r.amount_captured > 0) {
          results.push({
            orderId,
            ok: false,
            status: r.status,
            message: `${label} not shipped: the order was fully refunded.`,
          });
          continue;
        }
      }
      const chargeId =
        r.charge_id ??
        ((db
          .prepare('SELECT latest_charge FROM payment_intents WHERE id = ?')
          .pluck()
          .get(r.payment_intent_id) as string | null) ||
          null);
      if (!chargeId) {
        results.push({
          orderId,
          ok: false,
          status: r.status,
          message: `${label}: its payment has no charge to record this on.`,
        });
        continue;
      }
      const ship = r.shipping_json
        ? (JSON.parse(r.shipping_json) as { name: string | null; phone: string | null; address: Address })
        : null;
      const shipping = ship?.address
        ? {
            name: ship.name ?? r.customer_name,
            ...(ship.phone ? { phone: ship.phone } : {}),
            address: addressToStripe(ship.address),
          }
        : null;
      if (to === 'shipped') {
        // What Stripe says now: an order cancelled or refunded at another station a moment ago is not shipped.
        const refusal = await this.shipRefusal(chargeId, label).catch((e: Error) => `${label}: ${e.message}`);
        if (refusal) {
          results.push({ orderId, ok: false, status: r.status, message: refusal });
          changed.push(orderId);
          continue;
        }
      }
      const params = fulfillmentUpdate(to, actor.name, actor.station, shipping, carrier, tracking);
      // Keyed on what is written (who, where, tracking): a second press repeats it; another station's write of
      // the same step is a request of its own.
      const key = `mc_ff_${chargeId}_${to}_${createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 20)}`;
      try {
        const outcome = await payments.call<Stripe.Charge>(
          'charge.update',
          chargeId,
          params as Record<string, unknown>,
          actor,
          (p, k) => this.d.gateway().updateCharge(chargeId, p as Stripe.ChargeUpdateParams, k),
          key,
        );
        if (outcome.state !== 'succeeded') throw failureToError(outcome.failure, outcome.state === 'unknown');
        const now = this.d.clock.now();
        db.transaction(() => {
          applyWritten(db, outcome.object, now);
          appendAudit(db, {
            at: now,
            actor: actor.name,
            station: actor.station,
            action: to === 'shipped' && r.delivery === 'collect' ? 'order.collected' : `order.${to}`,
            subject: orderId,
            idempotencyKey: outcome.key,
            stripeRequestId: outcome.requestId,
            before: { status: r.status },
            after: {
              status: to,
              ...(to === 'shipped' ? { carrier: carrier ?? null, trackingNumber: tracking ?? null } : {}),
            },
          });
        })();
        const after = getOrderRow(db, orderId)!;
        results.push({ orderId, ok: true, status: after.status, message: null });
        changed.push(orderId);
      } catch (e) {
        results.push({ orderId, ok: false, status: r.status, message: `${label}: ${(e as Error).message}` });
      }
    }
    if (changed.length) this.d.onOrdersChanged(changed);
    return results;
  }

  /** Why the charge, as Stripe has it now, must not be shipped (cancelled, refunded in full), or null. */
  private async shipRefusal(chargeId: string, label: string): Promise<string | null> {
    const fresh = await this.d.gateway().retrieveCharge(chargeId);
    this.d.db.transaction(() => applyWritten(this.d.db, fresh, this.d.clock.now()))();
    const cancelled = hasCancellation(fresh.metadata);
    if (cancelled) return `${label} not shipped: it was cancelled at another station.`;
    // A partial capture shows its released part in amount_refunded: only refunds of captured money count here.
    const refundedOfCaptured = fresh.amount_refunded - (fresh.amount - fresh.amount_captured);
    if (fresh.amount_captured > 0 && refundedOfCaptured >= fresh.amount_captured)
      return `${label} not shipped: the order was refunded in full.`;
    return null;
  }

  /** Read the PaymentIntent and its charge back from Stripe and apply them (before a money action). */
  private async readStripeNow(piId: string): Promise<void> {
    try {
      const pi = await this.d.gateway().retrievePaymentIntent(piId);
      const ch = pi.latest_charge;
      const charge = typeof ch === 'string' ? await this.d.gateway().retrieveCharge(ch) : ch;
      const now = this.d.clock.now();
      this.d.db.transaction(() => {
        applyWritten(this.d.db, pi, now);
        if (charge) applyWritten(this.d.db, charge, now);
      })();
    } catch (e) {
      if (e instanceof AppError) throw e;
      const f = classifyStripeError(e);
      throw failureToError(f, f.kind === 'unknown');
    }
  }

  exportCsv(
    filter: OrderFilter,
    layout: CsvLayout = 'orders',
    timeZone?: string,
  ): { filename: string; csv: string; rows: number } {
    const out = ordersCsv(this.d.db, filter, { layout, timeZone, country: this.country() });
    const day = new Date(this.d.clock.now()).toISOString().slice(0, 10);
    return { filename: `orders-${day}${layout === 'lines' ? '-items' : ''}.csv`, ...out };
  }

  /**
   * A line refund names units the order took (captured, less those refunded already) at their price: the
   * amount is theirs, so the line marked and the money refunded always agree.
   */
  private checkRefundLine(orderId: string, piId: string, line: RefundLine, amount: number): void {
    const detail = this.get(orderId);
    const content = contentOf(this.d.db, piId);
    const ordered = detail.lines.filter((l) => l.sku.toUpperCase() === line.sku.toUpperCase());
    if (ordered.length === 0) throw new AppError('invalid_input', `${line.sku} is not in this order.`);
    const taken = content
      ? takenLines(content)
          .filter((l) => l.sku.toUpperCase() === line.sku.toUpperCase())
          .reduce((n, l) => n + l.quantity, 0)
      : ordered.reduce((n, l) => n + l.quantity, 0);
    const refunded =
      detail.refundedLines?.find((l) => l.sku.toUpperCase() === line.sku.toUpperCase())?.quantity ?? 0;
    if (line.quantity > taken - refunded)
      throw new AppError(
        'invalid_input',
        taken - refunded > 0
          ? `Only ${taken - refunded} × ${ordered[0]!.name} can still be refunded.`
          : `Every ${ordered[0]!.name} was refunded already.`,
      );
    if (amount !== ordered[0]!.unitAmount * line.quantity)
      throw new AppError(
        'invalid_input',
        `${line.quantity} × ${ordered[0]!.name} come to ${ordered[0]!.unitAmount * line.quantity} (minor units), not ${amount}.`,
      );
  }

  async refund(
    orderId: string,
    amount: number,
    expectedRefunded: number,
    reason: Stripe.RefundCreateParams.Reason | undefined,
    actor: Actor,
    /** Units of one line, and whether they go back in stock: written on the refund itself (mc_line). */
    line?: RefundLine,
  ): Promise<OrderDetail> {
    const { db, payments } = this.d;
    const known = getOrderRow(db, orderId);
    if (!known) throw new AppError('not_found', 'That order does not exist.');
    const piId = known.payment_intent_id;
    // What Stripe says now: a refund made at another station (even more than a day ago, past the keys' 24 hours)
    // is seen here before this one is asked for.
    await this.readStripeNow(piId);
    const r = getOrderRow(db, orderId)!;
    // The key names the refund itself — this order, this amount, from this refunded total, after this many
    // failed refunds — never the manager's free choices (reason): two managers asking for the same refund share
    // it, and a refund that failed can be asked for again under a new key.
    const failed = db
      .prepare(`SELECT count(*) FROM refunds WHERE payment_intent_id = ? AND status = 'failed'`)
      .pluck()
      .get(piId) as number;
    const key = `mc_refund_${piId}_${amount}_r${expectedRefunded}_f${failed}`;
    // A refund still being confirmed blocks another, whoever asks.
    const open = openEntriesFor(db, [piId]).find((e) => e.operation === 'refund.create');
    if (open && open.key !== key) {
      throw new AppError(
        'pending_confirmation',
        'A refund on this order is still being confirmed with Stripe. Wait for it before refunding again.',
      );
    }
    const made = getEntry(db, key);
    if (made?.state === 'succeeded') {
      // A second press by the same manager: it was made once. Anyone else is told who made it.
      if (made.actor === actor.name) return this.get(orderId);
      throw new AppError('conflict', `This refund was already made by ${made.actor ?? 'another manager'}.`);
    }
    if (!open && r.amount_refunded !== expectedRefunded) {
      const last = db
        .prepare(
          `SELECT requested_by FROM refunds WHERE payment_intent_id = ? AND status != 'failed' ORDER BY created_at DESC LIMIT 1`,
        )
        .pluck()
        .get(piId) as string | null | undefined;
      throw new AppError(
        'conflict',
        `This order was refunded meanwhile${last ? ` by ${last}` : ' (perhaps by another manager)'}. Look at it again before refunding.`,
      );
    }
    const refundable = r.amount_captured - r.amount_refunded;
    if (amount > refundable)
      throw new AppError(
        'invalid_input',
        `At most ${refundable} (minor units) can still be refunded on this order.`,
      );
    if (line) this.checkRefundLine(orderId, piId, line, amount);
    const params: Stripe.RefundCreateParams = {
      payment_intent: piId,
      amount,
      ...(reason ? { reason } : {}),
      metadata: {
        order_id: orderId,
        mc_key: key,
        mc_by: `${actor.name} · ${actor.station}`,
        ...(line ? { [REFUND_LINE_KEY]: encodeRefundLine(line) } : {}),
        ...refundTaxMetadata(db, r, amount),
      },
    };
    const outcome = await payments.call(
      'refund.create',
      piId,
      params as Record<string, unknown>,
      actor,
      (p, k) => this.d.gateway().createRefund(p as Stripe.RefundCreateParams, k),
      key,
    );
    if (outcome.state !== 'succeeded') {
      const f = outcome.failure;
      // Another station asked for this same refund with other details (Stripe: same key, other parameters):
      // it was made there. Say by whom.
      if (f.kind === 'rejected' && /idempoten|same parameters/i.test(f.message)) {
        const theirs = (await this.d.gateway().listRefunds({ payment_intent: piId, limit: 100 })).data.find(
          (x) => x.metadata?.mc_key === key,
        );
        if (theirs) {
          db.transaction(() => applyWritten(db, theirs, this.d.clock.now()))();
          throw new AppError(
            'conflict',
            `This refund was already made${theirs.metadata?.mc_by ? ` by ${theirs.metadata.mc_by}` : ' at another station'}.`,
          );
        }
      }
      throw failureToError(f, outcome.state === 'unknown');
    }
    const refund = outcome.object;
    // The refund, and the charge as Stripe has it now (its refunded total), through the projection.
    const pi = await this.d
      .gateway()
      .retrievePaymentIntent(piId)
      .catch(() => null);
    const now = this.d.clock.now();
    db.transaction(() => {
      applyWritten(db, refund, now);
      if (pi) applyWritten(db, pi, now);
      else setRefunded(db, piId, r.amount_refunded + refund.amount, now);
      payments.audit(
        actor,
        'order.refunded',
        orderId,
        { refunded: r.amount_refunded },
        { refunded: r.amount_refunded + refund.amount, refundId: refund.id },
        outcome,
      );
    })();
    this.d.onOrdersChanged([orderId]);
    return this.get(orderId);
  }
}

/**
 * A split order's other half (issue 23 item 13), from what the PaymentIntents say: the waiting part names the
 * order it was split from (mc_split); the first order is found as the one a waiting part names.
 */
function splitLink(db: Db, piId: string, number: string): { split?: NonNullable<OrderDetail['split']> } {
  const orderIdOf = (n: string): string | null => {
    const parsed = parseOrderNumber(n);
    if (!parsed?.code) return null;
    return (
      (db
        .prepare('SELECT id FROM orders WHERE station_code = ? AND number = ? LIMIT 1')
        .pluck()
        .get(parsed.code, parsed.number) as string | undefined) ?? null
    );
  };
  const of = contentOf(db, piId)?.waitingOf;
  if (of) return { split: { role: 'waiting_part', number: of, orderId: orderIdOf(of) } };
  // Only a first order of a split saves its card for the session (the waiting part is paid with it): the one
  // waiting part naming it is among its customer's PaymentIntents (indexed), never a scan of every order.
  const first = db
    .prepare('SELECT customer_id, setup_future_usage FROM payment_intents WHERE id = ?')
    .get(piId) as { customer_id: string | null; setup_future_usage: string | null } | undefined;
  if (first?.setup_future_usage !== 'on_session' || !first.customer_id) return {};
  const part = db
    .prepare(
      `SELECT o.id, o.station_code, o.number FROM payment_intents p JOIN orders o ON o.payment_intent_id = p.id
        WHERE p.customer_id = ? AND p.content_json LIKE ? ESCAPE '\\' LIMIT 1`,
    )
    .get(first.customer_id, `%"waitingOf":"${number.replace(/[\\%_]/g, (c) => `\\${c}`)}"%`) as
    { id: string; station_code: string | null; number: number } | undefined;
  return part
    ? {
        split: {
          role: 'has_waiting_part',
          number: `${part.station_code ?? ''}${part.number}`,
          orderId: part.id,
        },
      }
    : {};
}
