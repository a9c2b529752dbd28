// Waitlist orders that wait longer than a card authorization lasts: the card is saved (with the customer's
// agreement, kept in Stripe) and charged off-session when the stock arrives — exactly once, whichever station
// presses Charge, and with "customer action needed" when the bank wants the customer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../electron/emulator';
import { MANAGER_PIN, STAFF_PIN, product, startHarness, type Harness } from '../../../helpers/core-harness';
import type { Cart } from '../../../../electron/ipc/contract';

const DAY = 86_400;
let emulator: RunningEmulator;
let h: Harness;
const extra: Harness[] = [];

beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
  h = await startHarness({ emulator, station: 'Front desk' });
});

afterEach(async () => {
  for (const x of [h, ...extra.splice(0)]) await x.close();
  await emulator.close();
});

const customer = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000' };

/** A cart for one phone that is out of stock (a waitlist line) and one case that is in stock. */
async function waitlistCart(x: Harness = h): Promise<Cart> {
  const phone = await product(x, 'PHONE-X', 64_900, 0);
  const cover = await product(x, 'CASE-X', 2_500, 10);
  const cart = await x.call('carts:create', { currency: 'usd' }, 'staff');
  return x.call(
    'carts:update',
    {
      cartId: cart.id,
      customer,
      lines: [
        { productId: phone.id, quantity: 1 },
        { productId: cover.id, quantity: 1 },
      ],
    },
    'staff',
  );
}

/** Staff read the terms out; the customer agrees; the card is saved. */
async function saveCard(
  cart: Cart,
  card = 'pm_card_visa',
  eta = '2027-03-15',
  x: Harness = h,
): Promise<Cart> {
  const options = await x.call('waitlist:options', { cartId: cart.id, expectedArrival: eta }, 'staff');
  return x.call(
    'payments:pay',
    {
      cartId: cart.id,
      paymentMethod: card,
      waitlist: 'save_card',
      consentText: options.terms.saveCard,
      expectedArrival: eta,
    },
    'staff',
  );
}

/** The stock arrives: counted in (written on the Stripe Product, as any station's count is), then synced. */
async function restock(x: Harness, sku: string, stock: number): Promise<void> {
  const p = await product(x, sku, 64_900, 0);
  await x.stripe.products.update(p.id, {
    metadata: { stock: String(stock), stock_counted_at: String(Math.floor(emulator.now() / 1000)) },
  });
  await x.sync();
  // On the shelf; what new orders may take is less by what the waiting orders are promised.
  const item = (await x.call('catalog:list', { query: sku, include: 'all', limit: 5 })).find(
    (i) => i.sku === sku,
  )!;
  expect(item.onHand).toBe(stock);
  expect(item.stock).toBe(Math.max(0, stock - item.committed));
}

async function chargesOf(x: Harness, piId: string): Promise<{ status: string; amount: number }[]> {
  return (await x.stripe.charges.list({ payment_intent: piId, limit: 100 })).data.map((c) => ({
    status: c.status,
    amount: c.amount,
  }));
}

describe('waitlist orders on a saved card', () => {
  it('suggests holding or saving from the expected arrival against the authorization window', async () => {
    const cart = await waitlistCart();
    const now = emulator.now();
    const soon = new Date(now + 3 * DAY * 1000).toISOString().slice(0, 10);
    const late = new Date(now + 14 * DAY * 1000).toISOString().slice(0, 10);
    const a = await h.call('waitlist:options', { cartId: cart.id, expectedArrival: soon }, 'staff');
    expect(a.suggested).toBe('hold');
    expect(a.authorizationDays).toBe(7);
    const b = await h.call('waitlist:options', { cartId: cart.id, expectedArrival: late }, 'staff');
    expect(b.suggested).toBe('save_card');
    expect(b.arrivalSource).toBe('staff');
    // What is read out names the amount, the items and that the card is charged when they arrive.
    expect(b.terms.saveCard).toContain('$674.00');
    expect(b.terms.saveCard).toContain('1 × Product PHONE-X');
    expect(b.terms.saveCard).toMatch(
      /charge \$674\.00 for .* when 1 × Product PHONE-X arrives \(expected around/,
    );
    // Without a date, the product's usual lead time is used (none here): a hold.
    const c = await h.call('waitlist:options', { cartId: cart.id }, 'staff');
    expect(c.expectedArrival).toBeNull();
    expect(c.suggested).toBe('hold');
  });

  it('refuses to save a card without the terms read out, or with terms that no longer match the order', async () => {
    const cart = await waitlistCart();
    const none = await h.raw(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_visa', waitlist: 'save_card' },
      'staff',
    );
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.error.code).toBe('precondition_failed');
    const stale = await h.raw(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_visa', waitlist: 'save_card', consentText: 'Do you agree?' },
      'staff',
    );
    expect(stale.ok).toBe(false);
    if (!stale.ok) expect(stale.error.code).toBe('conflict');
    expect((await h.stripe.setupIntents.list({ limit: 10 })).data).toHaveLength(0);
  });

  it('saves the card, keeps the agreement in Stripe, and charges it once when the stock arrives 10 days later', async () => {
    const cart = await waitlistCart();
    const saved = await saveCard(cart);
    expect(saved.phase).toBe('card_saved');
    expect(saved.status).toBe('on_hold');
    expect(saved.captureMethod).toBe('automatic');
    const piId = saved.paymentIntentId!;
    // Nothing was charged; the agreement is on the PaymentIntent and the SetupIntent, in Stripe.
    expect(await chargesOf(h, piId)).toEqual([]);
    const pi = await h.stripe.paymentIntents.retrieve(piId);
    expect(pi.status).toBe('requires_confirmation');
    expect(pi.metadata.mc_wait).toBe('card');
    expect(pi.metadata.mc_terms).toContain('when 1 × Product PHONE-X arrives');
    expect(pi.metadata.mc_agreed).toMatch(/^\d+\|2027-03-15\|Sam Staff$/);
    const [si] = (await h.stripe.setupIntents.list({ customer: pi.customer as string })).data;
    expect(si?.status).toBe('succeeded');
    expect(si?.metadata?.mc_pi).toBe(piId);
    expect(si?.metadata?.mc_terms).toBe(pi.metadata.mc_terms);
    // The customer has the card; the order waits on it, in the orders list like any waitlist order.
    const cards = await h.stripe.customers.listPaymentMethods(pi.customer as string);
    expect(cards.data.map((c) => c.card?.last4)).toEqual(['4242']);
    await h.sync();
    const [waiting] = await h.call('waitlist:list', {});
    expect(waiting).toMatchObject({
      cartId: cart.id,
      orderNumber: saved.orderNumber,
      state: 'waiting',
      amount: 67_400,
      stockArrived: false,
      card: { brand: 'visa', last4: '4242' },
    });
    expect(waiting?.agreement?.expectedArrival).toBe('2027-03-15');
    const list = await h.call('orders:list', {});
    expect(list.rows.map((r) => r.number)).toEqual([saved.orderNumber]);
    expect(list.rows[0]).toMatchObject({
      amountCaptured: 0,
      paymentState: 'authorized',
      cardWait: 'waiting',
    });
    const detail = await h.call('orders:get', { orderId: list.rows[0]!.id });
    expect(detail.paymentNote).toMatch(/card is saved and \$674\.00 is charged when the items arrive/);

    // Not before the stock is in.
    const early = await h.raw('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN });
    expect(early.ok).toBe(false);
    if (!early.ok) expect(early.error.message).toContain('Not in stock yet');

    emulator.advanceClock(10 * DAY);
    await restock(h, 'PHONE-X', 3);
    const charged = await h.call('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN });
    expect(charged.state).toBe('paid');
    expect(await chargesOf(h, piId)).toEqual([{ status: 'succeeded', amount: 67_400 }]);
    // Pressed again: nothing more.
    await h.call('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN });
    expect(await chargesOf(h, piId)).toHaveLength(1);
    await h.sync();
    expect(await h.call('waitlist:list', {})).toEqual([]);
    const order = await h.call('orders:get', { orderId: list.rows[0]!.id });
    expect(order.status).toBe('received');
    expect(order.amountCaptured).toBe(67_400);
    expect((await h.call('carts:get', { cartId: cart.id })).status).toBe('paid');
  });

  it('charges by lines, as for holds: the lines that arrived are charged, the rest is not', async () => {
    const phone = await product(h, 'PHONE-X', 64_900, 0);
    const tablet = await product(h, 'TAB-X', 30_000, 0);
    const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
    await h.call(
      'carts:update',
      {
        cartId: cart.id,
        customer,
        lines: [
          { productId: phone.id, quantity: 1 },
          { productId: tablet.id, quantity: 2 },
        ],
      },
      'staff',
    );
    const saved = await saveCard(await h.call('carts:get', { cartId: cart.id }, 'staff'));
    expect(saved.total).toBe(124_900);
    await restock(h, 'TAB-X', 2);
    const whole = await h.raw('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN });
    expect(whole.ok).toBe(false);
    const missing = await h.raw('waitlist:chargeSaved', {
      cartId: cart.id,
      pin: MANAGER_PIN,
      lines: [{ sku: 'PHONE-X', quantity: 1 }],
    });
    expect(missing.ok).toBe(false);
    const part = await h.call('waitlist:chargeSaved', {
      cartId: cart.id,
      pin: MANAGER_PIN,
      lines: [{ sku: 'TAB-X', quantity: 2 }],
    });
    expect(part.state).toBe('paid');
    expect(await chargesOf(h, saved.paymentIntentId!)).toEqual([{ status: 'succeeded', amount: 60_000 }]);
    await h.sync();
    const [row] = (await h.call('orders:list', {})).rows;
    const order = await h.call('orders:get', { orderId: row!.id });
    expect(order.lines.map((l) => [l.sku, l.quantity])).toEqual([['TAB-X', 2]]);
    expect(order.amountCaptured).toBe(60_000);
  });

  it('a card that needs authentication when it is saved: 3DS at setup, then charged off-session without it', async () => {
    const cart = await waitlistCart();
    const asked = await saveCard(cart, 'pm_card_authenticationRequiredOnSetup');
    expect(asked.phase).toBe('authenticating');
    expect(asked.authenticationUrl).toMatch(/\/_emulator\/3ds\/seti_/);
    const done = await h.call('payments:authenticate', { cartId: cart.id }, 'staff');
    expect(done.phase).toBe('card_saved');
    emulator.advanceClock(10 * DAY);
    await restock(h, 'PHONE-X', 1);
    const charged = await h.call('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN });
    expect(charged.state).toBe('paid');
    expect(await chargesOf(h, asked.paymentIntentId!)).toEqual([{ status: 'succeeded', amount: 67_400 }]);
  });

  it('an off-session charge the bank answers with authentication_required: customer action needed, then paid through the link', async () => {
    const cart = await waitlistCart();
    await saveCard(cart, 'pm_card_authenticationRequired');
    await h.call('payments:authenticate', { cartId: cart.id }, 'staff');
    await restock(h, 'PHONE-X', 1);
    const refused = await h.call('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN });
    expect(refused.state).toBe('action_needed');
    expect(refused.problem?.code).toBe('authentication_required');
    expect(refused.problem?.explanation).toMatch(/authenticate/);
    await h.sync();
    const [needing] = (await h.call('orders:list', {})).rows;
    expect(needing?.cardWait).toBe('action_needed');
    expect((await h.call('orders:get', { orderId: needing!.id })).paymentNote).toMatch(
      /Customer action needed/,
    );
    // Staff send the customer a link: the bank's page, for their own device.
    const link = await h.call('waitlist:payLink', { cartId: cart.id }, 'staff');
    expect(link.state).toBe('action_needed');
    expect(link.payLink).toContain(`/_emulator/3ds/${refused.paymentIntentId}`);
    const page = await fetch(link.payLink!);
    expect(await page.text()).toContain('Complete authentication');
    const done = await fetch(link.payLink!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=succeed',
      redirect: 'manual',
    });
    expect(done.status).toBe(303);
    // The console follows it to paid from Stripe's event.
    await h.sync();
    expect(await h.call('waitlist:list', {})).toEqual([]);
    const [row] = (await h.call('orders:list', {})).rows;
    expect(row?.amountCaptured).toBe(67_400);
    const charges = await chargesOf(h, refused.paymentIntentId);
    expect(charges.map((c) => c.status).sort()).toEqual(['failed', 'succeeded']);
  });

  it('a charge by lines the bank refuses leaves the order whole: its amount and lines as they were (issue 19 #7)', async () => {
    const cart = await waitlistCart();
    await saveCard(cart, 'pm_card_authenticationRequired');
    await h.call('payments:authenticate', { cartId: cart.id }, 'staff');
    // Only the case is in stock: charge just that line; the bank wants the customer.
    const refused = await h.call('waitlist:chargeSaved', {
      cartId: cart.id,
      pin: MANAGER_PIN,
      lines: [{ sku: 'CASE-X', quantity: 1 }],
    });
    expect(refused.state).toBe('action_needed');
    const pi = await h.stripe.paymentIntents.retrieve(refused.paymentIntentId);
    expect(pi.amount).toBe(67_400);
    expect(pi.metadata.mc_cap).toBeUndefined();
    expect(refused.amount).toBe(67_400);
    expect(refused.items.map((i) => i.sku).sort()).toEqual(['CASE-X', 'PHONE-X']);
    // The same lines again: narrowed again (a new request, not Stripe's replay of the first), never the whole order.
    const again = await h.call('waitlist:chargeSaved', {
      cartId: cart.id,
      pin: MANAGER_PIN,
      lines: [{ sku: 'CASE-X', quantity: 1 }],
    });
    expect(again.state).toBe('action_needed');
    expect((await chargesOf(h, refused.paymentIntentId)).map((c) => c.amount)).toEqual([2_500, 2_500]);
    expect((await h.stripe.paymentIntents.retrieve(refused.paymentIntentId)).amount).toBe(67_400);
  });

  it('a hold that also saved the card lapses; its card is charged later, as the same order', async () => {
    const cart = await waitlistCart();
    const options = await h.call('waitlist:options', { cartId: cart.id }, 'staff');
    const held = await h.call(
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
    const holdPi = await h.stripe.paymentIntents.retrieve(held.paymentIntentId!);
    expect(holdPi.setup_future_usage).toBe('off_session');
    expect(holdPi.metadata.mc_wait).toBe('hold_card');
    // The hold lapses (7 days); the order now waits on the saved card instead.
    emulator.advanceClock(8 * DAY);
    await h.sync();
    expect((await h.call('holds:list', { include: 'all' }))[0]?.status).toBe('expired');
    const [waiting] = await h.call('waitlist:list', {});
    expect(waiting).toMatchObject({
      state: 'waiting',
      orderNumber: held.orderNumber,
      card: { last4: '4242' },
    });
    await restock(h, 'PHONE-X', 2);
    const charged = await h.call('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN });
    expect(charged.state).toBe('paid');
    expect(charged.paymentIntentId).not.toBe(held.paymentIntentId);
    const later = await h.stripe.paymentIntents.retrieve(charged.paymentIntentId);
    expect(later.metadata.mc_root).toBe(held.paymentIntentId);
    expect(later.metadata.mc_order).toBe(held.orderNumber);
    expect(await chargesOf(h, later.id)).toEqual([{ status: 'succeeded', amount: 67_400 }]);
    await h.sync();
    // One order, paid, under the number the customer was given.
    const { rows } = await h.call('orders:list', {});
    expect(rows.map((r) => [r.number, r.paymentIntentId, r.amountCaptured])).toEqual([
      [held.orderNumber, later.id, 67_400],
    ]);
  });

  it('two stations charging the same saved-card order at once make one charge', async () => {
    const b = await startHarness({ emulator, station: 'Packing' });
    extra.push(b);
    const cart = await waitlistCart();
    const saved = await saveCard(cart);
    await restock(h, 'PHONE-X', 5);
    await b.sync();
    await h.sync();
    const [fromA, fromB] = await Promise.all([
      h.call('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN }),
      b.call('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN }),
    ]);
    expect(fromA.state).toBe('paid');
    expect(fromB.state).toBe('paid');
    expect(await chargesOf(h, saved.paymentIntentId!)).toEqual([{ status: 'succeeded', amount: 67_400 }]);
    const all = await h.stripe.paymentIntents.list({ limit: 100 });
    expect(all.data.filter((p) => p.metadata.cart_id === cart.id)).toHaveLength(1);
    await Promise.all([h.sync(), b.sync()]);
    const [la, lb] = [await h.call('orders:list', {}), await b.call('orders:list', {})];
    expect(lb.rows.map((r) => [r.number, r.amountCaptured])).toEqual(
      la.rows.map((r) => [r.number, r.amountCaptured]),
    );
  });

  it('staff cannot charge a saved card, nor can a wrong PIN', async () => {
    const cart = await waitlistCart();
    const saved = await saveCard(cart);
    await restock(h, 'PHONE-X', 5);
    const staff = await h.raw('waitlist:chargeSaved', { cartId: cart.id, pin: STAFF_PIN }, 'staff');
    expect(staff.ok).toBe(false);
    if (!staff.ok) expect(staff.error.code).toBe('forbidden');
    const wrong = await h.raw('waitlist:chargeSaved', { cartId: cart.id, pin: '9999' });
    expect(wrong.ok).toBe(false);
    expect(await chargesOf(h, saved.paymentIntentId!)).toEqual([]);
  });

  it('customer action needed, staff call back: another card taken on the phone pays the same order once', async () => {
    const cart = await waitlistCart();
    // Saves (with 3DS at setup), then the bank declines the off-session charge: insufficient funds.
    await saveCard(cart, 'pm_card_authenticationRequiredChargeDeclinedInsufficientFunds');
    const setUp = await h.call('payments:authenticate', { cartId: cart.id }, 'staff');
    expect(setUp.phase).toBe('card_saved');
    await restock(h, 'PHONE-X', 1);
    const refused = await h.call('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN });
    expect(refused.state).toBe('action_needed');
    expect(refused.problem?.declineCode).toBe('insufficient_funds');
    const piId = refused.paymentIntentId;
    expect(await chargesOf(h, piId)).toEqual([{ status: 'failed', amount: 67_400 }]);
    // Not for an order that is not waiting for the customer, and MOTO only where Settings allow it.
    const moto = await h.raw(
      'waitlist:payByPhone',
      { cartId: cart.id, paymentMethod: 'pm_card_visa', moto: true },
      'staff',
    );
    expect(moto.ok).toBe(false);
    if (!moto.ok) expect(moto.error.code).toBe('precondition_failed');
    // Staff call the customer back, who gives another card; it is declined too: the order still waits.
    const again = await h.call(
      'waitlist:payByPhone',
      { cartId: cart.id, paymentMethod: 'pm_card_visa_chargeDeclined' },
      'staff',
    );
    expect(again.state).toBe('action_needed');
    expect(again.paymentIntentId).toBe(piId);
    // A third card goes through, on the same PaymentIntent: one charge, the order paid and received.
    const paid = await h.call(
      'waitlist:payByPhone',
      { cartId: cart.id, paymentMethod: 'pm_card_visa' },
      'staff',
    );
    expect(paid.state).toBe('paid');
    expect(paid.paymentIntentId).toBe(piId);
    // Pressed again (or at another station): nothing more.
    await h.call('waitlist:payByPhone', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    await h.call('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN });
    const charges = await chargesOf(h, piId);
    expect(charges.filter((c) => c.status === 'succeeded')).toEqual([
      { status: 'succeeded', amount: 67_400 },
    ]);
    expect(charges.filter((c) => c.status === 'failed')).toHaveLength(2);
    const all = await h.stripe.paymentIntents.list({ limit: 100 });
    expect(all.data.filter((p) => p.metadata.cart_id === cart.id).map((p) => p.id)).toEqual([piId]);
    expect((await h.stripe.paymentIntents.retrieve(piId)).payment_method).not.toBe(
      (await h.stripe.setupIntents.list({ limit: 10 })).data[0]?.payment_method,
    );
    await h.sync();
    expect(await h.call('waitlist:list', {})).toEqual([]);
    const [row] = (await h.call('orders:list', {})).rows;
    const order = await h.call('orders:get', { orderId: row!.id });
    expect(order.status).toBe('received');
    expect(order.amountCaptured).toBe(67_400);
    expect(order.number).toBe(refused.orderNumber);
  });

  it('a card taken on the call back that asks for 3D Secure: the bank’s page here (or the link), then paid; MOTO when enabled', async () => {
    const cart = await waitlistCart();
    await saveCard(cart, 'pm_card_authenticationRequired');
    await h.call('payments:authenticate', { cartId: cart.id }, 'staff');
    await restock(h, 'PHONE-X', 1);
    const refused = await h.call('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN });
    expect(refused.problem?.code).toBe('authentication_required');
    const asked = await h.call(
      'waitlist:payByPhone',
      { cartId: cart.id, paymentMethod: 'pm_card_threeDSecure2Required' },
      'staff',
    );
    expect(asked.state).toBe('action_needed');
    expect(asked.payLink).toContain(`/_emulator/3ds/${refused.paymentIntentId}`);
    // The customer fails the bank's page in the console's window: still waiting, nothing charged.
    h.authOutcome = 'fail';
    const failed = await h.call('waitlist:authenticate', { cartId: cart.id }, 'staff');
    expect(failed.state).toBe('action_needed');
    expect((await chargesOf(h, refused.paymentIntentId)).filter((c) => c.status === 'succeeded')).toEqual([]);
    // MOTO, enabled in Settings: the card is charged without 3D Secure.
    await h.call('settings:update', { motoEnabled: true });
    const paid = await h.call(
      'waitlist:payByPhone',
      { cartId: cart.id, paymentMethod: 'pm_card_threeDSecure2Required', moto: true },
      'staff',
    );
    expect(paid.state).toBe('paid');
    const charges = await chargesOf(h, refused.paymentIntentId);
    expect(charges.filter((c) => c.status === 'succeeded')).toEqual([
      { status: 'succeeded', amount: 67_400 },
    ]);
  });

  it('a station rebuilt after more than 30 days away sees the same waiting orders and saved cards', async () => {
    const cart = await waitlistCart();
    const saved = await saveCard(cart);
    // A second order: a hold that also saved the card, for another customer, whose card is then removed.
    const tablet = await product(h, 'TAB-X', 30_000, 0);
    const other = await h.call('carts:create', { currency: 'usd' }, 'staff');
    await h.call(
      'carts:update',
      {
        cartId: other.id,
        customer: { name: 'Grace Hopper', email: 'grace@example.com', phone: '+44 20 7946 0001' },
        lines: [{ productId: tablet.id, quantity: 1 }],
      },
      'staff',
    );
    const options = await h.call('waitlist:options', { cartId: other.id }, 'staff');
    const held = await h.call(
      'payments:pay',
      {
        cartId: other.id,
        paymentMethod: 'pm_card_mastercard',
        waitlist: 'hold',
        saveCard: true,
        consentText: options.terms.holdAndSave,
      },
      'staff',
    );
    expect(held.phase).toBe('on_hold');
    await h.sync();
    const grace = (await h.stripe.paymentIntents.retrieve(held.paymentIntentId!)).customer as string;
    // A third customer's card, saved then removed at their request: its order needs the customer.
    const third = await h.call('carts:create', { currency: 'usd' }, 'staff');
    await h.call(
      'carts:update',
      {
        cartId: third.id,
        customer: { name: 'Alan Turing', email: 'alan@example.com', phone: '+44 20 7946 0002' },
        lines: [{ productId: tablet.id, quantity: 2 }],
      },
      'staff',
    );
    const removedFor = await saveCard(
      await h.call('carts:get', { cartId: third.id }, 'staff'),
      'pm_card_amex',
    );
    await h.sync();
    const alan = (await h.stripe.paymentIntents.retrieve(removedFor.paymentIntentId!)).customer as string;
    const [amex] = await h.call('customers:savedCards', { customerId: alan }, 'staff');
    await h.call('customers:removeCard', { customerId: alan, paymentMethodId: amex!.id }, 'staff');

    emulator.advanceClock(40 * DAY);
    await h.sync();
    expect((await h.stripe.events.list({ limit: 100 })).data).toHaveLength(0);
    const ada = (await h.stripe.paymentIntents.retrieve(saved.paymentIntentId!)).customer as string;
    const before = await h.call('waitlist:list', {});
    expect(before.map((o) => [o.orderNumber, o.state, o.card?.last4, o.cardRemoved]).sort()).toEqual([
      [saved.orderNumber, 'waiting', '4242', false],
      [held.orderNumber, 'waiting', '4444', false],
      [removedFor.orderNumber, 'action_needed', '0005', true],
    ]);

    const fresh = await startHarness({ emulator, station: 'Replacement laptop' });
    extra.push(fresh);
    await fresh.sync();
    expect(await fresh.call('waitlist:list', {})).toEqual(before);
    for (const c of [ada, grace, alan])
      expect(await fresh.call('customers:savedCards', { customerId: c }, 'staff')).toEqual(
        await h.call('customers:savedCards', { customerId: c }, 'staff'),
      );
    const rows = (x: Harness) =>
      x.call('orders:list', {}).then((l) => l.rows.map((r) => [r.number, r.cardWait, r.paymentState]));
    expect(await rows(fresh)).toEqual(await rows(h));
    // The rebuilt station can charge it when the stock arrives: once.
    await restock(fresh, 'PHONE-X', 1);
    const charged = await fresh.call('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN });
    expect(charged.state).toBe('paid');
    expect(await chargesOf(h, saved.paymentIntentId!)).toEqual([{ status: 'succeeded', amount: 67_400 }]);
  });

  it("removing a card at the customer's request detaches it in Stripe and names the waiting orders it affects", async () => {
    const cart = await waitlistCart();
    const saved = await saveCard(cart);
    await h.sync();
    const customerId = (await h.stripe.paymentIntents.retrieve(saved.paymentIntentId!)).customer as string;
    const [card] = await h.call('customers:savedCards', { customerId }, 'staff');
    expect(card).toMatchObject({ brand: 'visa', last4: '4242' });
    expect(Object.keys(card!).sort()).toEqual([
      'brand',
      'expMonth',
      'expYear',
      'id',
      'last4',
      'waitingOrders',
    ]);
    expect(card?.waitingOrders.map((o) => o.orderNumber)).toEqual([saved.orderNumber]);
    const removed = await h.call('customers:removeCard', { customerId, paymentMethodId: card!.id }, 'staff');
    expect(removed.affectedOrders.map((o) => [o.orderNumber, o.state, o.cardRemoved])).toEqual([
      [saved.orderNumber, 'action_needed', true],
    ]);
    expect(removed.message).toContain(saved.orderNumber!);
    expect((await h.stripe.paymentMethods.retrieve(card!.id)).customer).toBeNull();
    expect(await h.call('customers:savedCards', { customerId }, 'staff')).toEqual([]);
    await restock(h, 'PHONE-X', 5);
    const refused = await h.raw('waitlist:chargeSaved', { cartId: cart.id, pin: MANAGER_PIN });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toContain('removed');
    // Another station learns it from Stripe's event.
    const b = await startHarness({ emulator, station: 'Packing' });
    extra.push(b);
    await b.sync();
    const [there] = await b.call('waitlist:list', {});
    expect(there).toMatchObject({
      orderNumber: saved.orderNumber,
      state: 'action_needed',
      cardRemoved: true,
    });
  });
});
