// Open at Login: Electron's login item on macOS and Windows, an XDG autostart entry on Linux.
import { describe, expect, it } from 'vitest';
import { loginItemPlan } from '../../../../../electron/main/desktop/login-item';

const base = {
  enabled: true,
  packaged: true,
  execPath: '/opt/Merchant Console/merchant-console',
  configHome: '/home/ann/.config',
  productName: 'Merchant Console',
};

describe('loginItemPlan', () => {
  it('macOS and Windows: Electron’s login item, on or off', () => {
    expect(loginItemPlan({ ...base, platform: 'darwin' })).toEqual({
      kind: 'electron',
      settings: { openAtLogin: true },
    });
    expect(loginItemPlan({ ...base, platform: 'darwin', enabled: false })).toEqual({
      kind: 'electron',
      settings: { openAtLogin: false },
    });
    expect(loginItemPlan({ ...base, platform: 'win32', execPath: 'C:\\MC\\Merchant Console.exe' })).toEqual({
      kind: 'electron',
      settings: { openAtLogin: true, path: 'C:\\MC\\Merchant Console.exe', args: [] },
    });
  });

  it('Linux: an autostart entry for the installed app (quoted path) or the AppImage; removed when off', () => {
    const deb = loginItemPlan({ ...base, platform: 'linux' });
    expect(deb).toMatchObject({
      kind: 'autostart',
      path: '/home/ann/.config/autostart/merchant-console.desktop',
    });
    if (deb.kind !== 'autostart') return;
    expect(deb.content).toContain('Exec="/opt/Merchant Console/merchant-console"\n');
    expect(deb.content).toMatch(/^\[Desktop Entry\]\nType=Application\nName=Merchant Console\n/);
    const appImage = loginItemPlan({ ...base, platform: 'linux', appImage: '/home/ann/Apps/MC.AppImage' });
    expect(appImage.kind === 'autostart' && appImage.content).toContain('Exec=/home/ann/Apps/MC.AppImage\n');
    expect(loginItemPlan({ ...base, platform: 'linux', enabled: false })).toMatchObject({
      kind: 'autostart',
      content: null,
    });
  });

  it('not for `npm start`', () => {
    expect(loginItemPlan({ ...base, platform: 'darwin', packaged: false }).kind).toBe('unsupported');
  });
});
