// The Electron main process: the composition root for the desktop app. Everything here is glue — windows,
// security, safeStorage, notifications, the tray, ipcMain — around the plain-Node core (electron/core).
// The decisions are in small modules with their own tests (lifecycle, core-host, background, notifications,
// keychain-recovery, native-binding, the 3DS and card windows' controllers, and desktop/: the start order,
// the menu, updates, logs, crashes, permissions, Open at Login); this file wires them to Electron.
import {
  app,
  BaseWindow,
  BrowserWindow,
  clipboard,
  crashReporter,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  powerMonitor,
  safeStorage,
  session,
  shell,
  Tray,
  WebContentsView,
  type MenuItemConstructorOptions,
} from 'electron';
import electronUpdater from 'electron-updater';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { homedir, hostname, release } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServices, type Services } from '../core/services';
import { DatabaseError } from '../core/store/db';
import { consoleLogger, type Logger, type NotifyTarget } from '../core/ports';
import { startEmulator } from '../emulator';
import { registerIpc } from './ipc-register';
import { hardenSession, lockDownWindow } from './security';
import { safeSecretStore } from './adapters/safe-secret-store';
import { electronAuthWindow } from './adapters/auth-window';
import { electronCardEntry } from './adapters/card-window';
import { electronPrinter } from './adapters/printer';
import { APP_ID, DATA_FOLDER, PRODUCT_NAME } from './app-identity';
import { resolveSqliteBinding } from './native-binding';
import { CoreHost } from './core-host';
import {
  claimSingleInstance,
  holdQuitUntilClosed,
  linkToLauncher,
  quitOnSystemShutdown,
  secondLaunchAction,
} from './lifecycle';
import { electronHandoff } from './adapters/handoff';
import { appUrlMatcher } from './desktop/app-url';
import { runStartup } from './desktop/startup';
import { RotatingLog, fileLogger, rendererLevel } from './desktop/log-file';
import {
  childGoneDecision,
  crashReporterOptions,
  renderGoneDecision,
  uncaughtDialog,
} from './desktop/crash-policy';
import { aboutText, menuTemplate, toElectronTemplate, type MenuAction } from './desktop/app-menu';
import { diagnosticsFileName, diagnosticsText } from './desktop/diagnostics';
import { loginItemPlan } from './desktop/login-item';
import {
  ActivityTracker,
  CHECK_EVERY_MS,
  PAYING_PHASES,
  UpdateController,
  updateSource,
  type UpdaterLike,
} from './desktop/updates';
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
// One name for the app (and so for its keychain item) under `npm start` and installed: package.json's
// productName says it too; this holds even if a build's package.json lost it.
app.setName(PRODUCT_NAME);
// Windows files notifications under this id; the installer's Start-menu shortcut carries the same one.
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

let mainWindow: BrowserWindow | null = null;
const rendererCrashes: number[] = [];
let quitting = false;
let started = false;
let runningOnNoticeShown = false;
let sessionEnding: (() => void) | null = null;
const launcher = linkToLauncher(process, app);

const rendererUrl = () =>
  isDev ? process.env.ELECTRON_RENDERER_URL! : pathToFileURL(join(here, '../renderer/index.html')).toString();
const isAppUrl = appUrlMatcher(rendererUrl());

const dataDir = () => app.getPath('userData');
const logsDir = () => join(dataDir(), 'logs');
let desktop = { keepRunningWithOpenHolds: true, openAtLogin: false };
let core: CoreHost<Services> | null = null;

// Logs: main.log (main and the core) and renderer.log (the window's console), redacted, rotated. Until the
// data folder is fixed and the lock held, lines go to the terminal only.
let mainLog: RotatingLog | null = null;
let rendererLog: RotatingLog | null = null;
const echo = process.stdout.isTTY || !app.isPackaged ? console : null;
let toFile: Logger = consoleLogger;
const logger: Logger = {
  info: (m, ...r) => toFile.info(m, ...r),
  warn: (m, ...r) => toFile.warn(m, ...r),
  error: (m, ...r) => toFile.error(m, ...r),
};
const log = (m: string) => logger.warn(`[main] ${m}`);

// An exception nobody caught: on record with its stack, then one clear dialog (not one per repeat).
let uncaughtShown = false;
process.on('uncaughtException', (e) => {
  logger.error('uncaught exception in main', e);
  if (uncaughtShown || !app.isReady()) return;
  uncaughtShown = true;
  const d = uncaughtDialog(e, mainLog?.path ?? logsDir());
  dialog.showMessageBoxSync({ type: 'error', title: d.title, message: d.message, detail: d.detail });
});
process.on('unhandledRejection', (reason) => logger.error('unhandled promise rejection in main', reason));

// Payments under way (a money call running, a cart waiting for the customer's bank): no update restarts then.
const activity = new ActivityTracker();
const paymentsUnderWay = (): number => {
  try {
    return core?.services?.payments.listOpen().filter((c) => PAYING_PHASES.has(c.phase)).length ?? 0;
  } catch {
    return 0;
  }
};
let updates: UpdateController | null = null;

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
      devTools: !app.isPackaged,
    },
  });
  lockDownWindow(win, isAppUrl, (url) => void shell.openExternal(url));
  // The renderer went away: reload it (the order being taken is in the database) and say so — or, when it
  // keeps happening, stop and say what to do.
  win.webContents.on('render-process-gone', (_e, details) => {
    const now = Date.now();
    const d = renderGoneDecision(details, rendererCrashes, now);
    if (d.action === 'ignore') return;
    rendererCrashes.push(now);
    logger.error(d.log);
    if (d.action === 'reload') {
      if (!win.isDestroyed()) win.webContents.reload();
      notifier.notify(d.notice.title, d.notice.body);
    } else {
      void dialog.showMessageBox({ type: 'error', ...d.dialog });
    }
  });
  win.webContents.on('console-message', (e) => {
    if (e.level === 'debug') return;
    rendererLog?.write(
      rendererLevel(e.level),
      `${e.message} (${e.sourceId.replace(/^.*\/renderer\//, '')}:${e.lineNumber})`,
    );
  });
  win.on('session-end', () => sessionEnding?.());
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
    handoff: electronHandoff(clipboard, shell, log),
    logger,
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

// ---------------------------------------------------------------------------------------------- the menu

function installMenu(): void {
  const template = menuTemplate({
    platform: process.platform,
    productName: PRODUCT_NAME,
    // Reload and the developer tools: for whoever develops it (not packaged), never in a shop's installed app.
    isDev: !app.isPackaged,
    openAtLogin: desktop.openAtLogin,
    openAtLoginSupported: app.isPackaged && ['darwin', 'win32', 'linux'].includes(process.platform),
    updatesConfigured: updates?.state.kind !== 'off',
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(toElectronTemplate(template, onMenu) as MenuItemConstructorOptions[]),
  );
}

function onMenu(action: MenuAction): void {
  if (action.startsWith('screen:')) {
    showMainWindow();
    events.emit('app:navigate', { screen: action.slice('screen:'.length) });
    return;
  }
  switch (action) {
    case 'about': {
      const a = aboutText({
        productName: PRODUCT_NAME,
        version: app.getVersion(),
        mode: core?.services?.mode ?? null,
        electron: process.versions.electron ?? '',
        chrome: process.versions.chrome ?? '',
        dataDir: dataDir(),
      });
      void dialog.showMessageBox({ type: 'info', title: `About ${PRODUCT_NAME}`, ...a });
      return;
    }
    case 'check-updates':
      void updates?.check(true);
      return;
    case 'toggle-open-at-login':
      desktop = { ...desktop, openAtLogin: !desktop.openAtLogin };
      writeDesktopSettings(dataDir(), desktop);
      applyLoginItem();
      installMenu();
      return;
    case 'open-logs':
      mkdirSync(logsDir(), { recursive: true });
      void shell.openPath(logsDir());
      return;
    case 'save-diagnostics':
      void saveDiagnostics();
      return;
    case 'quit':
      app.quit();
      return;
  }
}

async function saveDiagnostics(): Promise<void> {
  const now = Date.now();
  const options = { defaultPath: join(app.getPath('desktop'), diagnosticsFileName(now)) };
  const choice = mainWindow
    ? await dialog.showSaveDialog(mainWindow, options)
    : await dialog.showSaveDialog(options);
  if (choice.canceled || !choice.filePath) return;
  let syncHealth: unknown = null;
  try {
    syncHealth = core?.services?.sync.health() ?? null;
  } catch (e) {
    syncHealth = `could not be read: ${(e as Error).message}`;
  }
  let crashDumps = 0;
  try {
    crashDumps = readdirSync(app.getPath('crashDumps'), { recursive: true }).filter((f) =>
      String(f).endsWith('.dmp'),
    ).length;
  } catch {
    crashDumps = 0;
  }
  const text = diagnosticsText({
    productName: PRODUCT_NAME,
    version: app.getVersion(),
    versions: { ...process.versions },
    platform: process.platform,
    arch: process.arch,
    osRelease: release(),
    packaged: app.isPackaged,
    mode: core?.services?.mode ?? null,
    station: core?.services?.settings.station ?? null,
    syncHealth,
    updateState: updates?.state ?? null,
    dataDir: dataDir(),
    logFiles: [...(mainLog?.files() ?? []), ...(rendererLog?.files() ?? [])],
    crashDumps,
    now,
  });
  await writeFile(choice.filePath, text);
  logger.info(`diagnostics saved to ${choice.filePath}`);
  shell.showItemInFolder(choice.filePath);
}

function applyLoginItem(): void {
  const plan = loginItemPlan({
    platform: process.platform,
    enabled: desktop.openAtLogin,
    packaged: app.isPackaged,
    execPath: process.execPath,
    appImage: process.env.APPIMAGE,
    configHome: process.env.XDG_CONFIG_HOME || join(homedir(), '.config'),
    productName: PRODUCT_NAME,
  });
  try {
    if (plan.kind === 'electron') app.setLoginItemSettings(plan.settings);
    else if (plan.kind === 'autostart') {
      if (plan.content === null) rmSync(plan.path, { force: true });
      else {
        mkdirSync(join(plan.path, '..'), { recursive: true });
        writeFileSync(plan.path, plan.content);
      }
    }
  } catch (e) {
    log(`Open at Login could not be set: ${(e as Error).message}`);
  }
}

// ------------------------------------------------------------------------------------------- updates

function startUpdates(): void {
  const source = updateSource({
    packaged: app.isPackaged,
    builtIn: app.isPackaged && existsSync(join(process.resourcesPath, 'app-update.yml')),
    env: process.env,
  });
  let updater: UpdaterLike | null = null;
  if (source.use) {
    const { autoUpdater } = electronUpdater;
    autoUpdater.logger = {
      info: (m) => logger.info(String(m)),
      warn: (m) => logger.warn(String(m)),
      error: (m) => logger.error(String(m)),
      debug: () => undefined,
    };
    if (source.feed) autoUpdater.setFeedURL(source.feed);
    updater = autoUpdater;
  }
  updates = new UpdateController({
    updater,
    offWhy: source.use ? undefined : source.why,
    activity: () => activity.snapshot(paymentsUnderWay()),
    ask: async (version) => {
      const r = await dialog.showMessageBox({
        type: 'info',
        title: PRODUCT_NAME,
        message: `Version ${version} is ready to install.`,
        detail:
          'The console restarts to install it (a few seconds). Or later: it is installed when the console quits.',
        buttons: ['Restart now', 'Later'],
        defaultId: 0,
        cancelId: 1,
      });
      return r.response === 0 ? 'restart' : 'later';
    },
    tell: (message, detail) =>
      void dialog.showMessageBox({
        type: 'info',
        title: PRODUCT_NAME,
        message,
        ...(detail ? { detail } : {}),
      }),
    log: (level, message) => logger[level](`[updates] ${message}`),
    after: (ms, fn) => setTimeout(fn, ms).unref(),
    beforeInstall: () => {
      quitting = true;
    },
  });
  installMenu();
  if (updater) {
    setTimeout(() => void updates?.check(false), 60_000).unref();
    setInterval(() => void updates?.check(false), CHECK_EVERY_MS).unref();
  }
}

// --------------------------------------------------------------------------------------------- start

let secrets: ReturnType<typeof safeSecretStore> | null = null;
let reentered: Parameters<typeof reenterNotice>[0] | null = null;

void runStartup({
  setDataFolder: () => {
    // One data folder name, packaged or not (a packaged app would otherwise use its product name); the crash
    // dumps in it too, beside the logs.
    app.setPath(
      'userData',
      process.env.MERCHANT_CONSOLE_DATA_DIR || join(app.getPath('appData'), DATA_FOLDER),
    );
    app.setPath('crashDumps', join(dataDir(), 'Crashpad'));
  },
  claimLock: () =>
    claimSingleInstance(app, () => {
      const what = secondLaunchAction({
        started,
        hasWindow: !!mainWindow && !mainWindow.isDestroyed(),
      });
      if (what === 'wait') log('a second launch while starting: the window comes when the start is done');
      else showMainWindow();
    }),
  startCrashReporter: () => crashReporter.start(crashReporterOptions(process.env, PRODUCT_NAME)),
  openLog: () => {
    desktop = readDesktopSettings(dataDir());
    mainLog = new RotatingLog({ dir: logsDir(), name: 'main' });
    rendererLog = new RotatingLog({ dir: logsDir(), name: 'renderer' });
    toFile = fileLogger(mainLog, echo);
    logger.info(
      `${PRODUCT_NAME} ${app.getVersion()} starting (Electron ${process.versions.electron}, ${process.platform} ${release()} ${process.arch})`,
    );
    app.on('before-quit', () => {
      quitting = true;
    });
    holdQuitUntilClosed(
      app,
      async () => {
        tray.destroy();
        await core?.close();
        logger.info('closed');
      },
      log,
    );
    quitOnSystemShutdown({ powerMonitor, onSessionEnd: (l) => (sessionEnding = l) }, app, (m) =>
      logger.info(m),
    );
    app.on('child-process-gone', (_e, details) => {
      const d = childGoneDecision(details);
      logger[d.level](d.log);
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
  },
  whenReady: () => app.whenReady(),
  hardenSession: () => hardenSession(session.defaultSession, isDev, isAppUrl),
  installMenu,
  unlockSecrets: async () => {
    secrets = safeSecretStore(dataDir(), safeStorage);
    const unlocked = await unlockSecrets(secrets, async (problem) => {
      const r = await dialog.showMessageBox(keychainDialog(problem));
      return CHOICES[r.response] ?? 'quit';
    });
    reentered = unlocked.proceed && unlocked.reentered ? unlocked.keptAs : null;
    return unlocked.proceed;
  },
  startCore: async () => {
    const s = secrets!;
    core = new CoreHost(
      () => buildServices(s),
      (message) => dialog.showErrorBox(PRODUCT_NAME, message),
    );
    try {
      await core.start();
      return true;
    } catch (e) {
      const message =
        e instanceof DatabaseError ? e.message : `The console could not start: ${(e as Error).message}`;
      logger.error(message, e);
      dialog.showErrorBox(PRODUCT_NAME, message);
      return false;
    }
  },
  registerIpc: () =>
    registerIpc(
      ipcMain,
      () => (channel, input, ctx) =>
        activity.track(String(channel), () => core!.dispatch(channel, input, ctx)),
      (url) => isAppUrl(url),
    ),
  openWindow: () => {
    started = true;
    mainWindow = createWindow();
    if (reentered !== null) void dialog.showMessageBox(mainWindow, reenterNotice(reentered));
    app.on('activate', () => showMainWindow());
    applyLoginItem();
  },
  startUpdates,
  exit: (code) => app.exit(code),
}).then(
  (outcome) => {
    if (outcome !== 'started') logger.info(`not started: ${outcome}`);
  },
  (e: Error) => {
    logger.error('the start failed', e);
    dialog.showErrorBox(PRODUCT_NAME, `The console could not start: ${e.message}`);
    app.exit(1);
  },
);

// Nothing else may be opened by any web contents.
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
