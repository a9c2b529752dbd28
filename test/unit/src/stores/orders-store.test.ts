import { describe, expect, it } from 'vitest';
import type { Input } from '../../../../electron/ipc/contract';
import { MAX_PAGES, PAGE_SIZE, useOrdersStore } from '../../../../src/stores/orders-store';
import { flush, installApi, useCleanStores } from '../fake-api';
import { orderRow } from '../fixtures';

useCleanStores();

const TOTAL = 100_000;

function fakeOrders(delay: (i: Input<'orders:list'>) => number = () => 0) {
  return installApi({
    'orders:list': async (i) => {
      const offset = i.offset ?? 0;
      const limit = i.limit ?? 100;
      await new Promise((r) => setTimeout(r, delay(i)));
      const total = i.query ? 3 : TOTAL;
      const rows = [];
      for (let k = offset; k < Math.min(total, offset + limit); k++)
        rows.push(orderRow(k, i.query ? { customerName: i.query } : {}));
      return { rows, total };
    },
  });
}

const settle = () => new Promise((r) => setTimeout(r, 30));

describe('orders store', () => {
  it('fetches only the pages on screen', async () => {
    const api = fakeOrders();
    useOrdersStore.getState().ensureRange(0, 30);
    await settle();
    expect(api.callsTo('orders:list')).toEqual([{ offset: 0, limit: PAGE_SIZE }]);
    expect(useOrdersStore.getState().total).toBe(TOTAL);
    expect(useOrdersStore.getState().rowAt(5)?.id).toBe('ord_5');
    expect(useOrdersStore.getState().rowAt(150)).toBeUndefined();
  });

  it('pages as the user scrolls and never keeps all orders', async () => {
    const api = fakeOrders();
    for (let start = 0; start < 5_000; start += 250) {
      useOrdersStore.getState().ensureRange(start, start + 30);
      await settle();
    }
    const held = Object.values(useOrdersStore.getState().pages).reduce((n, p) => n + p.length, 0);
    expect(held).toBeLessThanOrEqual(MAX_PAGES * PAGE_SIZE);
    expect(useOrdersStore.getState().rowAt(4_760)?.id).toBe('ord_4760');
    expect(useOrdersStore.getState().rowAt(0)).toBeUndefined(); // evicted: far from the screen
    expect(api.callsTo('orders:list').length).toBeGreaterThan(10);
  });

  it('does not ask twice for a page already loading', async () => {
    const api = fakeOrders(() => 10);
    useOrdersStore.getState().ensureRange(0, 30);
    useOrdersStore.getState().ensureRange(5, 35);
    await settle();
    expect(api.callsTo('orders:list')).toHaveLength(1);
  });

  it('drops stale search answers', async () => {
    // The first search answers after the second: its rows must not show.
    const api = fakeOrders((i) => (i.query === 'ann' ? 40 : 5));
    useOrdersStore.getState().setFilter({ query: 'ann' });
    useOrdersStore.getState().setFilter({ query: 'bob' });
    await new Promise((r) => setTimeout(r, 80));
    expect(api.callsTo('orders:list').map((i) => (i as { query?: string }).query)).toEqual(['ann', 'bob']);
    expect(useOrdersStore.getState().rowAt(0)?.customerName).toBe('bob');
    expect(useOrdersStore.getState().total).toBe(3);
  });

  it('sends a search at once, and only the newest while one is being answered', async () => {
    const api = fakeOrders((i) => (i.query === 'a' ? 30 : 1));
    const s = useOrdersStore.getState();
    s.setFilter({ query: 'a' });
    expect(api.callsTo('orders:list').map((i) => (i as { query?: string }).query)).toEqual(['a']);
    s.setFilter({ query: 'an' });
    s.setFilter({ query: 'ann' });
    s.ensureRange(0, 30); // the list's range change while the search waits asks for nothing more
    expect(api.callsTo('orders:list')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(api.callsTo('orders:list').map((i) => (i as { query?: string }).query)).toEqual(['a', 'ann']);
    expect(useOrdersStore.getState().rowAt(0)?.customerName).toBe('ann');
    expect(useOrdersStore.getState().loading).toEqual({});
  });

  it('asks nothing for a change that asks the same (a trailing space), and keeps the rows', async () => {
    const api = fakeOrders();
    useOrdersStore.getState().setFilter({ query: 'ann' });
    await settle();
    const before = useOrdersStore.getState().pages;
    useOrdersStore.getState().setFilter({ query: 'ann ' });
    expect(useOrdersStore.getState().filter.query).toBe('ann ');
    expect(useOrdersStore.getState().pages).toBe(before);
    expect(useOrdersStore.getState().total).toBe(3);
    useOrdersStore.getState().setFilter({ query: 'ann b' });
    await settle();
    expect(api.callsTo('orders:list').map((i) => (i as { query?: string }).query)).toEqual(['ann', 'ann b']);
  });

  it('a search still waiting when the store is reset is never sent', async () => {
    const api = fakeOrders((i) => (i.query === 'a' ? 20 : 1));
    useOrdersStore.getState().setFilter({ query: 'a' });
    useOrdersStore.getState().setFilter({ query: 'ab' });
    useOrdersStore.getState().reset();
    useOrdersStore.getState().setFilter({ query: 'zz' });
    await new Promise((r) => setTimeout(r, 50));
    expect(api.callsTo('orders:list').map((i) => (i as { query?: string }).query)).toEqual(['a', 'zz']);
    expect(useOrdersStore.getState().rowAt(0)?.customerName).toBe('zz');
  });

  it('sends status and dates as filters', async () => {
    const api = fakeOrders();
    useOrdersStore.getState().setFilter({ status: 'shipped', from: 10, to: 20, query: '  ' });
    await settle();
    expect(api.callsTo('orders:list')[0]).toEqual({
      status: 'shipped',
      from: 10,
      to: 20,
      offset: 0,
      limit: PAGE_SIZE,
    });
  });

  it('keeps a selection of ids and clears it on a new filter', async () => {
    fakeOrders();
    const s = useOrdersStore.getState();
    s.toggleSelected('ord_1');
    s.setSelected(['ord_2', 'ord_3'], true);
    s.toggleSelected('ord_1');
    expect(Object.keys(useOrdersStore.getState().selected)).toEqual(['ord_2', 'ord_3']);
    s.setFilter({ status: 'received' });
    await flush();
    expect(useOrdersStore.getState().selected).toEqual({});
  });

  it('refreshes what is on screen', async () => {
    const api = fakeOrders();
    useOrdersStore.getState().ensureRange(0, 30);
    await settle();
    await useOrdersStore.getState().refresh();
    expect(api.callsTo('orders:list')).toHaveLength(2);
    useOrdersStore.getState().reset();
    expect(useOrdersStore.getState().pages).toEqual({});
  });
});
