// Issue 13 in the core: a waitlist order is an order from its hold (awaiting stock, with its number and items,
// found by the same search), a released or lapsed hold stays as a cancelled order; stations agree on it; phone
// numbers are found however they are typed; a shipped order needs its address; the timeline speaks the shop's
// words; CSV is written for an accountant and a packer; a term most orders match is still answered quickly.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANAGER_PIN, product, startHarness, type Harness } from '../../../helpers/core-harness';
import { startEmulator, type RunningEmulator } from '../../../../electron/emulator';
import { COUNT_CAP } from '../../../../electron/core/orders/orders-repo';

let h: Harness;
const extra: Harness[] = [];
let emulator: RunningEmulator | null = null;
beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
  h = await startHarness({ emulator });
});
afterEach(async () => {
  for (const x of extra.splice(0)) await x.close();
  await h.close();
  await emulator?.close();
  emulator = null;
});

const address = { line1: '12 Leaf Lane', city: 'Portland', postalCode: '97201', state: 'OR', country: 'US' };

async function pay(
  customer: { name: string; email?: string; phone?: string; shipping?: typeof address },
  opts: {
    stock?: number;
    sku?: string;
    unitAmount?: number;
    delivery?: 'ship' | 'collect';
    at?: Harness;
  } = {},
) {
  const x = opts.at ?? h;
  const cart = await x.call('carts:create', { currency: 'usd' }, 'staff');
  const p = await product(
    x,
    opts.sku ?? (opts.stock === 0 ? 'WAIT-1' : 'TEA-1'),
    opts.unitAmount ?? 8900,
    opts.stock ?? 50,
  );
  await x.call(
    'carts:update',
    {
      cartId: cart.id,
      customer,
      lines: [{ productId: p.id, quantity: 1 }],
      ...(opts.delivery ? { delivery: opts.delivery } : {}),
    },
    'staff',
  );
  return x.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
}

const rowOf = async (piId: string, x = h) => {
  await x.sync();
  return (await x.call('orders:list', { limit: 500 })).rows.find((r) => r.paymentIntentId === piId);
};

describe('waitlist orders are orders from the hold', () => {
  it('exists as "awaiting stock" with its number and items, is found by search, and is cancelled when released', async () => {
    const held = await pay({ name: 'Wendy Waitlist' }, { stock: 0 });
    expect(held.phase).toBe('on_hold');
    const row = await rowOf(held.paymentIntentId!);
    expect(row).toMatchObject({
      number: held.orderNumber,
      paymentState: 'authorized',
      amountCaptured: 0,
      amountTotal: 8900,
      itemCount: 1,
      status: 'received',
    });
    // The checkout knows its order at once, and Holds names it by number.
    expect((await h.call('carts:get', { cartId: held.id }, 'staff')).orderId).toBe(row!.id);
    const hold = (await h.call('holds:list', { include: 'open' })).find(
      (x) => x.paymentIntentId === held.paymentIntentId,
    );
    expect(hold).toMatchObject({ orderId: row!.id, orderNumber: held.orderNumber });
    // The same search as every order: by number, by name; and the filter by payment state.
    for (const query of [held.orderNumber!, 'wendy', 'Waitlist'])
      expect(
        (await h.call('orders:list', { query })).rows.map((r) => r.id),
        query,
      ).toEqual([row!.id]);
    expect((await h.call('orders:list', { payment: 'authorized' })).rows.map((r) => r.id)).toEqual([row!.id]);
    const detail = await h.call('orders:get', { orderId: row!.id });
    expect(detail.paymentNote).toMatch(/^Awaiting stock: \$89\.00 is held on the customer’s card until /);
    expect(detail.canShip).toBe(false);
    expect(detail.lines.map((l) => [l.sku, l.quantity, l.waitlist])).toEqual([['WAIT-1', 1, true]]);
    // Not packed while awaiting stock.
    const moved = await h.call('orders:advance', { orderIds: [row!.id], to: 'processing' }, 'staff');
    expect(moved[0]).toMatchObject({
      ok: false,
      message: `#${held.orderNumber} is awaiting stock: its hold is captured first (Holds).`,
    });

    await h.call('holds:release', {
      paymentIntentId: held.paymentIntentId!,
      version: hold!.version,
      pin: MANAGER_PIN,
    });
    const after = await rowOf(held.paymentIntentId!);
    expect(after).toMatchObject({ id: row!.id, paymentState: 'canceled', amountCaptured: 0 });
    expect((await h.call('orders:get', { orderId: row!.id })).paymentNote).toMatch(
      /^Cancelled: the hold was released — \$89\.00 back to the customer\. Nothing was charged\.$/,
    );
    expect((await h.call('orders:list', { payment: 'canceled' })).rows.map((r) => r.id)).toEqual([row!.id]);
  });

  it('becomes paid when captured; an abandoned cart or a declined card never becomes an order', async () => {
    const held = await pay({ name: 'Carl Capture' }, { stock: 0 });
    const hold = (await h.call('holds:list', { include: 'open' }))[0]!;
    await h.call('holds:capture', {
      paymentIntentId: held.paymentIntentId!,
      amount: 5000,
      version: hold.version,
      pin: MANAGER_PIN,
    });
    expect(await rowOf(held.paymentIntentId!)).toMatchObject({
      paymentState: 'paid',
      amountCaptured: 5000,
      amountTotal: 8900,
    });

    // A declined waitlist card, then the cart discarded: no order.
    const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
    const p = await product(h, 'WAIT-1', 8900, 0);
    await h.call(
      'carts:update',
      { cartId: cart.id, customer: { name: 'Dora Declined' }, lines: [{ productId: p.id, quantity: 1 }] },
      'staff',
    );
    const declined = await h.call(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_visa_chargeDeclined' },
      'staff',
    );
    expect(declined.phase).toBe('awaiting_card');
    await h.call('carts:discard', { cartId: cart.id }, 'staff');
    expect(await rowOf(declined.paymentIntentId!)).toBeUndefined();
  });

  it('a lapsed hold reads as a cancelled order, the same at another station and at one rebuilt from nothing', async () => {
    const held = await pay({ name: 'Lapsed Lena' }, { stock: 0 });
    const b = await startHarness({ emulator: emulator!, station: 'Packing desk' });
    extra.push(b);
    const atB = await rowOf(held.paymentIntentId!, b);
    expect(atB).toMatchObject({ paymentState: 'authorized', number: held.orderNumber });
    await fetch(`${emulator!.url}/_emulator/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 8 * 24 * 3600 }),
    });
    const atA = await rowOf(held.paymentIntentId!);
    expect(atA).toMatchObject({ paymentState: 'canceled' });
    expect((await h.call('orders:get', { orderId: atA!.id })).paymentNote).toMatch(
      /^Cancelled: the hold lapsed/,
    );
    expect(await rowOf(held.paymentIntentId!, b)).toMatchObject({
      paymentState: 'canceled',
      number: held.orderNumber,
    });
    const c = await startHarness({ emulator: emulator!, station: 'Rebuilt' });
    extra.push(c);
    expect(await rowOf(held.paymentIntentId!, c)).toMatchObject({
      paymentState: 'canceled',
      number: held.orderNumber,
      customerName: 'Lapsed Lena',
    });
  });
});

describe('phone numbers', () => {
  it('finds orders and customers by phone however it is typed, and by name or email from any field', async () => {
    const a = await pay({ name: 'Pam Phone', email: 'pam@example.com', phone: '+15550101234' });
    await pay({ name: 'Otto Other', phone: '+442079460018' });
    await h.sync();
    for (const query of ['555', '(555) 010-1234', '555-010-1234', '+1 555 010 1234', '0101234']) {
      const rows = (await h.call('orders:list', { query })).rows;
      expect(
        rows.map((r) => r.paymentIntentId),
        query,
      ).toEqual([a.paymentIntentId]);
      expect(rows[0]!.customerPhone).toBe('+15550101234');
    }
    // Digits of an order number or an id are not a phone match.
    expect((await h.call('orders:list', { query: a.orderNumber! })).rows).toHaveLength(1);
    for (const query of ['555 0101', 'Pam', 'pam@ex', '(555) 010-1234'])
      expect(
        (await h.call('customers:search', { query }, 'staff')).map((c) => c.name),
        query,
      ).toEqual(['Pam Phone']);
  });
});

describe('delivery', () => {
  it('refuses to charge for a shipped order without a complete address, and takes a collected one without', async () => {
    const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
    const p = await product(h, 'TEA-1', 1250, 50);
    await h.call(
      'carts:update',
      {
        cartId: cart.id,
        customer: { name: 'Sid Ship', shipping: { ...address, postalCode: '' } },
        lines: [{ productId: p.id, quantity: 1 }],
        delivery: 'ship',
      },
      'staff',
    );
    const refused = await h.raw('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'precondition_failed', message: expect.stringMatching(/not complete \(the ZIP code\)/) },
    });
    expect(
      (await h.stripe.paymentIntents.list({ limit: 10 })).data.filter((x) => x.status === 'succeeded'),
    ).toHaveLength(0);
    await h.call('carts:update', { cartId: cart.id, delivery: 'collect' }, 'staff');
    const paid = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(paid).toMatchObject({ phase: 'succeeded', delivery: 'collect' });
    const row = await rowOf(paid.paymentIntentId!);
    expect(row!.delivery).toBe('collect');
    // The delivery travels with the order's content in Stripe.
    expect((await h.stripe.paymentIntents.retrieve(paid.paymentIntentId!)).metadata.mc_delivery).toBe(
      'collect',
    );
  });
});

describe('bulk shipping', () => {
  it('ships each order with its own tracking number', async () => {
    const one = await pay({ name: 'One Parcel', shipping: address });
    const two = await pay({ name: 'Two Parcel', shipping: address });
    const r1 = (await rowOf(one.paymentIntentId!))!;
    const r2 = (await rowOf(two.paymentIntentId!))!;
    await h.call('orders:advance', { orderIds: [r1.id, r2.id], to: 'processing' }, 'staff');
    const res = await h.call(
      'orders:advance',
      {
        orderIds: [r1.id, r2.id],
        to: 'shipped',
        shipments: [
          { orderId: r1.id, carrier: 'UPS', trackingNumber: '1Z999AA10123456784' },
          { orderId: r2.id, carrier: 'USPS', trackingNumber: '9400111202555842761023' },
        ],
      },
      'staff',
    );
    expect(res.map((x) => x.ok)).toEqual([true, true]);
    const d1 = await h.call('orders:get', { orderId: r1.id });
    const d2 = await h.call('orders:get', { orderId: r2.id });
    expect([d1.carrier, d1.trackingNumber, d2.carrier, d2.trackingNumber]).toEqual([
      'UPS',
      '1Z999AA10123456784',
      'USPS',
      '9400111202555842761023',
    ]);
  });
});

describe('the timeline', () => {
  it('has one line per thing that happened, in the shop’s words, with Stripe’s details folded away', async () => {
    const held = await pay({ name: 'Tina Timeline' }, { stock: 0 });
    const hold = (await h.call('holds:list', { include: 'open' }))[0]!;
    await h.call('holds:capture', {
      paymentIntentId: held.paymentIntentId!,
      amount: 5000,
      version: hold.version,
      pin: MANAGER_PIN,
    });
    const row = (await rowOf(held.paymentIntentId!))!;
    await h.call('orders:advance', { orderIds: [row.id], to: 'processing' }, 'staff');
    await h.sync();
    const t = (await h.call('orders:get', { orderId: row.id })).timeline;
    const titles = t.map((x) => x.title);
    expect(titles).toEqual([
      'Order taken — $89.00',
      expect.stringMatching(/^Card authorised — \$89\.00 held until [A-Z][a-z]{2} \d{1,2}$/),
      'Hold captured — $50.00 charged',
      'Moved to processing',
    ]);
    expect(t[2]).toMatchObject({
      detail: '$39.00 released to the customer.',
      confirmedByStripe: true,
      actor: 'Morgan Manager',
    });
    expect(t[3]).toMatchObject({ confirmedByStripe: true, actor: 'Sam Staff' });
    // No developer words where people read; all of them one click away.
    for (const x of t)
      expect(`${x.title} ${x.detail ?? ''}`).not.toMatch(/payment_intent|charge\.|capture_method|evt_|pi_/);
    expect(t.flatMap((x) => x.technical).join('\n')).toMatch(
      /payment_intent\.amount_capturable_updated · evt_/,
    );
    expect(t[3]!.technical.join('\n')).toMatch(/Idempotency key mc_ff_/);
  });
});

describe('CSV', () => {
  it('writes number, local date and time, customer, phone, address, items and amounts in the currency’s decimals', async () => {
    const paid = await pay(
      {
        name: 'Lovelace, Ada "Countess"',
        email: 'ada@example.com',
        phone: '+15550101234',
        shipping: address,
      },
      { unitAmount: 1250 },
    );
    await pay({ name: '=HYPERLINK("http://x","click")', email: '+1@x.example' }, { unitAmount: 1250 });
    await h.sync();
    const out = await h.call('orders:exportCsv', { timeZone: 'America/Los_Angeles' }, 'staff');
    expect(out.rows).toBe(2);
    const lines = out.csv
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      '"Order","Date","Time","Customer","Email","Phone","Address","Items","Currency","Total","Captured","Refunded","Payment","Status","Delivery","Carrier","Tracking","Subtotal","Discount","Discount by","Shipping","Shipping tax","Tax","Tax refunded","Tax exempt","Grand total"',
    );
    const ada = lines.find((l) => l.includes('Countess'))!;
    expect(ada.startsWith(`"${paid.orderNumber}","20`)).toBe(true);
    expect(ada).toContain(
      `"Lovelace, Ada ""Countess""","ada@example.com","(555) 010-1234","12 Leaf Lane, Portland, OR 97201","1 × Product TEA-1 (TEA-1)","USD","12.50","12.50","0.00","Paid","Received"`,
    );
    // The local time in the zone asked for.
    const created = (await h.call('orders:list', { query: paid.orderNumber! })).rows[0]!.createdAt;
    const local = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/Los_Angeles',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(created));
    const part = (t: string) => local.find((p) => p.type === t)!.value;
    expect(ada).toContain(
      `"${part('year')}-${part('month')}-${part('day')}","${part('hour')}:${part('minute')}"`,
    );
    // Formulas neutralised; every cell quoted.
    expect(lines.find((l) => l.includes('HYPERLINK'))).toContain(
      `"'=HYPERLINK(""http://x"",""click"")","'+1@x.example"`,
    );
    for (const line of lines.slice(1)) expect(line.match(/"(?:[^"]|"")*"/g)).toHaveLength(26);

    const perLine = await h.call('orders:exportCsv', { layout: 'lines', query: 'Countess' }, 'staff');
    const pl = perLine.csv
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(pl[0]).toContain('"SKU","Item","Quantity","Unit price","Line total"');
    expect(pl).toHaveLength(2);
    expect(pl[1]).toContain('"TEA-1","Product TEA-1","1","12.50","12.50","USD"');
  });
});

describe('search at scale', () => {
  it('answers a term most orders match from the narrow table, with the right page and a count of "10,000+"', async () => {
    const n = COUNT_CAP + 200;
    const ins = h.services.db.prepare(
      `INSERT INTO orders (id, payment_intent_id, status, customer_name, customer_email, lines_json, item_count, currency,
         amount_captured, created_at, updated_at, number, station_code, phone_digits) VALUES (?, ?, ?, ?, ?, '[]', 1, 'usd', 100, ?, ?, ?, 'Z', ?)`,
    );
    h.services.db.transaction(() => {
      for (let i = 0; i < n; i++)
        ins.run(
          `ord_s${i}`,
          `pi_s${i}`,
          i % 2 ? 'shipped' : 'received',
          `Sam Sample ${i}`,
          `s${i}@example.com`,
          1000 + i,
          1000 + i,
          5000 + i,
          `1555010${String(i).padStart(4, '0')}`,
        );
    })();
    const all = await h.call('orders:list', { query: 'example.com', limit: 50 });
    expect(all).toMatchObject({ total: COUNT_CAP, totalCapped: true });
    expect(all.rows.map((r) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => `ord_s${n - 1 - i}`));
    const page2 = await h.call('orders:list', { query: 'example.com', limit: 50, offset: 50 });
    expect(page2.rows[0]!.id).toBe(`ord_s${n - 51}`);
    const shipped = await h.call('orders:list', { query: 'example.com', status: 'shipped', limit: 10 });
    expect(shipped.total).toBe(n / 2);
    expect(shipped.rows.every((r) => r.status === 'shipped')).toBe(true);
    // Phone digits every order shares (the scan) and one only one has (the index).
    expect(await h.call('orders:list', { query: '555 010', limit: 5 })).toMatchObject({
      total: COUNT_CAP,
      totalCapped: true,
    });
    expect(
      (await h.call('orders:list', { query: '(555) 010-0042', limit: 5 })).rows.map((r) => r.id),
    ).toEqual(['ord_s42']);
    // A literal underscore is not a wildcard, in either path.
    expect((await h.call('orders:list', { query: 'ord_s4', limit: 5 })).total).toBe(
      Array.from({ length: n }, (_, i) => `ord_s${i}`).filter((id) => id.includes('ord_s4')).length,
    );
  });
});

describe('staff and managers', () => {
  it('staff change their own PIN (saying the current one); the audit log is filtered by who, what, which order and when', async () => {
    const { STAFF_PIN } = await import('../../../helpers/core-harness');
    const bad = await h.raw('auth:changePin', { currentPin: '0000', newPin: '4321' }, 'staff');
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_pin' } });
    await h.call('auth:changePin', { currentPin: STAFF_PIN, newPin: '4321' }, 'staff');
    await h.call('auth:logout', {}, 'staff');
    expect(await h.raw('auth:login', { name: 'Sam Staff', pin: STAFF_PIN }, 'staff')).toMatchObject({
      ok: false,
    });
    await h.call('auth:login', { name: 'Sam Staff', pin: '4321' }, 'staff');

    const paid = await pay({ name: 'Audrey Audit', shipping: address });
    const row = (await rowOf(paid.paymentIntentId!))!;
    await h.call('orders:advance', { orderIds: [row.id], to: 'processing' }, 'staff');
    await h.call('payments:linkSent', { cartId: paid.id, via: 'text', to: '+15550101234' }, 'staff');
    const byStaff = await h.call('audit:list', { actor: 'Sam Staff' });
    expect(byStaff.map((a) => a.action)).toEqual(
      expect.arrayContaining(['user.pin_changed', 'order.processing', 'payment.link_sent']),
    );
    expect(byStaff.every((a) => a.actor === 'Sam Staff')).toBe(true);
    expect((await h.call('audit:list', { action: 'order.' })).map((a) => a.action)).toEqual([
      'order.processing',
    ]);
    // An order number finds its order's, its cart's and its payment's entries.
    const forOrder = await h.call('audit:list', { subject: row.number });
    expect(new Set(forOrder.map((a) => a.subject))).toEqual(new Set([row.id, paid.id]));
    expect(await h.call('audit:list', { from: Date.now() + 3_600_000 })).toEqual([]);
    expect(await h.call('audit:list', { limit: 1, offset: 1 })).toHaveLength(1);
    expect(await h.raw('audit:list', {}, 'staff')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The timeline says the link went out.
    const t = (await h.call('orders:get', { orderId: row.id })).timeline;
    expect(t.find((x) => x.title === 'Secure payment link sent to the customer')).toMatchObject({
      detail: 'by text to +15550101234',
      actor: 'Sam Staff',
    });
  });

  it('the shop country decides how phone numbers without a country code are read', async () => {
    await h.call('settings:update', { country: 'GB' });
    expect((await h.call('app:info', {})).country).toBe('GB');
    await pay({ name: 'Uma UK', phone: '+442079460018' });
    await h.sync();
    expect((await h.call('orders:list', { query: '020 7946 0018' })).rows.map((r) => r.customerName)).toEqual(
      ['Uma UK'],
    );
  });
});
