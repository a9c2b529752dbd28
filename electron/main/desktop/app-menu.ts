// The application menu, as data: what it holds is decided here (and tested), main turns it into Electron's
// Menu with one click handler per action. The console's own items — About (version, Stripe mode), Check for
// updates, Open at login, the screens with their Alt+digit keys, Open logs folder, Save diagnostics… — plus
// the standard Edit and Window roles (copy/paste in the fields, minimise). Reload and the developer tools
// only in development: in a shop, a reload in the middle of a payment helps no one.

export type MenuAction =
  | 'about'
  | 'check-updates'
  | 'toggle-open-at-login'
  | 'open-logs'
  | 'save-diagnostics'
  | 'quit'
  | `screen:${string}`;

export type MenuRole =
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'minimize'
  | 'zoom'
  | 'close'
  | 'front'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen';

export interface MenuEntry {
  label?: string;
  role?: MenuRole;
  action?: MenuAction;
  type?: 'separator' | 'checkbox';
  checked?: boolean;
  enabled?: boolean;
  /** Shown beside the item; `shownOnly` ones are handled by the page itself (the screens' Alt+digit). */
  accelerator?: string;
  shownOnly?: boolean;
  submenu?: MenuEntry[];
}

/** The screens' Alt+digit keys, as the renderer's left nav has them (src/features/shell/Shell.tsx). */
export const SCREEN_ITEMS: readonly { id: string; label: string; key: string }[] = [
  { id: 'today', label: 'Today', key: '0' },
  { id: 'new-order', label: 'New order', key: '1' },
  { id: 'orders', label: 'Orders', key: '2' },
  { id: 'holds', label: 'Holds', key: '3' },
  { id: 'sync', label: 'Diagnostics', key: '4' },
  { id: 'settings', label: 'Settings', key: '5' },
  { id: 'customers', label: 'Customers', key: '6' },
  { id: 'catalog', label: 'Catalog', key: '7' },
  { id: 'audit', label: 'Audit log', key: '8' },
];

export interface MenuState {
  platform: NodeJS.Platform;
  productName: string;
  isDev: boolean;
  openAtLogin: boolean;
  /** Where Open at login can be set (Electron: macOS and Windows; we write an autostart entry on Linux). */
  openAtLoginSupported: boolean;
  updatesConfigured: boolean;
}

const sep: MenuEntry = { type: 'separator' };

export function menuTemplate(s: MenuState): MenuEntry[] {
  const mac = s.platform === 'darwin';
  const about: MenuEntry = { label: `About ${s.productName}`, action: 'about' };
  const updates: MenuEntry = {
    label: s.updatesConfigured ? 'Check for Updates…' : 'Check for Updates… (not set up)',
    action: 'check-updates',
  };
  const login: MenuEntry = {
    label: 'Open at Login',
    type: 'checkbox',
    checked: s.openAtLogin,
    enabled: s.openAtLoginSupported,
    action: 'toggle-open-at-login',
  };
  const quit: MenuEntry = mac
    ? { role: 'quit', label: `Quit ${s.productName}` }
    : { label: 'Quit', action: 'quit', accelerator: 'Ctrl+Q' };

  const appMenu: MenuEntry[] = mac
    ? [
        {
          label: s.productName,
          submenu: [
            about,
            updates,
            sep,
            login,
            sep,
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            sep,
            quit,
          ],
        },
      ]
    : [{ label: '&File', submenu: [updates, login, sep, quit] }];

  const edit: MenuEntry = {
    label: mac ? 'Edit' : '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      sep,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const go: MenuEntry = {
    label: mac ? 'Go' : '&Go',
    submenu: SCREEN_ITEMS.map((x) => ({
      label: x.label,
      action: `screen:${x.id}` as const,
      accelerator: `Alt+${x.key}`,
      shownOnly: true,
    })),
  };
  const view: MenuEntry = {
    label: mac ? 'View' : '&View',
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      sep,
      { role: 'togglefullscreen' },
      ...(s.isDev
        ? [
            sep,
            { role: 'reload' as const },
            { role: 'forceReload' as const },
            { role: 'toggleDevTools' as const },
          ]
        : []),
    ],
  };
  const windowMenu: MenuEntry = {
    label: mac ? 'Window' : '&Window',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, sep, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  };
  const help: MenuEntry = {
    label: mac ? 'Help' : '&Help',
    submenu: [
      { label: 'Open Logs Folder', action: 'open-logs' },
      { label: 'Save Diagnostics…', action: 'save-diagnostics' },
      ...(mac ? [] : [sep, about]),
    ],
  };
  return [...appMenu, edit, go, view, windowMenu, help];
}

/** Every entry, submenus included (for tests and for finding an item by action). */
export function flatten(entries: readonly MenuEntry[]): MenuEntry[] {
  return entries.flatMap((e) => [e, ...(e.submenu ? flatten(e.submenu) : [])]);
}

/** Electron's MenuItemConstructorOptions, built from the entries with one handler for every action. */
export interface ElectronMenuItem {
  label?: string;
  role?: MenuRole;
  type?: 'separator' | 'checkbox' | 'normal' | 'submenu';
  checked?: boolean;
  enabled?: boolean;
  accelerator?: string;
  registerAccelerator?: boolean;
  click?: () => void;
  submenu?: ElectronMenuItem[];
}

export function toElectronTemplate(
  entries: readonly MenuEntry[],
  onAction: (a: MenuAction) => void,
): ElectronMenuItem[] {
  return entries.map((e) => {
    const item: ElectronMenuItem = {};
    if (e.label !== undefined) item.label = e.label;
    if (e.role) item.role = e.role;
    if (e.type) item.type = e.type;
    if (e.checked !== undefined) item.checked = e.checked;
    if (e.enabled !== undefined) item.enabled = e.enabled;
    if (e.accelerator) item.accelerator = e.accelerator;
    // The page handles Alt+digit itself (and checks who may open a manager's screen): the menu only shows it.
    if (e.shownOnly) item.registerAccelerator = false;
    const action = e.action;
    if (action) item.click = () => onAction(action);
    if (e.submenu) item.submenu = toElectronTemplate(e.submenu, onAction);
    return item;
  });
}

/** What About says: the version, the Stripe mode, where the data is. */
export function aboutText(o: {
  productName: string;
  version: string;
  mode: string | null;
  electron: string;
  chrome: string;
  dataDir: string;
}): { message: string; detail: string } {
  const mode =
    o.mode === 'live'
      ? 'Live: real cards, real money'
      : o.mode === 'test'
        ? 'Test mode (Stripe test key)'
        : o.mode === 'emulator'
          ? 'Offline demo (built-in Stripe emulator)'
          : 'Not started yet';
  return {
    message: `${o.productName} ${o.version}`,
    detail: `Stripe: ${mode}\nElectron ${o.electron} · Chromium ${o.chrome}\nData folder: ${o.dataDir}`,
  };
}
