// Where the Electron binary is (the way the `electron` package itself finds it: path.txt, or
// ELECTRON_OVERRIDE_DIST_PATH), and fetching it with the package's own installer when it is missing —
// with a line every few seconds while the download runs, instead of two silent minutes.
import { join } from 'node:path';
import type { Host } from './host';
import { formatSeconds, runStep, type StepResult } from './processes';

/** The executable inside Electron's dist folder, as electron/install.js writes it to path.txt. */
export function electronExecutable(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

export function electronPackageDir(root: string): string {
  return join(root, 'node_modules', 'electron');
}

export function electronVersion(host: Host, root: string): string | null {
  const pkg = join(electronPackageDir(root), 'package.json');
  if (!host.exists(pkg)) return null;
  return (JSON.parse(host.readText(pkg)) as { version: string }).version;
}

/** The binary's path, or null when it was never downloaded (or the download was left half done). */
export function findElectron(host: Host, root: string): string | null {
  const dir = electronPackageDir(root);
  const override = host.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathTxt = join(dir, 'path.txt');
  const relative = host.exists(pathTxt) ? host.readText(pathTxt).trim() : null;
  const candidate = override
    ? join(override, relative || electronExecutable(host.platform))
    : relative
      ? join(dir, 'dist', relative)
      : null;
  return candidate && host.exists(candidate) ? candidate : null;
}

export const DOWNLOAD_TIMEOUT_MS = 180_000;

/** Runs electron/install.js (it downloads from GitHub, or ELECTRON_MIRROR) and reports what happened. */
export async function fetchElectron(
  host: Host,
  root: string,
  version: string,
  logPath: string,
): Promise<{ ok: boolean; detail: string; result: StepResult | null }> {
  const installer = join(electronPackageDir(root), 'install.js');
  if (!host.exists(installer)) {
    return { ok: false, detail: 'node_modules/electron is incomplete (run `npm ci`)', result: null };
  }
  const from = host.env.ELECTRON_MIRROR ? host.env.ELECTRON_MIRROR : 'GitHub';
  host.print(`Downloading Electron ${version} from ${from} (about 100 MB, once)…`);
  const result = await runStep(host, {
    label: 'Downloading Electron',
    command: host.execPath,
    args: [installer],
    cwd: electronPackageDir(root),
    // `npm ci` in CI sets this to skip the download; `npm start` is asking for it explicitly.
    env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
    timeoutMs: DOWNLOAD_TIMEOUT_MS,
    heartbeatMs: 10_000,
    logPath,
  });
  if (result.ok && findElectron(host, root)) {
    host.print(`Electron ${version} downloaded in ${formatSeconds(result.durationMs)}.`);
    return { ok: true, detail: 'downloaded', result };
  }
  const reason = downloadFailureReason(result);
  return { ok: false, detail: reason, result };
}

function downloadFailureReason(r: StepResult): string {
  const text = r.tail.join('\n');
  if (r.timedOut) return `the download took longer than ${formatSeconds(DOWNLOAD_TIMEOUT_MS)}`;
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up/i.test(text))
    return 'the download host could not be reached';
  if (/checksum|sha256/i.test(text)) return 'the download did not match its checksum';
  if (/EACCES|EPERM/i.test(text)) return 'node_modules/electron could not be written';
  if (r.spawnError) return `the installer could not be started (${r.spawnError})`;
  return 'the installer failed';
}
