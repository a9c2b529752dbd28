// Window security: CSP on every response of the app's own pages, no permissions for other pages (the app's
// own page may write the clipboard: desktop/permissions.ts), no navigation away, no new windows (the 3DS and card windows are opened by main itself, not by a page).
//
// Notifications are main's job (electron/main/notifications.ts: one per reminder, clicking it focuses the
// hold), so the renderer is denied the web Notification permission too: its own desktop notification —
// meant for browser mode — stays silent in Electron instead of doubling main's.
import { randomUUID } from 'node:crypto';
import type { BrowserWindow, Session, session as sessionModule } from 'electron';
import { CSP } from '../browser/server';
import { permissionDecision } from './desktop/permissions';

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

/** The app's own session: only the app's page gets the few permissions it needs (desktop/permissions.ts). */
export function appPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
  isAppUrl: (url: string) => boolean,
) {
  session.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(permissionDecision(permission, details.requestingUrl, isAppUrl)),
  );
  session.setPermissionCheckHandler((wc, permission, _origin, details) =>
    permissionDecision(permission, details.requestingUrl ?? wc?.getURL(), isAppUrl),
  );
}

export function hardenSession(session: Session, isDev: boolean, isAppUrl: (url: string) => boolean): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    if (details.url.startsWith('file:') || (isDev && details.url.startsWith('http://localhost'))) {
      headers['Content-Security-Policy'] = [CSP];
    }
    callback({ responseHeaders: headers });
  });
  appPermissions(session, isAppUrl);
}

/**
 * Links that leave the console for another app, which the OS opens (never a window of the console): the mail or
 * messages app with a secure payment link for the customer (mailto:, sms:), the phone (tel:), a carrier's
 * tracking page in the browser (https:). Anything else is refused.
 */
export function isExternalLink(url: string): boolean {
  try {
    const u = new URL(url);
    return (
      ['mailto:', 'sms:', 'tel:'].includes(u.protocol) ||
      (u.protocol === 'https:' && u.hostname.includes('.'))
    );
  } catch {
    return false;
  }
}

export function lockDownWindow(
  win: BrowserWindow,
  isAppUrl: (url: string) => boolean,
  openExternal: (url: string) => void = () => undefined,
): void {
  win.webContents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    if (isExternalLink(url)) openExternal(url);
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) openExternal(url);
    return { action: 'deny' };
  });
}
