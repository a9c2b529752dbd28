// The link's words: one source for the menu's line and the banner (issue 23 item 8).
import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { SyncHealth } from '../../../../electron/ipc/contract';
import { LinkBanner, SyncIndicator, syncWords } from '../../../../src/features/shell/SyncIndicator';
import { useSessionStore } from '../../../../src/stores/session-store';
import { useSyncStore } from '../../../../src/stores/sync-store';
import { installApi, useCleanStores } from '../fake-api';

useCleanStores();

const inStep = {
  stripeReachable: true,
  lastPollAt: 1000,
  lagMs: 0,
  lastError: null,
  catchUp: null,
} as unknown as SyncHealth;

describe('the link with Stripe, in one place', () => {
  it('says “Not connected” while the console process does not answer, whatever the last report said', () => {
    const w = syncWords(inStep, 2000, { consoleConnected: false, stripeReachable: true });
    expect(w).toMatchObject({ tone: 'bad', text: 'Not connected' });
    expect(w.banner).toContain('nothing can be saved or charged');
    // A failed call saying Stripe is unreachable wins over an older "in step" report.
    expect(syncWords(inStep, 2000, { consoleConnected: true, stripeReachable: false }).text).toBe(
      'Stripe can’t be reached',
    );
    expect(syncWords(inStep, 2000, { consoleConnected: true, stripeReachable: true })).toMatchObject({
      text: 'In step with Stripe',
      banner: null,
    });
  });

  it('the line and the banner change together when the bridge says the process is gone', () => {
    installApi({});
    useSyncStore.getState().setHealth(inStep);
    render(
      <>
        <LinkBanner />
        <SyncIndicator />
      </>,
    );
    expect(screen.getByRole('status').textContent).toContain('In step with Stripe');
    expect(screen.queryByRole('alert')).toBeNull();
    act(() => useSessionStore.getState().setConsoleConnected(false));
    expect(screen.getByRole('status').textContent).toContain('Not connected');
    expect(screen.getByRole('alert').textContent).toContain('Not connected.');
    act(() => useSessionStore.getState().setStripeReachable(false));
    act(() => useSessionStore.getState().setConsoleConnected(true));
    expect(screen.getByRole('status').textContent).toContain('Stripe can’t be reached');
    expect(screen.getByRole('alert').textContent).toContain('Stripe can’t be reached.');
  });
});
