// The phone order being taken: its cart (as main last reported it), the customer form, and the payment
// in progress. Every change goes to main (carts:update) one at a time, in order; main's answer is the truth.
import { create } from 'zustand';
import type {
  Cart,
  CartLine,
  Customer,
  CustomerInput,
  Product,
  TestCard,
  WaitChoice,
} from '../../electron/ipc/contract';
import { call, errorMessage, IpcCallError } from '../lib/ipc';
import { useSessionStore } from './session-store';

export interface CustomerDraft {
  name: string;
  email: string;
  phone: string;
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  state: string;
  country: string;
}

export const emptyCustomer: CustomerDraft = {
  name: '',
  email: '',
  phone: '',
  line1: '',
  line2: '',
  city: '',
  postalCode: '',
  state: '',
  country: 'US',
};

export type CartBusy =
  'idle' | 'creating' | 'updating' | 'paying' | 'authenticating' | 'refreshing' | 'discarding';

interface CartState {
  cart: Cart | null;
  busy: CartBusy;
  error: string | null;
  errorCode: string | null;
  customer: CustomerDraft;
  testCards: TestCard[] | null;
  /** The customer's email/phone as it was saved to the cart, so we only save when it changed. */
  savedCustomerKey: string | null;
  addProduct(p: Product): Promise<void>;
  setQuantity(productId: string, quantity: number): Promise<void>;
  removeLine(productId: string): Promise<void>;
  setCustomer(patch: Partial<CustomerDraft>): void;
  pickCustomer(c: Customer): void;
  loadTestCards(): Promise<void>;
  /** `wait`: how a waitlist cart waits (a hold by default), and the terms read out when its card is saved. */
  pay(
    paymentMethod: string,
    moto: boolean,
    wait?: { waitlist: WaitChoice; saveCard: boolean; consentText?: string; expectedArrival?: string },
  ): Promise<void>;
  authenticate(): Promise<void>;
  refresh(): Promise<void>;
  discard(): Promise<void>;
  resume(cart: Cart): void;
  startNew(): void;
  /** Bumped by startNew: the order form starts afresh (search cleared and focused). */
  orderSeq: number;
  /** main said this cart changed (an event): read it again if it is ours. */
  onCartChanged(cartId: string): Promise<void>;
  clearError(): void;
  reset(): void;
}

const initial = {
  cart: null,
  busy: 'idle' as CartBusy,
  error: null,
  errorCode: null,
  customer: emptyCustomer,
  testCards: null,
  savedCustomerKey: null,
};

/** The customer draft as the contract wants it, or an error message for the person at the console. */
export function customerInput(
  d: CustomerDraft,
): { ok: true; value: CustomerInput } | { ok: false; reason: string } {
  const name = d.name.trim();
  if (!name) return { ok: false, reason: 'Add the customer’s name before taking payment.' };
  const email = d.email.trim();
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    return { ok: false, reason: 'The email address does not look right.' };
  const value: CustomerInput = { name };
  if (email) value.email = email;
  if (d.phone.trim()) value.phone = d.phone.trim();
  if (d.line1.trim()) {
    if (!d.city.trim() || !d.postalCode.trim())
      return { ok: false, reason: 'A shipping address needs a city and a postal code.' };
    const country = d.country.trim().toUpperCase();
    if (!/^[A-Z]{2}$/.test(country))
      return { ok: false, reason: 'The country is a two-letter code, e.g. US.' };
    value.shipping = {
      line1: d.line1.trim(),
      city: d.city.trim(),
      postalCode: d.postalCode.trim(),
      country,
      ...(d.line2.trim() ? { line2: d.line2.trim() } : {}),
      ...(d.state.trim() ? { state: d.state.trim() } : {}),
    };
  }
  return { ok: true, value };
}

function draftFrom(c: Customer): CustomerDraft {
  return {
    name: c.name,
    email: c.email ?? '',
    phone: c.phone ?? '',
    line1: c.shipping?.line1 ?? '',
    line2: c.shipping?.line2 ?? '',
    city: c.shipping?.city ?? '',
    postalCode: c.shipping?.postalCode ?? '',
    state: c.shipping?.state ?? '',
    country: c.shipping?.country ?? 'US',
  };
}

const linesInput = (lines: CartLine[]) =>
  lines.map((l) => ({ productId: l.productId, quantity: l.quantity }));

// Changes run one after another so a fast "+ + +" arrives in order.
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

export const useCartStore = create<CartState>()((set, get) => {
  const fail = (e: unknown) => {
    useSessionStore.getState().noteError(e);
    set({ error: errorMessage(e), errorCode: e instanceof IpcCallError ? e.code : 'internal' });
  };

  async function ensureCart(): Promise<Cart> {
    const existing = get().cart;
    if (existing && existing.status === 'open') return existing;
    set({ busy: 'creating' });
    const cart = await call('carts:create', { currency: 'usd' });
    set({ cart, savedCustomerKey: null });
    return cart;
  }

  async function changeLines(
    mutate: (lines: { productId: string; quantity: number }[]) => { productId: string; quantity: number }[],
  ) {
    return serial(async () => {
      set({ error: null, errorCode: null });
      try {
        const cart = await ensureCart();
        set({ busy: 'updating' });
        const lines = mutate(linesInput(get().cart?.lines ?? cart.lines));
        const updated = await call('carts:update', { cartId: cart.id, lines });
        set({ cart: updated });
      } catch (e) {
        fail(e);
      } finally {
        set({ busy: 'idle' });
      }
    });
  }

  return {
    ...initial,
    orderSeq: 0,
    addProduct(p) {
      return changeLines((lines) => {
        const found = lines.find((l) => l.productId === p.id);
        if (found)
          return lines.map((l) =>
            l.productId === p.id ? { ...l, quantity: Math.min(999, l.quantity + 1) } : l,
          );
        return [...lines, { productId: p.id, quantity: 1 }];
      });
    },
    setQuantity(productId, quantity) {
      const q = Math.max(1, Math.min(999, Math.floor(quantity)));
      return changeLines((lines) =>
        lines.map((l) => (l.productId === productId ? { ...l, quantity: q } : l)),
      );
    },
    removeLine(productId) {
      return changeLines((lines) => lines.filter((l) => l.productId !== productId));
    },
    setCustomer(patch) {
      set({ customer: { ...get().customer, ...patch } });
    },
    pickCustomer(c) {
      set({ customer: draftFrom(c) });
    },
    async loadTestCards() {
      if (get().testCards) return;
      try {
        set({ testCards: await call('payments:testCards', {}) });
      } catch (e) {
        if (e instanceof IpcCallError && e.code === 'not_available') set({ testCards: [] });
        else fail(e);
      }
    },
    pay(paymentMethod, moto, wait) {
      // One payment at a time: a second press while one runs does nothing.
      if (get().busy === 'paying') return Promise.resolve();
      const cart = get().cart;
      if (!cart) return Promise.resolve();
      const input = customerInput(get().customer);
      if (!input.ok) {
        set({ error: input.reason, errorCode: 'invalid_input' });
        return Promise.resolve();
      }
      set({ busy: 'paying', error: null, errorCode: null });
      return serial(async () => {
        try {
          const key = JSON.stringify(input.value);
          if (get().savedCustomerKey !== key) {
            const withCustomer = await call('carts:update', { cartId: cart.id, customer: input.value });
            set({ cart: withCustomer, savedCustomerKey: key });
          }
          const paid = await call('payments:pay', {
            cartId: cart.id,
            paymentMethod,
            moto,
            ...(wait && cart.waitlist ? wait : {}),
          });
          set({ cart: paid });
        } catch (e) {
          fail(e);
          // The cart may have moved (a decline recorded, a pending state): read it back.
          try {
            set({ cart: await call('carts:get', { cartId: cart.id }) });
          } catch {
            /* keep the error shown */
          }
        } finally {
          set({ busy: 'idle' });
        }
      });
    },
    async authenticate() {
      const cart = get().cart;
      if (!cart || get().busy !== 'idle') return;
      set({ busy: 'authenticating', error: null, errorCode: null });
      try {
        set({ cart: await call('payments:authenticate', { cartId: cart.id }) });
      } catch (e) {
        fail(e);
      } finally {
        set({ busy: 'idle' });
      }
    },
    async refresh() {
      const cart = get().cart;
      if (!cart || get().busy !== 'idle') return;
      set({ busy: 'refreshing', error: null, errorCode: null });
      try {
        set({ cart: await call('payments:refresh', { cartId: cart.id }) });
      } catch (e) {
        fail(e);
      } finally {
        set({ busy: 'idle' });
      }
    },
    async discard() {
      const cart = get().cart;
      if (!cart) return;
      set({ busy: 'discarding', error: null, errorCode: null });
      try {
        if (cart.status === 'open') await call('carts:discard', { cartId: cart.id });
        set({ ...initial, testCards: get().testCards });
      } catch (e) {
        fail(e);
      } finally {
        set({ busy: 'idle' });
      }
    },
    resume(cart) {
      set({
        ...initial,
        testCards: get().testCards,
        cart,
        customer: cart.customer ? draftFrom(cart.customer) : emptyCustomer,
        savedCustomerKey: null,
      });
    },
    startNew() {
      set({ ...initial, testCards: get().testCards, orderSeq: get().orderSeq + 1 });
    },
    async onCartChanged(cartId) {
      const cart = get().cart;
      if (!cart || cart.id !== cartId || get().busy !== 'idle') return;
      try {
        const fresh = await call('carts:get', { cartId });
        if (get().cart?.id === cartId && get().busy === 'idle') set({ cart: fresh });
      } catch {
        /* the next action will say what is wrong */
      }
    },
    clearError() {
      set({ error: null, errorCode: null });
    },
    reset() {
      queue = Promise.resolve();
      set({ ...initial });
    },
  };
});
