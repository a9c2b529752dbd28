// Who is signed in, what mode the console runs in, and whether Stripe can be reached right now.
import { create } from 'zustand';
import type { AppInfo, User } from '../../electron/ipc/contract';
import { call, IpcCallError, errorMessage } from '../lib/ipc';
import { useToastStore } from './toast-store';

export type Screen =
  'today' | 'new-order' | 'orders' | 'holds' | 'customers' | 'catalog' | 'sync' | 'audit' | 'settings';

interface SessionState {
  status: 'loading' | 'ready' | 'error';
  loadError: string | null;
  info: AppInfo | null;
  needsSetup: boolean;
  user: User | null;
  /** False when app:info, a sync report or a failed call says Stripe can't be reached. */
  stripeReachable: boolean;
  /** False while the console's own process does not answer (browser mode's bridge says so at once). */
  consoleConnected: boolean;
  setConsoleConnected(connected: boolean): void;
  /**
   * Stripe's clock minus this computer's (ms): hold countdowns and "expiring" follow Stripe's time. From app:info
   * at start, then from every sync report (Stripe's clock can move: the training clock, a computer's drift).
   */
  clockOffsetMs: number;
  setStripeNow(stripeNowMs: number): void;
  screen: Screen;
  load(): Promise<void>;
  refreshInfo(): Promise<void>;
  setup(name: string, pin: string): Promise<void>;
  login(name: string, pin: string): Promise<void>;
  logout(): Promise<void>;
  setScreen(screen: Screen): void;
  setStripeReachable(reachable: boolean): void;
  /** Any call's error passes through here: a lost session signs out, stripe_unavailable shows the banner. */
  noteError(e: unknown): void;
  reset(): void;
}

const initial = {
  status: 'loading' as const,
  loadError: null,
  info: null,
  needsSetup: false,
  user: null,
  stripeReachable: true,
  consoleConnected: true,
  clockOffsetMs: 0,
  screen: 'new-order' as Screen,
};

export const useSessionStore = create<SessionState>()((set, get) => ({
  ...initial,
  async load() {
    set({ status: 'loading', loadError: null });
    try {
      const [info, auth] = await Promise.all([call('app:info', {}), call('auth:status', {})]);
      set({
        status: 'ready',
        info,
        needsSetup: auth.needsSetup,
        user: auth.user,
        stripeReachable: info.stripeReachable,
        clockOffsetMs: info.clockOffsetMs,
      });
    } catch (e) {
      set({ status: 'error', loadError: errorMessage(e) });
    }
  },
  async refreshInfo() {
    try {
      const info = await call('app:info', {});
      set({ info, stripeReachable: info.stripeReachable, clockOffsetMs: info.clockOffsetMs });
    } catch (e) {
      get().noteError(e);
    }
  },
  async setup(name, pin) {
    const user = await call('auth:setup', { name, pin });
    set({ user, needsSetup: false, screen: 'new-order' });
  },
  async login(name, pin) {
    const user = await call('auth:login', { name, pin });
    set({ user, screen: 'new-order' });
  },
  async logout() {
    try {
      await call('auth:logout', {});
    } finally {
      useToastStore.getState().reset();
      set({ user: null, screen: 'new-order' });
    }
  },
  setScreen(screen) {
    set({ screen });
  },
  setStripeNow(stripeNowMs) {
    const offset = Math.round(stripeNowMs - Date.now());
    // Reports take a moment to arrive: only a real move (a second or more) changes every countdown.
    if (Math.abs(offset - get().clockOffsetMs) >= 1000) set({ clockOffsetMs: offset });
  },
  setConsoleConnected(connected) {
    if (get().consoleConnected !== connected) set({ consoleConnected: connected });
  },
  setStripeReachable(reachable) {
    if (get().stripeReachable !== reachable) set({ stripeReachable: reachable });
  },
  noteError(e) {
    if (!(e instanceof IpcCallError)) return;
    if (e.code === 'unauthenticated') set({ user: null });
    if (e.code === 'stripe_unavailable') set({ stripeReachable: false });
  },
  reset() {
    set({ ...initial });
  },
}));

export const isManager = (u: User | null): boolean => u?.role === 'manager';
