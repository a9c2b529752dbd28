// A replacement laptop for a big shop (issue 22): a station rebuilt from Stripe's lists keeps to the rate limit,
// waits when Stripe answers 429, reports its progress with an estimate, and carries on where it stopped when it
// is cut short.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quietLogger, startHarness, type Harness } from '../../../helpers/core-harness';
import { SyncEngine } from '../../../../electron/core/sync/sync-engine';
import { StripeClock } from '../../../../electron/core/stripe/stripe-clock';
import type { StripeGateway } from '../../../../electron/core/stripe/gateway';
import type { SyncHealth } from '../../../../electron/ipc/contract';
import { encodeOrderMetadata } from '../../../../electron/core/orders/order-metadata';
import { makePacer } from '../../../../electron/core/sync/paced';
import Stripe from 'stripe';

const ORDERS = 250;
let shop: Harness;
let fresh: Harness;

beforeEach(async () => {
  shop = await startHarness({ accounts: false });
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < ORDERS) {
        const i = next++;
        await shop.stripe.paymentIntents.create({
          amount: 1000 + i,
          currency: 'usd',
          payment_method: 'pm_card_visa',
          confirm: true,
          metadata: encodeOrderMetadata({
            cartId: `cart_rebuild_${i}`,
            stationCode: 'R',
            number: 1000 + i,
            stationId: 'strebuild',
            stationName: 'Shop',
            takenBy: 'Sam',
            customerName: `Customer ${i}`,
            lines: [{ sku: 'TEA-1', name: 'Tea', quantity: 1, unitAmount: 1000 + i, waitlist: false }],
          }),
        });
      }
    }),
  );
  fresh = await startHarness({ accounts: false, emulator: shop.emulator, station: 'New laptop' });
});
afterEach(async () => {
  await fresh.close();
  await shop.close();
});

const orderCount = (h: Harness) =>
  (h.services.db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
const progressRow = (h: Harness) =>
  h.services.db.prepare("SELECT value FROM sync_state WHERE key = 'rebuild_progress'").pluck().get() as
    string | undefined;

function engineOn(h: Harness, gateway: () => StripeGateway) {
  const healths: SyncHealth[] = [];
  const engine = new SyncEngine({
    db: h.services.db,
    clock: { now: () => h.emulator.now() },
    scheduler: { after: () => () => undefined },
    logger: quietLogger,
    gateway,
    station: () => 'New laptop',
    stripeClock: new StripeClock({ now: () => h.emulator.now() }),
    onApplied: () => undefined,
    onHealth: (x) => healths.push(x),
  });
  return { engine, healths };
}

describe('rebuilding a station from Stripe', () => {
  it('cut short after a page, carries on from the page it reached (nothing read twice), then forgets the place', async () => {
    const real = fresh.services.gateway();
    const pages: (string | undefined)[] = [];
    let failAfter = 1;
    const gw: StripeGateway = {
      ...real,
      listPaymentIntents: (p) => {
        if (p.limit === 100) {
          if (failAfter-- <= 0) return Promise.reject(new Error('the laptop lid closed'));
          pages.push(p.starting_after);
        }
        return real.listPaymentIntents(p);
      },
    };
    const first = engineOn(fresh, () => gw);
    await expect(first.engine.rebuild()).rejects.toThrow('the laptop lid closed');
    expect(orderCount(fresh)).toBe(100);
    const saved = JSON.parse(progressRow(fresh)!) as { step: string; after: string; orders: number };
    expect(saved.step).toBe('payment_intents');
    expect(saved.after).toMatch(/^pi_/);
    expect(saved.orders).toBe(100);

    failAfter = Infinity;
    pages.length = 0;
    const second = engineOn(fresh, () => gw);
    await second.engine.rebuild();
    expect(pages).toEqual([saved.after, expect.stringMatching(/^pi_/)]); // pages 2 and 3 only
    expect(orderCount(fresh)).toBe(ORDERS);
    expect(progressRow(fresh)).toBeUndefined();
    const resumed = second.healths.map((x) => x.catchUp?.rebuild).filter((r) => r !== undefined);
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed.every((r) => r.resumed)).toBe(true);
    expect(resumed.at(-1)!.orders).toBe(ORDERS);
    expect(second.healths.at(-1)!.catchUp).toEqual({ fetched: expect.any(Number), done: true });
  });

  it('at a rate limit below the pace: waits out the 429s (Retry-After), rebuilds everything, reports an estimate', async () => {
    // Stripe allows fewer requests than the pacer's test-mode 25 a second (another station is busy too).
    shop.emulator.setRateLimit(8);
    const { engine, healths } = engineOn(fresh, () => fresh.services.gateway());
    const t0 = performance.now();
    await engine.rebuild();
    expect(orderCount(fresh)).toBe(ORDERS);
    expect(engine.lastRebuild!.rateLimited).toBeGreaterThan(0);
    expect(shop.emulator.rateLimited()).toBe(engine.lastRebuild!.rateLimited);
    // Waited at least the Retry-After (1 s) the first 429 asked for.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1000);
    const estimates = healths.flatMap((x) => (x.catchUp?.rebuild?.ordersEstimate ? [x.catchUp.rebuild] : []));
    expect(estimates.length).toBeGreaterThan(0);
    for (const r of estimates) expect(r.ordersEstimate).toBeGreaterThanOrEqual(r.orders);
    expect(estimates.some((r) => r.secondsLeft !== null)).toBe(true);
  });
});

describe('the pacer', () => {
  it('spaces requests to the rate after a burst of one second’s worth, and backs off on each 429 in a row', async () => {
    let t = 0;
    const slept: number[] = [];
    const pacer = makePacer(10, {
      now: () => t,
      sleep: (ms) => {
        slept.push(ms);
        t += ms;
        return Promise.resolve();
      },
    });
    for (let i = 0; i < 10; i++) await pacer.run(() => Promise.resolve(i));
    expect(slept).toEqual([]);
    await pacer.run(() => Promise.resolve(10));
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeCloseTo(100, 5);
    slept.length = 0;
    let calls = 0;
    const tooMany = (first: boolean) =>
      Stripe.errors.StripeError.generate({
        type: 'invalid_request_error',
        code: 'rate_limit',
        message: 'Request rate limit exceeded.',
        statusCode: 429,
        headers: first ? { 'retry-after': '2' } : {},
      } as never);
    const r = await pacer.run(() =>
      ++calls <= 2 ? Promise.reject(tooMany(calls === 1)) : Promise.resolve('ok'),
    );
    expect(r).toBe('ok');
    expect(pacer.rateLimited).toBe(2);
    const waits = slept.filter((ms) => ms >= 250);
    expect(waits[0]).toBeGreaterThanOrEqual(2000); // Retry-After: 2
    expect(waits[1]).toBeGreaterThanOrEqual(500); // no header: 250 ms × 2
    await expect(pacer.run(() => Promise.reject(new Error('other')))).rejects.toThrow('other');
  });
});
