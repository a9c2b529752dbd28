// The 3DS window: its own session per authentication, no permissions, and a way out on every platform.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AUTH_TIMEOUT_MS,
  CANCEL_URL,
  RETURN_URL,
  barHtml,
  electronAuthWindow,
  runAuthWindow,
  type AuthSurface,
} from '../../../../electron/main/adapters/auth-window';

afterEach(() => void vi.useRealTimers());

class FakeSurface implements AuthSurface {
  bankNav: ((u: string, p: () => void) => void)[] = [];
  barNav: ((u: string, p: () => void) => void)[] = [];
  keys: ((k: string, p: () => void) => void)[] = [];
  closedListeners: (() => void)[] = [];
  loaded: string[] = [];
  closes = 0;
  onBankNavigate = (l: (u: string, p: () => void) => void) => void this.bankNav.push(l);
  onBarNavigate = (l: (u: string, p: () => void) => void) => void this.barNav.push(l);
  onKey = (l: (k: string, p: () => void) => void) => void this.keys.push(l);
  onClosed = (l: () => void) => void this.closedListeners.push(l);
  loadBank = (u: string) => void this.loaded.push(u);
  close = () => void this.closes++;
  /** Fire an event; returns whether the listener prevented it. */
  fire(list: ((x: string, p: () => void) => void)[], x: string) {
    let prevented = false;
    for (const l of list) l(x, () => (prevented = true));
    return prevented;
  }
}
const timers = {
  set: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clear: (t: unknown) => clearTimeout(t as never),
};
const BANK = 'https://hooks.stripe.com/3d_secure_2/hosted?merchant=acct_1';

describe('runAuthWindow', () => {
  it('loads the bank page and settles "returned" at the return URL (which never loads)', async () => {
    const s = new FakeSurface();
    const p = runAuthWindow(s, BANK, RETURN_URL, timers);
    expect(s.loaded).toEqual([BANK]);
    expect(s.fire(s.bankNav, 'https://acs.bank.example/challenge')).toBe(false);
    expect(s.fire(s.bankNav, `${RETURN_URL}?payment_intent=pi_1`)).toBe(true);
    expect(await p).toBe('returned');
    expect(s.closes).toBe(1);
  });

  it('Cancel in the bar settles "closed"', async () => {
    const s = new FakeSurface();
    const p = runAuthWindow(s, BANK, RETURN_URL, timers);
    expect(s.fire(s.barNav, `${CANCEL_URL}?`)).toBe(true);
    expect(await p).toBe('closed');
  });

  it('the bar itself never navigates anywhere else', () => {
    const s = new FakeSurface();
    void runAuthWindow(s, BANK, RETURN_URL, timers);
    expect(s.fire(s.barNav, 'https://evil.example/')).toBe(true);
  });

  it('Escape settles "closed"; other keys pass through to the bank page', async () => {
    const s = new FakeSurface();
    const p = runAuthWindow(s, BANK, RETURN_URL, timers);
    expect(s.fire(s.keys, 'Enter')).toBe(false);
    expect(s.fire(s.keys, 'Escape')).toBe(true);
    expect(await p).toBe('closed');
  });

  it('the window closed by its close button settles "closed"', async () => {
    const s = new FakeSurface();
    const p = runAuthWindow(s, BANK, RETURN_URL, timers);
    s.closedListeners.forEach((l) => l());
    expect(await p).toBe('closed');
  });

  it('a bank page that never returns times out instead of hanging the checkout', async () => {
    vi.useFakeTimers();
    const s = new FakeSurface();
    let result: string | null = null;
    void runAuthWindow(s, BANK, RETURN_URL, timers).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(AUTH_TIMEOUT_MS - 1000);
    expect(result).toBeNull();
    await vi.advanceTimersByTimeAsync(2000);
    expect(result).toBe('closed');
    expect(s.closes).toBe(1);
  });

  it('settles once, whatever happens after', async () => {
    const s = new FakeSurface();
    const p = runAuthWindow(s, BANK, RETURN_URL, timers);
    s.fire(s.bankNav, RETURN_URL);
    s.fire(s.keys, 'Escape');
    s.closedListeners.forEach((l) => l());
    expect(await p).toBe('returned');
    expect(s.closes).toBe(1);
  });
});

describe('the bar above the bank page', () => {
  it('names the bank page’s host, escaped, and has a Cancel button posting to the cancel URL, no script', () => {
    const html = barHtml('https://acs.<b>bank</b>.example/x');
    expect(html).toContain('<button type="submit">Cancel</button>');
    expect(html).toContain(`action="${CANCEL_URL}"`);
    expect(html).not.toContain('<b>bank</b>');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("default-src 'none'");
  });
});

describe('electronAuthWindow (Electron faked)', () => {
  function fakeElectron() {
    const sessions: { partition: string; options: unknown; denied: number; cleared: number }[] = [];
    const views: { prefs: Record<string, unknown>; wc: EventEmitter & Record<string, unknown> }[] = [];
    const windows: (EventEmitter & { options: Record<string, unknown>; closed: boolean })[] = [];
    const makeWc = () => {
      const wc = new EventEmitter() as EventEmitter & Record<string, unknown>;
      Object.assign(wc, {
        loaded: [] as string[],
        openHandler: null as unknown,
        loadURL: (u: string) => ((wc.loaded as string[]).push(u), Promise.resolve()),
        setWindowOpenHandler: (h: unknown) => (wc.openHandler = h),
        focus: () => undefined,
        isDestroyed: () => false,
        close: () => undefined,
      });
      return wc;
    };
    const electron = {
      session: {
        fromPartition: (partition: string, options: unknown) => {
          const s = { partition, options, denied: 0, cleared: 0 };
          sessions.push(s);
          return {
            setPermissionRequestHandler: () => s.denied++,
            setPermissionCheckHandler: () => s.denied++,
            clearStorageData: () => (s.cleared++, Promise.resolve()),
            clearCache: () => Promise.resolve(),
          };
        },
      },
      WebContentsView: class {
        webContents = makeWc();
        constructor(o: { webPreferences: Record<string, unknown> }) {
          views.push({ prefs: o.webPreferences, wc: this.webContents });
        }
        setBounds() {}
      },
      BaseWindow: class extends EventEmitter {
        closed = false;
        contentView = { addChildView: () => undefined };
        constructor(readonly options: Record<string, unknown>) {
          super();
          windows.push(this as never);
        }
        getContentBounds() {
          return { x: 0, y: 0, width: 500, height: 760 };
        }
        show() {}
        isDestroyed() {
          return this.closed;
        }
        close() {
          this.closed = true;
          this.emit('closed');
        }
      },
    };
    return { electron, sessions, views, windows };
  }

  it('opens each authentication in a fresh in-memory session that grants nothing, as a closable window', async () => {
    const f = fakeElectron();
    const aw = electronAuthWindow(f.electron as never, () => null);
    const first = aw.open(BANK, aw.returnUrl());
    const second = aw.open(BANK, aw.returnUrl());
    expect(f.sessions.length).toBe(2);
    expect(f.sessions[0]!.partition).not.toBe(f.sessions[1]!.partition);
    for (const s of f.sessions) {
      expect(s.partition.startsWith('persist:')).toBe(false); // in memory only
      expect(s.denied).toBe(2); // request and check handlers
    }
    expect(f.windows[0]!.options.modal).toBe(false); // not a macOS sheet without a close button
    const [bar, bank] = f.views;
    expect(bar!.prefs.javascript).toBe(false);
    expect(bank!.prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(bank!.prefs.preload).toBeUndefined();
    expect((bank!.wc.openHandler as () => unknown)()).toEqual({ action: 'deny' });
    expect(bank!.wc.loaded).toEqual([BANK]);
    // The bank redirects to the return URL: the window closes and its session is cleared.
    const event = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    bank!.wc.emit('will-redirect', event, `${RETURN_URL}?payment_intent=pi_1`);
    expect(event.prevented).toBe(true);
    expect(await first).toBe('returned');
    expect(f.windows[0]!.closed).toBe(true);
    expect(f.sessions[0]!.cleared).toBe(1);
    f.views[2]!.wc.emit('before-input-event', { preventDefault() {} }, { type: 'keyDown', key: 'Escape' });
    expect(await second).toBe('closed');
  });
});
