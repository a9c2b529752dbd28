// The order being taken comes back after the window is reloaded (the desktop app reloads a crashed page).
import { act, render, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { KEPT_CART_KEY, useKeepCart } from '../../../../src/features/new-order/useKeepCart';
import { emptyCustomer, useCartStore } from '../../../../src/stores/cart-store';
import { installApi, useCleanStores } from '../fake-api';
import { cart } from '../fixtures';

useCleanStores();
afterEach(() => sessionStorage.clear());

function Probe() {
  useKeepCart();
  return null;
}

describe('useKeepCart', () => {
  it('keeps the open cart’s id for the window, and forgets it once the order is finished', async () => {
    installApi({});
    render(<Probe />);
    act(() => useCartStore.getState().resume(cart({ id: 'cart_7', status: 'open' })));
    act(() => useCartStore.getState().setCustomer({ name: 'Rita' }));
    await waitFor(() =>
      expect(JSON.parse(sessionStorage.getItem(KEPT_CART_KEY)!)).toMatchObject({
        cartId: 'cart_7',
        customer: { name: 'Rita' },
      }),
    );
    act(() => useCartStore.setState({ cart: cart({ id: 'cart_7', status: 'paid', phase: 'succeeded' }) }));
    await waitFor(() => expect(sessionStorage.getItem(KEPT_CART_KEY)).toBeNull());
  });

  const kept = (cartId: string) =>
    JSON.stringify({
      cartId,
      customer: { ...emptyCustomer, name: 'Rita', email: 'rita@example.com' },
      delivery: 'collect',
    });

  it('after a reload: reads the cart back from main and resumes it if still open, with what was typed', async () => {
    sessionStorage.setItem(KEPT_CART_KEY, kept('cart_7'));
    const api = installApi({ 'carts:get': () => cart({ id: 'cart_7', status: 'open', customer: null }) });
    render(<Probe />);
    await waitFor(() => expect(useCartStore.getState().cart?.id).toBe('cart_7'));
    expect(api.callsTo('carts:get')).toEqual([{ cartId: 'cart_7' }]);
    expect(useCartStore.getState().customer).toMatchObject({ name: 'Rita', email: 'rita@example.com' });
    expect(useCartStore.getState().delivery).toBe('collect');
    expect(JSON.parse(sessionStorage.getItem(KEPT_CART_KEY)!).cartId).toBe('cart_7');
  });

  it('a cart finished meanwhile (paid from another station) is not resumed, and is forgotten', async () => {
    sessionStorage.setItem(KEPT_CART_KEY, kept('cart_7'));
    installApi({ 'carts:get': () => cart({ id: 'cart_7', status: 'paid', phase: 'succeeded' }) });
    render(<Probe />);
    await waitFor(() => expect(sessionStorage.getItem(KEPT_CART_KEY)).toBeNull());
    expect(useCartStore.getState().cart).toBeNull();
  });
});
