// better-sqlite3 for Electron's ABI, built the way the Electron ecosystem does it: @electron/rebuild, which
// downloads a prebuilt binary first (prebuild-install) and compiles only when there is none. It works on a
// private copy of the package in .native/<key>/, so node_modules' build for Node (the tests use it) is never
// rebuilt, replaced or deleted. A build is trusted only after Electron itself has loaded it
// (ELECTRON_RUN_AS_NODE) and opened a database — the same check on macOS, Windows and Linux.
//
// Offline paths, in order: a build verified earlier is reused without touching the network; a ready
// Electron-ABI build can be handed in (MERCHANT_CONSOLE_SQLITE_BINDING); Electron's headers can come from
// a local folder (MERCHANT_CONSOLE_ELECTRON_HEADERS → node-gyp's nodedir) or a mirror
// (ELECTRON_REBUILD_DIST_URL); and when all of that fails, `npm start` falls back to browser mode.
import { join, sep } from 'node:path';
import type { Host } from './host';
import { describeExit, formatSeconds, runStep } from './processes';

export const BUILD_TIMEOUT_MS = 15 * 60_000;
export const VERIFY_TIMEOUT_MS = 60_000;
const VERIFIED_MARK = 'mc-sqlite-ok';

export interface SqliteTarget {
  electronVersion: string;
  platform: NodeJS.Platform;
  arch: string;
}

export type EnsureResult =
  | { ok: true; binding: string; built: boolean }
  | { ok: false; reason: string; guidance: string[]; logPath: string | null };

export function betterSqliteDir(root: string): string {
  return join(root, 'node_modules', 'better-sqlite3');
}

export function betterSqliteVersion(host: Host, root: string): string {
  return (JSON.parse(host.readText(join(betterSqliteDir(root), 'package.json'))) as { version: string })
    .version;
}

export function nativeRoot(host: Host, root: string): string {
  return host.env.MERCHANT_CONSOLE_NATIVE_DIR || join(root, '.native');
}

/** One folder per Electron version, better-sqlite3 version, platform and architecture. */
export function buildKey(t: SqliteTarget, sqliteVersion: string): string {
  return `electron-${t.electronVersion}-better-sqlite3-${sqliteVersion}-${t.platform}-${t.arch}`;
}

export function bindingIn(buildDir: string): string {
  return join(buildDir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
}

/**
 * @electron/rebuild's CLI, wherever npm put it (top level, or under electron-builder's app-builder-lib). It is
 * run by the Node running this script, never through npx (npx can resolve another copy, and on Windows it is
 * a batch file). Version 4.2.1 declares Node >= 22.12, but its CLI runs on Node 20.20: checked on this
 * machine up to the point where it downloads (prebuild-install, then node-gyp's headers).
 */
export function findRebuildCli(host: Host, root: string): string | null {
  const candidates = [
    join(root, 'node_modules', '@electron', 'rebuild', 'lib', 'cli.js'),
    join(root, 'node_modules', 'app-builder-lib', 'node_modules', '@electron', 'rebuild', 'lib', 'cli.js'),
  ];
  return candidates.find((c) => host.exists(c)) ?? null;
}

/** Electron's ABI number as its npm package records it (node-abi may not know a new Electron yet). */
export function electronAbi(host: Host, root: string): string | null {
  const f = join(root, 'node_modules', 'electron', 'abi_version');
  return host.exists(f) ? host.readText(f).trim() || null : null;
}

/**
 * Loads the build under Electron (as Node: ELECTRON_RUN_AS_NODE) and opens an in-memory database with it.
 * A build for Node's ABI, for another Electron, or for another architecture fails here on every platform.
 */
export async function verifyBinding(
  host: Host,
  electronBin: string,
  binding: string,
  sqliteDir: string,
  logPath: string | null,
): Promise<{ ok: boolean; detail: string }> {
  const script = [
    'const Database = require(process.env.MC_SQLITE_LIB);',
    'const db = new Database(":memory:", { nativeBinding: process.env.MC_SQLITE_BINDING });',
    'const v = db.prepare("select sqlite_version() as v").get().v;',
    `process.stdout.write("${VERIFIED_MARK} " + v + " abi " + process.versions.modules);`,
  ].join(' ');
  const r = await runStep(host, {
    label: 'Checking the SQLite module under Electron',
    command: electronBin,
    args: ['-e', script],
    env: {
      ELECTRON_RUN_AS_NODE: '1',
      MC_SQLITE_LIB: join(sqliteDir, 'lib', 'index.js'),
      MC_SQLITE_BINDING: binding,
    },
    timeoutMs: VERIFY_TIMEOUT_MS,
    // Electron's first start on a machine can be slow (macOS checks the new binary): say so if it is.
    heartbeatMs: 10_000,
    ...(logPath ? { logPath } : {}),
  });
  if (r.ok && r.stdout.includes(VERIFIED_MARK)) return { ok: true, detail: r.stdout.trim() };
  const why = r.tail.find((l) =>
    /NODE_MODULE_VERSION|wrong ELF|not a valid Win32|mach-o|incompatible architecture/i.test(l),
  );
  return { ok: false, detail: why ?? `Electron ${describeExit(r)} while loading it` };
}

export interface EnsureOptions {
  root: string;
  target: SqliteTarget;
  /** Electron's binary for the verification; null when packaging for another platform (can't run it). */
  electronBin: string | null;
}

export async function ensureElectronSqlite(host: Host, o: EnsureOptions): Promise<EnsureResult> {
  const { root, target } = o;
  const sqliteDir = betterSqliteDir(root);
  const nativeDir = nativeRoot(host, root);
  host.mkdirp(join(nativeDir, 'logs'));

  // A build handed in by whoever runs this (another machine built it, or a CI artifact).
  const given = host.env.MERCHANT_CONSOLE_SQLITE_BINDING;
  if (given) {
    if (!host.exists(given))
      return failure(`MERCHANT_CONSOLE_SQLITE_BINDING points at ${given}, which does not exist.`, [], null);
    if (o.electronBin) {
      const v = await verifyBinding(host, o.electronBin, given, sqliteDir, null);
      if (!v.ok)
        return failure(
          `The SQLite module in MERCHANT_CONSOLE_SQLITE_BINDING does not load under Electron ${target.electronVersion}: ${v.detail}.`,
          ['Unset MERCHANT_CONSOLE_SQLITE_BINDING to let `npm start` build one.'],
          null,
        );
    }
    return { ok: true, binding: given, built: false };
  }

  const key = buildKey(target, betterSqliteVersion(host, root));
  const dir = join(nativeDir, key);
  const binding = bindingIn(dir);
  const marker = join(dir, 'verified');
  const logPath = join(nativeDir, 'logs', `${key}.log`);
  if (host.exists(marker) && host.exists(binding)) return { ok: true, binding, built: false };

  const cli = findRebuildCli(host, root);
  if (!cli)
    return failure(
      '@electron/rebuild is not installed.',
      ['Run `npm ci` (electron-builder brings it).'],
      null,
    );

  host.print(
    `Preparing the SQLite module for Electron ${target.electronVersion} (${target.platform}-${target.arch}; once, ` +
      'a prebuilt download or, failing that, a compile of a few minutes)…',
  );
  host.remove(dir);
  host.mkdirp(join(dir, 'node_modules'));
  const skip = [join(sqliteDir, 'build'), join(sqliteDir, 'prebuilds'), join(sqliteDir, 'bin')];
  host.copyDir(
    sqliteDir,
    join(dir, 'node_modules', 'better-sqlite3'),
    (src) => !skip.some((s) => src === s || src.startsWith(s + sep)),
  );
  host.writeText(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'merchant-console-native',
      private: true,
      dependencies: { 'better-sqlite3': betterSqliteVersion(host, root) },
    }),
  );

  const abi = electronAbi(host, root);
  const headers = host.env.MERCHANT_CONSOLE_ELECTRON_HEADERS;
  const r = await runStep(host, {
    label: 'Preparing the SQLite module',
    command: host.execPath,
    args: [
      cli,
      '--version',
      target.electronVersion,
      '--arch',
      target.arch,
      '--platform',
      target.platform,
      '--module-dir',
      dir,
      '--only',
      'better-sqlite3',
      '--force',
      ...(abi ? ['--force-abi', abi] : []),
    ],
    cwd: dir,
    env: {
      ...(headers ? { npm_config_nodedir: headers } : {}),
      // Never let a global "build from source" or a Node target leak in: this build is for Electron.
      npm_config_build_from_source: undefined,
      npm_config_runtime: undefined,
      npm_config_target: undefined,
    },
    timeoutMs: BUILD_TIMEOUT_MS,
    heartbeatMs: 15_000,
    logPath,
  });

  if (!r.ok || !host.exists(binding)) {
    host.remove(dir);
    const detail = r.ok ? 'it finished without producing better_sqlite3.node' : `it ${describeExit(r)}`;
    return failure(
      `Could not prepare the SQLite module for Electron ${target.electronVersion}: ${detail}.`,
      [...buildGuidance(target.platform, r.tail), ...lastLines(r.tail)],
      logPath,
    );
  }
  if (o.electronBin) {
    const v = await verifyBinding(
      host,
      o.electronBin,
      binding,
      join(dir, 'node_modules', 'better-sqlite3'),
      logPath,
    );
    if (!v.ok) {
      host.remove(dir);
      return failure(
        `The SQLite module was built but does not load under Electron ${target.electronVersion}: ${v.detail}.`,
        ['This is a bug in the build step; the log has the details.'],
        logPath,
      );
    }
  }
  host.writeText(
    marker,
    `${new Date(host.now()).toISOString()} ${o.electronBin ? 'loaded under Electron' : 'built (not loaded: another platform)'}\n`,
  );
  host.print(`SQLite module for Electron ready (${formatSeconds(r.durationMs)}).`);
  return { ok: true, binding, built: true };
}

function failure(reason: string, guidance: string[], logPath: string | null): EnsureResult {
  return { ok: false, reason, guidance, logPath };
}

function lastLines(tail: string[]): string[] {
  const shown = tail.slice(-8);
  return shown.length ? ['Last lines of the build output:', ...shown.map((l) => `  ${l}`)] : [];
}

/** What to do about a failed build, for the platform it ran on and what its output says. */
export function buildGuidance(platform: NodeJS.Platform, tail: readonly string[]): string[] {
  const text = tail.join('\n');
  const out: string[] = [];
  if (/network|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|proxy|403|404/i.test(text)) {
    out.push(
      "Neither a prebuilt module nor Electron's headers could be downloaded. Offline, set MERCHANT_CONSOLE_ELECTRON_HEADERS " +
        "to an unpacked copy of Electron's headers (node-v<version>-headers.tar.gz from electronjs.org/headers), or " +
        'MERCHANT_CONSOLE_SQLITE_BINDING to a better_sqlite3.node built for this Electron on another machine.',
    );
  }
  if (platform === 'win32') {
    if (/MSBuild|Visual Studio|msvs|VCBuild|find VS/i.test(text) || !out.length)
      out.push(
        'Compiling needs Visual Studio Build Tools with the "Desktop development with C++" workload, and Python 3.',
      );
  } else if (platform === 'darwin') {
    if (/xcrun|xcode|clang|CommandLineTools/i.test(text) || !out.length)
      out.push('Compiling needs the Xcode command line tools: run `xcode-select --install`.');
  } else if (/make|g\+\+|gcc|python|not found/i.test(text) || !out.length) {
    out.push(
      'Compiling needs a C++ toolchain and Python 3 (Debian/Ubuntu: `sudo apt-get install build-essential python3`).',
    );
  }
  return out;
}
