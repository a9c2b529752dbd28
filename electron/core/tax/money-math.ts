// Integer money arithmetic for tax and discounts: division with a stated rounding rule, allocation of a total
// across parts by largest remainder (no cent lost or invented), and exact parsing of percentages typed as
// text. Pure: no I/O, no floats in any result.
//
// Rounding. Square's Orders API rounds its price adjustments (discounts, taxes) half to even ("Bankers'
// Rounding", developer.squareup.com/docs/orders-api/price-adjustments), per line item. Stripe Tax calculates
// per line item and per jurisdiction; its rounding mode is not documented [unverified], and the emulator
// assumes half-up there. The console's own "Rates I set" computation rounds each line's tax (and each
// jurisdiction's share of it) half to even, like Square, so that a long day of .5-cent ties does not drift
// upward; `Rounding` lets a caller choose half-up where a jurisdiction requires it.

export type Rounding = 'half_even' | 'half_up';

/** Parts per million of a whole: a rate of 8.875 % is 88 750 ppm; 100 % is 1 000 000. */
export const PPM_WHOLE = 1_000_000;
/** Basis points of a whole: 12.5 % is 1 250 bp; 100 % is 10 000. */
export const BP_WHOLE = 10_000;

function assertSafe(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} is not a safe integer: ${n}`);
}

/**
 * numerator / denominator rounded to an integer by `mode`; denominator > 0, numerator ≥ 0. Both must be safe
 * integers (amounts up to Stripe's 99 999 999 times a ppm rate stay well below 2^53).
 */
export function roundDiv(numerator: number, denominator: number, mode: Rounding = 'half_even'): number {
  assertSafe(numerator, 'numerator');
  assertSafe(denominator, 'denominator');
  if (denominator <= 0) throw new RangeError('denominator must be positive');
  if (numerator < 0) return -roundDiv(-numerator, denominator, mode);
  const q = Math.floor(numerator / denominator);
  const r = numerator - q * denominator;
  const twice = 2 * r;
  if (twice < denominator) return q;
  if (twice > denominator) return q + 1;
  // exactly half
  return mode === 'half_up' ? q + 1 : q % 2 === 0 ? q : q + 1;
}

/**
 * Splits `total` (an integer ≥ 0) across parts in proportion to `weights` (integers ≥ 0) by the largest
 * remainder method: each part gets floor(total·w/Σw), then the cents left over go one each to the parts with
 * the largest remainders (ties: the earlier part). The parts always sum to `total` exactly. When every weight
 * is 0, the total goes to the parts equally in the same way (so it is never lost).
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  assertSafe(total, 'total');
  if (total < 0) return allocate(-total, weights).map((x) => -x);
  if (weights.length === 0) {
    if (total !== 0) throw new RangeError('cannot allocate a non-zero total across no parts');
    return [];
  }
  for (const w of weights) {
    assertSafe(w, 'weight');
    if (w < 0) throw new RangeError('weights must not be negative');
  }
  let sum = weights.reduce((a, b) => a + b, 0);
  const ws = sum === 0 ? weights.map(() => 1) : weights;
  if (sum === 0) sum = ws.length;
  const base: number[] = [];
  const rem: number[] = [];
  let given = 0;
  for (const w of ws) {
    // total·w can exceed 2^53 only for absurd inputs (> 9e15); guard rather than lose precision.
    const prod = total * w;
    assertSafe(prod, 'total × weight');
    const q = Math.floor(prod / sum);
    base.push(q);
    rem.push(prod - q * sum);
    given += q;
  }
  const order = ws.map((_, i) => i).sort((a, b) => (rem[b] as number) - (rem[a] as number) || a - b);
  for (let k = 0; k < total - given; k++) base[order[k] as number]! += 1;
  return base;
}

export type Parsed = { ok: true; value: number } | { ok: false; reason: string };

/**
 * Parses a non-negative decimal typed as text ("8.875", "12.5", "7") into integer units of 10^-decimals:
 * parseDecimal("8.875", 4) → 88 750. Exact (string work, no floats). Refuses signs, exponents, more than
 * `decimals` fraction digits and empty input, with a reason a person can act on.
 */
export function parseDecimal(text: string, decimals: number): Parsed {
  const t = text.trim();
  if (t === '') return { ok: false, reason: 'Enter a number.' };
  if (t.startsWith('-')) return { ok: false, reason: 'Must not be negative.' };
  const m = /^(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return { ok: false, reason: `"${text}" is not a number.` };
  const frac = m[2] ?? '';
  if (frac.length > decimals) {
    return { ok: false, reason: `At most ${decimals} digit${decimals === 1 ? '' : 's'} after the point.` };
  }
  const whole = m[1] === '' ? '0' : (m[1] as string);
  if (whole.replace(/^0+/, '').length > 9) return { ok: false, reason: 'Too large.' };
  const value = Number(whole) * 10 ** decimals + Number(frac.padEnd(decimals, '0') || '0');
  return { ok: true, value };
}

/** A percentage typed as text ("8.875") as parts per million (88 750): up to 4 decimals. */
export function parseRatePercent(text: string): Parsed {
  // 4 decimals of a percent are units of 10^-6 of the whole: the value is already in ppm.
  return parseDecimal(text, 4);
}

/** A percentage typed as text ("12.5") as basis points (1 250): up to 2 decimals. */
export function parseDiscountPercent(text: string): Parsed {
  return parseDecimal(text, 2);
}

/** 88 750 ppm → "8.875" (the form Stripe writes percentage_decimal in). */
export function ppmToPercentString(ppm: number): string {
  assertSafe(ppm, 'ppm');
  const whole = Math.floor(ppm / 10_000);
  const frac = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return frac === '' ? String(whole) : `${whole}.${frac}`;
}
