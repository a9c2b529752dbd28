// A station's clock may be minutes off Stripe's. The console orders what it knows by Stripe's own times (event
// `created`, the Date of Stripe's answers), so a fast or a slow station shows the same as a right one.
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../electron/emulator';
import { MANAGER_PIN, startHarness, type Harness } from '../../../helpers/core-harness';

let emulator: RunningEmulator;
let h: Harness;
afterEach(async () => {
  await h?.close();
  await emulator?.close();
});

async function start(skewMinutes: number): Promise<void> {
  emulator = await startEmulator({ port: 0 });
  h = await startHarness({ emulator, clockSkewMs: skewMinutes * 60_000 });
  // A station that has been running: it follows Stripe by its events from here on.
  await h.sync();
}

async function waitlistCart() {
  const p = (await h.call('products:search', { query: 'KET-GOOSE-1', limit: 1 }))[0]!; // out of stock
  const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
  return h.call(
    'carts:update',
    {
      cartId: cart.id,
      customer: { name: 'Skewed Sue', email: 'sue@example.com' },
      lines: [{ productId: p.id, quantity: 1 }],
    },
    'staff',
  );
}

describe.each([
  ['3 minutes fast', 3],
  ['3 minutes slow', -3],
  ['10 minutes fast', 10],
])('a station whose clock is %s', (_label, skew) => {
  it('shows a waitlist hold whose 3D Secure finished out of band, with its deadline', async () => {
    await start(skew);
    const cart = await waitlistCart();
    const asked = await h.call(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_threeDSecure2Required' },
      'staff',
    );
    expect(asked.phase).toBe('authenticating');
    // The customer finishes 3D Secure on their own device: the console hears of it only through events.
    const res = await fetch(
      `${emulator.url}/_emulator/payment_intents/${asked.paymentIntentId}/authenticate`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: 'succeed' }),
      },
    );
    expect(res.ok).toBe(true);
    await h.sync();
    const holds = await h.call('holds:list', { include: 'open' });
    expect(holds.map((x) => x.paymentIntentId)).toEqual([asked.paymentIntentId]);
    expect(holds[0]!.expiresAt).not.toBeNull();
    expect((await h.call('carts:get', { cartId: cart.id }, 'staff')).phase).toBe('on_hold');
  });

  it('keeps a changed amount when older events of the same PaymentIntent arrive after it', async () => {
    await start(skew);
    const tea = (await h.call('products:search', { query: 'TEA-EARL-100', limit: 1 }))[0]!;
    const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
    await h.call(
      'carts:update',
      { cartId: cart.id, customer: { name: 'Skewed Sam' }, lines: [{ productId: tea.id, quantity: 1 }] },
      'staff',
    );
    const declined = await h.call(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_visa_chargeDeclined' },
      'staff',
    );
    expect(declined.lastDecline?.code).toBe('card_declined');
    // Two more on the phone: the PaymentIntent follows the cart; then the poller brings the older events.
    await h.call('carts:update', { cartId: cart.id, lines: [{ productId: tea.id, quantity: 3 }] }, 'staff');
    await h.sync();
    const piId = (await h.call('carts:get', { cartId: cart.id }, 'staff')).paymentIntentId;
    const row = h.services.db.prepare('SELECT amount FROM payment_intents WHERE id = ?').get(piId) as {
      amount: number;
    };
    expect(row.amount).toBe(3 * 1250);
    const paid = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(paid.phase).toBe('succeeded');
    const pi = await h.stripe.paymentIntents.retrieve(paid.paymentIntentId!);
    expect(pi.amount_received).toBe(3 * 1250);
  });

  it('counts a hold’s last minutes on Stripe’s clock: still capturable two minutes before its deadline', async () => {
    await start(skew);
    const cart = await waitlistCart();
    const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(held.phase).toBe('on_hold');
    await h.sync();
    const hold = (await h.call('holds:list', { include: 'open' }))[0]!;
    // Stripe's clock to two minutes before capture_before.
    emulator.advanceClock(Math.floor((hold.expiresAt! - emulator.now()) / 1000) - 120);
    await h.sync();
    const now = (await h.call('holds:list', { include: 'open' }))[0];
    expect(now?.status).toBe('authorized');
    const captured = await h.call('holds:capture', {
      paymentIntentId: hold.paymentIntentId,
      amount: hold.amountCapturable,
      version: now!.version,
      pin: MANAGER_PIN,
    });
    expect(captured.status).toBe('captured');
  });
});

describe('reconciliation', () => {
  it('finds a hold authorized at Stripe that is not shown here, and its fix shows it with its deadline', async () => {
    await start(0);
    const cart = await waitlistCart();
    const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    // Lost here (a station whose projection missed it).
    h.services.db.prepare('DELETE FROM holds WHERE payment_intent_id = ?').run(held.paymentIntentId);
    const { drifts } = await h.call('sync:reconcile', {});
    expect(drifts.map((d) => d.kind)).toContain('hold_missing_here');
    const after = await h.call('sync:fix', { driftId: `hold_missing_here:${held.paymentIntentId}` });
    expect(after.drifts.map((d) => d.kind)).not.toContain('hold_missing_here');
    const hold = (await h.call('holds:list', { include: 'open' }))[0]!;
    expect(hold.paymentIntentId).toBe(held.paymentIntentId);
    expect(hold.expiresAt).not.toBeNull();
  });
});
