// Whether `npm run test:desktop` can run here, and the one line it prints when it can't.
import { describe, expect, it } from 'vitest';
import { desktopSmokePlan } from '../../../../../scripts/lib/desktop-smoke';
import { FakeHost } from './fake-host';

const ROOT = '/build/merchant-console';
const PKG = `${ROOT}/node_modules/electron`;

describe('desktopSmokePlan', () => {
  it('runs with node_modules/electron’s binary', () => {
    const host = new FakeHost('darwin')
      .file(`${PKG}/path.txt`, 'Electron.app/Contents/MacOS/Electron')
      .file(`${PKG}/dist/Electron.app/Contents/MacOS/Electron`, 'binary');
    expect(desktopSmokePlan(host, ROOT)).toEqual({
      run: true,
      bin: `${PKG}/dist/Electron.app/Contents/MacOS/Electron`,
    });
  });

  it('is skipped, in one line saying why, without a binary — it never downloads one', () => {
    const host = new FakeHost('linux', 'x64', { DISPLAY: ':0' }).file(
      `${PKG}/package.json`,
      '{"version":"41.7.1"}',
    );
    const plan = desktopSmokePlan(host, ROOT);
    expect(plan).toEqual({
      run: false,
      line: expect.stringMatching(/^test:desktop skipped: no Electron binary/),
    });
    expect(host.calls).toEqual([]);
  });

  it('on Linux without a display: skipped, pointing at xvfb-run', () => {
    const host = new FakeHost('linux', 'x64', {})
      .file(`${PKG}/path.txt`, 'electron')
      .file(`${PKG}/dist/electron`, 'b');
    expect(desktopSmokePlan(host, ROOT)).toEqual({ run: false, line: expect.stringContaining('xvfb-run') });
    const wayland = new FakeHost('linux', 'x64', { WAYLAND_DISPLAY: 'wayland-0' })
      .file(`${PKG}/path.txt`, 'electron')
      .file(`${PKG}/dist/electron`, 'b');
    expect(desktopSmokePlan(wayland, ROOT).run).toBe(true);
  });
});
