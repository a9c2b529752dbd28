// Issue 23 item 6: the shop's settings (name, address, time zone, shipping fee, phone country, message for
// links) live in Stripe, on one Product with an id of our own; every station projects them through the sync
// applier, two managers changing different fields both keep theirs, and a rebuilt station gets them back.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../electron/emulator';
import { startHarness, type Harness } from '../../../helpers/core-harness';
import {
  applyShopRecord,
  SHOP_RECORD_ID,
  SHOP_RECORD_KEY_BUDGET,
  SHOP_RECORD_KEYS,
} from '../../../../electron/core/settings/shop-record';
import { shopSettings } from '../../../../electron/core/glance/shop-settings';

let emulator: RunningEmulator;
const open: Harness[] = [];
const station = async (name: string, o: { dataDir?: string } = {}) => {
  const h = await startHarness({ emulator, station: name, ...o });
  open.push(h);
  return h;
};
beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
  await emulator.close();
});

describe('the shop’s settings in Stripe', () => {
  it('set at one station are read at the other, from Stripe, through the sync applier', async () => {
    const front = await station('Front desk');
    const pack = await station('Packing');
    await front.call('shop:update', {
      name: 'Harbour Tea',
      timeZone: 'America/New_York',
      defaultShippingFee: 500,
      address: '12 Harbour Street\nPortland, ME 04101',
    });
    await front.call('settings:update', { country: 'GB', linkMessage: 'Pay {amount} here: {link}' });

    // In Stripe: one inactive Product with our id, no SKU, no price, within the key budget.
    const record = await front.stripe.products.retrieve(SHOP_RECORD_ID);
    expect(record.active).toBe(false);
    expect(record.default_price).toBeNull();
    expect(record.metadata).toMatchObject({
      name: 'Harbour Tea',
      time_zone: 'America/New_York',
      shipping_fee: '500',
      phone_country: 'GB',
      link_message: 'Pay {amount} here: {link}',
    });
    expect(Object.keys(record.metadata).length).toBeLessThanOrEqual(SHOP_RECORD_KEY_BUDGET);

    await pack.sync();
    const atPack = await pack.call('shop:settings', {}, 'staff');
    expect(atPack).toMatchObject({
      name: 'Harbour Tea',
      timeZone: 'America/New_York',
      timeZoneIsDefault: false,
      defaultShippingFee: 500,
      address: '12 Harbour Street\nPortland, ME 04101',
    });
    expect(atPack.sharedAt).toBe((record.updated ?? record.created) * 1000);
    const info = await pack.call('app:info', {});
    expect(info.country).toBe('GB');
    expect(info.linkMessage).toBe('Pay {amount} here: {link}');
    // Not a product to sell: the catalog does not list it.
    expect((await pack.call('products:search', { query: '', limit: 100 })).map((p) => p.id)).not.toContain(
      SHOP_RECORD_ID,
    );
    // Staff cannot change the shop's settings.
    const refused = await pack.raw('shop:update', { name: 'Mine' }, 'staff');
    expect(refused.ok).toBe(false);
  });

  it('two managers changing different fields both keep theirs; for one field the later write wins', async () => {
    const front = await station('Front desk');
    const pack = await station('Packing');
    await front.call('shop:update', { name: 'Harbour Tea', defaultShippingFee: 500 });
    await pack.sync();
    // Both edit from the same snapshot at once: the name at the front desk, the fee at the packing desk
    // (each dialog sends every field; only what changed goes to Stripe).
    await Promise.all([
      front.call('shop:update', { name: 'Harbour Tea & Co', defaultShippingFee: 500 }),
      pack.call('shop:update', { name: 'Harbour Tea', defaultShippingFee: 695 }),
    ]);
    await front.sync();
    await pack.sync();
    const [a, b] = [await front.call('shop:settings', {}), await pack.call('shop:settings', {})];
    expect(a).toEqual(b);
    expect(a).toMatchObject({ name: 'Harbour Tea & Co', defaultShippingFee: 695 });

    // The same field at both: whichever Stripe took last is every station's.
    await front.call('shop:update', { name: 'First' });
    await pack.call('shop:update', { name: 'Second' });
    await front.sync();
    await pack.sync();
    expect((await front.call('shop:settings', {})).name).toBe('Second');
    expect((await pack.call('shop:settings', {})).name).toBe('Second');
    // A value set back to an earlier one is a new write (not an idempotent replay of the old one).
    await front.call('shop:update', { name: 'First' });
    await pack.sync();
    expect((await pack.call('shop:settings', {})).name).toBe('First');
  });

  it('an older snapshot arriving late does not undo a newer one', async () => {
    const front = await station('Front desk');
    const base = { id: SHOP_RECORD_ID, object: 'product', created: 1000 } as Stripe.Product;
    const db = front.services.db;
    expect(applyShopRecord(db, { ...base, updated: 2000, metadata: { name: 'New' } }, false)).toBe(true);
    expect(applyShopRecord(db, { ...base, updated: 1500, metadata: { name: 'Old' } }, false)).toBe(false);
    expect(shopSettings(db).name).toBe('New');
    // Stripe's own answer (a read or a write) is what Stripe holds now, whatever its time.
    expect(applyShopRecord(db, { ...base, updated: 1500, metadata: { name: 'Now' } }, true)).toBe(true);
    expect(shopSettings(db).name).toBe('Now');
  });

  it('a station rebuilt from an empty folder gets them; a station’s earlier settings go up once', async () => {
    // A station from before: its own name, fee and phone country, kept locally.
    const old = await station('Front desk');
    old.services.db
      .prepare(
        `INSERT INTO settings (key, value) VALUES ('shop.name', 'Old Name'), ('shop.shipping_fee', '450')`,
      )
      .run();
    writeFileSync(join(old.dataDir, 'settings.json'), JSON.stringify({ country: 'CA' }));
    await old.restart();
    expect(await old.services.shopRecord.bringIn()).toBe(true);
    const made = await old.stripe.products.retrieve(SHOP_RECORD_ID);
    expect(made.metadata).toMatchObject({ name: 'Old Name', shipping_fee: '450', phone_country: 'CA' });
    expect(made.metadata.time_zone).toBeTruthy(); // the first station's zone becomes the shop's

    // Another station from before, with other values: the shop's record wins where it has a value; what it
    // lacks (the address) comes from this station, once.
    const other = await station('Packing');
    other.services.db
      .prepare(
        `INSERT INTO settings (key, value) VALUES ('shop.name', 'Other Name'), ('shop.address', '1 Quay Lane')`,
      )
      .run();
    await other.services.shopRecord.bringIn();
    expect(await other.call('shop:settings', {})).toMatchObject({
      name: 'Old Name',
      defaultShippingFee: 450,
      address: '1 Quay Lane',
    });
    expect((await other.call('app:info', {})).country).toBe('CA');
    // Once: a later start does not offer local values again.
    other.services.db.prepare(`UPDATE settings SET value = 'Stale' WHERE key = 'shop.name'`).run();
    await other.services.shopRecord.bringIn();
    expect((await other.call('shop:settings', {})).name).toBe('Old Name');

    // Rebuilt from nothing: the same settings.
    const rebuilt = await station('Front desk (new laptop)');
    await rebuilt.services.shopRecord.bringIn();
    expect(await rebuilt.call('shop:settings', {})).toEqual(await other.call('shop:settings', {}));
    expect((await rebuilt.call('app:info', {})).country).toBe('CA');
  });

  it('keeps every key within Stripe’s limits', () => {
    for (const { key, max } of Object.values(SHOP_RECORD_KEYS)) {
      expect(key.length).toBeLessThanOrEqual(40);
      expect(max).toBeLessThanOrEqual(500);
    }
    expect(SHOP_RECORD_KEY_BUDGET).toBeLessThan(50);
  });
});
