// Quit awaits the core; one instance per data folder; the link to `npm start`.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  LAUNCHER_QUIT,
  LAUNCHER_READY,
  claimSingleInstance,
  holdQuitUntilClosed,
  linkToLauncher,
  quitOnSystemShutdown,
  secondLaunchAction,
  type AppLike,
} from '../../../../electron/main/lifecycle';

class FakeApp extends EventEmitter {
  quits = 0;
  quitDone = false;
  lock = true;
  quit() {
    this.quits++;
    const event = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.quitDone = true;
  }
  exit() {
    this.quitDone = true;
  }
  requestSingleInstanceLock() {
    return this.lock;
  }
}
const asApp = (a: FakeApp) => a as unknown as AppLike;

describe('holdQuitUntilClosed', () => {
  it('holds the quit back until the core has closed, then quits', async () => {
    const app = new FakeApp();
    let finishClose!: () => void;
    const closed = new Promise<void>((r) => (finishClose = r));
    let closeCalls = 0;
    holdQuitUntilClosed(
      asApp(app),
      () => (closeCalls++, closed),
      () => undefined,
    );
    app.quit();
    expect(app.quitDone).toBe(false);
    app.quit(); // a second Cmd+Q while closing: still one close
    expect(closeCalls).toBe(1);
    finishClose();
    await new Promise((r) => setTimeout(r, 0));
    expect(app.quitDone).toBe(true);
  });

  it('quits anyway when the core does not close in time, and says so', async () => {
    const app = new FakeApp();
    const logs: string[] = [];
    holdQuitUntilClosed(
      asApp(app),
      () => new Promise<void>(() => undefined),
      (m) => logs.push(m),
      20,
    );
    app.quit();
    await new Promise((r) => setTimeout(r, 40));
    expect(app.quitDone).toBe(true);
    expect(logs[0]).toContain('did not close within 20 ms');
  });

  it('quits when closing fails, logging the failure', async () => {
    const app = new FakeApp();
    const logs: string[] = [];
    holdQuitUntilClosed(
      asApp(app),
      async () => Promise.reject(new Error('disk gone')),
      (m) => logs.push(m),
    );
    app.quit();
    await new Promise((r) => setTimeout(r, 0));
    expect(app.quitDone).toBe(true);
    expect(logs[0]).toContain('disk gone');
  });
});

describe('claimSingleInstance', () => {
  it('the second launch quits and the first shows its window', () => {
    const first = new FakeApp();
    let shown = 0;
    expect(claimSingleInstance(asApp(first), () => shown++)).toBe(true);
    const second = new FakeApp();
    second.lock = false;
    expect(claimSingleInstance(asApp(second), () => undefined)).toBe(false);
    expect(second.quits).toBe(1);
    first.emit('second-instance');
    expect(shown).toBe(1);
  });
});

describe('linkToLauncher', () => {
  class FakeProcess extends EventEmitter {
    connected = true;
    sent: unknown[] = [];
    send = (m: unknown) => (this.sent.push(m), true);
  }

  it('quits when npm start asks (how Ctrl+C arrives on Windows)', () => {
    const proc = new FakeProcess();
    const app = new FakeApp();
    linkToLauncher(proc, asApp(app));
    proc.emit('message', { type: 'something else' });
    expect(app.quits).toBe(0);
    proc.emit('message', { type: LAUNCHER_QUIT });
    expect(app.quits).toBe(1);
  });

  it('says ready once, and quits when the launcher goes away', () => {
    const proc = new FakeProcess();
    const app = new FakeApp();
    const link = linkToLauncher(proc, asApp(app));
    link.ready();
    link.ready();
    expect(proc.sent).toEqual([{ type: LAUNCHER_READY }]);
    proc.emit('disconnect');
    expect(app.quits).toBe(1);
  });

  it('does nothing without a launcher (a packaged app has no IPC channel)', () => {
    const proc = new EventEmitter() as EventEmitter & { send?: undefined };
    const app = new FakeApp();
    linkToLauncher(proc, asApp(app)).ready();
    expect(proc.listenerCount('message')).toBe(0);
  });
});

describe('secondLaunchAction', () => {
  it('never a second window: shows the one there is, opens it from the tray, or waits while starting', () => {
    expect(secondLaunchAction({ started: true, hasWindow: true })).toBe('show-window');
    expect(secondLaunchAction({ started: true, hasWindow: false })).toBe('open-window');
    // Behind the first launch's keychain prompt: no window yet, and none is made now.
    expect(secondLaunchAction({ started: false, hasWindow: false })).toBe('wait');
  });
});

describe('quitOnSystemShutdown', () => {
  it('a shutdown (macOS, Linux) asks the OS to wait and quits the way Quit does, once', () => {
    const power = new EventEmitter();
    const app = new FakeApp();
    const logs: string[] = [];
    const state = quitOnSystemShutdown({ powerMonitor: power as never }, asApp(app), (m) => logs.push(m));
    let prevented = 0;
    const e = { preventDefault: () => prevented++ };
    power.emit('shutdown', e);
    power.emit('shutdown', e);
    expect(state.asked).toBe(true);
    expect(prevented).toBe(2);
    expect(app.quits).toBe(1);
    expect(logs).toEqual(['the system is shutting down: closing the console']);
  });

  it('a Windows session end quits too, so holdQuitUntilClosed closes the core', async () => {
    const app = new FakeApp();
    let closed = 0;
    holdQuitUntilClosed(
      asApp(app),
      async () => void closed++,
      () => undefined,
    );
    let end!: () => void;
    quitOnSystemShutdown({ onSessionEnd: (l) => (end = l) }, asApp(app), () => undefined);
    end();
    await new Promise((r) => setTimeout(r, 0));
    expect(closed).toBe(1);
    expect(app.quitDone).toBe(true);
  });
});
