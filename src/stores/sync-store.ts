// Sync health (pushed by main on 'sync:progressed'), the recent event log, and reconciliation results.
import { create } from 'zustand';
import type { Drift, EventRow, SyncHealth } from '../../electron/ipc/contract';
import { call, errorMessage } from '../lib/ipc';
import { useSessionStore } from './session-store';

interface SyncState {
  health: SyncHealth | null;
  healthError: string | null;
  events: EventRow[] | null;
  eventsError: string | null;
  reconcile: { at: number; drifts: Drift[] } | null;
  reconciling: boolean;
  reconcileError: string | null;
  fixing: Record<string, boolean>;
  loadHealth(): Promise<void>;
  setHealth(h: SyncHealth): void;
  loadEvents(): Promise<void>;
  runReconcile(): Promise<void>;
  fix(driftId: string): Promise<void>;
  reset(): void;
}

const initial = {
  health: null,
  healthError: null,
  events: null,
  eventsError: null,
  reconcile: null,
  reconciling: false,
  reconcileError: null,
  fixing: {},
};

export const useSyncStore = create<SyncState>()((set, get) => ({
  ...initial,
  async loadHealth() {
    try {
      get().setHealth(await call('sync:status', {}));
    } catch (e) {
      useSessionStore.getState().noteError(e);
      set({ healthError: errorMessage(e) });
    }
  },
  setHealth(h) {
    set({ health: h, healthError: null });
    useSessionStore.getState().setStripeReachable(h.stripeReachable);
    if (h.stripeNow !== undefined) useSessionStore.getState().setStripeNow(h.stripeNow);
  },
  async loadEvents() {
    try {
      set({ events: await call('sync:events', { limit: 100 }), eventsError: null });
    } catch (e) {
      useSessionStore.getState().noteError(e);
      set({ eventsError: errorMessage(e) });
    }
  },
  async runReconcile() {
    set({ reconciling: true, reconcileError: null });
    try {
      set({ reconcile: await call('sync:reconcile', {}) });
    } catch (e) {
      useSessionStore.getState().noteError(e);
      set({ reconcileError: errorMessage(e) });
    } finally {
      set({ reconciling: false });
    }
  },
  async fix(driftId) {
    set({ fixing: { ...get().fixing, [driftId]: true }, reconcileError: null });
    try {
      set({ reconcile: await call('sync:fix', { driftId }) });
    } catch (e) {
      useSessionStore.getState().noteError(e);
      set({ reconcileError: errorMessage(e) });
    } finally {
      const fixing = { ...get().fixing };
      delete fixing[driftId];
      set({ fixing });
    }
  },
  reset() {
    set({ ...initial, fixing: {} });
  },
}));
