/**
 * Declarative parameter validation for form-encoded requests. Every endpoint declares the parameters it
 * accepts; anything else is 400 `parameter_unknown` (with `param` set to the bracketed name), missing required
 * ones are 400 `parameter_missing`, malformed values 400 `parameter_invalid_integer` etc. All of these are raised
 * before execution, so the idempotency layer does not save them.
 */
import { FormArray, type FormObject, type FormValue } from './form';
import { paramError } from './errors';

export type Spec =
  | 'string'
  | 'nullable_string'
  | 'integer'
  | 'boolean'
  | 'metadata'
  | 'range'
  | 'any'
  | { enum: readonly string[]; nullable?: boolean }
  | { object: SpecMap; nullable?: boolean }
  | { array: Spec };
export interface SpecMap {
  [name: string]: Spec;
}

export type Params = Record<string, unknown>;

const INT = /^-?\d+$/;

function joinName(parent: string, key: string): string {
  return parent ? `${parent}[${key}]` : key;
}

function typeLabel(v: FormValue): string {
  return typeof v === 'string' ? 'string' : v instanceof FormArray ? 'array' : 'hash';
}

/** Stripe's limit of metadata keys on one object. */
export const METADATA_KEYS_MAX = 50;

function convert(spec: Spec, value: FormValue, name: string): unknown {
  if (spec === 'any') return plain(value);
  if (spec === 'metadata') {
    if (typeof value === 'string') {
      if (value === '') return null; // metadata= clears all keys
      throw paramError('parameter_invalid_hash', `Invalid hash`, name);
    }
    const out: Record<string, string> = {};
    const entries: Array<[string, FormValue]> =
      value instanceof FormArray
        ? value.keys.map((k, i) => [k, value.items[i] as FormValue])
        : Object.entries(value);
    for (const [k, v] of entries) {
      if (typeof v !== 'string')
        throw paramError('parameter_invalid_string', `Invalid string`, joinName(name, k));
      if (k.length > 40) {
        throw paramError(
          'parameter_invalid_string',
          `Metadata keys must be at most 40 characters`,
          joinName(name, k),
        );
      }
      if (v.length > 500) {
        throw paramError(
          'parameter_invalid_string',
          `Metadata values must be at most 500 characters`,
          joinName(name, k),
        );
      }
      out[k] = v;
    }
    if (Object.keys(out).length > METADATA_KEYS_MAX)
      throw paramError('parameter_invalid_hash', 'Too many metadata keys', name);
    return out;
  }
  if (spec === 'string' || spec === 'nullable_string') {
    if (typeof value !== 'string') {
      throw paramError('parameter_invalid_string', `Invalid string: ${typeLabel(value)}`, name);
    }
    if (value === '') {
      if (spec === 'nullable_string') return null;
      throw paramError(
        'parameter_invalid_empty',
        `You passed an empty string for '${name}'. We assume empty values are an attempt to unset a parameter; however '${name}' cannot be unset. You should remove '${name}' from your request or supply a non-empty value.`,
        name,
      );
    }
    return value;
  }
  if (spec === 'integer') {
    if (typeof value !== 'string' || !INT.test(value)) {
      throw paramError(
        'parameter_invalid_integer',
        `Invalid integer: ${typeof value === 'string' ? value : typeLabel(value)}`,
        name,
      );
    }
    const n = Number(value);
    if (!Number.isSafeInteger(n))
      throw paramError('parameter_invalid_integer', `Invalid integer: ${value}`, name);
    return n;
  }
  if (spec === 'boolean') {
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw paramError(
      'parameter_invalid_boolean',
      `Invalid boolean: ${typeof value === 'string' ? value : typeLabel(value)}`,
      name,
    );
  }
  if (spec === 'range') {
    if (typeof value === 'string') return convert('integer', value, name);
    return validate(
      { gt: 'integer', gte: 'integer', lt: 'integer', lte: 'integer' },
      asObject(value, name),
      name,
    );
  }
  if ('enum' in spec) {
    if (typeof value !== 'string')
      throw paramError('parameter_invalid_string', `Invalid string: ${typeLabel(value)}`, name);
    if (value === '' && spec.nullable) return null;
    if (!spec.enum.includes(value)) {
      throw paramError(
        'parameter_invalid_string',
        `Invalid ${name}: must be one of ${spec.enum.join(', ')}`,
        name,
      );
    }
    return value;
  }
  if ('object' in spec) {
    if (value === '' && spec.nullable) return null;
    return validate(spec.object, asObject(value, name), name);
  }
  // array
  if (value === '') return [];
  if (!(value instanceof FormArray)) {
    throw paramError('parameter_invalid_array', `Invalid array`, name);
  }
  return value.items.map((item, i) => convert(spec.array, item, `${name}[${i}]`));
}

function asObject(value: FormValue, name: string): FormObject {
  if (typeof value === 'string' || value instanceof FormArray) {
    throw paramError('parameter_invalid_hash', `Invalid hash`, name);
  }
  return value;
}

function plain(v: FormValue): unknown {
  if (typeof v === 'string') return v;
  if (v instanceof FormArray) return v.items.map(plain);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = plain(x);
  return out;
}

/** Validates `input` against `spec`; `required` names top-level parameters that must be present. */
export function validate(
  spec: SpecMap,
  input: FormObject,
  parent = '',
  required: readonly string[] = [],
): Params {
  const out: Params = {};
  for (const key of Object.keys(input)) {
    const s = spec[key];
    const name = joinName(parent, key);
    if (s === undefined) {
      throw paramError('parameter_unknown', `Received unknown parameter: ${name}`, name);
    }
    out[key] = convert(s, input[key] as FormValue, name);
  }
  for (const r of required) {
    if (out[r] === undefined || out[r] === null) {
      const name = joinName(parent, r);
      throw paramError('parameter_missing', `Missing required param: ${name}.`, name);
    }
  }
  return out;
}

/** Common pagination parameters of list endpoints. */
export const LIST_SPEC: SpecMap = {
  limit: 'integer',
  starting_after: 'string',
  ending_before: 'string',
  created: 'range',
  expand: { array: 'string' },
};

/** Metadata as given on create: empty values are dropped. */
export function cleanMetadata(v: unknown): Record<string, string> {
  if (v === undefined || v === null) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Record<string, string>)) if (val !== '') out[k] = val;
  return out;
}

/**
 * Stripe's metadata update: keys are merged, an empty value unsets a key, `metadata=` clears everything. The
 * 50-key limit holds for the object after the merge, not for the request (docs.stripe.com/metadata: "up to 50
 * keys" per object): an update that would leave 51 is refused and changes nothing. [unverified] the exact code
 * and message; the type (invalid_request_error, 400) and param are Stripe's for metadata errors.
 */
export function mergeMetadata(current: Record<string, string>, update: unknown): Record<string, string> {
  if (update === null) return {};
  const out: Record<string, string> = { ...current };
  for (const [k, val] of Object.entries(update as Record<string, string>)) {
    if (val === '') delete out[k];
    else out[k] = val;
  }
  const n = Object.keys(out).length;
  if (n > METADATA_KEYS_MAX)
    throw paramError(
      'parameter_invalid_hash',
      `Metadata can have at most ${METADATA_KEYS_MAX} keys; this update would leave ${n}.`,
      'metadata',
    );
  return out;
}
