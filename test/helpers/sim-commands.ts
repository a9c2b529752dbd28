// The staff's actions and the world's faults, as fast-check commands. Each action is one a user could take
// from a station's screens: it picks its target from what that station lists (its holds, its waiting orders,
// its orders), so a stale station acts on its stale view, as staff would. `check` only asks the model whether
// such a target may exist; `run` acts, then writes into the model what the station answered.
import fc from 'fast-check';
import type { IpcResult } from '../../electron/ipc/errors';
import { MANAGER_PIN, type Harness } from './core-harness';
import {
  giveBack,
  move,
  orderByNumber,
  orderByPi,
  productBySku,
  recount,
  takeInStock,
  takeOnCapture,
  type PendingFault,
  type SimModel,
  type SimOrder,
  type TakeMode,
} from './sim-model';
import { collectAlerts, MANAGER, onHand, STAFF, type World } from './sim-world';

export const ACTIONS = [
  'pay',
  'hold',
  'saveCard',
  'holdAndSave',
  'split',
  'chargeSaved',
  'capture',
  'captureLines',
  'release',
  'cancel',
  'refund',
  'ship',
  'receive',
  'recount',
  'note',
] as const;
export type Action = (typeof ACTIONS)[number];

export const FAULTS = [
  'drop_after_commit',
  'status_500',
  'status_429',
  'kill',
  'offline',
  'lag',
  'clock',
  'skew',
  'same_second',
  'together',
] as const;
export type FaultName = (typeof FAULTS)[number];

type Cmd = fc.AsyncCommand<SimModel, World>;

/** The shop's products: two in stock, two out of stock (their orders wait for a delivery). */
export const SIM_PRODUCTS = [
  { sku: 'SIM-TEA', name: 'Sim tea', unitAmount: 1500, stock: 12 },
  { sku: 'SIM-CUP', name: 'Sim cup', unitAmount: 2500, stock: 4 },
  { sku: 'SIM-POT', name: 'Sim pot', unitAmount: 6400, stock: 0 },
  { sku: 'SIM-KETTLE', name: 'Sim kettle', unitAmount: 8900, stock: 0 },
] as const;
const CUSTOMERS = [
  { name: 'Ada Lovelace', email: 'ada@example.com' },
  { name: 'Grace Hopper', email: 'grace@example.com' },
  { name: 'Alan Turing', email: 'alan@example.com' },
];
const ETA = '2027-03-15';

type Raw = IpcResult<unknown>;
function code(r: Raw): string {
  return r.ok ? 'ok' : r.error.code;
}
function log(w: World, line: string): void {
  w.trace.push(line);
}

/** Call a channel; a call cut short by the station closing under it is an error like any other. */
async function raw(h: Harness, channel: string, input: unknown, client: string): Promise<Raw> {
  try {
    return await h.raw(channel, input, client);
  } catch (e) {
    return { ok: false, error: { code: 'crashed', message: String(e) } } as unknown as Raw;
  }
}

/** The model's count of a product beside the one the acting station shows now (read from its screen). */
async function stockNote(m: SimModel, h: Harness, skus: string[]): Promise<string> {
  const shown = await h.call('catalog:list', { query: 'SIM-', limit: 20 }, MANAGER).catch(() => []);
  return skus
    .map((sku) => {
      const p = shown.find((x) => x.sku === sku);
      return ` [${sku}: model ${productBySku(m, sku).expected}, station ${p ? onHand(p) : '?'} on hand]`;
    })
    .join('');
}

async function clearFaults(w: World): Promise<void> {
  await fetch(`${w.emulator.url}/_emulator/faults`, { method: 'DELETE' });
}

/** A station about to act: it synced a moment ago (its screen refreshes), unless it was away. */
async function station(
  m: SimModel,
  w: World,
  i: number,
): Promise<{ h: Harness; idx: number; stale: boolean }> {
  const idx = i % w.stations.length;
  const h = w.stations[idx]!.h;
  const stale = m.stations[idx]!.offline;
  // Staff take a moment between actions (after the fault 'same_second', a few act within one second of Stripe's).
  if (m.stillFor > 0) m.stillFor--;
  else {
    w.emulator.advanceClock(m.stepSeconds);
    m.clockSeconds += m.stepSeconds;
  }
  if (stale) {
    m.stations[idx]!.offline = false; // back on the network: it acts first, then polls
  } else {
    await h.sync();
  }
  return { h, idx, stale };
}

/**
 * Do the action once with the armed fault (if any), then as the user would: when the answer was lost or the
 * station closed under it, look again (the station polls) and press once more.
 */
async function act(
  m: SimModel,
  w: World,
  idx: number,
  label: string,
  call: () => Promise<Raw>,
): Promise<{ r: Raw; retried: boolean; faulted: boolean }> {
  const armed = m.pendingFault;
  m.pendingFault = null;
  const s = w.stations[idx]!;
  // The fault hits one of the requests this action writes with (the generated pick says which).
  const paths = WRITES[label] ?? ['/v1/'];
  const fault = armed ? { kind: armed.kind, pathPrefix: paths[armed.pick % paths.length]! } : null;
  if (!fault) {
    const r = await call();
    return { r, retried: false, faulted: false };
  }
  if (fault.kind === 'kill') {
    await s.h.fault({ kind: 'delay', count: 1, delay_ms: 400, path_prefix: fault.pathPrefix });
    const pending = call();
    await new Promise((res) => setTimeout(res, 120));
    log(w, `  ! ${s.name} killed mid-${label} (${fault.pathPrefix})`);
    collectAlerts(w);
    await s.h.restart();
    const first = await pending;
    await new Promise((res) => setTimeout(res, 400));
    await clearFaults(w);
    if (first.ok) return { r: first, retried: false, faulted: true };
    await s.h.sync();
    const r = await call();
    return { r, retried: true, faulted: true };
  }
  await s.h.fault({
    kind: fault.kind,
    count: fault.kind === 'status_429' ? 4 : 1,
    path_prefix: fault.pathPrefix,
  });
  const first = await call();
  await clearFaults(w);
  log(w, `  ! ${fault.kind} on ${fault.pathPrefix}: ${code(first)}`);
  if (first.ok) return { r: first, retried: false, faulted: true };
  if (
    ['conflict', 'precondition_failed', 'invalid_input', 'forbidden', 'card_declined'].includes(code(first))
  )
    return { r: first, retried: false, faulted: true };
  await s.h.sync();
  const r = await call();
  return { r, retried: true, faulted: true };
}

/** The requests each action writes with: where a fault armed for it strikes. */
const WRITES: Record<string, string[]> = {
  pay: ['/v1/payment_intents', '/v1/customers', '/v1/setup_intents', '/v1/'],
  capture: ['/v1/payment_intents/'],
  release: ['/v1/payment_intents/'],
  chargeSaved: ['/v1/payment_intents', '/v1/'],
  cancel: ['/v1/refunds', '/v1/products', '/v1/charges/'],
  refund: ['/v1/refunds'],
  ship: ['/v1/charges/'],
  note: ['/v1/charges/'],
  receive: ['/v1/products/'],
  recount: ['/v1/products/', '/v1/prices'],
};

/**
 * After a fault the last press may have failed while an earlier one went through (a station killed after Stripe
 * did it): the user looks again, and the screen (synced) says whether it happened.
 */
async function lookedAgain(
  h: Harness,
  r: Raw,
  faulted: boolean,
  happened: () => Promise<boolean>,
): Promise<boolean> {
  if (r.ok) return true;
  if (!faulted) return false;
  await h.sync();
  return happened().catch(() => false);
}

// -------------------------------------------------------------------------------------------------- taking orders

class TakeOrder implements Cmd {
  constructor(
    readonly mode: TakeMode,
    readonly st: number,
    readonly product: number,
    readonly quantity: number,
    readonly customer: number,
  ) {}
  check(): boolean {
    return true;
  }
  async run(m: SimModel, w: World): Promise<void> {
    const { h, idx, stale } = await station(m, w, this.st);
    // Pay: a product in stock; the waitlist ways: one out of stock (its orders wait for a delivery).
    const pool = this.mode === 'pay' ? [0, 1] : [2, 3];
    const sku = SIM_PRODUCTS[pool[this.product % 2]!]!.sku;
    const p = productBySku(m, sku);
    const cart = (await h.call('carts:create', { currency: 'usd' }, STAFF)) as { id: string };
    const updated = await h.call(
      'carts:update',
      {
        cartId: cart.id,
        customer: CUSTOMERS[this.customer % CUSTOMERS.length]!,
        lines: [{ productId: p.id, quantity: this.quantity }],
      },
      STAFF,
    );
    let mode = this.mode;
    // What the screen offers: a cart the station sees in stock is simply paid.
    if (!updated.waitlist) mode = 'pay';
    let input: Record<string, unknown> = { cartId: cart.id, paymentMethod: 'pm_card_visa' };
    if (mode === 'save' || mode === 'hold_save') {
      const o = await h.call('waitlist:options', { cartId: cart.id, expectedArrival: ETA }, STAFF);
      input =
        mode === 'save'
          ? { ...input, waitlist: 'save_card', consentText: o.terms.saveCard, expectedArrival: ETA }
          : {
              ...input,
              waitlist: 'hold',
              saveCard: true,
              consentText: o.terms.holdAndSave,
              expectedArrival: ETA,
            };
    }
    const order = simOrder(idx, cart.id, mode, { ...updated, paymentIntentId: null, orderNumber: null });
    let { r } = await act(m, w, idx, 'pay', () => raw(h, 'payments:pay', input, STAFF));
    if (!r.ok && r.error.code === 'pending_confirmation') {
      await h.sync();
      r = await raw(h, 'payments:refresh', { cartId: cart.id }, STAFF);
    }
    const c = (r.ok ? r.value : await h.call('carts:get', { cartId: cart.id }, STAFF).catch(() => null)) as {
      phase: string;
      paymentIntentId: string | null;
      orderNumber: string | null;
      total: number;
    } | null;
    order.pi = c?.paymentIntentId ?? null;
    order.number = c?.orderNumber ?? null;
    const phase = c?.phase ?? 'unknown';
    settleTaken(m, order, phase);
    if (order.pi) m.orders.push(order);
    log(
      w,
      `${w.stations[idx]!.name}${stale ? ' (stale)' : ''}: ${this.mode} ${this.quantity} × ${sku} → ${phase} ${order.number ?? ''} ${code(r)}${await stockNote(m, h, [sku])}`,
    );
  }
  toString(): string {
    return `take(${this.mode}, st${this.st}, p${this.product}, q${this.quantity}, c${this.customer})`;
  }
}

/** What a cart's phase says of its order, in the shop's book: paid, held, waiting on its card, or unknown. */
function settleTaken(m: SimModel, order: SimOrder, phase: string): void {
  if (phase === 'succeeded') {
    order.state = 'paid';
    order.captured = order.total;
    takeInStock(m, order);
  } else if (phase === 'on_hold') {
    order.state = 'held';
    takeInStock(m, order);
  } else if (phase === 'card_saved') {
    order.state = 'waiting';
  } else {
    // Not learnt (still pending after a look and a second press): the sale may have happened or not.
    order.state = 'unknown';
    for (const l of order.lines) if (!l.waitlist) move(m, l.sku, -l.quantity, false);
  }
}

interface CartSeen {
  phase: string;
  paymentIntentId: string | null;
  orderNumber: string | null;
  total: number;
  lines: { sku: string; quantity: number; unitAmount: number; waitlist: boolean }[];
}

function simOrder(idx: number, cartId: string, mode: TakeMode, c: CartSeen): SimOrder {
  return {
    station: idx,
    cartId,
    number: c.orderNumber,
    pi: c.paymentIntentId,
    mode,
    lines: c.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      unitAmount: l.unitAmount,
      waitlist: l.waitlist,
    })),
    total: c.total,
    state: 'unknown',
    captured: 0,
    refunded: 0,
    shipped: false,
    notes: [],
    taken: {},
  };
}

/**
 * More asked than the station sees available, answered "N now, M waiting" (issue 23 item 13): the units in stock
 * are one order, charged now; the rest a second one, held (or its card saved) with the same card right after.
 */
class SplitOrder implements Cmd {
  constructor(
    readonly st: number,
    readonly product: number,
    readonly more: number,
    readonly customer: number,
    readonly save: boolean,
  ) {}
  check(): boolean {
    return true;
  }
  async run(m: SimModel, w: World): Promise<void> {
    const { h, idx, stale } = await station(m, w, this.st);
    const sku = SIM_PRODUCTS[this.product % 2]!.sku;
    const p = productBySku(m, sku);
    const seen = (await h.call('products:search', { query: sku, limit: 5 }, STAFF)).find(
      (x) => x.sku === sku,
    );
    const available = seen?.stock ?? 0;
    if (available < 1 || available + this.more > 999) {
      log(w, `${w.stations[idx]!.name}: split ${sku} skipped (${available} available)`);
      return;
    }
    const cart = (await h.call('carts:create', { currency: 'usd' }, STAFF)) as { id: string };
    await h.call(
      'carts:update',
      {
        cartId: cart.id,
        customer: CUSTOMERS[this.customer % CUSTOMERS.length]!,
        lines: [{ productId: p.id, quantity: 1 }],
      },
      STAFF,
    );
    const split = await raw(
      h,
      'carts:splitWaiting',
      { cartId: cart.id, productId: p.id, quantity: available + this.more },
      STAFF,
    );
    const asked = split.ok
      ? (split.value as CartSeen & {
          waitlist: boolean;
          waitingPart: { cartId: string; total: number } | null;
        })
      : null;
    if (!asked?.waitingPart || asked.waitlist) {
      log(w, `${w.stations[idx]!.name}: split ${sku} not made ${code(split)}`);
      return;
    }
    const partId = asked.waitingPart.cartId;
    let input: Record<string, unknown> = {
      cartId: cart.id,
      paymentMethod: 'pm_card_visa',
      expectedTotal: asked.total,
      expectedWaitingTotal: asked.waitingPart.total,
    };
    if (this.save) {
      const o = await h.call('waitlist:options', { cartId: partId, expectedArrival: ETA }, STAFF);
      input = { ...input, waitlist: 'save_card', consentText: o.terms.saveCard, expectedArrival: ETA };
    }
    let { r } = await act(m, w, idx, 'pay', () => raw(h, 'payments:pay', input, STAFF));
    if (!r.ok && r.error.code === 'pending_confirmation') {
      await h.sync();
      r = await raw(h, 'payments:refresh', { cartId: cart.id }, STAFF);
    }
    const first = (await h
      .call('carts:get', { cartId: cart.id }, STAFF)
      .catch(() => null)) as CartSeen | null;
    const part = (await h.call('carts:get', { cartId: partId }, STAFF).catch(() => null)) as CartSeen | null;
    const phases: string[] = [];
    for (const [c, id, mode] of [
      [first, cart.id, 'pay'],
      [part, partId, this.save ? 'save' : 'hold'],
    ] as const) {
      phases.push(c?.phase ?? 'unknown');
      if (!c?.paymentIntentId) continue;
      const order = simOrder(idx, id, mode, c);
      settleTaken(m, order, c.phase);
      m.orders.push(order);
    }
    log(
      w,
      `${w.stations[idx]!.name}${stale ? ' (stale)' : ''}: split ${available}+${this.more} × ${sku} → ${phases.join(' / ')} ${first?.orderNumber ?? ''}/${part?.orderNumber ?? ''} ${code(r)}${await stockNote(m, h, [sku])}`,
    );
  }
  toString(): string {
    return `split(st${this.st}, p${this.product}, +${this.more}, c${this.customer}${this.save ? ', save' : ''})`;
  }
}

// -------------------------------------------------------------------------------------------------- holds

class CaptureHold implements Cmd {
  constructor(
    readonly st: number,
    readonly pick: number,
    readonly byLines: boolean,
  ) {}
  check(m: Readonly<SimModel>): boolean {
    return m.orders.some((o) => o.state === 'held' || o.mode === 'hold' || o.mode === 'hold_save');
  }
  async run(m: SimModel, w: World): Promise<void> {
    const { h, idx, stale } = await station(m, w, this.st);
    const holds = (await h.call('holds:list', { include: 'open' }, MANAGER)).filter(
      (x) => x.status === 'authorized',
    );
    const name = `${w.stations[idx]!.name}${stale ? ' (stale)' : ''}`;
    if (holds.length === 0) return log(w, `${name}: capture — no hold listed`);
    const hold = holds[this.pick % holds.length]!;
    // The manager captures what the shelf covers: every line, or (by lines) one unit fewer of the first.
    // (What is on the shelf: the units are promised to this hold, among others.)
    const products = await h.call('catalog:list', { query: 'SIM-', limit: 20 }, MANAGER);
    const stockOf = (sku: string) => {
      const p = products.find((x) => x.sku === sku);
      return p ? onHand(p) : 0;
    };
    let lines: { sku: string; quantity: number }[] | undefined;
    if (this.byLines) {
      const first = hold.items[0]!;
      if (first.quantity < 2 && hold.items.length < 2)
        return log(w, `${name}: capture by lines — ${hold.orderNumber} has one unit`);
      lines = hold.items.map((it, i) => ({ sku: it.sku, quantity: i === 0 ? it.quantity - 1 : it.quantity }));
    }
    const want = lines ?? hold.items.map((it) => ({ sku: it.sku, quantity: it.quantity }));
    const short = hold.items.filter(
      (it) => it.waitlist && stockOf(it.sku) < (want.find((l) => l.sku === it.sku)?.quantity ?? 0),
    );
    if (short.length > 0) return log(w, `${name}: capture — ${hold.orderNumber} not covered by stock`);
    const amount = lines
      ? lines.reduce((s, l) => s + l.quantity * hold.items.find((i) => i.sku === l.sku)!.unitAmount, 0)
      : hold.amountCapturable;
    const input = {
      paymentIntentId: hold.paymentIntentId,
      amount,
      version: hold.version,
      pin: MANAGER_PIN,
      ...(lines ? { lines } : {}),
    };
    const { r, faulted } = await act(m, w, idx, 'capture', () => raw(h, 'holds:capture', input, MANAGER));
    const o = orderByPi(m, hold.paymentIntentId) ?? orderByNumber(m, hold.orderNumber);
    const done = await lookedAgain(h, r, faulted, async () => {
      const x = (await h.call('holds:list', { include: 'all' }, MANAGER)).find(
        (y) => y.paymentIntentId === hold.paymentIntentId,
      );
      return x?.status === 'captured' || x?.status === 'partially_captured';
    });
    if (done && o) {
      // Captured at Stripe while the shop believed it released: the state stays, for the invariants to judge.
      if (o.state === 'held' || o.state === 'unknown') o.state = 'captured';
      o.captured += amount;
      takeOnCapture(m, o, lines ?? null);
    }
    log(
      w,
      `${name}: capture${lines ? ' by lines' : ''} ${hold.orderNumber} ${amount} → ${code(r)}${await stockNote(
        m,
        h,
        hold.items.map((i) => i.sku),
      )}`,
    );
  }
  toString(): string {
    return `capture(st${this.st}, #${this.pick}${this.byLines ? ', by lines' : ''})`;
  }
}

class ReleaseHold implements Cmd {
  constructor(
    readonly st: number,
    readonly pick: number,
  ) {}
  check(m: Readonly<SimModel>): boolean {
    return m.orders.some((o) => o.mode === 'hold' || o.mode === 'hold_save');
  }
  async run(m: SimModel, w: World): Promise<void> {
    const { h, idx, stale } = await station(m, w, this.st);
    const name = `${w.stations[idx]!.name}${stale ? ' (stale)' : ''}`;
    const holds = (await h.call('holds:list', { include: 'open' }, MANAGER)).filter(
      (x) => x.status === 'authorized',
    );
    if (holds.length === 0) return log(w, `${name}: release — no hold listed`);
    const hold = holds[this.pick % holds.length]!;
    const input = { paymentIntentId: hold.paymentIntentId, version: hold.version, pin: MANAGER_PIN };
    const { r, faulted } = await act(m, w, idx, 'release', () => raw(h, 'holds:release', input, MANAGER));
    const o = orderByPi(m, hold.paymentIntentId) ?? orderByNumber(m, hold.orderNumber);
    const done = await lookedAgain(h, r, faulted, async () => {
      const x = (await h.call('holds:list', { include: 'all' }, MANAGER)).find(
        (y) => y.paymentIntentId === hold.paymentIntentId,
      );
      return x?.status === 'released';
    });
    if (done && o && (o.state === 'held' || o.state === 'unknown')) {
      o.state = 'released';
      giveBack(m, o);
    }
    log(
      w,
      `${name}: release ${hold.orderNumber} → ${code(r)}${await stockNote(
        m,
        h,
        hold.items.map((i) => i.sku),
      )}`,
    );
  }
  toString(): string {
    return `release(st${this.st}, #${this.pick})`;
  }
}

class ChargeSaved implements Cmd {
  constructor(
    readonly st: number,
    readonly pick: number,
  ) {}
  check(m: Readonly<SimModel>): boolean {
    return m.orders.some((o) => o.mode === 'save' || o.mode === 'hold_save');
  }
  async run(m: SimModel, w: World): Promise<void> {
    const { h, idx, stale } = await station(m, w, this.st);
    const name = `${w.stations[idx]!.name}${stale ? ' (stale)' : ''}`;
    const waiting = (await h.call('waitlist:list', {}, MANAGER)).filter(
      (x) => x.state === 'waiting' && x.stockArrived,
    );
    if (waiting.length === 0) return log(w, `${name}: charge saved — none listed with its stock in`);
    const wo = waiting[this.pick % waiting.length]!;
    const input = { cartId: wo.cartId, pin: MANAGER_PIN };
    const { r, faulted } = await act(m, w, idx, 'chargeSaved', () =>
      raw(h, 'waitlist:chargeSaved', input, MANAGER),
    );
    const o = orderByPi(m, wo.paymentIntentId) ?? orderByNumber(m, wo.orderNumber);
    const after = r.ok ? (r.value as { state: string }) : null;
    const paid =
      after?.state === 'paid' ||
      (!r.ok &&
        (await lookedAgain(h, r, faulted, async () => {
          const { rows } = await h.call('orders:list', { limit: 500 }, MANAGER);
          return rows.some((x) => x.number === wo.orderNumber && x.amountCaptured > 0);
        })));
    if (paid && o) {
      // Charged while the shop believed it released: the state stays, for the invariants to judge.
      if (o.state === 'waiting' || o.state === 'expired' || o.state === 'unknown') o.state = 'captured';
      o.captured += wo.amount;
      takeOnCapture(m, o, null);
    }
    log(
      w,
      `${name}: charge saved ${wo.orderNumber} ${wo.amount} → ${code(r)} ${after?.state ?? ''}${await stockNote(
        m,
        h,
        wo.items.map((i) => i.sku),
      )}`,
    );
  }
  toString(): string {
    return `chargeSaved(st${this.st}, #${this.pick})`;
  }
}

// -------------------------------------------------------------------------------------------------- orders

async function pickOrder(
  h: Harness,
  pick: number,
  want: (row: { paymentState: string; cancelled?: boolean; status: string }) => boolean,
) {
  const { rows } = await h.call('orders:list', { limit: 500 }, MANAGER);
  const ok = rows.filter(want).sort((a, b) => a.number.localeCompare(b.number));
  return ok.length ? ok[pick % ok.length]! : null;
}

class CancelOrder implements Cmd {
  constructor(
    readonly st: number,
    readonly pick: number,
  ) {}
  check(m: Readonly<SimModel>): boolean {
    return m.orders.some((o) => o.captured > 0);
  }
  async run(m: SimModel, w: World): Promise<void> {
    const { h, idx, stale } = await station(m, w, this.st);
    const name = `${w.stations[idx]!.name}${stale ? ' (stale)' : ''}`;
    const row = await pickOrder(h, this.pick, (r) => !r.cancelled && r.paymentState !== 'canceled');
    if (!row) return log(w, `${name}: cancel — no order listed`);
    const x = await h.call('orders:extras', { orderId: row.id }, MANAGER);
    if (x.cancelBlocked) return log(w, `${name}: cancel ${row.number} — not offered (${x.cancelBlocked})`);
    const d = await h.call('orders:get', { orderId: row.id }, MANAGER);
    const input = {
      orderId: row.id,
      reason: 'customer_request',
      note: '',
      expectedRefunded: d.ledger.refunded,
      pin: MANAGER_PIN,
    };
    const { r, faulted } = await act(m, w, idx, 'cancel', () => raw(h, 'orders:cancel', input, MANAGER));
    const o = orderByPi(m, row.paymentIntentId) ?? orderByNumber(m, row.number);
    const done = await lookedAgain(
      h,
      r,
      faulted,
      async () => (await h.call('orders:extras', { orderId: row.id }, MANAGER)).cancellation !== null,
    );
    if (done && o && o.state !== 'cancelled') {
      o.state = 'cancelled';
      o.refunded = o.captured;
      giveBack(m, o);
    }
    log(
      w,
      `${name}: cancel ${row.number} → ${code(r)}${await stockNote(m, h, o ? o.lines.map((l) => l.sku) : [])}`,
    );
  }
  toString(): string {
    return `cancel(st${this.st}, #${this.pick})`;
  }
}

class RefundOrder implements Cmd {
  constructor(
    readonly st: number,
    readonly pick: number,
  ) {}
  check(m: Readonly<SimModel>): boolean {
    return m.orders.some((o) => o.captured > 0);
  }
  async run(m: SimModel, w: World): Promise<void> {
    const { h, idx, stale } = await station(m, w, this.st);
    const name = `${w.stations[idx]!.name}${stale ? ' (stale)' : ''}`;
    const row = await pickOrder(
      h,
      this.pick,
      (r) => !r.cancelled && (r.paymentState === 'paid' || r.paymentState === 'partially_refunded'),
    );
    if (!row) return log(w, `${name}: refund — no order listed`);
    const d = await h.call('orders:get', { orderId: row.id }, MANAGER);
    if (d.refundable <= 0) return log(w, `${name}: refund ${row.number} — nothing refundable`);
    const amount = Math.min(d.refundable, 500);
    const input = { orderId: row.id, amount, expectedRefunded: d.ledger.refunded, pin: MANAGER_PIN };
    const { r, faulted } = await act(m, w, idx, 'refund', () => raw(h, 'orders:refund', input, MANAGER));
    const o = orderByPi(m, row.paymentIntentId) ?? orderByNumber(m, row.number);
    const done = await lookedAgain(
      h,
      r,
      faulted,
      async () =>
        (await h.call('orders:get', { orderId: row.id }, MANAGER)).ledger.refunded >=
        d.ledger.refunded + amount,
    );
    if (done && o) o.refunded += amount;
    log(w, `${name}: refund ${row.number} ${amount} → ${code(r)}`);
  }
  toString(): string {
    return `refund(st${this.st}, #${this.pick})`;
  }
}

class ShipOrder implements Cmd {
  constructor(
    readonly st: number,
    readonly pick: number,
  ) {}
  check(m: Readonly<SimModel>): boolean {
    return m.orders.some((o) => o.captured > 0);
  }
  async run(m: SimModel, w: World): Promise<void> {
    const { h, idx, stale } = await station(m, w, this.st);
    const name = `${w.stations[idx]!.name}${stale ? ' (stale)' : ''}`;
    const row = await pickOrder(h, this.pick, (r) => r.status !== 'shipped' && !r.cancelled);
    if (!row) return log(w, `${name}: ship — no order listed`);
    const d = await h.call('orders:get', { orderId: row.id }, STAFF);
    if (!d.canShip) return log(w, `${name}: ship ${row.number} — not offered`);
    const go = async (): Promise<Raw> => {
      if (d.status === 'received') {
        const p = await raw(h, 'orders:advance', { orderIds: [row.id], to: 'processing' }, STAFF);
        if (!p.ok) return p;
      }
      const s = await raw(
        h,
        'orders:advance',
        { orderIds: [row.id], to: 'shipped', carrier: 'UPS', trackingNumber: `T-${row.number}` },
        STAFF,
      );
      if (!s.ok) return s;
      const res = (s.value as { ok: boolean; message: string | null }[])[0]!;
      return res.ok
        ? s
        : ({ ok: false, error: { code: 'refused', message: res.message ?? '' } } as unknown as Raw);
    };
    const { r, faulted } = await act(m, w, idx, 'ship', go);
    const o = orderByPi(m, row.paymentIntentId) ?? orderByNumber(m, row.number);
    const done = await lookedAgain(
      h,
      r,
      faulted,
      async () => (await h.call('orders:get', { orderId: row.id }, STAFF)).status === 'shipped',
    );
    if (done && o) o.shipped = true;
    log(w, `${name}: ship ${row.number} → ${code(r)}${r.ok ? '' : ` ${r.error.message}`}`);
  }
  toString(): string {
    return `ship(st${this.st}, #${this.pick})`;
  }
}

class AddNote implements Cmd {
  constructor(
    readonly st: number,
    readonly pick: number,
  ) {}
  check(m: Readonly<SimModel>): boolean {
    return m.orders.length > 0;
  }
  async run(m: SimModel, w: World): Promise<void> {
    const { h, idx, stale } = await station(m, w, this.st);
    const name = `${w.stations[idx]!.name}${stale ? ' (stale)' : ''}`;
    const row = await pickOrder(h, this.pick, () => true);
    if (!row) return log(w, `${name}: note — no order listed`);
    const text = `sim note ${++m.noteSeq}`;
    const { r, faulted } = await act(m, w, idx, 'note', () =>
      raw(h, 'orders:addNote', { orderId: row.id, text }, STAFF),
    );
    const o = orderByPi(m, row.paymentIntentId) ?? orderByNumber(m, row.number);
    const done = await lookedAgain(h, r, faulted, async () =>
      (await h.call('orders:extras', { orderId: row.id }, STAFF)).notes.some((n) => n.text === text),
    );
    if (done && o) o.notes.push(text);
    log(w, `${name}: note on ${row.number} → ${code(r)}`);
  }
  toString(): string {
    return `note(st${this.st}, #${this.pick})`;
  }
}

// -------------------------------------------------------------------------------------------------- stock

class Receive implements Cmd {
  constructor(
    readonly st: number,
    readonly product: number,
    readonly quantity: number,
  ) {}
  check(): boolean {
    return true;
  }
  async run(m: SimModel, w: World): Promise<void> {
    const { h, idx, stale } = await station(m, w, this.st);
    const name = `${w.stations[idx]!.name}${stale ? ' (stale)' : ''}`;
    const p = m.products[this.product % m.products.length]!;
    const { r, faulted } = await act(m, w, idx, 'receive', () =>
      raw(h, 'catalog:receive', { productId: p.id, quantity: this.quantity }, MANAGER),
    );
    if (r.ok) move(m, p.sku, this.quantity);
    else if (faulted) move(m, p.sku, this.quantity, false);
    log(w, `${name}: receive ${this.quantity} × ${p.sku} → ${code(r)}${await stockNote(m, h, [p.sku])}`);
  }
  toString(): string {
    return `receive(st${this.st}, p${this.product}, q${this.quantity})`;
  }
}

class Recount implements Cmd {
  constructor(
    readonly st: number,
    readonly product: number,
    readonly count: number,
  ) {}
  check(): boolean {
    return true;
  }
  async run(m: SimModel, w: World): Promise<void> {
    const { h, idx, stale } = await station(m, w, this.st);
    const name = `${w.stations[idx]!.name}${stale ? ' (stale)' : ''}`;
    const p = m.products[this.product % m.products.length]!;
    // The count is pinned to Stripe's time: give it a second of its own, so that no sale shares it.
    w.emulator.advanceClock(1);
    m.clockSeconds += 1;
    const input = {
      id: p.id,
      sku: p.sku,
      name: p.name,
      unitAmount: p.unitAmount,
      currency: 'usd',
      stock: this.count,
      active: true,
    };
    const { r, faulted } = await act(m, w, idx, 'recount', () => raw(h, 'products:save', input, MANAGER));
    if (r.ok) recount(m, p.sku, this.count);
    else if (faulted) recount(m, p.sku, this.count, false);
    w.emulator.advanceClock(1);
    m.clockSeconds += 1;
    log(w, `${name}: recount ${p.sku} = ${this.count} → ${code(r)}${await stockNote(m, h, [p.sku])}`);
  }
  toString(): string {
    return `recount(st${this.st}, p${this.product}, =${this.count})`;
  }
}

// -------------------------------------------------------------------------------------------------- faults

class ArmFault implements Cmd {
  constructor(readonly fault: PendingFault) {}
  check(m: Readonly<SimModel>): boolean {
    return m.pendingFault === null;
  }
  async run(m: SimModel, w: World): Promise<void> {
    m.pendingFault = this.fault;
    log(w, `(the next action meets ${this.fault.kind}, request #${this.fault.pick})`);
  }
  toString(): string {
    return `fault(${this.fault.kind}, #${this.fault.pick})`;
  }
}

/** Time passes; holds past their deadline lapse (the shop learns it from Stripe, as every station does). */
async function advance(m: SimModel, w: World, seconds: number): Promise<void> {
  w.emulator.advanceClock(seconds);
  m.clockSeconds += seconds;
  const stripe = w.stations[0]!.h.stripe;
  for (const o of m.orders) {
    if (o.state !== 'held' || !o.pi) continue;
    const pi = await stripe.paymentIntents.retrieve(o.pi);
    if (pi.status === 'canceled') {
      o.state = 'expired';
      giveBack(m, o);
      log(w, `  hold ${o.number} lapsed`);
    }
  }
}

/** The next few actions, at any station, fall in one second of Stripe's clock (a busy moment). */
class SameSecond implements Cmd {
  constructor(readonly actions: number) {}
  check(m: Readonly<SimModel>): boolean {
    return m.stillFor === 0;
  }
  async run(m: SimModel, w: World): Promise<void> {
    m.stillFor = this.actions;
    log(w, `(the next ${this.actions} actions in one second of Stripe's clock)`);
  }
  toString(): string {
    return `sameSecond(${this.actions})`;
  }
}

class Clock implements Cmd {
  constructor(readonly seconds: number) {}
  check(): boolean {
    return true;
  }
  async run(m: SimModel, w: World): Promise<void> {
    await advance(m, w, this.seconds);
    log(w, `(clock +${this.seconds} s)`);
  }
  toString(): string {
    return `clock(+${this.seconds}s)`;
  }
}

class Offline implements Cmd {
  constructor(
    readonly st: number,
    readonly hours: number,
  ) {}
  check(): boolean {
    return true;
  }
  async run(m: SimModel, w: World): Promise<void> {
    const idx = this.st % w.stations.length;
    m.stations[idx]!.offline = true;
    // Everyone else keeps working: they poll as the day goes on.
    await advance(m, w, this.hours * 3600);
    for (let i = 0; i < w.stations.length; i++) if (i !== idx) await w.stations[i]!.h.sync();
    log(w, `(${w.stations[idx]!.name} switched off; clock +${this.hours} h)`);
  }
  toString(): string {
    return `offline(st${this.st}, ${this.hours}h)`;
  }
}

/** A station one poll behind: its next action is taken on what its screen showed before (no clock moves). */
class Lag implements Cmd {
  constructor(readonly st: number) {}
  check(): boolean {
    return true;
  }
  async run(m: SimModel, w: World): Promise<void> {
    const idx = this.st % w.stations.length;
    m.stations[idx]!.offline = true;
    log(w, `(${w.stations[idx]!.name} is a poll behind)`);
  }
  toString(): string {
    return `lag(st${this.st})`;
  }
}

/** Two stations act at the same moment, each on what its own screen shows (the same pick where both pick). */
class Together implements Cmd {
  constructor(
    readonly a: Cmd & { st: number },
    readonly b: Cmd & { st: number },
    readonly other: number,
    /** fast-check's scheduler decides which of the two starts first (and says so in the counterexample). */
    readonly s: fc.Scheduler,
  ) {}
  check(m: Readonly<SimModel>): boolean {
    // A count taken while stock moves elsewhere may or may not include the move: no oracle can say which.
    if (this.a instanceof Recount || this.b instanceof Recount) return false;
    return this.a.check(m) && this.b.check(m) && m.pendingFault === null;
  }
  async run(m: SimModel, w: World): Promise<void> {
    const n = w.stations.length;
    const sa = this.a.st % n;
    // A copy of the second on another station (the generated command itself is never changed: it is replayed).
    const b = Object.assign(Object.create(Object.getPrototypeOf(this.b) as object) as Cmd, this.b, {
      st: (sa + 1 + (this.other % (n - 1))) % n,
      ...('pick' in this.a && 'pick' in this.b ? { pick: this.a.pick } : {}),
    });
    log(w, `(together: ${String(this.a)} ‖ ${String(b)})`);
    const runs = [
      this.s.schedule(Promise.resolve('first'), String(this.a)).then(() => this.a.run(m, w)),
      this.s.schedule(Promise.resolve('second'), String(b)).then(() => b.run(m, w)),
    ];
    await this.s.waitAll();
    await Promise.all(runs);
  }
  [fc.cloneMethod](): Together {
    const s = this.s as fc.Scheduler & { [fc.cloneMethod]?: () => fc.Scheduler };
    return new Together(this.a, this.b, this.other, s[fc.cloneMethod]?.() ?? s);
  }
  toString(): string {
    return `together(${String(this.a)}, ${String(this.b)}, other ${this.other}, ${String(this.s).replace(/\s+/g, ' ')})`;
  }
}

// -------------------------------------------------------------------------------------------------- arbitraries

export interface SimOptions {
  actions: ReadonlySet<Action>;
  faults: ReadonlySet<FaultName>;
}

function actionArbs(enabled: ReadonlySet<Action>, st: fc.Arbitrary<number>) {
  const pick = fc.nat({ max: 7 });
  const all: [Action, fc.Arbitrary<Cmd & { st: number }>][] = [
    [
      'pay',
      fc
        .tuple(st, fc.nat(1), fc.integer({ min: 1, max: 3 }), fc.nat(2))
        .map(([s, p, q, c]) => new TakeOrder('pay', s, p, q, c)),
    ],
    [
      'hold',
      fc
        .tuple(st, fc.nat(1), fc.integer({ min: 1, max: 3 }), fc.nat(2))
        .map(([s, p, q, c]) => new TakeOrder('hold', s, p, q, c)),
    ],
    [
      'saveCard',
      fc
        .tuple(st, fc.nat(1), fc.integer({ min: 1, max: 3 }), fc.nat(2))
        .map(([s, p, q, c]) => new TakeOrder('save', s, p, q, c)),
    ],
    [
      'holdAndSave',
      fc
        .tuple(st, fc.nat(1), fc.integer({ min: 1, max: 3 }), fc.nat(2))
        .map(([s, p, q, c]) => new TakeOrder('hold_save', s, p, q, c)),
    ],
    [
      'split',
      fc
        .tuple(st, fc.nat(1), fc.integer({ min: 1, max: 3 }), fc.nat(2), fc.boolean())
        .map(([s, p, more, c, save]) => new SplitOrder(s, p, more, c, save)),
    ],
    ['chargeSaved', fc.tuple(st, pick).map(([s, k]) => new ChargeSaved(s, k))],
    ['capture', fc.tuple(st, pick).map(([s, k]) => new CaptureHold(s, k, false))],
    ['captureLines', fc.tuple(st, pick).map(([s, k]) => new CaptureHold(s, k, true))],
    ['release', fc.tuple(st, pick).map(([s, k]) => new ReleaseHold(s, k))],
    ['cancel', fc.tuple(st, pick).map(([s, k]) => new CancelOrder(s, k))],
    ['refund', fc.tuple(st, pick).map(([s, k]) => new RefundOrder(s, k))],
    ['ship', fc.tuple(st, pick).map(([s, k]) => new ShipOrder(s, k))],
    [
      'receive',
      fc.tuple(st, fc.nat(3), fc.integer({ min: 1, max: 6 })).map(([s, p, q]) => new Receive(s, p, q)),
    ],
    [
      'recount',
      fc.tuple(st, fc.nat(3), fc.integer({ min: 0, max: 15 })).map(([s, p, n]) => new Recount(s, p, n)),
    ],
    ['note', fc.tuple(st, pick).map(([s, k]) => new AddNote(s, k))],
  ];
  return all.filter(([a]) => enabled.has(a));
}

/** The commands of one run: the enabled actions (weighted), and the enabled faults among them. */
export function simCommands(o: SimOptions, size: number): fc.Arbitrary<Iterable<Cmd>> {
  const st = fc.nat(3);
  const acts = actionArbs(o.actions, st);
  const arbs: fc.Arbitrary<Cmd>[] = [];
  // Taking orders and the stock are what most of a day is: weigh them.
  for (const [a, arb] of acts) {
    arbs.push(arb);
    if (a === 'pay' || a === 'hold' || a === 'saveCard' || a === 'receive') arbs.push(arb);
  }
  const kinds = (['drop_after_commit', 'status_500', 'status_429', 'kill'] as const).filter((k) =>
    o.faults.has(k),
  );
  if (kinds.length)
    arbs.push(
      fc.tuple(fc.constantFrom(...kinds), fc.nat(3)).map(([kind, pick]) => new ArmFault({ kind, pick })),
    );
  if (o.faults.has('same_second')) arbs.push(fc.integer({ min: 2, max: 4 }).map((n) => new SameSecond(n)));
  if (o.faults.has('clock')) arbs.push(fc.integer({ min: 60, max: 6 * 3600 }).map((s) => new Clock(s)));
  if (o.faults.has('offline'))
    arbs.push(fc.tuple(st, fc.integer({ min: 25, max: 49 })).map(([s, h]) => new Offline(s, h)));
  if (o.faults.has('lag')) arbs.push(st.map((s) => new Lag(s)));
  if (o.faults.has('together') && acts.length) {
    const one = fc.oneof(...acts.map(([, a]) => a));
    arbs.push(fc.tuple(one, one, fc.nat(2), fc.scheduler()).map(([a, b, k, s]) => new Together(a, b, k, s)));
  }
  return fc.commands(arbs, { size: '+1', maxCommands: size });
}
