// Opening the console's SQLite database: WAL, foreign keys, FULL sync (this file holds the money journal,
// so a committed idempotency key must survive a power cut), a busy timeout for two processes on one file,
// then the bundled migrations. A database from a newer app is refused; a corrupt file is reported, never
// replaced.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { migrations, LATEST_VERSION, type Migration } from './migrations';

export type Db = Database.Database;

export type DatabaseErrorKind = 'too_new' | 'corrupt' | 'unreadable';
export class DatabaseError extends Error {
  readonly kind: DatabaseErrorKind;
  readonly path: string;
  constructor(kind: DatabaseErrorKind, path: string, message: string) {
    super(message);
    this.name = 'DatabaseError';
    this.kind = kind;
    this.path = path;
  }
}

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for the running runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string;
  /**
   * A big file (over BACKGROUND_CHECK_BYTES) is checked page by page (quick_check) in a worker thread after it
   * opens, and the answer ("ok" or what is damaged) given here, instead of before: the check reads the whole
   * file, ~4 s for a million orders (issue 22: start-up). The schema is still read before it opens, so a file
   * that is not a database, or whose header or schema is damaged, is refused at once as before.
   */
  onBackgroundCheck?: (result: string) => void;
  /** Tests: the size above which the check runs after opening (default BACKGROUND_CHECK_BYTES). */
  backgroundCheckBytes?: number;
  /** Apply migrations up to this version only (tests of a single migration). */
  targetVersion?: number;
  migrations?: readonly Migration[];
}

/** Files above this are checked after they open (see OpenOptions.onBackgroundCheck): ~150,000 orders. */
export const BACKGROUND_CHECK_BYTES = 64 * 1024 * 1024;

const fileSize = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

/** quick_check on a read-only connection of its own, in a worker thread (WAL: it reads while the console writes). */
function checkInBackground(
  path: string,
  nativeBinding: string | undefined,
  report: (r: string) => void,
  failed: (why: string) => void,
): void {
  const moduleDir = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     const Database = require(workerData.moduleDir);
     let db;
     try {
       db = new Database(workerData.path, { readonly: true, ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}) });
       parentPort.postMessage({ result: String(db.pragma('quick_check', { simple: true })) });
     } catch (e) {
       const message = String((e && e.message) || e);
       parentPort.postMessage(e && e.code === 'SQLITE_CORRUPT' ? { result: message } : { failed: message });
     } finally {
       db?.close();
     }`,
    { eval: true, workerData: { path, nativeBinding, moduleDir } },
  );
  worker.unref();
  worker.once('message', (m: { result?: string; failed?: string }) =>
    m.result !== undefined ? report(m.result) : failed(m.failed ?? 'unknown'),
  );
  worker.once('error', (e) => failed(e.message));
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  let db: Db;
  try {
    db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (e) {
    throw new DatabaseError(
      'unreadable',
      path,
      `Cannot open the database at ${path}: ${(e as Error).message}`,
    );
  }
  try {
    // The first real read: a file that is not SQLite fails here with SQLITE_NOTADB.
    db.pragma('journal_mode = WAL');
    const later =
      options.onBackgroundCheck && fileSize(path) > (options.backgroundCheckBytes ?? BACKGROUND_CHECK_BYTES);
    const check = later
      ? (db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get(), 'ok')
      : db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(String(check));
    if (later)
      checkInBackground(path, options.nativeBinding, options.onBackgroundCheck!, (why) =>
        // The check itself could not run (not the file's fault): said on stderr, the console carries on.
        process.stderr.write(`database check of ${path} could not run: ${why}\n`),
      );
  } catch (e) {
    db.close();
    throw new DatabaseError(
      'corrupt',
      path,
      `The database at ${path} is damaged (${(e as Error).message}). It has not been changed: ` +
        `restore it from a backup, or move it aside to start with an empty one.`,
    );
  }
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  try {
    migrate(db, options.migrations ?? migrations, options.targetVersion, path);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db, list: readonly Migration[], target = list.length, path = ':memory:'): void {
  const current = schemaVersion(db);
  const latest = list === migrations ? LATEST_VERSION : list.length;
  if (current > latest) {
    throw new DatabaseError(
      'too_new',
      path,
      `The database at ${path} was written by a newer version of the console (schema ${current}; ` +
        `this version knows up to ${latest}). Update the console to open it; nothing was changed.`,
    );
  }
  for (let v = current + 1; v <= Math.min(target, latest); v++) {
    const m = list[v - 1]!;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${v}`);
    })();
  }
}
