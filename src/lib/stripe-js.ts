// Live mode only: Stripe.js from js.stripe.com (the only script origin the CSP allows besides our own),
// a card Element, and a PaymentMethod created in the browser so card numbers never touch the console.
// Minimal typings for the few calls we use.

export interface StripeCardElement {
  mount(el: HTMLElement): void;
  destroy(): void;
  on(event: 'change', cb: (e: { complete: boolean; error?: { message: string } }) => void): void;
}
export interface StripeJs {
  elements(): { create(type: 'card', options?: Record<string, unknown>): StripeCardElement };
  createPaymentMethod(o: {
    type: 'card';
    card: StripeCardElement;
    billing_details?: { name?: string; email?: string };
  }): Promise<{ paymentMethod?: { id: string }; error?: { message?: string } }>;
}
type StripeFactory = (publishableKey: string) => StripeJs;

declare global {
  interface Window {
    Stripe?: StripeFactory;
  }
}

export const STRIPE_JS_URL = 'https://js.stripe.com/v3';

let loading: Promise<StripeFactory> | null = null;

/** Load https://js.stripe.com/v3 once (a script element — no inline script, as the CSP requires). */
export function loadStripeJs(): Promise<StripeFactory> {
  if (window.Stripe) return Promise.resolve(window.Stripe);
  if (loading) return loading;
  loading = new Promise<StripeFactory>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = STRIPE_JS_URL;
    script.async = true;
    script.onload = () =>
      window.Stripe ? resolve(window.Stripe) : reject(new Error('Stripe.js loaded without Stripe.'));
    script.onerror = () => {
      loading = null;
      reject(new Error('Stripe.js could not be loaded from js.stripe.com. Check the internet connection.'));
    };
    document.head.appendChild(script);
  });
  return loading;
}
