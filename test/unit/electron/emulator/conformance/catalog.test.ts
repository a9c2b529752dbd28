/**
 * Conformance: Products and Prices (docs.stripe.com/api/products, /api/prices), driven only through the SDK.
 * Runs against the emulator, and against real Stripe test mode when STRIPE_TEST_SECRET_KEY is set.
 */
import type Stripe from 'stripe';
import { expect, it } from 'vitest';
import { checked, eventsFor, forEachTarget } from '../../../../helpers/emulator-target';
import { failure, unique } from './support';

/** A product id no other run has used (real Stripe keeps them). */
const freshId = (): string => unique('prod_conf_');

forEachTarget('Products and Prices', (target) => {
  const s = (): Stripe => target().stripe;

  it('create with a chosen id and default_price_data: the product names its one-time default price', async () => {
    const id = freshId();
    const product = checked(
      await s().products.create({
        id,
        name: 'Earl Grey, 100 g',
        metadata: { sku: 'TEA-1', stock: '40' },
        default_price_data: { currency: 'usd', unit_amount: 1250 },
        expand: ['default_price'],
      }),
    );
    expect(product.id).toBe(id);
    expect(product.active).toBe(true);
    expect(product.metadata).toEqual({ sku: 'TEA-1', stock: '40' });
    expect(product.updated).toBeGreaterThanOrEqual(product.created);
    const price = product.default_price as Stripe.Price;
    expect(price.object).toBe('price');
    expect(price.unit_amount).toBe(1250);
    expect(price.currency).toBe('usd');
    expect(price.type).toBe('one_time');
    expect(price.product).toBe(id);
    expect(String(price.unit_amount_decimal)).toBe('1250');
    checked(await s().prices.retrieve(price.id));
    const types = (await eventsFor(target(), id, 1)).map((e) => e.type);
    expect(types).toContain('product.created');
    expect((await eventsFor(target(), price.id, 1)).map((e) => e.type)).toContain('price.created');
  });

  it('a taken id is 400 resource_already_exists', async () => {
    const id = freshId();
    await s().products.create({ id, name: 'First' });
    const err = await failure(s().products.create({ id, name: 'Second' }));
    expect(err.statusCode).toBe(400);
    expect(err.type).toBe('StripeInvalidRequestError');
    expect(err.code).toBe('resource_already_exists');
    expect((await s().products.retrieve(id)).name).toBe('First');
  });

  it('update merges metadata (empty value unsets), emits product.updated with previous_attributes', async () => {
    const product = await s().products.create({ name: 'Sencha', metadata: { sku: 'TEA-2', stock: '25' } });
    const upd = checked(
      await s().products.update(product.id, {
        name: 'Sencha green',
        metadata: { stock: '24', stock_counted_by: '' },
      }),
    );
    expect(upd.name).toBe('Sencha green');
    expect(upd.metadata).toEqual({ sku: 'TEA-2', stock: '24' });
    expect(upd.updated).toBeGreaterThanOrEqual(product.updated);
    const unset = await s().products.update(product.id, { metadata: { sku: '' } });
    expect(unset.metadata).toEqual({ stock: '24' });
    const events = await eventsFor(target(), product.id, 3);
    const updated = events.filter((e) => e.type === 'product.updated');
    expect(updated).toHaveLength(2);
    for (const e of updated) checked(e);
    expect(updated[0]?.data.previous_attributes).toMatchObject({ name: 'Sencha', metadata: { stock: '25' } });
  });

  it("a price's amount can't change: unit_amount on update is an unknown parameter", async () => {
    const price = await s().prices.create({
      currency: 'usd',
      unit_amount: 990,
      product_data: { name: 'Infuser' },
    });
    const err = await failure(s().prices.update(price.id, { unit_amount: 1 } as Stripe.PriceUpdateParams));
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe('parameter_unknown');
    expect(err.param).toBe('unit_amount');
    expect((await s().prices.retrieve(price.id)).unit_amount).toBe(990);
  });

  it('a new price becomes the default; the old one is archived; price.updated names what changed', async () => {
    const product = await s().products.create({
      name: 'Matcha, 30 g',
      default_price_data: { currency: 'usd', unit_amount: 3200 },
    });
    const old = product.default_price as string;
    const refused = await failure(s().prices.update(old, { active: false }));
    expect(refused.statusCode).toBe(400);
    const next = checked(
      await s().prices.create({ product: product.id, currency: 'usd', unit_amount: 3400 }),
    );
    const switched = checked(await s().products.update(product.id, { default_price: next.id }));
    expect(switched.default_price).toBe(next.id);
    const archived = checked(await s().prices.update(old, { active: false, nickname: 'before May' }));
    expect(archived.active).toBe(false);
    const ev = (await eventsFor(target(), old, 2)).find((e) => e.type === 'price.updated') as Stripe.Event;
    checked(ev);
    expect(ev.data.previous_attributes).toMatchObject({ active: true, nickname: null });
    const pEvents = (await eventsFor(target(), product.id, 2)).filter((e) => e.type === 'product.updated');
    expect(pEvents.at(-1)?.data.previous_attributes).toMatchObject({ default_price: old });
  });

  it('a product is deleted only while it has no prices (archived ones count)', async () => {
    const priced = await s().products.create({
      name: 'Kettle',
      default_price_data: { currency: 'usd', unit_amount: 8900 },
    });
    const err = await failure(s().products.del(priced.id));
    expect(err.statusCode).toBe(400);
    expect((await s().products.retrieve(priced.id)).id).toBe(priced.id);
    const bare = await s().products.create({ name: 'Never sold' });
    const del = checked(await s().products.del(bare.id));
    expect(del).toMatchObject({ id: bare.id, object: 'product', deleted: true });
    const gone = await failure(s().products.retrieve(bare.id));
    expect(gone.statusCode).toBe(404);
    expect(gone.code).toBe('resource_missing');
    expect((await eventsFor(target(), bare.id, 2)).map((e) => e.type)).toContain('product.deleted');
  });

  it('lists: products by ids/active/created with paging and expand; prices by product/active/type', async () => {
    const made: Stripe.Product[] = [];
    for (let i = 0; i < 3; i++) {
      made.push(
        await s().products.create({
          name: `List ${i}`,
          active: i !== 1,
          default_price_data: { currency: 'usd', unit_amount: 1000 + i },
        }),
      );
    }
    const ids = made.map((p) => p.id);
    const all = checked(await s().products.list({ ids, limit: 2, expand: ['data.default_price'] }));
    expect(all.data.map((p) => p.id)).toEqual([ids[2], ids[1]]);
    expect(all.has_more).toBe(true);
    expect((all.data[0]?.default_price as Stripe.Price).unit_amount).toBe(1002);
    const rest = await s().products.list({ ids, limit: 2, starting_after: ids[1] });
    expect(rest.data.map((p) => p.id)).toEqual([ids[0]]);
    expect(rest.has_more).toBe(false);
    const newer = await s().products.list({ ids, ending_before: ids[0] });
    expect(newer.data.map((p) => p.id)).toEqual([ids[2], ids[1]]);
    const active = await s().products.list({ ids, active: true });
    expect(active.data.map((p) => p.id)).toEqual([ids[2], ids[0]]);
    const since = await s().products.list({ ids, created: { gte: made[0]?.created as number } });
    expect(since.data).toHaveLength(3);
    const none = await s().products.list({ ids, created: { lt: made[0]?.created as number } });
    expect(none.data).toHaveLength(0);

    const extra = await s().prices.create({
      product: ids[0] as string,
      currency: 'usd',
      unit_amount: 5,
      active: false,
    });
    const prices = checked(await s().prices.list({ product: ids[0] as string, expand: ['data.product'] }));
    expect(prices.data.map((p) => p.id)).toEqual([extra.id, made[0]?.default_price]);
    expect((prices.data[0]?.product as Stripe.Product).name).toBe('List 0');
    const activeOnly = await s().prices.list({ product: ids[0] as string, active: true, type: 'one_time' });
    expect(activeOnly.data.map((p) => p.id)).toEqual([made[0]?.default_price]);
    expect((await s().prices.list({ product: ids[0] as string, type: 'recurring' })).data).toHaveLength(0);
  });

  it('refusals: missing name, price without product, unknown product, unknown parameter', async () => {
    const noName = await failure(s().products.create({} as Stripe.ProductCreateParams));
    expect(noName.code).toBe('parameter_missing');
    expect(noName.param).toBe('name');
    const noProduct = await failure(s().prices.create({ currency: 'usd', unit_amount: 100 }));
    expect(noProduct.statusCode).toBe(400);
    const missing = await failure(
      s().prices.create({ product: 'prod_doesnotexist', currency: 'usd', unit_amount: 1 }),
    );
    expect(missing.code).toBe('resource_missing');
    expect(missing.param).toBe('product');
    const product = await s().products.create({ name: 'Refusals' });
    const unknown = await failure(
      s().products.update(product.id, { bogus: 1 } as Stripe.ProductUpdateParams),
    );
    expect(unknown.code).toBe('parameter_unknown');
  });
});
