// The shop a simulation runs against: one in-process emulator on a clock of its own (it moves only when the
// simulation says), 2 to 4 stations on it (each a core harness with its own data folder, and its own clock skew),
// and what every station shows on its screens (the view stations must agree on).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { startHarness, type Harness } from './core-harness';

/** Where the simulated shop's day starts (emulator time); everything after is moved by the simulation. */
export const SIM_EPOCH_MS = Date.UTC(2026, 11, 1, 9, 0, 0);
export const MANAGER = 'manager';
export const STAFF = 'staff';

export interface SimSetup {
  /** 2 to 4 stations. */
  stations: number;
  /** Each station's clock against Stripe's (ms; positive = fast). */
  skewsMs: number[];
}

export interface SimStation {
  h: Harness;
  name: string;
  dataDir: string;
  skewMs: number;
}

export interface World {
  emulator: RunningEmulator;
  stations: SimStation[];
  /** What happened, one line per step: printed with a failure. */
  trace: string[];
  /** Every alert any station raised (including stations since killed and reopened). */
  alerts: { station: string; event: string; payload: unknown }[];
  close(): Promise<void>;
}

export const STATION_NAMES = ['Front desk', 'Packing', 'Back office', 'Market stall'];

export async function startWorld(setup: SimSetup): Promise<World> {
  const emulator = await startEmulator({ port: 0, clock: { now: () => SIM_EPOCH_MS } });
  const stations: SimStation[] = [];
  const dirs: string[] = [];
  try {
    // One after the other: station codes A, B, C, D in order, the same in every replay.
    for (let i = 0; i < setup.stations; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'mc-sim-'));
      dirs.push(dataDir);
      const name = STATION_NAMES[i]!;
      const skewMs = setup.skewsMs[i] ?? 0;
      const h = await startHarness({ emulator, station: name, dataDir, clockSkewMs: skewMs });
      stations.push({ h, name, dataDir, skewMs });
    }
  } catch (e) {
    for (const s of stations) await s.h.close().catch(() => undefined);
    await emulator.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    throw e;
  }
  const world: World = {
    emulator,
    stations,
    trace: [],
    alerts: [],
    async close() {
      for (const s of stations) await s.h.close().catch(() => undefined);
      await emulator.close().catch(() => undefined);
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
  return world;
}

/** A station set up on a new laptop during the run (an empty folder): rebuilt from Stripe alone. */
export async function freshStation(world: World, name = 'Rebuilt laptop'): Promise<SimStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mc-sim-'));
  const h = await startHarness({ emulator: world.emulator, station: name, dataDir });
  const s = { h, name, dataDir, skewMs: 0 };
  const close = h.close.bind(h);
  h.close = async () => {
    await close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return s;
}

/** Alerts a station raised since the last look, kept by the world (a restart starts a new events list). */
export function collectAlerts(world: World): void {
  for (const s of world.stations) {
    const ev = s.h.events;
    for (const e of ev.splice(0)) {
      if (e.event === 'orders:alerted')
        world.alerts.push({ station: s.name, event: e.event, payload: e.payload });
    }
  }
}

/**
 * Units on the shelf, below zero when oversold: the catalog's on-hand figure (shown from zero up) where the console
 * has one, else its stock; less what is oversold.
 */
export function onHand(p: { stock: number; oversold: number; onHand?: number }): number {
  return (typeof p.onHand === 'number' ? p.onHand : p.stock) - p.oversold;
}

/** Everything stations must agree on, without what is each station's own (audit, journal, local versions). */
export async function shopView(h: Harness) {
  await h.sync();
  const { rows } = await h.call('orders:list', { limit: 500 }, MANAGER);
  const orders = [];
  for (const r of rows) {
    const d = await h.call('orders:get', { orderId: r.id }, MANAGER);
    const x = await h.call('orders:extras', { orderId: r.id }, MANAGER);
    orders.push({
      number: d.number,
      paymentIntentId: d.paymentIntentId,
      status: d.status,
      paymentState: d.paymentState,
      cancelled: d.cancelled ?? false,
      cardWait: d.cardWait ?? null,
      amountTotal: d.amountTotal,
      lines: d.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitAmount: l.unitAmount })),
      releasedLines: d.releasedLines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      ledger: d.ledger,
      trackingNumber: d.trackingNumber,
      notes: x.notes.map((n) => ({ text: n.text, by: n.by })).sort((a, b) => a.text.localeCompare(b.text)),
      cancellation: x.cancellation ? { by: x.cancellation.by, reason: x.cancellation.reason } : null,
    });
  }
  orders.sort((a, b) => a.paymentIntentId.localeCompare(b.paymentIntentId));
  const holds = (await h.call('holds:list', { include: 'all' }, MANAGER))
    .map((x) => ({
      paymentIntentId: x.paymentIntentId,
      orderNumber: x.orderNumber,
      status: x.status,
      amountAuthorized: x.amountAuthorized,
      amountCaptured: x.amountCaptured,
      items: x.items.map((i) => ({ sku: i.sku, quantity: i.quantity, waitlist: i.waitlist })),
    }))
    .sort((a, b) => a.paymentIntentId.localeCompare(b.paymentIntentId));
  const waiting = (await h.call('waitlist:list', {}, MANAGER))
    .map((w) => ({
      paymentIntentId: w.paymentIntentId,
      orderNumber: w.orderNumber,
      state: w.state,
      amount: w.amount,
    }))
    .sort((a, b) => a.orderNumber.localeCompare(b.orderNumber));
  const products = (await h.call('catalog:list', { query: '', include: 'all', limit: 500 }, MANAGER))
    .map((p) => ({
      sku: p.sku,
      unitAmount: p.unitAmount,
      active: p.active,
      stock: p.stock,
      oversold: p.oversold,
      onHand: onHand(p),
      committed: 'committed' in p ? p.committed : null,
    }))
    .sort((a, b) => a.sku.localeCompare(b.sku) || a.unitAmount - b.unitAmount);
  return { orders, holds, waiting, products };
}
export type ShopView = Awaited<ReturnType<typeof shopView>>;
