// Events pushed by main, wired into the stores: sync health, orders, holds, carts, expiring holds.
import { useEffect } from 'react';
import { subscribe } from '../../lib/ipc';
import { useCartStore } from '../../stores/cart-store';
import { useHoldsStore } from '../../stores/holds-store';
import { useOrdersStore } from '../../stores/orders-store';
import { useSessionStore } from '../../stores/session-store';
import { useSyncStore } from '../../stores/sync-store';
import { toast } from '../../stores/toast-store';

function notifyDesktop(title: string, body: string) {
  if (typeof Notification === 'undefined') return;
  try {
    if (Notification.permission === 'granted') new Notification(title, { body });
  } catch {
    /* the in-app toast is enough */
  }
}

/** The Holds screen shows the hold a clicked notification is about: its row gets focus once it is there. */
function focusHold(paymentIntentId: string) {
  useSessionStore.getState().setScreen('holds');
  const until = Date.now() + 3000;
  const tryFocus = () => {
    const row = document.getElementById(`hold-${paymentIntentId}`);
    if (row) {
      row.scrollIntoView({ block: 'center' });
      row.focus();
    } else if (Date.now() < until) setTimeout(tryFocus, 50);
  };
  tryFocus();
}

export function useLiveEvents() {
  useEffect(() => {
    let ordersTimer: ReturnType<typeof setTimeout> | undefined;
    const offs = [
      subscribe('sync:progressed', (h) => useSyncStore.getState().setHealth(h)),
      // The console's process went away or came back: the link line and the banner say so at once; once it is
      // back, its own report of Stripe's link replaces what was known before.
      subscribe('console:connection', ({ connected }) => {
        useSessionStore.getState().setConsoleConnected(connected);
        if (connected) void useSyncStore.getState().loadHealth();
      }),
      subscribe('orders:changed', () => {
        // Bursts of events (a catch-up) refresh the list once.
        clearTimeout(ordersTimer);
        ordersTimer = setTimeout(() => void useOrdersStore.getState().refresh(), 250);
      }),
      subscribe('holds:changed', () => {
        if (useHoldsStore.getState().status !== 'idle') void useHoldsStore.getState().load();
      }),
      subscribe('carts:changed', ({ cartId }) => void useCartStore.getState().onCartChanged(cartId)),
      subscribe('holds:focus', ({ paymentIntentId }) => focusHold(paymentIntentId)),
      // A dispute, a fraud warning, a refund that failed: managers must act (the desktop notification comes
      // from main; this is the in-app note).
      subscribe('orders:alerted', ({ title, body }) => {
        const user = useSessionStore.getState().user;
        if (user?.role === 'manager') toast(`${title}. ${body}`, 'warning', 20_000);
      }),
      subscribe('holds:expiring', ({ customerName, hoursLeft }) => {
        const hours = Math.max(1, Math.round(hoursLeft));
        const text = `Hold for ${customerName} expires in about ${hours} h. Capture or release it before then.`;
        toast(text, 'warning', 15_000);
        notifyDesktop('Waitlist hold expiring', text);
        if (useHoldsStore.getState().status !== 'idle') void useHoldsStore.getState().load();
      }),
    ];
    void useSyncStore.getState().loadHealth();
    if (typeof Notification !== 'undefined' && Notification.permission === 'default') {
      void Notification.requestPermission().catch(() => undefined);
    }
    return () => {
      clearTimeout(ordersTimer);
      for (const off of offs) off();
    };
  }, []);
}
