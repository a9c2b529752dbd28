// Orders, paged: the list can hold 100,000 orders, so the renderer keeps only the pages near what is on
// screen (PAGE_SIZE rows each, at most MAX_PAGES of them) and asks orders:list for more as the user scrolls.
// Every filter change bumps `generation`; an answer for an older generation is dropped (stale search).
// Search is sent at once, keystroke by keystroke (no fixed debounce): while one search is being answered the
// next waits for it and only the newest is sent then (a fast typist's in-between terms are never asked for),
// and a change that doesn't change what is asked (a trailing space) asks nothing.
import { create } from 'zustand';
import type { OrderFilter, OrderRow, OrderStatus } from '../../electron/ipc/contract';
import { call, errorMessage } from '../lib/ipc';
import { pagesFor } from '../lib/virtual';
import { useSessionStore } from './session-store';

export const PAGE_SIZE = 100;
export const MAX_PAGES = 8;

export interface OrdersFilterDraft {
  status: OrderStatus | '';
  /** Awaiting stock (a held waitlist order), paid, or cancelled (a released or lapsed hold). */
  payment?: 'authorized' | 'paid' | 'canceled' | '';
  from: number | undefined;
  to: number | undefined;
  query: string;
}

interface OrdersState {
  filter: OrdersFilterDraft;
  generation: number;
  total: number | null;
  /** `total` is a lower bound: a term most orders match is counted only to 10,000 ("10,000+"). */
  totalCapped: boolean;
  pages: Record<number, OrderRow[]>;
  loading: Record<number, boolean>;
  error: string | null;
  /** The rows last shown on screen, so a refresh reloads just those pages. */
  range: { start: number; end: number };
  selected: Record<string, true>;
  openOrderId: string | null;
  setFilter(patch: Partial<OrdersFilterDraft>): void;
  /** Make sure the pages covering rows [start, end) are loaded (or loading). */
  ensureRange(start: number, end: number): void;
  /** Reload what is on screen (orders:changed, or a manual refresh) without losing the scroll position. */
  refresh(): Promise<void>;
  rowAt(index: number): OrderRow | undefined;
  toggleSelected(id: string): void;
  setSelected(ids: string[], on: boolean): void;
  clearSelection(): void;
  openOrder(id: string | null): void;
  reset(): void;
}

const initial = {
  filter: { status: '', from: undefined, to: undefined, query: '' } as OrdersFilterDraft,
  generation: 0,
  total: null,
  totalCapped: false,
  pages: {},
  loading: {},
  error: null,
  range: { start: 0, end: 50 },
  selected: {},
  openOrderId: null,
};

export function toFilter(d: OrdersFilterDraft): OrderFilter {
  const f: OrderFilter = {};
  if (d.status) f.status = d.status;
  if (d.payment) f.payment = d.payment;
  if (d.from !== undefined) f.from = d.from;
  if (d.to !== undefined) f.to = d.to;
  const q = d.query.trim();
  if (q) f.query = q.slice(0, 200);
  return f;
}

/** What a filter asks orders:list for, as one comparable string. */
const asked = (d: OrdersFilterDraft) => JSON.stringify(toFilter(d));

export const useOrdersStore = create<OrdersState>()((set, get) => {
  /** The first pages of the newest filter sent, until they are answered (or fail). */
  let searching: Promise<void> | null = null;

  async function fetchPage(page: number, generation: number): Promise<void> {
    set({ loading: { ...get().loading, [page]: true } });
    try {
      const res = await call('orders:list', {
        ...toFilter(get().filter),
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
      });
      if (get().generation !== generation) return; // a newer filter: this answer is stale
      const pages = { ...get().pages, [page]: res.rows };
      set({
        pages: evict(pages, get().range),
        total: res.total,
        totalCapped: res.totalCapped === true,
        error: null,
      });
    } catch (e) {
      if (get().generation !== generation) return;
      useSessionStore.getState().noteError(e);
      set({ error: errorMessage(e) });
    } finally {
      if (get().generation === generation) {
        const loading = { ...get().loading };
        delete loading[page];
        set({ loading });
      }
    }
  }

  /** Keep at most MAX_PAGES pages, the ones nearest the visible range. */
  function evict(
    pages: Record<number, OrderRow[]>,
    range: { start: number; end: number },
  ): Record<number, OrderRow[]> {
    const keys = Object.keys(pages).map(Number);
    if (keys.length <= MAX_PAGES) return pages;
    const centre = (range.start + range.end) / 2 / PAGE_SIZE;
    keys.sort((a, b) => Math.abs(a + 0.5 - centre) - Math.abs(b + 0.5 - centre));
    const kept: Record<number, OrderRow[]> = {};
    for (const k of keys.slice(0, MAX_PAGES)) kept[k] = pages[k]!;
    return kept;
  }

  return {
    ...initial,
    setFilter(patch) {
      const filter = { ...get().filter, ...patch };
      if (asked(filter) === asked(get().filter)) {
        set({ filter }); // the same search (e.g. a trailing space): the rows on screen already answer it
        return;
      }
      const generation = get().generation + 1;
      const { start, end } = get().range;
      const first = pagesFor(0, Math.max(end - start, PAGE_SIZE), PAGE_SIZE);
      set({
        filter,
        generation,
        pages: {},
        // Marked loading at once, so the list's range change doesn't ask for them while this search waits.
        loading: Object.fromEntries(first.map((p) => [p, true])),
        total: null,
        totalCapped: false,
        error: null,
        selected: {},
      });
      const send = () => {
        if (get().generation !== generation) return; // a newer filter came while this one waited
        const answered = Promise.all(first.map((p) => fetchPage(p, generation))).then(() => undefined);
        searching = answered;
        void answered.finally(() => {
          if (searching === answered) searching = null;
        });
      };
      if (searching) void searching.finally(send);
      else send();
    },
    ensureRange(start, end) {
      const range = { start, end };
      set({ range });
      const { pages, loading, generation, total } = get();
      const last = total === null ? end : Math.min(end, total);
      for (const p of pagesFor(start, Math.max(last, start + 1), PAGE_SIZE)) {
        if (!pages[p] && !loading[p]) void fetchPage(p, generation);
      }
    },
    async refresh() {
      const { range, generation } = get();
      const wanted = pagesFor(range.start, Math.max(range.end, range.start + 1), PAGE_SIZE);
      // Drop pages off screen (they reload when scrolled to); reload the ones on screen in place.
      const pages: Record<number, OrderRow[]> = {};
      for (const p of wanted) if (get().pages[p]) pages[p] = get().pages[p]!;
      set({ pages });
      await Promise.all(wanted.map((p) => fetchPage(p, generation)));
    },
    rowAt(index) {
      return get().pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
    },
    toggleSelected(id) {
      const selected = { ...get().selected };
      if (selected[id]) delete selected[id];
      else selected[id] = true;
      set({ selected });
    },
    setSelected(ids, on) {
      const selected = { ...get().selected };
      for (const id of ids) {
        if (on) selected[id] = true;
        else delete selected[id];
      }
      set({ selected });
    },
    clearSelection() {
      set({ selected: {} });
    },
    openOrder(id) {
      set({ openOrderId: id });
    },
    reset() {
      searching = null;
      // The generation keeps counting, so a search still waiting from before never passes for a new one.
      set({
        ...initial,
        generation: get().generation + 1,
        filter: { ...initial.filter },
        pages: {},
        loading: {},
        selected: {},
      });
    },
  };
});
