/**
 * `--seed demo`: the demo shop's catalog (electron/core/catalog/demo-catalog.ts), created through the
 * emulator's own API with the stripe SDK — the same code path a console uses against Stripe. Idempotent: every
 * product has a fixed id and idempotency key, so a second run (or two at once) creates nothing new.
 */
import Stripe from 'stripe';
import {
  DEMO_CATALOG,
  demoProductId,
  seedDemoCatalog,
  seedDemoTaxRegistrations,
} from '../core/catalog/demo-catalog';
export { DEMO_TAX_REGISTRATIONS } from '../core/catalog/demo-catalog';
import type { SeedResult } from '../core/catalog/demo-catalog';
import { API_VERSION } from './state';

export const SEEDS = ['demo'] as const;
export type SeedName = (typeof SEEDS)[number];

/** Seeds the running emulator; `created` counts the products that did not exist before (replays count as there). */
export async function seedEmulator(emu: { host: string; port: number }, seed: SeedName): Promise<SeedResult> {
  const stripe = new Stripe('sk_test_emulator_seed', {
    apiVersion: API_VERSION,
    host: emu.host,
    port: emu.port,
    protocol: 'http',
    maxNetworkRetries: 2,
  });
  switch (seed) {
    case 'demo': {
      const ids = DEMO_CATALOG.map((p) => demoProductId(p.sku));
      const count = async (): Promise<number> =>
        (await stripe.products.list({ ids, limit: 100 })).data.length;
      const before = await count();
      await seedDemoCatalog(stripe);
      await seedDemoTaxRegistrations(stripe);
      const after = await count();
      return { created: after - before, existing: before };
    }
  }
}
