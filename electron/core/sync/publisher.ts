// Upgrading a station from the version that kept everything locally: its products, customers and orders are
// written to Stripe once, so the shop's other stations (and any rebuilt one) see them. Each write has a key of
// its own derived from what it publishes, so a crash part-way is resumed with the same keys and Stripe acts
// once; a row is marked published only after Stripe has it.
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { Clock, Logger } from '../ports';
import type { CartLine, Address } from '../../ipc/contract';
import type { StripeGateway } from '../stripe/gateway';
import { failureToError, type PaymentsService } from '../payments/payments-service';
import type { CatalogService } from '../catalog/catalog-service';
import { productMetadata } from '../catalog/product-metadata';
import { encodeOrderMetadata } from '../orders/order-metadata';
import { fulfillmentUpdate } from '../orders/fulfillment-metadata';
import { ensureStationCode, stationId } from '../station/station';
import { addressToStripe } from './shop-projection';
import { applyWritten } from './apply-written';

export interface PublisherDeps {
  db: Db;
  clock: Clock;
  gateway: () => StripeGateway;
  payments: PaymentsService;
  catalog: CatalogService;
  logger: Logger;
}

export interface PublishReport {
  products: number;
  customers: number;
  orders: number;
  remaining: number;
}

export class Publisher {
  private running: Promise<PublishReport> | null = null;
  constructor(private readonly d: PublisherDeps) {}

  remaining(): number {
    const { db } = this.d;
    return ['products', 'customers', 'orders'].reduce(
      (n, t) => n + (db.prepare(`SELECT count(*) FROM ${t} WHERE published = 0`).pluck().get() as number),
      0,
    );
  }

  run(): Promise<PublishReport> {
    this.running ??= this.publish().finally(() => (this.running = null));
    return this.running;
  }

  private async write<T extends { id: string; object?: string }>(
    op: Parameters<PaymentsService['call']>[0],
    subject: string,
    params: Record<string, unknown>,
    exec: (p: Record<string, unknown>, key: string) => Promise<{ object: T; requestId: string | null }>,
    key: string,
  ): Promise<T> {
    const outcome = await this.d.payments.call<T>(op, subject, params, null, exec, key);
    if (outcome.state !== 'succeeded') throw failureToError(outcome.failure, outcome.state === 'unknown');
    this.d.db.transaction(() => applyWritten(this.d.db, outcome.object, this.d.clock.now()))();
    return outcome.object;
  }

  private async publish(): Promise<PublishReport> {
    const { db } = this.d;
    const gw = this.d.gateway();
    const report: PublishReport = { products: 0, customers: 0, orders: 0, remaining: 0 };
    if (this.remaining() === 0) return report;

    // Products keep their ids: Stripe takes a caller-chosen product id, so a second attempt finds it there.
    const products = db.prepare('SELECT * FROM products WHERE published = 0').all() as {
      id: string;
      sku: string;
      name: string;
      unit_amount: number;
      currency: string;
      stock: number;
      active: number;
    }[];
    for (const p of products) {
      const params: Stripe.ProductCreateParams = {
        id: p.id,
        name: p.name,
        active: p.active === 1,
        default_price_data: { currency: p.currency, unit_amount: p.unit_amount },
        metadata: productMetadata({
          sku: p.sku,
          stock: p.stock,
          stockCountedAt: 0,
          stockCountedBy: 'upgrade',
        }),
      };
      let created: Stripe.Product;
      try {
        created = await this.write<Stripe.Product>(
          'product.create',
          p.id,
          params as unknown as Record<string, unknown>,
          (x, k) => gw.createProduct(x as unknown as Stripe.ProductCreateParams, k),
          `mc_pub_prod_${p.id}`,
        );
      } catch (e) {
        if (!/already exists/i.test((e as Error).message)) throw e;
        created = await gw.retrieveProduct(p.id);
        db.transaction(() => applyWritten(db, created as Stripe.Product, this.d.clock.now()))();
      }
      // The local stock already had every local sale taken off: the count stands as of Stripe's "now".
      await this.write<Stripe.Product>(
        'product.update',
        p.id,
        { metadata: { stock_counted_at: String(created.updated ?? created.created) } },
        (x, k) => gw.updateProduct(p.id, x as Stripe.ProductUpdateParams, k),
        `mc_pub_prod_pin_${p.id}`,
      );
      report.products++;
    }

    // Customers get Stripe ids: the local row is replaced by the Stripe Customer, and carts follow.
    const customers = db.prepare('SELECT * FROM customers WHERE published = 0').all() as {
      id: string;
      name: string;
      email: string | null;
      phone: string | null;
      shipping_json: string | null;
    }[];
    const remap = new Map<string, string>();
    for (const c of customers) {
      const ship = c.shipping_json ? (JSON.parse(c.shipping_json) as Address) : null;
      const params: Stripe.CustomerCreateParams = {
        name: c.name,
        ...(c.email ? { email: c.email } : {}),
        ...(c.phone ? { phone: c.phone } : {}),
        ...(ship ? { shipping: { name: c.name, address: addressToStripe(ship) } } : {}),
        metadata: { mc_local_id: c.id },
      };
      const cus = await this.write<Stripe.Customer>(
        'customer.create',
        c.id,
        params as Record<string, unknown>,
        (x, k) => gw.createCustomer(x as Stripe.CustomerCreateParams, k),
        `mc_pub_cus_${c.id}`,
      );
      remap.set(c.id, cus.id);
      db.transaction(() => {
        db.prepare('UPDATE carts SET customer_id = ? WHERE customer_id = ?').run(cus.id, c.id);
        db.prepare('DELETE FROM customers WHERE id = ?').run(c.id);
      })();
      report.customers++;
    }

    // Orders: their content onto the PaymentIntent, their fulfillment and ship-to address onto the charge.
    const orders = db.prepare('SELECT * FROM orders WHERE published = 0').all() as {
      id: string;
      payment_intent_id: string;
      cart_id: string | null;
      status: 'received' | 'processing' | 'shipped';
      customer_name: string;
      customer_json: string | null;
      lines_json: string;
      number: number;
      station_code: string | null;
      charge_id: string | null;
      carrier: string | null;
      tracking_number: string | null;
    }[];
    const code = orders.length ? ensureStationCode(db) : '';
    for (const o of orders) {
      const lines = JSON.parse(o.lines_json) as CartLine[];
      const metadata = encodeOrderMetadata({
        cartId: o.cart_id ?? '',
        stationCode: o.station_code ?? code,
        number: o.number,
        stationId: stationId(db),
        stationName: 'upgrade',
        takenBy: '',
        customerName: o.customer_name,
        lines,
      });
      await this.write<Stripe.PaymentIntent>(
        'payment_intent.update',
        o.payment_intent_id,
        { metadata, expand: ['latest_charge'] },
        (x, k) => gw.updatePaymentIntent(o.payment_intent_id, x as Stripe.PaymentIntentUpdateParams, k),
        `mc_pub_ord_${o.payment_intent_id}`,
      );
      const customer = o.customer_json
        ? (JSON.parse(o.customer_json) as {
            name: string;
            phone?: string | null;
            shipping_json?: string | null;
          })
        : null;
      const address = customer?.shipping_json ? (JSON.parse(customer.shipping_json) as Address) : null;
      if (o.charge_id) {
        const shipping = address
          ? {
              name: customer!.name,
              address: addressToStripe(address),
              ...(customer?.phone ? { phone: customer.phone } : {}),
            }
          : null;
        const steps: ('processing' | 'shipped')[] =
          o.status === 'shipped'
            ? ['processing', 'shipped']
            : o.status === 'processing'
              ? ['processing']
              : [];
        const md: Record<string, string> = {};
        let extra: Stripe.ChargeUpdateParams = shipping ? { shipping } : {};
        for (const s of steps) {
          const u = fulfillmentUpdate(
            s,
            'before the upgrade',
            'this station',
            shipping,
            o.carrier ?? undefined,
            o.tracking_number ?? undefined,
          );
          Object.assign(md, u.metadata);
          if (u.shipping) extra = { shipping: u.shipping };
        }
        const chargeId = o.charge_id;
        if (Object.keys(md).length || extra.shipping) {
          await this.write<Stripe.Charge>(
            'charge.update',
            chargeId,
            { ...extra, ...(Object.keys(md).length ? { metadata: md } : {}) } as Record<string, unknown>,
            (x, k) => gw.updateCharge(chargeId, x as Stripe.ChargeUpdateParams, k),
            `mc_pub_ff_${chargeId}`,
          );
        }
      }
      db.prepare(
        'UPDATE orders SET published = 1, station_code = coalesce(station_code, ?) WHERE id = ?',
      ).run(code, o.id);
      report.orders++;
    }
    void remap;
    report.remaining = this.remaining();
    if (report.products || report.customers || report.orders)
      this.d.logger.info(
        `published to Stripe: ${report.products} products, ${report.customers} customers, ${report.orders} orders`,
      );
    return report;
  }
}
