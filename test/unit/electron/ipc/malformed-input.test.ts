// Malformed IPC input — wrong types, negative or huge amounts, unknown ids, 1 MB strings, unknown keys,
// unknown channels — returns a typed error and changes nothing in the database or at Stripe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, readyCart, tableCounts, type Harness } from '../../../helpers/core-harness';

let h: Harness;
let holdPi: string;
let orderId: string;
let cartId: string;

beforeAll(async () => {
  h = await startHarness();
  const held = await h.call(
    'payments:pay',
    {
      cartId: (await readyCart(h, [{ sku: 'OUT', unitAmount: 5000, stock: 0, quantity: 1 }])).id,
      paymentMethod: 'pm_card_visa',
    },
    'staff',
  );
  holdPi = held.paymentIntentId!;
  const paid = await readyCart(h, [{ sku: 'IN', unitAmount: 2000, stock: 9, quantity: 1 }]);
  await h.call('payments:pay', { cartId: paid.id, paymentMethod: 'pm_card_visa' }, 'staff');
  await h.sync();
  orderId = (await h.call('orders:list', {})).rows[0]!.id;
  cartId = (await readyCart(h, [{ sku: 'IN', unitAmount: 2000, stock: 9, quantity: 1 }])).id;
});
afterAll(async () => {
  await h.close();
});

const MB = 'x'.repeat(1024 * 1024);

const cases: [string, string, unknown, string][] = [
  [
    'wrong type',
    'holds:capture',
    { paymentIntentId: 'pi_x', amount: '100', version: 0, pin: '2468' },
    'invalid_input',
  ],
  [
    'negative amount',
    'holds:capture',
    { paymentIntentId: 'pi_x', amount: -5, version: 0, pin: '2468' },
    'invalid_input',
  ],
  ['fractional amount', 'orders:refund', { orderId: 'ord_x', amount: 10.5, pin: '2468' }, 'invalid_input'],
  ['huge amount', 'orders:refund', { orderId: 'ord_x', amount: 1e12, pin: '2468' }, 'invalid_input'],
  [
    'NaN-ish amount',
    'holds:capture',
    { paymentIntentId: 'pi_x', amount: null, version: 0, pin: '2468' },
    'invalid_input',
  ],
  ['1 MB string', 'customers:search', { query: MB }, 'invalid_input'],
  ['1 MB customer name', 'carts:update', { cartId: 'cart_x', customer: { name: MB } }, 'invalid_input'],
  ['unknown key', 'carts:create', { currency: 'usd', actor: 'manager' }, 'invalid_input'],
  [
    'role smuggled in',
    'holds:release',
    { paymentIntentId: 'pi_x', version: 0, pin: '1357', role: 'manager' },
    'invalid_input',
  ],
  ['not an object', 'orders:list', 'select * from orders', 'invalid_input'],
  ['array instead of object', 'orders:get', [1, 2, 3], 'invalid_input'],
  ['bad currency', 'carts:create', { currency: 'US Dollars' }, 'invalid_input'],
  [
    'bad payment method',
    'payments:pay',
    { cartId: 'cart_x', paymentMethod: '4242424242424242' },
    'invalid_input',
  ],
  [
    'prototype pollution',
    'carts:get',
    JSON.parse('{"__proto__": {"admin": true}, "cartId": "cart_x"}'),
    'invalid_input',
  ],
  [
    'unknown cart',
    'payments:pay',
    { cartId: 'cart_doesnotexist', paymentMethod: 'pm_card_visa' },
    'not_found',
  ],
  [
    'unknown order',
    'orders:refund',
    { orderId: 'ord_nope', amount: 100, expectedRefunded: 0, pin: '2468' },
    'not_found',
  ],
  [
    'unknown hold',
    'holds:capture',
    { paymentIntentId: 'pi_unknown123', amount: 100, version: 0, pin: '2468' },
    'not_found',
  ],
  [
    'unknown product in cart',
    'carts:update',
    { cartId: 'CART', lines: [{ productId: 'prod_nope', quantity: 1 }] },
    'not_found',
  ],
  [
    'zero quantity',
    'carts:update',
    { cartId: 'CART', lines: [{ productId: 'prod_x', quantity: 0 }] },
    'invalid_input',
  ],
  [
    'too many lines',
    'carts:update',
    { cartId: 'CART', lines: Array.from({ length: 101 }, (_, i) => ({ productId: `p${i}`, quantity: 1 })) },
    'invalid_input',
  ],
  ['unknown channel', 'admin:dropTables', {}, 'unknown_channel'],
  [
    'capture above capturable',
    'holds:capture',
    { paymentIntentId: 'HOLD', amount: 99_999_999, version: 0, pin: '2468' },
    'invalid_input',
  ],
  [
    'refund above captured',
    'orders:refund',
    { orderId: 'ORDER', amount: 2001, pin: '2468' },
    'invalid_input',
  ],
];

describe('malformed IPC input', () => {
  it.each(cases)(
    '%s → a typed error, nothing written, nothing sent to Stripe',
    async (_name, channel, input, code) => {
      const fill = (v: unknown): unknown =>
        JSON.parse(
          JSON.stringify(v ?? null)
            .replace(/"HOLD"/g, JSON.stringify(holdPi))
            .replace(/"ORDER"/g, JSON.stringify(orderId))
            .replace(/"CART"/g, JSON.stringify(cartId)),
        );
      const before = tableCounts(h.services);
      const eventsBefore = (await h.stripe.events.list({ limit: 1 })).data[0]?.id;
      const r = await h.raw(channel, typeof input === 'object' ? fill(input) : input);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe(code);
        expect(r.error.message.length).toBeLessThan(500);
        expect(r.error.message).not.toMatch(/at .*\.ts:\d+/); // no stack traces
      }
      expect(tableCounts(h.services)).toEqual(before);
      expect((await h.stripe.events.list({ limit: 1 })).data[0]?.id).toBe(eventsBefore);
      expect((await h.stripe.paymentIntents.retrieve(holdPi)).status).toBe('requires_capture');
    },
  );

  it('names the offending field', async () => {
    const r = await h.raw('holds:capture', { paymentIntentId: holdPi, amount: -1, version: 0, pin: '2468' });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', details: { issues: [{ path: 'amount' }] } },
    });
  });
});
