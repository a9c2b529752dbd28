/**
 * SQLite persistence (better-sqlite3) for `--state FILE`: write-through after every state-changing request.
 * Only loaded when a state path is given, so the in-memory default never touches the native module.
 */
import type { EventRecord, IdempotencyRecord, Persistence, State, Stored, Timer } from './state';

import type BetterSqlite3 from 'better-sqlite3';

type DatabaseCtor = typeof BetterSqlite3;

/** `nativeBinding`: a better_sqlite3.node built for the running runtime (Electron's ABI differs from Node's). */
export async function openPersistence(path: string, nativeBinding?: string): Promise<Persistence> {
  const mod = (await import('better-sqlite3')) as unknown as { default: DatabaseCtor };
  const Database = mod.default;
  const db = new Database(path, nativeBinding ? { nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS objects (id TEXT PRIMARY KEY, json TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, json TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, json TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
  `);
  const putObject = db.prepare('INSERT OR REPLACE INTO objects (id, json) VALUES (?, ?)');
  const putEvent = db.prepare('INSERT OR REPLACE INTO events (id, seq, json) VALUES (?, ?, ?)');
  const putIdem = db.prepare('INSERT OR REPLACE INTO idempotency (key, json) VALUES (?, ?)');
  const delIdem = db.prepare('DELETE FROM idempotency WHERE key = ?');
  const putMeta = db.prepare('INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)');

  const flush = db.transaction((state: State) => {
    for (const id of state.dirtyObjects) {
      const s = state.objects.get(id);
      if (s) putObject.run(id, JSON.stringify(s));
    }
    for (const id of state.dirtyEvents) {
      const pos = state.eventPos.get(id);
      const e = pos === undefined ? undefined : state.events[pos];
      if (e) {
        const { json: _json, ...rest } = e;
        putEvent.run(id, e.seq, JSON.stringify(rest));
      }
    }
    for (const key of state.dirtyIdem) {
      const r = state.idempotency.get(key);
      if (r && !r.inFlight) putIdem.run(key, JSON.stringify(r));
      else if (!r) delIdem.run(key);
    }
    putMeta.run('offsetMs', String(state.offsetMs));
    if (state.dirtyTimers) putMeta.run('timers', JSON.stringify([...state.timers.values()]));
  });

  return {
    load() {
      const objects = (db.prepare('SELECT json FROM objects').all() as Array<{ json: string }>).map(
        (r) => JSON.parse(r.json) as Stored,
      );
      const events = (
        db.prepare('SELECT json FROM events ORDER BY seq').all() as Array<{ json: string }>
      ).map((r) => ({ ...(JSON.parse(r.json) as Omit<EventRecord, 'json'>), json: '' }) as EventRecord);
      const idempotency = (db.prepare('SELECT json FROM idempotency').all() as Array<{ json: string }>).map(
        (r) => JSON.parse(r.json) as IdempotencyRecord,
      );
      const meta = db.prepare("SELECT v FROM meta WHERE k = 'offsetMs'").get() as { v: string } | undefined;
      const timers = db.prepare("SELECT v FROM meta WHERE k = 'timers'").get() as { v: string } | undefined;
      return {
        objects,
        events,
        idempotency,
        offsetMs: meta ? Number(meta.v) : 0,
        ...(timers ? { timers: JSON.parse(timers.v) as Timer[] } : {}),
      };
    },
    flush(state) {
      if (
        !state.dirtyObjects.size &&
        !state.dirtyEvents.size &&
        !state.dirtyIdem.size &&
        !state.dirtyTimers
      ) {
        putMeta.run('offsetMs', String(state.offsetMs));
        return;
      }
      flush(state);
      state.clearDirty();
    },
    clear() {
      db.exec('DELETE FROM objects; DELETE FROM events; DELETE FROM idempotency; DELETE FROM meta;');
    },
    close() {
      db.close();
    },
  };
}
