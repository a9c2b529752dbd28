import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { OrderDetail } from '../../../../electron/ipc/contract';
import { RefundDialog } from '../../../../src/features/orders/RefundDialog';
import { FakeIpcError, installApi, useCleanStores } from '../fake-api';
import { orderRow } from '../fixtures';

useCleanStores();

const order: OrderDetail = {
  ...orderRow(1, { amountCaptured: 2500, amountRefunded: 500 }),
  cartId: null,
  customer: null,
  lines: [],
  ledger: { currency: 'usd', authorized: 2500, captured: 2500, refunded: 500, released: 0 },
  carrier: null,
  trackingNumber: null,
  timeline: [],
  canShip: true,
  refundable: 2000,
  releasedLines: [],
  shipBlock: null,
  conflict: null,
  dispute: null,
  fraudWarning: null,
  refunds: [],
  paymentNote: null,
};

describe('RefundDialog', () => {
  it('a line refund asks whether the units go back in stock, and says so to main (issue 23)', async () => {
    const withLines: OrderDetail = {
      ...order,
      lines: [
        {
          productId: 'p1',
          sku: 'CUP-PORC-2',
          name: 'Porcelain cups',
          unitAmount: 800,
          quantity: 2,
          lineTotal: 1600,
          waitlist: false,
        },
      ],
      refundedLines: [{ sku: 'CUP-PORC-2', quantity: 1, restocked: 0 }],
    };
    const api = installApi({ 'orders:refund': () => withLines });
    render(<RefundDialog order={withLines} onClose={() => undefined} onDone={() => undefined} />);
    // One cup was refunded already: one is left to refund by line.
    expect(screen.queryByRole('button', { name: '2 × Porcelain cups ($16.00)' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '1 × Porcelain cups ($8.00)' }));
    fireEvent.change(screen.getByLabelText('Manager PIN'), { target: { value: '1234' } });
    const refund = screen.getByRole('button', { name: 'Refund' }) as HTMLButtonElement;
    expect(screen.getByRole('group', { name: /back in stock\?/ })).toBeTruthy();
    expect(refund.disabled).toBe(true); // asked, never assumed
    fireEvent.click(screen.getByRole('radio', { name: /Yes, back in stock/ }));
    expect(refund.disabled).toBe(false);
    fireEvent.click(refund);
    await waitFor(() => expect(api.callsTo('orders:refund')).toHaveLength(1));
    expect(api.callsTo('orders:refund')[0]).toMatchObject({
      amount: 800,
      line: { sku: 'CUP-PORC-2', quantity: 1, restock: true },
    });
  });

  it('an amount typed by hand is an amount refund: no line, no stock question', () => {
    const withLines: OrderDetail = {
      ...order,
      lines: [
        {
          productId: 'p1',
          sku: 'CUP-PORC-2',
          name: 'Porcelain cups',
          unitAmount: 800,
          quantity: 1,
          lineTotal: 800,
          waitlist: false,
        },
      ],
    };
    installApi({});
    render(<RefundDialog order={withLines} onClose={() => undefined} onDone={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: '1 × Porcelain cups ($8.00)' }));
    expect(screen.getByRole('group', { name: /back in stock\?/ })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Amount (USD)'), { target: { value: '3.00' } });
    expect(screen.queryByRole('group', { name: /back in stock\?/ })).toBeNull();
  });

  it('refunds at most the refundable amount, with the PIN and the refunded total seen', async () => {
    const api = installApi({ 'orders:refund': () => ({ ...order, refundable: 0 }) });
    const onDone = vi.fn();
    render(<RefundDialog order={order} onClose={() => undefined} onDone={onDone} />);
    const amount = screen.getByLabelText('Amount (USD)');
    // Nothing is assumed: the amount starts empty, with quick choices.
    expect((amount as HTMLInputElement).value).toBe('');
    expect((screen.getByRole('button', { name: 'Refund' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Everything refundable ($20.00)' }));
    expect((amount as HTMLInputElement).value).toBe('20.00');
    fireEvent.change(amount, { target: { value: '20.01' } });
    expect(screen.getByText('At most $20.00 can be refunded.')).toBeTruthy();
    fireEvent.change(amount, { target: { value: '12.34' } });
    fireEvent.change(screen.getByLabelText('Manager PIN'), { target: { value: '1234' } });
    fireEvent.click(screen.getByRole('button', { name: 'Refund' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(api.callsTo('orders:refund')).toEqual([
      { orderId: 'ord_1', amount: 1234, expectedRefunded: 500, pin: '1234', reason: 'requested_by_customer' },
    ]);
  });

  it('after "already made" shows what is left, empties the amount and sends nothing until asked again', async () => {
    const after = { ...order, refundable: 1500, ledger: { ...order.ledger, refunded: 1000 } };
    const api = installApi({
      'orders:refund': () => {
        throw new FakeIpcError('conflict', 'This refund was already made by Ann Other · Front desk.');
      },
      'orders:get': () => after,
    });
    const onDone = vi.fn();
    render(<RefundDialog order={order} onClose={() => undefined} onDone={onDone} />);
    const amount = screen.getByLabelText('Amount (USD)') as HTMLInputElement;
    fireEvent.change(amount, { target: { value: '5.00' } });
    fireEvent.change(screen.getByLabelText('Manager PIN'), { target: { value: '1234' } });
    fireEvent.click(screen.getByRole('button', { name: 'Refund' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toContain('Left to refund now: $15.00 of $25.00.'),
    );
    expect(screen.getByRole('alert').textContent).toContain('already made by Ann Other · Front desk');
    expect(amount.value).toBe('');
    expect((screen.getByLabelText('Manager PIN') as HTMLInputElement).value).toBe('');
    const refund = screen.getByRole('button', { name: 'Refund' }) as HTMLButtonElement;
    expect(refund.disabled).toBe(true);
    expect(screen.getByRole('button', { name: 'Everything refundable ($15.00)' })).toBeTruthy();
    expect(onDone).not.toHaveBeenCalled();
    // Asked again: the next refund is typed against the refunded total now known.
    api.handlers['orders:refund'] = () => ({ ...after, refundable: 1000 });
    fireEvent.change(amount, { target: { value: '5.00' } });
    fireEvent.change(screen.getByLabelText('Manager PIN'), { target: { value: '1234' } });
    fireEvent.click(refund);
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(api.callsTo('orders:refund')[1]).toMatchObject({ amount: 500, expectedRefunded: 1000 });
  });

  it('another station’s refund arriving while the dialog is open empties the amount', () => {
    installApi({});
    const { rerender } = render(
      <RefundDialog order={order} onClose={() => undefined} onDone={() => undefined} />,
    );
    const amount = screen.getByLabelText('Amount (USD)') as HTMLInputElement;
    fireEvent.change(amount, { target: { value: '5.00' } });
    const moved = { ...order, refundable: 1500, ledger: { ...order.ledger, refunded: 1000 } };
    rerender(<RefundDialog order={moved} onClose={() => undefined} onDone={() => undefined} />);
    expect(amount.value).toBe('');
    expect(screen.getByRole('alert').textContent).toContain('refunded meanwhile');
    expect(screen.getByText('Refundable: $15.00 of $25.00 captured.')).toBeTruthy();
  });
});
