import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { captureSentence } from '../../../../src/features/holds/HoldDialogs';
import { HoldsScreen } from '../../../../src/features/holds/HoldsScreen';
import { useSessionStore } from '../../../../src/stores/session-store';
import { useSyncStore } from '../../../../src/stores/sync-store';
import { installApi, useCleanStores } from '../fake-api';
import { health, hold, info, manager, staff } from '../fixtures';

useCleanStores();

const HOUR = 3_600_000;

describe('Holds', () => {
  it('words the partial-capture confirmation', () => {
    expect(captureSentence(1000, 1800, 'usd')).toBe(
      'Capture $10.00 now; the remaining $8.00 will be released to the customer.',
    );
    expect(captureSentence(1800, 1800, 'usd')).toMatch(/full amount/);
    expect(captureSentence(300, 500, 'jpy')).toBe(
      'Capture ¥300 now; the remaining ¥200 will be released to the customer.',
    );
  });

  it('shows expiring soon, expired without Capture, and captures with PIN', async () => {
    const api = installApi({
      'holds:list': () => [
        hold({ paymentIntentId: 'pi_soon', customerName: 'Sonia', expiresAt: Date.now() + 10 * HOUR }),
        hold({
          paymentIntentId: 'pi_gone',
          customerName: 'Gus',
          status: 'expired',
          amountCapturable: 0,
          expiresAt: Date.now() - HOUR,
        }),
      ],
      'holds:capture': () => hold({ paymentIntentId: 'pi_soon', status: 'partially_captured' }),
    });
    useSessionStore.setState({ user: manager });
    render(<HoldsScreen />);
    const soon = (await screen.findByText('Sonia')).closest('tr')!;
    expect(within(soon).getByText('Expiring soon')).toBeTruthy();
    const gone = screen.getByText('Gus').closest('tr')!;
    expect(within(gone).getByText('Expired')).toBeTruthy();
    expect(within(gone).queryByRole('button', { name: /Capture/ })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Capture hold for Sonia' }));
    const dialog = screen.getByRole('dialog', { name: 'Capture hold for Sonia' });
    fireEvent.change(within(dialog).getByLabelText(/Amount to capture/), { target: { value: '10' } });
    expect(
      within(dialog).getByText('Capture $10.00 now; the remaining $8.00 will be released to the customer.'),
    ).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('Manager PIN'), { target: { value: '1234' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Capture $10.00' }));
    await screen.findByText(/Captured \$10\.00/, {}, { timeout: 2000 }).catch(() => undefined);
    expect(api.callsTo('holds:capture')).toEqual([
      { paymentIntentId: 'pi_soon', amount: 1000, version: 3, pin: '1234' },
    ]);
  });

  it('counts down on the console’s clock, which the training clock may have moved ahead', async () => {
    installApi({
      'holds:list': () => [
        hold({ paymentIntentId: 'pi_week', customerName: 'Wes', expiresAt: Date.now() + 7 * 24 * HOUR }),
      ],
    });
    useSessionStore.setState({ user: manager, info: info() });
    render(<HoldsScreen />);
    const row = (await screen.findByText('Wes')).closest('tr')!;
    expect(row.textContent).toMatch(/(7d 0h 0m|6d 23h \d+m) left/);
    // Stripe's clock moved 8 days (a sync report says Stripe's now): the countdown follows, without a reload.
    act(() => useSyncStore.getState().setHealth({ ...health(), stripeNow: Date.now() + 8 * 24 * HOUR }));
    await waitFor(() => expect(within(row).getByText('Expired')).toBeTruthy(), { timeout: 3000 });
    expect(within(row).queryByRole('button', { name: /Capture/ })).toBeNull();
  });

  it('refuses an amount over the capturable one', async () => {
    installApi({ 'holds:list': () => [hold({ customerName: 'Sonia' })] });
    useSessionStore.setState({ user: manager });
    render(<HoldsScreen />);
    fireEvent.click(await screen.findByRole('button', { name: 'Capture hold for Sonia' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/Amount to capture/), { target: { value: '18.01' } });
    expect(within(dialog).getByText('At most $18.00 can be captured.')).toBeTruthy();
    expect((within(dialog).getByRole('button', { name: 'Capture' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
  });

  it('shows staff the holds without money actions', async () => {
    installApi({ 'holds:list': () => [hold({ customerName: 'Sonia' })] });
    useSessionStore.setState({ user: staff });
    render(<HoldsScreen />);
    await screen.findByText('Sonia');
    expect(screen.getByText(/Only a manager can capture or release holds/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Capture hold/ })).toBeNull();
  });
});
