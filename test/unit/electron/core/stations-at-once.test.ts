// Issue 19 — several stations at once, and a station that was away. Each behaviour is tested where it failed:
// the station's own guards (permissions, PIN lockout, the audit anchor, the data folder) on one station; the
// money actions on two or three stations of one emulator, with the clock moved where it matters.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, readyCart, product, MANAGER_PIN, type Harness } from '../../../helpers/core-harness';
import { startEmulator, type RunningEmulator } from '../../../../electron/emulator';
import { Journal } from '../../../../electron/core/stripe/journal';
import { lockoutMs, LOCKOUT_MS, LOCKOUT_MAX_MS } from '../../../../electron/core/auth/auth-service';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('a station’s own guards', () => {
  it('5. lets only a manager change a price or a stock count', async () => {
    const p = await h.call('products:save', {
      sku: 'MUG-1',
      name: 'Mug',
      unitAmount: 1200,
      currency: 'usd',
      stock: 10,
      active: true,
    });
    const edit = {
      id: p.id,
      sku: 'MUG-1',
      name: 'Mug',
      unitAmount: 100,
      currency: 'usd',
      stock: 999,
      active: true,
    };
    expect(await h.raw('products:save', edit, 'staff')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const r = await h.raw('products:save', { ...edit, id: undefined, sku: 'NEW-1' }, 'staff');
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const stripeProduct = await h.stripe.products.retrieve(p.id, { expand: ['default_price'] });
    expect(stripeProduct.metadata.stock).toBe('10');
    expect((stripeProduct.default_price as { unit_amount: number }).unit_amount).toBe(1200);
  });

  it('11. keeps the data folder private: 0700, its files 0600', () => {
    if (process.platform === 'win32') return;
    expect(statSync(h.dataDir).mode & 0o777).toBe(0o700);
    const files = readdirSync(h.dataDir).filter((f) => statSync(join(h.dataDir, f)).isFile());
    expect(files.some((f) => f.startsWith('console-'))).toBe(true);
    for (const f of files) expect([f, statSync(join(h.dataDir, f)).mode & 0o777]).toEqual([f, 0o600]);
  });

  it('12. makes each lockout in a row twice as long, up to a day, and says so in the audit log', async () => {
    expect([1, 2, 3, 4].map(lockoutMs)).toEqual([1, 2, 4, 8].map((x) => x * LOCKOUT_MS));
    expect(lockoutMs(40)).toBe(LOCKOUT_MAX_MS);
    const wrong = async () =>
      h.raw('auth:login', { name: 'Sam Staff', pin: '0000' }, 'guesser') as Promise<{
        ok: boolean;
        error?: { code: string; message: string };
      }>;
    for (let i = 0; i < 5; i++) expect((await wrong()).ok).toBe(false);
    expect((await wrong()).error).toMatchObject({ code: 'locked', message: /5 more minutes/ });
    // Wait out the first lockout (Stripe's clock and the station's move together here): the next five lock 10 min.
    h.emulator.advanceClock(5 * 60 + 1);
    for (let i = 0; i < 5; i++) expect((await wrong()).error?.code).toBe('bad_pin');
    expect((await wrong()).error).toMatchObject({ code: 'locked', message: /10 more minutes/ });
    const log = await h.call('audit:list', { action: 'user.locked', limit: 10 });
    expect(log.map((e) => (e.after as { minutes: number; lockouts: number }).minutes)).toEqual([10, 5]);
    // A right PIN (after the lock) starts the ladder again.
    h.emulator.advanceClock(10 * 60 + 1);
    await h.call('auth:login', { name: 'Sam Staff', pin: '1357' }, 'guesser');
    for (let i = 0; i < 5; i++) await wrong();
    expect((await wrong()).error?.message).toMatch(/5 more minutes/);
  });

  it('13. finds entries deleted from the end of the audit log', async () => {
    const cart = await readyCart(h, [{ sku: 'TEA-1', unitAmount: 1250, stock: 50, quantity: 1 }]);
    await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    const before = await h.call('audit:verify', {});
    expect(before).toMatchObject({ ok: true, brokenAt: null });
    expect(before.entries).toBeGreaterThan(2);
    h.services.db.exec('DROP TRIGGER audit_no_delete');
    h.services.db.prepare('DELETE FROM audit_log WHERE seq >= ?').run(before.entries - 1);
    const after = await h.call('audit:verify', {});
    expect(after).toMatchObject({ ok: false, entries: before.entries - 2 });
    expect(after.brokenAt).toBe(before.entries - 1);
    // Rewriting the anchor to the shorter chain needs the station's key: a hand-made seal is refused.
    h.services.db
      .prepare(
        `UPDATE audit_anchor SET seq = ?, hash = (SELECT hash FROM audit_log WHERE seq = ?), seal = ? WHERE id = 1`,
      )
      .run(before.entries - 2, before.entries - 2, '00'.repeat(32));
    expect((await h.call('audit:verify', {})).ok).toBe(false);
  });
});

// ------------------------------------------------------------------ two stations on one emulator
describe('two stations at once', () => {
  const DAY = 86_400;
  let emulator: RunningEmulator;
  let a: Harness;
  let b: Harness;
  beforeEach(async () => {
    emulator = await startEmulator({ port: 0 });
    [a, b] = await Promise.all([
      startHarness({ emulator, station: 'Front desk' }),
      startHarness({ emulator, station: 'Packing' }),
    ]);
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
    await emulator.close();
  });

  const customer = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000' };

  async function cartOf(
    x: Harness,
    lines: { sku: string; price: number; stock: number; quantity: number }[],
    extra = {},
  ) {
    const items = [];
    for (const l of lines)
      items.push({ productId: (await product(x, l.sku, l.price, l.stock)).id, quantity: l.quantity });
    const cart = await x.call('carts:create', { currency: 'usd' }, 'staff');
    return x.call('carts:update', { cartId: cart.id, customer, lines: items, ...extra }, 'staff');
  }

  async function holdAndSave(x: Harness) {
    const cart = await cartOf(x, [
      { sku: 'PHONE-X', price: 64_900, stock: 0, quantity: 1 },
      { sku: 'CASE-X', price: 2_500, stock: 10, quantity: 1 },
    ]);
    const options = await x.call('waitlist:options', { cartId: cart.id }, 'staff');
    const held = await x.call(
      'payments:pay',
      {
        cartId: cart.id,
        paymentMethod: 'pm_card_visa',
        waitlist: 'hold',
        saveCard: true,
        consentText: options.terms.holdAndSave,
      },
      'staff',
    );
    expect(held.phase).toBe('on_hold');
    return { cart, held };
  }

  async function stockOf(x: Harness, sku: string) {
    await x.sync();
    return (await x.call('catalog:list', { query: sku, include: 'all', limit: 5 })).find(
      (i) => i.sku === sku,
    )!;
  }

  it('1. a released hold is over at every station: its saved card is never charged; “keep the card” keeps it', async () => {
    const { cart, held } = await holdAndSave(a);
    const [hold] = await a.call('holds:list', { include: 'open' });
    expect(hold).toMatchObject({ savesCard: true });
    await a.call('holds:release', {
      paymentIntentId: held.paymentIntentId!,
      version: hold!.version,
      pin: MANAGER_PIN,
    });
    for (const x of [a, b]) {
      await x.sync();
      expect(await x.call('waitlist:list', {})).toEqual([]);
      const charge = await x.raw('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN });
      expect(charge.ok).toBe(false);
    }
    expect(
      (await a.stripe.paymentIntents.list({ limit: 10 })).data.filter((p) => p.status === 'succeeded'),
    ).toEqual([]);

    // The customer asked to be charged on arrival: the release keeps the card, and the order waits on it.
    const second = await holdAndSave(a);
    const open = (await a.call('holds:list', { include: 'open' }))[0]!;
    await a.call('holds:release', {
      paymentIntentId: second.held.paymentIntentId!,
      version: open.version,
      pin: MANAGER_PIN,
      keepCard: true,
    });
    await b.sync();
    expect((await b.call('waitlist:list', {})).map((w) => [w.cartId, w.state])).toEqual([
      [second.cart.id, 'waiting'],
    ]);
  });

  it('1. a waitlist order can be cancelled, held or waiting on its saved card, and nothing is charged after', async () => {
    // A hold that saved the card, lapsed: its order waits on the card; cancelling it ends the wait everywhere.
    const { cart, held } = await holdAndSave(a);
    emulator.advanceClock(8 * DAY);
    await Promise.all([a.sync(), b.sync()]);
    expect((await b.call('waitlist:list', {})).map((w) => w.state)).toEqual(['waiting']);
    const order = (await b.call('orders:list', { query: held.orderNumber! })).rows[0]!;
    const extras = await b.call('orders:extras', { orderId: order.id });
    expect(extras.cancelBlocked).toBeNull();
    await b.call('orders:cancel', {
      orderId: order.id,
      reason: 'customer_request',
      expectedRefunded: 0,
      pin: MANAGER_PIN,
    });
    for (const x of [a, b]) {
      await x.sync();
      expect(await x.call('waitlist:list', {})).toEqual([]);
      expect((await x.raw('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN })).ok).toBe(false);
      expect((await x.call('orders:extras', { orderId: order.id })).cancellation?.reason).toBe(
        'customer_request',
      );
    }
    // A hold still authorized: cancelling the order releases it.
    const second = await holdAndSave(a);
    await a.sync();
    const o2 = (await a.call('orders:list', { query: second.held.orderNumber! })).rows[0]!;
    await a.call('orders:cancel', {
      orderId: o2.id,
      reason: 'out_of_stock',
      expectedRefunded: 0,
      pin: MANAGER_PIN,
    });
    expect((await a.stripe.paymentIntents.retrieve(second.held.paymentIntentId!)).status).toBe('canceled');
    await b.sync();
    expect(await b.call('waitlist:list', {})).toEqual([]);
    const succeeded = (await a.stripe.paymentIntents.list({ limit: 100 })).data.filter(
      (p) => p.status === 'succeeded',
    );
    expect(succeeded).toEqual([]);
  });

  it('2. one order, one charge: a station away for more than a day does not charge an order charged elsewhere', async () => {
    const { cart, held } = await holdAndSave(a);
    await b.sync();
    emulator.advanceClock(8 * DAY); // the hold lapses; the order waits on its saved card
    await a.sync();
    await a.stripe.products.update((await product(a, 'PHONE-X', 64_900, 0)).id, {
      metadata: { stock: '3', stock_counted_at: String(Math.floor(emulator.now() / 1000)) },
    });
    await a.sync();
    const paid = await a.call('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN });
    expect(paid.state).toBe('paid');
    // Packing was switched off; Stripe forgets idempotency keys after 24 hours.
    emulator.advanceClock(2 * DAY);
    const again = await b.call('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN });
    expect(again.state).toBe('paid');
    const pis = (await a.stripe.paymentIntents.list({ limit: 100 })).data.filter(
      (p) => p.metadata.mc_root === held.paymentIntentId && p.status === 'succeeded',
    );
    expect(pis).toHaveLength(1);
    const charges = (await a.stripe.charges.list({ limit: 100 })).data.filter(
      (c) => c.status === 'succeeded' && c.captured,
    );
    expect(charges.filter((c) => c.payment_intent === pis[0]!.id)).toHaveLength(1);
  });

  it('3. the phone checkout refuses a card saved on a customer (the manager’s path only)', async () => {
    const { cart: heldCart, held } = await holdAndSave(a);
    const pi = await a.stripe.paymentIntents.retrieve(held.paymentIntentId!);
    const pm = pi.payment_method as string;
    // Nor the call-back path staff use for a new card.
    await b.sync();
    expect(
      await b.raw('waitlist:payByPhone', { cartId: heldCart.id, paymentMethod: pm, moto: false }, 'staff'),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await a.stripe.paymentMethods.retrieve(pm)).customer).toBeTruthy();
    const cart = await cartOf(b, [{ sku: 'CASE-X', price: 2_500, stock: 10, quantity: 1 }]);
    const r = await b.raw('payments:pay', { cartId: cart.id, paymentMethod: pm }, 'staff');
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: /saved on a customer/ } });
    expect(
      (await a.stripe.paymentIntents.list({ limit: 100 })).data.filter((p) => p.status === 'succeeded'),
    ).toEqual([]);
  });

  it('4. shipped and cancelled exclude each other; a true race is flagged and managers alerted once', async () => {
    const cart = await cartOf(a, [{ sku: 'MUG-1', price: 1_500, stock: 10, quantity: 2 }]);
    const paid = await a.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    await Promise.all([a.sync(), b.sync()]);
    const orderId = paid.orderId!;
    // The packing desk ships; the front desk, one sync behind, cancels: refused, nothing refunded.
    await b.call('orders:advance', { orderIds: [orderId], to: 'processing' }, 'staff');
    await b.call('orders:advance', { orderIds: [orderId], to: 'shipped' }, 'staff');
    const cancel = await a.raw('orders:cancel', {
      orderId,
      reason: 'customer_request',
      expectedRefunded: 0,
      pin: MANAGER_PIN,
    });
    expect(cancel).toMatchObject({ ok: false, error: { code: 'conflict', message: /was shipped/ } });
    expect(
      (await a.stripe.charges.list({ payment_intent: paid.paymentIntentId! })).data[0]!.amount_refunded,
    ).toBe(0);

    // The other way round: cancelled at the front desk, then the packing desk (behind) tries to ship.
    const cart2 = await cartOf(a, [{ sku: 'MUG-1', price: 1_500, stock: 10, quantity: 1 }]);
    const paid2 = await a.call('payments:pay', { cartId: cart2.id, paymentMethod: 'pm_card_visa' }, 'staff');
    await Promise.all([a.sync(), b.sync()]);
    await b.call('orders:advance', { orderIds: [paid2.orderId!], to: 'processing' }, 'staff');
    await a.sync();
    await a.call('orders:cancel', {
      orderId: paid2.orderId!,
      reason: 'customer_request',
      expectedRefunded: 0,
      pin: MANAGER_PIN,
    });
    const ship = await b.call('orders:advance', { orderIds: [paid2.orderId!], to: 'shipped' }, 'staff');
    expect(ship[0]).toMatchObject({ ok: false, message: /cancelled at another station/ });
    const ch2 = (await a.stripe.charges.list({ payment_intent: paid2.paymentIntentId! })).data[0]!;
    expect(ch2.metadata.mc_shipped).toBeUndefined();

    // A true race (both writes landed: here the Dashboard marks it shipped after the cancel): loud, and one alert.
    await a.stripe.charges.update(ch2.id, { metadata: { mc_shipped: 'Pat · Packing' } });
    b.events.length = 0;
    await b.sync();
    const detail = await b.call('orders:get', { orderId: paid2.orderId! });
    expect(detail.conflict).toMatch(/Shipped and cancelled/);
    await b.stripe.charges.update(ch2.id, { metadata: { mc_tracking: 'UPS|1Z' } });
    await b.sync();
    const alerts = b.events.filter((e) => e.event === 'orders:alerted');
    expect(alerts.filter((e) => JSON.stringify(e.payload).includes('order_conflict'))).toHaveLength(1);
  });

  it('6. stock is a sum of movements: deliveries at two stations at once all count; a cancel restocks once', async () => {
    const whisk = await product(a, 'WHISK-1', 1_800, 40);
    await Promise.all([a.sync(), b.sync()]);
    await Promise.all([
      a.call('catalog:receive', { productId: whisk.id, quantity: 10 }),
      b.call('catalog:receive', { productId: whisk.id, quantity: 5 }),
      b.call('catalog:receive', { productId: whisk.id, quantity: 3 }),
    ]);
    expect((await stockOf(a, 'WHISK-1')).onHand).toBe(58);
    expect((await stockOf(b, 'WHISK-1')).onHand).toBe(58);
    // A sale of 2, cancelled at the front desk: 56, then 58 again at both — not 60.
    const cart = await cartOf(a, [{ sku: 'WHISK-1', price: 1_800, stock: 40, quantity: 2 }]);
    const paid = await a.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect((await stockOf(b, 'WHISK-1')).onHand).toBe(56);
    await a.sync();
    await a.call('orders:cancel', {
      orderId: paid.orderId!,
      reason: 'customer_request',
      expectedRefunded: 0,
      pin: MANAGER_PIN,
    });
    for (const x of [a, b, a, b]) expect((await stockOf(x, 'WHISK-1')).onHand).toBe(58);
    // A recount starts over: the count is the shelf; deliveries after it count on top.
    await a.call('products:save', {
      id: whisk.id,
      sku: 'WHISK-1',
      name: whisk.name,
      unitAmount: 1_800,
      currency: 'usd',
      stock: 30,
      active: true,
    });
    await b.sync();
    await b.call('catalog:receive', { productId: whisk.id, quantity: 4 });
    for (const x of [a, b]) expect((await stockOf(x, 'WHISK-1')).onHand).toBe(34);
  });

  it('7. captured lines ride on the capture: a stale station’s capture by lines after a full one records nothing', async () => {
    const cart = await cartOf(
      a,
      [
        { sku: 'KETTLE-0', price: 1_800, stock: 0, quantity: 1 },
        { sku: 'TEA-1', price: 1_000, stock: 0, quantity: 1 },
      ],
      { delivery: 'collect', shippingFee: 500 },
    );
    const held = await a.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    await Promise.all([a.sync(), b.sync()]);
    const atB = (await b.call('holds:list', { include: 'open' }))[0]!;
    expect(atB.shippingFee).toBe(500);
    // By lines, the amount is the core's: the kettle and the shipping fee (the first capture takes it).
    const wrong = await b.raw('holds:capture', {
      paymentIntentId: held.paymentIntentId!,
      amount: 1_800,
      version: atB.version,
      pin: MANAGER_PIN,
      lines: [
        { sku: 'KETTLE-0', quantity: 1 },
        { sku: 'TEA-1', quantity: 0 },
      ],
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'conflict', message: /\$23\.00/ } });
    const atA = (await a.call('holds:list', { include: 'open' }))[0]!;
    await a.call('holds:capture', {
      paymentIntentId: held.paymentIntentId!,
      amount: atA.amountCapturable,
      version: atA.version,
      pin: MANAGER_PIN,
    });
    // Packing, one sync behind, captures by lines: Stripe refuses the second capture, and no lines are recorded.
    const stale = await b.raw('holds:capture', {
      paymentIntentId: held.paymentIntentId!,
      amount: 2_300,
      version: atB.version,
      pin: MANAGER_PIN,
      lines: [
        { sku: 'KETTLE-0', quantity: 1 },
        { sku: 'TEA-1', quantity: 0 },
      ],
    });
    expect(stale.ok).toBe(false);
    const pi = await a.stripe.paymentIntents.retrieve(held.paymentIntentId!);
    expect(pi.metadata.mc_cap).toBeUndefined();
    expect(pi.amount_received).toBe(3_300);
  });

  it('8. the emulator refuses metadata that would leave more than 50 keys on the object', async () => {
    const md = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    const c = await a.stripe.customers.create({ name: 'Keys', metadata: md });
    await expect(a.stripe.customers.update(c.id, { metadata: { one_more: 'v' } })).rejects.toMatchObject({
      statusCode: 400,
      type: 'StripeInvalidRequestError',
    });
    expect(
      Object.keys(((await a.stripe.customers.retrieve(c.id)) as { metadata: object }).metadata),
    ).toHaveLength(50);
    // Replacing a key (or removing one and adding another) is fine.
    await a.stripe.customers.update(c.id, { metadata: { k0: '', one_more: 'v' } });
  });

  it('9. a request with a character cut in half fails before it is sent — a failure, not an unknown outcome', async () => {
    const journal = new Journal({
      db: a.services.db,
      clock: { now: () => emulator.now() },
      ids: { id: (p) => `${p}_x`, uuid: () => 'u-1' },
    });
    const entry = journal.begin({
      operation: 'payment_intent.update',
      subject: 'cart_x',
      params: { description: 'tea \ud83c' },
      actor: 'Sam',
    });
    let sent = false;
    const outcome = await journal.attempt(entry, async () => {
      sent = true;
      throw new Error('unreachable');
    });
    expect(sent).toBe(false);
    expect(outcome).toMatchObject({ state: 'failed', failure: { kind: 'rejected', code: 'invalid_text' } });
  });
});
