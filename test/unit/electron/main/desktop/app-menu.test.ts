// The application menu's template: the console's own items, DevTools only in development, the screens
// with the keys the page itself uses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SCREEN_ITEMS,
  aboutText,
  flatten,
  menuTemplate,
  toElectronTemplate,
  type MenuAction,
  type MenuState,
} from '../../../../../electron/main/desktop/app-menu';

const base: MenuState = {
  platform: 'darwin',
  productName: 'Merchant Console',
  isDev: false,
  openAtLogin: false,
  openAtLoginSupported: true,
  updatesConfigured: true,
};
const actions = (s: MenuState) => flatten(menuTemplate(s)).flatMap((e) => (e.action ? [e.action] : []));
const roles = (s: MenuState) => flatten(menuTemplate(s)).flatMap((e) => (e.role ? [e.role] : []));

describe('menuTemplate', () => {
  it.each(['darwin', 'win32', 'linux'] as const)(
    '%s: About, updates, Open at Login, logs, diagnostics, the screens',
    (platform) => {
      const a = actions({ ...base, platform });
      for (const x of ['about', 'check-updates', 'toggle-open-at-login', 'open-logs', 'save-diagnostics'])
        expect(a, x).toContain(x);
      expect(a.filter((x) => x.startsWith('screen:'))).toEqual(SCREEN_ITEMS.map((s) => `screen:${s.id}`));
    },
  );

  it('no Reload and no developer tools in a shop; both in development', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const shop = roles({ ...base, platform });
      expect(shop).not.toContain('toggleDevTools');
      expect(shop).not.toContain('reload');
      expect(shop).not.toContain('forceReload');
      expect(roles({ ...base, platform, isDev: true })).toEqual(
        expect.arrayContaining(['toggleDevTools', 'reload']),
      );
    }
  });

  it('macOS: the app menu first, named after the product, with About and Quit; others: File … Help', () => {
    const mac = menuTemplate(base);
    expect(mac[0]!.label).toBe('Merchant Console');
    expect(mac[0]!.submenu![0]).toEqual({ label: 'About Merchant Console', action: 'about' });
    expect(mac.map((m) => m.label)).toEqual(['Merchant Console', 'Edit', 'Go', 'View', 'Window', 'Help']);
    const win = menuTemplate({ ...base, platform: 'win32' });
    expect(win.map((m) => m.label)).toEqual(['&File', '&Edit', '&Go', '&View', '&Window', '&Help']);
    expect(flatten(win).find((e) => e.action === 'quit')).toMatchObject({ accelerator: 'Ctrl+Q' });
  });

  it('Open at Login shows the setting and is disabled where it can’t be set; updates say when not set up', () => {
    const item = (s: MenuState) => flatten(menuTemplate(s)).find((e) => e.action === 'toggle-open-at-login')!;
    expect(item(base)).toMatchObject({ type: 'checkbox', checked: false, enabled: true });
    expect(item({ ...base, openAtLogin: true }).checked).toBe(true);
    expect(item({ ...base, openAtLoginSupported: false }).enabled).toBe(false);
    const upd = flatten(menuTemplate({ ...base, updatesConfigured: false })).find(
      (e) => e.action === 'check-updates',
    )!;
    expect(upd.label).toBe('Check for Updates… (not set up)');
  });

  it('the Go menu lists the screens with the left nav’s Alt+digit keys (src/features/shell/Shell.tsx)', () => {
    const shell = readFileSync(join(__dirname, '../../../../../src/features/shell/Shell.tsx'), 'utf8');
    const nav = [...shell.matchAll(/\{ id: '([a-z-]+)', label: '([^']+)', key: '(\d)'/g)].map((m) => ({
      id: m[1],
      label: m[2],
      key: m[3],
    }));
    expect(nav.length).toBeGreaterThan(5);
    expect([...SCREEN_ITEMS].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      nav.sort((a, b) => a.id!.localeCompare(b.id!)),
    );
  });
});

describe('toElectronTemplate', () => {
  it('gives every action a click handler, keeps roles, and only shows the page’s own keys', () => {
    const clicked: MenuAction[] = [];
    const t = toElectronTemplate(menuTemplate({ ...base, platform: 'linux' }), (a) => clicked.push(a));
    const go = t.find((m) => m.label === '&Go')!;
    const newOrder = go.submenu!.find((m) => m.label === 'New order')!;
    expect(newOrder).toMatchObject({ accelerator: 'Alt+1', registerAccelerator: false });
    newOrder.click!();
    t.find((m) => m.label === '&Help')!.submenu!.find((m) => m.label === 'Save Diagnostics…')!.click!();
    expect(clicked).toEqual(['screen:new-order', 'save-diagnostics']);
    const edit = t.find((m) => m.label === '&Edit')!;
    expect(edit.submenu!.map((m) => m.role).filter(Boolean)).toEqual([
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'selectAll',
    ]);
    expect(edit.submenu!.every((m) => m.click === undefined)).toBe(true);
  });
});

describe('aboutText', () => {
  it('names the version and the Stripe mode in words', () => {
    const a = aboutText({
      productName: 'Merchant Console',
      version: '0.1.0',
      mode: 'live',
      electron: '41.7.1',
      chrome: '146.0',
      dataDir: '/home/a/.config/merchant-console',
    });
    expect(a.message).toBe('Merchant Console 0.1.0');
    expect(a.detail).toContain('Stripe: Live: real cards, real money');
    expect(
      aboutText({
        ...{ productName: 'M', version: '1', electron: '', chrome: '', dataDir: '' },
        mode: 'emulator',
      }).detail,
    ).toContain('Offline demo');
    expect(
      aboutText({ productName: 'M', version: '1', electron: '', chrome: '', dataDir: '', mode: null }).detail,
    ).toContain('Not started yet');
  });
});
