#!/usr/bin/env node
// `npm start` (after `npm run build`): open the Electron window, or — when the Electron binary can't be had —
// say so in one line and start browser mode instead.
//
// The native-module trap: better-sqlite3 in node_modules is built for Node (tests need that build). Electron
// needs a build for its own ABI. We build that copy in .native/electron-<version>/ from a private copy of the
// package sources and hand its path to main (MERCHANT_CONSOLE_SQLITE_BINDING → better-sqlite3's
// `nativeBinding`), so the Node build is never rebuilt, replaced or deleted — whatever happens here.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, readFileSync } from 'node:fs';
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
  child.on('exit', (code) => process.exit(code ?? 0));
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

function electronSqliteBinding(electronVersion) {
  const dir = join(root, '.native', `electron-${electronVersion}`);
  const binding = join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  const src = dirname(require.resolve('better-sqlite3/package.json'));
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
  if (r.status !== 0 || !existsSync(binding)) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
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
  const binding = electronSqliteBinding(electronVersion);
  if (!binding) {
    browserMode(
      `Could not build the SQLite module for Electron ${electronVersion} (its headers could not be downloaded).`,
    );
  } else {
    const child = spawn(bin, [root, ...passThrough], {
      stdio: 'inherit',
      env: { ...process.env, MERCHANT_CONSOLE_SQLITE_BINDING: binding },
    });
    child.on('exit', (code) => process.exit(code ?? 0));
  }
}
