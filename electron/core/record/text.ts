// Text sent to Stripe is cut only between whole characters. JavaScript strings count UTF-16 units: a cut at a
// unit count can split an emoji's surrogate pair, which is not valid text — Stripe's SDK then throws while
// encoding the request, before anything is sent. Lengths here are still counted in UTF-16 units (never more
// than Stripe's character limits, however Stripe counts), but a cut never falls inside a pair.

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** The longest start of `s` of at most `max` UTF-16 units that does not end inside a surrogate pair. */
export function cutText(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = Math.max(0, max);
  if (end > 0 && isHigh(s.charCodeAt(end - 1)) && isLow(s.charCodeAt(end))) end--;
  return s.slice(0, end);
}

/** `s` in pieces of at most `max` UTF-16 units each, none split inside a surrogate pair; joined, they are `s`. */
export function chunkText(s: string, max: number): string[] {
  if (max < 2) throw new RangeError('chunkText needs room for a whole character');
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const piece = cutText(s.slice(i), max);
    out.push(piece);
    i += piece.length;
  }
  return out;
}

/** Whether `s` is well-formed UTF-16 (no lone surrogate): the only text Stripe's encoder accepts. */
export function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isHigh(c)) {
      if (!isLow(s.charCodeAt(i + 1))) return false;
      i++;
    } else if (isLow(c)) return false;
  }
  return true;
}

/** The first parameter (as a path, e.g. "metadata.mc_l0") whose text is not well-formed, or null. */
export function malformedTextIn(v: unknown, path = ''): string | null {
  if (typeof v === 'string') return isWellFormed(v) ? null : path || '(value)';
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = malformedTextIn(v[i], `${path}[${i}]`);
      if (bad) return bad;
    }
    return null;
  }
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (!isWellFormed(k)) return path ? `${path}.${k}` : k;
      const bad = malformedTextIn(x, path ? `${path}.${k}` : k);
      if (bad) return bad;
    }
  }
  return null;
}
