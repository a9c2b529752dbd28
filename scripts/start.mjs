#!/usr/bin/env node
// `npm start` (after `npm run build`): open the Electron window, or — when the Electron binary can't be had —
// say so in one line and start browser mode instead.
//
// The native-module trap: better-sqlite3 in node_modules is built for Node (tests need that build). Electron
// needs a build for its own ABI. We build that copy in .native/electron-<version>/ from a private copy of the
// package sources and hand its path to main (MERCHANT_CONSOLE_SQLITE_BINDING → better-sqlite3's
// `nativeBinding`), so the Node build is never rebuilt, replaced or deleted — whatever happens here.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const passThrough = process.argv.slice(2);

function browserMode(reason) {
  console.log(`${reason} Starting browser mode instead (the same console, in your browser).`);
  const child = spawn(process.execPath, [join(root, 'out/main/browser.js'), ...passThrough], {
    stdio: 'inherit',
  });
  forwardSignals(child);
  child.on('exit', (code) => process.exit(code ?? 0));
}

/** Stopping `npm start` (a service manager, `timeout`, a closed terminal) stops the console with it. */
function forwardSignals(child) {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
}

function electronBinary() {
  try {
    return require('electron'); // the path to the binary, or throws when it was never downloaded
  } catch {
    return null;
  }
}

function fetchElectron() {
  // electron's own installer; fails fast where the download host is unreachable.
  const installer = join(root, 'node_modules/electron/install.js');
  if (!existsSync(installer)) return false;
  const r = spawnSync(process.execPath, [installer], {
    stdio: 'ignore',
    timeout: 120_000,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
  });
  return r.status === 0;
}

/** A Node-API module built for Node (not Electron) exports node_register_module_v<ABI>; Electron's build too,
 * but with Electron's ABI number. We check that the file is a native module for the ABI Electron reports. */
function builtFor(binding, electronBin) {
  const abi = spawnSync(electronBin, ['-p', 'process.versions.modules'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  }).stdout?.trim();
  const syms = spawnSync('nm', ['-D', binding], { encoding: 'utf8' }).stdout ?? '';
  return !!abi && syms.includes(`node_register_module_v${abi}`);
}

function electronSqliteBinding(electronVersion, electronBin) {
  const src = dirname(require.resolve('better-sqlite3/package.json'));
  const bs3 = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8')).version;
  // Keyed on both versions; trusted only once built and checked (the marker file).
  const dir = join(root, '.native', `electron-${electronVersion}-better-sqlite3-${bs3}`);
  const binding = join(dir, 'build', 'Release', 'better_sqlite3.node');
  const marker = join(dir, 'verified');
  if (existsSync(marker) && existsSync(binding)) return binding;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(src, dir, { recursive: true, filter: (p) => !p.includes(`${src}/build`) });
  const nodeGyp = join(
    dirname(process.execPath),
    '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  );
  const gyp = existsSync(nodeGyp) ? [process.execPath, nodeGyp] : ['npx', '--yes', 'node-gyp'];
  const r = spawnSync(
    gyp[0],
    [
      ...gyp.slice(1),
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      '--dist-url=https://electronjs.org/headers',
      '--runtime=electron',
    ],
    {
      cwd: dir,
      stdio: 'ignore',
      timeout: 300_000,
    },
  );
  if (r.status !== 0 || !existsSync(binding) || !builtFor(binding, electronBin)) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  writeFileSync(marker, new Date().toISOString());
  return binding;
}

if (!existsSync(join(root, 'out/main/index.js'))) {
  console.error('The app is not built. Run `npm start` (which builds first) or `npm run build`.');
  process.exit(1);
}

let bin = electronBinary();
if (!bin && fetchElectron()) bin = electronBinary();
if (!bin || !existsSync(bin)) {
  browserMode('The Electron binary is not installed and could not be downloaded.');
} else {
  const electronVersion = JSON.parse(
    readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
  ).version;
  const binding = electronSqliteBinding(electronVersion, bin);
  if (!binding) {
    browserMode(
      `Could not build the SQLite module for Electron ${electronVersion} (its headers could not be downloaded).`,
    );
  } else {
    const child = spawn(bin, [root, ...passThrough], {
      stdio: 'inherit',
      env: { ...process.env, MERCHANT_CONSOLE_SQLITE_BINDING: binding },
    });
    forwardSignals(child);
    child.on('exit', (code) => process.exit(code ?? 0));
  }
}
