// One simulated shop day, and what must hold after it, checked against Stripe itself (through the SDK, as the
// Dashboard would read it), never against a station's own copy. A run is a fast-check property over the setup
// (how many stations, their clock skews) and the commands; a failure names its seed and path, and
// SIM_SEED / SIM_PATH replay it (see runSim).
import fc from 'fast-check';
import type Stripe from 'stripe';
import { simCommands, SIM_PRODUCTS, type Action, type FaultName, type SimOptions } from './sim-commands';
import { possibleCounts, type SimModel } from './sim-model';
import {
  collectAlerts,
  freshStation,
  MANAGER,
  shopView,
  startWorld,
  type World,
  type ShopView,
} from './sim-world';

export const INVARIANTS = [
  'charged-twice', // an order has more than one PaymentIntent that took money
  'over-charged', // an order took more than its total
  'released-charged', // a hold the shop released, charged after all
  'cancelled-charged', // a cancelled order still holds money
  'shipped-and-cancelled', // shipped and cancelled with no alert to managers
  'stock-movements', // a product's count differs from the sum of its movements
  'diverged', // two stations (or a rebuilt one) show a different shop
  'note-lost', // a note the shop wrote is not on its order
  'captured-differs', // Stripe captured another amount than the shop believes it did
  'number-taken-twice', // two stations gave the same order number
  'lines-differ-from-charge', // an order's lines (what the packer sends) add up to other than what was charged
  'metadata-limits', // an object's metadata beyond Stripe's limits (50 keys, 40-char keys, 500-char values)
  'action-threw', // a screen's call failed in a way no screen handles (an exception, not an error result)
] as const;
export type Invariant = (typeof INVARIANTS)[number];

export interface Violation {
  invariant: Invariant;
  detail: string;
}

export class SimViolations extends Error {
  constructor(
    readonly violations: Violation[],
    readonly trace: string[],
  ) {
    super(
      `${violations.length} violation(s):\n` +
        violations.map((v) => `  [${v.invariant}] ${v.detail}`).join('\n') +
        `\n-- what happened --\n${trace.join('\n')}`,
    );
  }
}

/** Which order a PaymentIntent belongs to: its number (and station), or the first PaymentIntent it continues. */
function orderKeys(pis: Stripe.PaymentIntent[]): Map<string, string> {
  const own = new Map(
    pis.map((p) => [
      p.id,
      p.metadata.mc_order ? `${p.metadata.mc_station ?? ''}|${p.metadata.mc_order}` : p.id,
    ]),
  );
  return new Map(
    pis.map((p) => [p.id, (p.metadata.mc_root && own.get(p.metadata.mc_root)) || own.get(p.id)!]),
  );
}

async function all<T>(list: Stripe.ApiListPromise<T>): Promise<T[]> {
  return list.autoPagingToArray({ limit: 10_000 });
}

function metadataProblems(kind: string, id: string, md: Stripe.Metadata | null | undefined): string[] {
  if (!md) return [];
  const keys = Object.keys(md);
  const out: string[] = [];
  if (keys.length > 50) out.push(`${kind} ${id} has ${keys.length} metadata keys`);
  for (const k of keys) {
    if (k.length > 40) out.push(`${kind} ${id}: key ${k} is ${k.length} characters`);
    if ((md[k] ?? '').length > 500) out.push(`${kind} ${id}: ${k} is ${md[k]!.length} characters`);
  }
  return out;
}

/** The first place two views differ, in words. */
function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      const as = new Set(a.map((x) => JSON.stringify(x)));
      const bs = new Set(b.map((x) => JSON.stringify(x)));
      const onlyA = [...as].filter((x) => !bs.has(x));
      const onlyB = [...bs].filter((x) => !as.has(x));
      return `${path}: ${a.length} vs ${b.length} entries; only in the first: ${onlyA.join(' ')}; only in the second: ${onlyB.join(' ')}`;
    }
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${path}.${k}`,
      );
      if (d) return d;
    }
  }
  return `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

/** Every invariant, after the run: Stripe first, then every station and one rebuilt from an empty folder. */
export async function checkInvariants(m: SimModel, w: World): Promise<Violation[]> {
  const v: Violation[] = [];
  const stripe = w.stations[0]!.h.stripe;
  for (const s of w.stations) {
    await s.h.sync();
    await s.h.sync();
  }
  collectAlerts(w);

  // Money, as Stripe has it.
  const pis = await all(stripe.paymentIntents.list({ limit: 100 }));
  const charges = await all(stripe.charges.list({ limit: 100 }));
  const chargesOf = new Map<string, Stripe.Charge[]>();
  for (const c of charges) {
    const pi = typeof c.payment_intent === 'string' ? c.payment_intent : c.payment_intent?.id;
    if (pi) chargesOf.set(pi, [...(chargesOf.get(pi) ?? []), c]);
  }
  // Money given back, from Stripe's Refunds (a charge's amount_refunded also counts what a release or a
  // partial capture left uncaptured); a failed or canceled refund gave nothing back.
  const refundedOf = new Map<string, number>();
  for (const r of await all(stripe.refunds.list({ limit: 100 }))) {
    const ch = typeof r.charge === 'string' ? r.charge : r.charge?.id;
    if (ch && r.status !== 'failed' && r.status !== 'canceled')
      refundedOf.set(ch, (refundedOf.get(ch) ?? 0) + r.amount);
  }
  const groups = new Map<string, Stripe.PaymentIntent[]>();
  const keys = orderKeys(pis);
  for (const pi of pis) {
    const k = keys.get(pi.id)!;
    groups.set(k, [...(groups.get(k) ?? []), pi]);
  }
  const numberOf = (group: Stripe.PaymentIntent[]) =>
    group.find((p) => p.metadata.mc_order)?.metadata.mc_order ?? null;
  for (const [key, group] of groups) {
    const number = numberOf(group);
    if (process.env.SIM_DEBUG)
      w.trace.push(
        `  stripe ${key}: ${group.map((p) => `${p.id} ${p.status} ${p.amount_received}/${p.amount} root=${p.metadata.mc_root ?? '-'}`).join('; ')}`,
      );
    const o =
      m.orders.find((x) => group.some((p) => p.id === x.pi)) ??
      m.orders.find((x) => number !== null && x.number === number);
    const took = group.filter((p) => p.amount_received > 0);
    if (process.env.SIM_DEBUG)
      w.trace.push(`  model ${number}: ${o ? `${o.state} captured ${o.captured}` : 'none'}`);
    const received = took.reduce((s, p) => s + p.amount_received, 0);
    const refunded = group
      .flatMap((p) => chargesOf.get(p.id) ?? [])
      .reduce((s, c) => s + (refundedOf.get(c.id) ?? 0), 0);
    if (took.length > 1)
      v.push({
        invariant: 'charged-twice',
        detail: `order ${number ?? key}: ${took.map((p) => `${p.id} took ${p.amount_received}`).join(', ')}`,
      });
    const total = o?.total ?? Math.max(...group.map((p) => p.amount));
    if (received > total)
      v.push({
        invariant: 'over-charged',
        detail: `order ${number ?? key}: took ${received} of a ${total} order`,
      });
    if (process.env.SIM_DEBUG) {
      w.trace.push(`  received ${received} refunded ${refunded} state ${o?.state}`);
      for (const c of group.flatMap((p) => chargesOf.get(p.id) ?? []))
        w.trace.push(
          `    charge ${c.id} captured ${c.amount_captured} refunds ${refundedOf.get(c.id) ?? 0} md ${JSON.stringify(c.metadata)}`,
        );
    }
    if (o?.state === 'released' && received - refunded > 0)
      v.push({
        invariant: 'released-charged',
        detail: `order ${number}: released, yet ${received - refunded} is charged (${took.map((p) => p.id).join(', ')})`,
      });
    if (o?.state === 'cancelled' && received - refunded > 0)
      v.push({
        invariant: 'cancelled-charged',
        detail: `order ${number}: cancelled, yet ${received - refunded} is kept`,
      });
    if (o && o.state !== 'unknown' && received !== o.captured)
      v.push({
        invariant: 'captured-differs',
        detail: `order ${number}: the shop believes ${o.captured} was captured (${o.state}), Stripe took ${received}`,
      });
    for (const p of group) {
      for (const c of chargesOf.get(p.id) ?? []) {
        const shipped = !!c.metadata?.mc_shipped;
        // Cancelled as one action (a full refund after a return, on a shipped order, is a manager's choice).
        const cancelled = Object.keys(c.metadata ?? {}).some(
          (k) => k === 'mc_cancel' || k.startsWith('mc_cancel_'),
        );
        const alerted = w.alerts.some(
          (a) => (a.payload as { paymentIntentId?: string }).paymentIntentId === p.id,
        );
        if (shipped && cancelled && !alerted)
          v.push({
            invariant: 'shipped-and-cancelled',
            detail: `order ${number}: ${c.id} is shipped and cancelled (refunded ${refundedOf.get(c.id) ?? 0}), and no station raised an alert`,
          });
      }
    }
  }
  const stationsOfNumber = new Map<string, Set<string>>();
  for (const pi of pis) {
    const n = pi.metadata.mc_order;
    if (n) stationsOfNumber.set(n, (stationsOfNumber.get(n) ?? new Set()).add(pi.metadata.mc_station ?? ''));
  }
  for (const [n, st] of stationsOfNumber)
    if (st.size > 1)
      v.push({
        invariant: 'number-taken-twice',
        detail: `order number ${n} was given by ${st.size} stations`,
      });
  for (const pi of pis)
    for (const p of metadataProblems('PaymentIntent', pi.id, pi.metadata))
      v.push({ invariant: 'metadata-limits', detail: p });
  for (const c of charges)
    for (const p of metadataProblems('charge', c.id, c.metadata))
      v.push({ invariant: 'metadata-limits', detail: p });
  for (const pr of await all(stripe.products.list({ limit: 100 })))
    for (const p of metadataProblems('product', pr.id, pr.metadata))
      v.push({ invariant: 'metadata-limits', detail: p });
  for (const cu of await all(stripe.customers.list({ limit: 100 })))
    for (const p of metadataProblems('customer', cu.id, cu.metadata))
      v.push({ invariant: 'metadata-limits', detail: p });

  // What a station set up now, from Stripe alone, shows — and every station after its sync.
  const fresh = await freshStation(w);
  let reference: ShopView;
  try {
    reference = await shopView(fresh.h);
  } finally {
    await fresh.h.close();
  }
  for (const s of w.stations) {
    const view = await shopView(s.h);
    // Each screen on its own, so that one difference does not hide another.
    for (const part of ['orders', 'holds', 'waiting', 'products'] as const) {
      const d = firstDifference(reference[part], view[part], part);
      if (d)
        v.push({ invariant: 'diverged', detail: `a rebuilt station (first) vs ${s.name} (second): ${d}` });
    }
  }
  // What the packer sends is what was charged: the lines of a charged order add up to its capture.
  for (const o of reference.orders) {
    if (o.ledger.captured === 0 || o.paymentState === 'canceled') continue;
    const lines = o.lines.reduce((s, l) => s + l.quantity * l.unitAmount, 0);
    if (lines !== o.ledger.captured)
      v.push({
        invariant: 'lines-differ-from-charge',
        detail: `order ${o.number}: its lines come to ${lines}, ${o.ledger.captured} was captured`,
      });
  }
  for (const p of m.products) {
    const shown = reference.products.find((x) => x.sku === p.sku && x.active);
    const net = shown ? shown.onHand : NaN;
    const may = possibleCounts(p);
    if (!may.includes(net))
      v.push({
        invariant: 'stock-movements',
        detail: `${p.sku}: ${shown?.onHand} on hand (stock ${shown?.stock}, oversold ${shown?.oversold}), its movements say ${may.join(' or ')}`,
      });
  }
  for (const o of m.orders) {
    if (!o.notes.length) continue;
    const shown = reference.orders.find((x) => x.paymentIntentId === o.pi);
    const texts = new Set(shown?.notes.map((n) => n.text) ?? []);
    const lost = o.notes.filter((t) => !texts.has(t));
    if (lost.length)
      v.push({ invariant: 'note-lost', detail: `order ${o.number}: ${lost.join(', ')} missing` });
  }
  return v;
}

/** What the last run did, one line per step (also when it passed): SIM_TRACE=1 prints it. */
export let lastTrace: string[] = [];

export interface RunOptions extends SimOptions {
  /** Commands per run at most. */
  size: number;
  /** Fixed number of stations (2–4); generated when absent. */
  stations?: number;
}

/** The property: a shop set up, a day of commands, the invariants. Throws SimViolations. */
export function simProperty(o: RunOptions) {
  const setup = fc.record({
    stations: o.stations ? fc.constant(o.stations) : fc.integer({ min: 2, max: 4 }),
    skewsMs: o.faults.has('skew')
      ? fc.array(fc.integer({ min: -10 * 60_000, max: 10 * 60_000 }), { minLength: 4, maxLength: 4 })
      : fc.constant<number[]>([0, 0, 0, 0]),
  });
  return fc.asyncProperty(setup, simCommands(o, o.size), async (s, cmds) => {
    const w = await startWorld(s);
    try {
      const m: SimModel = {
        stations: w.stations.map((x) => ({ offline: false, skewMs: x.skewMs })),
        products: [],
        orders: [],
        pendingFault: null,
        clockSeconds: 0,
        stepSeconds: 2,
        stillFor: 0,
        noteSeq: 0,
      };
      w.trace.push(
        `setup: ${s.stations} stations, skews ${w.stations.map((x) => `${x.skewMs} ms`).join(', ')}`,
      );
      const a = w.stations[0]!.h;
      for (const p of SIM_PRODUCTS) {
        const saved = await a.call(
          'products:save',
          {
            sku: p.sku,
            name: p.name,
            unitAmount: p.unitAmount,
            currency: 'usd',
            stock: p.stock,
            active: true,
          },
          MANAGER,
        );
        m.products.push({
          sku: p.sku,
          id: saved.id,
          name: p.name,
          unitAmount: p.unitAmount,
          expected: p.stock,
          maybe: [],
        });
      }
      w.emulator.advanceClock(1);
      m.clockSeconds += 1;
      for (const x of w.stations) await x.h.sync();
      let threw: unknown = null;
      try {
        await fc.asyncModelRun(() => ({ model: m, real: w }), cmds);
      } catch (e) {
        threw = e;
      }
      const v: Violation[] = threw
        ? [
            {
              invariant: 'action-threw' as const,
              detail: String((threw as Error).stack ?? threw)
                .split('\n')
                .slice(0, 4)
                .join(' | '),
            },
          ]
        : [];
      v.push(...(await checkInvariants(m, w)));
      lastTrace = w.trace;
      if (v.length) throw new SimViolations(v, w.trace);
    } finally {
      await w.close();
    }
  });
}

export interface SimResult {
  seed: number;
  ok: boolean;
  /** fast-check's path of the failing case (with the seed, replays it). */
  path: string | null;
  violations: Violation[];
  commands: string | null;
  message: string | null;
}

/**
 * One seed's run (numRuns 1). Set `shrink` to let fast-check look for a smaller failing case (slow: every step
 * is a whole shop). Replays: the same seed and path run the same commands.
 */
export async function runSim(
  o: RunOptions & { seed: number; path?: string; shrink?: boolean },
): Promise<SimResult> {
  const details = await fc.check(simProperty(o), {
    seed: o.seed,
    numRuns: 1,
    endOnFailure: !o.shrink,
    ...(o.path ? { path: o.path } : {}),
  });
  if (!details.failed)
    return { seed: o.seed, ok: true, path: null, violations: [], commands: null, message: null };
  const err = details.errorInstance;
  const violations =
    err instanceof SimViolations
      ? err.violations
      : [
          {
            invariant: 'action-threw' as const,
            detail: String((err as Error)?.stack ?? err)
              .split('\n')
              .slice(0, 4)
              .join(' | '),
          },
        ];
  return {
    seed: o.seed,
    ok: false,
    path: details.counterexamplePath,
    violations,
    commands: details.counterexample ? String(details.counterexample[1]) : null,
    message: err instanceof Error ? err.message : String(err),
  };
}

export function parseSet<T extends string>(
  text: string | undefined,
  all: readonly T[],
  fallback: readonly T[],
): Set<T> {
  if (!text) return new Set(fallback);
  if (text === 'all') return new Set(all);
  if (text === 'none') return new Set();
  const want = text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  for (const x of want)
    if (!all.includes(x as T)) throw new Error(`unknown: ${x} (one of ${all.join(', ')})`);
  return new Set(want as T[]);
}
export type { Action, FaultName };
