import { describe, expect, it } from 'vitest';
import type { CartLine, Product } from '../../../../electron/ipc/contract';
import { customerInput, emptyCustomer, useCartStore } from '../../../../src/stores/cart-store';
import { FakeIpcError, installApi, useCleanStores } from '../fake-api';
import { cart } from '../fixtures';

useCleanStores();

const tea: Product = {
  id: 'prod_tea',
  sku: 'TEA',
  name: 'Tea',
  unitAmount: 1250,
  currency: 'usd',
  stock: 5,
  oversold: 0,
  active: true,
};
const whisk: Product = {
  id: 'prod_whisk',
  sku: 'WHISK',
  name: 'Whisk',
  unitAmount: 1800,
  currency: 'usd',
  stock: 0,
  oversold: 0,
  active: true,
};
const catalog = new Map([
  [tea.id, tea],
  [whisk.id, whisk],
]);

/** A fake main that prices lines like the real one: waitlist when stock is short. */
function fakeCarts() {
  let current = cart();
  return installApi({
    'carts:create': () => (current = cart({ id: `cart_${Math.random().toString(36).slice(2, 8)}` })),
    'carts:update': (i) => {
      const lines: CartLine[] = (i.lines ?? current.lines).map((l) => {
        const p = catalog.get(l.productId)!;
        return {
          productId: p.id,
          sku: p.sku,
          name: p.name,
          unitAmount: p.unitAmount,
          quantity: l.quantity,
          lineTotal: p.unitAmount * l.quantity,
          waitlist: p.stock < l.quantity,
        };
      });
      current = {
        ...current,
        lines,
        total: lines.reduce((s, l) => s + l.lineTotal, 0),
        waitlist: lines.some((l) => l.waitlist),
        ...(i.customer ? { customer: { id: 'cus_1', ...i.customer } } : {}),
      };
      return current;
    },
    'carts:get': () => current,
    'products:search': (i) => [...catalog.values()].filter((p) => p.sku.includes(i.query.toUpperCase())),
    'carts:discard': () => (current = { ...current, status: 'canceled', phase: 'canceled' }),
    'payments:pay': () => (current = { ...current, status: 'paid', phase: 'succeeded' }),
  });
}

describe('cart store', () => {
  it('creates the cart on the first item and keeps main’s totals', async () => {
    const api = fakeCarts();
    await useCartStore.getState().addProduct(tea);
    await useCartStore.getState().addProduct(tea);
    const c = useCartStore.getState().cart!;
    expect(api.callsTo('carts:create')).toHaveLength(1);
    expect(c.lines).toEqual([
      expect.objectContaining({ productId: 'prod_tea', quantity: 2, lineTotal: 2500 }),
    ]);
    expect(c.total).toBe(2500);
  });

  it('flags a waitlist cart when stock is short, once staff chose to wait', async () => {
    fakeCarts();
    await useCartStore.getState().addProduct(whisk);
    await useCartStore.getState().answerStock('all_waiting');
    expect(useCartStore.getState().cart!.waitlist).toBe(true);
    expect(useCartStore.getState().cart!.lines[0]!.waitlist).toBe(true);
  });

  it('applies quick changes in order', async () => {
    const api = fakeCarts();
    await useCartStore.getState().addProduct(tea);
    const s = useCartStore.getState();
    await Promise.all([s.setQuantity('prod_tea', 2), s.setQuantity('prod_tea', 3), s.addProduct(whisk)]);
    await useCartStore.getState().answerStock('all_waiting');
    const lines = api.callsTo('carts:update').map((i) => (i as { lines: { quantity: number }[] }).lines);
    expect(lines.at(-1)).toEqual([
      { productId: 'prod_tea', quantity: 3 },
      { productId: 'prod_whisk', quantity: 1 },
    ]);
    await s.removeLine('prod_whisk');
    expect(useCartStore.getState().cart!.lines.map((l) => l.productId)).toEqual(['prod_tea']);
  });

  it('new quantities that take a discount past what a manager allowed: nothing changes until a manager’s PIN', async () => {
    const api = fakeCarts();
    const update = api.handlers['carts:update']!;
    api.handlers['carts:update'] = (i) => {
      if ((i.lines?.[0]?.quantity ?? 0) >= 3 && i.approvalPin !== '2468') {
        if (i.approvalPin) throw new FakeIpcError('bad_pin', 'That is not a manager’s PIN.');
        throw new FakeIpcError('forbidden', 'With this change the discount comes to $9.45.', {
          approvalNeeded: true,
        });
      }
      return update(i);
    };
    const s = useCartStore.getState();
    await s.addProduct(tea);
    await s.setQuantity('prod_tea', 3);
    expect(useCartStore.getState().discountApproval).toEqual({
      message: 'With this change the discount comes to $9.45.',
      lines: [{ productId: 'prod_tea', quantity: 3 }],
    });
    expect(useCartStore.getState().error).toBeNull();
    expect(useCartStore.getState().cart!.lines[0]!.quantity).toBe(1);
    // A wrong PIN is refused to the dialog; the right one sends the same lines with it.
    await expect(s.approveLines('0000')).rejects.toThrow('not a manager');
    expect(useCartStore.getState().discountApproval).not.toBeNull();
    await s.approveLines('2468');
    expect(useCartStore.getState().discountApproval).toBeNull();
    expect(useCartStore.getState().cart!.lines[0]!.quantity).toBe(3);
    expect(api.callsTo('carts:update').at(-1)).toMatchObject({
      lines: [{ productId: 'prod_tea', quantity: 3 }],
      approvalPin: '2468',
    });
    // Cancelled: nothing changes, and the quantity fields show the cart's quantities again.
    const answered = useCartStore.getState().answered;
    await s.setQuantity('prod_tea', 4);
    await s.approveLines(null);
    expect(useCartStore.getState().discountApproval).toBeNull();
    expect(useCartStore.getState().answered).toBe(answered + 1);
    expect(useCartStore.getState().cart!.lines[0]!.quantity).toBe(3);
  });

  it('asks before taking more than is available: the units in stock, all waiting, or nothing (issue 23 item 13)', async () => {
    const api = fakeCarts();
    const s = useCartStore.getState();
    await s.addProduct(tea);
    // 25 asked of 5 available: nothing changes until staff choose; nothing can be paid meanwhile.
    await s.setQuantity('prod_tea', 25);
    expect(useCartStore.getState().stockQuestion).toEqual({
      productId: 'prod_tea',
      name: 'Tea',
      wanted: 25,
      available: 5,
    });
    expect(useCartStore.getState().cart!.lines[0]!.quantity).toBe(1);
    expect(useCartStore.getState().cart!.waitlist).toBe(false);
    s.setDelivery('collect');
    s.setCustomer({ name: 'Ann' });
    await s.pay('pm_card_visa', false);
    expect(useCartStore.getState().error).toMatch(/only 5 are in stock/);
    expect(api.callsTo('payments:pay')).toHaveLength(0);
    // The units in stock only: 5, no hold.
    await s.answerStock('in_stock');
    expect(useCartStore.getState().stockQuestion).toBeNull();
    expect(useCartStore.getState().cart!.lines[0]).toMatchObject({ quantity: 5, waitlist: false });
    // Asked again, and all waiting this time: 25 on a waitlist line; more of it asks no more.
    await s.setQuantity('prod_tea', 25);
    await s.answerStock('all_waiting');
    expect(useCartStore.getState().cart!.lines[0]).toMatchObject({ quantity: 25, waitlist: true });
    await s.setQuantity('prod_tea', 26);
    expect(useCartStore.getState().stockQuestion).toBeNull();
    expect(useCartStore.getState().cart!.lines[0]!.quantity).toBe(26);
    // An out-of-stock product: Cancel adds nothing.
    await s.addProduct(whisk);
    expect(useCartStore.getState().stockQuestion).toMatchObject({ wanted: 1, available: 0 });
    await s.answerStock('cancel');
    expect(useCartStore.getState().cart!.lines.map((l) => l.productId)).toEqual(['prod_tea']);
  });

  it('"5 now, 20 waiting": main splits the cart; pay names both totals and the waiting part’s choice', async () => {
    const api = fakeCarts();
    const part = {
      cartId: 'cart_part',
      status: 'open' as const,
      phase: 'building' as const,
      lines: [],
      total: 25_000,
      taxTotal: 0,
      orderNumber: null,
      lastDecline: null,
      authenticationUrl: null,
    };
    api.handlers['carts:splitWaiting'] = () => ({
      ...useCartStore.getState().cart!,
      lines: [{ ...useCartStore.getState().cart!.lines[0]!, quantity: 5, lineTotal: 6250 }],
      total: 6250,
      waitingPart: part,
    });
    const s = useCartStore.getState();
    await s.addProduct(tea);
    await s.setQuantity('prod_tea', 25);
    await s.answerStock('split');
    expect(api.callsTo('carts:splitWaiting')).toEqual([
      { cartId: useCartStore.getState().cart!.id, productId: 'prod_tea', quantity: 25 },
    ]);
    expect(useCartStore.getState().stockQuestion).toBeNull();
    expect(useCartStore.getState().cart!.waitingPart?.total).toBe(25_000);
    // main keeps the split cart (the customer is sent with it before paying).
    const split = useCartStore.getState().cart!;
    api.handlers['carts:update'] = (i) => ({ ...split, customer: { id: 'cus_1', ...i.customer! } });
    s.setDelivery('collect');
    s.setCustomer({ name: 'Ann' });
    await s.pay('pm_card_visa', false, { waitlist: 'hold', saveCard: false }, 6250, 25_000);
    expect(api.callsTo('payments:pay').at(-1)).toMatchObject({
      expectedTotal: 6250,
      expectedWaitingTotal: 25_000,
      waitlist: 'hold',
    });
  });

  it('a stock check that answers after staff answered the question does not ask it again', async () => {
    const api = fakeCarts();
    const s = useCartStore.getState();
    await s.addProduct(tea);
    await s.setQuantity('prod_tea', 8);
    expect(useCartStore.getState().stockQuestion).toMatchObject({ wanted: 8, available: 5 });
    // The same 8 sent again (the field left) while its stock check is still out; staff answer meanwhile.
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const search = api.handlers['products:search']!;
    api.handlers['products:search'] = async (i) => {
      await slow;
      return search(i as never);
    };
    const again = s.setQuantity('prod_tea', 8);
    await Promise.resolve();
    const answered = s.answerStock('in_stock');
    release();
    await again;
    await answered;
    expect(useCartStore.getState().stockQuestion).toBeNull();
    expect(useCartStore.getState().cart!.lines[0]!.quantity).toBe(5);
  });

  it('asks for the customer’s name before paying', async () => {
    const api = fakeCarts();
    await useCartStore.getState().addProduct(tea);
    useCartStore.getState().setDelivery('collect');
    await useCartStore.getState().pay('pm_card_visa', false);
    expect(useCartStore.getState().error).toMatch(/customer’s name/);
    expect(useCartStore.getState().attempted).toBe(true);
    expect(api.callsTo('payments:pay')).toHaveLength(0);
  });

  it('asks for the address a shipped order needs before paying, and sends the delivery with the customer', async () => {
    const api = fakeCarts();
    await useCartStore.getState().addProduct(tea);
    useCartStore.getState().setCustomer({ name: 'Ann', phone: '(555) 010-1234' });
    await useCartStore.getState().pay('pm_card_visa', false);
    expect(useCartStore.getState().error).toBe(
      'Check the 4 fields marked in Customer: address, city, state, postal code.',
    );
    expect(api.callsTo('payments:pay')).toHaveLength(0);
    useCartStore
      .getState()
      .setCustomer({ line1: '12 Leaf Lane', city: 'Portland', state: 'OR', postalCode: '97201' });
    await useCartStore.getState().pay('pm_card_visa', false);
    expect(api.callsTo('carts:update').at(-1)).toMatchObject({
      delivery: 'ship',
      // The phone as typed is saved in E.164.
      customer: { name: 'Ann', phone: '+15550101234', shipping: { state: 'OR', country: 'US' } },
    });
    expect(api.callsTo('payments:pay')).toHaveLength(1);
  });

  it('saves the customer then pays, once, even if pressed twice', async () => {
    const api = fakeCarts();
    await useCartStore.getState().addProduct(tea);
    useCartStore.getState().setCustomer({ name: 'Ann', email: 'ann@example.com' });
    useCartStore.getState().setDelivery('collect');
    await Promise.all([
      useCartStore.getState().pay('pm_card_visa', false),
      useCartStore.getState().pay('pm_card_visa', false),
    ]);
    expect(api.callsTo('payments:pay')).toEqual([
      { cartId: useCartStore.getState().cart!.id, paymentMethod: 'pm_card_visa', moto: false },
    ]);
    expect(useCartStore.getState().cart!.phase).toBe('succeeded');
    expect(api.callsTo('carts:update').at(-1)).toMatchObject({
      customer: { name: 'Ann', email: 'ann@example.com' },
    });
  });

  it('shows a failed payment and reads the cart back', async () => {
    const api = fakeCarts();
    api.handlers['payments:pay'] = () => {
      throw new FakeIpcError('pending_confirmation', 'Stripe did not confirm this in time.');
    };
    api.handlers['carts:get'] = () =>
      cart({ id: useCartStore.getState().cart!.id, phase: 'pending_confirmation' });
    await useCartStore.getState().addProduct(tea);
    useCartStore.getState().setCustomer({ name: 'Ann' });
    useCartStore.getState().setDelivery('collect');
    await useCartStore.getState().pay('pm_card_visa', false);
    expect(useCartStore.getState().errorCode).toBe('pending_confirmation');
    expect(useCartStore.getState().cart!.phase).toBe('pending_confirmation');
    expect(useCartStore.getState().busy).toBe('idle');
  });

  it('validates the customer form', () => {
    expect(customerInput({ ...emptyCustomer, name: ' ' }).ok).toBe(false);
    expect(customerInput({ ...emptyCustomer, name: 'A', email: 'nope' }).ok).toBe(false);
    expect(customerInput({ ...emptyCustomer, name: 'A', line1: '1 Road' }).ok).toBe(false);
    expect(
      customerInput({
        ...emptyCustomer,
        name: 'A',
        line1: '1 Road',
        city: 'X',
        state: 'OR',
        postalCode: '97201',
        country: 'US',
      }),
    ).toEqual({
      ok: true,
      value: {
        name: 'A',
        shipping: { line1: '1 Road', city: 'X', state: 'OR', postalCode: '97201', country: 'US' },
      },
    });
    // Collected in person: no address is needed, and none is sent.
    expect(
      customerInput({ ...emptyCustomer, name: 'A', line1: '1 Road' }, { country: 'US', delivery: 'collect' }),
    ).toEqual({ ok: true, value: { name: 'A' } });
  });

  it('resets', async () => {
    fakeCarts();
    await useCartStore.getState().addProduct(tea);
    useCartStore.getState().reset();
    expect(useCartStore.getState().cart).toBeNull();
    expect(useCartStore.getState().customer).toEqual(emptyCustomer);
  });
});
