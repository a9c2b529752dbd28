import { describe, expect, it } from 'vitest';
import {
  formatMoney,
  minorDigits,
  minorToDecimalString,
  parseMoney,
  toInputString,
} from '../../../../src/lib/money';

describe('minor units', () => {
  it('knows zero-, two- and three-decimal currencies', () => {
    expect(minorDigits('usd')).toBe(2);
    expect(minorDigits('EUR')).toBe(2);
    expect(minorDigits('jpy')).toBe(0);
    expect(minorDigits('krw')).toBe(0);
    expect(minorDigits('vnd')).toBe(0);
    expect(minorDigits('kwd')).toBe(3);
  });

  it('turns integers into exact decimal strings', () => {
    expect(minorToDecimalString(1999, 'usd')).toBe('19.99');
    expect(minorToDecimalString(5, 'usd')).toBe('0.05');
    expect(minorToDecimalString(0, 'usd')).toBe('0.00');
    expect(minorToDecimalString(-250, 'usd')).toBe('-2.50');
    expect(minorToDecimalString(500, 'jpy')).toBe('500');
    expect(minorToDecimalString(1234, 'kwd')).toBe('1.234');
    expect(minorToDecimalString(99_999_999, 'usd')).toBe('999999.99');
    expect(() => minorToDecimalString(1.5, 'usd')).toThrow();
  });
});

describe('formatMoney', () => {
  it('formats with Intl for each currency', () => {
    expect(formatMoney(1999, 'usd')).toBe('$19.99');
    expect(formatMoney(123456789, 'usd')).toBe('$1,234,567.89');
    expect(formatMoney(500, 'jpy')).toBe('¥500');
    expect(formatMoney(15000, 'krw')).toBe('₩15,000');
    expect(formatMoney(1050, 'eur')).toBe('€10.50');
    expect(formatMoney(1050, 'gbp')).toBe('£10.50');
    expect(formatMoney(1234, 'kwd')).toMatch(/KWD\s?1\.234/);
    expect(formatMoney(0, 'usd')).toBe('$0.00');
  });

  it('respects the locale', () => {
    expect(formatMoney(1050, 'eur', 'de-DE')).toMatch(/10,50\s?€/);
  });

  it('never rounds through floats (0.1 + 0.2)', () => {
    expect(formatMoney(30, 'usd')).toBe('$0.30');
    expect(formatMoney(9_007_199_254_740_991, 'usd')).toBe('$90,071,992,547,409.91');
  });
});

describe('parseMoney', () => {
  const ok = (text: string, currency = 'usd') => {
    const r = parseMoney(text, currency);
    if (!r.ok) throw new Error(r.reason);
    return r.amount;
  };
  it('parses what people type, exactly', () => {
    expect(ok('19.99')).toBe(1999);
    expect(ok('0.29')).toBe(29);
    expect(ok('1.1')).toBe(110);
    expect(ok('10')).toBe(1000);
    expect(ok('.5')).toBe(50);
    expect(ok('1,250.00')).toBe(125000);
    expect(ok('$12.30')).toBe(1230);
    expect(ok(' 4.35 ')).toBe(435);
    expect(ok('1.005', 'kwd')).toBe(1005);
    expect(ok('500', 'jpy')).toBe(500);
    expect(ok('¥1,000', 'jpy')).toBe(1000);
    expect(ok('0.07')).toBe(7);
    expect(ok('4.35')).toBe(435); // 4.35 * 100 = 434.99999999999994 as a float
  });

  it('refuses what is not an amount', () => {
    expect(parseMoney('', 'usd').ok).toBe(false);
    expect(parseMoney('abc', 'usd').ok).toBe(false);
    expect(parseMoney('1.234', 'usd')).toEqual({ ok: false, reason: 'At most 2 decimal places for USD.' });
    expect(parseMoney('1.5', 'jpy')).toEqual({ ok: false, reason: 'JPY has no decimal places.' });
    expect(parseMoney('-5', 'usd').ok).toBe(false);
    expect(parseMoney('1.2.3', 'usd').ok).toBe(false);
    expect(parseMoney('12,34', 'usd').ok).toBe(false);
    expect(parseMoney('9999999999999999', 'usd').ok).toBe(false);
  });

  it('round-trips with toInputString', () => {
    for (const [amount, cur] of [
      [1999, 'usd'],
      [5, 'usd'],
      [500, 'jpy'],
      [1234, 'kwd'],
    ] as const) {
      expect(ok(toInputString(amount, cur), cur)).toBe(amount);
    }
  });
});
