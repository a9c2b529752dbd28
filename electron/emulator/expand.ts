/**
 * `expand[]` (docs.stripe.com/expand): a field holding an object's id is replaced by the object, on a deep copy.
 * Only the fields the SDK types as expandable (`string | Object`) may be expanded; anything else is 400
 * "This property cannot be expanded". Paths go through nested objects and lists (`latest_charge.customer`).
 */
import { invalidRequest } from './errors';
import { clone } from './state';
import type { Stored } from './state';

/** Expandable fields per `object`, relative to that object (from the stripe SDK 23.1.0 types). */
const EXPANDABLE: Record<string, ReadonlySet<string>> = {
  payment_intent: new Set([
    'application',
    'customer',
    'latest_charge',
    'on_behalf_of',
    'payment_method',
    'payment_record',
    'review',
    'source',
  ]),
  charge: new Set([
    'application',
    'application_fee',
    'balance_transaction',
    'customer',
    'failure_balance_transaction',
    'on_behalf_of',
    'payment_intent',
    'review',
    'source_transfer',
    'transfer',
  ]),
  refund: new Set([
    'balance_transaction',
    'charge',
    'customer',
    'failure_balance_transaction',
    'payment_intent',
    'payment_method',
    'source_transfer_reversal',
    'transfer_reversal',
  ]),
  customer: new Set(['default_source', 'test_clock', 'invoice_settings.default_payment_method']),
  payment_method: new Set(['customer']),
  setup_intent: new Set([
    'application',
    'customer',
    'latest_attempt',
    'mandate',
    'on_behalf_of',
    'payment_method',
    'single_use_mandate',
  ]),
  product: new Set(['default_price', 'tax_code']),
  price: new Set(['product']),
  dispute: new Set(['charge', 'payment_intent']),
  'radar.early_fraud_warning': new Set(['charge', 'payment_intent']),
  webhook_endpoint: new Set(),
};

/** What a deleted object expands to (Stripe's `{id, object, deleted: true}`). */
function deletedStub(s: Stored): Record<string, unknown> {
  return { id: s.obj.id, object: (s.obj as { object: string }).object, deleted: true };
}

function cannotExpand(full: string): never {
  throw invalidRequest(`This property cannot be expanded (${full}).`, { param: 'expand' });
}

/** Applies `expand[]` paths to a deep copy of obj; `lookup` finds stored objects by id. */
export function expandObject<T>(
  obj: T,
  paths: readonly string[],
  lookup: (id: string) => Stored | undefined,
): T {
  if (paths.length === 0) return obj;
  const copy = clone(obj) as Record<string, unknown>;
  for (const path of paths) {
    expandPath(copy, path.split('.'), path, String(copy.object ?? ''), '', lookup);
  }
  return copy as T;
}

function expandPath(
  target: Record<string, unknown>,
  parts: string[],
  full: string,
  owner: string,
  rel: string,
  lookup: (id: string) => Stored | undefined,
): void {
  const [head, ...rest] = parts;
  if (head === undefined) return;
  if (!(head in target)) cannotExpand(full);
  const relPath = rel ? `${rel}.${head}` : head;
  let v = target[head];
  const allowed = EXPANDABLE[owner];
  const expandable = allowed ? allowed.has(relPath) : typeof v === 'string' || v === null;
  // The last segment must name an expandable field; so must any segment still holding an id.
  if ((rest.length === 0 || typeof v === 'string') && !expandable) cannotExpand(full);
  if (v === null) return;
  if (typeof v === 'string') {
    const s = lookup(v);
    if (!s) cannotExpand(full);
    v = s.internal.deleted ? deletedStub(s) : clone(s.obj);
    target[head] = v;
  }
  if (rest.length === 0) return;
  const descend = (item: unknown): void => {
    if (!item || typeof item !== 'object') return;
    const o = item as Record<string, unknown>;
    // Entering another Stripe object: its own expandable fields apply from here.
    if (typeof o.object === 'string' && typeof o.id === 'string')
      expandPath(o, rest, full, o.object, '', lookup);
    else expandPath(o, rest, full, owner, relPath, lookup);
  };
  if (Array.isArray(v)) for (const item of v) descend(item);
  else descend(v);
}
