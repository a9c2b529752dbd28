// Accounts, first run, and settings: the secret key goes in and never comes back out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../../helpers/core-harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ accounts: false });
});
afterEach(async () => {
  await h.close();
});

describe('first run', () => {
  it('asks for a manager account once, then only sign-in', async () => {
    expect(await h.call('auth:status', {}, 'w1')).toEqual({ needsSetup: true, user: null });
    const m = await h.call('auth:setup', { name: 'Morgan', pin: '2468' }, 'w1');
    expect(m.role).toBe('manager');
    expect(await h.call('auth:status', {}, 'w1')).toMatchObject({
      needsSetup: false,
      user: { name: 'Morgan' },
    });
    expect(await h.raw('auth:setup', { name: 'Eve', pin: '1111' }, 'w2')).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await h.call('auth:status', {}, 'w2')).toEqual({ needsSetup: false, user: null });
  });

  it('keeps at least one active manager and refuses to disable oneself', async () => {
    const m = await h.call('auth:setup', { name: 'Morgan', pin: '2468' }, 'w1');
    expect(
      await h.raw('users:update', { userId: m.id, role: 'staff', managerPin: '2468' }, 'w1'),
    ).toMatchObject({
      ok: false,
      error: { code: 'precondition_failed' },
    });
    expect(
      await h.raw('users:update', { userId: m.id, disabled: true, managerPin: '2468' }, 'w1'),
    ).toMatchObject({
      ok: false,
      error: { code: 'precondition_failed' },
    });
    const s = await h.call(
      'users:create',
      { name: 'Sam', role: 'staff', pin: '1357', managerPin: '2468' },
      'w1',
    );
    await h.call('auth:login', { name: 'Sam', pin: '1357' }, 'w2');
    expect(
      await h.raw(
        'users:create',
        { name: 'Mallory', role: 'manager', pin: '0000', managerPin: '2468' },
        'w2',
      ),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await h.call('users:update', { userId: s.id, disabled: true, managerPin: '2468' }, 'w1');
    // A disabled account's open session ends at once.
    expect(await h.raw('carts:create', {}, 'w2')).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(await h.raw('auth:login', { name: 'Sam', pin: '1357' }, 'w3')).toMatchObject({
      ok: false,
      error: { code: 'bad_pin' },
    });
  });

  it('confirms account and key changes with the manager’s own PIN, like money actions', async () => {
    await h.call('auth:setup', { name: 'Morgan', pin: '2468' }, 'w1');
    // Someone at an unattended manager screen can't mint themselves a manager account…
    expect(
      await h.raw('users:create', { name: 'Eve', role: 'manager', pin: '9999', managerPin: '0000' }, 'w1'),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad_pin' },
    });
    // …nor point the console at another Stripe account.
    expect(
      await h.raw(
        'settings:setSecretKey',
        { secretKey: 'sk_test_51AbCdEfGhIjKlMnOpQrStUv', managerPin: '0000' },
        'w1',
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad_pin' },
    });
    expect(await h.raw('auth:login', { name: 'Eve', pin: '9999' }, 'w9')).toMatchObject({ ok: false });
    expect((await h.call('settings:get', {}, 'w1')).hasSecretKey).toBe(false);
  });

  it('stores PINs hashed, never in clear', async () => {
    await h.call('auth:setup', { name: 'Morgan', pin: '24681357' }, 'w1');
    const row = h.services.db.prepare('SELECT pin_hash FROM users').get() as { pin_hash: string };
    expect(row.pin_hash).toMatch(/^scrypt\$/);
    expect(row.pin_hash).not.toContain('24681357');
  });
});

describe('settings', () => {
  beforeEach(async () => {
    await h.call('auth:setup', { name: 'Morgan', pin: '2468' }, 'w1');
  });

  it('takes the secret key and never returns it', async () => {
    const key = 'sk_test_51AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
    const after = await h.call('settings:setSecretKey', { secretKey: key, managerPin: '2468' }, 'w1');
    expect(after).toMatchObject({ hasSecretKey: true, mode: 'test', secretKeyHint: 'sk_test_…6789' });
    for (const channel of ['settings:get', 'app:info', 'audit:list', 'sync:status'] as const) {
      const r = await h.raw(channel, channel === 'audit:list' ? { limit: 100 } : {}, 'w1');
      expect(JSON.stringify(r)).not.toContain(key.slice(8));
    }
    expect(JSON.stringify(h.services.db.prepare('SELECT * FROM audit_log').all())).not.toContain(
      key.slice(8),
    );
  });

  it('refuses something that is not a secret key, and staff', async () => {
    expect(
      await h.raw(
        'settings:setSecretKey',
        { secretKey: 'pk_test_123456789012345', managerPin: '2468' },
        'w1',
      ),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await h.call('users:create', { name: 'Sam', role: 'staff', pin: '1357', managerPin: '2468' }, 'w1');
    await h.call('auth:login', { name: 'Sam', pin: '1357' }, 'w2');
    expect(await h.raw('settings:setSecretKey', { secretKey: null, managerPin: '1357' }, 'w2')).toMatchObject(
      {
        ok: false,
        error: { code: 'forbidden' },
      },
    );
    expect(await h.raw('settings:update', { motoEnabled: true }, 'w2')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('keeps station settings across a restart', async () => {
    await h.call('settings:update', { station: 'Front desk', motoEnabled: true, webhookPort: 5151 }, 'w1');
    await h.restart();
    await h.call('auth:login', { name: 'Morgan', pin: '2468' }, 'w1');
    expect(await h.call('settings:get', {}, 'w1')).toMatchObject({
      station: 'Front desk',
      motoEnabled: true,
      webhook: { port: 5151, enabled: false },
    });
  });
});
