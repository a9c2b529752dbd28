// The shop manager's stores: printing (the desktop window prints itself; a browser falls back to window.print),
// the glance (a slower answer for an earlier day never replaces a later one), customers (a stale search is
// dropped; an order opens its customer's page).
import { describe, expect, it, vi } from 'vitest';
import { FakeIpcError, installApi, useCleanStores } from '../fake-api';
import { fileStem, usePrintStore } from '../../../../src/stores/print-store';
import { useGlanceStore } from '../../../../src/stores/glance-store';
import { showCustomer, useCustomersStore } from '../../../../src/stores/customers-store';
import { useSessionStore } from '../../../../src/stores/session-store';
import type { DayFigures, PrintDocument } from '../../../../electron/ipc/contract';

useCleanStores();

const doc = (number: string): PrintDocument => ({
  orderId: `ord_${number}`,
  number,
  createdAt: 0,
  status: 'received',
  cancelled: false,
  customer: { name: 'Grace', email: null, phone: null },
  shipTo: null,
  lines: [],
  shippingFee: 0,
  currency: 'usd',
  paid: 0,
  refunded: 0,
  card: null,
  receiptEmail: null,
  takenBy: null,
});

const figures = (day: string) => ({ day, timeZone: 'UTC' }) as unknown as DayFigures;

describe('print store', () => {
  it('asks the desktop window to print, and falls back to window.print in a browser', async () => {
    const api = installApi({
      'print:documents': ({ orderIds }) => orderIds.map(doc),
      'shop:settings': () => ({
        name: 'Harbour Tea',
        timeZone: 'UTC',
        timeZoneIsDefault: false,
        defaultShippingFee: 0,
        address: '',
        sharedAt: null,
      }),
      'print:page': () => ({ done: true, path: '/docs/packing-slip-A1001-A1002.pdf' }),
    });
    await usePrintStore.getState().open('packing_slip', ['A1001', 'A1002']);
    const job = usePrintStore.getState().job!;
    expect(job.docs.map((d) => d.number)).toEqual(['A1001', 'A1002']);
    expect(job.shop?.name).toBe('Harbour Tea');
    expect(await usePrintStore.getState().print('pdf')).toBe('/docs/packing-slip-A1001-A1002.pdf');
    expect(api.callsTo('print:page')).toEqual([{ action: 'pdf', filename: 'packing-slip-A1001-A1002.pdf' }]);

    // Browser mode: main has no printer, the page prints itself.
    api.handlers['print:page'] = () => {
      throw new FakeIpcError('not_available', 'no printer here');
    };
    const print = vi.spyOn(window, 'print').mockImplementation(() => undefined);
    expect(await usePrintStore.getState().print('print')).toBeNull();
    expect(print).toHaveBeenCalledTimes(1);
    // Any other failure is shown, not swallowed.
    api.handlers['print:page'] = () => {
      throw new FakeIpcError('internal', 'the window is gone');
    };
    await expect(usePrintStore.getState().print('print')).rejects.toThrow('the window is gone');
    expect(print).toHaveBeenCalledTimes(1);
    print.mockRestore();
  });

  it('names files after what they hold', () => {
    expect(fileStem({ kind: 'summary', docs: [], summary: figures('2026-03-10'), shop: null })).toBe(
      'end-of-day-2026-03-10',
    );
    expect(fileStem({ kind: 'receipt', docs: [doc('A1001')], summary: null, shop: null })).toBe(
      'receipt-A1001',
    );
  });
});

describe('glance store', () => {
  it('keeps the day asked for last, whichever answer comes back first', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    installApi({
      'glance:day': async (input) => {
        if (input.day === '2026-03-09') await slow;
        return figures(input.day ?? 'today');
      },
    });
    const first = useGlanceStore.getState().setDay('2026-03-09');
    await useGlanceStore.getState().setDay('2026-03-10');
    release();
    await first;
    expect(useGlanceStore.getState().figures?.day).toBe('2026-03-10');
    expect(useGlanceStore.getState().day).toBe('2026-03-10');
  });
});

describe('customers store', () => {
  it('drops a stale search and opens a customer’s page from anywhere', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    installApi({
      'customers:search': async ({ query }) => {
        if (query === 'gr') await slow;
        return [{ id: `cus_${query}`, name: query }];
      },
      'customers:get': ({ customerId }) =>
        ({ customer: { id: customerId, name: 'Grace Hopper' }, notes: [], orders: [], holds: [] }) as never,
    });
    const first = useCustomersStore.getState().search('gr');
    await useCustomersStore.getState().search('grace');
    release();
    await first;
    expect(useCustomersStore.getState().results.map((c) => c.id)).toEqual(['cus_grace']);

    showCustomer('cus_grace');
    expect(useSessionStore.getState().screen).toBe('customers');
    await vi.waitFor(() => expect(useCustomersStore.getState().profile?.customer.name).toBe('Grace Hopper'));
  });
});
