import { describe, expect, it } from 'vitest';
import { computeWindow, pagesFor, scrollToReveal } from '../../../../src/lib/virtual';

describe('computeWindow', () => {
  it('renders only the rows on screen plus overscan', () => {
    const w = computeWindow({
      scrollTop: 0,
      viewportHeight: 440,
      rowHeight: 44,
      count: 100_000,
      overscan: 5,
    });
    expect(w).toEqual({ start: 0, end: 15, offsetTop: 0, totalHeight: 4_400_000 });
  });

  it('follows the scroll position', () => {
    const w = computeWindow({
      scrollTop: 44 * 50_000 + 10,
      viewportHeight: 440,
      rowHeight: 44,
      count: 100_000,
      overscan: 5,
    });
    expect(w.start).toBe(49_995);
    expect(w.end).toBe(50_016);
    expect(w.offsetTop).toBe(49_995 * 44);
    expect(w.end - w.start).toBeLessThan(30);
  });

  it('clamps at the end of the list and past it', () => {
    const w = computeWindow({
      scrollTop: 10_000_000,
      viewportHeight: 440,
      rowHeight: 44,
      count: 100,
      overscan: 2,
    });
    expect(w.end).toBe(100);
    expect(w.start).toBe(100 - 10 - 2);
  });

  it('handles short and empty lists', () => {
    expect(computeWindow({ scrollTop: 0, viewportHeight: 600, rowHeight: 44, count: 3 })).toEqual({
      start: 0,
      end: 3,
      offsetTop: 0,
      totalHeight: 132,
    });
    expect(computeWindow({ scrollTop: 0, viewportHeight: 600, rowHeight: 44, count: 0 }).end).toBe(0);
    expect(
      computeWindow({ scrollTop: -50, viewportHeight: 100, rowHeight: 44, count: 10, overscan: 0 }).start,
    ).toBe(0);
  });
});

describe('pagesFor', () => {
  it('lists the pages covering a row range', () => {
    expect(pagesFor(0, 20, 100)).toEqual([0]);
    expect(pagesFor(95, 130, 100)).toEqual([0, 1]);
    expect(pagesFor(100, 200, 100)).toEqual([1]);
    expect(pagesFor(50_000, 50_020, 100)).toEqual([500]);
    expect(pagesFor(5, 5, 100)).toEqual([]);
  });
});

describe('scrollToReveal', () => {
  it('scrolls the least needed to show a row', () => {
    expect(scrollToReveal(0, 0, 440, 44)).toBe(0);
    expect(scrollToReveal(5, 0, 440, 44)).toBe(0);
    expect(scrollToReveal(10, 0, 440, 44)).toBe(44);
    expect(scrollToReveal(2, 440, 440, 44)).toBe(88);
  });
});
