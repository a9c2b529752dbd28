// A shop's day on two stations (issue 23 items 5, 7, 9, 10, 11): what each station shows of an order, a payment in
// progress and the money actions is derived from Stripe, so the station that took it, another one (whose clock
// may be minutes off) and one rebuilt from an empty folder say the same.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../../electron/emulator';
import { startHarness, type Harness } from '../../../helpers/core-harness';
import { csvRows } from '../../../helpers/csv-rows';

let emulator: RunningEmulator;
let a: Harness;
let b: Harness;
const extra: Harness[] = [];

const customer = { name: 'Dana Day', email: 'dana@example.com', phone: '+1 207 555 0199' };

async function productBySku(h: Harness, sku: string) {
  const p = (await h.call('products:search', { query: sku, limit: 5 })).find((x) => x.sku === sku);
  if (!p) throw new Error(`no product ${sku}`);
  return p;
}

async function pay(
  h: Harness,
  items: { sku: string; quantity: number }[],
  card = 'pm_card_visa',
  name = customer.name,
) {
  const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
  const lines = [];
  for (const i of items) lines.push({ productId: (await productBySku(h, i.sku)).id, quantity: i.quantity });
  await h.call(
    'carts:update',
    {
      cartId: cart.id,
      customer:
        name === customer.name
          ? customer
          : { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com` },
      lines,
    },
    'staff',
  );
  return h.call('payments:pay', { cartId: cart.id, paymentMethod: card }, 'staff');
}

async function authenticate(piId: string, outcome: 'succeed' | 'fail' = 'succeed') {
  const res = await fetch(`${emulator.url}/_emulator/payment_intents/${piId}/authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ outcome }),
  });
  expect(res.ok).toBe(true);
}

async function freshStation(name: string): Promise<Harness> {
  const h = await startHarness({ emulator, station: name, dataDir: mkdtempSync(join(tmpdir(), 'mc-day-')) });
  extra.push(h);
  return h;
}

beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
  [a, b] = await Promise.all([
    startHarness({ emulator, station: 'Front desk' }),
    // The packing desk's computer is four minutes fast.
    startHarness({ emulator, station: 'Packing', clockSkewMs: 4 * 60_000 }),
  ]);
});

afterEach(async () => {
  for (const h of [a, b, ...extra.splice(0)]) await h.close();
  await emulator.close();
});

describe('when the order was placed (item 10)', () => {
  it('is Stripe’s time of its PaymentIntent at every station, a 3D Secure order charged minutes later too', async () => {
    await a.sync();
    const asked = await pay(a, [{ sku: 'TEA-EARL-100', quantity: 1 }], 'pm_card_threeDSecure2Required');
    expect(asked.phase).toBe('authenticating');
    const pi = await a.stripe.paymentIntents.retrieve(asked.paymentIntentId!);
    // The customer confirms on their phone three minutes later.
    emulator.advanceClock(180);
    await authenticate(pi.id);
    await a.sync();
    await b.sync();
    const c = await freshStation('Replacement laptop');
    await c.sync();
    const placed = pi.created * 1000;
    for (const h of [a, b, c]) {
      const { rows } = await h.call('orders:list', { query: customer.name }, 'manager');
      expect(rows).toHaveLength(1);
      expect(rows[0]!.createdAt).toBe(placed);
      expect((await h.call('orders:get', { orderId: rows[0]!.id }, 'manager')).createdAt).toBe(placed);
    }
  });
});

describe('payments in progress (item 5)', () => {
  it('a payment waiting for 3D Secure is listed at every station, with its link, and either can cancel it', async () => {
    await a.sync();
    const asked = await pay(a, [{ sku: 'TEA-EARL-100', quantity: 2 }], 'pm_card_threeDSecure2Required');
    expect(asked.phase).toBe('authenticating');
    await b.sync();
    const atA = await a.call('payments:inProgress', {}, 'staff');
    const atB = await b.call('payments:inProgress', {}, 'staff');
    expect(atA).toHaveLength(1);
    expect(atA[0]).toMatchObject({
      paymentIntentId: asked.paymentIntentId,
      cartId: asked.id,
      orderNumber: asked.orderNumber,
      customerName: customer.name,
      itemCount: 2,
      amount: asked.total,
      state: 'authenticating',
      secureLink: asked.authenticationUrl,
      stationName: 'Front desk',
    });
    // The other desk has no cart for it, and the same payment, link and all.
    expect(atB).toEqual([{ ...atA[0], cartId: null }]);
    // Not an order yet, anywhere.
    expect((await b.call('orders:list', { query: customer.name }, 'staff')).rows).toHaveLength(0);

    // The packing desk cancels it (the customer changed their mind): Stripe is told, the front desk's cart follows.
    expect(
      await b.call('payments:cancelInProgress', { paymentIntentId: asked.paymentIntentId! }, 'staff'),
    ).toEqual([]);
    expect((await a.stripe.paymentIntents.retrieve(asked.paymentIntentId!)).status).toBe('canceled');
    await a.sync();
    expect(await a.call('payments:inProgress', {}, 'staff')).toEqual([]);
    expect((await a.call('carts:get', { cartId: asked.id }, 'staff')).status).toBe('canceled');
    // Pressing Cancel again at the front desk (a stale screen) sends nothing and says nothing is left.
    expect(
      await a.call('payments:cancelInProgress', { paymentIntentId: asked.paymentIntentId! }, 'staff'),
    ).toEqual([]);
  });

  it('a declined card is listed as waiting for another card; paid meanwhile, a cancel is refused and it is an order', async () => {
    await a.sync();
    const declined = await pay(
      a,
      [{ sku: 'TEA-EARL-100', quantity: 1 }],
      'pm_card_visa_chargeDeclined',
      'Dee Clined',
    );
    expect(declined.lastDecline).not.toBeNull();
    await b.sync();
    const [atB] = await b.call('payments:inProgress', {}, 'staff');
    expect(atB).toMatchObject({
      customerName: 'Dee Clined',
      state: 'declined',
      secureLink: null,
      cartId: null,
    });
    // The front desk takes another card; the packing desk's screen is a moment behind.
    const paid = await a.call(
      'payments:pay',
      { cartId: declined.id, paymentMethod: 'pm_card_visa' },
      'staff',
    );
    expect(paid.phase).toBe('succeeded');
    await expect(
      b.call('payments:cancelInProgress', { paymentIntentId: declined.paymentIntentId! }, 'staff'),
    ).rejects.toThrow(/paid meanwhile/);
    expect((await b.stripe.paymentIntents.retrieve(declined.paymentIntentId!)).status).toBe('succeeded');
    await b.sync();
    expect(await b.call('payments:inProgress', {}, 'staff')).toEqual([]);
    expect((await b.call('orders:list', { query: 'Dee Clined' }, 'staff')).rows).toHaveLength(1);
  });
});

async function holdFor(h: Harness, items: { sku: string; quantity: number }[], name: string) {
  const held = await pay(h, items, 'pm_card_visa', name);
  expect(held.phase).toBe('on_hold');
  return held;
}

async function openHold(h: Harness, piId: string) {
  await h.sync();
  const hold = (await h.call('holds:list', { include: 'open' })).find((x) => x.paymentIntentId === piId);
  if (!hold) throw new Error(`no open hold ${piId}`);
  return hold;
}

async function orderOf(h: Harness, name: string) {
  const { rows } = await h.call('orders:list', { query: name }, 'manager');
  expect(rows).toHaveLength(1);
  return h.call('orders:get', { orderId: rows[0]!.id }, 'manager');
}

describe('the money actions of every station, the CSV and "held" (items 7, 9, 11)', () => {
  it('read the same at both stations and at a rebuilt one: who, which station, when, how much', async () => {
    await a.sync();
    // At the front desk: three waitlist orders (the kettle is out of stock) and one paid order.
    const byLines = await holdFor(
      a,
      [
        { sku: 'TEA-EARL-100', quantity: 1 },
        { sku: 'KET-GOOSE-1', quantity: 1 },
      ],
      'Lina Lines',
    );
    const toRelease = await holdFor(a, [{ sku: 'KET-GOOSE-1', quantity: 1 }], 'Rory Release');
    const waiting = await holdFor(a, [{ sku: 'KET-GOOSE-1', quantity: 1 }], 'Wes Waiting');
    const paid = await pay(a, [{ sku: 'TEA-EARL-100', quantity: 2 }], 'pm_card_visa', 'Cal Cancel');
    expect(paid.phase).toBe('succeeded');

    // At the packing desk, a manager captures the tea that is in stock, releases a hold and refunds $5.
    const h1 = await openHold(b, byLines.paymentIntentId!);
    await b.call('holds:capture', {
      paymentIntentId: h1.paymentIntentId,
      amount: 1250,
      version: h1.version,
      pin: '2468',
      lines: [
        { sku: 'TEA-EARL-100', quantity: 1 },
        { sku: 'KET-GOOSE-1', quantity: 0 },
      ],
    });
    const h2 = await openHold(b, toRelease.paymentIntentId!);
    await b.call('holds:release', { paymentIntentId: h2.paymentIntentId, version: h2.version, pin: '2468' });
    const cal = await orderOf(b, 'Cal Cancel');
    await b.call('orders:refund', { orderId: cal.id, amount: 500, expectedRefunded: 0, pin: '2468' });
    // Back at the front desk, a manager cancels the paid order (the rest is refunded).
    await a.sync();
    await a.call('orders:cancel', {
      orderId: cal.id,
      reason: 'customer_request',
      note: 'changed their mind',
      expectedRefunded: 500,
      pin: '2468',
    });

    await Promise.all([a.sync(), b.sync()]);
    const c = await freshStation('Replacement laptop');
    await c.sync();
    const [atA, atB, atC] = [
      await a.call('audit:moneyActions', {}),
      await b.call('audit:moneyActions', {}),
      await c.call('audit:moneyActions', {}),
    ];
    const view = (l: typeof atA) =>
      l.map((x) => [x.kind, x.customerName, x.amount, x.who, x.by, x.station, x.at !== null]).sort();
    expect(view(atA)).toEqual(
      [
        ['captured', 'Lina Lines', 1250, 'person', 'Morgan Manager', 'Packing', true],
        ['released', 'Rory Release', 8900, 'person', 'Morgan Manager', 'Packing', true],
        ['refunded', 'Cal Cancel', 500, 'person', 'Morgan Manager', 'Packing', true],
        ['cancelled', 'Cal Cancel', 2500, 'person', 'Morgan Manager', 'Front desk', true],
        ['refunded', 'Cal Cancel', 2000, 'person', 'Morgan Manager', 'Front desk', true],
      ].sort(),
    );
    expect(atB).toEqual(atA);
    expect(atC).toEqual(atA);
    // Staff don't see them.
    await expect(b.call('audit:moneyActions', {}, 'staff')).rejects.toThrow();
    // The capture's time is Stripe's (the same everywhere), not a station's clock (the packing desk's is 4 min fast).
    const captured = atA.find((x) => x.kind === 'captured')!;
    expect(Math.abs(captured.at! - emulator.now())).toBeLessThan(60_000);

    // "held" only where something is held: the released hold let its whole amount go.
    const rory = await orderOf(b, 'Rory Release');
    expect(rory.paymentState).toBe('canceled');
    expect(rory.ledger).toMatchObject({ authorized: 8900, captured: 0, released: 8900 });
    const wes = await orderOf(b, 'Wes Waiting');
    expect(wes.ledger).toMatchObject({ authorized: 8900, captured: 0, released: 0 });

    // The CSV says what the screen and Stripe say, at every station.
    for (const h of [a, b, c]) {
      await h.call('auth:login', { name: 'Morgan Manager', pin: '2468' }, 'csv');
      const rows = csvRows((await h.call('orders:exportCsv', { layout: 'orders' }, 'csv')).csv);
      const row = (name: string) => rows.find((r) => r.Customer === name)!;
      expect(row('Lina Lines')).toMatchObject({
        Status: 'Received',
        Total: '12.50',
        Captured: '12.50',
        Refunded: '0.00',
      });
      expect(row('Rory Release')).toMatchObject({
        Status: 'Cancelled',
        Total: '0.00',
        Captured: '0.00',
        Payment: 'Cancelled (hold released)',
      });
      expect(row('Wes Waiting')).toMatchObject({
        Status: 'Awaiting stock',
        Total: '89.00',
        Captured: '0.00',
        Payment: 'Awaiting stock (card held)',
      });
      expect(row('Cal Cancel')).toMatchObject({
        Status: 'Cancelled',
        Total: '25.00',
        Captured: '25.00',
        Refunded: '25.00',
        Payment: 'Refunded',
      });
    }
    void waiting;
  });
});

/** A cart for one kettle (out of stock): a waitlist order. */
async function waitlistCart(h: Harness, name: string) {
  const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
  const kettle = await productBySku(h, 'KET-GOOSE-1'); // out of stock
  return h.call(
    'carts:update',
    {
      cartId: cart.id,
      customer: { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com` },
      lines: [{ productId: kettle.id, quantity: 1 }],
    },
    'staff',
  );
}

describe('"held" only where money is held (item 9)', () => {
  const DAY = 24 * 3600;

  it('a saved card waiting, a hold that lapsed onto its saved card, and a hold that lapsed read so everywhere', async () => {
    await a.sync();
    // A saved card, charged on arrival: nothing is held.
    const saving = await waitlistCart(a, 'Sally Saved');
    const terms = await a.call(
      'waitlist:options',
      { cartId: saving.id, expectedArrival: '2027-03-15' },
      'staff',
    );
    const saved = await a.call(
      'payments:pay',
      {
        cartId: saving.id,
        paymentMethod: 'pm_card_visa',
        waitlist: 'save_card',
        consentText: terms.terms.saveCard,
        expectedArrival: '2027-03-15',
      },
      'staff',
    );
    expect(saved.phase).toBe('card_saved');
    // A hold that also saves the card, and a plain hold.
    const both = await waitlistCart(a, 'Hal Holdcard');
    const bothTerms = await a.call('waitlist:options', { cartId: both.id }, 'staff');
    const holdCard = await a.call(
      'payments:pay',
      {
        cartId: both.id,
        paymentMethod: 'pm_card_visa',
        waitlist: 'hold',
        saveCard: true,
        consentText: bothTerms.terms.holdAndSave,
      },
      'staff',
    );
    expect(holdCard.phase).toBe('on_hold');
    const plain = await holdFor(a, [{ sku: 'KET-GOOSE-1', quantity: 1 }], 'Lou Lapsed');

    await b.sync();
    const sally = await orderOf(b, 'Sally Saved');
    expect(sally).toMatchObject({ paymentState: 'authorized', cardWait: 'waiting' });
    expect(sally.ledger).toMatchObject({ authorized: 0, captured: 0, released: 0 });

    // A week later both holds have lapsed at the bank.
    emulator.advanceClock(8 * DAY);
    // Before Stripe's events arrive, the packing desk already holds nothing: the deadline passed on Stripe's clock.
    const early = (await b.call('orders:list', { query: 'Lou Lapsed' }, 'manager')).rows[0]!;
    expect(early).toMatchObject({ paymentState: 'authorized', holdLapsed: true });
    const earlyDetail = await b.call('orders:get', { orderId: early.id }, 'manager');
    expect(earlyDetail.holdLapsed).toBe(true);
    expect(earlyDetail.paymentNote).toMatch(/^The hold lapsed on .*nothing is held/);
    await Promise.all([a.sync(), b.sync()]);
    const hal = await orderOf(b, 'Hal Holdcard');
    // Its order waits on the saved card now: nothing held, the lapsed hold all released.
    expect(hal).toMatchObject({ paymentState: 'authorized', cardWait: 'waiting' });
    expect(hal.ledger).toMatchObject({ authorized: 8900, captured: 0, released: 8900 });
    const lou = await orderOf(b, 'Lou Lapsed');
    expect(lou.paymentState).toBe('canceled');
    expect(lou.ledger).toMatchObject({ authorized: 8900, captured: 0, released: 8900 });

    const rows = csvRows((await b.call('orders:exportCsv', { layout: 'orders' })).csv);
    const row = (name: string) => rows.find((r) => r.Customer === name)!;
    expect(row('Sally Saved')).toMatchObject({
      Status: 'Awaiting stock',
      Payment: 'Awaiting stock (card saved)',
    });
    expect(row('Hal Holdcard')).toMatchObject({
      Status: 'Awaiting stock',
      Payment: 'Awaiting stock (card saved)',
    });
    expect(row('Lou Lapsed')).toMatchObject({
      Status: 'Cancelled',
      Total: '0.00',
      Payment: 'Cancelled (hold lapsed)',
    });
    // The lapses are Stripe's doing, at their deadlines, in the money actions of both stations.
    const lapsed = (await b.call('audit:moneyActions', {})).filter((x) => x.kind === 'lapsed');
    expect(lapsed.map((x) => [x.customerName, x.amount, x.who, x.by, x.at !== null]).sort()).toEqual([
      ['Hal Holdcard', 8900, 'stripe', null, true],
      ['Lou Lapsed', 8900, 'stripe', null, true],
    ]);
    expect(await a.call('audit:moneyActions', {})).toEqual(await b.call('audit:moneyActions', {}));

    // The kettles arrive; the packing desk charges the saved card: the order keeps the time it was placed.
    const kettle = await productBySku(b, 'KET-GOOSE-1');
    await b.stripe.products.update(kettle.id, {
      metadata: { stock: '5', stock_counted_at: String(Math.floor(emulator.now() / 1000)) },
    });
    await b.sync();
    const charged = await b.call('waitlist:chargeSaved', { cartId: both.id, pin: '2468' });
    expect(charged.state).toBe('paid');
    await Promise.all([a.sync(), b.sync()]);
    const placed = (await b.stripe.paymentIntents.retrieve(holdCard.paymentIntentId!)).created * 1000;
    for (const h of [a, b]) {
      const o = await orderOf(h, 'Hal Holdcard');
      expect(o.paymentIntentId).toBe(charged.paymentIntentId);
      expect(o.createdAt).toBe(placed);
    }
    // Who charged it, where: in both stations' money actions, from Stripe.
    const chargedAt = await a.call('audit:moneyActions', {});
    expect(
      chargedAt
        .filter((x) => x.kind === 'charged_saved_card')
        .map((x) => [x.customerName, x.amount, x.by, x.station]),
    ).toEqual([['Hal Holdcard', 8900, 'Morgan Manager', 'Packing']]);
    expect(await b.call('audit:moneyActions', {})).toEqual(chargedAt);
    void plain;
  });
});

describe('who did each money action (item 7): a person, the customer, Stripe or the Dashboard — never "not recorded"', () => {
  async function savedCardOrder(h: Harness, name: string, card: string) {
    const cart = await waitlistCart(h, name);
    const terms = await h.call(
      'waitlist:options',
      { cartId: cart.id, expectedArrival: '2027-03-15' },
      'staff',
    );
    const saved = await h.call(
      'payments:pay',
      {
        cartId: cart.id,
        paymentMethod: card,
        waitlist: 'save_card',
        consentText: terms.terms.saveCard,
        expectedArrival: '2027-03-15',
      },
      'staff',
    );
    // A card whose bank asks for 3D Secure when it is saved: the customer passes it on the phone.
    if (saved.phase !== 'card_saved') await h.call('payments:authenticate', { cartId: cart.id }, 'staff');
    return cart;
  }

  /** A hold that also saves the card: a hold that lapses or is released keeping it is charged on arrival. */
  async function holdAndSaveCard(h: Harness, name: string) {
    const cart = await waitlistCart(h, name);
    const terms = await h.call('waitlist:options', { cartId: cart.id }, 'staff');
    const held = await h.call(
      'payments:pay',
      {
        cartId: cart.id,
        paymentMethod: 'pm_card_visa',
        waitlist: 'hold',
        saveCard: true,
        consentText: terms.terms.holdAndSave,
      },
      'staff',
    );
    expect(held.phase).toBe('on_hold');
    return { cart, held };
  }

  async function kettlesArrive(h: Harness) {
    const kettle = await productBySku(h, 'KET-GOOSE-1');
    await h.stripe.products.update(kettle.id, {
      metadata: { stock: '10', stock_counted_at: String(Math.floor(emulator.now() / 1000)) },
    });
    await h.sync();
  }

  const view = (l: Awaited<ReturnType<typeof a.call<'audit:moneyActions'>>>) =>
    l.map((x) => [x.kind, x.customerName, x.amount, x.who, x.by, x.station, x.detail, x.at !== null]).sort();

  it('a release keeping the card, the charge on arrival, a link the customer paid by, a card taken on the phone, a cancel before any charge', async () => {
    await a.sync();
    // A hold that also saved the card; released at the packing desk keeping the card (the customer asked).
    const { cart: both, held } = await holdAndSaveCard(a, 'Kim Keep');
    const linked = await savedCardOrder(a, 'Lee Link', 'pm_card_authenticationRequired');
    const phoned = await savedCardOrder(
      a,
      'Pat Phone',
      'pm_card_authenticationRequiredChargeDeclinedInsufficientFunds',
    );
    await savedCardOrder(a, 'Nell Never', 'pm_card_visa');

    const hold = await openHold(b, held.paymentIntentId!);
    await b.call('holds:release', {
      paymentIntentId: hold.paymentIntentId,
      version: hold.version,
      pin: '2468',
      keepCard: true,
    });
    // Nell no longer wants it: cancelled at the packing desk before her card was ever charged.
    await b.call('orders:cancel', {
      orderId: (await orderOf(b, 'Nell Never')).id,
      reason: 'customer_request',
      note: '',
      expectedRefunded: 0,
      pin: '2468',
    });

    // The kettles arrive. The packing desk charges the saved cards; two banks want the customer.
    await kettlesArrive(b);
    expect((await b.call('waitlist:chargeSaved', { cartId: both.id, pin: '2468' })).state).toBe('paid');
    expect((await b.call('waitlist:chargeSaved', { cartId: linked.id, pin: '2468' })).state).toBe(
      'action_needed',
    );
    expect((await b.call('waitlist:chargeSaved', { cartId: phoned.id, pin: '2468' })).state).toBe(
      'action_needed',
    );
    // At the front desk Sam sends Lee a link, and Lee pays through it; Pat gives another card on the phone.
    await a.sync();
    const link = await a.call('waitlist:payLink', { cartId: linked.id }, 'staff');
    const done = await fetch(link.payLink!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=succeed',
      redirect: 'manual',
    });
    expect(done.status).toBe(303);
    expect(
      (await a.call('waitlist:payByPhone', { cartId: phoned.id, paymentMethod: 'pm_card_visa' }, 'staff'))
        .state,
    ).toBe('paid');

    await Promise.all([a.sync(), b.sync()]);
    const c = await freshStation('Replacement laptop');
    await c.sync();
    const [atA, atB, atC] = [
      await a.call('audit:moneyActions', {}),
      await b.call('audit:moneyActions', {}),
      await c.call('audit:moneyActions', {}),
    ];
    expect(view(atA)).toEqual(
      [
        [
          'released',
          'Kim Keep',
          8900,
          'person',
          'Morgan Manager',
          'Packing',
          'the card is kept, charged on arrival',
          true,
        ],
        ['charged_saved_card', 'Kim Keep', 8900, 'person', 'Morgan Manager', 'Packing', null, true],
        ['charged_saved_card', 'Lee Link', 8900, 'customer', 'Sam Staff', 'Front desk', null, true],
        [
          'charged_saved_card',
          'Pat Phone',
          8900,
          'person',
          'Sam Staff',
          'Front desk',
          'another card, taken on the phone',
          true,
        ],
        ['cancelled', 'Nell Never', 8900, 'person', 'Morgan Manager', 'Packing', 'the customer asked', true],
      ].sort(),
    );
    expect(atB).toEqual(atA);
    expect(atC).toEqual(atA);
    // Each action's order is named, a released hold's too (its order continued on another PaymentIntent).
    expect(atA.every((x) => x.orderNumber !== null)).toBe(true);
    // Times are Stripe's: the packing desk's clock is four minutes fast.
    for (const x of atA) expect(Math.abs(x.at! - emulator.now())).toBeLessThan(60_000);
  });

  it('a hold that lapsed onto its saved card, then its order cancelled: the bank’s lapse and the manager’s cancel', async () => {
    await a.sync();
    await holdAndSaveCard(a, 'Lana Lapsed');
    emulator.advanceClock(8 * 24 * 3600);
    await b.sync();
    await b.call('orders:cancel', {
      orderId: (await orderOf(b, 'Lana Lapsed')).id,
      reason: 'out_of_stock',
      note: '',
      expectedRefunded: 0,
      pin: '2468',
    });
    await Promise.all([a.sync(), b.sync()]);
    const c = await freshStation('Replacement laptop');
    await c.sync();
    const atB = await b.call('audit:moneyActions', {});
    expect(view(atB)).toEqual(
      [
        ['lapsed', 'Lana Lapsed', 8900, 'stripe', null, null, 'the bank let the authorization lapse', true],
        ['cancelled', 'Lana Lapsed', 8900, 'person', 'Morgan Manager', 'Packing', 'we can’t supply it', true],
      ].sort(),
    );
    // The cancel is the later of the two, on Stripe's clock.
    expect(atB.map((x) => x.kind)).toEqual(['cancelled', 'lapsed']);
    expect(await a.call('audit:moneyActions', {})).toEqual(atB);
    expect(await c.call('audit:moneyActions', {})).toEqual(atB);
  });

  it('what was done in Stripe’s Dashboard says so, at both stations and a rebuilt one', async () => {
    await a.sync();
    const captured = await holdFor(a, [{ sku: 'KET-GOOSE-1', quantity: 1 }], 'Dot Dashboard');
    const released = await holdFor(a, [{ sku: 'KET-GOOSE-1', quantity: 1 }], 'Rae Released');
    const paid = await pay(a, [{ sku: 'TEA-EARL-100', quantity: 2 }], 'pm_card_visa', 'Ray Refund');
    const saved = await savedCardOrder(a, 'Sid Saved', 'pm_card_visa');
    const savedPi = (await a.call('waitlist:list', {})).find((w) => w.cartId === saved.id)!.paymentIntentId;
    // A checkout that would save the card, given up at the bank's page by staff: no order, no money action.
    const givenUp = await waitlistCart(a, 'Gil Givenup');
    const givenUpTerms = await a.call('waitlist:options', { cartId: givenUp.id }, 'staff');
    const asked = await a.call(
      'payments:pay',
      {
        cartId: givenUp.id,
        paymentMethod: 'pm_card_authenticationRequiredOnSetup',
        waitlist: 'save_card',
        consentText: givenUpTerms.terms.saveCard,
      },
      'staff',
    );
    expect(asked.phase).not.toBe('card_saved');
    await a.call('payments:cancelInProgress', { paymentIntentId: asked.paymentIntentId! }, 'staff');
    expect((await a.stripe.paymentIntents.retrieve(asked.paymentIntentId!)).status).toBe('canceled');
    // Someone uses Stripe's Dashboard: a capture, a cancel and a refund, with nothing of ours on them.
    await a.stripe.paymentIntents.capture(captured.paymentIntentId!, { amount_to_capture: 5000 });
    await a.stripe.paymentIntents.cancel(released.paymentIntentId!);
    await a.stripe.refunds.create({ payment_intent: paid.paymentIntentId!, amount: 700 });
    await a.stripe.paymentIntents.cancel(savedPi, { cancellation_reason: 'abandoned' });
    await Promise.all([a.sync(), b.sync()]);
    const c = await freshStation('Replacement laptop');
    await c.sync();
    const atA = await a.call('audit:moneyActions', {});
    expect(view(atA)).toEqual(
      [
        ['captured', 'Dot Dashboard', 5000, 'dashboard', null, null, '$39.00 released', true],
        ['released', 'Rae Released', 8900, 'dashboard', null, null, null, true],
        ['refunded', 'Ray Refund', 700, 'dashboard', null, null, null, true],
        ['cancelled', 'Sid Saved', 8900, 'dashboard', null, null, 'abandoned', true],
      ].sort(),
    );
    // The saved-card order is named everywhere, though only the station that took it had it as an order.
    expect(atA.find((x) => x.customerName === 'Sid Saved')!.orderNumber).toMatch(/^A\d+$/);
    expect(await b.call('audit:moneyActions', {})).toEqual(atA);
    expect(await c.call('audit:moneyActions', {})).toEqual(atA);
  });
});
