import { describe, expect, it } from 'vitest';
import { IpcCallError } from '../../../../src/lib/ipc';
import { useSessionStore } from '../../../../src/stores/session-store';
import { FakeIpcError, installApi, useCleanStores } from '../fake-api';
import { info, manager } from '../fixtures';

useCleanStores();

describe('session store', () => {
  it('loads app info and who is signed in', async () => {
    installApi({ 'app:info': () => info(), 'auth:status': () => ({ needsSetup: false, user: manager }) });
    await useSessionStore.getState().load();
    const s = useSessionStore.getState();
    expect(s.status).toBe('ready');
    expect(s.info?.mode).toBe('emulator');
    expect(s.user?.name).toBe('Maria');
    expect(s.stripeReachable).toBe(true);
  });

  it('says when the console cannot start', async () => {
    installApi({
      'app:info': () => Promise.reject(new FakeIpcError('internal', 'down')),
      'auth:status': () => ({ needsSetup: false, user: null }),
    });
    await useSessionStore.getState().load();
    expect(useSessionStore.getState().status).toBe('error');
    expect(useSessionStore.getState().loadError).toBe('down');
  });

  it('creates the manager on first run and signs in', async () => {
    const api = installApi({ 'auth:setup': (i) => ({ ...manager, name: i.name }) });
    useSessionStore.setState({ needsSetup: true });
    await useSessionStore.getState().setup('Maria', '1234');
    expect(api.callsTo('auth:setup')).toEqual([{ name: 'Maria', pin: '1234' }]);
    expect(useSessionStore.getState().needsSetup).toBe(false);
    expect(useSessionStore.getState().user?.name).toBe('Maria');
  });

  it('passes a wrong PIN through as bad_pin', async () => {
    installApi({
      'auth:login': () => {
        throw new FakeIpcError('bad_pin', 'Wrong name or PIN.');
      },
    });
    await expect(useSessionStore.getState().login('Maria', '0000')).rejects.toMatchObject({
      code: 'bad_pin',
    });
    expect(useSessionStore.getState().user).toBeNull();
  });

  it('signs out when a call finds the session gone, and flags Stripe as unreachable', () => {
    useSessionStore.setState({ user: manager });
    useSessionStore.getState().noteError(new IpcCallError({ code: 'stripe_unavailable', message: 'x' }));
    expect(useSessionStore.getState().stripeReachable).toBe(false);
    expect(useSessionStore.getState().user).not.toBeNull();
    useSessionStore.getState().noteError(new IpcCallError({ code: 'unauthenticated', message: 'x' }));
    expect(useSessionStore.getState().user).toBeNull();
  });

  it('signs out', async () => {
    const api = installApi({ 'auth:logout': () => null });
    useSessionStore.setState({ user: manager, screen: 'holds' });
    await useSessionStore.getState().logout();
    expect(api.callsTo('auth:logout')).toHaveLength(1);
    expect(useSessionStore.getState().user).toBeNull();
    expect(useSessionStore.getState().screen).toBe('new-order');
  });

  it('starts fresh after reset', () => {
    useSessionStore.setState({ user: manager, screen: 'sync' });
    useSessionStore.getState().reset();
    expect(useSessionStore.getState().user).toBeNull();
    expect(useSessionStore.getState().screen).toBe('new-order');
  });
});
