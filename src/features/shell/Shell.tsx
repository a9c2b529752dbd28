// The signed-in console: the left nav, who is signed in, the Stripe banner, and the current screen.
import { Suspense, lazy, useEffect, useState } from 'react';
import { isManager, useSessionStore, type Screen } from '../../stores/session-store';
import { HoldsScreen } from '../holds/HoldsScreen';
import { NewOrderScreen } from '../new-order/NewOrderScreen';
import { OrdersScreen } from '../orders/OrdersScreen';
import { useLiveEvents } from './useLiveEvents';
import { resetWorkStores } from '../../stores/reset';
import { LinkBanner, SyncIndicator } from './SyncIndicator';
import { subscribe } from '../../lib/ipc';
import { useKeepCart } from '../new-order/useKeepCart';
import { ChangePinDialog } from './ChangePinDialog';
import { useHoldsStore, holdUrgency } from '../../stores/holds-store';
import { useNow } from '../holds/HoldsScreen';
import { Loading } from '../../components/States';
import { usePrintStore } from '../../stores/print-store';

// First paint: the phone-order screens (New order, Orders, Holds) are in the first chunk; the others — the
// day's charts, the catalog's barcodes, printing, diagnostics, the audit log, settings, customers — are loaded
// when first opened (issue 22: the first screen's JavaScript is what the console waits for at start-up).
const TodayScreen = lazy(() => import('../glance/TodayScreen').then((m) => ({ default: m.TodayScreen })));
const CustomersScreen = lazy(() =>
  import('../customers/CustomersScreen').then((m) => ({ default: m.CustomersScreen })),
);
const CatalogScreen = lazy(() =>
  import('../catalog/CatalogScreen').then((m) => ({ default: m.CatalogScreen })),
);
const SyncScreen = lazy(() => import('../sync/SyncScreen').then((m) => ({ default: m.SyncScreen })));
const AuditScreen = lazy(() => import('../audit/AuditScreen').then((m) => ({ default: m.AuditScreen })));
const SettingsScreen = lazy(() =>
  import('../settings/SettingsScreen').then((m) => ({ default: m.SettingsScreen })),
);
const PrintView = lazy(() => import('../printing/PrintView').then((m) => ({ default: m.PrintView })));

export const SCREENS: { id: Screen; label: string; key: string; manager?: true }[] = [
  { id: 'today', label: 'Today', key: '0' },
  { id: 'new-order', label: 'New order', key: '1' },
  { id: 'orders', label: 'Orders', key: '2' },
  { id: 'holds', label: 'Holds', key: '3' },
  { id: 'customers', label: 'Customers', key: '6' },
  { id: 'catalog', label: 'Catalog', key: '7', manager: true },
  { id: 'sync', label: 'Diagnostics', key: '4', manager: true },
  { id: 'audit', label: 'Audit log', key: '8', manager: true },
  { id: 'settings', label: 'Settings', key: '5' },
];

export function Shell() {
  const screen = useSessionStore((s) => s.screen);
  const setScreen = useSessionStore((s) => s.setScreen);
  const user = useSessionStore((s) => s.user);
  const logout = useSessionStore((s) => s.logout);
  const [changingPin, setChangingPin] = useState(false);
  // The print view's code is fetched the first time something is printed (it shows nothing without a job).
  const printing = usePrintStore((s) => s.job !== null || s.loading);
  useLiveEvents();
  useKeepCart();
  // "Expiring soon" in the menu: open holds that lapse within 48 hours, kept fresh by holds:changed.
  const holds = useHoldsStore((s) => s.holds);
  const holdsStatus = useHoldsStore((s) => s.status);
  useEffect(() => {
    if (holdsStatus === 'idle') void useHoldsStore.getState().load();
  }, [holdsStatus]);
  const now = useNow(60_000);
  const expiring = holds.filter((h) => holdUrgency(h, now) === 'soon').length;
  // Staff are not shown Diagnostics or the audit log; a screen they can't open falls back to the new order.
  useEffect(() => {
    const s = SCREENS.find((x) => x.id === screen);
    if (s?.manager && !isManager(user)) setScreen('new-order');
  }, [screen, user, setScreen]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const target = SCREENS.find((s) => s.key === e.key || e.code === `Digit${s.key}`);
      if (target && (!target.manager || isManager(useSessionStore.getState().user))) {
        e.preventDefault();
        setScreen(target.id);
      }
    };
    window.addEventListener('keydown', onKey);
    // The desktop app's Go menu: the same screens, the same rule for a manager's screens.
    const off = subscribe('app:navigate', ({ screen: id }) => {
      const target = SCREENS.find((s) => s.id === id);
      if (target && (!target.manager || isManager(useSessionStore.getState().user))) setScreen(target.id);
    });
    return () => {
      window.removeEventListener('keydown', onKey);
      off();
    };
  }, [setScreen]);

  const current = SCREENS.find((s) => s.id === screen);
  useEffect(() => {
    document.title = `${current?.label ?? 'Console'} — Merchant Console`;
  }, [current]);

  return (
    <div className="shell">
      <nav className="nav" aria-label="Main">
        <div className="nav__brand">Merchant Console</div>
        <ul className="nav__list">
          {SCREENS.filter((s) => !s.manager || isManager(user)).map((s) => (
            <li key={s.id}>
              <button
                type="button"
                className="nav__item"
                aria-current={s.id === screen ? 'page' : undefined}
                aria-keyshortcuts={`Alt+${s.key}`}
                onClick={() => setScreen(s.id)}
              >
                <span>{s.label}</span>
                {s.id === 'holds' && expiring > 0 && (
                  <span className="badge badge--soon nav__badge" title="Holds that lapse within 48 hours">
                    {expiring}
                    <span className="sr-only"> expiring soon</span>
                  </span>
                )}
                <kbd className="nav__key" aria-hidden="true">
                  Alt {s.key}
                </kbd>
              </button>
            </li>
          ))}
        </ul>
        <SyncIndicator />
        <div className="nav__user">
          <div className="nav__user-name">{user?.name}</div>
          <div className="nav__user-role">{isManager(user) ? 'Manager' : 'Staff'}</div>
          <button
            type="button"
            className="btn btn--ghost btn--small"
            onClick={() => void logout().then(resetWorkStores)}
          >
            Sign out
          </button>
          <button type="button" className="btn btn--ghost btn--small" onClick={() => setChangingPin(true)}>
            Change my PIN
          </button>
        </div>
      </nav>
      {changingPin && <ChangePinDialog onClose={() => setChangingPin(false)} />}
      <div className="main">
        <LinkBanner />
        <main className="screen" aria-label={current?.label}>
          <Suspense fallback={<Loading />}>
            {screen === 'today' && <TodayScreen />}
            {screen === 'customers' && <CustomersScreen />}
            {screen === 'catalog' && isManager(user) && <CatalogScreen />}
            {screen === 'new-order' && <NewOrderScreen />}
            {screen === 'orders' && <OrdersScreen />}
            {screen === 'holds' && <HoldsScreen />}
            {screen === 'sync' && <SyncScreen />}
            {screen === 'audit' && <AuditScreen />}
            {screen === 'settings' && <SettingsScreen />}
          </Suspense>
        </main>
      </div>
      {printing && (
        <Suspense fallback={null}>
          <PrintView />
        </Suspense>
      )}
    </div>
  );
}
