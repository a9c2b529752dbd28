// Regressions from a review of the money paths: each of these once moved money the wrong way.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, readyCart, product, type Harness } from '../../../helpers/core-harness';

const TEA = { sku: 'TEA-1', unitAmount: 1250, stock: 50, quantity: 2 };
const OUT = { sku: 'KETTLE-0', unitAmount: 8900, stock: 0, quantity: 1 };
const hs: Harness[] = [];
async function harness(o: Parameters<typeof startHarness>[0] = {}) {
  const h = await startHarness(o);
  hs.push(h);
  return h;
}
afterEach(async () => {
  while (hs.length) await hs.pop()!.close();
});
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function paidOrder(h: Harness) {
  const cart = await readyCart(h, [TEA]);
  await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
  await h.sync();
  return (await h.call('orders:list', {})).rows[0]!;
}

describe('the charge always matches the cart', () => {
  it('an unconfirmed amount update is never replayed over a newer one', async () => {
    const h = await harness({ maxNetworkRetries: 0 });
    const cart = await readyCart(h, [TEA]);
    const tea = await product(h, 'TEA-1', 1250, 50);
    await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa_chargeDeclined' }, 'staff');
    await h.fault({ kind: 'status_500', count: 2, path_prefix: '/v1/payment_intents/pi_' });
    // The first edit's amount update gets a 500: unconfirmed. Further edits wait until it is settled.
    expect(
      await h.raw('carts:update', { cartId: cart.id, lines: [{ productId: tea.id, quantity: 4 }] }, 'staff'),
    ).toMatchObject({
      ok: false,
      error: { code: 'pending_confirmation' },
    });
    expect(
      await h.raw('carts:update', { cartId: cart.id, lines: [{ productId: tea.id, quantity: 6 }] }, 'staff'),
    ).toMatchObject({
      ok: false,
      error: { code: 'precondition_failed' },
    });
    // Paying first settles the open update (its retry meets the second 500), and sends nothing else meanwhile.
    expect(
      await h.raw('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff'),
    ).toMatchObject({
      ok: false,
      error: { code: 'pending_confirmation' },
    });
    const paid = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(paid.total).toBe(5000);
    const pi = await h.stripe.paymentIntents.retrieve(paid.paymentIntentId!);
    expect(pi.amount_received).toBe(paid.total);
  });

  it('an edit while the payment is in flight waits for it, and can’t change what is charged', async () => {
    const h = await harness();
    const cart = await readyCart(h, [TEA]);
    const tea = await product(h, 'TEA-1', 1250, 50);
    await h.fault({ kind: 'delay', count: 1, delay_ms: 600, path_prefix: '/v1/payment_intents' });
    const pay = h.raw('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    await wait(100);
    const upd = await h.raw(
      'carts:update',
      { cartId: cart.id, lines: [{ productId: tea.id, quantity: 1 }] },
      'staff',
    );
    expect(upd).toMatchObject({ ok: false, error: { code: 'conflict' } }); // it ran after: the cart was paid
    expect((await pay).ok).toBe(true);
    const after = await h.call('carts:get', { cartId: cart.id }, 'staff');
    const pi = await h.stripe.paymentIntents.retrieve(after.paymentIntentId!);
    expect(after.total).toBe(2500);
    expect(pi.amount_received).toBe(2500);
  });
});

describe('a hold is released only by a manager', () => {
  it('staff can’t discard a cart whose payment is unconfirmed or authorized', async () => {
    const h = await harness({ maxNetworkRetries: 0, timeoutMs: 800 });
    const cart = await readyCart(h, [OUT]);
    await h.fault({ kind: 'delay', count: 1, delay_ms: 2500, path_prefix: '/v1/payment_intents/pi_' });
    const r = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(r.phase).toBe('pending_confirmation');
    await wait(1800);
    const d = await h.raw('carts:discard', { cartId: cart.id }, 'staff');
    expect(d).toMatchObject({ ok: false, error: { code: 'pending_confirmation' } });
    await h.call('payments:refresh', { cartId: cart.id }, 'staff');
    const d2 = await h.raw('carts:discard', { cartId: cart.id }, 'staff');
    expect(d2.ok).toBe(false);
    expect((await h.stripe.paymentIntents.retrieve(r.paymentIntentId!)).status).toBe('requires_capture');
  });

  it('a release is refused while a capture of the same hold is unconfirmed', async () => {
    const h = await harness({ maxNetworkRetries: 0, timeoutMs: 800 });
    const cart = await readyCart(h, [OUT]);
    const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    const [hold] = await h.call('holds:list', { include: 'open' });
    await h.fault({
      kind: 'delay',
      count: 1,
      delay_ms: 2500,
      path_prefix: `/v1/payment_intents/${held.paymentIntentId}/capture`,
    });
    const cap = await h.raw('holds:capture', {
      paymentIntentId: held.paymentIntentId!,
      amount: 8900,
      version: hold!.version,
      pin: '2468',
    });
    expect(cap).toMatchObject({ ok: false, error: { code: 'pending_confirmation' } });
    const rel = await h.raw('holds:release', {
      paymentIntentId: held.paymentIntentId!,
      version: hold!.version,
      pin: '2468',
    });
    expect(rel).toMatchObject({ ok: false, error: { code: 'pending_confirmation' } });
    await wait(1800);
    await h.sync(); // the capture's events settle it
    expect((await h.call('holds:list', { include: 'all' }))[0]).toMatchObject({
      status: 'captured',
      pendingAction: null,
    });
    expect((await h.stripe.paymentIntents.retrieve(held.paymentIntentId!)).status).toBe('succeeded');
  });
});

describe('one refund per intention', () => {
  it('two managers looking at the same order make one refund, even one after the other', async () => {
    const h = await harness();
    await h.call('users:create', { name: 'Robin Manager', role: 'manager', pin: '9753', managerPin: '2468' });
    await h.call('auth:login', { name: 'Robin Manager', pin: '9753' }, 'manager2');
    const order = await paidOrder(h);
    const viewA = await h.call('orders:get', { orderId: order.id });
    const viewB = await h.call('orders:get', { orderId: order.id }, 'manager2');
    await h.call('orders:refund', {
      orderId: order.id,
      amount: 500,
      expectedRefunded: viewA.ledger.refunded,
      pin: '2468',
    });
    const b = await h.raw(
      'orders:refund',
      { orderId: order.id, amount: 500, expectedRefunded: viewB.ledger.refunded, pin: '9753' },
      'manager2',
    );
    // The same refund (the same key): made once, and the second manager is told it was, and by whom.
    expect(b).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(!b.ok && b.error.message).toMatch(/already made by Morgan Manager/);
    expect((await h.stripe.refunds.list({ limit: 100 })).data).toHaveLength(1);
  });

  it('a refund whose answer was lost (timeout, then 429s) is pending, not failed; retrying it makes no second refund', async () => {
    const h = await harness({ maxNetworkRetries: 1, timeoutMs: 800 });
    const order = await paidOrder(h);
    await h.fault({ kind: 'delay', count: 1, delay_ms: 2500, path_prefix: '/v1/refunds' });
    const first = h.raw('orders:refund', {
      orderId: order.id,
      amount: 500,
      expectedRefunded: 0,
      pin: '2468',
    });
    await wait(400);
    await h.fault({ kind: 'status_429', count: 8, path_prefix: '/v1/refunds' });
    expect(await first).toMatchObject({ ok: false, error: { code: 'pending_confirmation' } });
    await fetch(`${h.emulator.url}/_emulator/faults`, { method: 'DELETE' });
    await h.sync();
    const again = await h.raw('orders:refund', {
      orderId: order.id,
      amount: 500,
      expectedRefunded: 0,
      pin: '2468',
    });
    expect(again.ok).toBe(true); // settled by its event: the same refund, made once
    expect((await h.stripe.refunds.list({ limit: 100 })).data).toHaveLength(1);
    expect((await h.call('orders:get', { orderId: order.id })).ledger.refunded).toBe(500);
  }, 20_000);

  it('an unknown refund is settled by its event', async () => {
    const h = await harness({ maxNetworkRetries: 0, timeoutMs: 800 });
    const order = await paidOrder(h);
    await h.fault({ kind: 'delay', count: 1, delay_ms: 2500, path_prefix: '/v1/refunds' });
    expect(
      await h.raw('orders:refund', { orderId: order.id, amount: 500, expectedRefunded: 0, pin: '2468' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'pending_confirmation' },
    });
    await wait(1800);
    await h.sync();
    const j = h.services.db
      .prepare(`SELECT state, confirmed_event_id FROM stripe_requests WHERE operation = 'refund.create'`)
      .get() as {
      state: string;
      confirmed_event_id: string | null;
    };
    expect(j.state).toBe('succeeded');
    expect(j.confirmed_event_id).toMatch(/^evt_/);
  });

  it('past 23 hours, a refund that happened is settled as succeeded by reading back', async () => {
    const h = await harness({ maxNetworkRetries: 0, timeoutMs: 800 });
    const order = await paidOrder(h);
    await h.fault({ kind: 'delay', count: 1, delay_ms: 2500, path_prefix: '/v1/refunds' });
    await h.raw('orders:refund', { orderId: order.id, amount: 500, expectedRefunded: 0, pin: '2468' });
    await wait(1800);
    h.emulator.advanceClock(24 * 3600);
    await h.services.recover();
    const j = h.services.db
      .prepare(`SELECT state, attempts FROM stripe_requests WHERE operation = 'refund.create'`)
      .get() as { state: string; attempts: number };
    expect(j).toEqual({ state: 'succeeded', attempts: 1 });
    expect((await h.stripe.refunds.list({ limit: 100 })).data).toHaveLength(1);
  });
});
