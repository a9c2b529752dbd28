// The real core against the real emulator, in-process: what every core test starts from. The core's clock
// follows the emulator's, so advancing the emulator clock (holds expiring, keys aging) moves both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { createServices, type Services } from '../../electron/core/services';
import type { Channel, EventName, Input, Output } from '../../electron/ipc/contract';
import type { IpcResult } from '../../electron/ipc/errors';
import type { AuthWindow, DesktopHandoff, Logger, SecretStore } from '../../electron/core/ports';
import { STRIPE_API_VERSION } from '../../electron/core/stripe/gateway';

export function memorySecrets(): SecretStore {
  const m = new Map<string, string>();
  return {
    encrypted: false,
    get: (k) => m.get(k) ?? null,
    set: (k, v) => void m.set(k, v),
    delete: (k) => void m.delete(k),
  };
}

export const quietLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: (...a: unknown[]) => {
    if (process.env.HARNESS_LOG) console.error(...a);
  },
};

/** A 3DS window that "completes" (or fails) the bank page through the emulator's control API. */
export function emulatorAuthWindow(
  emulator: () => RunningEmulator,
  outcome: () => 'succeed' | 'fail' | 'close',
): AuthWindow {
  return {
    returnUrl: () => 'https://merchant-console.invalid/3ds-return',
    async open(url) {
      const o = outcome();
      if (o === 'close') return 'closed';
      const id = /\/_emulator\/3ds\/([A-Za-z0-9_]+)/.exec(url)?.[1];
      if (!id) throw new Error(`unexpected authentication url ${url}`);
      const kind = id.startsWith('seti_') ? 'setup_intents' : 'payment_intents';
      const res = await fetch(`${emulator().url}/_emulator/${kind}/${id}/authenticate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: o }),
      });
      if (!res.ok) throw new Error(`authenticate failed: ${res.status} ${await res.text()}`);
      return 'returned';
    },
  };
}

export interface Harness {
  emulator: RunningEmulator;
  services: Services;
  dataDir: string;
  /** A Stripe client that is NOT the console: Stripe's Dashboard, another integration, or a test's eye. */
  stripe: Stripe;
  events: { event: EventName; payload: unknown }[];
  authOutcome: 'succeed' | 'fail' | 'close';
  /** Call a channel as a client (a window); throws if the call failed. */
  call<C extends Channel>(channel: C, input: Input<C>, client?: string): Promise<Output<C>>;
  /** Call a channel and return the raw result (success or typed error). */
  raw(channel: string, input: unknown, client?: string): Promise<IpcResult<unknown>>;
  /** Poll Stripe's events until nothing new arrives. */
  sync(): Promise<number>;
  fault(f: { kind: string; count?: number; path_prefix?: string; delay_ms?: number }): Promise<void>;
  /** Restart the core on the same data folder (the emulator keeps running). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** This station's own clock, apart from Stripe's (default: the emulator's, moved by clockSkewMs). */
  localClock?: { now(): number };
  dataDir?: string;
  emulator?: RunningEmulator;
  /** Sign in a manager as client 'manager' and a staff member as client 'staff' (default true). */
  accounts?: boolean;
  maxNetworkRetries?: number;
  timeoutMs?: number;
  /** The station's name (several harnesses on one emulator are several stations of one shop). */
  station?: string;
  /** How far this station's clock is off Stripe's (ms; positive = fast). */
  clockSkewMs?: number;
  /** The desktop app's clipboard and link hand-off (none: browser mode, where the page does both). */
  handoff?: DesktopHandoff;
}

export const MANAGER_PIN = '2468';
export const STAFF_PIN = '1357';

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const emulator = o.emulator ?? (await startEmulator({ port: 0 }));
  const ownsEmulator = !o.emulator;
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'mc-core-'));
  const events: Harness['events'] = [];
  const secrets = memorySecrets();
  const h = {} as Harness;
  h.authOutcome = 'succeed';
  const build = () =>
    createServices({
      dataDir,
      secrets,
      clock: o.localClock ?? { now: () => emulator.now() + (o.clockSkewMs ?? 0) },
      logger: quietLogger,
      authWindow: emulatorAuthWindow(
        () => emulator,
        () => h.authOutcome,
      ),
      events: { emit: (event, payload) => void events.push({ event, payload }) },
      station: o.station ?? 'Test station',
      stripe: {
        secretKey: 'sk_test_harness',
        mode: 'emulator',
        host: emulator.host,
        port: emulator.port,
        protocol: 'http',
        maxNetworkRetries: o.maxNetworkRetries ?? 2,
        timeoutMs: o.timeoutMs ?? 10_000,
      },
      autoSync: false,
      ...(o.handoff ? { handoff: o.handoff } : {}),
    });
  let services = await build();
  const stripe = new Stripe('sk_test_dashboard', {
    apiVersion: STRIPE_API_VERSION,
    host: emulator.host,
    port: emulator.port,
    protocol: 'http',
    maxNetworkRetries: 0,
  });

  Object.defineProperty(h, 'services', { get: () => services, enumerable: true });
  Object.assign(h, {
    emulator,
    dataDir,
    stripe,
    events,
    raw: (channel: string, input: unknown, client = 'manager') =>
      services.dispatch(channel, input, { clientId: client }),
    async call<C extends Channel>(channel: C, input: Input<C>, client = 'manager'): Promise<Output<C>> {
      const r = await services.dispatch(channel, input, { clientId: client });
      if (!r.ok)
        throw Object.assign(new Error(`${channel}: ${r.error.code}: ${r.error.message}`), {
          code: r.error.code,
          details: r.error.details,
        });
      return r.value as Output<C>;
    },
    async sync() {
      let total = 0;
      for (let i = 0; i < 20; i++) {
        const n = await services.sync.pollOnce();
        total += n;
        if (n === 0) break;
      }
      return total;
    },
    async fault(f: { kind: string; count?: number; path_prefix?: string; delay_ms?: number }) {
      const res = await fetch(`${emulator.url}/_emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(f),
      });
      if (!res.ok) throw new Error(`fault: ${res.status} ${await res.text()}`);
    },
    /** Restart the core (sessions are per process: the manager and staff sign in again). */
    async restart() {
      await services.close().catch(() => undefined);
      services = await build();
      if (o.accounts !== false) {
        await h.call('auth:login', { name: 'Morgan Manager', pin: MANAGER_PIN }, 'manager');
        await h.call('auth:login', { name: 'Sam Staff', pin: STAFF_PIN }, 'staff');
      }
    },
    async close() {
      await services.close().catch(() => undefined);
      if (ownsEmulator) await emulator.close();
      if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  });
  // services.close() closes the emulator only when the services started it; here the harness owns it.

  if (o.accounts !== false) {
    await h.call('auth:setup', { name: 'Morgan Manager', pin: MANAGER_PIN }, 'manager');
    await h.call(
      'users:create',
      { name: 'Sam Staff', role: 'staff', pin: STAFF_PIN, managerPin: MANAGER_PIN },
      'manager',
    );
    await h.call('auth:login', { name: 'Sam Staff', pin: STAFF_PIN }, 'staff');
  }
  return h;
}

/** Find a demo-catalog-like product by SKU, creating it if needed. */
export async function product(h: Harness, sku: string, unitAmount: number, stock: number, currency = 'usd') {
  const found = (await h.call('products:search', { query: sku, limit: 5 })).find((p) => p.sku === sku);
  if (found) return found;
  return h.call('products:save', { sku, name: `Product ${sku}`, unitAmount, currency, stock, active: true });
}

/** A cart with a customer and lines, ready to pay. */
export async function readyCart(
  h: Harness,
  lines: { sku: string; unitAmount: number; stock: number; quantity: number }[],
  client = 'staff',
  currency = 'usd',
) {
  const cart = await h.call('carts:create', { currency }, client);
  const items = [];
  for (const l of lines) {
    const p = await product(h, l.sku, l.unitAmount, l.stock, currency);
    items.push({ productId: p.id, quantity: l.quantity });
  }
  return h.call(
    'carts:update',
    { cartId: cart.id, customer: { name: 'Ada Lovelace', email: 'ada@example.com' }, lines: items },
    client,
  );
}

/** Count rows of every table: "nothing changed" means these are equal before and after. */
export function tableCounts(s: Services): Record<string, number> {
  const tables = s.db
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'orders_search%'`,
    )
    .all() as { name: string }[];
  const out: Record<string, number> = {};
  for (const { name } of tables)
    out[name] = (s.db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n;
  return out;
}
