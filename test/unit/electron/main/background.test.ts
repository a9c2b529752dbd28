// Running on in the tray/menu bar while holds are open (a setting, on by default).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  readDesktopSettings,
  stillRunningNotice,
  trayMenu,
  trayTooltip,
  whenAllWindowsClosed,
  writeDesktopSettings,
} from '../../../../electron/main/background';
import { trayIconPath } from '../../../../electron/main/tray';

describe('closing the last window', () => {
  it.each(['darwin', 'win32', 'linux'] as const)(
    '%s: runs on in the tray while holds are open',
    (platform) => {
      expect(whenAllWindowsClosed({ platform, openHolds: 2, keepRunning: true })).toBe('run-in-tray');
    },
  );
  it('with no open holds: quits on Windows and Linux, stays in the Dock on macOS', () => {
    expect(whenAllWindowsClosed({ platform: 'win32', openHolds: 0, keepRunning: true })).toBe('quit');
    expect(whenAllWindowsClosed({ platform: 'linux', openHolds: 0, keepRunning: true })).toBe('quit');
    expect(whenAllWindowsClosed({ platform: 'darwin', openHolds: 0, keepRunning: true })).toBe(
      'stay-in-dock',
    );
  });
  it('with the setting off: closes as if there were no holds', () => {
    expect(whenAllWindowsClosed({ platform: 'win32', openHolds: 5, keepRunning: false })).toBe('quit');
  });
});

describe('the desktop setting', () => {
  it('is on by default (Open at Login off), survives a restart, and ignores a damaged file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mc-desktop-'));
    expect(readDesktopSettings(dir)).toEqual({ keepRunningWithOpenHolds: true, openAtLogin: false });
    writeDesktopSettings(dir, { keepRunningWithOpenHolds: false, openAtLogin: true });
    expect(readDesktopSettings(dir)).toEqual({ keepRunningWithOpenHolds: false, openAtLogin: true });
    writeFileSync(join(dir, 'desktop.json'), '{"keepRunningWithOpenHolds": false}');
    expect(readDesktopSettings(dir)).toEqual({ keepRunningWithOpenHolds: false, openAtLogin: false });
    writeFileSync(join(dir, 'desktop.json'), '{ not json');
    expect(readDesktopSettings(dir)).toEqual({ keepRunningWithOpenHolds: true, openAtLogin: false });
  });
});

describe('the tray', () => {
  it('its menu opens the window, shows the count, switches the setting and quits', () => {
    const menu = trayMenu({ openHolds: 3, keepRunning: true });
    expect(menu.map((i) => i.action).filter(Boolean)).toEqual(['open', 'toggle-keep-running', 'quit']);
    expect(menu.find((i) => i.action === 'toggle-keep-running')).toMatchObject({
      type: 'checkbox',
      checked: true,
    });
    expect(menu[1]!.label).toBe('3 open holds — reminders stay on');
    expect(trayTooltip(1)).toBe('Merchant Console — 1 open hold');
  });
  it('uses a template image in the macOS menu bar and a colour icon elsewhere, packaged or not', () => {
    const dev = { isPackaged: false, resourcesPath: '/electron/resources', appPath: '/app' };
    expect(trayIconPath(dev, 'darwin')).toBe('/app/resources/tray/trayTemplate.png');
    expect(trayIconPath(dev, 'win32')).toBe('/app/resources/tray/tray.png');
    // Packaged: electron-builder's extraResources put them beside the asar.
    const packaged = {
      isPackaged: true,
      resourcesPath: '/opt/Merchant Console/resources',
      appPath: '/x/app.asar',
    };
    expect(trayIconPath(packaged, 'linux')).toBe('/opt/Merchant Console/resources/tray/tray.png');
  });
  it('says once where it went (some Linux desktops show no tray icons)', () => {
    expect(stillRunningNotice('darwin', 2).body).toContain('menu bar');
    expect(stillRunningNotice('linux', 1).body).toContain('start it again');
  });
});
