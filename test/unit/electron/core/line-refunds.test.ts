// A line refund (issue 23): it marks the line (units refunded) and, when the manager says so, puts the units back
// in stock — written on the refund itself in Stripe (mc_line), so both stations, and a station rebuilt from
// nothing, mark the line and count the stock the same way. A line refund's amount is its units' price.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../electron/emulator';
import { startHarness, MANAGER_PIN, type Harness } from '../../../helpers/core-harness';

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
  await a.close();
  await b.close();
  await emulator.close();
});

async function cups(h: Harness) {
  await h.sync();
  const p = (await h.call('catalog:list', { query: 'CUP-PORC-2' })).find((x) => x.sku === 'CUP-PORC-2')!;
  return { onHand: p.onHand, available: p.stock };
}

describe('line refunds', () => {
  it('mark the line, restock only when asked, the same at both stations; more than was taken is refused', async () => {
    const before = await cups(a);
    const cart = await a.call('carts:create', { currency: 'usd' }, 'staff');
    const product = (await a.call('products:search', { query: 'CUP-PORC-2', limit: 1 }, 'staff'))[0]!;
    await a.call(
      'carts:update',
      {
        cartId: cart.id,
        customer: { name: 'Ada Lovelace' },
        delivery: 'collect',
        lines: [{ productId: product.id, quantity: 2 }],
      },
      'staff',
    );
    const paid = await a.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(paid.phase).toBe('succeeded');
    await a.sync();
    const orderId = (await a.call('carts:get', { cartId: cart.id }, 'staff')).orderId!;
    expect(await cups(a)).toEqual({ onHand: before.onHand - 2, available: before.available - 2 });

    // One cup back, into stock.
    const one = await a.call('orders:refund', {
      orderId,
      amount: 2800,
      expectedRefunded: 0,
      pin: MANAGER_PIN,
      line: { sku: 'CUP-PORC-2', quantity: 1, restock: true },
    });
    expect(one.refundedLines).toEqual([{ sku: 'CUP-PORC-2', quantity: 1, restocked: 1 }]);
    expect(await cups(a)).toEqual({ onHand: before.onHand - 1, available: before.available - 1 });
    // The other station reads it from the refund in Stripe: the same line marked, the same stock.
    await b.sync();
    expect((await b.call('orders:get', { orderId }, 'staff')).refundedLines).toEqual([
      { sku: 'CUP-PORC-2', quantity: 1, restocked: 1 },
    ]);
    expect(await cups(b)).toEqual(await cups(a));

    // The amount of a line refund is its units' price.
    await expect(
      a.call('orders:refund', {
        orderId,
        amount: 1000,
        expectedRefunded: 2800,
        pin: MANAGER_PIN,
        line: { sku: 'CUP-PORC-2', quantity: 1, restock: false },
      }),
    ).rejects.toThrow(/come to 2800/);
    // The second cup, broken: refunded, not back in stock.
    const two = await a.call('orders:refund', {
      orderId,
      amount: 2800,
      expectedRefunded: 2800,
      pin: MANAGER_PIN,
      line: { sku: 'CUP-PORC-2', quantity: 1, restock: false },
    });
    expect(two.refundedLines).toEqual([{ sku: 'CUP-PORC-2', quantity: 2, restocked: 1 }]);
    expect(await cups(a)).toEqual({ onHand: before.onHand - 1, available: before.available - 1 });
    // Nothing of the line is left to refund.
    await expect(
      a.call('orders:refund', {
        orderId,
        amount: 2800,
        expectedRefunded: 5600,
        pin: MANAGER_PIN,
        line: { sku: 'CUP-PORC-2', quantity: 1, restock: true },
      }),
    ).rejects.toThrow();
    await b.sync();
    expect(await cups(b)).toEqual(await cups(a));
    expect((await b.call('orders:get', { orderId }, 'staff')).refundedLines).toEqual(two.refundedLines);
  });
});
