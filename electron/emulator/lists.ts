/**
 * Cursor pagination with Stripe's list semantics, shared by objects and events: newest first; `starting_after`
 * returns the items just OLDER than the cursor; `ending_before` returns the `limit` items just NEWER than the
 * cursor (still sorted newest first) and `has_more` tells whether even newer ones remain.
 * Items are addressed by position in insertion order (oldest = 0), so equal `created` seconds keep a stable order.
 */
import { paramError } from './errors';

export interface PageRequest {
  limit: number;
  /** Position of the starting_after cursor, if any. */
  startingAfter?: number;
  /** Position of the ending_before cursor, if any. */
  endingBefore?: number;
}

export interface Page {
  positions: number[];
  hasMore: boolean;
}

/**
 * @param length number of items (positions 0..length-1)
 * @param match  filter; may also stop early by returning 'stop' (e.g. past the created window)
 */
export function paginate(length: number, req: PageRequest, match: (pos: number) => boolean | 'stop'): Page {
  const out: number[] = [];
  if (req.endingBefore !== undefined) {
    for (let p = req.endingBefore + 1; p < length; p++) {
      const m = match(p);
      if (m === 'stop') break;
      if (!m) continue;
      if (out.length === req.limit) return { positions: out.reverse(), hasMore: true };
      out.push(p);
    }
    return { positions: out.reverse(), hasMore: false };
  }
  const start = req.startingAfter !== undefined ? req.startingAfter - 1 : length - 1;
  for (let p = start; p >= 0; p--) {
    const m = match(p);
    if (m === 'stop') break;
    if (!m) continue;
    if (out.length === req.limit) return { positions: out, hasMore: true };
    out.push(p);
  }
  return { positions: out, hasMore: false };
}

export function checkLimit(limit: unknown): number {
  if (limit === undefined) return 10;
  const n = limit as number;
  if (n < 1 || n > 100) {
    throw paramError('parameter_invalid_integer', 'Invalid limit: must be between 1 and 100', 'limit');
  }
  return n;
}

export function checkCursors(params: Record<string, unknown>): void {
  if (params.starting_after !== undefined && params.ending_before !== undefined) {
    throw paramError(
      'parameters_exclusive',
      'You may only specify one of these parameters: ending_before, starting_after.',
      'ending_before',
    );
  }
}

export type Range = number | { gt?: number; gte?: number; lt?: number; lte?: number };

export function inRange(v: number, r: Range | undefined): boolean {
  if (r === undefined) return true;
  if (typeof r === 'number') return v === r;
  if (r.gt !== undefined && !(v > r.gt)) return false;
  if (r.gte !== undefined && !(v >= r.gte)) return false;
  if (r.lt !== undefined && !(v < r.lt)) return false;
  if (r.lte !== undefined && !(v <= r.lte)) return false;
  return true;
}
