import { describe, expect, it } from 'vitest';
import { useSessionStore } from '../../../../src/stores/session-store';
import { useSyncStore } from '../../../../src/stores/sync-store';
import { FakeIpcError, installApi, useCleanStores } from '../fake-api';
import { health } from '../fixtures';

useCleanStores();

const drift = {
  id: 'd1',
  kind: 'paid_no_order' as const,
  paymentIntentId: 'pi_1',
  description: 'Paid, no order',
  fix: 'Create the order',
};

describe('sync store', () => {
  it('loads health and mirrors Stripe reachability into the session', async () => {
    installApi({ 'sync:status': () => health({ stripeReachable: false }) });
    await useSyncStore.getState().loadHealth();
    expect(useSyncStore.getState().health?.mode).toBe('polling');
    expect(useSessionStore.getState().stripeReachable).toBe(false);
    useSyncStore.getState().setHealth(health());
    expect(useSessionStore.getState().stripeReachable).toBe(true);
  });

  it('loads the event log', async () => {
    const api = installApi({ 'sync:events': () => [] });
    await useSyncStore.getState().loadEvents();
    expect(api.callsTo('sync:events')).toEqual([{ limit: 100 }]);
    expect(useSyncStore.getState().events).toEqual([]);
  });

  it('reconciles and fixes a drift', async () => {
    const api = installApi({
      'sync:reconcile': () => ({ at: 1, drifts: [drift] }),
      'sync:fix': () => ({ at: 2, drifts: [] }),
    });
    await useSyncStore.getState().runReconcile();
    expect(useSyncStore.getState().reconcile?.drifts).toHaveLength(1);
    await useSyncStore.getState().fix('d1');
    expect(api.callsTo('sync:fix')).toEqual([{ driftId: 'd1' }]);
    expect(useSyncStore.getState().reconcile?.drifts).toEqual([]);
    expect(useSyncStore.getState().fixing).toEqual({});
  });

  it('shows a refusal for staff', async () => {
    installApi({
      'sync:reconcile': () => {
        throw new FakeIpcError('forbidden', 'Only a manager can do that.');
      },
    });
    await useSyncStore.getState().runReconcile();
    expect(useSyncStore.getState().reconcileError).toBe('Only a manager can do that.');
    useSyncStore.getState().reset();
    expect(useSyncStore.getState().reconcileError).toBeNull();
  });
});
