/**
 * Targets for the conformance suite: the in-process emulator always, and real Stripe test mode when
 * STRIPE_TEST_SECRET_KEY is set. Tests talk to either only through the official `stripe` SDK.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe } from 'vitest';
import { startEmulator } from '../../electron/emulator/index';
import type { EmulatorOptions, RunningEmulator } from '../../electron/emulator/index';
import { schemaErrors } from './emulator-schema';

export const API_VERSION = '2026-10-28.endive' as const;
export const REAL_KEY = process.env.STRIPE_TEST_SECRET_KEY;

export interface Target {
  name: 'emulator' | 'stripe';
  stripe: Stripe;
  /** Only for the emulator target. */
  emulator?: RunningEmulator;
  client(opts?: { maxNetworkRetries?: number }): Stripe;
  close(): Promise<void>;
}

export async function emulatorTarget(
  options: EmulatorOptions = {},
): Promise<Target & { emulator: RunningEmulator }> {
  const emulator = await startEmulator(options);
  const client = (opts: { maxNetworkRetries?: number } = {}): Stripe =>
    new Stripe('sk_test_emulator', {
      apiVersion: API_VERSION,
      host: emulator.host,
      port: emulator.port,
      protocol: 'http',
      maxNetworkRetries: opts.maxNetworkRetries ?? 0,
    });
  return { name: 'emulator', stripe: client(), emulator, client, close: () => emulator.close() };
}

export function stripeTarget(key: string): Target {
  const client = (opts: { maxNetworkRetries?: number } = {}): Stripe =>
    new Stripe(key, { apiVersion: API_VERSION, maxNetworkRetries: opts.maxNetworkRetries ?? 2 });
  return { name: 'stripe', stripe: client(), client, close: async () => {} };
}

/** Asserts a payload matches the SDK-type schema; returns it for chaining. */
export function checked<T>(value: T): T {
  const errors = schemaErrors(value);
  if (errors.length > 0) throw new Error(`Schema violations:\n${errors.slice(0, 20).join('\n')}`);
  return value;
}

/** Events about one object, oldest first (polls briefly on real Stripe, whose event list lags). */
export async function eventsFor(t: Target, objectId: string, expected = 0): Promise<Stripe.Event[]> {
  for (let attempt = 0; ; attempt++) {
    const list = await t.stripe.events.list({ limit: 100 });
    checked(list);
    const found = list.data.filter((e) => (e.data.object as { id?: string }).id === objectId).reverse();
    if (t.name === 'emulator' || found.length >= expected || attempt >= 10) return found;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Runs `fn` once per target: the emulator, and real Stripe (skipped with a visible reason when no key). */
export function forEachTarget(name: string, fn: (get: () => Target) => void): void {
  describe(`${name} [emulator]`, () => {
    let t: Target | undefined;
    beforeAll(async () => {
      t = await emulatorTarget();
    });
    afterAll(async () => {
      await t?.close();
    });
    fn(() => t as Target);
  });
  describe.skipIf(!REAL_KEY)(
    `${name} [real Stripe test mode${REAL_KEY ? '' : ' — skipped: STRIPE_TEST_SECRET_KEY not set'}]`,
    () => {
      const t = REAL_KEY ? stripeTarget(REAL_KEY) : undefined;
      fn(() => t as Target);
    },
  );
}
