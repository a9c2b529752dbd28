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
import type { Delivery } from '../../electron/ipc/contract';
import { call, errorMessage, IpcCallError } from '../lib/ipc';
import { customerErrors, type CustomerErrors } from '../lib/validation';
import { normalizePhone } from '../../electron/ipc/phone';
import { checkRegion } from '../../electron/ipc/address';

const regionCode = (country: string, state: string) => {
  const r = checkRegion(country, state);
  return r.ok ? r.code : state.trim();
};
import { formatMoney } from '../lib/money';
import { LIMITS } from '../lib/validation';

const FIELD_NAMES: Record<keyof CustomerErrors, string> = {
  name: 'name',
  email: 'email',
  phone: 'phone',
  line1: 'address',
  line2: 'address line 2',
  city: 'city',
  postalCode: 'postal code',
  state: 'state',
  country: 'country',
};
import { useSessionStore } from './session-store';
import { useGlanceStore } from './glance-store';

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
  /** Tax-exempt (a Stripe Customer's tax_exempt), with the reason or certificate number. */
  exempt?: boolean;
  exemptReason?: string;
  /** The customer picked was exempt: unticking the box clears it at Stripe. */
  wasExempt?: boolean;
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
  /** Shipped to the customer, or collected in person (then no address is needed). */
  delivery: Delivery;
  /** Staff tried to take payment: fields that a payment needs now say what is missing. */
  attempted: boolean;
  /** The test card picked for this order; the next order starts from the default again. */
  card: string;
  /**
   * Quantity fields whose text is not a valid quantity (product id → why): while any is here nothing is
   * charged or held, and the pay button names no amount (the cart's total is of the last valid quantity).
   */
  quantityErrors: Record<string, string>;
  /** Staff set this order's shipping fee themselves: the shop's usual fee no longer follows the delivery. */
  feeTouched: boolean;
  /**
   * More was asked of a product than is available (on hand less what waiting orders are committed): nothing
   * changed yet; staff choose the units in stock only, or all of them waiting (a waitlist order). Never a
   * silent hold (issue 23 item 13).
   */
  stockQuestion: StockQuestion | null;
  /** Bumped when a question is answered: the quantity fields show the cart's quantities again. */
  answered: number;
  /**
   * New quantities take a discount past the shop's limit (or past what the manager allowed): main changed
   * nothing and asks for a manager's PIN (Discounts shows the PIN dialog); `lines` are the lines asked for.
   */
  discountApproval: { message: string; lines: { productId: string; quantity: number }[] } | null;
  /** Send the lines asked for again with the manager's PIN (throws a refusal to the dialog); null: drop them. */
  approveLines(pin: string | null): Promise<void>;
  /**
   * `split`: the units available now on this order, the rest on its waiting part (a second order for the same
   * customer, paid right after this one with the same card).
   */
  answerStock(choice: 'in_stock' | 'split' | 'all_waiting' | 'cancel'): Promise<void>;
  /** Drop the waiting part (this order keeps its lines). */
  dropWaiting(): Promise<void>;
  setFeeTouched(): void;
  /** A quantity field reports what it holds now (null: valid, or the field is gone). */
  setQuantityError(productId: string, reason: string | null): void;
  setDelivery(d: Delivery): void;
  setCard(paymentMethod: string): void;
  addProduct(p: Product): Promise<void>;
  setQuantity(productId: string, quantity: number): Promise<void>;
  removeLine(productId: string): Promise<void>;
  setCustomer(patch: Partial<CustomerDraft>): void;
  pickCustomer(c: Customer): void;
  /** Sends the customer (address, exemption) and delivery to main when they changed, so the cart is priced again. */
  syncCustomer(): Promise<void>;
  loadTestCards(): Promise<void>;
  /** `wait`: how a waitlist cart waits (a hold by default), and the terms read out when its card is saved. */
  pay(
    paymentMethod: string,
    moto: boolean,
    wait?: { waitlist: WaitChoice; saveCard: boolean; consentText?: string; expectedArrival?: string },
    /** The amount the button named when pressed: the payment is refused unless the cart still totals it. */
    expectedTotal?: number,
    /** With a waiting part: the amount the button named for it (then `wait` is how it waits). */
    expectedWaitingTotal?: number,
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

export interface StockQuestion {
  productId: string;
  name: string;
  /** The quantity asked for. */
  wanted: number;
  /** What a new order may take now (catalog/stock-sql.ts "available"). */
  available: number;
}

const initial = {
  stockQuestion: null as StockQuestion | null,
  discountApproval: null as CartState['discountApproval'],
  answered: 0,
  cart: null,
  busy: 'idle' as CartBusy,
  error: null,
  errorCode: null,
  customer: emptyCustomer,
  testCards: null,
  savedCustomerKey: null,
  delivery: 'ship' as Delivery,
  attempted: false,
  card: 'pm_card_visa',
  quantityErrors: {} as Record<string, string>,
  feeTouched: false,
};

/** The shop's usual shipping fee (its settings, shared by every station); 0 when it has none. */
const usualFee = () => useGlanceStore.getState().shop?.defaultShippingFee ?? 0;

/** Why nothing can be paid while a quantity field is invalid, or null when every field is valid. */
export function quantityBlock(
  errors: Record<string, string>,
  lines: CartLine[],
  question: StockQuestion | null = null,
): string | null {
  if (question) return `Choose how many ${question.name} to take: only ${question.available} are in stock.`;
  const bad = lines.filter((l) => errors[l.productId]);
  if (bad.length === 0) return null;
  return bad.length === 1
    ? `Fix the quantity of ${bad[0]!.name} (it says why) before taking payment.`
    : `Fix the ${bad.length} quantities marked in Order before taking payment.`;
}

export const DEFAULT_TEST_CARD = initial.card;
const shopCountry = () => useSessionStore.getState().info?.country ?? 'US';

/**
 * The customer draft as the contract wants it (the phone in E.164, read with the shop's country), or what is
 * wrong with it: a message per field (shown at the field) and one sentence for the payment panel.
 */
export function customerInput(
  d: CustomerDraft,
  opts: { country: string; delivery: Delivery } = { country: 'US', delivery: 'ship' },
): { ok: true; value: CustomerInput } | { ok: false; reason: string; errors: CustomerErrors } {
  const errors = customerErrors(d, {
    shopCountry: opts.country,
    ship: opts.delivery === 'ship',
    required: true,
  });
  const fields = Object.keys(errors) as (keyof CustomerErrors)[];
  if (fields.length > 0)
    return {
      ok: false,
      errors,
      reason:
        fields.length === 1 && errors.name
          ? 'Add the customer’s name before taking payment.'
          : `Check ${fields.length === 1 ? 'the field' : `the ${fields.length} fields`} marked in Customer: ${fields.map((f) => FIELD_NAMES[f]).join(', ')}.`,
    };
  if (d.exempt && !(d.exemptReason ?? '').trim())
    return {
      ok: false,
      errors,
      reason: 'Enter the tax exemption’s reason or certificate number (in Customer), or untick Tax-exempt.',
    };
  const name = d.name.trim();
  const email = d.email.trim();
  const value: CustomerInput = { name };
  if (d.exempt) value.taxExempt = (d.exemptReason ?? '').trim().slice(0, 100);
  else if (d.wasExempt) value.taxExempt = null;
  if (email) value.email = email;
  if (d.phone.trim()) value.phone = normalizePhone(d.phone, opts.country);
  if (d.line1.trim() && opts.delivery === 'ship') {
    const country = d.country.trim().toUpperCase();
    value.shipping = {
      line1: d.line1.trim(),
      city: d.city.trim(),
      postalCode: d.postalCode.trim(),
      country,
      ...(d.line2.trim() ? { line2: d.line2.trim() } : {}),
      // "oregon" or "or" is sent as the post writes it: "OR" (checked above).
      ...(d.state.trim() ? { state: regionCode(country, d.state) } : {}),
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
    exempt: !!c.taxExempt,
    exemptReason: c.taxExempt ?? '',
    wasExempt: !!c.taxExempt,
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

  /**
   * Change the lines, in order with every other change. `ask` looks at the lines as they are by then: when it
   * returns a question (more asked than is available), nothing changes and staff are asked (stockQuestion).
   */
  async function changeLines(
    mutate: (lines: { productId: string; quantity: number }[]) => { productId: string; quantity: number }[],
    ask?: (lines: CartLine[]) => StockQuestion | null | Promise<StockQuestion | null>,
  ) {
    return serial(async () => {
      set({ error: null, errorCode: null });
      let lines: { productId: string; quantity: number }[] | null = null;
      try {
        if (ask) {
          const open = get().cart;
          const answeredBefore = get().answered;
          const question = await ask(open && open.status === 'open' ? open.lines : []);
          if (question) {
            // A question answered meanwhile (staff were quicker than the stock check) is not asked again.
            if (get().answered === answeredBefore) set({ stockQuestion: question });
            return;
          }
        }
        const cart = await ensureCart();
        set({ busy: 'updating' });
        lines = mutate(linesInput(get().cart?.lines ?? cart.lines));
        // A shipped order carries the shop's usual fee unless staff changed it (issue 23 item 12).
        const fee = get().delivery === 'ship' && !get().feeTouched ? usualFee() : null;
        const updated = await call('carts:update', {
          cartId: cart.id,
          lines,
          ...(fee !== null && fee !== (get().cart?.shippingFee ?? cart.shippingFee ?? 0)
            ? { shippingFee: fee }
            : {}),
        });
        set({ cart: updated });
      } catch (e) {
        if (e instanceof IpcCallError && e.code === 'forbidden' && e.details?.approvalNeeded && lines)
          set({ discountApproval: { message: e.message, lines } });
        else fail(e);
      } finally {
        set({ busy: 'idle' });
      }
    });
  }

  /** What a new order may take of a product now (its "available"), as main says. */
  async function availableOf(productId: string, sku: string): Promise<number | null> {
    const found = await call('products:search', { query: sku.slice(0, LIMITS.productQuery), limit: 5 });
    return found.find((x) => x.id === productId)?.stock ?? null;
  }

  /** A line at a quantity (added if missing). */
  const withQuantity =
    (productId: string, quantity: number) => (lines: { productId: string; quantity: number }[]) =>
      lines.some((l) => l.productId === productId)
        ? lines.map((l) => (l.productId === productId ? { ...l, quantity } : l))
        : [...lines, { productId, quantity }];

  return {
    ...initial,
    orderSeq: 0,
    addProduct(p) {
      // More than is available (the line is not already waiting for stock): ask, never a silent hold.
      const ask = (lines: CartLine[]): StockQuestion | null => {
        const line = lines.find((l) => l.productId === p.id);
        const wanted = Math.min(LIMITS.quantityMax, (line?.quantity ?? 0) + 1);
        return wanted > p.stock && !line?.waitlist
          ? { productId: p.id, name: p.name, wanted, available: p.stock }
          : null;
      };
      return changeLines((lines) => {
        const found = lines.find((l) => l.productId === p.id);
        if (found)
          return lines.map((l) =>
            l.productId === p.id ? { ...l, quantity: Math.min(999, l.quantity + 1) } : l,
          );
        return [...lines, { productId: p.id, quantity: 1 }];
      }, ask);
    },
    setQuantity(productId, quantity) {
      const q = Math.max(1, Math.min(999, Math.floor(quantity)));
      // More of an in-stock line: is there that much? (A waitlist line already waits for what is missing.)
      const ask = async (lines: CartLine[]): Promise<StockQuestion | null> => {
        const line = lines.find((l) => l.productId === productId);
        if (!line || q <= line.quantity || line.waitlist) return null;
        const available = await availableOf(productId, line.sku);
        return available !== null && q > available
          ? { productId, name: line.name, wanted: q, available }
          : null;
      };
      return changeLines(withQuantity(productId, q), ask);
    },
    removeLine(productId) {
      get().setQuantityError(productId, null);
      return changeLines((lines) => lines.filter((l) => l.productId !== productId));
    },
    setQuantityError(productId, reason) {
      const now = get().quantityErrors;
      if ((now[productId] ?? null) === reason) return;
      const next = { ...now };
      if (reason === null) delete next[productId];
      else next[productId] = reason;
      set({ quantityErrors: next });
    },
    setCustomer(patch) {
      set({ customer: { ...get().customer, ...patch } });
    },
    pickCustomer(c) {
      set({ customer: draftFrom(c) });
      void get().syncCustomer();
    },
    syncCustomer() {
      const cart = get().cart;
      if (!cart || cart.status !== 'open' || !['building', 'awaiting_card'].includes(cart.phase))
        return Promise.resolve();
      const delivery = get().delivery;
      const input = customerInput(get().customer, { country: shopCountry(), delivery });
      // Only a customer the contract takes: a half-typed one is sent when it is complete (or at payment).
      if (!input.ok) return Promise.resolve();
      const key = JSON.stringify([input.value, delivery]);
      if (get().savedCustomerKey === key) return Promise.resolve();
      return serial(async () => {
        if (get().savedCustomerKey === key || get().busy === 'paying') return;
        try {
          const updated = await call('carts:update', { cartId: cart.id, customer: input.value, delivery });
          if (get().cart?.id === cart.id) set({ cart: updated, savedCustomerKey: key });
        } catch (e) {
          fail(e);
        }
      });
    },
    setDelivery(delivery) {
      set({ delivery });
      // Collected in person: no shipping fee; shipped: the usual one — unless staff set the fee themselves.
      const cart = get().cart;
      void get().syncCustomer();
      if (!cart || cart.status !== 'open' || cart.phase !== 'building' || get().feeTouched) return;
      const fee = delivery === 'ship' ? usualFee() : 0;
      if (fee === (cart.shippingFee ?? 0)) return;
      void serial(async () => {
        try {
          const updated = await call('carts:update', { cartId: cart.id, shippingFee: fee });
          if (get().cart?.id === cart.id) set({ cart: updated });
        } catch (e) {
          fail(e);
        }
      });
    },
    approveLines(pin) {
      const asked = get().discountApproval;
      if (!asked || pin === null) {
        set({ discountApproval: null, answered: get().answered + 1 });
        return Promise.resolve();
      }
      return serial(async () => {
        const cart = get().cart;
        if (!cart) return;
        const updated = await call('carts:update', {
          cartId: cart.id,
          lines: asked.lines,
          approvalPin: pin,
        });
        set({ cart: updated, discountApproval: null, answered: get().answered + 1 });
      });
    },
    async answerStock(choice) {
      const q = get().stockQuestion;
      if (!q) return;
      set({ stockQuestion: null, answered: get().answered + 1 });
      if (choice === 'cancel') return;
      if (choice === 'split') {
        return serial(async () => {
          set({ error: null, errorCode: null });
          try {
            const cart = await ensureCart();
            set({ busy: 'updating' });
            set({
              cart: await call('carts:splitWaiting', {
                cartId: cart.id,
                productId: q.productId,
                quantity: q.wanted,
              }),
            });
          } catch (e) {
            fail(e);
          } finally {
            set({ busy: 'idle' });
          }
        });
      }
      const quantity = choice === 'in_stock' ? q.available : q.wanted;
      if (quantity > 0) await changeLines(withQuantity(q.productId, quantity));
    },
    dropWaiting() {
      return serial(async () => {
        const cart = get().cart;
        if (!cart?.waitingPart) return;
        set({ busy: 'updating', error: null, errorCode: null });
        try {
          set({ cart: await call('carts:dropWaiting', { cartId: cart.id }) });
        } catch (e) {
          fail(e);
        } finally {
          set({ busy: 'idle' });
        }
      });
    },
    setFeeTouched() {
      if (!get().feeTouched) set({ feeTouched: true });
    },
    setCard(card) {
      set({ card });
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
    pay(paymentMethod, moto, wait, expectedTotal, expectedWaitingTotal) {
      // One payment at a time: a second press while one runs does nothing.
      if (get().busy === 'paying') return Promise.resolve();
      const cart = get().cart;
      if (!cart) return Promise.resolve();
      // A quantity shown as invalid is never charged at the last valid one.
      const blocked = quantityBlock(get().quantityErrors, cart.lines, get().stockQuestion);
      if (blocked) {
        set({ error: blocked, errorCode: 'invalid_input', attempted: true });
        return Promise.resolve();
      }
      const delivery = get().delivery;
      const input = customerInput(get().customer, { country: shopCountry(), delivery });
      if (!input.ok) {
        set({ error: input.reason, errorCode: 'invalid_input', attempted: true });
        return Promise.resolve();
      }
      set({ busy: 'paying', error: null, errorCode: null });
      return serial(async () => {
        try {
          // A quantity committed just before the press (leaving the field) ran first: if the total moved,
          // the button named another amount than the one that would be charged. Say so; charge nothing.
          const now = get().cart;
          const blockedNow = now ? quantityBlock(get().quantityErrors, now.lines) : null;
          if (blockedNow) {
            set({ error: blockedNow, errorCode: 'invalid_input', attempted: true });
            return;
          }
          if (expectedTotal !== undefined && now && now.total !== expectedTotal) {
            set({
              error: `The order’s total is now ${formatMoney(now.total, now.currency)}: check it and press again.`,
              errorCode: 'total_changed',
            });
            return;
          }
          const key = JSON.stringify([input.value, delivery]);
          if (get().savedCustomerKey !== key) {
            const withCustomer = await call('carts:update', {
              cartId: cart.id,
              customer: input.value,
              delivery,
            });
            set({ cart: withCustomer, savedCustomerKey: key });
            // The address or exemption changed the tax: the button named another total. Say so; charge nothing.
            if (expectedTotal !== undefined && withCustomer.total !== expectedTotal) {
              set({
                error: `The order’s total is now ${formatMoney(withCustomer.total, withCustomer.currency)} (tax for this customer and address): check it and press again.`,
                errorCode: 'total_changed',
              });
              return;
            }
          }
          const paid = await call('payments:pay', {
            cartId: cart.id,
            paymentMethod,
            moto,
            // A waitlist cart's choice is its own; with a waiting part, it is the waiting part's.
            ...(wait && ((now ?? cart).waitlist || (now ?? cart).waitingPart) ? wait : {}),
            ...(expectedTotal !== undefined ? { expectedTotal } : {}),
            ...(expectedWaitingTotal !== undefined ? { expectedWaitingTotal } : {}),
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
        customer: cart.customer ? draftFrom(cart.customer) : { ...emptyCustomer, country: shopCountry() },
        savedCustomerKey: null,
        delivery: cart.delivery ?? 'ship',
      });
    },
    startNew() {
      set({
        ...initial,
        customer: { ...emptyCustomer, country: shopCountry() },
        testCards: get().testCards,
        orderSeq: get().orderSeq + 1,
      });
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
