// The console's log files, in the data folder's logs/ (a packaged app's stdout goes nowhere): main.log for
// the main process and the core, renderer.log for the window's console. Every line is redacted first
// (redact.ts). A file past `maxBytes` is rotated: main.log → main.1.log → … → main.<keep>.log, the oldest
// dropped, so a station that runs for months keeps a few megabytes. Appends are synchronous: the line is on
// disk before a crash that follows it. Our own small writer rather than electron-log: it runs in plain Node
// (the tests, browser mode), and redaction and rotation are ours to test.
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import type { Logger } from '../../core/ports';
import { redact } from './redact';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface RotatingLogOptions {
  dir: string;
  /** The file's base name: `main` → main.log, main.1.log, … */
  name: string;
  maxBytes?: number;
  keep?: number;
  now?: () => number;
}

export const LOG_MAX_BYTES = 1024 * 1024;
export const LOG_KEEP = 4;

export class RotatingLog {
  readonly path: string;
  private size: number;
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly now: () => number;

  constructor(private readonly o: RotatingLogOptions) {
    mkdirSync(o.dir, { recursive: true });
    this.path = join(o.dir, `${o.name}.log`);
    this.maxBytes = o.maxBytes ?? LOG_MAX_BYTES;
    this.keep = o.keep ?? LOG_KEEP;
    this.now = o.now ?? Date.now;
    this.size = existsSync(this.path) ? statSync(this.path).size : 0;
  }

  /** The files, newest first: main.log, main.1.log, … (only those that exist). */
  files(): string[] {
    const all = [this.path];
    for (let i = 1; i <= this.keep; i++) all.push(join(this.o.dir, `${this.o.name}.${i}.log`));
    return all.filter((f) => existsSync(f));
  }

  write(level: Level, message: string): void {
    const line = `${new Date(this.now()).toISOString()} ${level.toUpperCase().padEnd(5)} ${redact(message).replace(/\r?\n/g, '\n    ')}\n`;
    const bytes = Buffer.byteLength(line);
    try {
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      appendFileSync(this.path, line);
      this.size += bytes;
    } catch {
      // A full disk or a removed folder must not take the console down with it.
    }
  }

  private rotate(): void {
    const at = (i: number) => (i === 0 ? this.path : join(this.o.dir, `${this.o.name}.${i}.log`));
    rmSync(at(this.keep), { force: true });
    for (let i = this.keep - 1; i >= 0; i--) if (existsSync(at(i))) renameSync(at(i), at(i + 1));
    this.size = 0;
  }
}

/** One message from a log call's arguments (an Error's stack included), as console.log would print it. */
export function formatArgs(message: string, rest: unknown[]): string {
  return rest.length === 0 ? message : format(message, ...rest);
}

/** The core's Logger port over the file (and the terminal, when there is one: `npm start`). */
export function fileLogger(log: RotatingLog, echo: Pick<Console, 'log' | 'warn' | 'error'> | null): Logger {
  const at =
    (level: Exclude<Level, 'debug'>) =>
    (message: string, ...rest: unknown[]) => {
      const text = formatArgs(message, rest);
      log.write(level, text);
      echo?.[level === 'info' ? 'log' : level](`[${level}] ${redact(text)}`);
    };
  return { info: at('info'), warn: at('warn'), error: at('error') };
}

/** The renderer's console, as webContents' console-message gives it. */
export function rendererLevel(level: string): Level {
  return level === 'error' ? 'error' : level === 'warning' ? 'warn' : level === 'debug' ? 'debug' : 'info';
}
