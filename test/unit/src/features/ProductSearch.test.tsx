// Enter adds what was typed: pressed before the typed text's results came (the search waits for typing to pause),
// it searches now and adds that search's best match — never the first row still listed from the search before.
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Product } from '../../../../electron/ipc/contract';
import { ProductSearch } from '../../../../src/features/new-order/ProductSearch';
import { installApi, useCleanStores } from '../fake-api';

useCleanStores();

const product = (sku: string, name: string): Product => ({
  id: `prod_${sku}`,
  sku,
  name,
  unitAmount: 1000,
  currency: 'usd',
  stock: 5,
  oversold: 0,
  active: true,
});
const catalog = [product('TEA-ASSAM', 'Assam breakfast'), product('TEA-EARL', 'Earl Grey loose leaf')];

describe('ProductSearch', () => {
  it('Enter right after typing adds the match for what was typed, not the row listed before', async () => {
    installApi({
      'products:search': (i) =>
        catalog.filter((p) => `${p.name} ${p.sku}`.toLowerCase().includes(i.query.toLowerCase())),
    });
    const onAdd = vi.fn();
    render(<ProductSearch onAdd={onAdd} />);
    const box = screen.getByRole('combobox', { name: 'Search products' });
    fireEvent.change(box, { target: { value: 'assam' } });
    await screen.findByRole('option', { name: /Assam breakfast/ });
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(1));
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onAdd).toHaveBeenLastCalledWith(expect.objectContaining({ sku: 'TEA-ASSAM' }));

    // The Assam row is still listed ("one more of those"); "earl" and Enter at once, before the search ran.
    fireEvent.change(box, { target: { value: 'earl' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(screen.getByRole('option', { name: /Assam breakfast/ })).toBeTruthy();
    await waitFor(() => expect(onAdd).toHaveBeenCalledTimes(2));
    expect(onAdd).toHaveBeenLastCalledWith(expect.objectContaining({ sku: 'TEA-EARL' }));
  });

  it('reads the stock again when an order or a product changes while the list is shown', async () => {
    let stock = 5;
    const api = installApi({
      'products:search': () => [{ ...catalog[1]!, stock }],
    });
    render(<ProductSearch onAdd={vi.fn()} />);
    fireEvent.change(screen.getByRole('combobox', { name: 'Search products' }), {
      target: { value: 'earl' },
    });
    expect(await screen.findByText('5 in stock')).toBeTruthy();
    stock = 0;
    act(() => api.emit('orders:changed', { orderIds: ['ord_1'] }));
    await waitFor(() => expect(screen.queryByText('5 in stock')).toBeNull());
    stock = 3;
    act(() => api.emit('products:changed', { productIds: ['prod_TEA-EARL'] }));
    expect(await screen.findByText('3 in stock')).toBeTruthy();
  });
});
