// The shop's tax and discount settings (Settings → Tax), as main holds them from the shop's record in Stripe:
// the reasons offered for a discount, and the form managers edit.
import { create } from 'zustand';
import type { ShopTax } from '../../electron/ipc/contract';
import { call } from '../lib/ipc';

interface TaxState {
  tax: ShopTax | null;
  load(): Promise<void>;
  /** Saves the settings (managers); throws what main refused, with its fields. */
  save(t: ShopTax): Promise<ShopTax>;
  reset(): void;
}

export const useTaxStore = create<TaxState>()((set, get) => ({
  tax: null,
  async load() {
    if (get().tax) return;
    try {
      set({ tax: await call('tax:settings', {}) });
    } catch {
      /* shown where it is used */
    }
  },
  async save(t) {
    const saved = await call('tax:update', t);
    set({ tax: saved });
    return saved;
  },
  reset() {
    set({ tax: null });
  },
}));
