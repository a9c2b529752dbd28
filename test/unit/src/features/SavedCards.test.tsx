// Waitlist orders on a saved card, in the renderer: the choice at checkout (the card is saved only after the
// customer agreed to the words read out, exactly those words sent), the manager's list, and the customer's cards.
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { WaitingOrder, WaitOptions } from '../../../../electron/ipc/contract';
import { WaitlistChoice, type WaitSelection } from '../../../../src/features/new-order/WaitlistChoice';
import { SavedCardOrders } from '../../../../src/features/waitlist/SavedCardOrders';
import { SavedCardsSection } from '../../../../src/features/customers/SavedCardsSection';
import { useSessionStore } from '../../../../src/stores/session-store';
import { FakeIpcError, installApi, useCleanStores } from '../fake-api';
import { cart, info, manager, staff } from '../fixtures';

useCleanStores();

const options = (over: Partial<WaitOptions> = {}): WaitOptions => ({
  cartId: 'cart_1',
  suggested: 'save_card',
  reason: 'Expected 20 December 2026, after a hold placed now would lapse (6 December 2026).',
  expectedArrival: '2026-12-20',
  arrivalSource: 'staff',
  leadTimeDays: null,
  authorizationDays: 7,
  holdLapsesAt: Date.UTC(2026, 11, 6),
  terms: {
    saveCard: 'We will keep this card on file with Stripe and charge $64.00 for 1 × Teapot when it arrives.',
    holdAndSave:
      'We will hold $64.00 on this card today for 1 × Teapot, and keep the card on file with Stripe.',
  },
  ...over,
});

const waiting = (over: Partial<WaitingOrder> = {}): WaitingOrder => ({
  orderId: 'ord_1',
  cartId: 'cart_1',
  paymentIntentId: 'pi_1',
  orderNumber: 'A1001',
  customerId: 'cus_1',
  customerName: 'Sasha Saved',
  currency: 'usd',
  amount: 6400,
  shippingFee: 0,
  items: [{ sku: 'POT', name: 'Teapot', quantity: 1, unitAmount: 6400, waitlist: true, inStock: true }],
  state: 'waiting',
  card: { id: 'pm_1', brand: 'visa', last4: '4242', expMonth: 12, expYear: 2029 },
  cardRemoved: false,
  agreement: { terms: 'We will keep…', agreedAt: 1, expectedArrival: '2026-12-20', agreedBy: 'Sam' },
  problem: null,
  payLink: null,
  stockArrived: true,
  createdAt: Date.UTC(2026, 10, 29),
  ...over,
});

describe('WaitlistChoice', () => {
  it('suggests saving the card and sends the words read out only once the customer agreed', async () => {
    installApi({ 'waitlist:options': () => options() });
    const onChange = vi.fn<(s: WaitSelection) => void>();
    render(<WaitlistChoice cart={cart({ waitlist: true })} disabled={false} onChange={onChange} />);
    await screen.findByText(/Suggested: save the card/);
    expect((screen.getByRole('radio', { name: /Save the card/ }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText(/charge \$64\.00 for 1 × Teapot when it arrives/)).toBeTruthy();
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ waitlist: 'save_card', ready: false }),
      ),
    );
    expect(onChange.mock.lastCall?.[0].consentText).toBeUndefined();
    fireEvent.click(screen.getByRole('checkbox', { name: 'The customer agreed' }));
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith({
        waitlist: 'save_card',
        saveCard: false,
        consentText: options().terms.saveCard,
        expectedArrival: '2026-12-20',
        ready: true,
      }),
    );
    // Choosing to hold instead needs no agreement; saving the card with the hold asks for it again.
    fireEvent.click(screen.getByRole('radio', { name: /Hold the money/ }));
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ waitlist: 'hold', ready: true })),
    );
    fireEvent.click(screen.getByRole('checkbox', { name: /Also save the card/ }));
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ waitlist: 'hold', saveCard: true, ready: false }),
      ),
    );
    expect(screen.getByText(/We will hold \$64\.00 on this card today/)).toBeTruthy();
  });
});

describe('SavedCardOrders', () => {
  it('lets a manager charge a waiting order with the PIN once its stock is in', async () => {
    useSessionStore.setState({ user: manager, stripeReachable: true });
    const api = installApi({
      'waitlist:list': () => [waiting()],
      'waitlist:chargeSaved': () => waiting({ state: 'paid' }),
    });
    render(<SavedCardOrders />);
    expect(await screen.findByText('Visa •••• 4242, expires 12/29')).toBeTruthy();
    expect(screen.getByText('Stock arrived')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Charge order A1001 for Sasha Saved' }));
    fireEvent.change(screen.getByLabelText('Manager PIN'), { target: { value: '1234' } });
    fireEvent.click(screen.getByRole('button', { name: 'Charge $64.00' }));
    expect(await screen.findByText('Order #A1001 was charged $64.00.')).toBeTruthy();
    expect(api.callsTo('waitlist:chargeSaved')).toEqual([
      { cartId: 'cart_1', pin: '1234', expectedAmount: 6400 },
    ]);
  });

  it('names the new amount when the day’s tax makes the charge another, and charges only that', async () => {
    useSessionStore.setState({ user: manager, stripeReachable: true });
    const api = installApi({
      'waitlist:list': () => [waiting()],
      'waitlist:chargeSaved': (i) => {
        if (i.expectedAmount !== 6532)
          throw new FakeIpcError('conflict', 'With today’s tax this charge comes to $65.32, not $64.00.', {
            amount: 6532,
          });
        return waiting({ state: 'paid', amount: 6532 });
      },
    });
    render(<SavedCardOrders />);
    fireEvent.click(await screen.findByRole('button', { name: 'Charge order A1001 for Sasha Saved' }));
    fireEvent.change(screen.getByLabelText('Manager PIN'), { target: { value: '1234' } });
    fireEvent.click(screen.getByRole('button', { name: 'Charge $64.00' }));
    expect(await screen.findByText(/comes to \$65\.32, not \$64\.00/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Manager PIN'), { target: { value: '1234' } });
    fireEvent.click(screen.getByRole('button', { name: 'Charge $65.32' }));
    await screen.findByText('Order #A1001 was charged $65.32.');
    expect(api.callsTo('waitlist:chargeSaved')).toEqual([
      { cartId: 'cart_1', pin: '1234', expectedAmount: 6400 },
      { cartId: 'cart_1', pin: '1234', expectedAmount: 6532 },
    ]);
  });

  it('offers no Charge before the stock is in', async () => {
    useSessionStore.setState({ user: manager, stripeReachable: true });
    installApi({
      'waitlist:list': () => [
        waiting({
          stockArrived: false,
          items: [
            { sku: 'POT', name: 'Teapot', quantity: 1, unitAmount: 6400, waitlist: true, inStock: false },
          ],
        }),
      ],
    });
    render(<SavedCardOrders />);
    expect(await screen.findByText('Waiting for stock')).toBeTruthy();
    const charge = screen.getByRole('button', { name: 'Charge order A1001 for Sasha Saved' });
    expect((charge as HTMLButtonElement).disabled).toBe(true);
  });

  it('charges the lines in stock when only some arrived: the rest is not charged', async () => {
    useSessionStore.setState({ user: manager, stripeReachable: true });
    const api = installApi({
      'waitlist:list': () => [
        waiting({
          amount: 10_400,
          stockArrived: false,
          items: [
            { sku: 'POT', name: 'Teapot', quantity: 1, unitAmount: 6400, waitlist: true, inStock: true },
            { sku: 'CUP', name: 'Cups', quantity: 2, unitAmount: 2000, waitlist: true, inStock: false },
          ],
        }),
      ],
      'waitlist:chargeSaved': () => waiting({ state: 'paid', amount: 6400 }),
    });
    render(<SavedCardOrders />);
    fireEvent.click(await screen.findByRole('button', { name: 'Charge the lines in stock of order A1001' }));
    expect(screen.getByText(/not in stock: not charged/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Manager PIN'), { target: { value: '1234' } });
    fireEvent.click(screen.getByRole('button', { name: 'Charge $64.00' }));
    await screen.findByText('Order #A1001 was charged $64.00.');
    expect(api.callsTo('waitlist:chargeSaved')).toEqual([
      { cartId: 'cart_1', pin: '1234', lines: [{ sku: 'POT', quantity: 1 }], expectedAmount: 6400 },
    ]);
  });

  it('offers staff no Charge; staff can send the customer the payment link', async () => {
    useSessionStore.setState({ user: staff, stripeReachable: true });
    const api = installApi({
      'waitlist:list': () => [
        waiting({
          state: 'action_needed',
          problem: {
            code: 'authentication_required',
            declineCode: 'authentication_required',
            explanation: 'The bank requires the customer to authenticate this payment (3D Secure).',
          },
        }),
      ],
      'waitlist:payLink': () =>
        waiting({ state: 'action_needed', payLink: 'http://127.0.0.1:1/_emulator/3ds/pi_1' }),
    });
    render(<SavedCardOrders />);
    expect(await screen.findByText('Customer action needed')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Charge order/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Send payment link' }));
    const link = await screen.findByDisplayValue('http://127.0.0.1:1/_emulator/3ds/pi_1');
    expect(link).toBeTruthy();
    expect(api.callsTo('waitlist:payLink')).toEqual([{ cartId: 'cart_1' }]);
  });

  it('calls back: another card from the test-card picker pays the same order, MOTO when enabled, 3DS here', async () => {
    useSessionStore.setState({ user: staff, stripeReachable: true, info: info({ motoEnabled: true }) });
    const declined = {
      code: 'card_declined',
      declineCode: 'insufficient_funds',
      explanation: 'The card has insufficient funds. Ask for another card.',
    };
    let paid = false;
    const api = installApi({
      'waitlist:list': () => [
        paid ? waiting({ state: 'paid' }) : waiting({ state: 'action_needed', problem: declined }),
      ],
      'payments:testCards': () => [
        { paymentMethod: 'pm_card_visa', label: 'Visa — succeeds', outcome: 'succeeds' },
        { paymentMethod: 'pm_card_visa_chargeDeclined', label: 'Declined (generic)', outcome: 'declines' },
        {
          paymentMethod: 'pm_card_threeDSecure2Required',
          label: '3D Secure required',
          outcome: 'authentication',
        },
      ],
      'waitlist:payByPhone': (i: unknown) =>
        (i as { paymentMethod: string }).paymentMethod === 'pm_card_visa_chargeDeclined'
          ? waiting({
              state: 'action_needed',
              problem: {
                ...declined,
                declineCode: 'generic_decline',
                explanation: 'The bank declined the card.',
              },
            })
          : waiting({
              state: 'action_needed',
              problem: null,
              payLink: 'http://127.0.0.1:1/_emulator/3ds/pi_1',
            }),
      'waitlist:authenticate': () => {
        paid = true;
        return waiting({ state: 'paid' });
      },
    });
    render(<SavedCardOrders />);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Call back: take another card for order A1001' }),
    );
    expect(screen.getByText(/Last attempt:/)).toBeTruthy();
    fireEvent.change(await screen.findByLabelText('Test card'), {
      target: { value: 'pm_card_visa_chargeDeclined' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Charge $64.00 to this card' }));
    expect(await screen.findByText(/The bank declined the card\. The order is kept/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Test card'), {
      target: { value: 'pm_card_threeDSecure2Required' },
    });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Mail or telephone order (MOTO)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Charge $64.00 to this card' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Open the bank’s page here' }));
    expect(
      await screen.findByText('Order #A1001 was paid with the card taken on the phone: $64.00.'),
    ).toBeTruthy();
    expect(api.callsTo('waitlist:payByPhone')).toEqual([
      { cartId: 'cart_1', paymentMethod: 'pm_card_visa_chargeDeclined', moto: false },
      { cartId: 'cart_1', paymentMethod: 'pm_card_threeDSecure2Required', moto: true },
    ]);
    expect(api.callsTo('waitlist:authenticate')).toEqual([{ cartId: 'cart_1' }]);
  });
});

describe('SavedCardsSection', () => {
  it('shows brand, last 4 and expiry only, and says which waiting orders removing a card affects', async () => {
    const api = installApi({
      'customers:savedCards': () => [
        { id: 'pm_1', brand: 'visa', last4: '4242', expMonth: 12, expYear: 2029, waitingOrders: [waiting()] },
      ],
      'customers:removeCard': () => ({
        removed: { id: 'pm_1', brand: 'visa', last4: '4242', expMonth: 12, expYear: 2029 },
        affectedOrders: [waiting({ state: 'action_needed', cardRemoved: true })],
        message: 'visa •••• 4242 was removed. A1001 waits on it: call the customer for another card.',
      }),
    });
    render(<SavedCardsSection customerId="cus_1" />);
    expect(await screen.findByText('Visa •••• 4242, expires 12/29')).toBeTruthy();
    expect(screen.getByText(/Waiting on it: #A1001 \(\$64\.00\)/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove Visa •••• 4242, expires 12/29' }));
    expect(screen.getByText(/One order waits on this card: #A1001 \(\$64\.00\)/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove card' }));
    expect(await screen.findByText(/A1001 waits on it: call the customer/)).toBeTruthy();
    expect(api.callsTo('customers:removeCard')).toEqual([{ customerId: 'cus_1', paymentMethodId: 'pm_1' }]);
  });
});
