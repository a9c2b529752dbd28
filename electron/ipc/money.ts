// Money, on both sides of the IPC (the renderer's screens, the core's timeline and CSV): integer minor units plus an ISO currency, never floats in state. Formatting goes
// through Intl.NumberFormat with a decimal *string* built from the integer (no division), and parsing what a
// person types is string arithmetic, so "19.99" is exactly 1999 and "0.1 + 0.2" problems cannot happen.

/** Stripe's zero-decimal currencies: the amount is in whole units (¥500 is 500). */
const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);
/** Stripe's three-decimal currencies. */
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** How many digits of the amount are after the decimal point, as Stripe counts minor units. */
export function minorDigits(currency: string): number {
  const c = currency.toLowerCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

/** 123456 usd → "1234.56"; -5 usd → "-0.05"; 500 jpy → "500". Exact: string work on the integer. */
export function minorToDecimalString(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Not an integer amount of minor units: ${amount}`);
  const digits = minorDigits(currency);
  const negative = amount < 0;
  const abs = String(Math.abs(amount));
  if (digits === 0) return (negative ? '-' : '') + abs;
  const padded = abs.padStart(digits + 1, '0');
  const whole = padded.slice(0, padded.length - digits);
  const frac = padded.slice(padded.length - digits);
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

const formatters = new Map<string, Intl.NumberFormat>();
function formatter(currency: string, locale: string | undefined): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    const digits = minorDigits(currency);
    try {
      f = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: currency.toUpperCase(),
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
    } catch {
      // An unknown code: still show the number, with the code.
      f = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
    }
    formatters.set(key, f);
  }
  return f;
}

/** Format integer minor units for people: formatMoney(1999, 'usd') → "$19.99"; formatMoney(500, 'jpy') → "¥500". */
export function formatMoney(amount: number, currency: string, locale: string | undefined = 'en-US'): string {
  const f = formatter(currency, locale);
  // Intl accepts a decimal string (exact); the cast is for lib typings that only list number | bigint.
  const text = f.format(minorToDecimalString(amount, currency) as unknown as number);
  return f.resolvedOptions().style === 'currency' ? text : `${text} ${currency.toUpperCase()}`;
}

export type ParsedAmount = { ok: true; amount: number } | { ok: false; reason: string };

/**
 * Turn what a person typed into integer minor units, exactly: "19.99" usd → 1999, "1,250" usd → 125000,
 * "500" jpy → 500. Rejects more decimals than the currency has, negatives, and anything that is not a number.
 */
export function parseMoney(input: string, currency: string): ParsedAmount {
  const digits = minorDigits(currency);
  const text = input
    .trim()
    .replace(/^[^\d.,-]+/, '')
    .replace(/[^\d.,]+$/, '')
    .replace(/[\s\u00a0']/g, '');
  if (text === '') return { ok: false, reason: 'Enter an amount.' };
  if (text.startsWith('-')) return { ok: false, reason: 'The amount cannot be negative.' };
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === undefined && !m[2])) return { ok: false, reason: 'That is not an amount.' };
  const whole = (m[1] ?? '0').replace(/,/g, '');
  const frac = m[2] ?? '';
  if (frac.length > digits) {
    return {
      ok: false,
      reason:
        digits === 0
          ? `${currency.toUpperCase()} has no decimal places.`
          : `At most ${digits} decimal places for ${currency.toUpperCase()}.`,
    };
  }
  const minorText = (whole + frac.padEnd(digits, '0')).replace(/^0+(?=\d)/, '');
  if (minorText.length > 15) return { ok: false, reason: 'That amount is too large.' };
  const amount = Number(minorText);
  if (!Number.isSafeInteger(amount)) return { ok: false, reason: 'That amount is too large.' };
  return { ok: true, amount };
}

/** The amount as a person would type it back into a field: 1999 usd → "19.99", 500 jpy → "500". */
export function toInputString(amount: number, currency: string): string {
  return minorToDecimalString(amount, currency);
}

/**
 * The part of a line's `total` that `q` of its `of` units are, rounded half to even: the rule of a capture by
 * lines (core/tax/split.ts portionOfLines takes the same share), shared so a form shows what main will take.
 */
export function shareOfTotal(total: number, q: number, of: number): number {
  if (of <= 0 || q <= 0) return 0;
  if (q >= of) return total;
  const n = total * q;
  const whole = Math.floor(n / of);
  const twice = 2 * (n - whole * of);
  if (twice < of) return whole;
  if (twice > of) return whole + 1;
  return whole % 2 === 0 ? whole : whole + 1;
}

/**
 * What taking `picked` units of each line comes to: each line's share of its total (after discounts, with its tax
 * when prices exclude it), plus shipping's total with the first capture; never more than `capturable`. The
 * Holds dialog's amount, the same as the core's amountForLines (a test holds them together).
 */
export function linesShareAmount(
  items: readonly { sku: string; quantity: number; unitAmount: number; lineTotal?: number | undefined }[],
  picked: Readonly<Record<string, number>>,
  shipping: number,
  capturable: number,
): number {
  const sum = items.reduce(
    (n, i) => n + shareOfTotal(i.lineTotal ?? i.unitAmount * i.quantity, picked[i.sku] ?? 0, i.quantity),
    0,
  );
  const any = items.some((i) => (picked[i.sku] ?? 0) > 0);
  return Math.min(any ? sum + shipping : 0, capturable);
}
