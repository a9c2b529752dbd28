// "The 10 now and 15 waiting" (issue 23 item 13): a cart asked for more than is available keeps the units in stock
// and sends the rest to its waiting part, a second order of the same customer paid in the same checkout with the
// same card — held, or the card saved — once the first is paid. Against the emulator, through the SDK, on two
// stations: each order is whole in Stripe, so the other desk sees both, and the stock they take.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../../electron/emulator';
import { startHarness, type Harness } from '../../../helpers/core-harness';
import type { Cart } from '../../../../electron/ipc/contract';

let emulator: RunningEmulator;
let a: Harness;
let b: Harness;

const customer = { name: 'Sid Split', email: 'sid@example.com', phone: '+1 207 555 0142' };
const SKU = 'CUP-PORC-2';

async function cups(h: Harness) {
  const p = (await h.call('catalog:list', { query: SKU })).find((x) => x.sku === SKU);
  if (!p) throw new Error('no cups');
  return p;
}

/** The cups counted in: 10 on hand, written on the Stripe Product as any station's count is. */
async function tenInStock(): Promise<void> {
  const p = await cups(a);
  await a.stripe.products.update(p.id, {
    metadata: { stock: '10', stock_counted_at: String(Math.floor(emulator.now() / 1000)) },
  });
  // Sales made in the very second of a count may be in it already (stock-sql.ts): the day moves on first.
  emulator.advanceClock(2);
  await Promise.all([a.sync(), b.sync()]);
}

/** A cart of 25 cups asked for, split: 10 now, 15 waiting. */
async function splitCart(h: Harness = a): Promise<Cart> {
  const product = await cups(h);
  const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
  await h.call(
    'carts:update',
    { cartId: cart.id, customer, delivery: 'collect', lines: [{ productId: product.id, quantity: 10 }] },
    'staff',
  );
  return h.call('carts:splitWaiting', { cartId: cart.id, productId: product.id, quantity: 25 }, 'staff');
}

function pay(cart: Cart, card: string, extra: Record<string, unknown> = {}): Promise<Cart> {
  return a.call(
    'payments:pay',
    {
      cartId: cart.id,
      paymentMethod: card,
      expectedTotal: cart.total,
      expectedWaitingTotal: cart.waitingPart?.total,
      ...extra,
    },
    'staff',
  );
}

/** The customer passes the bank's check (3D Secure) on their own device. */
async function customerConfirms(piId: string): Promise<void> {
  const res = await fetch(`${emulator.url}/_emulator/payment_intents/${piId}/authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ outcome: 'succeed' }),
  });
  expect(res.ok).toBe(true);
}

beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
  [a, b] = await Promise.all([
    startHarness({ emulator, station: 'Front desk' }),
    startHarness({ emulator, station: 'Packing' }),
  ]);
  await tenInStock();
});

afterEach(async () => {
  await a.close();
  await b.close();
  await emulator.close();
});

describe('splitting a cart', () => {
  it('keeps the units in stock and sends the rest to a waiting part; nothing is charged', async () => {
    const cart = await splitCart();
    const unit = (await cups(a)).unitAmount;
    expect(cart.lines.map((l) => [l.quantity, l.waitlist])).toEqual([[10, false]]);
    expect(cart.waitlist).toBe(false);
    expect(cart.total).toBe(10 * unit);
    expect(cart.waitingPart).toMatchObject({ status: 'open', phase: 'building', total: 15 * unit });
    expect(cart.waitingPart!.lines.map((l) => [l.sku, l.quantity, l.waitlist])).toEqual([[SKU, 15, true]]);
    // One unfinished order to resume (the waiting part goes with it), and no PaymentIntent anywhere yet.
    expect((await a.call('carts:listOpen', {}, 'staff')).map((c) => c.id)).toEqual([cart.id]);
    expect((await a.stripe.paymentIntents.list({ limit: 10 })).data).toHaveLength(0);
  });

  it('asks again for more: what is over the stock is added to the waiting part', async () => {
    const cart = await splitCart();
    const product = await cups(a);
    const again = await a.call(
      'carts:splitWaiting',
      { cartId: cart.id, productId: product.id, quantity: 12 },
      'staff',
    );
    expect(again.lines[0]!.quantity).toBe(10);
    expect(again.waitingPart!.lines[0]!.quantity).toBe(17);
    expect(again.waitingPart!.cartId).toBe(cart.waitingPart!.cartId);
  });

  it('refuses a split that is not one: all in stock, or none in stock', async () => {
    const cart = await a.call('carts:create', { currency: 'usd' }, 'staff');
    const product = await cups(a);
    await expect(
      a.call('carts:splitWaiting', { cartId: cart.id, productId: product.id, quantity: 4 }, 'staff'),
    ).rejects.toMatchObject({ code: 'precondition_failed', message: expect.stringContaining('all 4') });
    await a.stripe.products.update(product.id, {
      metadata: { stock: '0', stock_counted_at: String(Math.floor(emulator.now() / 1000) + 1) },
    });
    await a.sync();
    await expect(
      a.call('carts:splitWaiting', { cartId: cart.id, productId: product.id, quantity: 4 }, 'staff'),
    ).rejects.toMatchObject({ code: 'precondition_failed', message: expect.stringContaining('No ') });
    expect((await a.call('carts:get', { cartId: cart.id }, 'staff')).waitingPart).toBeNull();
  });

  it('the customer and delivery follow to the waiting part; dropping it keeps this cart', async () => {
    const cart = await splitCart();
    const moved = await a.call(
      'carts:update',
      { cartId: cart.id, customer: { ...customer, name: 'Sid Q. Split' } },
      'staff',
    );
    const part = await a.call('carts:get', { cartId: moved.waitingPart!.cartId }, 'staff');
    expect(part.customer?.name).toBe('Sid Q. Split');
    expect(part.waitingOf).toBe(cart.id);
    const dropped = await a.call('carts:dropWaiting', { cartId: cart.id }, 'staff');
    expect(dropped.waitingPart).toBeNull();
    expect(dropped.lines[0]!.quantity).toBe(10);
    expect((await a.call('carts:get', { cartId: part.id }, 'staff')).status).toBe('canceled');
  });

  it('a waiting part is not paid on its own while its order is being taken', async () => {
    const cart = await splitCart();
    await expect(
      a.call('payments:pay', { cartId: cart.waitingPart!.cartId, paymentMethod: 'pm_card_visa' }, 'staff'),
    ).rejects.toMatchObject({ code: 'precondition_failed' });
  });
});

describe('paying a split cart', () => {
  it('charges the 10 now and holds the 15 with the same card; the other desk sees two orders and the stock', async () => {
    const cart = await splitCart();
    const paid = await pay(cart, 'pm_card_visa');
    expect(paid.phase).toBe('succeeded');
    expect(paid.waitingPart).toMatchObject({ status: 'on_hold', phase: 'on_hold', lastDecline: null });
    expect(paid.waitingPart!.orderNumber).not.toBe(paid.orderNumber);

    const first = await a.stripe.paymentIntents.retrieve(paid.paymentIntentId!);
    const part = await a.call('carts:get', { cartId: paid.waitingPart!.cartId }, 'staff');
    const second = await a.stripe.paymentIntents.retrieve(part.paymentIntentId!);
    expect([first.status, first.amount, first.capture_method]).toEqual([
      'succeeded',
      cart.total,
      'automatic',
    ]);
    expect([second.status, second.amount, second.capture_method]).toEqual([
      'requires_capture',
      cart.waitingPart!.total,
      'manual',
    ]);
    // One card, one customer: the card was attached only to pay the waiting part, and let go once it was held.
    expect(second.payment_method).toBe(first.payment_method);
    expect(second.customer).toBe(first.customer);
    const card = await a.stripe.paymentMethods.retrieve(first.payment_method as string);
    expect(card.customer).toBeNull();

    await Promise.all([a.sync(), b.sync()]);
    // A replacement laptop, from an empty folder: the same.
    const rebuilt = await startHarness({
      emulator,
      station: 'New laptop',
      dataDir: mkdtempSync(join(tmpdir(), 'mc-split-')),
    });
    await rebuilt.sync();
    for (const h of [a, b, rebuilt]) {
      const { rows } = await h.call('orders:list', { query: customer.name }, 'manager');
      expect(
        rows
          .map((o) => [o.amountTotal, o.amountCaptured, o.paymentState, o.itemCount])
          .sort((x, y) => Number(x[0]) - Number(y[0])),
      ).toEqual([
        [cart.total, cart.total, 'paid', 10],
        [cart.waitingPart!.total, 0, 'authorized', 15],
      ]);
      // The 10 were sold, the 15 are committed to the hold: none is left for a new order.
      expect(await cups(h)).toMatchObject({ onHand: 0, committed: 15, stock: 0 });
      // Each order names the other, from what Stripe says (mc_split on the waiting part).
      const byTotal = new Map(rows.map((o) => [o.amountTotal, o]));
      const one = byTotal.get(cart.total)!;
      const two = byTotal.get(cart.waitingPart!.total)!;
      expect((await h.call('orders:get', { orderId: two.id }, 'manager')).split).toEqual({
        role: 'waiting_part',
        number: one.number,
        orderId: one.id,
      });
      expect((await h.call('orders:get', { orderId: one.id }, 'manager')).split).toEqual({
        role: 'has_waiting_part',
        number: two.number,
        orderId: two.id,
      });
    }
    await rebuilt.close();
    expect(second.metadata.mc_split).toBe(paid.orderNumber);
  });

  it('saves the card for the waiting part when the customer agreed to be charged on arrival', async () => {
    const cart = await splitCart();
    const options = await a.call('waitlist:options', { cartId: cart.waitingPart!.cartId }, 'staff');
    const paid = await pay(cart, 'pm_card_visa', {
      waitlist: 'save_card',
      consentText: options.terms.saveCard,
    });
    expect(paid.phase).toBe('succeeded');
    expect(paid.waitingPart).toMatchObject({ status: 'on_hold', phase: 'card_saved' });
    const first = await a.stripe.paymentIntents.retrieve(paid.paymentIntentId!);
    const card = await a.stripe.paymentMethods.retrieve(first.payment_method as string);
    expect(card.customer).toBe(first.customer);
  });

  it('charges nothing when the waiting part totals another amount than the button named', async () => {
    const cart = await splitCart();
    await expect(
      pay(cart, 'pm_card_visa', { expectedWaitingTotal: cart.waitingPart!.total - 1 }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(pay(cart, 'pm_card_visa', { expectedWaitingTotal: undefined })).rejects.toMatchObject({
      code: 'conflict',
    });
    const pis = (await a.stripe.paymentIntents.list({ limit: 10 })).data;
    expect(pis.filter((p) => p.status === 'succeeded' || p.status === 'requires_capture')).toHaveLength(0);
  });

  it('a declined card pays neither; the waiting part waits for the next card', async () => {
    const cart = await splitCart();
    const declined = await pay(cart, 'pm_card_visa_chargeDeclined');
    expect(declined.lastDecline).not.toBeNull();
    expect(declined.waitingPart).toMatchObject({ status: 'open', phase: 'building', lastDecline: null });
    const paid = await pay(declined, 'pm_card_visa');
    expect(paid.waitingPart?.status).toBe('on_hold');
  });

  it('after 3D Secure on the first order, the waiting part is paid with the same card (asking the bank again)', async () => {
    const cart = await splitCart();
    const asked = await pay(cart, 'pm_card_threeDSecure2Required');
    expect(asked.phase).toBe('authenticating');
    expect(asked.waitingPart?.phase).toBe('building');
    await customerConfirms(asked.paymentIntentId!);
    const after = await a.call('payments:refresh', { cartId: cart.id }, 'staff');
    expect(after.phase).toBe('succeeded');
    // The card asks for the bank's check on every payment: the waiting part has its own link now.
    expect(after.waitingPart).toMatchObject({ status: 'open', phase: 'authenticating' });
    expect(after.waitingPart!.authenticationUrl).toMatch(/^http/);
    // A refresh again does not pay it twice.
    const again = await a.call('payments:refresh', { cartId: cart.id }, 'staff');
    expect(again.waitingPart!.authenticationUrl).toBe(after.waitingPart!.authenticationUrl);
    const pis = (await a.stripe.paymentIntents.list({ limit: 10 })).data;
    expect(pis).toHaveLength(2);
  });

  it('the first order paid on the customer’s own device: the waiting part, opened, is held with the same card', async () => {
    const cart = await splitCart();
    const asked = await pay(cart, 'pm_card_threeDSecure2Required');
    expect(asked.phase).toBe('authenticating');
    // The customer confirms on their phone; the station learns it from Stripe's events, nobody refreshes the cart.
    await customerConfirms(asked.paymentIntentId!);
    await a.sync();
    expect((await a.call('carts:get', { cartId: cart.id }, 'staff')).status).toBe('paid');
    // The waiting part is an unfinished order of its own now; opened and refreshed, it is paid with the same card.
    const open = (await a.call('carts:listOpen', {}, 'staff')).map((c) => c.id);
    expect(open).toEqual([cart.waitingPart!.cartId]);
    const part = await a.call('payments:refresh', { cartId: cart.waitingPart!.cartId }, 'staff');
    expect(part.waitingOf).toBe(cart.id);
    // This card asks the bank on every payment: the waiting part has its own page now, on the same card.
    expect(part.phase).toBe('authenticating');
    const first = await a.stripe.paymentIntents.retrieve(asked.paymentIntentId!);
    const second = await a.stripe.paymentIntents.retrieve(part.paymentIntentId!);
    expect(second.payment_method).toBe(first.payment_method);
  });
});
