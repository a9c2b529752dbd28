// Phone orders end to end through the IPC contract: the real core against the emulator, in-process.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, readyCart, product, type Harness } from '../../../helpers/core-harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const TEA = { sku: 'TEA-1', unitAmount: 1250, stock: 50, quantity: 2 };
const KETTLE_OUT = { sku: 'KETTLE-0', unitAmount: 8900, stock: 0, quantity: 1 };

describe('phone order paid at once', () => {
  it('charges the cart, and the order appears from payment_intent.succeeded', async () => {
    const cart = await readyCart(h, [TEA]);
    expect(cart.total).toBe(2500);
    expect(cart.waitlist).toBe(false);
    const paid = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(paid.phase).toBe('succeeded');
    expect(paid.status).toBe('paid');
    const pi = await h.stripe.paymentIntents.retrieve(paid.paymentIntentId!);
    expect(pi.status).toBe('succeeded');
    expect(pi.amount).toBe(2500);
    expect(pi.capture_method).toBe('automatic');
    expect(pi.metadata.cart_id).toBe(cart.id);
    expect(pi.statement_descriptor_suffix).toBe('PHONE ORDER');

    // The order is made from what Stripe answered (the projection its event uses), at once; the event
    // that follows confirms it and changes nothing.
    expect((await h.call('orders:list', {})).total).toBe(1);
    await h.sync();
    const orders = await h.call('orders:list', {}, 'staff');
    expect(orders.total).toBe(1);
    expect(orders.rows[0]).toMatchObject({
      paymentIntentId: pi.id,
      status: 'received',
      amountCaptured: 2500,
      customerName: 'Ada Lovelace',
      itemCount: 2,
    });
    const detail = await h.call('orders:get', { orderId: orders.rows[0]!.id }, 'staff');
    expect(detail.lines).toHaveLength(1);
    expect(detail.ledger).toEqual({
      currency: 'usd',
      authorized: 2500,
      captured: 2500,
      refunded: 0,
      released: 0,
    });
    expect(detail.timeline.some((t) => t.kind === 'audit' && t.confirmedByStripe)).toBe(true);
  });

  it('cannot be paid twice: a second press while paying, and a press after, make one charge', async () => {
    const cart = await readyCart(h, [TEA]);
    const [a, b] = await Promise.all([
      h.raw('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff'),
      h.raw('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff'),
    ]);
    expect(a.ok && b.ok).toBe(true);
    const again = await h.raw('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const list = await h.stripe.paymentIntents.list({ limit: 100 });
    expect(list.data).toHaveLength(1);
    const charges = await h.stripe.charges.list({ limit: 100 });
    expect(charges.data.filter((c) => c.status === 'succeeded')).toHaveLength(1);
  });

  it('changing the cart before paying updates the same PaymentIntent instead of creating another', async () => {
    const cart = await readyCart(h, [TEA]);
    const declined = await h.call(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_visa_chargeDeclined' },
      'staff',
    );
    const piId = declined.paymentIntentId!;
    const tea = (await h.call('products:search', { query: 'TEA-1', limit: 1 }))[0]!;
    const changed = await h.call(
      'carts:update',
      { cartId: cart.id, lines: [{ productId: tea.id, quantity: 3 }] },
      'staff',
    );
    expect(changed.total).toBe(3750);
    expect(changed.paymentIntentId).toBe(piId);
    expect((await h.stripe.paymentIntents.retrieve(piId)).amount).toBe(3750);
    const paid = await h.call(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_mastercard' },
      'staff',
    );
    expect(paid.phase).toBe('succeeded');
    expect((await h.stripe.paymentIntents.list({ limit: 10 })).data).toHaveLength(1);
  });

  it('counts zero-decimal currencies in whole units', async () => {
    const cart = await readyCart(
      h,
      [{ sku: 'JP-TEA', unitAmount: 1500, stock: 5, quantity: 2 }],
      'staff',
      'jpy',
    );
    expect(cart.total).toBe(3000);
    const paid = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    const pi = await h.stripe.paymentIntents.retrieve(paid.paymentIntentId!);
    expect(pi).toMatchObject({ amount: 3000, currency: 'jpy', status: 'succeeded' });
  });

  it('refuses a cart below Stripe’s minimum with a clear error', async () => {
    const cart = await readyCart(h, [{ sku: 'PENNY', unitAmount: 10, stock: 5, quantity: 1 }]);
    const r = await h.raw('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(r).toMatchObject({ ok: false, error: { code: 'stripe_error' } });
    expect(!r.ok && r.error.message).toMatch(/amount/i);
  });
});

describe('returning customers', () => {
  it('are found by name, email or phone digits, and reused rather than duplicated', async () => {
    // A customer becomes a Stripe Customer of the shop when a payment is taken for them.
    const tea = await product(h, 'TEA', 1250, 40);
    const pay = async (customer: { name: string; email: string; phone?: string }) => {
      const cart = await h.call('carts:create', {}, 'staff');
      await h.call(
        'carts:update',
        { cartId: cart.id, customer, lines: [{ productId: tea.id, quantity: 1 }] },
        'staff',
      );
      await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    };
    await pay({ name: 'Grace Hopper', email: 'grace@navy.example', phone: '+1 555-0100' });
    await pay({ name: 'Grace B. Hopper', email: 'grace@navy.example' });
    const atStripe = await h.stripe.customers.list({ limit: 10 });
    expect(atStripe.data.map((c) => [c.name, c.email, c.phone])).toEqual([
      ['Grace B. Hopper', 'grace@navy.example', '+1 555-0100'],
    ]);
    for (const q of ['hopper', 'NAVY.ex', '5550100', '555 0100']) {
      const found = await h.call('customers:search', { query: q }, 'staff');
      expect(
        found.map((c) => c.name),
        q,
      ).toEqual(['Grace B. Hopper']);
    }
    expect(await h.call('customers:search', { query: 'turing' }, 'staff')).toEqual([]);
  });
});

describe('declines', () => {
  it.each([
    ['pm_card_visa_chargeDeclined', 'generic_decline', /without giving a reason/],
    ['pm_card_visa_chargeDeclinedInsufficientFunds', 'insufficient_funds', /insufficient funds/],
    ['pm_card_visa_chargeDeclinedLostCard', 'lost_card', /lost/],
    ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', /security code/],
  ])(
    '%s is explained in plain words and retried on the same PaymentIntent',
    async (pm, declineCode, words) => {
      const cart = await readyCart(h, [TEA]);
      const declined = await h.call('payments:pay', { cartId: cart.id, paymentMethod: pm }, 'staff');
      expect(declined.status).toBe('open');
      expect(declined.phase).toBe('awaiting_card');
      expect(declined.lastDecline?.declineCode).toBe(declineCode);
      expect(declined.lastDecline?.explanation).toMatch(words);
      const retried = await h.call(
        'payments:pay',
        { cartId: cart.id, paymentMethod: 'pm_card_visa' },
        'staff',
      );
      expect(retried.phase).toBe('succeeded');
      expect(retried.paymentIntentId).toBe(declined.paymentIntentId);
      expect(retried.lastDecline).toBeNull();
    },
  );
});

describe('3D Secure', () => {
  it('stops at authenticating, then completes in the console’s own window', async () => {
    const cart = await readyCart(h, [TEA]);
    const started = await h.call(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_threeDSecure2Required' },
      'staff',
    );
    expect(started.phase).toBe('authenticating');
    expect(started.authenticationUrl).toContain('/_emulator/3ds/');
    const done = await h.call('payments:authenticate', { cartId: cart.id }, 'staff');
    expect(done.phase).toBe('succeeded');
  });

  it('a failed authentication returns to awaiting a card, and another card succeeds', async () => {
    const cart = await readyCart(h, [TEA]);
    await h.call(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_threeDSecure2Required' },
      'staff',
    );
    h.authOutcome = 'fail';
    const failed = await h.call('payments:authenticate', { cartId: cart.id }, 'staff');
    expect(failed.phase).toBe('awaiting_card');
    expect(failed.lastDecline?.code).toBe('payment_intent_authentication_failure');
    const paid = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(paid.phase).toBe('succeeded');
  });

  it('another card can be taken while the customer is stuck in authentication, on the same PaymentIntent', async () => {
    const cart = await readyCart(h, [TEA]);
    const started = await h.call(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_threeDSecure2Required' },
      'staff',
    );
    expect(started.phase).toBe('authenticating');
    const paid = await h.call(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_mastercard' },
      'staff',
    );
    expect(paid.phase).toBe('succeeded');
    expect(paid.paymentIntentId).toBe(started.paymentIntentId);
    expect((await h.stripe.paymentIntents.list({ limit: 10 })).data).toHaveLength(1);
  });

  it('MOTO exempts a 3DS card when enabled in settings, and is refused when not', async () => {
    const cart = await readyCart(h, [TEA]);
    const refused = await h.raw(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_threeDSecure2Required', moto: true },
      'staff',
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'precondition_failed' } });
    await h.call('settings:update', { motoEnabled: true });
    const paid = await h.call(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_threeDSecure2Required', moto: true },
      'staff',
    );
    expect(paid.phase).toBe('succeeded');
  });
});

describe('waitlist holds', () => {
  it('authorizes a waitlist cart; a manager captures part and the rest is released', async () => {
    const cart = await readyCart(h, [TEA, KETTLE_OUT]);
    expect(cart.waitlist).toBe(true);
    expect(cart.captureMethod).toBe('manual');
    const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(held.phase).toBe('on_hold');
    await h.sync();
    const [hold] = await h.call('holds:list', { include: 'open' });
    expect(hold).toMatchObject({
      paymentIntentId: held.paymentIntentId,
      amountAuthorized: 11400,
      amountCapturable: 11400,
      status: 'authorized',
    });
    // The deadline comes from the charge's capture_before, not a hard-coded 7 days.
    const charge = (await h.stripe.charges.list({ payment_intent: held.paymentIntentId! })).data[0]!;
    expect(hold!.expiresAt).toBe(charge.payment_method_details!.card!.capture_before! * 1000);

    const captured = await h.call('holds:capture', {
      paymentIntentId: hold!.paymentIntentId,
      amount: 2500,
      version: hold!.version,
      pin: '2468',
    });
    expect(captured).toMatchObject({
      status: 'partially_captured',
      amountCaptured: 2500,
      amountCapturable: 0,
    });
    const pi = await h.stripe.paymentIntents.retrieve(hold!.paymentIntentId);
    expect(pi).toMatchObject({ status: 'succeeded', amount_received: 2500, amount_capturable: 0 });
    await h.sync();
    const order = (await h.call('orders:list', {})).rows[0]!;
    const detail = await h.call('orders:get', { orderId: order.id });
    expect(detail.ledger).toEqual({
      currency: 'usd',
      authorized: 11400,
      captured: 2500,
      refunded: 0,
      released: 8900,
    });
  });

  it('releases a hold', async () => {
    const cart = await readyCart(h, [KETTLE_OUT]);
    const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    const [hold] = await h.call('holds:list', { include: 'open' });
    const released = await h.call('holds:release', {
      paymentIntentId: held.paymentIntentId!,
      version: hold!.version,
      pin: '2468',
    });
    expect(released.status).toBe('released');
    expect((await h.stripe.paymentIntents.retrieve(held.paymentIntentId!)).status).toBe('canceled');
    expect(await h.call('holds:list', { include: 'open' })).toHaveLength(0);
  });

  it('an expired hold shows as expired and is never captured', async () => {
    const cart = await readyCart(h, [KETTLE_OUT]);
    const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    const [hold] = await h.call('holds:list', { include: 'open' });
    h.emulator.advanceClock(8 * 24 * 3600);
    // Even before the expiry event is read, the deadline has passed: the console refuses.
    const refused = await h.raw('holds:capture', {
      paymentIntentId: held.paymentIntentId!,
      amount: 8900,
      version: hold!.version,
      pin: '2468',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'precondition_failed' } });
    expect(!refused.ok && refused.error.message).toMatch(/expired/);
    await h.sync();
    const all = await h.call('holds:list', { include: 'all' });
    expect(all[0]).toMatchObject({ status: 'expired', amountCapturable: 0 });
    expect((await h.stripe.paymentIntents.retrieve(held.paymentIntentId!)).status).toBe('canceled');
  });

  it('warns 48 h, 24 h and 4 h before a hold lapses, once each', async () => {
    const cart = await readyCart(h, [KETTLE_OUT]);
    await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    const [hold] = await h.call('holds:list', { include: 'open' });
    const hoursLeft = () => (hold!.expiresAt! - h.emulator.now()) / 3_600_000;
    expect(h.services.holds.dueNotifications()).toEqual([]);
    h.emulator.advanceClock(Math.ceil((hoursLeft() - 47) * 3600));
    const first = h.services.holds.dueNotifications();
    expect(first).toHaveLength(1);
    expect(first[0]!.hoursLeft).toBeGreaterThan(46);
    expect(h.services.holds.dueNotifications()).toEqual([]); // once
    h.emulator.advanceClock(Math.ceil((hoursLeft() - 23) * 3600));
    expect(h.services.holds.dueNotifications()).toHaveLength(1);
    h.emulator.advanceClock(Math.ceil((hoursLeft() - 3) * 3600));
    const last = h.services.holds.dueNotifications();
    expect(last).toHaveLength(1);
    expect(last[0]!.hoursLeft).toBeLessThanOrEqual(4);
    expect(h.services.holds.dueNotifications()).toEqual([]);
  });

  it('refuses a capture above what is capturable, and a stale version', async () => {
    const cart = await readyCart(h, [KETTLE_OUT]);
    const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    const [hold] = await h.call('holds:list', { include: 'open' });
    const over = await h.raw('holds:capture', {
      paymentIntentId: held.paymentIntentId!,
      amount: 9000,
      version: hold!.version,
      pin: '2468',
    });
    expect(over).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const stale = await h.raw('holds:capture', {
      paymentIntentId: held.paymentIntentId!,
      amount: 100,
      version: hold!.version + 5,
      pin: '2468',
    });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await h.stripe.paymentIntents.retrieve(held.paymentIntentId!)).status).toBe('requires_capture');
  });
});

describe('refunds', () => {
  it('refunds in part, then the rest, never more than was captured', async () => {
    const cart = await readyCart(h, [TEA]);
    await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    await h.sync();
    const order = (await h.call('orders:list', {})).rows[0]!;
    const part = await h.call('orders:refund', {
      orderId: order.id,
      amount: 1000,
      expectedRefunded: 0,
      pin: '2468',
    });
    expect(part.ledger.refunded).toBe(1000);
    expect(part.refundable).toBe(1500);
    const tooMuch = await h.raw('orders:refund', {
      orderId: order.id,
      amount: 1501,
      expectedRefunded: 1000,
      pin: '2468',
    });
    expect(tooMuch).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const rest = await h.call('orders:refund', {
      orderId: order.id,
      amount: 1500,
      expectedRefunded: 1000,
      pin: '2468',
    });
    expect(rest.ledger.refunded).toBe(2500);
    const refunds = await h.stripe.refunds.list({ payment_intent: order.paymentIntentId });
    expect(refunds.data.map((r) => r.amount).sort()).toEqual([1000, 1500]);
    await h.sync();
    expect((await h.call('orders:get', { orderId: order.id })).ledger.refunded).toBe(2500);
  });
});

describe('roles', () => {
  it('refuses capture, release and refund to staff, whatever they send', async () => {
    const cart = await readyCart(h, [KETTLE_OUT]);
    const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    const [hold] = await h.call('holds:list', { include: 'open' }, 'staff');
    const cap = await h.raw(
      'holds:capture',
      { paymentIntentId: held.paymentIntentId!, amount: 100, version: hold!.version, pin: '1357' },
      'staff',
    );
    const rel = await h.raw(
      'holds:release',
      { paymentIntentId: held.paymentIntentId!, version: hold!.version, pin: '1357' },
      'staff',
    );
    expect(cap).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(rel).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const cart2 = await readyCart(h, [TEA]);
    await h.call('payments:pay', { cartId: cart2.id, paymentMethod: 'pm_card_visa' }, 'staff');
    await h.sync();
    const order = (await h.call('orders:list', {}, 'staff')).rows[0]!;
    const ref = await h.raw(
      'orders:refund',
      { orderId: order.id, amount: 100, expectedRefunded: 0, pin: '1357' },
      'staff',
    );
    expect(ref).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await h.stripe.paymentIntents.retrieve(held.paymentIntentId!)).status).toBe('requires_capture');
    expect((await h.stripe.refunds.list({ limit: 10 })).data).toHaveLength(0);
  });

  it('asks the manager’s PIN for money actions and locks after repeated failures', async () => {
    const cart = await readyCart(h, [KETTLE_OUT]);
    const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    const [hold] = await h.call('holds:list', { include: 'open' });
    const input = {
      paymentIntentId: held.paymentIntentId!,
      amount: 100,
      version: hold!.version,
      pin: '0000',
    };
    for (let i = 0; i < 4; i++)
      expect(await h.raw('holds:capture', input)).toMatchObject({ ok: false, error: { code: 'bad_pin' } });
    await h.raw('holds:capture', input);
    expect(await h.raw('holds:capture', { ...input, pin: '2468' })).toMatchObject({
      ok: false,
      error: { code: 'locked' },
    });
    expect((await h.stripe.paymentIntents.retrieve(held.paymentIntentId!)).status).toBe('requires_capture');
  });

  it('refuses everything but sign-in to a window nobody signed in on', async () => {
    const r = await h.raw('carts:create', {}, 'stranger');
    expect(r).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});

describe('audit log', () => {
  it('records money actions with who, station, key and Stripe request id, and detects tampering', async () => {
    const cart = await readyCart(h, [TEA]);
    await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    const entries = await h.call('audit:list', { limit: 50 });
    const pay = entries.find((e) => e.action === 'payment.succeeded')!;
    expect(pay).toMatchObject({ actor: 'Sam Staff', station: 'Test station', subject: cart.id });
    expect(pay.idempotencyKey).toMatch(/^mc_payment_intent_confirm_/);
    expect(pay.stripeRequestId).toMatch(/^req_/);
    expect(await h.call('audit:verify', {})).toMatchObject({ ok: true, brokenAt: null });

    // Rows can't be edited through SQL while the triggers stand…
    expect(() =>
      h.services.db.prepare('UPDATE audit_log SET actor = ? WHERE seq = 1').run('Mallory'),
    ).toThrow(/append-only/);
    // …and an edit made behind their back breaks the chain.
    h.services.db.exec('DROP TRIGGER audit_no_update');
    h.services.db.prepare('UPDATE audit_log SET actor = ? WHERE seq = ?').run('Mallory', pay.seq);
    const v = await h.call('audit:verify', {});
    expect(v.ok).toBe(false);
    expect(v.brokenAt).toBe(pay.seq);
  });
});

describe('orders for the phone', () => {
  it('get short sequential numbers, are found by them, and take the goods out of stock', async () => {
    for (let i = 0; i < 2; i++) {
      const cart = await readyCart(h, [{ sku: 'CUPS', unitAmount: 2800, stock: 8, quantity: 3 }]);
      await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    }
    await h.sync();
    const { rows } = await h.call('orders:list', {}, 'staff');
    // The station's code (the first free letter: A) and its own sequence.
    expect(rows.map((r) => r.number).sort()).toEqual(['A1001', 'A1002']);
    const first = rows.find((r) => r.number === 'A1001')!;
    for (const q of ['#A1001', 'a1001', '1001'])
      expect((await h.call('orders:list', { query: q }, 'staff')).rows.map((r) => r.id)).toEqual([first.id]);
    const cups = (await h.call('products:search', { query: 'CUPS', limit: 1 }, 'staff'))[0]!;
    expect(cups.stock).toBe(2);
    // A third order of 3 is more than the 2 left: it becomes a waitlist cart, paid by a hold.
    const third = await readyCart(h, [{ sku: 'CUPS', unitAmount: 2800, stock: 8, quantity: 3 }]);
    expect(third.waitlist).toBe(true);
  });
});
