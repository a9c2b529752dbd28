// Today at a glance (or another day's end-of-day figures), and the shop's own settings (name, time zone,
// shipping fee). Answers for an older request are dropped, so switching days quickly never shows a stale day.
import { create } from 'zustand';
import type { DayFigures, ShopSettings } from '../../electron/ipc/contract';
import { call, errorMessage } from '../lib/ipc';
import { useSessionStore } from './session-store';

interface GlanceState {
  figures: DayFigures | null;
  /** The day asked for (yyyy-mm-dd), or null for today in the shop's time zone. */
  day: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  shop: ShopSettings | null;
  load(): Promise<void>;
  setDay(day: string | null): Promise<void>;
  loadShop(): Promise<ShopSettings | null>;
  saveShop(patch: {
    name?: string;
    timeZone?: string | null;
    defaultShippingFee?: number;
    address?: string;
  }): Promise<void>;
  reset(): void;
}

const initial = { figures: null, day: null, status: 'idle' as const, error: null, shop: null };
let seq = 0;

export const useGlanceStore = create<GlanceState>()((set, get) => ({
  ...initial,
  async load() {
    const mine = ++seq;
    if (get().status !== 'ready') set({ status: 'loading' });
    try {
      const day = get().day;
      const figures = await call('glance:day', day ? { day } : {});
      if (mine === seq) set({ figures, status: 'ready', error: null });
    } catch (e) {
      useSessionStore.getState().noteError(e);
      if (mine === seq) set({ status: 'error', error: errorMessage(e) });
    }
  },
  async setDay(day) {
    set({ day, status: 'loading' });
    await get().load();
  },
  async loadShop() {
    try {
      const shop = await call('shop:settings', {});
      set({ shop });
      return shop;
    } catch (e) {
      useSessionStore.getState().noteError(e);
      return null;
    }
  },
  async saveShop(patch) {
    const shop = await call('shop:update', patch);
    set({ shop });
    await get().load();
  },
  reset() {
    seq++;
    set({ ...initial });
  },
}));
