// The customer page: contact details, every ship-to address, every order and hold, what they spent, and notes
// kept on the Stripe Customer's metadata (customer.updated tells every station). Read from the projection of the
// shop's record, so every station shows the same page.
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { Clock } from '../ports';
import type { Address, CustomerProfile, Hold } from '../../ipc/contract';
import { AppError } from '../../ipc/errors';
import type { Actor } from '../auth/auth-service';
import type { StripeGateway } from '../stripe/gateway';
import { failureToError, type PaymentsService } from '../payments/payments-service';
import { applyWritten } from '../sync/apply-written';
import { getCustomer } from '../catalog/customers';
import type { OrderDbRow } from '../orders/orders-repo';
import { withCancelled } from '../glance/glance-service';
import {
  NOTE_PREFIX,
  assertRoomForNote,
  newNoteId,
  noteValue,
  parseMetadata,
  readNotes,
} from '../orders/order-notes';

export interface CustomersDeps {
  db: Db;
  clock: Clock;
  gateway: () => StripeGateway;
  payments: PaymentsService;
  /** Every hold (open or not), as the holds screen lists them. */
  allHolds: () => Hold[];
}

const ORDERS_MAX = 500;

export class CustomersService {
  constructor(private readonly d: CustomersDeps) {}

  get(customerId: string): CustomerProfile {
    const { db } = this.d;
    const customer = getCustomer(db, customerId);
    if (!customer) throw new AppError('not_found', 'That customer is not known here.');
    const md = parseMetadata(
      db.prepare('SELECT metadata_json FROM customers WHERE id = ?').pluck().get(customerId) as string | null,
    );
    // The same person may be two Stripe Customers (two stations took their first orders at once): the same
    // email is the same person; without an email, the same phone (as returning customers are found).
    const ids = db
      .prepare(
        `SELECT id FROM customers WHERE id = @id OR (deleted = 0 AND (
           (@email IS NOT NULL AND email = @email COLLATE NOCASE) OR
           (@email IS NULL AND @phone IS NOT NULL AND email IS NULL AND phone = @phone)))`,
      )
      .pluck()
      .all({ id: customerId, email: customer.email ?? null, phone: customer.phone ?? null }) as string[];
    const marks = ids.map(() => '?').join(',');
    // Their orders: paid by a PaymentIntent made for one of these Stripe Customers.
    const rows = db
      .prepare(
        `SELECT o.* FROM orders o JOIN payment_intents p ON p.id = o.payment_intent_id
         WHERE p.customer_id IN (${marks}) ORDER BY o.created_at DESC, o.id DESC LIMIT ${ORDERS_MAX}`,
      )
      .all(...ids) as (OrderDbRow & { cancelled_json: string | null })[];
    const piIds = new Set(
      db
        .prepare(`SELECT id FROM payment_intents WHERE customer_id IN (${marks})`)
        .pluck()
        .all(...ids) as string[],
    );
    const holds = this.d.allHolds().filter((h) => piIds.has(h.paymentIntentId));
    // Money in the currency most of their orders are in.
    const byCurrency = new Map<string, number>();
    for (const r of rows) byCurrency.set(r.currency, (byCurrency.get(r.currency) ?? 0) + 1);
    const currency = [...byCurrency.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'usd';
    let captured = 0;
    let refunded = 0;
    for (const r of rows) {
      if (r.currency !== currency) continue;
      captured += r.amount_captured;
      refunded += r.amount_refunded;
    }
    // Addresses: their record's, then each order's ship-to (newest first), each once.
    const addresses: Address[] = [];
    const seen = new Set<string>();
    const add = (a: Address | null | undefined) => {
      if (!a) return;
      const k = JSON.stringify([
        a.line1,
        a.line2 ?? '',
        a.city,
        a.postalCode,
        a.state ?? '',
        a.country,
      ]).toLowerCase();
      if (seen.has(k)) return;
      seen.add(k);
      addresses.push(a);
    };
    add(customer.shipping);
    for (const r of rows) {
      if (!r.shipping_json) continue;
      try {
        add((JSON.parse(r.shipping_json) as { address: Address | null }).address);
      } catch {
        // a damaged address is skipped
      }
    }
    return {
      customer,
      addresses,
      orders: rows.map(withCancelled),
      holds,
      currency,
      totalSpent: captured - refunded,
      totalRefunded: refunded,
      notes: readNotes(md),
      firstOrderAt: rows.length ? rows[rows.length - 1]!.created_at : null,
      lastOrderAt: rows.length ? rows[0]!.created_at : null,
    };
  }

  private async writeMetadata(
    customerId: string,
    metadata: Record<string, string>,
    key: string,
    actor: Actor,
    action: string,
    after: unknown,
  ): Promise<void> {
    const { db, payments } = this.d;
    const outcome = await payments.call<Stripe.Customer>(
      'customer.update',
      customerId,
      { metadata },
      actor,
      (p, k) => this.d.gateway().updateCustomer(customerId, p as Stripe.CustomerUpdateParams, k),
      key,
    );
    if (outcome.state !== 'succeeded') throw failureToError(outcome.failure, outcome.state === 'unknown');
    db.transaction(() => {
      applyWritten(db, outcome.object, this.d.clock.now());
      payments.audit(actor, action, customerId, null, after, outcome);
    })();
  }

  async addNote(customerId: string, text: string, actor: Actor): Promise<CustomerProfile> {
    const profile = this.get(customerId);
    const md = parseMetadata(
      this.d.db.prepare('SELECT metadata_json FROM customers WHERE id = ?').pluck().get(customerId) as
        string | null,
    );
    assertRoomForNote(md);
    const now = this.d.clock.now();
    const id = newNoteId(now);
    await this.writeMetadata(
      profile.customer.id,
      { [`${NOTE_PREFIX}${id}`]: noteValue(text, `${actor.name} · ${actor.station}`, now) },
      `mc_cus_note_${customerId}_${id}`,
      actor,
      'customer.note_added',
      { note: text.trim().slice(0, 300) },
    );
    return this.get(customerId);
  }

  async removeNote(customerId: string, noteId: string, actor: Actor): Promise<CustomerProfile> {
    const profile = this.get(customerId);
    if (!profile.notes.some((n) => n.id === noteId)) return profile;
    await this.writeMetadata(
      customerId,
      { [`${NOTE_PREFIX}${noteId}`]: '' },
      `mc_cus_note_del_${customerId}_${noteId}`,
      actor,
      'customer.note_removed',
      { noteId },
    );
    return this.get(customerId);
  }
}
