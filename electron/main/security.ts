// Window security: CSP on every response of the app's own pages, no permissions for any page, no
// navigation away, no new windows (the 3DS and card windows are opened by main itself, not by a page).
//
// Notifications are main's job (electron/main/notifications.ts: one per reminder, clicking it focuses the
// hold), so the renderer is denied the web Notification permission too: its own desktop notification —
// meant for browser mode — stays silent in Electron instead of doubling main's.
import { randomUUID } from 'node:crypto';
import type { BrowserWindow, Session, session as sessionModule } from 'electron';
import { CSP } from '../browser/server';

/** Deny everything: permission requests (prompts) and permission checks (e.g. Notification.permission). */
export function denyAllPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
) {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * A fresh in-memory session for one window of other people's pages (a bank's 3DS page, Stripe's card
 * field): no "persist:" prefix, so nothing of it reaches the disk or the next window, and no permissions.
 */
export function privateSession(sessions: Pick<typeof sessionModule, 'fromPartition'>, prefix: string) {
  const partition = `${prefix}-${randomUUID()}`;
  const session = sessions.fromPartition(partition, { cache: false });
  denyAllPermissions(session);
  return { partition, session };
}

export function hardenSession(session: Session, isDev: boolean): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    if (details.url.startsWith('file:') || (isDev && details.url.startsWith('http://localhost'))) {
      headers['Content-Security-Policy'] = [CSP];
    }
    callback({ responseHeaders: headers });
  });
  denyAllPermissions(session);
}

export function lockDownWindow(win: BrowserWindow, isAppUrl: (url: string) => boolean): void {
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
