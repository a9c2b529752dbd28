// The 3DS window: a child window of the console showing the bank's page; it closes itself when the page
// sends the customer to the return URL (which never loads: we catch the redirect).
import { BrowserWindow } from 'electron';
import type { AuthWindow } from '../../core/ports';

const RETURN_URL = 'https://merchant-console.invalid/3ds-return';

export function electronAuthWindow(parent: () => BrowserWindow | null): AuthWindow {
  return {
    returnUrl: () => RETURN_URL,
    open: (url) =>
      new Promise((resolve) => {
        const win = new BrowserWindow({
          width: 480,
          height: 680,
          parent: parent() ?? undefined,
          modal: true,
          title: 'Card authentication',
          webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false },
        });
        let done = false;
        const finish = (r: 'returned' | 'closed') => {
          if (done) return;
          done = true;
          resolve(r);
          if (!win.isDestroyed()) win.close();
        };
        const watch = (event: Electron.Event, target: string) => {
          if (target.startsWith(RETURN_URL)) {
            event.preventDefault();
            finish('returned');
          }
        };
        win.webContents.on('will-redirect', watch);
        win.webContents.on('will-navigate', watch);
        win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
        win.on('closed', () => finish('closed'));
        void win.loadURL(url);
      }),
  };
}
