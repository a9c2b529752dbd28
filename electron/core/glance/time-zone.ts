// Days and hours in the shop's time zone (an IANA name such as "America/New_York"), from epoch milliseconds,
// with Intl only: "today" starts at the shop's midnight, whatever zone this machine is set to, and daylight
// saving days have 23 or 25 hours.

const formatters = new Map<string, Intl.DateTimeFormat>();
function parts(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows the zone. */
export function isTimeZone(tz: string): boolean {
  if (!tz || tz.length > 60) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** This machine's zone (the default when the shop has chosen none). */
export function machineTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wall(timeZone: string, ms: number): Wall {
  const o: Record<string, number> = {};
  for (const p of parts(timeZone).formatToParts(new Date(ms)))
    if (p.type !== 'literal') o[p.type] = Number(p.value);
  return {
    year: o.year!,
    month: o.month!,
    day: o.day!,
    hour: o.hour! % 24,
    minute: o.minute!,
    second: o.second!,
  };
}

/** The zone's offset from UTC at that instant, in ms (e.g. -4 h in New York in summer). */
export function offsetMs(timeZone: string, ms: number): number {
  const w = wall(timeZone, ms);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** yyyy-mm-dd of the instant in the zone. */
export function dayOf(timeZone: string, ms: number): string {
  const w = wall(timeZone, ms);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** The hour of the day (0–23) of the instant in the zone. */
export function hourOf(timeZone: string, ms: number): number {
  return wall(timeZone, ms).hour;
}

/** The instant the day begins in the zone (its first moment; midnight, or later when a DST change skips it). */
export function startOfDay(timeZone: string, day: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`not a day: ${day}`);
  const utcMidnight = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Local midnight = UTC midnight − offset; the offset at that instant may differ (a DST change), so settle it.
  let t = utcMidnight - offsetMs(timeZone, utcMidnight);
  for (let i = 0; i < 3; i++) {
    const next = utcMidnight - offsetMs(timeZone, t);
    if (next === t) break;
    t = next;
  }
  // Where midnight does not exist (it was skipped), the day starts at the first instant that falls on it.
  while (dayOf(timeZone, t) !== day && dayOf(timeZone, t) < day) t += 15 * 60_000;
  while (dayOf(timeZone, t - 1) === day) t -= 15 * 60_000;
  return t;
}

/** The day after (calendar arithmetic, no zone needed). */
export function nextDay(day: string, n = 1): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)!;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + n));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The day's bounds in the zone: [from, to). */
export function dayBounds(timeZone: string, day: string): { from: number; to: number } {
  return { from: startOfDay(timeZone, day), to: startOfDay(timeZone, nextDay(day)) };
}
