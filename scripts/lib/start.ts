// `npm start` after `npm run build`: open the Electron window, or — when Electron can't be had or can't run
// here — say why in a line and start browser mode instead (the same console, in a browser on this machine).
//
// 1. the Electron binary: node_modules/electron's, or downloaded now by its own installer (with progress);
// 2. better-sqlite3 for Electron's ABI in .native/ (see native-sqlite.ts), verified under Electron;
// 3. Electron itself, watched: a crash or a signal before its window is up is a failure with guidance, and
//    browser mode starts instead; Ctrl+C and friends stop it the platform's graceful way.
import { join } from 'node:path';
import type { ChildLike, Host } from './host';
import { electronVersion, fetchElectron, findElectron } from './electron-binary';
import { ensureElectronSqlite, nativeRoot } from './native-sqlite';
import { QUIT_GRACE_MS, launchElectron, launchGuidance, type LaunchOutcome } from './launch';
import { describeExit } from './processes';

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface StartOptions {
  root: string;
  /** Passed to Electron, or to browser mode (e.g. `--port 4000`). */
  args: readonly string[];
  /** Whether this process runs as root (Linux/macOS); Electron refuses to. */
  runningAsRoot?: boolean;
}

export async function start(host: Host, o: StartOptions): Promise<number> {
  const { root } = o;
  if (!host.exists(join(root, 'out', 'main', 'index.js'))) {
    host.printError('The app is not built. Run `npm start` (which builds first) or `npm run build`.');
    return 1;
  }
  let current: { stop(signal: NodeJS.Signals): void } | null = null;
  let stopRequested: NodeJS.Signals | null = null;
  const signals = host.platform === 'win32' ? [...STOP_SIGNALS, 'SIGBREAK' as NodeJS.Signals] : STOP_SIGNALS;
  for (const sig of signals)
    host.onSignal(sig, () => {
      stopRequested = sig;
      current?.stop(sig);
    });

  const fallback = (reason: string, details: string[] = []) => {
    for (const d of details) host.printError(`  ${d}`);
    host.print(`${reason} Starting browser mode instead (the same console, in your browser).`);
    if (stopRequested) return Promise.resolve(130);
    const b = runBrowserMode(host, root, o.args);
    current = b;
    return b.exitCode;
  };

  const version = electronVersion(host, root);
  if (!version)
    return fallback('Electron is not installed (node_modules/electron is missing; run `npm ci`).');
  const logDir = join(nativeRoot(host, root), 'logs');
  host.mkdirp(logDir);

  let bin = findElectron(host, root);
  if (!bin) {
    const fetched = await fetchElectron(host, root, version, join(logDir, 'electron-download.log'));
    bin = fetched.ok ? findElectron(host, root) : null;
    if (!bin) {
      return fallback(
        `The Electron binary is not installed and could not be downloaded (${fetched.detail}; log: ${join(logDir, 'electron-download.log')}).`,
      );
    }
  }
  if (stopRequested) return 130;

  const sqlite = await ensureElectronSqlite(host, {
    root,
    target: { electronVersion: version, platform: host.platform, arch: host.arch },
    electronBin: bin,
  });
  if (!sqlite.ok) {
    return fallback(`${sqlite.reason}${sqlite.logPath ? ` (log: ${sqlite.logPath})` : ''}`, sqlite.guidance);
  }
  if (stopRequested) return 130;

  const launched = launchElectron(host, {
    bin,
    args: [root, ...o.args],
    cwd: root,
    env: { MERCHANT_CONSOLE_SQLITE_BINDING: sqlite.binding },
  });
  current = launched;
  const outcome: LaunchOutcome = await launched.outcome;
  current = null;
  if (outcome.kind === 'quit' || outcome.kind === 'stopped') return outcome.code;

  const what = describeExit({
    code: outcome.code,
    signal: outcome.signal,
    timedOut: false,
    spawnError: outcome.spawnError,
  });
  const guidance = launchGuidance(host.platform, outcome, o.runningAsRoot ?? false);
  if (!outcome.early) {
    host.printError(`Electron ${what} after the console had started.`);
    for (const g of guidance) host.printError(`  ${g}`);
    return outcome.code && outcome.code > 0 ? outcome.code : 1;
  }
  return fallback(`Electron ${what} before its window came up.`, guidance);
}

/** Browser mode in a child Node process; resolves with its exit code. */
export function runBrowserMode(
  host: Host,
  root: string,
  args: readonly string[],
): { exitCode: Promise<number>; stop(signal: NodeJS.Signals): void } {
  let child: ChildLike;
  try {
    child = host.spawn(host.execPath, [join(root, 'out', 'main', 'browser.js'), ...args], {
      stdio: 'inherit',
    });
  } catch (e) {
    host.printError(`Browser mode could not be started: ${(e as Error).message}`);
    return { exitCode: Promise.resolve(1), stop: () => undefined };
  }
  let forced: unknown = null;
  const exitCode = new Promise<number>((resolve) => {
    child.on('error', (e: Error) => {
      host.printError(`Browser mode could not be started: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      if (forced !== null) host.clearTimer(forced);
      resolve(code ?? (signal ? 130 : 1));
    });
  });
  return {
    exitCode,
    stop(signal) {
      if (host.platform === 'win32') {
        // Ctrl+C reaches every process on the console by itself, and kill() would be TerminateProcess:
        // give browser mode the grace period to stop on its own first.
        if (forced === null) forced = host.setTimer(() => child.kill(), QUIT_GRACE_MS);
      } else {
        child.kill(signal);
      }
    },
  };
}
