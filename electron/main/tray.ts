// The tray (Windows, Linux) / menu bar (macOS) icon that keeps the console reachable while it runs on with
// its window closed. The menu's contents are decided in background.ts; this only builds it.
import { join } from 'node:path';
import type { Menu, nativeImage, Tray } from 'electron';
import { trayMenu, trayTooltip, type TrayAction } from './background';

type Electron = {
  Tray: typeof Tray;
  Menu: typeof Menu;
  nativeImage: typeof nativeImage;
};

/**
 * resources/tray/ (unpackaged) or <resources>/tray (packaged: electron-builder's extraResources): a black
 * template image for the macOS menu bar (macOS recolours it), a colour one elsewhere.
 */
export function trayIconPath(
  o: { isPackaged: boolean; resourcesPath: string; appPath: string },
  platform: NodeJS.Platform,
): string {
  const dir = o.isPackaged ? join(o.resourcesPath, 'tray') : join(o.appPath, 'resources', 'tray');
  return join(dir, platform === 'darwin' ? 'trayTemplate.png' : 'tray.png');
}

export function createTray(
  electron: Electron,
  o: {
    /** Where the tray icons are (see trayIconPath). */
    iconPath: string;
    platform: NodeJS.Platform;
    state: () => { openHolds: number; keepRunning: boolean };
    on: (action: TrayAction) => void;
  },
) {
  let tray: Tray | null = null;
  const refresh = () => {
    if (!tray) return;
    const state = o.state();
    tray.setToolTip(trayTooltip(state.openHolds));
    tray.setContextMenu(
      electron.Menu.buildFromTemplate(
        trayMenu(state).map((item) => ({
          label: item.label,
          type: item.type ?? 'normal',
          ...(item.checked !== undefined ? { checked: item.checked } : {}),
          ...(item.enabled !== undefined ? { enabled: item.enabled } : {}),
          ...(item.action ? { click: () => o.on(item.action!) } : {}),
        })),
      ),
    );
  };
  return {
    show() {
      if (!tray) {
        const image = electron.nativeImage.createFromPath(o.iconPath);
        tray = new electron.Tray(image);
        // Windows/Linux: a click opens the window (the menu is on right-click).
        if (o.platform !== 'darwin') tray.on('click', () => o.on('open'));
      }
      refresh();
    },
    refresh,
    get visible() {
      return tray !== null;
    },
    destroy() {
      tray?.destroy();
      tray = null;
    },
  };
}
