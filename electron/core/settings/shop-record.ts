// The shop's settings as part of Stripe's shared record: every station reads them from there, so the front desk
// and the packing desk print the same name, count "today" in the same zone and offer the same shipping fee, and a
// station rebuilt from an empty folder gets them back. A station's own settings (its name and letter, Stripe
// keys, MOTO, webhooks) stay in settings.json.
//
// Where: one Product with an id of our own, `mc_shop_settings` — created once by whichever station is first
// (Stripe refuses a second create with the same id: a unique claim), inactive, with no price and no SKU (so no
// catalog, checkout or station takes it for something to sell). Its metadata holds the fields below.
//
// Who writes: managers, from any station (Settings → Shop). How writes combine: per key. A write sends only the
// fields it changes; Stripe merges metadata per key, so two managers changing different fields both keep theirs,
// and for a field both changed the later write at Stripe wins. Stations project the product as Stripe last
// returned or announced it, and keep the snapshot with the newest `updated` (Stripe's time, never this
// station's clock); a snapshot is a whole copy of the merged metadata, so "newest snapshot wins" is the same
// per-key rule. Budget: 13 of the 50 keys (the tax settings' six included), values within 500 characters.
import { createHash, randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { StripeGateway } from '../stripe/gateway';
import { AppError } from '../../ipc/errors';
import { isTimeZone } from '../glance/time-zone';

import { SHOP_RECORD_ID } from '../../ipc/shop-record-id';
export { SHOP_RECORD_ID };

export type ShopField =
  | 'name'
  | 'timeZone'
  | 'defaultShippingFee'
  | 'country'
  | 'linkMessage'
  | 'address'
  // Settings → Tax (tax/shop-tax.ts): the mode, the rate table in up to four keys, the discount settings.
  | 'tax'
  | 'taxRates0'
  | 'taxRates1'
  | 'taxRates2'
  | 'taxRates3'
  | 'discounts';

/**
 * The record's keys: one row per field — the metadata key on the Product, the key this station projects it to
 * (the settings table), the most characters it may hold, and how a value is checked. Owner: managers; merge:
 * per key, the later write at Stripe wins (see above).
 */
export const SHOP_RECORD_KEYS: Record<ShopField, { key: string; local: string; max: number }> = {
  name: { key: 'name', local: 'shop.name', max: 80 },
  timeZone: { key: 'time_zone', local: 'shop.time_zone', max: 60 },
  defaultShippingFee: { key: 'shipping_fee', local: 'shop.shipping_fee', max: 8 },
  country: { key: 'phone_country', local: 'shop.country', max: 2 },
  linkMessage: { key: 'link_message', local: 'shop.link_message', max: 500 },
  address: { key: 'address', local: 'shop.address', max: 300 },
  tax: { key: 'tax', local: 'shop.tax', max: 500 },
  taxRates0: { key: 'tax_rates0', local: 'shop.tax_rates0', max: 500 },
  taxRates1: { key: 'tax_rates1', local: 'shop.tax_rates1', max: 500 },
  taxRates2: { key: 'tax_rates2', local: 'shop.tax_rates2', max: 500 },
  taxRates3: { key: 'tax_rates3', local: 'shop.tax_rates3', max: 500 },
  discounts: { key: 'discounts', local: 'shop.discounts', max: 500 },
};
/** The record's schema version (a key of its own): a later build can read an older record. */
const VERSION_KEY = 'mc_shop_v';
/** Stripe's `updated` of the snapshot this station projected (unix seconds). */
const SNAPSHOT = 'shop.record_updated';
/** Set once this station's own earlier settings were offered to the shop's record. */
const MIGRATED = 'shop.record_migrated';

export const SHOP_RECORD_KEY_BUDGET = Object.keys(SHOP_RECORD_KEYS).length + 1;

export type ShopPatch = Partial<Record<ShopField, string | number | null>>;

function read(db: Db, key: string): string | null {
  const r = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return r?.value ?? null;
}

function write(db: Db, key: string, value: string | null): void {
  if (value === null || value === '') db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  else
    db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
}

export function isShopRecord(obj: { id?: string; object?: string } | null | undefined): boolean {
  return obj?.object === 'product' && obj.id === SHOP_RECORD_ID;
}

/** What the projection holds for a field (null: the shop never set it). */
export function shopField(db: Db, field: ShopField): string | null {
  return read(db, SHOP_RECORD_KEYS[field].local);
}

/**
 * Project the record: returns true when this station's copy changed. An event's snapshot older than the one
 * projected is ignored (events arrive out of order); an object Stripe just returned (`authoritative`) is
 * applied whatever its time. Several snapshots can share one `updated` second: the later applied one wins.
 */
export function applyShopRecord(db: Db, product: Stripe.Product, authoritative: boolean): boolean {
  // Deleted (by hand, in the Dashboard): keep what is known; the next start makes the record again.
  if ((product as { deleted?: boolean }).deleted) return false;
  const updated = product.updated ?? product.created;
  const seen = Number(read(db, SNAPSHOT) ?? '0');
  if (!authoritative && updated < seen) return false;
  const meta = product.metadata ?? {};
  let changed = false;
  for (const f of Object.values(SHOP_RECORD_KEYS)) {
    const value = meta[f.key] ?? null;
    if ((read(db, f.local) ?? null) !== (value === '' ? null : value)) {
      write(db, f.local, value);
      changed = true;
    }
  }
  write(db, SNAPSHOT, String(Math.max(updated, authoritative ? updated : seen)));
  return changed;
}

/** Check a patch and turn it into metadata (an empty string removes a key at Stripe). */
export function encodeShopPatch(patch: ShopPatch): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, raw] of Object.entries(patch) as [ShopField, string | number | null | undefined][]) {
    if (raw === undefined) continue;
    const def = SHOP_RECORD_KEYS[field];
    const value = raw === null ? '' : String(raw).trim();
    if ([...value].length > def.max)
      throw new AppError('invalid_input', `The shop’s ${field} is longer than ${def.max} characters.`);
    if (field === 'timeZone' && value && !isTimeZone(value))
      throw new AppError('invalid_input', `“${value}” is not a time zone this computer knows.`, {
        issues: [{ path: 'timeZone', message: 'not a known time zone' }],
      });
    if (field === 'defaultShippingFee' && value && !/^\d{1,7}$/.test(value))
      throw new AppError('invalid_input', 'The shipping fee must be a whole number of cents.');
    if (field === 'country' && value && !/^[A-Z]{2}$/.test(value))
      throw new AppError('invalid_input', 'The phone country must be a two-letter code, e.g. US.');
    out[def.key] = value;
  }
  return out;
}

const digest = (v: unknown): string =>
  createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 20);

const isMissing = (e: unknown) =>
  (e as { statusCode?: number; code?: string }).statusCode === 404 ||
  (e as { code?: string }).code === 'resource_missing';
const isTaken = (e: unknown) => (e as { code?: string }).code === 'resource_already_exists';

/** Writes to the shop's record, and brings it to this station. */
export class ShopRecord {
  constructor(
    private readonly d: {
      db: Db;
      gateway: () => StripeGateway;
      /** This station's settings from before the shop kept them in Stripe (offered up once). */
      legacy: () => ShopPatch;
    },
  ) {}

  /**
   * Change some of the shop's settings at Stripe (managers). Only the fields in the patch are sent; the answer
   * (the merged record, as Stripe holds it now) is projected at once. Setting a value is idempotent in itself,
   * so each write has a key of its own (the SDK's retries of it reuse it): a key derived from the content
   * would make a second "set it back to A" within a second an idempotent replay of the first, which changes
   * nothing at Stripe while answering as if it had.
   */
  async update(patch: ShopPatch): Promise<void> {
    // Only what changes is sent: a field this manager left alone keeps another manager's concurrent change.
    const metadata = Object.fromEntries(
      Object.entries(encodeShopPatch(patch)).filter(([key, value]) => {
        const field = Object.values(SHOP_RECORD_KEYS).find((f) => f.key === key)!;
        return (read(this.d.db, field.local) ?? '') !== value;
      }),
    );
    if (Object.keys(metadata).length === 0) return;
    const key = `mc_shop_upd_${randomUUID()}`;
    let product: Stripe.Product;
    try {
      product = (
        await this.d
          .gateway()
          .updateProduct(SHOP_RECORD_ID, { metadata: { ...metadata, [VERSION_KEY]: '1' } }, key)
      ).object;
    } catch (e) {
      if (!isMissing(e)) throw e;
      product = await this.create(metadata);
    }
    this.d.db.transaction(() => applyShopRecord(this.d.db, product, true))();
  }

  /**
   * At start: read the record from Stripe (a rebuilt station gets the shop's settings even when the events that
   * set them are older than 30 days) — making it, from this station's settings, if no station has yet. Once, a
   * station's own earlier settings fill the fields the shop's record does not have; the record wins for the
   * others. Returns true when this station's copy changed.
   */
  async bringIn(): Promise<boolean> {
    const gw = this.d.gateway();
    let product: Stripe.Product | null;
    try {
      product = await gw.retrieveProduct(SHOP_RECORD_ID);
    } catch (e) {
      if (!isMissing(e)) throw e;
      product = null;
    }
    const migrated = read(this.d.db, MIGRATED) === '1';
    if (!product) {
      product = await this.create(encodeShopPatch(migrated ? {} : this.d.legacy()));
    } else if (!migrated) {
      const legacy = encodeShopPatch(this.d.legacy());
      const missing = Object.fromEntries(
        Object.entries(legacy).filter(([k, v]) => v && !product!.metadata?.[k]),
      );
      if (Object.keys(missing).length > 0) {
        product = (
          await gw.updateProduct(
            SHOP_RECORD_ID,
            { metadata: { ...missing, [VERSION_KEY]: '1' } },
            `mc_shop_migrate_${randomUUID()}`,
          )
        ).object;
      }
    }
    const p = product;
    return this.d.db.transaction(() => {
      write(this.d.db, MIGRATED, '1');
      return applyShopRecord(this.d.db, p, true);
    })();
  }

  private async create(metadata: Record<string, string>): Promise<Stripe.Product> {
    const gw = this.d.gateway();
    const clean = Object.fromEntries(Object.entries(metadata).filter(([, v]) => v !== ''));
    try {
      return (
        await gw.createProduct(
          {
            id: SHOP_RECORD_ID,
            name: 'Shop settings (Merchant Console)',
            active: false,
            description:
              'The shop’s settings, shared by every station of the Merchant Console. Not for sale.',
            metadata: { ...clean, [VERSION_KEY]: '1' },
          },
          `mc_shop_create_${digest(clean)}`,
        )
      ).object;
    } catch (e) {
      // Another station made it first (the unique claim): theirs is the shop's; this change goes on top.
      if (!isTaken(e)) throw e;
      const theirs = await gw.retrieveProduct(SHOP_RECORD_ID);
      if (Object.keys(clean).length === 0) return theirs;
      return (await gw.updateProduct(SHOP_RECORD_ID, { metadata: clean }, `mc_shop_upd_${randomUUID()}`))
        .object;
    }
  }
}
