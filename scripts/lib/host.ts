// Everything `npm start`, the native rebuild and packaging touch of the machine, behind one seam: the real
// host in production, a fake in the unit tests (which play darwin, win32 and linux on any machine).
import { spawn as nodeSpawn, type SpawnOptions } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import type { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';

/** The part of a ChildProcess these scripts use. */
export interface ChildLike extends EventEmitter {
  readonly pid?: number | undefined;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  kill(signal?: NodeJS.Signals): boolean;
  send?(message: unknown): boolean;
  readonly connected?: boolean;
}

export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildLike;

export interface Host {
  readonly platform: NodeJS.Platform;
  readonly arch: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The Node running this script (process.execPath). */
  readonly execPath: string;
  spawn: SpawnFn;
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  readText(path: string): string;
  writeText(path: string, text: string): void;
  appendText(path: string, text: string): void;
  mkdirp(path: string): void;
  remove(path: string): void;
  rename(from: string, to: string): void;
  copyFile(from: string, to: string): void;
  /** Copy a directory; `filter` sees each source path (return false to skip it and what is under it). */
  copyDir(from: string, to: string, filter: (source: string) => boolean): void;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
  /** One line of progress for the person at the terminal. */
  print(line: string): void;
  /** The same, for problems (stderr). */
  printError(line: string): void;
  /** Pass a child's stderr through as it comes. */
  writeStderr(chunk: Buffer | string): void;
  /** Run `handler` when this process receives `signal`. */
  onSignal(signal: NodeJS.Signals, handler: () => void): void;
  exit(code: number): void;
}

export function realHost(): Host {
  return {
    platform: process.platform,
    arch: process.arch,
    env: process.env,
    execPath: process.execPath,
    spawn: (command, args, options) => nodeSpawn(command, [...args], options),
    exists: (p) => existsSync(p),
    isDirectory: (p) => existsSync(p) && statSync(p).isDirectory(),
    readText: (p) => readFileSync(p, 'utf8'),
    writeText: (p, t) => writeFileSync(p, t),
    appendText: (p, t) => appendFileSync(p, t),
    mkdirp: (p) => mkdirSync(p, { recursive: true }),
    remove: (p) => rmSync(p, { recursive: true, force: true }),
    rename: (a, b) => renameSync(a, b),
    copyFile: (a, b) => copyFileSync(a, b),
    copyDir: (from, to, filter) => cpSync(from, to, { recursive: true, filter: (src) => filter(src) }),
    now: () => Date.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (t) => clearTimeout(t as NodeJS.Timeout),
    print: (line) => console.log(line),
    printError: (line) => console.error(line),
    writeStderr: (chunk) => void process.stderr.write(chunk),
    onSignal: (signal, handler) => void process.on(signal, handler),
    exit: (code) => process.exit(code),
  };
}
