// The demo shop's catalog, created in a Stripe account (the emulator's `--seed demo`, or a console in offline
// demo mode) as Products with a default Price. Products carry the console's own metadata (see
// product-metadata.ts); every product is created under a fixed id, so seeding is idempotent across stations
// and across days: a second seeder, even one racing the first, gets Stripe's 400 `resource_already_exists`
// for each product and takes it as done.
import type Stripe from 'stripe';
import { productMetadata } from './product-metadata';

export interface DemoProduct {
  sku: string;
  name: string;
  unitAmount: number;
  currency: string;
  stock: number;
}

/** Prices in cents. */
export const DEMO_CATALOG: readonly DemoProduct[] = [
  { sku: 'TEA-EARL-100', name: 'Earl Grey loose leaf, 100 g', unitAmount: 1250, currency: 'usd', stock: 40 },
  { sku: 'TEA-SENCHA-100', name: 'Sencha green tea, 100 g', unitAmount: 1490, currency: 'usd', stock: 25 },
  { sku: 'TEA-ASSAM-250', name: 'Assam breakfast, 250 g', unitAmount: 1890, currency: 'usd', stock: 12 },
  { sku: 'POT-CAST-08', name: 'Cast-iron teapot, 0.8 l', unitAmount: 6400, currency: 'usd', stock: 0 },
  { sku: 'CUP-PORC-2', name: 'Porcelain cups, set of 2', unitAmount: 2800, currency: 'usd', stock: 8 },
  { sku: 'KET-GOOSE-1', name: 'Gooseneck kettle, 1 l', unitAmount: 8900, currency: 'usd', stock: 0 },
  { sku: 'INF-STEEL', name: 'Steel infuser basket', unitAmount: 950, currency: 'usd', stock: 60 },
  { sku: 'TEA-MATCHA-30', name: 'Ceremonial matcha, 30 g', unitAmount: 3200, currency: 'usd', stock: 5 },
  { sku: 'WHISK-BAMBOO', name: 'Bamboo matcha whisk', unitAmount: 1800, currency: 'usd', stock: 0 },
  { sku: 'GIFT-SAMPLER', name: 'Tea sampler gift box', unitAmount: 4500, currency: 'usd', stock: 15 },
];

/** The fixed Stripe id of a demo product (Stripe accepts a caller-chosen `id` on product create). */
export function demoProductId(sku: string): string {
  return `prod_demo_${sku.replace(/[^A-Za-z0-9]/g, '_')}`;
}

export interface SeedResult {
  created: number;
  existing: number;
}

function alreadyExists(err: unknown): boolean {
  const e = err as { type?: string; code?: string; raw?: { code?: string } };
  // The product is there already (made by another seeder, or another version of this one with other details
  // under the same key, which Stripe answers with an idempotency error).
  return (
    ((e?.type === 'StripeInvalidRequestError' || e?.type === 'invalid_request_error') &&
      (e.code ?? e.raw?.code) === 'resource_already_exists') ||
    e?.type === 'StripeIdempotencyError'
  );
}

/**
 * Create the demo catalog in the account `stripe` talks to. Safe to run any number of times, by any number of
 * stations at once: every seeder sends exactly the same request under the same key. The stock counts are
 * "counted before any sale" (`stock_counted_at` 0).
 */
export async function seedDemoCatalog(stripe: Stripe): Promise<SeedResult> {
  const by = 'demo seed';
  const result: SeedResult = { created: 0, existing: 0 };
  for (const p of DEMO_CATALOG) {
    try {
      await stripe.products.create(
        {
          id: demoProductId(p.sku),
          name: p.name,
          default_price_data: { currency: p.currency, unit_amount: p.unitAmount },
          metadata: productMetadata({ sku: p.sku, stock: p.stock, stockCountedAt: 0, stockCountedBy: by }),
        },
        { idempotencyKey: `mc_demo_seed_${p.sku}` },
      );
      result.created++;
    } catch (err) {
      if (!alreadyExists(err)) throw err;
      result.existing++;
    }
  }
  return result;
}

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

export async function seedDemoTaxRegistrations(stripe: Stripe): Promise<void> {
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
