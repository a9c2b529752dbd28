// Window security: CSP on every response, no permissions, no navigation away, no new windows (the 3DS
// window is opened by main itself, not by the page).
import type { BrowserWindow, Session } from 'electron';
import { CSP } from '../browser/server';

export function hardenSession(session: Session, isDev: boolean): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    if (details.url.startsWith('file:') || (isDev && details.url.startsWith('http://localhost'))) {
      headers['Content-Security-Policy'] = [CSP];
    }
    callback({ responseHeaders: headers });
  });
  session.setPermissionRequestHandler((_wc, permission, callback) =>
    callback(permission === 'notifications'),
  );
}

export function lockDownWindow(win: BrowserWindow, isAppUrl: (url: string) => boolean): void {
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
