// Finding Electron's binary on each platform, and downloading it with visible progress.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { electronExecutable, fetchElectron, findElectron } from '../../../../../scripts/lib/electron-binary';
import { FakeHost } from './fake-host';

const ROOT = '/shop/merchant-console';
const PKG = `${ROOT}/node_modules/electron`;

afterEach(() => void vi.useRealTimers());

describe('findElectron', () => {
  it.each([
    ['darwin', 'Electron.app/Contents/MacOS/Electron'],
    ['win32', 'electron.exe'],
    ['linux', 'electron'],
  ] as const)('on %s: dist/%s, as path.txt says', (platform, exe) => {
    expect(electronExecutable(platform)).toBe(exe);
    const host = new FakeHost(platform).file(`${PKG}/path.txt`, exe).file(`${PKG}/dist/${exe}`, 'binary');
    expect(findElectron(host, ROOT)).toBe(`${PKG}/dist/${exe}`);
  });

  it('is null when the download never happened (no path.txt) or was left half done', () => {
    expect(findElectron(new FakeHost('linux'), ROOT)).toBeNull();
    expect(findElectron(new FakeHost('linux').file(`${PKG}/path.txt`, 'electron'), ROOT)).toBeNull();
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH (an Electron unpacked elsewhere)', () => {
    const host = new FakeHost('linux', 'x64', { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' }).file(
      '/opt/electron/electron',
      'binary',
    );
    expect(findElectron(host, ROOT)).toBe('/opt/electron/electron');
  });
});

describe('fetchElectron', () => {
  const installerHost = (platform: NodeJS.Platform) =>
    new FakeHost(platform, 'x64', { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }).file(
      `${PKG}/install.js`,
      '// installer',
    );

  it('says what it downloads at once and keeps saying it is still downloading', async () => {
    vi.useFakeTimers();
    const host = installerHost('linux').on((c, a) => a[0] === `${PKG}/install.js`, {
      afterMs: 25_000,
      writes: { [`${PKG}/path.txt`]: 'electron', [`${PKG}/dist/electron`]: 'binary' },
    });
    const p = fetchElectron(host, ROOT, '41.7.1', '/logs/dl.log');
    expect(host.printed[0]).toBe('Downloading Electron 41.7.1 from GitHub (about 100 MB, once)…');
    await vi.advanceTimersByTimeAsync(26_000);
    const r = await p;
    expect(r.ok).toBe(true);
    expect(host.printed.filter((l) => l.includes('still downloading Electron')).length).toBe(2);
    expect(host.printed.at(-1)).toMatch(/^Electron 41\.7\.1 downloaded in 25 s\.$/);
    // `npm ci` in CI sets ELECTRON_SKIP_BINARY_DOWNLOAD; the explicit download clears it for the installer.
    expect((host.calls[0]!.options.env as Record<string, string>).ELECTRON_SKIP_BINARY_DOWNLOAD).toBe('');
  });

  it('names an unreachable host as such', async () => {
    const host = installerHost('win32').on(() => true, {
      stderr: 'RequestError: getaddrinfo ENOTFOUND github.com\n',
      code: 1,
    });
    const r = await fetchElectron(host, ROOT, '41.7.1', '/logs/dl.log');
    expect(r).toMatchObject({ ok: false, detail: 'the download host could not be reached' });
    expect(host.files.get('/logs/dl.log')).toContain('ENOTFOUND');
  });

  it('gives up after its timeout instead of waiting forever', async () => {
    vi.useFakeTimers();
    const host = installerHost('darwin').on(() => true, { hang: true });
    const p = fetchElectron(host, ROOT, '41.7.1', '/logs/dl.log');
    await vi.advanceTimersByTimeAsync(181_000);
    const r = await p;
    expect(r.ok).toBe(false);
    expect(r.detail).toContain('took longer than');
  });

  it('does not count an installer that exits 0 without a binary as a download', async () => {
    const host = installerHost('linux').on(() => true, { code: 0 });
    expect((await fetchElectron(host, ROOT, '41.7.1', '/logs/dl.log')).ok).toBe(false);
  });

  it('runs the installer with Node directly (no npx, no shell) on Windows', async () => {
    const host = installerHost('win32').on(() => true, { code: 1 });
    await fetchElectron(host, ROOT, '41.7.1', '/logs/dl.log');
    expect(host.calls[0]!.command).toBe(host.execPath);
    expect(host.calls[0]!.options.shell).toBe(false);
  });
});
