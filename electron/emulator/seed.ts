/**
 * `--seed demo`: the demo shop's catalog (electron/core/catalog/demo-catalog.ts), created through the
 * emulator's own API with the stripe SDK — the same code path a console uses against Stripe. Idempotent: every
 * product has a fixed id and idempotency key, so a second run (or two at once) creates nothing new.
 */
import Stripe from 'stripe';
import { DEMO_CATALOG, demoProductId, seedDemoCatalog } from '../core/catalog/demo-catalog';
import type { SeedResult } from '../core/catalog/demo-catalog';
import { API_VERSION } from './state';

export const SEEDS = ['demo'] as const;
export type SeedName = (typeof SEEDS)[number];

/**
 * The demo shop's Stripe Tax registrations (electron/emulator/tax-table.ts has the rates): New York, California
 * and Washington, and Germany under the non-Union OSS scheme (a US shop selling to the EU). Texas and Oregon
 * are left without one, so sales there are `not_collecting`. Idempotent: an existing active registration for
 * the place is kept, and each create has a fixed idempotency key.
 */
export const DEMO_TAX_REGISTRATIONS: ReadonlyArray<{ country: string; state?: string }> = [
  { country: 'US', state: 'NY' },
  { country: 'US', state: 'CA' },
  { country: 'US', state: 'WA' },
  { country: 'DE' },
];

async function seedDemoTaxRegistrations(stripe: Stripe): Promise<void> {
  const have = (await stripe.tax.registrations.list({ status: 'active', limit: 100 })).data;
  const placeOf = (r: Stripe.Tax.Registration): string =>
    `${r.country}/${(r.country_options as { us?: { state?: string } }).us?.state ?? ''}`;
  const existing = new Set(have.map(placeOf));
  for (const reg of DEMO_TAX_REGISTRATIONS) {
    if (existing.has(`${reg.country}/${reg.state ?? ''}`)) continue;
    const country_options: Stripe.Tax.RegistrationCreateParams.CountryOptions =
      reg.country === 'US'
        ? { us: { state: reg.state as string, type: 'state_sales_tax' } }
        : { de: { type: 'oss_non_union' } };
    await stripe.tax.registrations.create(
      { country: reg.country, country_options, active_from: 'now' },
      { idempotencyKey: `mc_demo_seed_taxreg_${reg.country}_${reg.state ?? ''}` },
    );
  }
}

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
