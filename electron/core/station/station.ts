// This station's identity in the shop: a random id (never shared with another install), a short code staff
// read as the first letter(s) of an order number ("A1042"), and its own sequence of numbers. Nothing here needs
// a server: each station numbers its own orders, and the code keeps two stations' numbers apart. Two stations
// configured with one code are told apart by their ids (every order names its station's id) and reported.
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db';
import { AppError } from '../../ipc/errors';

const FIRST_NUMBER = 1001;

function get(db: Db, key: string): string | null {
  return (
    (db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)
      ?.value ?? null
  );
}

function set(db: Db, key: string, value: string): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

export function stationId(db: Db): string {
  let id = get(db, 'station.id');
  if (!id) {
    id = `st${randomBytes(6).toString('hex')}`;
    set(db, 'station.id', id);
  }
  return id;
}

export function stationCode(db: Db): string | null {
  return get(db, 'station.code');
}

export const STATION_CODE = /^[A-Z]{1,3}$/;

export function setStationCode(db: Db, code: string): void {
  if (!STATION_CODE.test(code))
    throw new AppError('invalid_input', 'A station code is one to three capital letters, e.g. A or FD.');
  set(db, 'station.code', code);
}

/** Codes other stations of the shop use (from the orders they took). */
export function codesInUse(db: Db): Set<string> {
  const me = stationId(db);
  return new Set(
    (db.prepare('SELECT code FROM stations WHERE id != ?').all(me) as { code: string }[]).map((r) => r.code),
  );
}

/** This station's code; on first use, the first letter no other station of the shop has taken. */
export function ensureStationCode(db: Db): string {
  const existing = stationCode(db);
  if (existing) return existing;
  const taken = codesInUse(db);
  let code = 'A';
  for (let c = 65; c <= 90; c++) {
    const letter = String.fromCharCode(c);
    if (!taken.has(letter)) {
      code = letter;
      break;
    }
  }
  setStationCode(db, code);
  return code;
}

/**
 * The next order number of this station: never one it used before, nor one Stripe shows it used (a station
 * rebuilt from an empty folder continues after its highest number there).
 */
export function nextOrderNumber(db: Db): { code: string; number: number } {
  return db.transaction(() => {
    const code = ensureStationCode(db);
    const me = stationId(db);
    const seen =
      (db.prepare('SELECT max_number FROM stations WHERE id = ?').pluck().get(me) as number | undefined) ?? 0;
    // Orders of a station that had this code before an upgrade (numbers kept from the old local sequence).
    const local =
      (db
        .prepare(
          'SELECT max(number) FROM orders WHERE station_code = ? AND (station_id = ? OR station_id IS NULL)',
        )
        .pluck()
        .get(code, me) as number | null) ?? 0;
    const carts =
      (db.prepare('SELECT max(number) FROM carts WHERE station_code = ?').pluck().get(code) as
        number | null) ?? 0;
    const stored = Number(get(db, 'station.next_number') ?? '0');
    const n = Math.max(FIRST_NUMBER, stored, seen + 1, local + 1, carts + 1);
    set(db, 'station.next_number', String(n + 1));
    return { code, number: n };
  })();
}

export interface StationSeen {
  id: string;
  code: string;
  name: string;
  lastSeen: number;
  thisStation: boolean;
}

export function stationsSeen(db: Db): StationSeen[] {
  const me = stationId(db);
  return (
    db.prepare('SELECT id, code, name, last_seen FROM stations ORDER BY code, last_seen DESC').all() as {
      id: string;
      code: string;
      name: string;
      last_seen: number;
    }[]
  ).map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    lastSeen: r.last_seen * 1000,
    thisStation: r.id === me,
  }));
}

/** Another station that takes orders under this station's code, if any: the manager must change one. */
export function codeConflict(db: Db): StationSeen | null {
  const code = stationCode(db);
  if (!code) return null;
  return stationsSeen(db).find((s) => s.code === code && !s.thisStation) ?? null;
}
