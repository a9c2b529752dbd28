import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { OrderDetail } from '../../../../electron/ipc/contract';
import { RefundDialog } from '../../../../src/features/orders/RefundDialog';
import { installApi, useCleanStores } from '../fake-api';
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
});
