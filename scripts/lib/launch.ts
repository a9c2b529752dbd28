// Running the Electron window from `npm start`, and telling a clean quit from a failure. Main says "ready"
// over the IPC channel once its window is up; an exit before that — a non-zero code or a signal such as
// SIGTRAP/SIGABRT (Ubuntu 24.04's AppArmor sandbox rule, running as root, a missing system library) — is an
// early failure, and the caller falls back to browser mode. Stopping: on macOS and Linux the signal is
// passed on (Electron quits gracefully on SIGINT/SIGTERM/SIGHUP); on Windows there are no such signals —
// `kill()` is TerminateProcess — so main is asked to quit over the IPC channel and only forced after a grace
// period.
import type { Host } from './host';

// The two messages of the IPC channel, shared with main (which answers them).
import { LAUNCHER_QUIT, LAUNCHER_READY } from '../../electron/main/lifecycle';
export { LAUNCHER_QUIT, LAUNCHER_READY };
export const QUIT_GRACE_MS = 15_000;

export type LaunchOutcome =
  | { kind: 'quit'; code: number }
  /** Stopped by us (Ctrl+C, a service manager): not a failure. */
  | { kind: 'stopped'; code: number }
  | {
      kind: 'failed';
      /** Before main reported ready: the window never came up. */
      early: boolean;
      code: number | null;
      signal: NodeJS.Signals | null;
      spawnError: string | null;
      stderrTail: string[];
    };

export interface LaunchOptions {
  bin: string;
  args: readonly string[];
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface Launched {
  outcome: Promise<LaunchOutcome>;
  /** Stop it the platform's graceful way (see above). */
  stop(signal: NodeJS.Signals): void;
}

export function launchElectron(host: Host, o: LaunchOptions): Launched {
  const tail: string[] = [];
  let ready = false;
  let stopping = false;
  let forceTimer: unknown = null;
  let resolveOutcome!: (o: LaunchOutcome) => void;
  const outcome = new Promise<LaunchOutcome>((r) => (resolveOutcome = r));
  let settled = false;
  const settle = (o: LaunchOutcome) => {
    if (settled) return;
    settled = true;
    if (forceTimer !== null) host.clearTimer(forceTimer);
    resolveOutcome(o);
  };

  let child: ReturnType<Host['spawn']>;
  try {
    child = host.spawn(o.bin, o.args, {
      cwd: o.cwd,
      env: { ...host.env, ...o.env } as NodeJS.ProcessEnv,
      // stderr is passed through and its tail kept for the diagnosis; the 4th fd is the IPC channel.
      stdio: ['inherit', 'inherit', 'pipe', 'ipc'],
      windowsHide: false,
    });
  } catch (e) {
    settle({
      kind: 'failed',
      early: true,
      code: null,
      signal: null,
      spawnError: (e as Error).message,
      stderrTail: [],
    });
    return { outcome, stop: () => undefined };
  }

  let partial = '';
  child.stderr?.on('data', (c: Buffer) => {
    host.writeStderr(c);
    const lines = (partial + c.toString()).split(/\r?\n/);
    partial = lines.pop() ?? '';
    tail.push(...lines.filter((l) => l.trim()));
    if (tail.length > 40) tail.splice(0, tail.length - 40);
  });
  child.on('message', (m: unknown) => {
    if (m && typeof m === 'object' && (m as { type?: unknown }).type === LAUNCHER_READY) ready = true;
  });
  child.on('error', (e: Error) =>
    settle({
      kind: 'failed',
      early: !ready,
      code: null,
      signal: null,
      spawnError: e.message,
      stderrTail: tail,
    }),
  );
  child.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
    if (partial.trim()) tail.push(partial);
    if (stopping) return settle({ kind: 'stopped', code: code ?? (signal ? 130 : 0) });
    if (code === 0 && signal === null) return settle({ kind: 'quit', code: 0 });
    settle({ kind: 'failed', early: !ready, code, signal, spawnError: null, stderrTail: tail });
  });

  const stop = (signal: NodeJS.Signals) => {
    if (settled) return;
    stopping = true;
    if (host.platform === 'win32') {
      // Ask main to quit (it awaits the core's close); force only if it doesn't within the grace period.
      const asked = child.connected && child.send ? child.send({ type: LAUNCHER_QUIT }) : false;
      if (!asked) child.kill();
      else if (forceTimer === null) forceTimer = host.setTimer(() => child.kill(), QUIT_GRACE_MS);
    } else {
      child.kill(signal);
      if (forceTimer === null) forceTimer = host.setTimer(() => child.kill('SIGKILL'), QUIT_GRACE_MS);
    }
  };
  return { outcome, stop };
}

/** What went wrong, and what to do about it, for a failed launch. */
export function launchGuidance(
  platform: NodeJS.Platform,
  f: Extract<LaunchOutcome, { kind: 'failed' }>,
  runningAsRoot: boolean,
): string[] {
  const text = f.stderrTail.join('\n');
  const out: string[] = [];
  if (platform === 'linux') {
    if (runningAsRoot || /Running as root without --no-sandbox/i.test(text)) {
      out.push('Electron refuses to run as root. Run `npm start` as an ordinary user.');
    }
    if (
      /sandbox|setuid|chrome-sandbox|namespace|apparmor/i.test(text) ||
      f.signal === 'SIGTRAP' ||
      f.signal === 'SIGABRT'
    ) {
      out.push(
        "Electron's sandbox could not start. On Ubuntu 23.10+ (AppArmor restricts unprivileged user namespaces): " +
          'install the packaged app (its AppImage/deb set the sandbox up), or give the development binary the SUID ' +
          'helper: `sudo chown root node_modules/electron/dist/chrome-sandbox && sudo chmod 4755 ' +
          'node_modules/electron/dist/chrome-sandbox`.',
      );
    }
    if (/error while loading shared libraries|cannot open shared object/i.test(text) || f.code === 127) {
      const lib = /([\w.+-]+\.so[\w.]*)/.exec(text)?.[1];
      out.push(
        `A system library Electron needs is missing${lib ? ` (${lib})` : ''}. Debian/Ubuntu: ` +
          '`sudo apt-get install libnss3 libatk-bridge2.0-0 libgtk-3-0 libgbm1 libasound2`.',
      );
    }
    if (/Missing X server|cannot open display|Wayland|ozone/i.test(text)) {
      out.push('There is no display to open a window on (no X server or Wayland session).');
    }
  } else if (platform === 'win32') {
    // STATUS_DLL_NOT_FOUND and friends arrive as large exit codes.
    if (f.code === 3221225781 || f.code === -1073741515) {
      out.push('A DLL Electron needs is missing: install the latest Microsoft Visual C++ Redistributable.');
    }
  } else if (platform === 'darwin') {
    if (/quarantine|damaged|code signature|killed: 9/i.test(text) || f.signal === 'SIGKILL') {
      out.push(
        'macOS stopped Electron (code signature or quarantine). Reinstall with `rm -rf node_modules/electron && npm ci`.',
      );
    }
  }
  if (f.spawnError)
    out.push(`The Electron binary could not be started (${f.spawnError}). Reinstall it: \`npm ci\`.`);
  if (!out.length && f.early)
    out.push('The window did not come up. The lines Electron printed above say why.');
  return out;
}
