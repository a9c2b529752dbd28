import { describe, expect, it } from 'vitest';
import { dateInputToMs, formatAgo, formatDuration, statusLabel } from '../../../../src/lib/format';

describe('format', () => {
  it('formats durations for countdowns', () => {
    expect(formatDuration(93_784_000)).toBe('1d 2h 3m');
    expect(formatDuration(3_723_000)).toBe('1h 02m');
    expect(formatDuration(725_000)).toBe('12m 05s');
    expect(formatDuration(9_000)).toBe('9s');
    expect(formatDuration(-5)).toBe('0s');
  });
  it('formats ages', () => {
    expect(formatAgo(1000, 1500)).toBe('just now');
    expect(formatAgo(0, 5_000)).toBe('5 s ago');
    expect(formatAgo(0, 120_000)).toBe('2 min ago');
  });
  it('reads date inputs as local days', () => {
    const start = dateInputToMs('2026-03-04', 'start')!;
    const end = dateInputToMs('2026-03-04', 'end')!;
    expect(new Date(start).getDate()).toBe(4);
    expect(end - start).toBe(86_400_000 - 1);
    expect(dateInputToMs('', 'start')).toBeUndefined();
  });
  it('labels statuses', () => {
    expect(statusLabel('partially_captured')).toBe('Partially captured');
  });
});

describe('times in the shop’s zone (issue 23 item 10)', () => {
  it('shows one instant the same whatever zone this computer is in, once the shop’s zone is set', async () => {
    const { formatDateTime, setDisplayZone } = await import('../../../../src/lib/format');
    const instant = Date.UTC(2026, 11, 3, 14, 25); // 14:25 UTC
    setDisplayZone('America/New_York');
    expect(formatDateTime(instant)).toBe('Dec 3, 2026, 9:25 AM');
    setDisplayZone('Asia/Tokyo');
    expect(formatDateTime(instant)).toBe('Dec 3, 2026, 11:25 PM');
    setDisplayZone('Not/AZone'); // ignored
    expect(formatDateTime(instant)).toBe('Dec 3, 2026, 11:25 PM');
    setDisplayZone(null);
  });
});
