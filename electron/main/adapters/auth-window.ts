// The 3DS window: the bank's page, in a window of its own that keeps each customer's authentication apart.
//
// - Its own in-memory session per authentication (a fresh `partition` without "persist:"): the bank's
//   cookies and storage from one customer are gone before the next one's, and never touch the console's.
// - That session grants no permission to any page (notifications, camera, …): see denyAllPermissions.
// - A visible way out on every platform: a bar above the bank's page with the bank's address and a Cancel
//   button (a plain form: the bar runs no script), Escape, the window's own close button (it is an ordinary
//   child window, not a macOS sheet without one), and a timeout — a bank page that never returns can't hang
//   the checkout. Cancelling resolves 'closed'; the checkout then reads the PaymentIntent back.
// - It settles 'returned' when the bank sends the customer to the return URL (which never loads: the
//   redirect is caught), and it opens nothing else (new windows denied).
//
// The decisions live in `runAuthWindow` over a small `AuthSurface`, so they are unit-tested without
// Electron; `electronAuthWindow` only builds the surface from BaseWindow and two WebContentsViews.
import type { BaseWindow, WebContents, WebContentsView, session } from 'electron';
import type { AuthWindow } from '../../core/ports';
import { privateSession } from '../security';

export const RETURN_URL = 'https://merchant-console.invalid/3ds-return';
export const CANCEL_URL = 'https://merchant-console.invalid/3ds-cancel';
export const AUTH_TIMEOUT_MS = 10 * 60_000;
export const BAR_HEIGHT = 56;

/** What the controller needs of the window: events in, a few commands out. */
export interface AuthSurface {
  /** The bank's page is about to go to `url` (navigation or redirect); `prevent()` stops it. */
  onBankNavigate(listener: (url: string, prevent: () => void) => void): void;
  /** The bar's Cancel form was submitted (its navigation to CANCEL_URL). */
  onBarNavigate(listener: (url: string, prevent: () => void) => void): void;
  /** A key went down in the bar or the bank's page. */
  onKey(listener: (key: string, prevent: () => void) => void): void;
  onClosed(listener: () => void): void;
  loadBank(url: string): void;
  close(): void;
}

export function runAuthWindow(
  surface: AuthSurface,
  url: string,
  returnUrl: string,
  timers: { set(fn: () => void, ms: number): unknown; clear(t: unknown): void },
  timeoutMs = AUTH_TIMEOUT_MS,
): Promise<'returned' | 'closed'> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: 'returned' | 'closed') => {
      if (done) return;
      done = true;
      timers.clear(timer);
      resolve(r);
      surface.close();
    };
    const timer = timers.set(() => finish('closed'), timeoutMs);
    surface.onBankNavigate((target, prevent) => {
      if (target.startsWith(returnUrl)) {
        prevent();
        finish('returned');
      }
    });
    surface.onBarNavigate((target, prevent) => {
      prevent(); // the bar never goes anywhere; its one form means "cancel"
      if (target.startsWith(CANCEL_URL)) finish('closed');
    });
    surface.onKey((key, prevent) => {
      if (key === 'Escape') {
        prevent();
        finish('closed');
      }
    });
    surface.onClosed(() => finish('closed'));
    surface.loadBank(url);
  });
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The bar above the bank's page: whose page it is, and Cancel. No script (the view runs none). */
export function barHtml(bankUrl: string): string {
  let host = 'the bank';
  try {
    host = new URL(bankUrl).host || host;
  } catch {
    /* keep the generic name */
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; form-action ${new URL(CANCEL_URL).origin}">
<title>Card authentication</title><style>
html,body{margin:0;height:100%;font:14px system-ui,-apple-system,"Segoe UI",sans-serif;background:#f4f4f7;color:#1d1d27}
form{display:flex;align-items:center;gap:12px;height:100%;padding:0 12px;box-sizing:border-box;border-bottom:1px solid #d8d8e0}
p{margin:0;flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
small{color:#5a5a6e}
button{font:inherit;padding:6px 16px;border-radius:6px;border:1px solid #8a8aa0;background:#fff;cursor:pointer}
button:focus-visible{outline:3px solid #4f46e5;outline-offset:2px}
</style></head><body><form action="${CANCEL_URL}" method="get">
<p>Card authentication by the customer's bank<br><small>${escapeHtml(host)} · Esc cancels</small></p>
<button type="submit">Cancel</button></form></body></html>`;
}

type Ctors = {
  BaseWindow: typeof BaseWindow;
  WebContentsView: typeof WebContentsView;
  session: typeof session;
};

export function electronAuthWindow(electron: Ctors, parent: () => BaseWindow | null): AuthWindow {
  return {
    returnUrl: () => RETURN_URL,
    open(url, returnUrl) {
      // An in-memory session of its own for this one authentication.
      const { partition, session: ses } = privateSession(electron.session, 'mc-3ds');
      const prefs = { sandbox: true, contextIsolation: true, nodeIntegration: false, partition };
      const owner = parent();
      const win = new electron.BaseWindow({
        width: 500,
        height: 760,
        minWidth: 380,
        minHeight: 480,
        title: 'Card authentication',
        ...(owner ? { parent: owner } : {}),
        modal: false,
        minimizable: false,
        show: false,
      });
      const bar = new electron.WebContentsView({ webPreferences: { ...prefs, javascript: false } });
      const bank = new electron.WebContentsView({ webPreferences: prefs });
      win.contentView.addChildView(bar);
      win.contentView.addChildView(bank);
      const layout = () => {
        const { width, height } = win.getContentBounds();
        bar.setBounds({ x: 0, y: 0, width, height: BAR_HEIGHT });
        bank.setBounds({ x: 0, y: BAR_HEIGHT, width, height: Math.max(0, height - BAR_HEIGHT) });
      };
      layout();
      win.on('resize', layout);
      // A BaseWindow does not destroy its views' web contents: do it, or the bank's page lives on unseen.
      win.on('closed', () => {
        for (const v of [bar, bank]) if (!v.webContents.isDestroyed()) v.webContents.close();
      });
      for (const wc of [bar.webContents, bank.webContents])
        wc.setWindowOpenHandler(() => ({ action: 'deny' }));
      void bar.webContents.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(barHtml(url))}`);

      const navigation = (wc: WebContents) => (listener: (u: string, prevent: () => void) => void) => {
        const watch = (event: Electron.Event, target: string) =>
          listener(target, () => event.preventDefault());
        wc.on('will-navigate', watch);
        wc.on('will-redirect', watch);
      };
      const surface: AuthSurface = {
        onBankNavigate: navigation(bank.webContents),
        onBarNavigate: navigation(bar.webContents),
        onKey: (listener) => {
          for (const wc of [bar.webContents, bank.webContents])
            wc.on('before-input-event', (event, input) => {
              if (input.type === 'keyDown') listener(input.key, () => event.preventDefault());
            });
        },
        onClosed: (listener) => win.on('closed', listener),
        loadBank: (u) => {
          void bank.webContents.loadURL(u);
          win.show();
          bank.webContents.focus();
        },
        close: () => {
          if (!win.isDestroyed()) win.close();
          // Nothing of this customer's bank session outlives the window.
          void ses.clearStorageData().catch(() => undefined);
          void ses.clearCache().catch(() => undefined);
        },
      };
      return runAuthWindow(surface, url, returnUrl, {
        set: setTimeout,
        clear: (t) => clearTimeout(t as NodeJS.Timeout),
      });
    },
  };
}
