// The Electron main process: the composition root for the desktop app. Everything here is glue — windows,
// security, safeStorage, notifications, the tray, ipcMain — around the plain-Node core (electron/core).
// The decisions are in small modules with their own tests (lifecycle, core-host, background, notifications,
// keychain-recovery, native-binding, the 3DS and card windows' controllers); this file wires them to Electron.
import {
  app,
  BaseWindow,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  safeStorage,
  session,
  shell,
  Tray,
  WebContentsView,
} from 'electron';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServices, type Services } from '../core/services';
import { DatabaseError } from '../core/store/db';
import type { NotifyTarget } from '../core/ports';
import { startEmulator } from '../emulator';
import { registerIpc } from './ipc-register';
import { hardenSession, lockDownWindow } from './security';
import { safeSecretStore } from './adapters/safe-secret-store';
import { electronAuthWindow } from './adapters/auth-window';
import { electronCardEntry } from './adapters/card-window';
import { electronPrinter } from './adapters/printer';
import { APP_ID, DATA_FOLDER } from './app-identity';
import { resolveSqliteBinding } from './native-binding';
import { CoreHost } from './core-host';
import { claimSingleInstance, holdQuitUntilClosed, linkToLauncher } from './lifecycle';
import { mainWindowEvents } from './main-window-events';
import { desktopNotifier } from './notifications';
import { CHOICES, keychainDialog, reenterNotice, unlockSecrets } from './keychain-recovery';
import {
  readDesktopSettings,
  stillRunningNotice,
  whenAllWindowsClosed,
  writeDesktopSettings,
} from './background';
import { createTray, trayIconPath } from './tray';

const here = fileURLToPath(new URL('.', import.meta.url));
const isDev = !app.isPackaged && !!process.env.ELECTRON_RENDERER_URL;
// One data folder name, packaged or not (a packaged app would otherwise use its product name).
app.setPath('userData', process.env.MERCHANT_CONSOLE_DATA_DIR || join(app.getPath('appData'), DATA_FOLDER));
// Windows files notifications under this id; the installer's Start-menu shortcut carries the same one.
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

let mainWindow: BrowserWindow | null = null;
let quitting = false;
let runningOnNoticeShown = false;
const launcher = linkToLauncher(process, app);
const log = (m: string) => console.warn(`[main] ${m}`);

const rendererUrl = () =>
  isDev ? process.env.ELECTRON_RENDERER_URL! : pathToFileURL(join(here, '../renderer/index.html')).toString();
const isAppUrl = (url: string) => url.startsWith(rendererUrl().replace(/index\.html$/, ''));

const dataDir = () => app.getPath('userData');
let desktop = readDesktopSettings(dataDir());
let core: CoreHost<Services> | null = null;

const openHolds = (): number => {
  try {
    return core?.services?.holds.list('open').length ?? 0;
  } catch {
    return 0;
  }
};

const tray = createTray(
  { Tray, Menu, nativeImage },
  {
    iconPath: trayIconPath(
      { isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() },
      process.platform,
    ),
    platform: process.platform,
    state: () => ({ openHolds: openHolds(), keepRunning: desktop.keepRunningWithOpenHolds }),
    on: (action) => {
      if (action === 'open') showMainWindow();
      else if (action === 'quit') app.quit();
      else {
        desktop = { ...desktop, keepRunningWithOpenHolds: !desktop.keepRunningWithOpenHolds };
        writeDesktopSettings(dataDir(), desktop);
        tray.refresh();
      }
    },
  },
);

const notifier = desktopNotifier({
  create: (o) => new Notification(o),
  isSupported: () => Notification.isSupported(),
  onClick: (target) => focusFromNotification(target),
  log,
});

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
  lockDownWindow(win, isAppUrl, (url) => void shell.openExternal(url));
  win.once('ready-to-show', () => {
    win.show();
    launcher.ready();
  });
  // Closing the window while holds are open keeps the console (and its reminders) running in the tray.
  win.on('close', (event) => {
    if (quitting) return;
    const holds = openHolds();
    const decision = whenAllWindowsClosed({
      platform: process.platform,
      openHolds: holds,
      keepRunning: desktop.keepRunningWithOpenHolds,
    });
    if (decision !== 'run-in-tray') return;
    event.preventDefault();
    win.hide();
    tray.show();
    if (!runningOnNoticeShown) {
      runningOnNoticeShown = true;
      const n = stillRunningNotice(process.platform, holds);
      notifier.notify(n.title, n.body);
    }
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(rendererUrl());
  return win;
}

function showMainWindow(): BrowserWindow {
  if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createWindow();
  const win = mainWindow;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  return win;
}

/** A notification was clicked: bring the window back, and for a hold, show that hold. */
function focusFromNotification(target: NotifyTarget | undefined) {
  const win = showMainWindow();
  if (target?.kind !== 'hold') return;
  const send = () => events.emit('holds:focus', { paymentIntentId: target.paymentIntentId });
  if (win.webContents.isLoading()) win.webContents.once('did-finish-load', send);
  else send();
}

// Events go to the console's window only; hold changes also refresh the tray's count.
const toMainWindow = mainWindowEvents(() => mainWindow?.webContents ?? null);
const events: typeof toMainWindow = {
  emit(event, payload) {
    toMainWindow.emit(event, payload);
    if (event === 'holds:changed' && tray.visible) tray.refresh();
  },
};

async function buildServices(secrets: ReturnType<typeof safeSecretStore>): Promise<Services> {
  const nativeBinding = resolveSqliteBinding({
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    env: process.env,
    exists: existsSync,
  });
  return createServices({
    dataDir: dataDir(),
    secrets,
    authWindow: electronAuthWindow({ BaseWindow, WebContentsView, session }, () => mainWindow),
    cardEntry: electronCardEntry({ BrowserWindow, session }, () => mainWindow),
    printer: electronPrinter({
      window: () => mainWindow,
      dialog,
      folder: () => app.getPath('documents'),
      writeFile: (path, data) => writeFile(path, data),
    }),
    events,
    notifier,
    station: process.env.MERCHANT_CONSOLE_STATION ?? hostname(),
    version: app.getVersion(),
    ...(nativeBinding ? { nativeBinding } : {}),
    startEmulator: (statePath) => startEmulator({ statePath, ...(nativeBinding ? { nativeBinding } : {}) }),
    requestRestart: () => {
      void core?.restart().then((ok) => {
        if (ok) mainWindow?.webContents.reload();
      });
    },
  });
}

if (claimSingleInstance(app, () => void (app.isReady() && showMainWindow()))) {
  app.on('before-quit', () => {
    quitting = true;
  });
  holdQuitUntilClosed(
    app,
    async () => {
      tray.destroy();
      await core?.close();
    },
    log,
  );

  app.whenReady().then(async () => {
    hardenSession(session.defaultSession, isDev);
    const secrets = safeSecretStore(dataDir(), safeStorage);
    const unlocked = await unlockSecrets(secrets, async (problem) => {
      const r = await dialog.showMessageBox(keychainDialog(problem));
      return CHOICES[r.response] ?? 'quit';
    });
    if (!unlocked.proceed) {
      app.exit(0);
      return;
    }
    core = new CoreHost(
      () => buildServices(secrets),
      (message) => dialog.showErrorBox('Merchant Console', message),
    );
    try {
      await core.start();
    } catch (e) {
      const message =
        e instanceof DatabaseError ? e.message : `The console could not start: ${(e as Error).message}`;
      dialog.showErrorBox('Merchant Console', message);
      app.exit(1);
      return;
    }
    registerIpc(
      ipcMain,
      () => core!.dispatch,
      (url) => isAppUrl(url),
    );
    mainWindow = createWindow();
    if (unlocked.reentered) void dialog.showMessageBox(mainWindow, reenterNotice(unlocked.keptAs));
    app.on('activate', () => showMainWindow());
  });

  app.on('window-all-closed', () => {
    const decision = whenAllWindowsClosed({
      platform: process.platform,
      openHolds: openHolds(),
      keepRunning: desktop.keepRunningWithOpenHolds,
    });
    if (decision === 'quit') app.quit();
    // The window went away some other way (a crashed renderer) while holds are open: stay reachable.
    else if (decision === 'run-in-tray') tray.show();
  });
}

// Nothing else may be opened by any web contents.
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
