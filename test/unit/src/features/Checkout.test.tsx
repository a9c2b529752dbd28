import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Checkout } from '../../../../src/features/new-order/Checkout';
import { useCartStore } from '../../../../src/stores/cart-store';
import { useSessionStore } from '../../../../src/stores/session-store';
import { installApi, useCleanStores } from '../fake-api';
import { cart, info } from '../fixtures';

useCleanStores();

const line = {
  productId: 'p',
  sku: 'S',
  name: 'Tea',
  unitAmount: 1250,
  quantity: 1,
  lineTotal: 1250,
  waitlist: false,
};
const cards = [
  { paymentMethod: 'pm_card_visa', label: 'Visa — succeeds', outcome: 'succeeds' as const },
  { paymentMethod: 'pm_card_visa_chargeDeclined', label: 'Declined (generic)', outcome: 'declines' as const },
];

function setup(over: Parameters<typeof cart>[0]) {
  const api = installApi({
    'payments:testCards': () => cards,
    'payments:refresh': () => cart({ ...over, phase: 'succeeded', status: 'paid' }),
    'payments:pay': () => cart({ ...over, phase: 'succeeded', status: 'paid' }),
    'carts:update': () => cart({ lines: [line], total: 1250, ...over }),
  });
  useSessionStore.setState({ info: info(), status: 'ready' });
  useCartStore.setState({ cart: cart({ lines: [line], total: 1250, ...over }) });
  render(<Checkout />);
  return api;
}

describe('Checkout', () => {
  it('offers the test cards and a charge button', async () => {
    setup({});
    expect(await screen.findByLabelText('Test card')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Charge $12.50' })).toBeTruthy();
  });

  it('explains a decline and offers a retry', async () => {
    setup({
      phase: 'awaiting_card',
      lastDecline: {
        code: 'card_declined',
        declineCode: 'insufficient_funds',
        explanation: 'The card has insufficient funds.',
        at: 1,
      },
    });
    expect((await screen.findByRole('alert')).textContent).toContain('insufficient funds');
    expect(screen.getByRole('button', { name: 'Retry $12.50 with this card' })).toBeTruthy();
  });

  it('during 3DS offers a secure link for the customer, the bank’s page here, another card or cancelling — and no payment', () => {
    setup({
      phase: 'authenticating',
      authenticationUrl: 'http://127.0.0.1:1/_emulator/3ds/pi_1',
      orderNumber: 'A1001',
    });
    act(() =>
      useCartStore.getState().setCustomer({ name: 'Ann', email: 'ann@example.com', phone: '(555) 010-1234' }),
    );
    expect((screen.getByLabelText('Secure link for the customer') as HTMLInputElement).value).toBe(
      'http://127.0.0.1:1/_emulator/3ds/pi_1',
    );
    const email = screen.getByRole('link', { name: 'Email the link to ann@example.com' });
    expect(email.getAttribute('href')).toMatch(
      /^mailto:ann%40example\.com\?subject=Confirm%20your%20payment%20for%20%23A1001&body=/,
    );
    expect(decodeURIComponent(email.getAttribute('href')!)).toContain(
      'http://127.0.0.1:1/_emulator/3ds/pi_1',
    );
    expect(
      screen.getByRole('link', { name: 'Text the link to (555) 010-1234' }).getAttribute('href'),
    ).toMatch(/^sms:\+15550101234\?body=/);
    for (const name of ['Open the bank’s page here', 'Use another card', 'Cancel order', 'Copy link'])
      expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Charge/ })).toBeNull();
  });

  it('records the secure link as sent only when it really was copied, or taken by the mail app', async () => {
    const api = setup({
      phase: 'authenticating',
      authenticationUrl: 'http://127.0.0.1:1/_emulator/3ds/pi_1',
    });
    api.handlers['payments:linkSent'] = () => null as never;
    act(() => useCartStore.getState().setCustomer({ name: 'Ann', email: 'ann@example.com' }));
    // The clipboard refused (no clipboard on this desktop): not sent, and staff are told what to do.
    api.handlers['clipboard:write'] = () => ({ copied: false });
    fireEvent.click(screen.getByRole('button', { name: 'Copy link' }));
    expect(await screen.findByText(/Select the link above and copy it/)).toBeTruthy();
    expect(api.callsTo('clipboard:write')).toEqual([
      { text: expect.stringContaining('http://127.0.0.1:1/_emulator/3ds/pi_1') },
    ]);
    expect(api.callsTo('payments:linkSent')).toHaveLength(0);
    // The desktop app: no mail app took the link, so not sent either.
    (window.api as { shell?: string }).shell = 'desktop';
    api.handlers['links:open'] = () => ({ opened: false });
    fireEvent.click(screen.getByRole('link', { name: 'Email the link to ann@example.com' }));
    expect(await screen.findByText(/No mail app took the link/)).toBeTruthy();
    expect(api.callsTo('payments:linkSent')).toHaveLength(0);
    // Copied: recorded.
    api.handlers['clipboard:write'] = () => ({ copied: true });
    fireEvent.click(screen.getByRole('button', { name: 'Copy link' }));
    await waitFor(() =>
      expect(api.callsTo('payments:linkSent')).toEqual([{ cartId: expect.any(String), via: 'copy' }]),
    );
    expect(screen.getByText(/Link copied at/)).toBeTruthy();
  });

  it('takes another card on the same payment when staff choose to during 3DS', async () => {
    const api = setup({ phase: 'authenticating' });
    act(() => useCartStore.getState().setCustomer({ name: 'Ann' }));
    fireEvent.click(screen.getByRole('button', { name: 'Use another card' }));
    // One next step at a time: the 3D Secure box gives way to the card.
    expect(screen.queryByRole('button', { name: 'Open the bank’s page here' })).toBeNull();
    act(() => useCartStore.getState().setDelivery('collect'));
    const charge = (await screen.findByRole('button', { name: /Charge/ })) as HTMLButtonElement;
    await waitFor(() => expect(charge.disabled).toBe(false));
    fireEvent.click(charge);
    await waitFor(() => expect(api.callsTo('payments:pay')).toHaveLength(1));
    expect(api.callsTo('carts:discard')).toHaveLength(0);
  });

  it('announces the outcome in the live region that already exists', () => {
    setup({ phase: 'succeeded', status: 'paid' });
    const region = screen.getAllByRole('status').find((el) => el.getAttribute('aria-live') === 'polite')!;
    expect(region.textContent).toContain('The payment of $12.50 went through.');
  });

  it('never offers to pay again while the outcome is pending', async () => {
    const api = setup({ phase: 'pending_confirmation' });
    expect(screen.queryByRole('button', { name: /Charge|Retry/ })).toBeNull();
    expect(screen.getByText(/being confirmed with Stripe/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
    expect(await screen.findByText('Payment succeeded.')).toBeTruthy();
    expect(api.callsTo('payments:refresh')).toHaveLength(1);
  });

  it('labels a waitlist cart as a hold', async () => {
    setup({ waitlist: true });
    expect(await screen.findByRole('button', { name: 'Authorize $12.50 (hold)' })).toBeTruthy();
  });

  it('disables paying when Stripe is unreachable', async () => {
    setup({});
    useSessionStore.setState({ stripeReachable: false });
    const button = await screen.findByRole('button', { name: 'Charge $12.50' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
  });
});
