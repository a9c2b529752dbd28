// `npm start` end to end with a fake machine: the window when everything works, browser mode with a line
// of explanation when something doesn't — on macOS, Windows and Linux.
import { describe, expect, it } from 'vitest';
import { start } from '../../../../../scripts/lib/start';
import { bindingIn } from '../../../../../scripts/lib/native-sqlite';
import { LAUNCHER_QUIT, LAUNCHER_READY } from '../../../../../scripts/lib/launch';
import { FakeHost, windowsUnsafeSpawns, type SpawnCall } from './fake-host';

const ROOT = '/shop/merchant-console';
const EXE = {
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
  linux: 'electron',
} as const;
type P = keyof typeof EXE;
const bin = (p: P) => `${ROOT}/node_modules/electron/dist/${EXE[p]}`;
const BROWSER = `${ROOT}/out/main/browser.js`;

function machine(platform: P, { electron = true }: { electron?: boolean } = {}) {
  const host = new FakeHost(platform);
  host
    .file(`${ROOT}/out/main/index.js`, '// main')
    .file(BROWSER, '// browser mode')
    .file(`${ROOT}/node_modules/electron/package.json`, JSON.stringify({ version: '41.7.1' }))
    .file(`${ROOT}/node_modules/electron/install.js`, '// installer')
    .file(`${ROOT}/node_modules/electron/abi_version`, '145')
    .file(`${ROOT}/node_modules/better-sqlite3/package.json`, JSON.stringify({ version: '12.11.1' }))
    .file(`${ROOT}/node_modules/better-sqlite3/lib/index.js`, '')
    .file(`${ROOT}/node_modules/@electron/rebuild/lib/cli.js`, '');
  if (electron)
    host.file(`${ROOT}/node_modules/electron/path.txt`, EXE[platform]).file(bin(platform), 'binary');
  // Defaults: the installer can't reach GitHub; the rebuild works; Electron loads the build; browser mode runs.
  host
    .on((c, a) => a[0]?.endsWith('install.js') ?? false, {
      stderr: 'getaddrinfo ENOTFOUND github.com\n',
      code: 1,
    })
    .on(
      (c, a) => a[0]?.endsWith('rebuild/lib/cli.js') ?? false,
      (call: SpawnCall) => ({
        writes: { [bindingIn(call.args[call.args.indexOf('--module-dir') + 1]!)]: 'electron build' },
      }),
    )
    .on((c, a) => c === bin(platform) && a[0] === '-e', { stdout: 'mc-sqlite-ok 3.50.4 abi 145' })
    .on((c, a) => a[0] === BROWSER, { stdout: 'http://127.0.0.1:41234/#token=x\n', code: 0 });
  return host;
}
const electronWindow = (p: P) => (c: string, a: string[]) => c === bin(p) && a[0] === ROOT;
const browserStarted = (host: FakeHost) => host.calls.some((c) => c.args[0] === BROWSER);

describe.each(['darwin', 'win32', 'linux'] as const)('npm start on %s', (platform) => {
  it('opens the window with the Electron-ABI SQLite build, and exits with its code', async () => {
    const host = machine(platform).on(electronWindow(platform), {
      messages: [{ type: LAUNCHER_READY }],
      code: 0,
    });
    const code = await start(host, { root: ROOT, args: ['--flag'] });
    expect(code).toBe(0);
    const win = host.calls.find((c) => electronWindow(platform)(c.command, c.args))!;
    expect(win.args).toEqual([ROOT, '--flag']);
    expect((win.options.env as Record<string, string>).MERCHANT_CONSOLE_SQLITE_BINDING).toBe(
      bindingIn(`${ROOT}/.native/electron-41.7.1-better-sqlite3-12.11.1-${platform}-${host.arch}`),
    );
    expect(browserStarted(host)).toBe(false);
    expect(host.calls.map((c) => c.command)).not.toContain('nm');
    expect(windowsUnsafeSpawns(host)).toEqual([]);
  });

  it('no Electron binary and no download: one line of why, then browser mode', async () => {
    const host = machine(platform, { electron: false });
    const code = await start(host, { root: ROOT, args: ['--port', '4000'] });
    expect(code).toBe(0);
    const line = host.printed.find((l) => l.includes('Starting browser mode instead'))!;
    expect(line).toMatch(
      /^The Electron binary is not installed and could not be downloaded \(the download host could not be reached; log: .*electron-download\.log\)\. Starting browser mode instead/,
    );
    const browser = host.calls.find((c) => c.args[0] === BROWSER)!;
    expect(browser.command).toBe(host.execPath);
    expect(browser.args).toEqual([BROWSER, '--port', '4000']);
  });

  it('Electron killed by a signal before its window: guidance, then browser mode (not exit 0)', async () => {
    const host = machine(platform).on(electronWindow(platform), {
      signal: 'SIGABRT',
      stderr: 'Trace/breakpoint trap\n',
    });
    await start(host, { root: ROOT, args: [] });
    expect(
      host.printed.some((l) => l.startsWith('Electron was killed by SIGABRT before its window came up.')),
    ).toBe(true);
    expect(browserStarted(host)).toBe(true);
  });

  it('Electron crashing after the console had started: reported as a failure, no second console', async () => {
    const host = machine(platform).on(electronWindow(platform), {
      messages: [{ type: LAUNCHER_READY }],
      code: 3,
    });
    const code = await start(host, { root: ROOT, args: [] });
    expect(code).toBe(3);
    expect(host.errors[0]).toBe('Electron exited with code 3 after the console had started.');
    expect(browserStarted(host)).toBe(false);
  });

  it('the SQLite module cannot be prepared: the reason, the log, then browser mode', async () => {
    const host = machine(platform).on((c, a) => a[0]?.endsWith('rebuild/lib/cli.js') ?? false, {
      stderr: 'gyp ERR! stack Error: This is most likely not a problem with node-gyp: network connectivity\n',
      code: 1,
    });
    await start(host, { root: ROOT, args: [] });
    const line = host.printed.find((l) => l.includes('Starting browser mode instead'))!;
    expect(line).toContain('Could not prepare the SQLite module for Electron 41.7.1');
    expect(line).toContain('.native/logs/');
    expect(host.errors.join(' ')).toContain('MERCHANT_CONSOLE_ELECTRON_HEADERS');
    expect(browserStarted(host)).toBe(true);
  });
});

describe('stopping npm start', () => {
  it('Windows: Ctrl+C asks the window to quit over IPC (the core closes first)', async () => {
    const host = machine('win32').on(electronWindow('win32'), {
      messages: [{ type: LAUNCHER_READY }],
      hang: true,
    });
    const running = start(host, { root: ROOT, args: [] });
    while (!host.calls.some((c) => electronWindow('win32')(c.command, c.args)))
      await new Promise((r) => setTimeout(r, 2));
    await new Promise((r) => setTimeout(r, 5));
    host.raise('SIGINT');
    const child = host.calls.find((c) => electronWindow('win32')(c.command, c.args))!.child;
    expect(child.sent).toEqual([{ type: LAUNCHER_QUIT }]);
    expect(child.killed).toEqual([]);
    child.exit(0, null);
    expect(await running).toBe(0);
  });

  it('Linux: SIGTERM is passed on to Electron', async () => {
    const host = machine('linux').on(electronWindow('linux'), {
      messages: [{ type: LAUNCHER_READY }],
      hang: true,
    });
    const running = start(host, { root: ROOT, args: [] });
    while (!host.calls.some((c) => electronWindow('linux')(c.command, c.args)))
      await new Promise((r) => setTimeout(r, 2));
    host.raise('SIGTERM');
    expect(host.calls.find((c) => electronWindow('linux')(c.command, c.args))!.child.killed).toEqual([
      'SIGTERM',
    ]);
    expect(await running).toBe(130);
  });

  it('an unbuilt app: says how to build it', async () => {
    const host = new FakeHost('linux');
    expect(await start(host, { root: ROOT, args: [] })).toBe(1);
    expect(host.errors[0]).toContain('npm run build');
  });
});
