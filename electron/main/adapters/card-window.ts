// The live card entry window (design in electron/main/card-entry/card-page.ts): Stripe.js on an https
// origin that main answers itself, in an in-memory session of its own, with no preload, no permissions,
// no navigation away and no new windows; Cancel, Escape, the close button and a timeout all cancel.
import { randomUUID } from 'node:crypto';
import type { BrowserWindow, session } from 'electron';
import type { CardEntry } from '../../core/ports';
import { privateSession } from '../security';
import {
  CARD_ORIGIN,
  cardPageUrl,
  routeCardRequest,
  type CardResult,
  type CardSession,
} from '../card-entry/card-page';

export const CARD_TIMEOUT_MS = 10 * 60_000;

type Electron = {
  BrowserWindow: typeof BrowserWindow;
  session: typeof session;
};

export function electronCardEntry(electron: Electron, parent: () => BrowserWindow | null): CardEntry {
  return {
    collect: (input) =>
      new Promise<CardResult>((resolve) => {
        const token = randomUUID();
        const s: CardSession = { ...input, token };
        const { partition, session: ses } = privateSession(electron.session, 'mc-card');
        const owner = parent();
        const win = new electron.BrowserWindow({
          width: 480,
          height: 460,
          minWidth: 380,
          minHeight: 380,
          title: 'Card details',
          ...(owner ? { parent: owner } : {}),
          modal: false,
          minimizable: false,
          show: false,
          webPreferences: { partition, sandbox: true, contextIsolation: true, nodeIntegration: false },
        });
        let done = false;
        const finish = (r: CardResult) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          resolve(r);
          if (!win.isDestroyed()) win.close();
          ses.protocol.unhandle('https');
          void ses.clearStorageData().catch(() => undefined);
        };
        const timer = setTimeout(() => finish({ canceled: true }), CARD_TIMEOUT_MS);

        ses.protocol.handle('https', async (request) => {
          const routed = await routeCardRequest(request, s);
          if (routed === 'pass') return ses.fetch(request, { bypassCustomProtocolHandlers: true });
          if (routed.result) setImmediate(() => finish(routed.result!));
          const { status, headers, body } = routed.response;
          return new Response(status === 204 ? null : body, { status, headers });
        });
        win.webContents.on('will-navigate', (event, url) => {
          if (!url.startsWith(`${CARD_ORIGIN}/s/${token}/`)) event.preventDefault();
        });
        win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
        win.webContents.on('before-input-event', (event, i) => {
          if (i.type === 'keyDown' && i.key === 'Escape') {
            event.preventDefault();
            finish({ canceled: true });
          }
        });
        win.on('closed', () => finish({ canceled: true }));
        win.once('ready-to-show', () => win.show());
        void win.loadURL(cardPageUrl(token));
      }),
  };
}
