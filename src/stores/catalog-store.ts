// The catalog screen (manager): every product with its stock, who counted it and when; adding and editing
// through products:save; goods received and the waitlist holds the new stock covers.
import { create } from 'zustand';
import type { CatalogItem, CoverableHold } from '../../electron/ipc/contract';
import { call, errorMessage } from '../lib/ipc';
import { useSessionStore } from './session-store';

export interface ProductDraft {
  id?: string;
  sku: string;
  name: string;
  unitAmount: number;
  currency: string;
  stock: number;
  active: boolean;
  /** Stripe's tax code: general goods, food, nontaxable (null: general goods). */
  taxCode?: 'txcd_99999999' | 'txcd_40060003' | 'txcd_00000000' | null;
}

interface CatalogState {
  items: CatalogItem[];
  query: string;
  include: 'active' | 'all';
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  /** Waitlist holds the stock on hand covers now (after goods were received), oldest deadline first. */
  coverable: CoverableHold[] | null;
  load(): Promise<void>;
  setQuery(query: string): Promise<void>;
  setInclude(include: 'active' | 'all'): Promise<void>;
  save(draft: ProductDraft): Promise<void>;
  /** Goods arrived; `deliveryId` (one per delivery) makes a repeat count once. */
  receive(productId: string, quantity: number, deliveryId?: string): Promise<CatalogItem>;
  loadCoverable(): Promise<void>;
  reset(): void;
}

const initial = {
  items: [] as CatalogItem[],
  query: '',
  include: 'all' as const,
  status: 'idle' as const,
  error: null,
  coverable: null,
};
let seq = 0;

export const useCatalogStore = create<CatalogState>()((set, get) => ({
  ...initial,
  async load() {
    const mine = ++seq;
    if (get().status !== 'ready') set({ status: 'loading' });
    try {
      const items = await call('catalog:list', { query: get().query, include: get().include, limit: 500 });
      if (mine === seq) set({ items, status: 'ready', error: null });
    } catch (e) {
      useSessionStore.getState().noteError(e);
      if (mine === seq) set({ status: 'error', error: errorMessage(e) });
    }
  },
  async setQuery(query) {
    set({ query });
    await get().load();
  },
  async setInclude(include) {
    set({ include });
    await get().load();
  },
  async save(draft) {
    try {
      await call('products:save', draft);
    } catch (e) {
      useSessionStore.getState().noteError(e);
      throw e;
    }
    await get().load();
  },
  async receive(productId, quantity, deliveryId) {
    try {
      const r = await call('catalog:receive', { productId, quantity, ...(deliveryId ? { deliveryId } : {}) });
      set({ coverable: r.coverable });
      await get().load();
      return r.product;
    } catch (e) {
      useSessionStore.getState().noteError(e);
      throw e;
    }
  },
  async loadCoverable() {
    try {
      set({ coverable: await call('catalog:coverable', {}) });
    } catch (e) {
      useSessionStore.getState().noteError(e);
    }
  },
  reset() {
    seq++;
    set({ ...initial, items: [] });
  },
}));
