// Issue 23 item 14: hold countdowns and reminders follow Stripe's clock (learnt from its answers' Date
// headers), not this computer's. Here the station's own clock stands still at the real time while Stripe's (the
// emulator's training clock) moves 6.5 days on: the hold is then half a day from lapsing, everywhere.
import { afterEach, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../electron/emulator';
import { startHarness, type Harness } from '../../../helpers/core-harness';

let emulator: RunningEmulator;
let h: Harness;
afterEach(async () => {
  await h?.close();
  await emulator?.close();
});

it('counts a hold down on Stripe’s clock: after Stripe moved 6.5 days, it lapses within 24 h', async () => {
  emulator = await startEmulator({ port: 0 });
  const stationNow = emulator.now();
  h = await startHarness({ emulator, localClock: { now: () => stationNow } });
  await h.sync();
  const kettle = (await h.call('products:search', { query: 'KET-GOOSE-1', limit: 1 }))[0]!; // out of stock
  const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
  await h.call(
    'carts:update',
    { cartId: cart.id, customer: { name: 'Hal Hold' }, lines: [{ productId: kettle.id, quantity: 1 }] },
    'staff',
  );
  const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
  expect(held.phase).toBe('on_hold');
  await h.sync();
  const [before] = await h.call('holds:list', { include: 'open' });
  const day = 86_400_000;
  expect(before!.expiresAt! - stationNow).toBeGreaterThan(6.9 * day);
  expect((await h.call('glance:day', {})).expiring.count).toBe(0);

  // Stripe's clock moves 6.5 days; this computer's does not.
  const res = await fetch(`${emulator.url}/_emulator/clock/advance`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seconds: 6.5 * 86_400 }),
  });
  expect(res.ok).toBe(true);
  await h.sync();

  // The report the renderer counts from carries Stripe's now (it sets every countdown's offset).
  const health = await h.call('sync:status', {});
  expect(Math.abs(health.stripeNow! - emulator.now())).toBeLessThan(5_000);
  expect(Math.abs(health.lastPollAt! - emulator.now())).toBeLessThan(5_000);
  expect(health.lagMs).toBeLessThan(60_000); // in step: it read everything, whatever the clock did
  const left = before!.expiresAt! - health.stripeNow!;
  expect(left).toBeGreaterThan(0.4 * day);
  expect(left).toBeLessThan(0.6 * day);
  // Today: expiring within 24 h, on Stripe's clock.
  const today = await h.call('glance:day', {});
  expect(today.expiring.count).toBe(1);
  expect(today.expiringHolds.map((x) => x.paymentIntentId)).toEqual([held.paymentIntentId]);
  // The reminders (48 h and 24 h before) are due now, once.
  const due = h.services.holds.dueNotifications();
  expect(due.map((d) => d.hold.paymentIntentId)).toEqual([held.paymentIntentId]);
  expect(due[0]!.hoursLeft).toBeLessThan(24);
  expect(h.services.holds.dueNotifications()).toEqual([]);
});
