// One shop, many stations: Stripe is the shared record and every station's database a projection of it. Two
// stations (and a third rebuilt from an empty folder) run against one emulator and must agree on every order,
// hold and product — including when they act on the same thing in the same moment.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../../electron/emulator';
import { startHarness, MANAGER_PIN, type Harness } from '../../../helpers/core-harness';
import { DEMO_CATALOG } from '../../../../electron/core/catalog/demo-catalog';

let emulator: RunningEmulator;
let a: Harness;
let b: Harness;
const extra: Harness[] = [];

const address = {
  line1: '12 Harbour Street',
  city: 'Portland',
  postalCode: '04101',
  state: 'ME',
  country: 'US',
};
const customer = {
  name: 'Grace Hopper',
  email: 'grace@navy.example',
  phone: '+1 207 555 0101',
  shipping: address,
};

async function productBySku(h: Harness, sku: string) {
  const p = (await h.call('products:search', { query: sku, limit: 5 })).find((x) => x.sku === sku);
  if (!p) throw new Error(`no product ${sku}`);
  return p;
}

async function order(h: Harness, items: { sku: string; quantity: number }[], card = 'pm_card_visa') {
  const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
  const lines = [];
  for (const i of items) lines.push({ productId: (await productBySku(h, i.sku)).id, quantity: i.quantity });
  await h.call('carts:update', { cartId: cart.id, customer, lines }, 'staff');
  return h.call('payments:pay', { cartId: cart.id, paymentMethod: card }, 'staff');
}

/** Everything stations must agree on, without what is the station's own (audit, journal, local versions). */
async function shopView(h: Harness) {
  await h.sync();
  const { rows } = await h.call('orders:list', { limit: 500 });
  const orders = [];
  for (const r of rows) {
    const d = await h.call('orders:get', { orderId: r.id });
    orders.push({
      number: d.number,
      paymentIntentId: d.paymentIntentId,
      status: d.status,
      customer: d.customer,
      lines: d.lines.map((l) => ({
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        unitAmount: l.unitAmount,
      })),
      ledger: d.ledger,
      carrier: d.carrier,
      trackingNumber: d.trackingNumber,
      createdAt: d.createdAt,
    });
  }
  orders.sort((x, y) => x.paymentIntentId.localeCompare(y.paymentIntentId));
  const holds = (await h.call('holds:list', { include: 'all' }))
    .map((x) => ({
      paymentIntentId: x.paymentIntentId,
      orderNumber: x.orderNumber,
      customerName: x.customerName,
      items: x.items,
      status: x.status,
      expiresAt: x.expiresAt,
      authorizedAt: x.authorizedAt,
      amountAuthorized: x.amountAuthorized,
      amountCaptured: x.amountCaptured,
    }))
    .sort((x, y) => x.paymentIntentId.localeCompare(y.paymentIntentId));
  const products = (await h.call('products:search', { query: '', limit: 100 }))
    .map((p) => ({ id: p.id, sku: p.sku, unitAmount: p.unitAmount, stock: p.stock, oversold: p.oversold }))
    .sort((x, y) => x.id.localeCompare(y.id));
  return { orders, holds, products };
}

async function freshStation(name: string): Promise<Harness> {
  const h = await startHarness({ emulator, station: name, dataDir: mkdtempSync(join(tmpdir(), 'mc-st-')) });
  extra.push(h);
  return h;
}

beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
  // Both stations start in the same moment: each seeds the demo catalog, which must exist once.
  [a, b] = await Promise.all([
    startHarness({ emulator, station: 'Front desk' }),
    startHarness({ emulator, station: 'Packing' }),
  ]);
});

afterEach(async () => {
  for (const h of [a, b, ...extra.splice(0)]) await h.close();
  await emulator.close();
});

describe('one shop, many stations', () => {
  it('two stations starting at once create the demo catalog once, and see the same one', async () => {
    const all = await a.stripe.products.list({ limit: 100 });
    // The shop's records (its settings and staff: inactive Products of ids of our own, no SKU) are not catalog.
    const catalog = all.data.filter((p) => p.metadata.sku);
    expect(all.data.length - catalog.length).toBeLessThanOrEqual(2);
    expect(catalog.map((p) => p.metadata.sku).sort()).toEqual(DEMO_CATALOG.map((p) => p.sku).sort());
    const [va, vb] = await Promise.all([shopView(a), shopView(b)]);
    expect(va.products).toHaveLength(DEMO_CATALOG.length);
    expect(vb.products).toEqual(va.products);
  });

  it('an order taken at one station is packed and shipped at the other, and shows shipped back at the first', async () => {
    await a.sync();
    const paid = await order(a, [
      { sku: 'TEA-EARL-100', quantity: 2 },
      { sku: 'CUP-PORC-2', quantity: 1 },
    ]);
    expect(paid.phase).toBe('succeeded');
    expect(paid.orderNumber).toBe('A1001');
    await b.sync();
    const { rows } = await b.call('orders:list', { query: 'A1001' }, 'staff');
    expect(rows).toHaveLength(1);
    const atB = await b.call('orders:get', { orderId: rows[0]!.id }, 'staff');
    expect(atB.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['TEA-EARL-100', 2],
      ['CUP-PORC-2', 1],
    ]);
    expect(atB.customer).toMatchObject({
      name: 'Grace Hopper',
      email: 'grace@navy.example',
      shipping: address,
    });
    await b.call('orders:advance', { orderIds: [atB.id], to: 'processing' }, 'staff');
    const shipped = await b.call(
      'orders:advance',
      { orderIds: [atB.id], to: 'shipped', carrier: 'UPS', trackingNumber: '1Z999AA10123456784' },
      'staff',
    );
    expect(shipped[0]).toMatchObject({ ok: true, status: 'shipped' });
    await a.sync();
    const atA = await a.call('orders:get', { orderId: atB.id }, 'staff');
    expect(atA.status).toBe('shipped');
    expect(atA.trackingNumber).toBe('1Z999AA10123456784');
    expect(atA.carrier).toBe('UPS');
    // The front desk can't ship it again.
    const again = await a.call('orders:advance', { orderIds: [atA.id], to: 'shipped' }, 'staff');
    expect(again[0]!.message).toMatch(/already shipped/);
    // Stripe holds it: the charge carries the fulfillment.
    const pi = await a.stripe.paymentIntents.retrieve(atA.paymentIntentId, { expand: ['latest_charge'] });
    const charge = pi.latest_charge as {
      metadata: Record<string, string>;
      shipping: { tracking_number: string };
    };
    expect(charge.metadata.mc_shipped).toMatch(/Packing/);
    expect(charge.shipping.tracking_number).toBe('1Z999AA10123456784');
    expect(pi.customer).toBeTruthy();
    expect(pi.shipping?.address?.line1).toBe('12 Harbour Street');
    expect(await shopView(a)).toEqual(await shopView(b));
  });

  it('both stations shipping one order at once converge on one status and one tracking number', async () => {
    await order(a, [{ sku: 'INF-STEEL', quantity: 1 }]);
    await Promise.all([a.sync(), b.sync()]);
    const id = (await a.call('orders:list', {})).rows[0]!.id;
    await a.call('orders:advance', { orderIds: [id], to: 'processing' }, 'staff');
    await b.sync();
    const [ra, rb] = await Promise.all([
      a.call(
        'orders:advance',
        { orderIds: [id], to: 'shipped', carrier: 'UPS', trackingNumber: 'TRACK-A' },
        'staff',
      ),
      b.call(
        'orders:advance',
        { orderIds: [id], to: 'shipped', carrier: 'USPS', trackingNumber: 'TRACK-B' },
        'staff',
      ),
    ]);
    expect(ra[0]!.ok && rb[0]!.ok).toBe(true);
    const [va, vb] = await Promise.all([shopView(a), shopView(b)]);
    expect(va).toEqual(vb);
    const o = va.orders[0]!;
    expect(o.status).toBe('shipped');
    // Whichever write Stripe kept last is the one every station shows.
    const pi = await a.stripe.paymentIntents.retrieve(o.paymentIntentId, { expand: ['latest_charge'] });
    const charge = pi.latest_charge as {
      shipping: { tracking_number: string; carrier: string } | null;
      metadata: Record<string, string>;
    };
    const atStripe = charge.shipping?.tracking_number ?? charge.metadata.mc_tracking!.split('|')[1];
    expect(['TRACK-A', 'TRACK-B']).toContain(o.trackingNumber);
    expect(o.trackingNumber).toBe(atStripe);
    // A third station rebuilt from nothing reads the same.
    const c = await freshStation('New laptop');
    expect(await shopView(c)).toEqual(va);
  });

  it('a processing write after a shipped one cannot take "shipped" away', async () => {
    await order(a, [{ sku: 'INF-STEEL', quantity: 1 }]);
    await Promise.all([a.sync(), b.sync()]);
    const id = (await a.call('orders:list', {})).rows[0]!.id;
    await a.call('orders:advance', { orderIds: [id], to: 'processing' }, 'staff');
    await a.call('orders:advance', { orderIds: [id], to: 'shipped', trackingNumber: 'T1' }, 'staff');
    // Station B never synced in between: from its stale view it moves the order to processing.
    const r = await b.call('orders:advance', { orderIds: [id], to: 'processing' }, 'staff');
    expect(r[0]!.ok).toBe(true);
    const [va, vb] = await Promise.all([shopView(a), shopView(b)]);
    expect(va.orders[0]!.status).toBe('shipped');
    expect(vb).toEqual(va);
  });

  it('the last unit sold at two stations at once: both succeed, and every station shows it oversold', async () => {
    const last = await a.call('products:save', {
      sku: 'LAST-ONE',
      name: 'The last teapot',
      unitAmount: 5000,
      currency: 'usd',
      stock: 1,
      active: true,
    });
    await b.sync();
    expect((await productBySku(b, 'LAST-ONE')).stock).toBe(1);
    const [pa, pb] = await Promise.all([
      order(a, [{ sku: 'LAST-ONE', quantity: 1 }]),
      order(b, [{ sku: 'LAST-ONE', quantity: 1 }]),
    ]);
    expect(pa.phase).toBe('succeeded');
    expect(pb.phase).toBe('succeeded');
    const [va, vb] = await Promise.all([shopView(a), shopView(b)]);
    expect(vb).toEqual(va);
    expect(va.products.find((p) => p.id === last.id)).toMatchObject({ stock: 0, oversold: 1 });
    // A manager's new count settles it, everywhere.
    await a.call('products:save', {
      id: last.id,
      sku: last.sku,
      name: last.name,
      unitAmount: last.unitAmount,
      currency: last.currency,
      stock: 4,
      active: true,
    });
    const [va2, vb2] = await Promise.all([shopView(a), shopView(b)]);
    expect(va2.products.find((p) => p.id === last.id)).toMatchObject({ stock: 4, oversold: 0 });
    expect(vb2).toEqual(va2);
  });

  it('stock sold at another station is seen at the next poll: the cart becomes a waitlist order before charging', async () => {
    const p = await a.call('products:save', {
      sku: 'FEW',
      name: 'Few left',
      unitAmount: 1500,
      currency: 'usd',
      stock: 2,
      active: true,
    });
    await b.sync();
    const cart = await b.call('carts:create', { currency: 'usd' }, 'staff');
    await b.call(
      'carts:update',
      { cartId: cart.id, customer, lines: [{ productId: p.id, quantity: 2 }] },
      'staff',
    );
    expect((await b.call('carts:get', { cartId: cart.id }, 'staff')).waitlist).toBe(false);
    await order(a, [{ sku: 'FEW', quantity: 2 }]);
    await b.sync();
    const r = await b.raw('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/Stock changed.*waitlist/);
    const after = await b.call('carts:get', { cartId: cart.id }, 'staff');
    expect(after.waitlist).toBe(true);
    const held = await b.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(held.phase).toBe('on_hold');
  });

  it('a hold placed at one station has its deadline, customer, items and number at the other', async () => {
    const held = await order(a, [{ sku: 'POT-CAST-08', quantity: 1 }]); // out of stock: a waitlist hold
    expect(held.phase).toBe('on_hold');
    await b.sync();
    const holds = await b.call('holds:list', { include: 'open' });
    expect(holds).toHaveLength(1);
    const h = holds[0]!;
    expect(h.expiresAt).not.toBeNull();
    expect(h.customerName).toBe('Grace Hopper');
    expect(h.orderNumber).toBe(held.orderNumber);
    expect(h.items).toEqual([
      { name: 'Cast-iron teapot, 0.8 l', quantity: 1, waitlist: true, sku: 'POT-CAST-08', unitAmount: 6400 },
    ]);
    const [va, vb] = await Promise.all([shopView(a), shopView(b)]);
    expect(vb.holds).toEqual(va.holds);
    // Captured at B, it is an order at A.
    await b.call('holds:capture', {
      paymentIntentId: h.paymentIntentId,
      amount: h.amountCapturable,
      version: h.version,
      pin: MANAGER_PIN,
    });
    const [va2, vb2] = await Promise.all([shopView(a), shopView(b)]);
    expect(va2.orders.map((o) => o.number)).toEqual([held.orderNumber]);
    expect(vb2).toEqual(va2);
  });

  it('order numbers never repeat: each station has its code, and a rebuilt station continues its own sequence', async () => {
    await a.sync();
    const first = await order(a, [{ sku: 'INF-STEEL', quantity: 1 }]);
    await b.sync();
    const second = await order(b, [{ sku: 'INF-STEEL', quantity: 1 }]);
    const third = await order(a, [{ sku: 'INF-STEEL', quantity: 1 }]);
    expect([first.orderNumber, second.orderNumber, third.orderNumber]).toEqual(['A1001', 'B1001', 'A1002']);
    const settings = await b.call('settings:get', {});
    expect(settings.stationCode).toBe('B');
    expect(settings.stations.map((s) => [s.code, s.name, s.thisStation])).toEqual([
      ['A', 'Front desk', false],
      ['B', 'Packing', true],
    ]);
    expect(settings.stationCodeConflict).toBeNull();
  });

  it('10. station codes are claimed in Stripe: two stations set up at once never both number orders A…', async () => {
    // Both take their first order in the same moment: each claims a code in Stripe; only one gets A.
    const [x, y] = await Promise.all([
      order(a, [{ sku: 'INF-STEEL', quantity: 1 }]),
      order(b, [{ sku: 'INF-STEEL', quantity: 1 }]),
    ]);
    const codes = [x.orderNumber!, y.orderNumber!].map((n) => n.replace(/\d+$/, ''));
    expect(new Set(codes).size).toBe(2);
    expect(codes.sort()).toEqual(['A', 'B']);
    // A manager choosing a code another station holds is refused, naming that station; the code stays.
    const holder = codes[0] === x.orderNumber!.replace(/\d+$/, '') ? a : b;
    const other = holder === a ? b : a;
    const taken = await other.raw('settings:update', { stationCode: 'A' });
    expect(taken).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/Code A belongs to (Front desk|Packing)/) },
    });
    expect((await other.call('settings:get', {})).stationCode).toBe('B');
    // The claims are Stripe objects every station (and a rebuilt one) can read.
    const claim = await a.stripe.products.retrieve('mc_station_A');
    expect(claim.active).toBe(false);
    expect(claim.metadata.mc_station_name).toMatch(/Front desk|Packing/);
    await a.sync();
    expect((await a.call('settings:get', {})).stationCodeConflict).toBeNull();
  });

  it('a station rebuilt from an empty folder agrees on everything, holds with their deadlines', async () => {
    const first = await order(a, [{ sku: 'TEA-EARL-100', quantity: 3 }]);
    await order(b, [{ sku: 'KET-GOOSE-1', quantity: 1 }]); // a hold
    const refundMe = await order(a, [{ sku: 'TEA-SENCHA-100', quantity: 1 }]);
    await a.sync();
    const o = (await a.call('orders:list', { query: refundMe.orderNumber! })).rows[0]!;
    await a.call('orders:refund', { orderId: o.id, amount: 500, expectedRefunded: 0, pin: MANAGER_PIN });
    const c = await freshStation('New laptop');
    const [va, vc] = await Promise.all([shopView(a), shopView(c)]);
    expect(vc).toEqual(va);
    expect(vc.holds[0]!.expiresAt).not.toBeNull();
    expect(vc.orders.map((x) => x.number)).toEqual(
      expect.arrayContaining([first.orderNumber, refundMe.orderNumber]),
    );
    expect(vc.orders.find((x) => x.number === refundMe.orderNumber)?.ledger.refunded).toBe(500);
  });

  it('a station rebuilt after Stripe’s 30-day event window rebuilds from the list endpoints', async () => {
    await order(a, [{ sku: 'TEA-ASSAM-250', quantity: 1 }]);
    const id = await (async () => (await a.sync(), (await a.call('orders:list', {})).rows[0]!.id))();
    await a.call('orders:advance', { orderIds: [id], to: 'processing' }, 'staff');
    await a.call(
      'orders:advance',
      { orderIds: [id], to: 'shipped', carrier: 'DHL', trackingNumber: 'JD0001' },
      'staff',
    );
    emulator.advanceClock(40 * 24 * 3600);
    const events = await a.stripe.events.list({ limit: 100 });
    expect(events.data).toHaveLength(0); // nothing left in the window
    const c = await freshStation('Replacement laptop');
    const vc = await shopView(c);
    const va = await shopView(a);
    expect(vc.orders).toEqual(va.orders);
    expect(vc.products).toEqual(va.products);
    expect(vc.orders[0]).toMatchObject({ status: 'shipped', trackingNumber: 'JD0001', carrier: 'DHL' });
  });
});
