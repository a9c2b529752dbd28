#!/usr/bin/env node
// A stand-in for fpm, the tool electron-builder builds .deb packages with (it downloads fpm from GitHub,
// which this machine can't reach). electron-builder runs it as it would run fpm — CUSTOM_FPM_PATH — with
// the same arguments: the package's metadata, its post-install and post-remove scripts, and `from=to`
// pairs for the app folder, the icons and the desktop entry. It lays those out and builds a real .deb with
// dpkg-deb, so the tests read what a shop would install. Only the subset of fpm that electron-builder uses.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const VALUE_FLAGS = new Set([
  '-s',
  '-t',
  '-d',
  '--deb-recommends',
  '--deb-compression',
  '--architecture',
  '--after-install',
  '--after-remove',
  '--description',
  '--version',
  '--package',
  '--name',
  '--maintainer',
  '--vendor',
  '--url',
  '--deb-priority',
  '--category',
  '--license',
  '--iteration',
  '--log',
]);
// fpm's names for the compressions → dpkg-deb's.
const DPKG_COMPRESSION = { gz: 'gzip', xz: 'xz', none: 'none', zst: 'zstd' };
const opts = { depends: [], recommends: [], files: [] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--force' || a === '--debug') continue;
  if (VALUE_FLAGS.has(a)) {
    const v = argv[++i];
    if (a === '-d') opts.depends.push(v);
    else if (a === '--deb-recommends') opts.recommends.push(v);
    else opts[a.replace(/^-+/, '')] = v;
    continue;
  }
  if (a.startsWith('-')) {
    console.error(`stand-in fpm: unsupported option ${a}`);
    process.exit(2);
  }
  const eq = a.indexOf('=');
  if (eq < 0) {
    console.error(`stand-in fpm: expected from=to, got ${a}`);
    process.exit(2);
  }
  opts.files.push([a.slice(0, eq), a.slice(eq + 1)]);
}
if (opts.t !== 'deb' || opts.s !== 'dir') {
  console.error(`stand-in fpm: only -s dir -t deb (got -s ${opts.s} -t ${opts.t})`);
  process.exit(2);
}
for (const required of ['name', 'version', 'architecture', 'package', 'maintainer', 'url']) {
  if (!opts[required]) {
    console.error(`stand-in fpm: --${required} is missing`);
    process.exit(2);
  }
}

const root = mkdtempSync(join(tmpdir(), 'stand-in-fpm-'));
try {
  for (const [from, to] of opts.files) {
    const target = join(root, to);
    mkdirSync(dirname(target), { recursive: true });
    if (from.endsWith('/')) cpSync(from, target, { recursive: true, verbatimSymlinks: true });
    else cpSync(from, target);
  }
  const description = (opts.description ?? '')
    .split('\n')
    .map((l, i) => (i === 0 ? l : l.trim() === '' ? ' .' : l.startsWith(' ') ? l : ` ${l}`))
    .join('\n');
  const control = [
    `Package: ${opts.name}`,
    `Version: ${opts.version}${opts.iteration ? `-${opts.iteration}` : ''}`,
    `Architecture: ${opts.architecture}`,
    `Maintainer: ${opts.maintainer}`,
    ...(opts.depends.length ? [`Depends: ${opts.depends.join(', ')}`] : []),
    ...(opts.recommends.length ? [`Recommends: ${opts.recommends.join(', ')}`] : []),
    `Priority: ${opts['deb-priority'] ?? 'optional'}`,
    `Section: ${opts.category ?? 'default'}`,
    `Homepage: ${opts.url}`,
    ...(opts.license ? [`License: ${opts.license}`] : []),
    `Description: ${description}`,
  ].join('\n');
  mkdirSync(join(root, 'DEBIAN'));
  writeFileSync(join(root, 'DEBIAN', 'control'), `${control}\n`);
  for (const [flag, name] of [
    ['after-install', 'postinst'],
    ['after-remove', 'postrm'],
  ]) {
    if (!opts[flag]) continue;
    writeFileSync(join(root, 'DEBIAN', name), readFileSync(opts[flag]));
    chmodSync(join(root, 'DEBIAN', name), 0o755);
  }
  rmSync(opts.package, { force: true });
  execFileSync(
    'dpkg-deb',
    [
      '--root-owner-group',
      `-Z${DPKG_COMPRESSION[opts['deb-compression'] ?? 'xz'] ?? 'xz'}`,
      '--build',
      root,
      opts.package,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
