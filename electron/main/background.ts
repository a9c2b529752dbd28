// Running on with the window closed: while holds are open, the console keeps running in the tray (Windows,
// Linux) or the menu bar (macOS) so the hold reminders keep coming — a setting, on by default, kept in
// desktop.json in the data folder and switched from the tray menu. With no open holds (or the setting off)
// closing the last window quits on Windows and Linux, as before; macOS apps stay in the Dock, as they do.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DesktopSettings {
  keepRunningWithOpenHolds: boolean;
  /** Start with the computer (menu: Open at Login). Off unless someone turns it on. */
  openAtLogin: boolean;
}
export const DEFAULT_DESKTOP_SETTINGS: DesktopSettings = {
  keepRunningWithOpenHolds: true,
  openAtLogin: false,
};

export function readDesktopSettings(dataDir: string): DesktopSettings {
  try {
    const raw = JSON.parse(readFileSync(join(dataDir, 'desktop.json'), 'utf8')) as Partial<DesktopSettings>;
    return {
      keepRunningWithOpenHolds:
        typeof raw.keepRunningWithOpenHolds === 'boolean'
          ? raw.keepRunningWithOpenHolds
          : DEFAULT_DESKTOP_SETTINGS.keepRunningWithOpenHolds,
      openAtLogin: raw.openAtLogin === true,
    };
  } catch {
    return { ...DEFAULT_DESKTOP_SETTINGS };
  }
}

export function writeDesktopSettings(dataDir: string, s: DesktopSettings): void {
  writeFileSync(join(dataDir, 'desktop.json'), `${JSON.stringify(s, null, 2)}\n`);
}

export type WhenAllClosed = 'quit' | 'run-in-tray' | 'stay-in-dock';

export function whenAllWindowsClosed(o: {
  platform: NodeJS.Platform;
  openHolds: number;
  keepRunning: boolean;
}): WhenAllClosed {
  if (o.openHolds > 0 && o.keepRunning) return 'run-in-tray';
  return o.platform === 'darwin' ? 'stay-in-dock' : 'quit';
}

export type TrayAction = 'open' | 'toggle-keep-running' | 'quit';
export interface TrayItem {
  label: string;
  action?: TrayAction;
  type?: 'normal' | 'checkbox' | 'separator';
  checked?: boolean;
  enabled?: boolean;
}

export function trayTooltip(openHolds: number): string {
  return openHolds === 0
    ? 'Merchant Console'
    : `Merchant Console — ${openHolds} open hold${openHolds === 1 ? '' : 's'}`;
}

export function trayMenu(o: { openHolds: number; keepRunning: boolean }): TrayItem[] {
  return [
    { label: 'Open Merchant Console', action: 'open' },
    {
      label:
        o.openHolds === 0
          ? 'No open holds'
          : `${o.openHolds} open hold${o.openHolds === 1 ? '' : 's'} — reminders stay on`,
      enabled: false,
    },
    { label: '', type: 'separator' },
    {
      label: 'Keep running while holds are open',
      type: 'checkbox',
      checked: o.keepRunning,
      action: 'toggle-keep-running',
    },
    { label: '', type: 'separator' },
    { label: 'Quit Merchant Console', action: 'quit' },
  ];
}

/** Said once when the window closes and the app stays (some Linux desktops show no tray icons at all). */
export function stillRunningNotice(
  platform: NodeJS.Platform,
  openHolds: number,
): { title: string; body: string } {
  const where = platform === 'darwin' ? 'menu bar' : 'tray';
  return {
    title: 'Merchant Console is still running',
    body:
      `${openHolds} open hold${openHolds === 1 ? '' : 's'}: reminders keep coming. Open it from the ${where} ` +
      'icon, or start it again.',
  };
}
