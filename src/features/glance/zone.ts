// Times shown in the shop's time zone (the zone "today" is counted in), whatever this computer's zone is.
const cache = new Map<string, Intl.DateTimeFormat>();

export function formatInZone(ms: number, timeZone: string, style: 'datetime' | 'time' = 'datetime'): string {
  const key = `${timeZone}|${style}`;
  let f = cache.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        ...(style === 'time' ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }),
      });
    } catch {
      f = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
    }
    cache.set(key, f);
  }
  return f.format(new Date(ms));
}

/** The time zones this computer knows, for the shop's setting. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
  } catch {
    return ['UTC'];
  }
}
