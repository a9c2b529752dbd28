// The order being taken survives a reload of the window (the desktop app reloads it after its page crashed):
// the open cart's id, the customer as typed so far and the delivery choice are kept in sessionStorage —
// which lasts as long as the window, not beyond — and after the reload the cart is read back from main and
// resumed, if it is still open, with what was typed. The cart itself was never only here: main keeps it in
// the database (and New order lists it under "Unfinished orders" in any case).
import { useEffect, useState } from 'react';
import { call } from '../../lib/ipc';
import { useCartStore, type CustomerDraft } from '../../stores/cart-store';
import type { Delivery } from '../../../electron/ipc/contract';

export const KEPT_CART_KEY = 'mc.cart';

interface Kept {
  cartId: string;
  customer: CustomerDraft;
  delivery: Delivery;
}

function readKept(): Kept | null {
  try {
    const k = JSON.parse(sessionStorage.getItem(KEPT_CART_KEY) ?? 'null') as Kept | null;
    return k && typeof k.cartId === 'string' ? k : null;
  } catch {
    return null;
  }
}

export function useKeepCart(): void {
  const cartId = useCartStore((s) => (s.cart && s.cart.status === 'open' ? s.cart.id : null));
  const customer = useCartStore((s) => s.customer);
  const delivery = useCartStore((s) => s.delivery);
  // Nothing to read back (nothing kept, or a cart already here): keeping starts at once.
  const [restored, setRestored] = useState(() => !readKept() || !!useCartStore.getState().cart);

  useEffect(() => {
    if (restored) return;
    const kept = readKept()!;
    let live = true;
    call('carts:get', { cartId: kept.cartId })
      .then((cart) => {
        const store = useCartStore.getState();
        if (!live || cart.status !== 'open' || store.cart) return;
        store.resume(cart);
        store.setCustomer(kept.customer);
        store.setDelivery(kept.delivery);
      })
      .catch(() => undefined)
      .finally(() => {
        if (live) setRestored(true);
      });
    return () => {
      live = false;
    };
  }, [restored]);

  useEffect(() => {
    if (!restored) return;
    if (cartId) sessionStorage.setItem(KEPT_CART_KEY, JSON.stringify({ cartId, customer, delivery }));
    else sessionStorage.removeItem(KEPT_CART_KEY);
  }, [cartId, customer, delivery, restored]);
}
