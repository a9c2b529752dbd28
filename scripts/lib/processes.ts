// Running the long steps of `npm start` and packaging: visible progress while they run, their whole output
// kept in a log file (the last lines shown when they fail), and a failure being a failure — a non-zero
// code, a signal, a spawn error or a timeout. Windows-safe: a .cmd/.bat is never spawned without a shell.
import type { SpawnOptions } from 'node:child_process';
import type { ChildLike, Host } from './host';

export interface StepResult {
  ok: boolean;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** The spawn itself failed (ENOENT, EINVAL, EACCES…). */
  spawnError: string | null;
  /** The last lines of the step's output (stdout and stderr together). */
  tail: string[];
  stdout: string;
  durationMs: number;
}

export interface StepOptions {
  /** Shown in progress lines: "Building the SQLite module for Electron". */
  label: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs: number;
  /** A "still …" line every so often while the step runs (0: none). */
  heartbeatMs?: number;
  /** Append the step's whole output here. */
  logPath?: string;
  /** Lines kept for the failure message. */
  tailLines?: number;
}

/** On Windows, batch files (npx.cmd, npm.cmd) only run through a shell (Node refuses them otherwise). */
export function spawnCommand(
  platform: NodeJS.Platform,
  command: string,
): { command: string; shell: boolean } {
  if (platform !== 'win32') return { command, shell: false };
  if (/\.(cmd|bat)$/i.test(command)) return { command, shell: true };
  if (/^(npm|npx|pnpm|yarn)$/i.test(command)) return { command: `${command}.cmd`, shell: true };
  return { command, shell: false };
}

export function describeExit(r: Pick<StepResult, 'code' | 'signal' | 'timedOut' | 'spawnError'>): string {
  if (r.spawnError) return `could not be started (${r.spawnError})`;
  if (r.timedOut) return 'took too long and was stopped';
  if (r.signal) return `was killed by ${r.signal}`;
  if (r.code !== 0) return `exited with code ${r.code}`;
  return 'finished';
}

export function formatSeconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 90 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function runStep(host: Host, o: StepOptions): Promise<StepResult> {
  const started = host.now();
  const keep = o.tailLines ?? 30;
  const tail: string[] = [];
  let partial = '';
  let stdout = '';
  const record = (chunk: Buffer | string, isStdout: boolean) => {
    const text = chunk.toString();
    if (isStdout) stdout += text;
    if (o.logPath) host.appendText(o.logPath, text);
    const lines = (partial + text).split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const l of lines) if (l.trim()) tail.push(l);
    if (tail.length > keep) tail.splice(0, tail.length - keep);
  };
  if (o.logPath) {
    host.appendText(
      o.logPath,
      `\n--- ${new Date(started).toISOString()} ${o.label}: ${o.command} ${o.args.join(' ')}\n`,
    );
  }

  return new Promise((resolve) => {
    const { command, shell } = spawnCommand(host.platform, o.command);
    const options: SpawnOptions = {
      cwd: o.cwd,
      env: { ...host.env, ...o.env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell,
      windowsHide: true,
    };
    let child: ChildLike;
    let timedOut = false;
    let settled = false;
    const timers: unknown[] = [];
    const finish = (r: Omit<StepResult, 'tail' | 'stdout' | 'durationMs' | 'ok'>) => {
      if (settled) return;
      settled = true;
      for (const t of timers) host.clearTimer(t);
      if (partial.trim()) tail.push(partial);
      const ok = !r.spawnError && !r.timedOut && r.signal === null && r.code === 0;
      resolve({ ...r, ok, tail: tail.slice(-keep), stdout, durationMs: host.now() - started });
    };
    try {
      child = host.spawn(command, o.args, options);
    } catch (e) {
      finish({ code: null, signal: null, timedOut: false, spawnError: (e as Error).message });
      return;
    }
    child.stdout?.on('data', (c: Buffer) => record(c, true));
    child.stderr?.on('data', (c: Buffer) => record(c, false));
    child.on('error', (e: Error) =>
      finish({ code: null, signal: null, timedOut, spawnError: e.message || String(e) }),
    );
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) =>
      finish({ code, signal, timedOut, spawnError: null }),
    );
    timers.push(
      host.setTimer(() => {
        timedOut = true;
        child.kill();
      }, o.timeoutMs),
    );
    if (o.heartbeatMs) {
      const beat = () => {
        host.print(`  … still ${lowerFirst(o.label)} (${formatSeconds(host.now() - started)})`);
        timers.push(host.setTimer(beat, o.heartbeatMs!));
      };
      timers.push(host.setTimer(beat, o.heartbeatMs));
    }
  });
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
