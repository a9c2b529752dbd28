// The catalog, kept in Stripe: a product is a Stripe Product (SKU and stock count in its metadata) with a
// default Price. A new price is a new Price (Stripe's prices are immutable) made the product's default, the old
// one deactivated. A stock count is written with Stripe's own time of the count, so every station subtracts
// exactly the sales made after it. Every write goes through the journal and its answer through the projection.
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { Clock } from '../ports';
import type { Product } from '../../ipc/contract';
import { AppError } from '../../ipc/errors';
import type { Actor } from '../auth/auth-service';
import type { StripeGateway } from '../stripe/gateway';
import type { Operation } from '../stripe/journal';
import { failureToError, type PaymentsService } from '../payments/payments-service';
import { applyWritten } from '../sync/apply-written';
import { getProduct, getProductRow } from './products';
import {
  deliveryCounterValue,
  deliveryKey,
  readDeliveryCounter,
  readProductMetadata,
} from './product-metadata';
import { claimStationCode } from '../station/station-claim';
import { DEMO_CATALOG, demoProductId, seedDemoCatalog, seedDemoTaxRegistrations } from './demo-catalog';

export interface ProductSave {
  id?: string | undefined;
  sku: string;
  name: string;
  unitAmount: number;
  currency: string;
  stock: number;
  active: boolean;
  /** Stripe's tax code (txcd_…); null: general goods; absent: unchanged. */
  taxCode?: string | null | undefined;
}

export interface CatalogDeps {
  db: Db;
  clock: Clock;
  gateway: () => StripeGateway;
  payments: PaymentsService;
  station: () => string;
  onProductsChanged: (ids: string[]) => void;
  /** A fresh id (a delivery's, when the caller gave none). */
  newId: () => string;
}

const digest = (v: unknown): string =>
  createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 20);

export class CatalogService {
  constructor(private readonly d: CatalogDeps) {}

  private async write<T extends { id: string; object?: string }>(
    operation: Operation,
    subject: string,
    params: Record<string, unknown>,
    actor: Actor | null,
    exec: (p: Record<string, unknown>, key: string) => Promise<{ object: T; requestId: string | null }>,
    key: string,
  ): Promise<T> {
    const outcome = await this.d.payments.call<T>(operation, subject, params, actor, exec, key);
    if (outcome.state !== 'succeeded') throw failureToError(outcome.failure, outcome.state === 'unknown');
    const fx = this.d.db.transaction(() => applyWritten(this.d.db, outcome.object, this.d.clock.now()))();
    if (fx.productIds.length) this.d.onProductsChanged(fx.productIds);
    return outcome.object;
  }

  /**
   * Pin a stock count to Stripe's time, so every station subtracts exactly the sales after it (sold_at >
   * stock_counted_at). A new product counts every sale (nothing was sold before it existed: its creation second
   * minus one); a recount counts the sales from the second of the write that set it on (Stripe's times are whole
   * seconds: a sale in that same second, made after the count was read here, must still come off it) — except the
   * sales this station had seen by then, which the count already reflects.
   */
  private async pinCount(p: Stripe.Product, sku: string, isNew: boolean, actor: Actor | null): Promise<void> {
    const seen =
      (this.d.db.prepare('SELECT max(sold_at) FROM stock_sales WHERE sku = ?').pluck().get(sku) as
        number | null) ?? 0;
    const at = isNew ? p.created - 1 : Math.max((p.updated ?? p.created) - 1, seen);
    const params = { metadata: { stock_counted_at: String(at) }, expand: ['default_price'] };
    await this.write(
      'product.update',
      p.id,
      params,
      actor,
      (x, k) => this.gw.updateProduct(p.id, x, k),
      // The count it pins is part of the key: a recount in the product's first second must not replay the
      // pin of its creation (Stripe would answer with that older product).
      `mc_prod_pin_${p.id}_${at}_${digest([p.metadata?.stock, p.metadata?.stock_counted_by, p.updated])}`,
    );
  }

  private get gw(): StripeGateway {
    return this.d.gateway();
  }

  async save(input: ProductSave, actor: Actor): Promise<Product> {
    const who = `${actor.name} · ${this.d.station()}`;
    if (!input.id) {
      const params: Stripe.ProductCreateParams = {
        name: input.name,
        active: input.active,
        default_price_data: { currency: input.currency, unit_amount: input.unitAmount },
        metadata: { sku: input.sku, stock: String(input.stock), stock_counted_by: who },
        ...(input.taxCode ? { tax_code: input.taxCode } : {}),
        expand: ['default_price'],
      };
      const created = await this.write<Stripe.Product>(
        'product.create',
        `sku:${input.sku}`,
        params as unknown as Record<string, unknown>,
        actor,
        (p, k) => this.gw.createProduct(p as unknown as Stripe.ProductCreateParams, k),
        `mc_prod_create_${digest(params)}`,
      );
      await this.pinCount(created, input.sku, true, actor);
      this.audit(actor, 'product.created', created.id, null, input);
      return getProduct(this.d.db, created.id)!;
    }
    const id = input.id;
    const row = getProductRow(this.d.db, id);
    if (!row) throw new AppError('not_found', 'That product is not in the catalog.');
    let defaultPrice: string | undefined;
    if (row.unit_amount !== input.unitAmount || row.currency !== input.currency) {
      const params: Stripe.PriceCreateParams = {
        product: id,
        currency: input.currency,
        unit_amount: input.unitAmount,
      };
      const price = await this.write<Stripe.Price>(
        'price.create',
        id,
        params as unknown as Record<string, unknown>,
        actor,
        (p, k) => this.gw.createPrice(p as unknown as Stripe.PriceCreateParams, k),
        `mc_price_${id}_${input.currency}_${input.unitAmount}_${row.price_id ?? 'none'}`,
      );
      defaultPrice = price.id;
    }
    const stockChanged = row.stock !== input.stock || Math.max(0, row.on_hand) !== input.stock;
    const update: Stripe.ProductUpdateParams = {
      expand: ['default_price'],
      name: input.name,
      active: input.active,
      ...(defaultPrice ? { default_price: defaultPrice } : {}),
      // Stripe's own tax code (general goods, food, nontaxable); absent: left as it is.
      ...(input.taxCode !== undefined && input.taxCode !== row.tax_code
        ? { tax_code: input.taxCode ?? '' }
        : {}),
      metadata: {
        sku: input.sku,
        ...(stockChanged ? { stock: String(input.stock), stock_counted_at: '', stock_counted_by: who } : {}),
      },
    };
    const updated = await this.write<Stripe.Product>(
      'product.update',
      id,
      update as Record<string, unknown>,
      actor,
      (p, k) => this.gw.updateProduct(id, p as Stripe.ProductUpdateParams, k),
      `mc_prod_upd_${id}_${digest([update, row.price_id, row.stock_counted_at])}`,
    );
    if (stockChanged) await this.pinCount(updated, input.sku, false, actor);
    if (defaultPrice && row.price_id) {
      const old = row.price_id;
      await this.write<Stripe.Price>(
        'price.update',
        old,
        { active: false },
        actor,
        (p, k) => this.gw.updatePrice(old, p as Stripe.PriceUpdateParams, k),
        `mc_price_off_${old}`,
      ).catch(() => undefined); // the new price is the default already; an old one left active is harmless
    }
    this.audit(actor, 'product.updated', id, { stock: row.available, unitAmount: row.unit_amount }, input);
    return getProduct(this.d.db, id)!;
  }

  /**
   * Goods arrived: this station adds them to its own delivery counter on the Stripe Product (mc_in_<CODE>), read
   * from Stripe just before — only this station writes that key, so deliveries at two stations at once both
   * count, and the delivery's id on the counter makes a repeat (a second press, a retry after a day) count once.
   * The counter belongs to the current count: after a recount, a station starts again from zero.
   */
  receive(productId: string, quantity: number, actor: Actor, deliveryId?: string): Promise<void> {
    const row = getProductRow(this.d.db, productId);
    if (!row) return Promise.reject(new AppError('not_found', 'That product is not in the catalog.'));
    const flight = `receive:${productId}:${deliveryId ?? quantity}`;
    const running = this.inFlight.get(flight);
    if (running) return running;
    // This station's counter is written by this station alone: its own deliveries of one product go one at a
    // time (read, add, write), so two at once both count.
    const id = deliveryId ?? this.d.newId();
    const previous = this.counterTails.get(productId) ?? Promise.resolve();
    const p = previous
      .catch(() => undefined)
      .then(() => this.receiveNow(productId, quantity, actor, id))
      .finally(() => {
        this.inFlight.delete(flight);
        if (this.counterTails.get(productId) === p) this.counterTails.delete(productId);
      });
    this.counterTails.set(productId, p);
    this.inFlight.set(flight, p);
    return p;
  }

  private async receiveNow(
    productId: string,
    quantity: number,
    actor: Actor,
    deliveryId: string,
  ): Promise<void> {
    const code = await claimStationCode(this.d.db, this.gw, this.d.station());
    const fresh = await this.gw.retrieveProduct(productId);
    this.d.db.transaction(() =>
      applyWritten(this.d.db, fresh as Stripe.Product & { object: 'product' }, this.d.clock.now()),
    )();
    const meta = readProductMetadata(fresh.metadata, fresh.created);
    if (!meta) throw new AppError('not_found', 'That product is not in the catalog.');
    const key = deliveryKey(code);
    const mine = readDeliveryCounter(fresh.metadata?.[key]);
    const base = mine && mine.epoch === meta.stockCountedAt ? mine : null;
    if (base?.ids.includes(deliveryId)) return; // this delivery is counted already
    const value = deliveryCounterValue({
      epoch: meta.stockCountedAt,
      units: (base?.units ?? 0) + quantity,
      ids: [...(base?.ids ?? []), deliveryId],
    });
    const who = `${actor.name} · ${this.d.station()}`;
    await this.write<Stripe.Product>(
      'product.update',
      productId,
      { metadata: { [key]: value }, expand: ['default_price'] },
      actor,
      (p, k) => this.gw.updateProduct(productId, p as Stripe.ProductUpdateParams, k),
      `mc_receive_${productId}_${digest([code, value])}`,
    );
    this.audit(actor, 'product.received', productId, { received: meta.received ?? 0 }, { quantity, by: who });
  }

  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly counterTails = new Map<string, Promise<void>>();

  /**
   * The demo shop's catalog in the Stripe account this console talks to (offline demo, or a shared demo
   * emulator): created once per account, whichever station gets there first.
   */
  async seedDemo(): Promise<void> {
    await seedDemoCatalog(this.gw.client);
    // The demo's Stripe Tax registrations, so choosing Stripe Tax in Settings works in the offline demo too.
    await seedDemoTaxRegistrations(this.gw.client);
    const now = this.d.clock.now();
    const ids: string[] = [];
    for (const p of DEMO_CATALOG) {
      const product = await this.gw.retrieveProduct(demoProductId(p.sku));
      this.d.db.transaction(() => {
        if (applyWritten(this.d.db, product as Stripe.Product & { object: 'product' }, now).productIds.length)
          ids.push(product.id);
      })();
    }
    if (ids.length) this.d.onProductsChanged(ids);
  }

  private audit(actor: Actor, action: string, subject: string, before: unknown, after: unknown): void {
    this.d.payments.audit(actor, action, subject, before, after);
  }
}
