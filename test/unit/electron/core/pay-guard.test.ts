// Issue 23 item 1: nothing is charged or held at an amount other than the one the pay button named, and a
// cart whose quantities are not whole numbers of at least one is never paid (the real core, the emulator).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readyCart, startHarness, type Harness } from '../../../helpers/core-harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const TEA = { sku: 'TEA-1', unitAmount: 1250, stock: 50, quantity: 4 };
const countPIs = async () => (await h.stripe.paymentIntents.list({ limit: 100 })).data.length;

describe('paying the amount on the button', () => {
  it('refuses a payment whose named amount is not the cart total, and charges nothing', async () => {
    const cart = await readyCart(h, [TEA]);
    expect(cart.total).toBe(5000);
    const before = await countPIs();
    const r = await h.raw(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_visa', expectedTotal: 2500 },
      'staff',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('conflict');
      expect(r.error.message).toContain('$50.00');
      expect(r.error.message).toContain('nothing was charged');
    }
    expect(await countPIs()).toBe(before);
    const again = await h.call('carts:get', { cartId: cart.id }, 'staff');
    expect(again.phase).toBe('building');

    const paid = await h.call(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_visa', expectedTotal: 5000 },
      'staff',
    );
    expect(paid.phase).toBe('succeeded');
    expect((await h.stripe.paymentIntents.retrieve(paid.paymentIntentId!)).amount).toBe(5000);
  });

  it('refuses quantities that are not whole numbers of at least one, at the contract and in core', async () => {
    const cart = await readyCart(h, [TEA]);
    const productId = cart.lines[0]!.productId;
    for (const quantity of [2.5, 0, -3, 0.5]) {
      const r = await h.raw('carts:update', { cartId: cart.id, lines: [{ productId, quantity }] }, 'staff');
      expect(r.ok, `quantity ${quantity}`).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid_input');
    }
    // A row that somehow holds a fractional quantity (an older build, a hand edit) is still never paid.
    const row = h.services.db
      .prepare('SELECT lines_json FROM carts WHERE id = ?')
      .pluck()
      .get(cart.id) as string;
    const lines = JSON.parse(row) as { quantity: number }[];
    lines[0]!.quantity = 2.5;
    h.services.db.prepare('UPDATE carts SET lines_json = ? WHERE id = ?').run(JSON.stringify(lines), cart.id);
    const before = await countPIs();
    const r = await h.raw('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_input');
      expect(r.error.message).toContain('2.5');
    }
    expect(await countPIs()).toBe(before);
  });
});
