// A station upgraded from the version that kept orders only in its own database: the migration keeps everything,
// and the publisher writes its products, customers, order contents and fulfillment to Stripe once — resumable
// after a failure part-way — so that a station rebuilt from nothing sees the same orders.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { startEmulator, type RunningEmulator } from '../../../../electron/emulator';
import { openDatabase } from '../../../../electron/core/store/db';
import { STRIPE_API_VERSION } from '../../../../electron/core/stripe/gateway';
import { startHarness, type Harness } from '../../../helpers/core-harness';

let emulator: RunningEmulator;
let stripe: Stripe;
const open: Harness[] = [];

beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
  stripe = new Stripe('sk_test_old_version', {
    apiVersion: STRIPE_API_VERSION,
    host: emulator.host,
    port: emulator.port,
    protocol: 'http',
  });
});
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
  await emulator.close();
});

const LINES = [
  {
    productId: 'prod_oldTea000001',
    sku: 'OLD-TEA',
    name: 'Old-version tea',
    unitAmount: 1250,
    quantity: 2,
    lineTotal: 2500,
    waitlist: false,
  },
];
const SHIPPING = { line1: '1 Navy Way', city: 'Arlington', postalCode: '22201', state: 'VA', country: 'US' };

/** A data folder as the previous version left it: schema 3, two paid orders (one shipped), all local. */
async function oldStation(): Promise<{ dataDir: string; shippedPi: string; receivedPi: string }> {
  const pay = (cartId: string, name: string) =>
    stripe.paymentIntents.create({
      amount: 2500,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      // What the previous version wrote on a PaymentIntent: no lines, no number.
      metadata: { cart_id: cartId, customer_name: name, station: 'Old desk', created_by: 'Sam' },
      expand: ['latest_charge'],
    });
  const shipped = await pay('cart_old1', 'Grace Hopper');
  const received = await pay('cart_old2', 'Alan Turing');
  const dataDir = mkdtempSync(join(tmpdir(), 'mc-upgrade-'));
  const db = openDatabase(join(dataDir, 'console-emulator.sqlite'), { targetVersion: 3 });
  const ins = db.transaction(() => {
    db.prepare(
      `INSERT INTO products (id, sku, name, unit_amount, currency, stock, active, created_at, updated_at)
       VALUES ('prod_oldTea000001', 'OLD-TEA', 'Old-version tea', 1250, 'usd', 6, 1, 1, 1)`,
    ).run();
    db.prepare(
      `INSERT INTO customers (id, name, email, phone, shipping_json, created_at, updated_at)
       VALUES ('cus_localGrace01', 'Grace Hopper', 'grace@navy.example', '555 0101', ?, 1, 1),
              ('cus_localAlan001', 'Alan Turing', 'alan@bletchley.example', NULL, NULL, 1, 1)`,
    ).run(JSON.stringify(SHIPPING));
    for (const [pi, cart, cus, name, email, status, number, tracking] of [
      [
        shipped,
        'cart_old1',
        'cus_localGrace01',
        'Grace Hopper',
        'grace@navy.example',
        'shipped',
        1041,
        '1Z999',
      ],
      [
        received,
        'cart_old2',
        'cus_localAlan001',
        'Alan Turing',
        'alan@bletchley.example',
        'received',
        1042,
        null,
      ],
    ] as const) {
      const charge = (pi.latest_charge as Stripe.Charge).id;
      db.prepare(
        `INSERT INTO carts (id, status, currency, customer_id, lines_json, total, payment_intent_id, pi_status, created_by, created_at, updated_at)
         VALUES (?, 'paid', 'usd', ?, ?, 2500, ?, 'succeeded', 'Sam', 1, 1)`,
      ).run(cart, cus, JSON.stringify(LINES), pi.id);
      db.prepare(
        `INSERT INTO payment_intents (id, status, status_rank, amount, amount_received, currency, capture_method, latest_charge, cart_id, customer_name, snapshot_at, created, updated_at)
         VALUES (?, 'succeeded', 6, 2500, 2500, 'usd', 'automatic', ?, ?, ?, ?, ?, 1)`,
      ).run(pi.id, charge, cart, name, pi.created, pi.created);
      const customer = {
        id: cus,
        name,
        email,
        phone: null,
        shipping_json: cus === 'cus_localGrace01' ? JSON.stringify(SHIPPING) : null,
      };
      db.prepare(
        `INSERT INTO orders (id, payment_intent_id, cart_id, status, customer_name, customer_email, customer_json, lines_json, item_count, currency,
           amount_captured, carrier, tracking_number, created_at, updated_at, number)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 2, 'usd', 2500, ?, ?, ?, ?, ?)`,
      ).run(
        `ord_${pi.id.slice(3)}`,
        pi.id,
        cart,
        status,
        name,
        email,
        JSON.stringify(customer),
        JSON.stringify(LINES),
        tracking ? 'UPS' : null,
        tracking,
        pi.created * 1000,
        pi.created * 1000,
        number,
      );
    }
  });
  ins();
  db.close();
  return { dataDir, shippedPi: shipped.id, receivedPi: received.id };
}

async function station(dataDir?: string, name = 'Old desk'): Promise<Harness> {
  const h = await startHarness({ emulator, station: name, ...(dataDir ? { dataDir } : {}) });
  open.push(h);
  return h;
}

describe('upgrading a station that kept its orders locally', () => {
  it('keeps every order, publishes it to Stripe once, and a rebuilt station sees the same', async () => {
    const old = await oldStation();
    const h = await station(old.dataDir);
    // Before publishing: the orders are all there, as they were.
    const before = await h.call('orders:list', {});
    expect(before.rows.map((r) => r.customerName).sort()).toEqual(['Alan Turing', 'Grace Hopper']);
    expect(h.services.publisher.remaining()).toBe(5); // 1 product, 2 customers, 2 orders

    const report = await h.services.publisher.run();
    expect(report).toEqual({ products: 1, customers: 2, orders: 2, remaining: 0 });
    // Stripe now holds it: the product under its old id, the customers, the content and the fulfillment.
    const product = await stripe.products.retrieve('prod_oldTea000001');
    expect(product.metadata).toMatchObject({ sku: 'OLD-TEA', stock: '6' });
    expect((await stripe.customers.list({ limit: 10 })).data.map((c) => c.email).sort()).toEqual([
      'alan@bletchley.example',
      'grace@navy.example',
    ]);
    const pi = await stripe.paymentIntents.retrieve(old.shippedPi, { expand: ['latest_charge'] });
    expect(pi.metadata.mc_order).toMatch(/^[A-Z]1041$/);
    const charge = pi.latest_charge as Stripe.Charge;
    expect(charge.metadata.mc_shipped).toBeTruthy();
    expect(charge.shipping?.tracking_number).toBe('1Z999');
    expect(charge.shipping?.address?.line1).toBe('1 Navy Way');

    // Publishing again does nothing.
    expect(await h.services.publisher.run()).toEqual({ products: 0, customers: 0, orders: 0, remaining: 0 });

    // A new laptop of the same shop rebuilds the same orders from Stripe alone.
    const fresh = await station(undefined, 'New laptop');
    await Promise.all([h.sync(), fresh.sync()]);
    const view = async (x: Harness) => {
      const { rows } = await x.call('orders:list', {});
      const out = [];
      for (const r of rows) {
        const d = await x.call('orders:get', { orderId: r.id });
        out.push({
          number: d.number,
          status: d.status,
          name: d.customer?.name,
          shipping: d.customer?.shipping ?? null,
          lines: d.lines.map((l) => [l.sku, l.quantity, l.unitAmount]),
          tracking: d.trackingNumber,
          ledger: d.ledger,
        });
      }
      return out.sort((a, b) => a.number.localeCompare(b.number));
    };
    const atFresh = await view(fresh);
    expect(atFresh).toEqual(await view(h));
    expect(atFresh[0]).toMatchObject({ status: 'shipped', tracking: '1Z999', shipping: SHIPPING });
    expect(atFresh[1]).toMatchObject({ status: 'received', lines: [['OLD-TEA', 2, 1250]] });
    // The old station's numbers carry on: its next order follows 1042.
    expect((await fresh.call('products:search', { query: 'OLD-TEA', limit: 1 }))[0]?.stock).toBe(6);
  });

  it('resumes after a failure part-way with the same keys: nothing is made twice', async () => {
    const old = await oldStation();
    const h = await station(old.dataDir);
    // Stripe fails every charge update for a while: products and customers go through, the orders stop.
    await h.fault({ kind: 'status_500', count: 20, path_prefix: '/v1/charges' });
    await expect(h.services.publisher.run()).rejects.toThrow();
    expect(h.services.publisher.remaining()).toBeGreaterThan(0);
    await fetch(`${emulator.url}/_emulator/faults`, { method: 'DELETE' }).catch(() => undefined);
    await h.restart();
    let report = await h.services.publisher.run().catch(() => null);
    for (let i = 0; !report && i < 5; i++) report = await h.services.publisher.run().catch(() => null);
    expect(report?.remaining).toBe(0);
    expect((await stripe.customers.list({ limit: 10 })).data).toHaveLength(2);
    expect(
      (await stripe.products.list({ limit: 100 })).data.filter((p) => p.metadata.sku === 'OLD-TEA'),
    ).toHaveLength(1);
    const pi = await stripe.paymentIntents.retrieve(old.receivedPi);
    expect(pi.metadata.mc_order).toMatch(/1042$/);
  });
});
