#!/usr/bin/env node
// `npm start` (after `npm run build`): open the Electron window, or — when Electron can't be had or can't
// run here — say why in one line and start browser mode instead. The logic lives in scripts/lib/start.ts
// (plain modules, unit-tested for macOS, Windows and Linux); this file only loads it through tsx.
import { tsImport } from 'tsx/esm/api';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { start } = await tsImport('./lib/start.ts', import.meta.url);
const { realHost } = await tsImport('./lib/host.ts', import.meta.url);

const code = await start(realHost(), {
  root,
  args: process.argv.slice(2),
  runningAsRoot: typeof process.getuid === 'function' && process.getuid() === 0,
});
process.exit(code);
