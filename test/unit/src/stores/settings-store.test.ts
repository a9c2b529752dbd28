import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../../electron/ipc/contract';
import { useSettingsStore } from '../../../../src/stores/settings-store';
import { installApi, useCleanStores } from '../fake-api';
import { info, manager, staff } from '../fixtures';

useCleanStores();

const settings = (over: Partial<Settings> = {}): Settings => ({
  mode: 'emulator',
  hasSecretKey: false,
  secretKeyHint: null,
  publishableKey: null,
  motoEnabled: false,
  webhook: { enabled: false, port: 4242, hasSecret: false },
  stationCode: 'A',
  shop: 'Offline demo',
  stations: [],
  stationCodeConflict: null,
  country: 'US',
  linkMessage: 'Pay {amount} for {order}: {link}',
  station: 'Front desk',
  ...over,
});

describe('settings store', () => {
  it('loads settings and users', async () => {
    installApi({ 'settings:get': () => settings(), 'users:list': () => [manager] });
    await useSettingsStore.getState().load();
    await useSettingsStore.getState().loadUsers();
    expect(useSettingsStore.getState().settings?.station).toBe('Front desk');
    expect(useSettingsStore.getState().users).toEqual([manager]);
  });

  it('stores a secret key and keeps only its hint', async () => {
    const api = installApi({
      'settings:setSecretKey': () =>
        settings({ mode: 'test', hasSecretKey: true, secretKeyHint: 'sk_test_…4242' }),
      'app:info': () => info({ mode: 'test' }),
    });
    const s = await useSettingsStore.getState().setSecretKey('sk_test_abcdefghij4242', '1234');
    expect(api.callsTo('settings:setSecretKey')).toEqual([
      { secretKey: 'sk_test_abcdefghij4242', managerPin: '1234' },
    ]);
    expect(JSON.stringify(useSettingsStore.getState())).not.toContain('abcdefghij');
    expect(s.secretKeyHint).toBe('sk_test_…4242');
    expect(api.callsTo('app:info')).toHaveLength(1);
  });

  it('adds and updates staff', async () => {
    const api = installApi({
      'users:list': () => [manager],
      'users:create': (i) => ({ ...staff, name: i.name, role: i.role }),
      'users:update': (i) => ({ ...staff, disabled: i.disabled ?? false }),
    });
    await useSettingsStore.getState().loadUsers();
    await useSettingsStore.getState().createUser('Sam', 'staff', '5678', '1234');
    expect(useSettingsStore.getState().users!.map((u) => u.name)).toEqual(['Maria', 'Sam']);
    await useSettingsStore.getState().updateUser({ userId: staff.id, disabled: true, managerPin: '1234' });
    expect(useSettingsStore.getState().users![1]!.disabled).toBe(true);
    expect(api.callsTo('users:create')).toEqual([
      { name: 'Sam', role: 'staff', pin: '5678', managerPin: '1234' },
    ]);
    useSettingsStore.getState().reset();
    expect(useSettingsStore.getState().users).toBeNull();
  });
});
