// Opening the console's SQLite database: WAL, foreign keys, FULL sync (this file holds the money journal,
// so a committed idempotency key must survive a power cut), a busy timeout for two processes on one file,
// then the bundled migrations. A database from a newer app is refused; a corrupt file is reported, never
// replaced.
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
  /** Apply migrations up to this version only (tests of a single migration). */
  targetVersion?: number;
  migrations?: readonly Migration[];
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
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(String(check));
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
