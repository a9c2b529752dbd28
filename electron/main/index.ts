// The Electron main process: the composition root for the desktop app. Everything here is glue — windows,
// security, safeStorage, notifications, ipcMain — around the plain-Node core (electron/core).
import { app, BrowserWindow, dialog, ipcMain, Notification, session } from 'electron';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServices, type Services } from '../core/services';
import { DatabaseError } from '../core/store/db';
import { startEmulator } from '../emulator';
import { registerIpc } from './ipc-register';
import { hardenSession, lockDownWindow } from './security';
import { safeSecretStore } from './adapters/safe-secret-store';
import { electronAuthWindow } from './adapters/auth-window';
import type { Dispatch } from '../core/dispatch';

const here = fileURLToPath(new URL('.', import.meta.url));
const isDev = !app.isPackaged && !!process.env.ELECTRON_RENDERER_URL;
if (process.env.MERCHANT_CONSOLE_DATA_DIR) app.setPath('userData', process.env.MERCHANT_CONSOLE_DATA_DIR);

let mainWindow: BrowserWindow | null = null;
let services: Services | null = null;

const rendererUrl = () =>
  isDev ? process.env.ELECTRON_RENDERER_URL! : pathToFileURL(join(here, '../renderer/index.html')).toString();
const isAppUrl = (url: string) => url.startsWith(rendererUrl().replace(/index\.html$/, ''));

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 1024,
    minHeight: 680,
    title: 'Merchant Console',
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  lockDownWindow(win, isAppUrl);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(rendererUrl());
  return win;
}

async function buildServices(): Promise<Services> {
  const dataDir = app.getPath('userData');
  return createServices({
    dataDir,
    secrets: safeSecretStore(dataDir),
    authWindow: electronAuthWindow(() => mainWindow),
    events: {
      emit: (event, payload) => {
        for (const w of BrowserWindow.getAllWindows())
          if (!w.isDestroyed()) w.webContents.send(event, payload);
      },
    },
    notifier: { notify: (title, body) => new Notification({ title, body }).show() },
    station: process.env.MERCHANT_CONSOLE_STATION ?? hostname(),
    version: app.getVersion(),
    // better-sqlite3 built for Electron's ABI by `npm start` (scripts/start.mjs), kept apart from Node's build.
    ...(process.env.MERCHANT_CONSOLE_SQLITE_BINDING
      ? { nativeBinding: process.env.MERCHANT_CONSOLE_SQLITE_BINDING }
      : {}),
    startEmulator: (statePath) =>
      startEmulator({
        statePath,
        ...(process.env.MERCHANT_CONSOLE_SQLITE_BINDING
          ? { nativeBinding: process.env.MERCHANT_CONSOLE_SQLITE_BINDING }
          : {}),
      }),
    requestRestart: () => {
      void (async () => {
        await services?.close();
        services = await buildServices();
        mainWindow?.webContents.reload();
      })();
    },
  });
}

app.whenReady().then(async () => {
  hardenSession(session.defaultSession, isDev);
  try {
    services = await buildServices();
  } catch (e) {
    const message =
      e instanceof DatabaseError ? e.message : `The console could not start: ${(e as Error).message}`;
    dialog.showErrorBox('Merchant Console', message);
    app.exit(1);
    return;
  }
  const dispatch: () => Dispatch = () => services!.dispatch;
  registerIpc(ipcMain, dispatch, (url) => isAppUrl(url));
  mainWindow = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('before-quit', () => {
  void services?.close();
});

// Nothing else may be opened by any web contents.
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
