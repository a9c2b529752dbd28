// What goes on paper: a packing slip has the items, the ship-to and the order number as text and as a barcode;
// a receipt adds up items, shipping and what was paid; a cancelled order says so.
import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import { PackingSlip, Receipt } from '../../../../src/features/printing/documents';
import type { PrintDocument } from '../../../../electron/ipc/contract';

const doc: PrintDocument = {
  orderId: 'ord_1',
  number: 'A1001',
  createdAt: Date.UTC(2026, 2, 10, 14),
  status: 'received',
  cancelled: false,
  customer: { name: 'Grace Hopper', email: 'grace@navy.example', phone: null },
  shipTo: {
    name: 'Grace Hopper',
    phone: null,
    address: {
      line1: '12 Harbour Street',
      city: 'Portland',
      postalCode: '04101',
      state: 'ME',
      country: 'US',
    },
  },
  lines: [
    {
      productId: 'p1',
      sku: 'TEA-EARL-100',
      name: 'Earl Grey loose leaf, 100 g',
      unitAmount: 1250,
      quantity: 2,
      lineTotal: 2500,
      waitlist: false,
    },
  ],
  shippingFee: 695,
  currency: 'usd',
  paid: 3195,
  refunded: 0,
  card: 'Visa •••• 4242',
  receiptEmail: 'grace@navy.example',
  takenBy: 'Sam',
};

describe('printed documents', () => {
  it('a packing slip: items, quantities, ship-to, and the number as text and as a CODE128 barcode', () => {
    render(<PackingSlip doc={doc} shop={null} />);
    const slip = screen.getByRole('article', { name: 'Packing slip for order A1001' });
    expect(within(slip).getByText('Order A1001')).toBeTruthy();
    expect(within(slip).getByText('Earl Grey loose leaf, 100 g')).toBeTruthy();
    expect(within(slip).getByText('12 Harbour Street')).toBeTruthy();
    expect(within(slip).getByText('Portland, ME 04101')).toBeTruthy();
    const barcode = within(slip).getByRole('img', { name: 'Barcode of order A1001' });
    expect(barcode.querySelectorAll('rect').length).toBeGreaterThan(10);
    expect(slip.textContent).not.toMatch(/\$/); // no prices on a packing slip
  });

  it('a packing slip shows the phone number as people write it, not as stored (issue 23)', () => {
    const withPhone = { ...doc, shipTo: { ...doc.shipTo!, phone: '+15550101234' } };
    render(<PackingSlip doc={withPhone} shop={null} />);
    const slip = screen.getByRole('article', { name: 'Packing slip for order A1001' });
    expect(within(slip).getByText('Tel. (555) 010-1234')).toBeTruthy();
    expect(slip.textContent).not.toContain('+15550101234');
  });

  it('a receipt adds the shipping fee and says how it was paid; a cancelled order is stamped', () => {
    const { rerender } = render(<Receipt doc={doc} shop={null} />);
    const receipt = screen.getByRole('article', { name: 'Receipt for order A1001' });
    expect(receipt.textContent).toContain('Shipping$6.95');
    expect(receipt.textContent).toContain('Paid (Visa •••• 4242)$31.95');
    expect(receipt.textContent).not.toContain('Cancelled');
    rerender(<Receipt doc={{ ...doc, cancelled: true, refunded: 3195 }} shop={null} />);
    expect(screen.getByText('Cancelled')).toBeTruthy();
    expect(screen.getByRole('article').textContent).toContain('Refunded−$31.95');
  });
});
