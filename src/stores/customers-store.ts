// The customers screen: find a customer by name, email or phone, and their page (contact, addresses, orders,
// holds, money, notes). Opening a customer from an order sets `openId` and switches to this screen.
import { create } from 'zustand';
import type { Customer, CustomerProfile } from '../../electron/ipc/contract';
import { call, errorMessage } from '../lib/ipc';
import { useSessionStore } from './session-store';

interface CustomersState {
  query: string;
  results: Customer[];
  searching: boolean;
  openId: string | null;
  profile: CustomerProfile | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  search(query: string): Promise<void>;
  open(customerId: string | null): Promise<void>;
  reload(): Promise<void>;
  addNote(text: string): Promise<void>;
  removeNote(noteId: string): Promise<void>;
  reset(): void;
}

const initial = {
  query: '',
  results: [] as Customer[],
  searching: false,
  openId: null,
  profile: null,
  status: 'idle' as const,
  error: null,
};
let searchSeq = 0;
let openSeq = 0;

export const useCustomersStore = create<CustomersState>()((set, get) => ({
  ...initial,
  async search(query) {
    const mine = ++searchSeq;
    set({ query });
    if (!query.trim()) return set({ results: [], searching: false });
    set({ searching: true });
    try {
      const results = await call('customers:search', { query: query.trim().slice(0, 100) });
      if (mine === searchSeq) set({ results, searching: false });
    } catch (e) {
      useSessionStore.getState().noteError(e);
      if (mine === searchSeq) set({ searching: false, error: errorMessage(e) });
    }
  },
  async open(customerId) {
    const mine = ++openSeq;
    set({ openId: customerId, ...(customerId ? { status: 'loading' as const } : { profile: null }) });
    if (!customerId) return;
    try {
      const profile = await call('customers:get', { customerId });
      if (mine === openSeq) set({ profile, status: 'ready', error: null });
    } catch (e) {
      useSessionStore.getState().noteError(e);
      if (mine === openSeq) set({ status: 'error', error: errorMessage(e) });
    }
  },
  async reload() {
    const id = get().openId;
    if (!id) return;
    const mine = ++openSeq;
    try {
      const profile = await call('customers:get', { customerId: id });
      if (mine === openSeq) set({ profile, status: 'ready', error: null });
    } catch (e) {
      useSessionStore.getState().noteError(e);
    }
  },
  async addNote(text) {
    const id = get().openId;
    if (!id) return;
    const profile = await call('customers:addNote', { customerId: id, text });
    if (get().openId === id) set({ profile });
  },
  async removeNote(noteId) {
    const id = get().openId;
    if (!id) return;
    const profile = await call('customers:removeNote', { customerId: id, noteId });
    if (get().openId === id) set({ profile });
  },
  reset() {
    searchSeq++;
    openSeq++;
    set({ ...initial, results: [] });
  },
}));

/** Show a customer's page from anywhere (an order, a hold). */
export function showCustomer(customerId: string): void {
  void useCustomersStore.getState().open(customerId);
  useSessionStore.getState().setScreen('customers');
}
