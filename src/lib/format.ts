// Dates, times and durations for people.

// Times are shown in the shop's time zone (its settings, shared by every station), so an order placed at 10:00
// reads 10:00 at every desk and in the CSV, whatever zone each computer is set to. Until the shop's settings
// are read, this computer's zone is used.
let zone: string | undefined;
const make = () => ({
  dateTime: new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }),
  dateOnly: new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: zone }),
  timeOnly: new Intl.DateTimeFormat('en-US', { timeStyle: 'medium', timeZone: zone }),
});
let f = make();

/** Show times in this zone from now on (the shop's); null: this computer's. An unknown zone is ignored. */
export function setDisplayZone(timeZone: string | null): void {
  const next = timeZone ?? undefined;
  if (next === zone) return;
  try {
    if (next) new Intl.DateTimeFormat('en-US', { timeZone: next });
  } catch {
    return;
  }
  zone = next;
  f = make();
}

export const formatDateTime = (ms: number): string => f.dateTime.format(new Date(ms));
export const formatDate = (ms: number): string => f.dateOnly.format(new Date(ms));
export const formatTime = (ms: number): string => f.timeOnly.format(new Date(ms));

/** 93_784_000 → "1d 2h 3m"; under an hour shows seconds: "12m 05s". Negative → "0s". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return `${d}d ${h}h ${m}m`;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** "3 s ago", "5 min ago", "2 h ago" — for lag and last-event times. */
export function formatAgo(ms: number, now: number): string {
  const diff = Math.max(0, now - ms);
  if (diff < 1000) return 'just now';
  if (diff < 60_000) return `${Math.floor(diff / 1000)} s ago`;
  if (diff < 3_600_000) return `${Math.floor(diff / 60_000)} min ago`;
  if (diff < 86_400_000) return `${Math.floor(diff / 3_600_000)} h ago`;
  return `${Math.floor(diff / 86_400_000)} d ago`;
}

/** yyyy-mm-dd from an <input type="date"> → epoch ms at local midnight (start) or the end of that day. */
export function dateInputToMs(value: string, edge: 'start' | 'end'): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (edge === 'end') d.setHours(23, 59, 59, 999);
  return d.getTime();
}

export const statusLabel = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ');
