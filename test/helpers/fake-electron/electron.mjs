// A stand-in for the `electron` module, for running the built main process (out/main/index.js) under plain
// Node: it does what main asks in memory, and reports each thing main does to the test (process.send, the
// fork's IPC channel) as { fake: what, ... }. The test steers it with { fakeDo: … } messages. Only the
// surface main uses; enough to see the start order, the menu, the window's handlers, crash handling and quit.
import { EventEmitter } from 'node:events';
import { join } from 'node:path';

const report = (what, detail = {}) => process.send?.({ fake: what, ...detail });
const env = process.env;

const paths = new Map([
  ['appData', env.FAKE_APPDATA],
  ['documents', env.FAKE_APPDATA],
  ['desktop', env.FAKE_APPDATA],
  ['home', env.FAKE_APPDATA],
]);

class App extends EventEmitter {
  isPackaged = false;
  #name = 'merchant-console';
  #ready = false;
  #readyResolve;
  #readyPromise = new Promise((r) => (this.#readyResolve = r));
  constructor() {
    super();
    setTimeout(() => {
      this.#ready = true;
      report('ready');
      this.emit('ready');
      this.#readyResolve();
    }, 20);
  }
  whenReady() {
    return this.#readyPromise;
  }
  isReady() {
    return this.#ready;
  }
  getName() {
    return this.#name;
  }
  setName(n) {
    this.#name = n;
    report('setName', { name: n });
  }
  getVersion() {
    return '0.1.0';
  }
  getAppPath() {
    return env.FAKE_APP_PATH;
  }
  getPath(name) {
    const p = paths.get(name);
    if (!p) throw new Error(`fake electron: no path ${name}`);
    return p;
  }
  setPath(name, value) {
    paths.set(name, value);
    report('setPath', { name, value });
  }
  setAppUserModelId() {}
  setLoginItemSettings(s) {
    report('setLoginItemSettings', s);
  }
  requestSingleInstanceLock() {
    const got = env.FAKE_LOCK !== 'refused';
    report('requestSingleInstanceLock', { got });
    return got;
  }
  quit() {
    report('quit');
    const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    report('quit-done');
    setTimeout(() => process.exit(0), 10);
  }
  exit(code = 0) {
    report('exit', { code });
    setTimeout(() => process.exit(code), 10);
  }
}
export const app = new App();

let nextId = 1;
class WebContents extends EventEmitter {
  id = nextId++;
  url = '';
  reloads = 0;
  setWindowOpenHandler() {}
  isLoading() {
    return false;
  }
  isDestroyed() {
    return false;
  }
  getURL() {
    return this.url;
  }
  reload() {
    this.reloads++;
    report('webContents.reload', { id: this.id });
  }
  send(channel, payload) {
    report('webContents.send', { channel, payload });
  }
}

const windows = [];
export class BrowserWindow extends EventEmitter {
  constructor(options = {}) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    windows.push(this);
    report('BrowserWindow', {
      title: options.title,
      devTools: options.webPreferences?.devTools,
      sandbox: options.webPreferences?.sandbox,
      contextIsolation: options.webPreferences?.contextIsolation,
    });
  }
  static getAllWindows() {
    return windows;
  }
  loadURL(url) {
    this.webContents.url = url;
    report('loadURL', { url });
    setTimeout(() => this.emit('ready-to-show'), 10);
    return Promise.resolve();
  }
  show() {}
  hide() {}
  focus() {
    report('focus');
  }
  isMinimized() {
    return false;
  }
  restore() {}
  isDestroyed() {
    return false;
  }
}
export class BaseWindow extends EventEmitter {}
export class WebContentsView {}

const fakeSession = () => ({
  webRequest: { onHeadersReceived: () => report('onHeadersReceived') },
  setPermissionRequestHandler: (h) => (permissionRequest = h),
  setPermissionCheckHandler: (h) => (permissionCheck = h),
});
let permissionRequest = null;
let permissionCheck = null;
export const session = { defaultSession: fakeSession(), fromPartition: () => fakeSession() };

export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (s) => Buffer.from(`enc:${s}`),
  decryptString: (b) => b.toString().replace(/^enc:/, ''),
};

export const dialog = {
  showMessageBox: async (...args) => {
    const o = args.at(-1);
    report('dialog.showMessageBox', { message: o.message });
    return { response: 0 };
  },
  showMessageBoxSync: (o) => (
    report('dialog.showMessageBoxSync', { message: o.message, detail: o.detail }),
    0
  ),
  showErrorBox: (title, message) => report('dialog.showErrorBox', { title, message }),
  showSaveDialog: async () => ({ canceled: false, filePath: join(env.FAKE_APPDATA, 'diagnostics.txt') }),
};

let appMenu = null;
const labels = (items) =>
  items.map((i) => ({
    label: i.label ?? null,
    role: i.role ?? null,
    ...(i.submenu ? { submenu: labels(i.submenu) } : {}),
  }));
export const Menu = {
  buildFromTemplate: (template) => ({ template }),
  setApplicationMenu: (menu) => {
    appMenu = menu;
    report('setApplicationMenu', { menu: labels(menu.template) });
  },
  getApplicationMenu: () => appMenu,
};

export class Tray extends EventEmitter {
  setToolTip() {}
  setContextMenu() {}
  destroy() {}
}
export const nativeImage = { createFromPath: () => ({}) };
export class Notification extends EventEmitter {
  constructor(o) {
    super();
    report('Notification', { title: o.title, body: o.body });
  }
  static isSupported() {
    return true;
  }
  show() {}
}

export const ipcMain = {
  handlers: new Map(),
  handle(channel, fn) {
    this.handlers.set(channel, fn);
  },
  removeHandler(channel) {
    this.handlers.delete(channel);
  },
};

let clip = '';
export const clipboard = { writeText: (t) => (clip = t), readText: () => clip };
export const crashReporter = { start: (o) => report('crashReporter.start', o) };
export const powerMonitor = new EventEmitter();
export const shell = {
  openExternal: async (url) => report('shell.openExternal', { url }),
  openPath: async (p) => (report('shell.openPath', { path: p }), ''),
  showItemInFolder: (p) => report('shell.showItemInFolder', { path: p }),
};

// What the test asks of the running main process.
process.on('message', async (m) => {
  if (!m || typeof m !== 'object' || !('fakeDo' in m)) return;
  const win = windows.at(-1);
  const menuItem = (label, items = appMenu?.template ?? []) => {
    for (const i of items) {
      if (i.label === label) return i;
      const found = i.submenu && menuItem(label, i.submenu);
      if (found) return found;
    }
    return null;
  };
  switch (m.fakeDo) {
    case 'second-instance':
      app.emit('second-instance', {}, [], '');
      break;
    case 'render-process-gone':
      win.webContents.emit('render-process-gone', {}, { reason: m.reason, exitCode: 1 });
      break;
    case 'console-message':
      win.webContents.emit('console-message', {
        level: m.level,
        message: m.message,
        sourceId: 'file:///x/out/renderer/assets/index.js',
        lineNumber: 7,
      });
      break;
    case 'child-process-gone':
      app.emit('child-process-gone', {}, { type: 'GPU', reason: 'crashed', exitCode: 139 });
      break;
    case 'menu':
      menuItem(m.label)?.click?.();
      break;
    case 'ipc': {
      const fn = ipcMain.handlers.get(m.channel);
      const result = await fn(
        { senderFrame: { url: m.url ?? win.webContents.url }, sender: { id: win.webContents.id } },
        m.input,
      );
      report('ipc-result', { channel: m.channel, result });
      break;
    }
    case 'permission': {
      const allowed = permissionCheck(win.webContents, m.permission, '', { requestingUrl: m.url });
      const requested = await new Promise((r) =>
        permissionRequest(win.webContents, m.permission, r, { requestingUrl: m.url }),
      );
      report('permission-result', { permission: m.permission, allowed, requested });
      break;
    }
    case 'throw':
      setTimeout(() => {
        throw new Error('a bug in main');
      }, 0);
      break;
    case 'shutdown':
      powerMonitor.emit('shutdown', { preventDefault: () => report('shutdown-delayed') });
      break;
  }
  report('done', { what: m.fakeDo });
});
