// "Open at Login": off unless someone turns it on (the manager's station, so hold reminders keep coming after
// a reboot). macOS and Windows: Electron's own login item. Linux: an XDG autostart entry in
// ~/.config/autostart — Electron has no login item there — pointing at the AppImage when it runs as one
// (the mounted path changes every start), or at the installed executable.
import { join } from 'node:path';

export type LoginItemPlan =
  | {
      kind: 'electron';
      settings: { openAtLogin: boolean; openAsHidden?: boolean; path?: string; args?: string[] };
    }
  | { kind: 'autostart'; path: string; content: string | null }
  | { kind: 'unsupported'; why: string };

export const AUTOSTART_FILE = 'merchant-console.desktop';

export function loginItemPlan(o: {
  platform: NodeJS.Platform;
  enabled: boolean;
  packaged: boolean;
  execPath: string;
  /** $APPIMAGE when running as an AppImage. */
  appImage?: string | undefined;
  /** $XDG_CONFIG_HOME or ~/.config. */
  configHome: string;
  productName: string;
}): LoginItemPlan {
  if (!o.packaged)
    return { kind: 'unsupported', why: 'Open at Login is for the installed app (not `npm start`).' };
  if (o.platform === 'darwin' || o.platform === 'win32') {
    return {
      kind: 'electron',
      settings: { openAtLogin: o.enabled, ...(o.platform === 'win32' ? { path: o.execPath, args: [] } : {}) },
    };
  }
  if (o.platform === 'linux') {
    const exec = o.appImage || o.execPath;
    const quoted = /[\s"'\\$`]/.test(exec) ? `"${exec.replace(/(["\\$`])/g, '\\$1')}"` : exec;
    return {
      kind: 'autostart',
      path: join(o.configHome, 'autostart', AUTOSTART_FILE),
      content: o.enabled
        ? [
            '[Desktop Entry]',
            'Type=Application',
            `Name=${o.productName}`,
            `Exec=${quoted}`,
            'X-GNOME-Autostart-enabled=true',
            'Terminal=false',
            '',
          ].join('\n')
        : null,
    };
  }
  return { kind: 'unsupported', why: `Open at Login is not available on ${o.platform}.` };
}
