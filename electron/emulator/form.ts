/**
 * Parser for Stripe's form encoding (application/x-www-form-urlencoded with bracket syntax), as produced by
 * the stripe SDK (`a[b][c]=x`, `a[0]=x`) and by curl users (`a[]=x`).
 *
 * Numeric indices and `[]` produce {@link FormArray} markers (plain objects keyed "0", "1", … are NOT produced),
 * but the raw keys are kept so that `metadata[0]=x` can still be read back as a map by the parameter validator.
 */

export type FormValue = string | FormObject | FormArray;
export interface FormObject {
  [key: string]: FormValue;
}
/** An array built from `a[]=x` / `a[0]=x`. `keys` holds the original index keys, in order. */
export class FormArray {
  readonly items: FormValue[] = [];
  readonly keys: string[] = [];
}

export class FormParseError extends Error {}

function decode(s: string): string {
  const plus = s.includes('+') ? s.replace(/\+/g, ' ') : s;
  try {
    return plus.includes('%') ? decodeURIComponent(plus) : plus;
  } catch {
    throw new FormParseError(`Invalid URL encoding: ${s}`);
  }
}

/** Splits `a[b][]` into ['a', 'b', '']. */
export function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const parts = [key.slice(0, open)];
  let i = open;
  while (i < key.length) {
    if (key[i] !== '[') throw new FormParseError(`Invalid parameter name: ${key}`);
    const close = key.indexOf(']', i);
    if (close < 0) throw new FormParseError(`Invalid parameter name: ${key}`);
    parts.push(key.slice(i + 1, close));
    i = close + 1;
  }
  return parts;
}

const INDEX = /^\d+$/;

function setPath(root: FormObject, parts: string[], value: string, rawKey: string): void {
  let container: FormObject | FormArray = root;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const last = i === parts.length - 1;
    const nextPart = parts[i + 1];
    const wantArray = nextPart !== undefined && (nextPart === '' || INDEX.test(nextPart));
    if (container instanceof FormArray) {
      let idx: number;
      if (part === '') {
        // `a[]=x` appends; `a[][b]=x` appends a new object unless the last object lacks b (qs semantics).
        const lastItem = container.items[container.items.length - 1];
        if (
          !last &&
          lastItem !== undefined &&
          typeof lastItem === 'object' &&
          !(lastItem instanceof FormArray) &&
          nextPart !== undefined &&
          !(nextPart in lastItem)
        ) {
          idx = container.items.length - 1;
        } else {
          idx = container.items.length;
          container.keys.push(String(idx));
          container.items.push(last ? value : wantArray ? new FormArray() : {});
          if (last) return;
        }
      } else {
        idx = container.keys.indexOf(part);
        if (idx < 0) {
          idx = container.items.length;
          container.keys.push(part);
          container.items.push(last ? value : wantArray ? new FormArray() : {});
          if (last) return;
        } else if (last) {
          container.items[idx] = value;
          return;
        }
      }
      const existing: FormValue | undefined = container.items[idx];
      if (existing === undefined || typeof existing === 'string') {
        throw new FormParseError(`Invalid parameter: ${rawKey}`);
      }
      container = existing;
      continue;
    }
    if (last) {
      container[part] = value;
      return;
    }
    const existing: FormValue | undefined = container[part];
    if (existing === undefined || typeof existing === 'string') {
      const created: FormObject | FormArray = wantArray ? new FormArray() : {};
      container[part] = created;
      container = created;
    } else if (existing instanceof FormArray || !wantArray) {
      container = existing;
    } else {
      // Mixed usage (`a[x]=1&a[0]=2`): keep it an object.
      container = existing;
    }
  }
}

/** Parses a form-encoded body or query string. Later duplicates of a plain key win. */
export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  if (!body) return root;
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    if (!rawKey) continue;
    setPath(root, splitKey(rawKey), value, rawKey);
  }
  return root;
}

/** Converts parsed form data to plain JSON (arrays for FormArray) — used for idempotency comparison and tests. */
export function formToPlain(v: FormValue): unknown {
  if (typeof v === 'string') return v;
  if (v instanceof FormArray) return v.items.map(formToPlain);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = formToPlain(v[k] as FormValue);
  return out;
}
