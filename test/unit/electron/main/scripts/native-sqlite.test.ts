// better-sqlite3 for Electron's ABI on macOS, Windows and Linux: @electron/rebuild on a private copy, a check
// that loads it under Electron (never `nm`), guidance for each platform's failures, and the offline paths.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { bindingIn, buildGuidance, ensureElectronSqlite } from '../../../../../scripts/lib/native-sqlite';
import { FakeHost, windowsUnsafeSpawns, type SpawnCall } from './fake-host';

const ROOT = '/shop/merchant-console';
const PLATFORMS = [
  {
    platform: 'darwin',
    arch: 'arm64',
    bin: `${ROOT}/node_modules/electron/dist/Electron.app/Contents/MacOS/Electron`,
  },
  { platform: 'win32', arch: 'x64', bin: `${ROOT}/node_modules/electron/dist/electron.exe` },
  { platform: 'linux', arch: 'x64', bin: `${ROOT}/node_modules/electron/dist/electron` },
] as const;

function project(platform: NodeJS.Platform, arch: string, env: Record<string, string> = {}) {
  const host = new FakeHost(platform, arch, env);
  host
    .file(`${ROOT}/node_modules/better-sqlite3/package.json`, JSON.stringify({ version: '12.11.1' }))
    .file(`${ROOT}/node_modules/better-sqlite3/lib/index.js`, 'module.exports = {}')
    .file(`${ROOT}/node_modules/better-sqlite3/src/better_sqlite3.cpp`, '// c++')
    .file(`${ROOT}/node_modules/better-sqlite3/build/Release/better_sqlite3.node`, 'built for Node ABI 115')
    .file(`${ROOT}/node_modules/app-builder-lib/node_modules/@electron/rebuild/lib/cli.js`, '// cli')
    .file(`${ROOT}/node_modules/electron/abi_version`, '145');
  return host;
}

const isRebuild = (c: string, a: string[]) => a[0]?.endsWith('rebuild/lib/cli.js') ?? false;
const arg = (call: SpawnCall, name: string) => call.args[call.args.indexOf(name) + 1];

/** @electron/rebuild's CLI as a fake: writes the Electron-ABI binary into the module dir it was given. */
const rebuildWrites = (call: SpawnCall) => ({
  stdout: '✔ Rebuild Complete\n',
  writes: { [bindingIn(arg(call, '--module-dir')!)]: 'built for Electron ABI 145' },
});
/** Electron run as Node: loads the module it is given; succeeds only for an Electron-ABI build. */
const electronLoads = (host: FakeHost) => (call: SpawnCall) => {
  const env = call.options.env as Record<string, string>;
  const built = host.files.get(env.MC_SQLITE_BINDING ?? '') ?? '';
  if (env.ELECTRON_RUN_AS_NODE !== '1') return { stderr: 'not run as node\n', code: 1 };
  return built.includes('Electron ABI 145')
    ? { stdout: 'mc-sqlite-ok 3.50.4 abi 145' }
    : {
        stderr:
          'Error: The module was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 145.\n',
        code: 1,
      };
};

describe.each(PLATFORMS)('on $platform', ({ platform, arch, bin }) => {
  const target = { electronVersion: '41.7.1', platform, arch };

  it('builds with @electron/rebuild run by Node itself, then loads it under Electron to trust it', async () => {
    const host = project(platform, arch);
    host.on(isRebuild, rebuildWrites).on((c) => c === bin, electronLoads(host));
    const r = await ensureElectronSqlite(host, { root: ROOT, target, electronBin: bin });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.binding).toBe(
      bindingIn(`${ROOT}/.native/electron-41.7.1-better-sqlite3-12.11.1-${platform}-${arch}`),
    );
    const [rebuild, verify] = host.calls;
    expect(rebuild!.command).toBe(host.execPath); // node + the CLI's path: no npx, no shell, no Unix-only path
    expect(rebuild!.options.shell).toBe(false);
    expect(rebuild!.args).toEqual(
      expect.arrayContaining([
        '--version',
        '41.7.1',
        '--arch',
        arch,
        '--only',
        'better-sqlite3',
        '--force-abi',
        '145',
      ]),
    );
    expect(verify!.command).toBe(bin);
    expect((verify!.options.env as Record<string, string>).ELECTRON_RUN_AS_NODE).toBe('1');
    // The Node build the tests use is untouched.
    expect(host.files.get(`${ROOT}/node_modules/better-sqlite3/build/Release/better_sqlite3.node`)).toBe(
      'built for Node ABI 115',
    );
  });

  it('never asks nm (macOS has no dynamic symbols for it, Windows has no nm)', async () => {
    const host = project(platform, arch);
    host.on(isRebuild, rebuildWrites).on((c) => c === bin, electronLoads(host));
    await ensureElectronSqlite(host, { root: ROOT, target, electronBin: bin });
    expect(host.calls.map((c) => c.command)).not.toContain('nm');
    expect(host.calls.length).toBe(2);
  });

  it('copies the sources without the Node build into its private folder', async () => {
    const host = project(platform, arch);
    host.on(isRebuild, { code: 1 }); // stop after the copy
    let copied: string[] = [];
    host.on(isRebuild, (call) => {
      copied = [...host.files.keys()].filter((k) => k.startsWith(arg(call, '--module-dir')!));
      return { code: 1 };
    });
    await ensureElectronSqlite(host, { root: ROOT, target, electronBin: bin });
    expect(copied.some((k) => k.endsWith('node_modules/better-sqlite3/src/better_sqlite3.cpp'))).toBe(true);
    expect(copied.some((k) => k.endsWith('node_modules/better-sqlite3/lib/index.js'))).toBe(true);
    expect(copied.some((k) => k.includes('/build/'))).toBe(false);
  });

  it('reuses a verified build on the next start without spawning anything', async () => {
    const host = project(platform, arch);
    host.on(isRebuild, rebuildWrites).on((c) => c === bin, electronLoads(host));
    const first = await ensureElectronSqlite(host, { root: ROOT, target, electronBin: bin });
    const spawned = host.calls.length;
    const again = await ensureElectronSqlite(host, { root: ROOT, target, electronBin: bin });
    expect(again).toEqual({ ...first, built: false });
    expect(host.calls.length).toBe(spawned);
  });

  it('throws away a build Electron cannot load (e.g. one built for Node) and says why', async () => {
    const host = project(platform, arch);
    host
      .on(isRebuild, (call) => ({
        writes: { [bindingIn(arg(call, '--module-dir')!)]: 'built for Node ABI 115' },
      }))
      .on((c) => c === bin, electronLoads(host));
    const r = await ensureElectronSqlite(host, { root: ROOT, target, electronBin: bin });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toContain('does not load under Electron 41.7.1');
    expect(r.reason).toContain('NODE_MODULE_VERSION');
    const dir = `${ROOT}/.native/electron-41.7.1-better-sqlite3-12.11.1-${platform}-${arch}`;
    expect([...host.files.keys()].some((k) => k.startsWith(`${dir}/`))).toBe(false);
  });

  it('keeps the build output in a log and shows its last lines when the build fails', async () => {
    const host = project(platform, arch);
    host.on(isRebuild, { stderr: 'gyp info find Python\ngyp ERR! configure error\n', code: 1 });
    const r = await ensureElectronSqlite(host, { root: ROOT, target, electronBin: bin });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toContain('exited with code 1');
    expect(r.logPath).toMatch(/\.native\/logs\/electron-41\.7\.1-.*\.log$/);
    expect(host.files.get(r.logPath!)).toContain('gyp ERR! configure error');
    expect(r.guidance.join('\n')).toContain('gyp ERR! configure error');
  });

  it('counts a build killed by a signal as failed', async () => {
    const host = project(platform, arch);
    host.on(isRebuild, { signal: 'SIGKILL' });
    const r = await ensureElectronSqlite(host, { root: ROOT, target, electronBin: bin });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('killed by SIGKILL');
  });

  it('spawns nothing on Windows that Windows could not run', async () => {
    const host = project(platform, arch);
    host.on(isRebuild, rebuildWrites).on((c) => c === bin, electronLoads(host));
    await ensureElectronSqlite(host, { root: ROOT, target, electronBin: bin });
    expect(windowsUnsafeSpawns(host)).toEqual([]);
  });
});

describe('guidance for a failed build', () => {
  it('Windows without a C++ toolchain: Visual Studio Build Tools', () => {
    const g = buildGuidance('win32', [
      'gyp ERR! find VS could not find a version of Visual Studio 2017 or newer',
    ]);
    expect(g.join(' ')).toContain('Visual Studio Build Tools');
  });
  it('macOS without the command line tools: xcode-select --install', () => {
    expect(buildGuidance('darwin', ['xcrun: error: invalid active developer path']).join(' ')).toContain(
      'xcode-select --install',
    );
  });
  it('Linux without a compiler: build-essential', () => {
    expect(buildGuidance('linux', ['make: g++: No such file or directory']).join(' ')).toContain(
      'build-essential',
    );
  });
  it('no network: the offline ways in', () => {
    const g = buildGuidance('linux', ['Error: getaddrinfo ENOTFOUND www.electronjs.org']).join(' ');
    expect(g).toContain('MERCHANT_CONSOLE_ELECTRON_HEADERS');
    expect(g).toContain('MERCHANT_CONSOLE_SQLITE_BINDING');
  });
});

describe('offline paths', () => {
  const bin = PLATFORMS[2].bin;
  const target = { electronVersion: '41.7.1', platform: 'linux' as const, arch: 'x64' };

  it("hands a local copy of Electron's headers to node-gyp (no download)", async () => {
    const host = project('linux', 'x64', {
      MERCHANT_CONSOLE_ELECTRON_HEADERS: '/opt/electron-headers/41.7.1',
    });
    host.on(isRebuild, rebuildWrites).on((c) => c === bin, electronLoads(host));
    const r = await ensureElectronSqlite(host, { root: ROOT, target, electronBin: bin });
    expect(r.ok).toBe(true);
    expect((host.calls[0]!.options.env as Record<string, string>).npm_config_nodedir).toBe(
      '/opt/electron-headers/41.7.1',
    );
  });

  it('uses a ready build from MERCHANT_CONSOLE_SQLITE_BINDING once Electron has loaded it', async () => {
    const given = '/media/usb/better_sqlite3.node';
    const host = project('linux', 'x64', { MERCHANT_CONSOLE_SQLITE_BINDING: given });
    host.file(given, 'built for Electron ABI 145').on((c) => c === bin, electronLoads(host));
    const r = await ensureElectronSqlite(host, { root: ROOT, target, electronBin: bin });
    expect(r).toEqual({ ok: true, binding: given, built: false });
    expect(host.calls.filter((c) => isRebuild(c.command, c.args))).toEqual([]);
  });

  it('refuses a handed-in build Electron cannot load', async () => {
    const given = '/media/usb/better_sqlite3.node';
    const host = project('linux', 'x64', { MERCHANT_CONSOLE_SQLITE_BINDING: given });
    host.file(given, 'built for Node ABI 115').on((c) => c === bin, electronLoads(host));
    const r = await ensureElectronSqlite(host, { root: ROOT, target, electronBin: bin });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('does not load under Electron');
  });

  it('says so when @electron/rebuild is missing', async () => {
    const host = project('linux', 'x64');
    host.remove(join(ROOT, 'node_modules/app-builder-lib'));
    const r = await ensureElectronSqlite(host, { root: ROOT, target, electronBin: bin });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('@electron/rebuild is not installed');
  });

  it('packaging for another platform builds without loading (no Electron to run) and says so', async () => {
    const host = project('linux', 'x64');
    host.on(isRebuild, rebuildWrites);
    const r = await ensureElectronSqlite(host, {
      root: ROOT,
      target: { ...target, arch: 'arm64' },
      electronBin: null,
    });
    expect(r.ok).toBe(true);
    expect(host.calls.length).toBe(1);
    const marker = `${ROOT}/.native/electron-41.7.1-better-sqlite3-12.11.1-linux-arm64/verified`;
    expect(host.files.get(marker)).toContain('not loaded');
  });
});
