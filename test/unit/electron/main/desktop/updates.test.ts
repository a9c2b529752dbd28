// Updates: the shop's publish target, and an update never installed in the middle of a payment.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  ActivityTracker,
  IDLE_AFTER_MS,
  UpdateController,
  installDecision,
  publishFromEnv,
  updateSource,
  type UpdaterLike,
} from '../../../../../electron/main/desktop/updates';

describe('publishFromEnv', () => {
  it('none configured: no updates', () => {
    expect(publishFromEnv({})).toBeNull();
  });
  it('a generic https folder, with an optional channel', () => {
    expect(publishFromEnv({ MERCHANT_CONSOLE_UPDATE_URL: 'https://updates.shop.test/console/' })).toEqual({
      provider: 'generic',
      url: 'https://updates.shop.test/console/',
    });
    expect(
      publishFromEnv({
        MERCHANT_CONSOLE_UPDATE_URL: 'https://u.test/c',
        MERCHANT_CONSOLE_UPDATE_CHANNEL: 'beta',
      }),
    ).toEqual({ provider: 'generic', url: 'https://u.test/c', channel: 'beta' });
  });
  it('refuses plain http (the metadata’s hashes are only as good as its channel), except on this machine', () => {
    expect(() => publishFromEnv({ MERCHANT_CONSOLE_UPDATE_URL: 'http://updates.shop.test/' })).toThrow(
      /https/,
    );
    expect(() => publishFromEnv({ MERCHANT_CONSOLE_UPDATE_URL: 'not a url' })).toThrow(/not a URL/);
    expect(publishFromEnv({ MERCHANT_CONSOLE_UPDATE_URL: 'http://127.0.0.1:8080/' })?.provider).toBe(
      'generic',
    );
  });
  it('GitHub releases as owner/repo', () => {
    expect(publishFromEnv({ MERCHANT_CONSOLE_UPDATE_GITHUB: 'shop-it/merchant-console' })).toEqual({
      provider: 'github',
      owner: 'shop-it',
      repo: 'merchant-console',
    });
    expect(() => publishFromEnv({ MERCHANT_CONSOLE_UPDATE_GITHUB: 'https://github.com/a/b' })).toThrow(
      /owner\/repo/,
    );
  });
});

describe('updateSource', () => {
  it('only a packaged app updates; the run-time setting wins over the built-in one; a bad setting says why', () => {
    expect(updateSource({ packaged: false, builtIn: true, env: {} })).toMatchObject({ use: false });
    expect(updateSource({ packaged: true, builtIn: true, env: {} })).toEqual({ use: true, feed: null });
    expect(
      updateSource({
        packaged: true,
        builtIn: true,
        env: { MERCHANT_CONSOLE_UPDATE_URL: 'https://u.test/' },
      }),
    ).toEqual({ use: true, feed: { provider: 'generic', url: 'https://u.test/' } });
    const none = updateSource({ packaged: true, builtIn: false, env: {} });
    expect(none.use).toBe(false);
    if (!none.use) expect(none.why).toContain('MERCHANT_CONSOLE_UPDATE_URL');
    const bad = updateSource({
      packaged: true,
      builtIn: true,
      env: { MERCHANT_CONSOLE_UPDATE_URL: 'http://x.test' },
    });
    expect(bad).toMatchObject({ use: false, why: expect.stringMatching(/https/) });
  });
});

describe('installDecision', () => {
  const now = 1_000_000;
  it('never during a money call or a payment under way; not while the console is in use; otherwise yes', () => {
    expect(installDecision({ moneyCallsInFlight: 1, paymentsUnderWay: 0, lastCallAt: null }, now)).toEqual({
      install: false,
      why: 'a payment is being taken',
    });
    expect(
      installDecision({ moneyCallsInFlight: 0, paymentsUnderWay: 1, lastCallAt: null }, now).install,
    ).toBe(false);
    expect(
      installDecision({ moneyCallsInFlight: 0, paymentsUnderWay: 0, lastCallAt: now - 1000 }, now),
    ).toEqual({
      install: false,
      why: 'the console is in use',
    });
    expect(
      installDecision({ moneyCallsInFlight: 0, paymentsUnderWay: 0, lastCallAt: now - IDLE_AFTER_MS }, now),
    ).toEqual({
      install: true,
    });
    expect(
      installDecision({ moneyCallsInFlight: 0, paymentsUnderWay: 0, lastCallAt: null }, now).install,
    ).toBe(true);
  });
});

describe('ActivityTracker', () => {
  it('counts money calls while they run (also when they fail) and notes every call’s time', async () => {
    let t = 5;
    const a = new ActivityTracker(() => t);
    let finish!: () => void;
    const paying = a.track('payments:pay', () => new Promise<void>((r) => (finish = r)));
    await a.track('orders:list', async () => 1);
    expect(a.snapshot(0)).toEqual({ moneyCallsInFlight: 1, paymentsUnderWay: 0, lastCallAt: 5 });
    await expect(a.track('holds:capture', async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(a.snapshot(2).moneyCallsInFlight).toBe(1);
    t = 9;
    finish();
    await paying;
    expect(a.snapshot(2)).toEqual({ moneyCallsInFlight: 0, paymentsUnderWay: 2, lastCallAt: 9 });
  });
});

class FakeUpdater extends EventEmitter implements UpdaterLike {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  checks = 0;
  installs = 0;
  onCheck: () => void = () => undefined;
  async checkForUpdates() {
    this.checks++;
    this.onCheck();
    return null;
  }
  quitAndInstall() {
    this.installs++;
  }
}

function setup(
  o: { busy?: boolean; answer?: 'restart' | 'later'; whileAsking?: (s: { busy: boolean }) => void } = {},
) {
  const updater = new FakeUpdater();
  const told: string[] = [];
  const timers: (() => void)[] = [];
  const asked: string[] = [];
  const state = { busy: o.busy ?? false };
  const c = new UpdateController({
    updater,
    activity: () => ({ moneyCallsInFlight: state.busy ? 1 : 0, paymentsUnderWay: 0, lastCallAt: null }),
    ask: async (v) => {
      asked.push(v);
      o.whileAsking?.(state);
      return o.answer ?? 'restart';
    },
    tell: (m, d) => told.push(d ? `${m} ${d}` : m),
    log: () => undefined,
    after: (_ms, fn) => timers.push(fn),
    now: () => 0,
  });
  const flush = () => new Promise((r) => setTimeout(r, 0));
  return { updater, c, told, timers, asked, state, flush };
}

describe('UpdateController', () => {
  it('downloads by itself and installs at the next quit if nobody restarts', () => {
    const { updater } = setup();
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
  });

  it('a downloaded update while idle: asks, and restarts to install only on “Restart now”', async () => {
    const { updater, c, asked, flush } = setup();
    updater.emit('update-downloaded', { version: '0.2.0' });
    await flush();
    expect(asked).toEqual(['0.2.0']);
    expect(updater.installs).toBe(1);
    expect(c.state).toEqual({ kind: 'downloaded', version: '0.2.0' });
  });

  it('“Later”: not installed now (at quit instead)', async () => {
    const { updater, flush } = setup({ answer: 'later' });
    updater.emit('update-downloaded', { version: '0.2.0' });
    await flush();
    expect(updater.installs).toBe(0);
  });

  it('during a payment: does not ask or install; looks again later, and installs once the payment is done', async () => {
    const { updater, timers, asked, state, flush } = setup({ busy: true });
    updater.emit('update-downloaded', { version: '0.2.0' });
    await flush();
    expect(asked).toEqual([]);
    expect(updater.installs).toBe(0);
    expect(timers).toHaveLength(1);
    timers.shift()!(); // a minute later, still paying
    await flush();
    expect(updater.installs).toBe(0);
    state.busy = false;
    timers.shift()!();
    await flush();
    expect(asked).toEqual(['0.2.0']);
    expect(updater.installs).toBe(1);
  });

  it('a payment started while the question was open: waits instead of restarting', async () => {
    // The question is answered “Restart now” after a payment has begun.
    const { updater, timers, flush } = setup({ whileAsking: (s) => (s.busy = true) });
    updater.emit('update-downloaded', { version: '0.3.0' });
    await flush();
    expect(updater.installs).toBe(0);
    expect(timers).toHaveLength(1);
  });

  it('the menu’s check says what came of it; automatic checks stay quiet', async () => {
    const { updater, c, told } = setup();
    updater.onCheck = () => updater.emit('update-not-available', { version: '0.1.0' });
    await c.check(false);
    expect(told).toEqual([]);
    await c.check(true);
    expect(told).toEqual(['The console is up to date. Version 0.1.0 is the latest.']);
    updater.onCheck = () => updater.emit('error', new Error('net::ERR_NAME_NOT_RESOLVED'));
    await c.check(true);
    expect(told[1]).toBe('The update check failed. net::ERR_NAME_NOT_RESOLVED');
    expect(c.state).toEqual({ kind: 'failed', message: 'net::ERR_NAME_NOT_RESOLVED' });
  });

  it('from the menu with a downloaded update during a payment: says it waits', async () => {
    const { updater, c, told, flush, state } = setup({ answer: 'later' });
    updater.emit('update-downloaded', { version: '0.2.0' });
    await flush();
    state.busy = true;
    await c.check(true);
    expect(told[0]).toMatch(/^Version 0\.2\.0 is ready\. Not now: a payment is being taken\./);
    expect(updater.checks).toBe(0);
  });

  it('not set up: the menu says why, and nothing is checked', async () => {
    const told: string[] = [];
    const c = new UpdateController({
      updater: null,
      offWhy: 'This build has no update source.',
      activity: () => ({ moneyCallsInFlight: 0, paymentsUnderWay: 0, lastCallAt: null }),
      ask: async () => 'later',
      tell: (m, d) => told.push(`${m} ${d}`),
      log: () => undefined,
      after: () => undefined,
    });
    await c.check(true);
    expect(c.state.kind).toBe('off');
    expect(told).toEqual(['Updates are not set up. This build has no update source.']);
  });
});
