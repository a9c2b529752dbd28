import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { OrdersScreen } from '../../../../src/features/orders/OrdersScreen';
import { installApi, useCleanStores } from '../fake-api';
import { orderRow } from '../fixtures';

useCleanStores();

describe('Orders screen', () => {
  it('shows a window of 100,000 orders, fetched a page at a time', async () => {
    const api = installApi({
      'orders:list': (i) => {
        const rows = [];
        for (let k = i.offset ?? 0; k < (i.offset ?? 0) + (i.limit ?? 100); k++) rows.push(orderRow(k));
        return { rows, total: 100_000 };
      },
    });
    render(<OrdersScreen />);
    expect(await screen.findByText('100,000 orders')).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Open order #A1000, Customer 0' })).toBeTruthy();
    expect(screen.getAllByRole('row').length).toBeLessThan(60);
    for (const input of api.callsTo('orders:list')) expect(input).toMatchObject({ limit: 100 });
  });

  it('says "held" only where a card is held: a saved-card order says "card saved"', async () => {
    installApi({
      'orders:list': () => ({
        rows: [
          orderRow(1, { paymentState: 'authorized', amountCaptured: 0, customerName: 'Hal Hold' }),
          orderRow(2, {
            paymentState: 'authorized',
            amountCaptured: 0,
            customerName: 'Sadie Saved',
            cardWait: 'waiting',
          }),
        ],
        total: 2,
      }),
    });
    render(<OrdersScreen />);
    const held = (await screen.findByText('Hal Hold')).closest('[role="row"]')!;
    const saved = screen.getByText('Sadie Saved').closest('[role="row"]')!;
    expect(held.textContent).toContain('held');
    expect(saved.textContent).toContain('card saved');
    expect(saved.textContent).not.toContain('held');
  });

  it('searches as you type (the newest term once the one asked is answered) and shows an empty state', async () => {
    let answer: (() => void) | null = null;
    const api = installApi({
      'orders:list': (i) =>
        i.query === 'a'
          ? new Promise((r) => (answer = () => r({ rows: [], total: 0 })))
          : { rows: [], total: 0 },
    });
    render(<OrdersScreen />);
    await screen.findByText('No orders');
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'a' } });
    // Sent at once, with no delay.
    await waitFor(() =>
      expect(api.callsTo('orders:list').some((i) => (i as { query?: string }).query === 'a')).toBe(true),
    );
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'an' } });
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'ann' } });
    expect((screen.getByLabelText('Search') as HTMLInputElement).value).toBe('ann');
    answer!();
    await waitFor(() =>
      expect(api.callsTo('orders:list').some((i) => (i as { query?: string }).query === 'ann')).toBe(true),
    );
    // 'an' was typed while 'a' was being answered and superseded before it could be sent: never asked for.
    expect(
      api
        .callsTo('orders:list')
        .map((i) => (i as { query?: string }).query)
        .filter(Boolean),
    ).toEqual(['a', 'ann']);
    expect(await screen.findByText('Nothing matches these filters.')).toBeTruthy();
  });

  it('exports CSV as a download', async () => {
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => {
      created.push(b);
      return 'blob:x';
    });
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    installApi({
      'orders:list': () => ({ rows: [orderRow(1)], total: 1 }),
      'orders:exportCsv': () => ({ filename: 'orders-2026-01-01.csv', csv: 'a,b\r\n', rows: 1 }),
    });
    render(<OrdersScreen />);
    await screen.findByText('1 order');
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(created[0]?.type).toBe('text/csv;charset=utf-8');
    click.mockRestore();
  });
});
