// Waitlist holds, sorted by deadline (main sorts them; we keep that order, expired last within "all").
import { create } from 'zustand';
import type { Hold } from '../../electron/ipc/contract';
import { call, errorMessage } from '../lib/ipc';
import { useSessionStore } from './session-store';

export const EXPIRING_SOON_MS = 48 * 3600 * 1000;

interface HoldsState {
  holds: Hold[];
  include: 'open' | 'all';
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  load(): Promise<void>;
  setInclude(include: 'open' | 'all'): Promise<void>;
  /** Capture an amount; with `lines`, just those lines (the rest of the order is released). */
  capture(
    hold: Hold,
    amount: number,
    pin: string,
    lines?: { sku: string; quantity: number }[],
  ): Promise<Hold>;
  /** Release; `keepCard`: the order waits on its saved card (charged on arrival) instead of ending. */
  release(hold: Hold, pin: string, keepCard?: boolean): Promise<Hold>;
  reset(): void;
}

const initial = { holds: [] as Hold[], include: 'open' as const, status: 'idle' as const, error: null };

let loadSeq = 0;

export const useHoldsStore = create<HoldsState>()((set, get) => ({
  ...initial,
  async load() {
    const seq = ++loadSeq;
    if (get().status !== 'ready') set({ status: 'loading' });
    try {
      const holds = await call('holds:list', { include: get().include });
      if (seq === loadSeq) set({ holds: sortHolds(holds), status: 'ready', error: null });
    } catch (e) {
      useSessionStore.getState().noteError(e);
      if (seq === loadSeq) set({ status: 'error', error: errorMessage(e) });
    }
  },
  async setInclude(include) {
    set({ include, status: 'loading' });
    await get().load();
  },
  async capture(hold, amount, pin, lines) {
    try {
      const updated = await call('holds:capture', {
        paymentIntentId: hold.paymentIntentId,
        amount,
        version: hold.version,
        pin,
        ...(lines ? { lines } : {}),
      });
      replace(updated);
      return updated;
    } catch (e) {
      useSessionStore.getState().noteError(e);
      void get().load();
      throw e;
    }
  },
  async release(hold, pin, keepCard = false) {
    try {
      const updated = await call('holds:release', {
        paymentIntentId: hold.paymentIntentId,
        version: hold.version,
        pin,
        ...(keepCard ? { keepCard } : {}),
      });
      replace(updated);
      return updated;
    } catch (e) {
      useSessionStore.getState().noteError(e);
      void get().load();
      throw e;
    }
  },
  reset() {
    loadSeq++;
    set({ ...initial, holds: [] });
  },
}));

function replace(updated: Hold) {
  const { holds, include } = useHoldsStore.getState();
  const next = holds
    .map((h) => (h.paymentIntentId === updated.paymentIntentId ? updated : h))
    .filter((h) => include === 'all' || h.status === 'authorized');
  useHoldsStore.setState({ holds: sortHolds(next) });
}

/** Open holds first, soonest deadline first; holds without a deadline after those with one. */
export function sortHolds(holds: Hold[]): Hold[] {
  const rank = (h: Hold) => (h.status === 'authorized' ? 0 : 1);
  return [...holds].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.expiresAt ?? Number.MAX_SAFE_INTEGER) - (b.expiresAt ?? Number.MAX_SAFE_INTEGER) ||
      a.authorizedAt - b.authorizedAt,
  );
}

/** What the countdown shows for a hold at `now`. */
export function holdUrgency(h: Hold, now: number): 'expired' | 'soon' | 'ok' | 'done' | 'unknown' {
  if (h.status === 'expired') return 'expired';
  if (h.status !== 'authorized') return 'done';
  if (h.expiresAt === null) return 'unknown';
  const left = h.expiresAt - now;
  if (left <= 0) return 'expired';
  return left < EXPIRING_SOON_MS ? 'soon' : 'ok';
}
