import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../../../src/App';
import { FakeIpcError, installApi, useCleanStores } from '../fake-api';
import { info, manager, staff } from '../fixtures';

useCleanStores();

const base = {
  'products:search': () => [],
  'carts:listOpen': () => [],
  'payments:testCards': () => [],
  'sync:status': () => {
    throw new FakeIpcError('internal', 'n/a');
  },
} as const;

describe('App', () => {
  it('first run: creates the manager account', async () => {
    const api = installApi({
      ...base,
      'app:info': () => info(),
      'auth:status': () => ({ needsSetup: true, user: null }),
      'auth:setup': (i) => ({ ...manager, name: i.name }),
    });
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Create the manager account' })).toBeTruthy();
    expect(screen.getByText('Offline demo — no real money')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Manager’s name'), { target: { value: 'Maria' } });
    fireEvent.change(screen.getByLabelText('PIN'), { target: { value: '1234' } });
    fireEvent.change(screen.getByLabelText('PIN again'), { target: { value: '1235' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the manager account' }));
    expect(await screen.findByText('The two PINs are different.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('PIN again'), { target: { value: '1234' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the manager account' }));
    expect(await screen.findByRole('navigation', { name: 'Main' })).toBeTruthy();
    expect(api.callsTo('auth:setup')).toEqual([{ name: 'Maria', pin: '1234' }]);
  });

  it('sign in: shows bad PIN and locked messages', async () => {
    let code: 'bad_pin' | 'locked' = 'bad_pin';
    installApi({
      ...base,
      'app:info': () => info({ mode: 'live' }),
      'auth:status': () => ({ needsSetup: false, user: null }),
      'auth:login': () => {
        throw new FakeIpcError(
          code,
          code === 'locked' ? 'Too many wrong PINs; try again in 5 minutes.' : 'Wrong name or PIN.',
        );
      },
    });
    render(<App />);
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(screen.getByText('LIVE — real cards, real money')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Name (optional)'), { target: { value: 'Maria' } });
    fireEvent.change(screen.getByLabelText('PIN'), { target: { value: '0000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Wrong name or PIN.');
    code = 'locked';
    fireEvent.change(screen.getByLabelText('PIN'), { target: { value: '0000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Locked'));
  });

  it('shows a banner and keeps views when Stripe is unreachable; nav by keyboard', async () => {
    installApi({
      ...base,
      'app:info': () => info({ stripeReachable: false }),
      'auth:status': () => ({ needsSetup: false, user: manager }),
      'holds:list': () => [],
    });
    render(<App />);
    // The banner and the menu's line say it in the same words (one source).
    expect((await screen.findByRole('alert')).textContent).toContain('Stripe can’t be reached.');
    expect(screen.getAllByText(/Stripe can’t be reached/)).toHaveLength(2);
    await act(async () => {
      fireEvent.keyDown(window, { key: '3', code: 'Digit3', altKey: true });
    });
    expect(await screen.findByRole('heading', { name: 'Waitlist holds' })).toBeTruthy();
  });

  it('the desktop menu’s Go items switch screens, with the same rule for a manager’s screens', async () => {
    const api = installApi({
      ...base,
      'app:info': () => info(),
      'auth:status': () => ({ needsSetup: false, user: staff }),
      'holds:list': () => [],
      'glance:day': () => {
        throw new FakeIpcError('internal', 'n/a');
      },
    });
    render(<App />);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    const current = () => nav.querySelector('[aria-current="page"]')?.textContent ?? '';
    expect(current()).not.toMatch(/^Holds/);
    act(() => api.emit('app:navigate', { screen: 'holds' }));
    await waitFor(() => expect(current()).toMatch(/^Holds/));
    // Staff can't open the audit log from the menu any more than from the nav.
    act(() => api.emit('app:navigate', { screen: 'audit' }));
    act(() => api.emit('app:navigate', { screen: 'no-such-screen' }));
    await new Promise((r) => setTimeout(r, 20));
    expect(current()).toMatch(/^Holds/);
  });
});
