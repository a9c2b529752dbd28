// Waitlist holds (manual-capture PaymentIntents): capture in full or in part, or release, before the
// authorization lapses. Keys are derived from the PaymentIntent, the amount and the hold's version, so two
// managers — or two stations — pressing Capture on the same hold make exactly one capture.
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { Clock } from '../ports';
import type { Hold, HoldStatus } from '../../ipc/contract';
import {
  CAPTURED_AT_KEY,
  capturedAtValue,
  KEEP_CARD_KEY,
  releaseValue,
  amountForLines,
  capturedLinesMetadata,
  orderNumberText,
  type OrderContent,
} from '../orders/order-metadata';
import { createHash } from 'node:crypto';
import { AppError } from '../../ipc/errors';
import { formatMoney } from '../../ipc/money';
import type { Actor } from '../auth/auth-service';
import { classifyStripeError, type StripeGateway } from '../stripe/gateway';
import { openEntriesFor } from '../stripe/journal';
import { failureToError, type PaymentsService } from './payments-service';
import { cancelKey, cancellationValue } from '../orders/order-notes';
import { stationId } from '../station/station';
import { applyWritten } from '../sync/apply-written';

/** The reason a cancellation written by Holds → Release gives (the order's cancel dialog gives its own). */
export const RELEASED_REASON = 'hold_released';
import { lineTotalsOf } from '../orders/order-pricing';
import { chargeForLines, pricedOtherwise, taxOfAmountCapture } from './lines-tax';

interface HoldRow {
  payment_intent_id: string;
  cart_id: string | null;
  status: HoldStatus;
  currency: string;
  amount_authorized: number;
  amount_capturable: number;
  amount_captured: number;
  authorized_at: number;
  expires_at: number | null;
  version: number;
  pending_action: 'capture' | 'release' | null;
  notified_level: number;
  customer_name: string | null;
  content_json: string | null;
  order_id: string | null;
}

// Items, customer and number come from the PaymentIntent's own content: the same at every station.
const SELECT = `SELECT h.*, coalesce(cu.name, p.customer_name) AS customer_name, p.content_json AS content_json,
    o.id AS order_id
  FROM holds h JOIN payment_intents p ON p.id = h.payment_intent_id LEFT JOIN customers cu ON cu.id = p.customer_id
  LEFT JOIN orders o ON o.payment_intent_id = h.payment_intent_id`;

/** A hold whose deadline has passed reads as expired even before Stripe's event arrives. */
export function effectiveStatus(
  r: { status: HoldStatus; expires_at: number | null },
  now: number,
): HoldStatus {
  if (r.status === 'authorized' && r.expires_at !== null && now >= r.expires_at) return 'expired';
  return r.status;
}

export function toHold(r: HoldRow, now: number): Hold {
  const content = r.content_json ? (JSON.parse(r.content_json) as OrderContent) : null;
  const lines = content?.lines ?? [];
  const totals = content?.pricing ? lineTotalsOf(content) : null;
  return {
    paymentIntentId: r.payment_intent_id,
    cartId: r.cart_id,
    orderId: r.order_id,
    orderNumber: content ? orderNumberText(content.stationCode, content.number) : null,
    customerName: r.customer_name ?? 'Unknown customer',
    items: lines.map((l, i) => ({
      name: l.name,
      quantity: l.quantity,
      waitlist: l.waitlist,
      sku: l.sku,
      unitAmount: l.unitAmount,
      ...(totals ? { lineTotal: totals.lineTotals[i] ?? l.unitAmount * l.quantity } : {}),
    })),
    currency: r.currency,
    amountAuthorized: r.amount_authorized,
    amountCapturable: effectiveStatus(r, now) === 'authorized' ? r.amount_capturable : 0,
    amountCaptured: r.amount_captured,
    authorizedAt: r.authorized_at,
    expiresAt: r.expires_at,
    status: effectiveStatus(r, now),
    version: r.version,
    pendingAction: r.pending_action,
    shippingFee: content?.shippingFee ?? 0,
    ...(totals ? { shippingTotal: totals.shippingTotal } : {}),
    savesCard: content?.wait?.mode === 'hold_card',
  };
}

export interface HoldsDeps {
  db: Db;
  clock: Clock;
  gateway: () => StripeGateway;
  payments: PaymentsService;
  onHoldsChanged: (ids: string[]) => void;
  /** Stripe's now (ms): deadlines are Stripe's capture_before, so they are compared with Stripe's clock. */
  stripeNow?: () => number;
}

export class HoldsService {
  private readonly inFlight = new Map<string, Promise<Hold>>();

  constructor(private readonly d: HoldsDeps) {}

  private now(): number {
    return this.d.stripeNow?.() ?? this.d.clock.now();
  }

  list(include: 'open' | 'all'): Hold[] {
    const where = include === 'open' ? `WHERE h.status = 'authorized'` : '';
    const now = this.now();
    return (
      this.d.db
        .prepare(`${SELECT} ${where} ORDER BY h.expires_at IS NULL, h.expires_at, h.authorized_at`)
        .all() as HoldRow[]
    ).map((r) => toHold(r, now));
  }

  get(piId: string): Hold {
    const r = this.row(piId);
    return toHold(r, this.now());
  }

  /**
   * Capture in full, by an amount, or by lines. By lines, the core works out the amount (the lines' prices and the
   * shipping fee: amountForLines) and the lines ride on the capture itself (its metadata, mc_cap), so the record
   * and the money move together: a refused or failed capture records nothing, and a stale station's capture after
   * another's is refused by Stripe (one capture per PaymentIntent) with nothing written.
   */
  capture(
    piId: string,
    amount: number,
    version: number,
    actor: Actor,
    lines?: { sku: string; quantity: number }[],
  ): Promise<Hold> {
    const took = lines?.filter((l) => l.quantity > 0);
    const linesDigest = took
      ? createHash('sha256').update(JSON.stringify(took)).digest('hex').slice(0, 12)
      : '';
    const key = `mc_capture_${piId}_${amount}_v${version}${took ? `_l${linesDigest}` : ''}`;
    return this.once(key, async () => {
      this.row(piId); // a hold this station knows of, or a typed error before anything is sent
      await this.readStripeNow(piId);
      const hold = this.checkActionable(piId, version, key);
      const taxed = lines
        ? await this.capturedLines(hold, lines, amount)
        : this.amountCaptureTax(hold, amount);
      if (amount > hold.amount_capturable) {
        throw new AppError(
          'invalid_input',
          `At most ${formatMoney(hold.amount_capturable, hold.currency)} can be captured from this hold.`,
        );
      }
      // The capture carries its time (Stripe's, as this station knows it): its waitlist lines left the stock then.
      // And who captured it, at which station: every station's managers see the money actions from Stripe.
      const capturedAt = {
        [CAPTURED_AT_KEY]: capturedAtValue(Math.floor(this.now() / 1000), `${actor.name} · ${actor.station}`),
      };
      return this.act(
        hold,
        'capture',
        key,
        {
          amount_to_capture: amount,
          metadata: { ...taxed.metadata, ...capturedAt },
          // Stripe Tax: the new calculation for the lines taken, so Stripe commits their tax (lines-tax.ts).
          ...(taxed.calculationId
            ? { hooks: { inputs: { tax: { calculation: taxed.calculationId } } } }
            : {}),
          expand: ['latest_charge'],
        },
        actor,
        (p, k) => this.d.gateway().capturePaymentIntent(piId, p as Stripe.PaymentIntentCaptureParams, k),
      );
    });
  }

  /** A capture of an amount under the shop's own rates records its share of the tax (lines-tax.ts). */
  private amountCaptureTax(
    hold: HoldRow,
    amount: number,
  ): { metadata: Record<string, string>; calculationId: null } {
    const content = hold.content_json ? (JSON.parse(hold.content_json) as OrderContent) : null;
    return {
      metadata: content ? taxOfAmountCapture(content, hold.amount_authorized, amount) : {},
      calculationId: null,
    };
  }

  /**
   * The lines a capture by lines takes, checked against the order: the capture's metadata (the lines, and the
   * tax they take) and, with Stripe Tax, the new calculation for them.
   */
  private async capturedLines(
    hold: HoldRow,
    lines: { sku: string; quantity: number }[],
    amount: number,
  ): Promise<{ metadata: Record<string, string>; calculationId: string | null }> {
    const content = hold.content_json ? (JSON.parse(hold.content_json) as OrderContent) : null;
    if (!content)
      throw new AppError('precondition_failed', 'This hold has no lines to capture by; capture an amount.');
    const ordered = new Map(content.lines.map((l) => [l.sku, l.quantity]));
    for (const l of lines) {
      const max = ordered.get(l.sku);
      if (max === undefined) throw new AppError('invalid_input', `${l.sku} is not in this order.`);
      if (l.quantity > max) throw new AppError('invalid_input', `At most ${max} × ${l.sku} were ordered.`);
    }
    const took = lines.filter((l) => l.quantity > 0);
    if (took.length === 0)
      throw new AppError('invalid_input', 'Tick at least one line that arrived, or release the hold.');
    // What the lines come to under the order's recorded pricing — what the manager was shown.
    const due = Math.min(amountForLines(content, took), hold.amount_capturable);
    if (amount !== due)
      throw new AppError(
        'conflict',
        `The lines ticked come to ${formatMoney(due, hold.currency)} with shipping and tax, not ${formatMoney(amount, hold.currency)}. Look at the hold again.`,
      );
    const priced = await chargeForLines(this.d.gateway(), content, hold.currency, took);
    // Stripe Tax priced them anew: never capture other than what the manager confirmed.
    if (priced.calculationId && Math.min(priced.amount, hold.amount_capturable) !== amount)
      throw new AppError('conflict', pricedOtherwise(priced.amount, amount, hold.currency));
    return {
      metadata: { ...capturedLinesMetadata(took), ...priced.metadata },
      calculationId: priced.calculationId,
    };
  }

  /**
   * Release the hold. The order is over: a hold that also saved the card waits on it no more (a release is a
   * cancel with reason requested_by_customer, which every station reads as "given up"). `keepCard` — the
   * customer asked to be charged on arrival instead — marks the PaymentIntent first (mc_keep), so its order waits
   * on the saved card.
   */
  release(
    piId: string,
    version: number,
    actor: Actor,
    keepCard = false,
    /** Write who released it on the order's charge (the caller writes its own cancellation there instead). */
    record = true,
  ): Promise<Hold> {
    const key = `mc_release_${piId}_v${version}`;
    return this.once(key, async () => {
      this.row(piId); // a hold this station knows of, or a typed error before anything is sent
      const fresh = await this.readStripeNow(piId);
      const hold = this.checkActionable(piId, version, key);
      // Who releases it, when, and whether the card is kept (an earlier "keep" whose release then failed no
      // longer stands): on the PaymentIntent, before the cancel, so every release of ours names its person.
      await this.markRelease(hold, actor, keepCard);
      const released = await this.act(
        hold,
        'release',
        key,
        { cancellation_reason: 'requested_by_customer' },
        actor,
        (p, k) => this.d.gateway().cancelPaymentIntent(piId, p as Stripe.PaymentIntentCancelParams, k),
      );
      // Who released it, when, at which station: on the order's charge (the station's own cancellation key),
      // after the release — every station's managers see it, and the order is cancelled there as here. A hold
      // released to wait on its saved card is not the end of its order: nothing more is written.
      const chargeId =
        typeof fresh.latest_charge === 'string' ? fresh.latest_charge : (fresh.latest_charge?.id ?? null);
      if (record && !keepCard && chargeId && released.status === 'released')
        await this.recordRelease(piId, chargeId, actor).catch(() => undefined);
      return released;
    });
  }

  /** mc_cancel_<station id> on the released hold's charge: who, when (Stripe's time), why. */
  private async recordRelease(piId: string, chargeId: string, actor: Actor): Promise<void> {
    const { db, payments } = this.d;
    const value = cancellationValue({
      by: `${actor.name} · ${actor.station}`,
      at: this.now(),
      reason: RELEASED_REASON,
      note: '',
      restock: true,
    });
    const outcome = await payments.call<Stripe.Charge>(
      'charge.update',
      chargeId,
      { metadata: { [cancelKey(stationId(db))]: value } },
      actor,
      (p, k) => this.d.gateway().updateCharge(chargeId, p as Stripe.ChargeUpdateParams, k),
      `mc_released_${chargeId}_${stationId(db)}`,
    );
    if (outcome.state !== 'succeeded') return;
    db.transaction(() => applyWritten(db, outcome.object, this.d.clock.now()))();
    this.d.onHoldsChanged([piId]);
  }

  /** mc_keep: kept or not, when (Stripe's time), who, where (order-metadata.ts releaseValue). */
  private async markRelease(hold: HoldRow, actor: Actor, keep: boolean): Promise<void> {
    const content = hold.content_json ? (JSON.parse(hold.content_json) as OrderContent) : null;
    if (keep && content?.wait?.mode !== 'hold_card')
      throw new AppError(
        'precondition_failed',
        'The customer did not agree to have this card saved; release the hold, or keep it until the stock arrives.',
      );
    const piId = hold.payment_intent_id;
    const value = releaseValue(keep, Math.floor(this.now() / 1000), `${actor.name} · ${actor.station}`);
    const outcome = await this.d.payments.call<Stripe.PaymentIntent>(
      'payment_intent.update',
      piId,
      { metadata: { [KEEP_CARD_KEY]: value } },
      actor,
      (p, k) => this.d.gateway().updatePaymentIntent(piId, p as Stripe.PaymentIntentUpdateParams, k),
      // Per station and moment: two stations' marks are two requests (the later one stands).
      `mc_keep_${piId}_${keep ? 'keep' : 'drop'}_v${hold.version}_${createHash('sha256').update(value).digest('hex').slice(0, 12)}`,
    );
    if (outcome.state !== 'succeeded') throw failureToError(outcome.failure, outcome.state === 'unknown');
    this.d.payments.applySnapshot(outcome.object, true);
  }

  /** Every money action acts on what Stripe says now: the PaymentIntent is read back and applied first. */
  private async readStripeNow(piId: string): Promise<Stripe.PaymentIntent> {
    let fresh: Stripe.PaymentIntent;
    try {
      fresh = await this.d.gateway().retrievePaymentIntent(piId);
    } catch (e) {
      const f = classifyStripeError(e);
      throw failureToError(f, f.kind === 'unknown');
    }
    this.d.payments.applySnapshot(fresh, true);
    return fresh;
  }

  private checkActionable(piId: string, version: number, key: string): HoldRow {
    const hold = this.row(piId);
    const now = this.now();
    const status = effectiveStatus(hold, now);
    if (status === 'expired') {
      const when = hold.expires_at ? new Date(hold.expires_at).toISOString() : 'its deadline';
      throw new AppError(
        'precondition_failed',
        `This hold expired (${when}); the funds were released and it can no longer be captured.`,
      );
    }
    if (status !== 'authorized')
      throw new AppError('conflict', `This hold is already ${status.replace('_', ' ')}.`);
    // An action still being confirmed blocks any other; the same one (same key) is simply repeated.
    const other = openEntriesFor(this.d.db, [piId]).find(
      (e) =>
        (e.operation === 'payment_intent.capture' || e.operation === 'payment_intent.cancel') &&
        e.key !== key,
    );
    if (other) {
      const what = other.operation === 'payment_intent.capture' ? 'A capture' : 'A release';
      throw new AppError(
        'pending_confirmation',
        `${what} of this hold is still being confirmed with Stripe. Wait for it before acting again.`,
      );
    }
    if (hold.version !== version) {
      throw new AppError(
        'conflict',
        'This hold changed since you opened it. Look at it again before acting.',
      );
    }
    return hold;
  }

  private async act(
    hold: HoldRow,
    action: 'capture' | 'release',
    key: string,
    params: Record<string, unknown>,
    actor: Actor,
    exec: (
      p: Record<string, unknown>,
      key: string,
    ) => Promise<{ object: Stripe.PaymentIntent; requestId: string | null }>,
  ): Promise<Hold> {
    const { db, clock, payments } = this.d;
    const piId = hold.payment_intent_id;
    const operation = action === 'capture' ? 'payment_intent.capture' : 'payment_intent.cancel';
    db.prepare('UPDATE holds SET pending_action = ?, updated_at = ? WHERE payment_intent_id = ?').run(
      action,
      clock.now(),
      piId,
    );
    const outcome = await payments.call(operation, piId, params, actor, exec, key);
    if (outcome.state === 'succeeded') {
      db.transaction(() => {
        payments.applySnapshot(outcome.object, true);
        db.prepare('UPDATE holds SET pending_action = NULL WHERE payment_intent_id = ?').run(piId);
        payments.audit(
          actor,
          action === 'capture' ? 'hold.captured' : 'hold.released',
          piId,
          { status: hold.status, capturable: hold.amount_capturable },
          action === 'capture'
            ? {
                captured: outcome.object.amount_received,
                released: hold.amount_capturable - outcome.object.amount_received,
              }
            : { released: hold.amount_capturable },
          outcome,
        );
      })();
    } else if (outcome.state === 'failed') {
      db.prepare('UPDATE holds SET pending_action = NULL WHERE payment_intent_id = ?').run(piId);
      // Someone else acted first (another station, or Stripe's Dashboard): read back so the hold shows the truth.
      if (outcome.failure.kind === 'rejected') {
        try {
          const now = await this.d.gateway().retrievePaymentIntent(piId);
          payments.applySnapshot(now, true);
          // The same key is the same action (this hold, this amount, these lines, this version): made by another
          // station a moment ago with its own time on it, which Stripe calls other parameters. It is done.
          const same = /idempoten|same parameters/i.test(outcome.failure.message);
          const done = action === 'capture' ? now.status === 'succeeded' : now.status === 'canceled';
          if (same && done) {
            this.d.onHoldsChanged([piId]);
            return this.get(piId);
          }
        } catch {
          /* the error below says what happened */
        }
      }
      this.d.onHoldsChanged([piId]);
      throw failureToError(outcome.failure, false);
    } else {
      this.d.onHoldsChanged([piId]);
      throw failureToError(outcome.failure, true);
    }
    this.d.onHoldsChanged([piId]);
    return this.get(piId);
  }

  private row(piId: string): HoldRow {
    const r = this.d.db.prepare(`${SELECT} WHERE h.payment_intent_id = ?`).get(piId) as HoldRow | undefined;
    if (!r) throw new AppError('not_found', 'There is no hold for that payment.');
    return r;
  }

  private once(key: string, fn: () => Promise<Hold>): Promise<Hold> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const p = fn().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  /** Holds crossing 48 h / 24 h / 4 h before expiry, each reported once. */
  dueNotifications(): { hold: Hold; hoursLeft: number }[] {
    const now = this.now();
    const thresholds = [48, 24, 4];
    const out: { hold: Hold; hoursLeft: number }[] = [];
    const rows = this.d.db
      .prepare(`${SELECT} WHERE h.status = 'authorized' AND h.expires_at IS NOT NULL`)
      .all() as HoldRow[];
    for (const r of rows) {
      const hoursLeft = (r.expires_at! - now) / 3_600_000;
      if (hoursLeft <= 0) continue;
      let level = 0;
      thresholds.forEach((t, i) => {
        if (hoursLeft <= t) level = i + 1;
      });
      if (level > r.notified_level) {
        this.d.db
          .prepare('UPDATE holds SET notified_level = ? WHERE payment_intent_id = ?')
          .run(level, r.payment_intent_id);
        out.push({ hold: toHold(r, now), hoursLeft });
      }
    }
    return out;
  }
}
