// A Host for the start/rebuild/packaging modules that plays any platform: an in-memory file tree, and child
// processes scripted per command (output, exit code, signal, IPC messages, delays on vitest's fake timers).
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { SpawnOptions } from 'node:child_process';
import { posix } from 'node:path';
import type { ChildLike, Host } from '../../../../../scripts/lib/host';

export interface SpawnCall {
  command: string;
  args: string[];
  options: SpawnOptions;
  child: FakeChild;
}

export interface Script {
  stdout?: string;
  stderr?: string;
  /** Exit code (default 0) — ignored when `signal` is set. */
  code?: number;
  signal?: NodeJS.Signals;
  /** Exit after this long (fake timers). Default: at once. */
  afterMs?: number;
  /** Never exit on its own: only when killed. */
  hang?: boolean;
  /** The spawn fails ('error' event), e.g. ENOENT. */
  error?: string;
  /** Messages sent to the parent over IPC before exiting (e.g. ready). */
  messages?: unknown[];
  /** Files this process writes (e.g. the built .node). */
  writes?: Record<string, string>;
  /** Whether it has an IPC channel the parent can send on. */
  connected?: boolean;
}

export class FakeChild extends EventEmitter implements ChildLike {
  readonly pid = Math.floor(Math.random() * 10000) + 100;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  killed: (NodeJS.Signals | 'default')[] = [];
  sent: unknown[] = [];
  connected: boolean;
  private exited = false;
  constructor(connected: boolean) {
    super();
    this.connected = connected;
  }
  kill(signal?: NodeJS.Signals): boolean {
    this.killed.push(signal ?? 'default');
    // A real kill() on Windows is TerminateProcess: no signal reaches the child's handlers.
    this.exit(null, signal ?? 'SIGTERM');
    return true;
  }
  send(message: unknown): boolean {
    this.sent.push(message);
    return true;
  }
  exit(code: number | null, signal: NodeJS.Signals | null) {
    if (this.exited) return;
    this.exited = true;
    this.connected = false;
    this.stdout.end();
    this.stderr.end();
    this.emit('exit', code, signal);
    // 'close' after the streams have drained, as Node does.
    setTimeout(() => this.emit('close', code, signal), 0);
  }
}

export class FakeHost implements Host {
  readonly files = new Map<string, string>();
  readonly calls: SpawnCall[] = [];
  readonly printed: string[] = [];
  readonly errors: string[] = [];
  readonly stderrPassed: string[] = [];
  readonly signalHandlers = new Map<string, (() => void)[]>();
  exitCode: number | null = null;
  private readonly scripts: {
    match: (c: string, a: string[]) => boolean;
    script: (call: SpawnCall) => Script;
  }[] = [];
  readonly env: Record<string, string | undefined>;
  readonly execPath: string;
  readonly sep: string;

  constructor(
    readonly platform: NodeJS.Platform,
    readonly arch = platform === 'darwin' ? 'arm64' : 'x64',
    env: Record<string, string | undefined> = {},
  ) {
    this.env = { PATH: '/usr/bin', ...env };
    // Paths are built with the machine's node:path (posix where the tests run), so the fake uses '/' too.
    this.sep = posix.sep;
    this.execPath = platform === 'win32' ? 'C:\\Program Files\\nodejs\\node.exe' : '/usr/local/bin/node';
  }

  /** The first matching rule answers a spawn; later `on` calls take precedence. */
  on(match: (command: string, args: string[]) => boolean, script: Script | ((call: SpawnCall) => Script)) {
    this.scripts.unshift({ match, script: typeof script === 'function' ? script : () => script });
    return this;
  }

  file(path: string, text = ''): this {
    this.files.set(path, text);
    return this;
  }

  spawn = (command: string, args: readonly string[], options: SpawnOptions): ChildLike => {
    const stdio = options.stdio;
    const hasIpc = Array.isArray(stdio) && stdio.includes('ipc');
    const child = new FakeChild(hasIpc);
    const call: SpawnCall = { command, args: [...args], options, child };
    this.calls.push(call);
    const rule = this.scripts.find((s) => s.match(command, [...args]));
    const script: Script = rule ? rule.script(call) : { code: 0 };
    if (script.connected !== undefined) child.connected = script.connected;
    setTimeout(() => {
      if (script.error) {
        child.emit('error', Object.assign(new Error(script.error), { code: script.error.split(' ')[0] }));
        return;
      }
      if (script.stdout) child.stdout.write(script.stdout);
      if (script.stderr) child.stderr.write(script.stderr);
      for (const m of script.messages ?? []) child.emit('message', m);
      if (script.hang) return;
      setTimeout(() => {
        for (const [p, t] of Object.entries(script.writes ?? {})) this.files.set(p, t);
        child.exit(script.signal ? null : (script.code ?? 0), script.signal ?? null);
      }, script.afterMs ?? 0);
    }, 0);
    return child;
  };

  exists = (p: string) => this.files.has(p) || this.isDirectory(p);
  isDirectory = (p: string) => {
    const prefix = p.endsWith(this.sep) ? p : p + this.sep;
    for (const k of this.files.keys()) if (k.startsWith(prefix)) return true;
    return false;
  };
  readText = (p: string) => {
    const t = this.files.get(p);
    if (t === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    return t;
  };
  writeText = (p: string, t: string) => void this.files.set(p, t);
  appendText = (p: string, t: string) => void this.files.set(p, (this.files.get(p) ?? '') + t);
  mkdirp = (_p: string) => undefined;
  remove = (p: string) => {
    const prefix = p + this.sep;
    for (const k of [...this.files.keys()]) if (k === p || k.startsWith(prefix)) this.files.delete(k);
  };
  rename = (a: string, b: string) => {
    const t = this.files.get(a);
    if (t === undefined) throw new Error(`ENOENT: ${a}`);
    this.files.delete(a);
    this.files.set(b, t);
  };
  copyFile = (a: string, b: string) => {
    const t = this.files.get(a);
    if (t === undefined) throw Object.assign(new Error(`ENOENT: ${a}`), { code: 'ENOENT' });
    this.files.set(b, t);
  };
  copyDir = (from: string, to: string, filter: (src: string) => boolean) => {
    const prefix = from + this.sep;
    for (const [k, v] of [...this.files]) {
      if (!k.startsWith(prefix)) continue;
      // The filter sees each path segment on the way down, as fs.cpSync does.
      const parts = k.slice(prefix.length).split(this.sep);
      let ok = true;
      for (let i = 1; i <= parts.length && ok; i++)
        ok = filter(from + this.sep + parts.slice(0, i).join(this.sep));
      if (ok) this.files.set(to + this.sep + parts.join(this.sep), v);
    }
  };
  now = () => Date.now();
  setTimer = (fn: () => void, ms: number) => setTimeout(fn, ms);
  clearTimer = (t: unknown) => clearTimeout(t as NodeJS.Timeout);
  print = (line: string) => void this.printed.push(line);
  printError = (line: string) => void this.errors.push(line);
  writeStderr = (chunk: Buffer | string) => void this.stderrPassed.push(chunk.toString());
  onSignal = (signal: NodeJS.Signals, handler: () => void) => {
    this.signalHandlers.set(signal, [...(this.signalHandlers.get(signal) ?? []), handler]);
  };
  raise(signal: NodeJS.Signals) {
    for (const h of this.signalHandlers.get(signal) ?? []) h();
  }
  exit = (code: number) => void (this.exitCode = code);

  /** Everything printed, stdout and stderr, one string. */
  output(): string {
    return [...this.printed, ...this.errors].join('\n');
  }
}

/** Every spawn a Windows host made must be runnable there: a .cmd/.bat or bare npm/npx only through a shell. */
export function windowsUnsafeSpawns(host: FakeHost): SpawnCall[] {
  return host.calls.filter(
    (c) => (/\.(cmd|bat)$/i.test(c.command) || /^(npm|npx|pnpm|yarn)$/i.test(c.command)) && !c.options.shell,
  );
}
