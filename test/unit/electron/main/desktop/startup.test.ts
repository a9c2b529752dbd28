// The start order: the lock before anything that can open a window or a prompt; the window only after the
// core and IPC; nothing after a refused lock, a quit at the keychain or a core that could not start.
import { describe, expect, it } from 'vitest';
import { runStartup, type StartupSteps } from '../../../../../electron/main/desktop/startup';

function steps(o: { lock?: boolean; unlock?: boolean; core?: boolean } = {}) {
  const calls: string[] = [];
  const s: StartupSteps = {
    setDataFolder: () => void calls.push('data-folder'),
    claimLock: () => (calls.push('lock'), o.lock ?? true),
    startCrashReporter: () => void calls.push('crash-reporter'),
    openLog: () => void calls.push('log'),
    whenReady: async () => void calls.push('ready'),
    hardenSession: () => void calls.push('session'),
    installMenu: () => void calls.push('menu'),
    unlockSecrets: async () => (calls.push('keychain'), o.unlock ?? true),
    startCore: async () => (calls.push('core'), o.core ?? true),
    registerIpc: () => void calls.push('ipc'),
    openWindow: () => void calls.push('window'),
    startUpdates: () => void calls.push('updates'),
    exit: (code) => void calls.push(`exit ${code}`),
  };
  return { s, calls };
}

describe('runStartup', () => {
  it('runs the steps in order', async () => {
    const { s, calls } = steps();
    expect(await runStartup(s)).toBe('started');
    expect(calls).toEqual([
      'data-folder',
      'lock',
      'crash-reporter',
      'log',
      'ready',
      'session',
      'menu',
      'keychain',
      'core',
      'ipc',
      'window',
      'updates',
    ]);
  });

  it('a second launch stops at the lock: no log, no keychain prompt, no window', async () => {
    const { s, calls } = steps({ lock: false });
    expect(await runStartup(s)).toBe('second-instance');
    expect(calls).toEqual(['data-folder', 'lock']);
  });

  it('quitting at the keychain prompt exits without a core or a window', async () => {
    const { s, calls } = steps({ unlock: false });
    expect(await runStartup(s)).toBe('quit-at-keychain');
    expect(calls.slice(-2)).toEqual(['keychain', 'exit 0']);
    expect(calls).not.toContain('window');
  });

  it('a core that could not start exits 1 without a window', async () => {
    const { s, calls } = steps({ core: false });
    expect(await runStartup(s)).toBe('core-failed');
    expect(calls.slice(-2)).toEqual(['core', 'exit 1']);
    expect(calls).not.toContain('ipc');
  });
});
