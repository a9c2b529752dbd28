/** Unit tests: form parser, parameter validation, idempotency layer, event listing, schema fixture. */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { formToPlain, parseForm } from '../../../../electron/emulator/form';
import { validate } from '../../../../electron/emulator/params';
import type { StripeApiError } from '../../../../electron/emulator/errors';
import { IdempotencyLayer } from '../../../../electron/emulator/idempotency';
import { State } from '../../../../electron/emulator/state';
import { paginate } from '../../../../electron/emulator/lists';
import { expandObject } from '../../../../electron/emulator/expand';
import { Kernel, applyUpdate } from '../../../../electron/emulator/kernel';
import type { Stored } from '../../../../electron/emulator/state';
import { fixtureExists, schemaErrors } from '../../../helpers/emulator-schema';
import { emulatorTarget } from '../../../helpers/emulator-target';
import type { Target } from '../../../helpers/emulator-target';
import type { RunningEmulator } from '../../../../electron/emulator/index';

describe('form parser', () => {
  it('parses nested objects, indexed and [] arrays, metadata and encoding', () => {
    const f = parseForm(
      'amount=100&metadata[order]=A%201&metadata[note]=a+b&expand[0]=latest_charge&expand[1]=customer&types[]=a&types[]=b&payment_method_options[card][moto]=true&x=1&x=2',
    );
    expect(formToPlain(f)).toEqual({
      amount: '100',
      expand: ['latest_charge', 'customer'],
      metadata: { note: 'a b', order: 'A 1' },
      payment_method_options: { card: { moto: 'true' } },
      types: ['a', 'b'],
      x: '2',
    });
  });
  it('arrays of objects and encoded brackets', () => {
    const f = parseForm('items[0][price]=p1&items[0][qty]=2&items[1][price]=p2&a%5Bb%5D=c');
    expect(formToPlain(f)).toEqual({ a: { b: 'c' }, items: [{ price: 'p1', qty: '2' }, { price: 'p2' }] });
  });
  it('metadata with numeric keys stays a map after validation', () => {
    const p = validate({ metadata: 'metadata' }, parseForm('metadata[0]=zero&metadata[7]=seven'));
    expect(p.metadata).toEqual({ 0: 'zero', 7: 'seven' });
  });
  it('rejects malformed keys', () => {
    expect(() => parseForm('a[b=1')).toThrow();
  });
});

describe('parameter validation', () => {
  const spec = { amount: 'integer', confirm: 'boolean', card: { object: { moto: 'boolean' } } } as const;
  const err = (fn: () => unknown): StripeApiError => {
    try {
      fn();
    } catch (e) {
      return e as StripeApiError;
    }
    throw new Error('no error');
  };
  it('unknown nested parameter names the bracketed param', () => {
    const e = err(() => validate(spec, parseForm('card[nope]=1')));
    expect(e.body.code).toBe('parameter_unknown');
    expect(e.body.param).toBe('card[nope]');
    expect(e.beforeExecution).toBe(true);
  });
  it('invalid integer, missing param', () => {
    expect(err(() => validate(spec, parseForm('amount=1.5'))).body.code).toBe('parameter_invalid_integer');
    expect(err(() => validate(spec, parseForm('confirm=true'), '', ['amount'])).body).toMatchObject({
      code: 'parameter_missing',
      param: 'amount',
    });
    expect(validate(spec, parseForm('amount=-5&confirm=false'))).toEqual({ amount: -5, confirm: false });
  });
});

describe('idempotency layer', () => {
  let now = 1_000_000;
  const state = new State();
  const layer = new IdempotencyLayer(state, () => now);
  it('new → in flight (409) → saved (replay) → other params / endpoint (400) → expiry', () => {
    const a = layer.begin('k', 'POST', '/v1/customers', 'p1');
    expect(a.kind).toBe('new');
    const busy = layer.begin('k', 'POST', '/v1/customers', 'p1');
    expect(busy.kind === 'error' && busy.error.status).toBe(409);
    if (a.kind !== 'new') throw new Error();
    layer.complete(a.rec, 200, '{"id":"cus_1"}', 'req_1');
    const r = layer.begin('k', 'POST', '/v1/customers', 'p1');
    expect(r.kind === 'replay' && r.rec.body).toBe('{"id":"cus_1"}');
    const p = layer.begin('k', 'POST', '/v1/customers', 'p2');
    expect(p.kind === 'error' && p.error.body.type).toBe('idempotency_error');
    const e = layer.begin('k', 'POST', '/v1/payment_intents', 'p1');
    expect(e.kind === 'error' && e.error.status).toBe(400);
    now += 24 * 3600 * 1000;
    expect(layer.begin('k', 'POST', '/v1/customers', 'p2').kind).toBe('new');
  });
  it('abandoned keys are forgotten; over-long keys rejected', () => {
    const a = layer.begin('v', 'POST', '/v1/x', 'p');
    if (a.kind !== 'new') throw new Error();
    layer.abandon(a.rec);
    expect(layer.begin('v', 'POST', '/v1/x', 'other').kind).toBe('new');
    expect(layer.begin('x'.repeat(256), 'POST', '/v1/x', 'p').kind).toBe('error');
  });
});

describe('pagination core', () => {
  const all = () => true;
  it('newest first, starting_after older, ending_before newer (closest first) with has_more', () => {
    expect(paginate(10, { limit: 3 }, all)).toEqual({ positions: [9, 8, 7], hasMore: true });
    expect(paginate(10, { limit: 3, startingAfter: 2 }, all)).toEqual({ positions: [1, 0], hasMore: false });
    expect(paginate(10, { limit: 3, endingBefore: 2 }, all)).toEqual({ positions: [5, 4, 3], hasMore: true });
    expect(paginate(10, { limit: 3, endingBefore: 6 }, all)).toEqual({
      positions: [9, 8, 7],
      hasMore: false,
    });
    expect(paginate(10, { limit: 3, endingBefore: 9 }, all)).toEqual({ positions: [], hasMore: false });
  });
});

describe('expand', () => {
  const stored = (obj: Record<string, unknown>, deleted = false): Stored =>
    ({ kind: 'charge', obj, internal: deleted ? { deleted } : {}, seq: 1 }) as unknown as Stored;
  const db = new Map<string, Stored>([
    ['ch_1', stored({ id: 'ch_1', object: 'charge', customer: 'cus_1', payment_method: 'pm_1' })],
    ['cus_1', stored({ id: 'cus_1', object: 'customer' }, true)],
  ]);
  const pi = { id: 'pi_1', object: 'payment_intent', amount: 5, latest_charge: 'ch_1', customer: null };
  it('replaces ids on a copy, through nested objects; deleted objects become stubs', () => {
    const out = expandObject(pi, ['latest_charge.customer', 'customer'], (id) => db.get(id));
    expect(out.latest_charge).toEqual({
      id: 'ch_1',
      object: 'charge',
      customer: { id: 'cus_1', object: 'customer', deleted: true },
      payment_method: 'pm_1',
    });
    expect(out.customer).toBeNull();
    expect(pi.latest_charge).toBe('ch_1');
  });
  it('refuses fields that are not expandable on their object, and unknown fields', () => {
    for (const path of ['amount', 'latest_charge.payment_method', 'nope']) {
      expect(() => expandObject(pi, [path], (id) => db.get(id))).toThrow(/cannot be expanded/);
    }
  });
});

describe('kernel: updates and scheduled work', () => {
  it('applyUpdate sets what differs and returns the previous values', () => {
    const o = { a: 1, b: { x: 1 }, c: null as string | null };
    expect(applyUpdate(o, { a: 1, b: { x: 2 }, c: 'y', d: undefined })).toEqual({ b: { x: 1 }, c: null });
    expect(o).toEqual({ a: 1, b: { x: 2 }, c: 'y' });
  });
  it('runs due tasks in due order (then scheduling order), once; cancelled ones never', () => {
    let now = 1_000_000;
    const k = new Kernel({ nowMs: () => now }, {} as never);
    const ran: string[] = [];
    k.onTimer('t', (id, at) => ran.push(`${id}@${at}`));
    k.schedule('t', 'late', 1010);
    k.schedule('t', 'b', 1005);
    k.schedule('t', 'a', 1005);
    k.schedule('t', 'gone', 1001);
    k.cancelTimer('t', 'gone');
    expect(k.nextTimerAt()).toBe(1005);
    k.tick();
    expect(ran).toEqual([]);
    now = 1_007_000;
    k.tick();
    k.tick();
    expect(ran).toEqual(['b@1005', 'a@1005']);
    expect(k.nextTimerAt()).toBe(1010);
    now = 1_010_000;
    k.tick();
    expect(ran).toEqual(['b@1005', 'a@1005', 'late@1010']);
    expect(k.nextTimerAt()).toBeUndefined();
  });
});

describe('event listing over HTTP', () => {
  let t: Target & { emulator: RunningEmulator };
  const ids: string[] = [];
  beforeAll(async () => {
    t = await emulatorTarget({ clock: { now: () => Date.UTC(2026, 0, 1) } });
    // 25 customers in the same second → 25 customer.created events sharing one `created`
    for (let i = 0; i < 25; i++) await t.stripe.customers.create({ name: `c${i}` });
    await t.stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const list = await t.stripe.events.list({ limit: 100 });
    ids.push(...list.data.map((e) => e.id).reverse()); // oldest first
  });
  afterAll(() => t.close());

  it('newest first with stable order for equal created; default limit 10', async () => {
    expect(ids).toHaveLength(26);
    const page = await t.stripe.events.list();
    expect(page.data).toHaveLength(10);
    expect(page.data.map((e) => e.id)).toEqual(ids.slice(-10).reverse());
    expect(page.has_more).toBe(true);
  });

  it('sync-engine polling with ending_before pages forward exactly once over everything', async () => {
    const seen: string[] = [];
    let cursor = ids[0] as string;
    for (;;) {
      const page = await t.stripe.events.list({ ending_before: cursor, limit: 7 });
      const batch = page.data.map((e) => e.id).reverse(); // oldest first
      seen.push(...batch);
      if (batch.length) cursor = batch[batch.length - 1] as string;
      if (!page.has_more) break;
    }
    expect(seen).toEqual(ids.slice(1));
    const empty = await t.stripe.events.list({ ending_before: ids[ids.length - 1] as string });
    expect(empty.data).toEqual([]);
    expect(empty.has_more).toBe(false);
  });

  it('starting_after pages backwards; auto-pagination sees all', async () => {
    const all = await t.stripe.events.list({ limit: 4 }).autoPagingToArray({ limit: 1000 });
    expect(all.map((e) => e.id)).toEqual([...ids].reverse());
  });

  it('type wildcard, types[], created filters; exclusive params rejected', async () => {
    const pi = await t.stripe.events.list({ type: 'payment_intent.*', limit: 100 });
    expect(pi.data.map((e) => e.type)).toEqual(['payment_intent.created']);
    const many = await t.stripe.events.list({
      types: ['customer.created', 'payment_intent.created'],
      limit: 100,
    });
    expect(many.data).toHaveLength(26);
    const created = (await t.stripe.events.list({ limit: 1 })).data[0]?.created as number;
    expect((await t.stripe.events.list({ created: { gt: created }, limit: 100 })).data).toHaveLength(0);
    expect((await t.stripe.events.list({ created: created, limit: 100 })).data).toHaveLength(26);
    await expect(t.stripe.events.list({ type: 'a', types: ['b'] })).rejects.toMatchObject({
      statusCode: 400,
    });
    await expect(
      t.stripe.events.list({ starting_after: ids[1], ending_before: ids[2] }),
    ).rejects.toMatchObject({ statusCode: 400 });
    await expect(t.stripe.events.list({ limit: 101 })).rejects.toMatchObject({ statusCode: 400 });
    await expect(t.stripe.events.list({ limit: 0 })).rejects.toMatchObject({ statusCode: 400 });
  });
});

describe('schema fixture', () => {
  it('exists (generate with: npx tsx scripts/gen-stripe-schemas.ts)', () => {
    expect(fixtureExists()).toBe(true);
  });
  it('is strict: unknown properties and missing required fields fail', () => {
    const wh = { id: 'we_1', object: 'webhook_endpoint', deleted: true };
    expect(schemaErrors(wh)).toEqual([]);
    expect(schemaErrors({ ...wh, extra: 1 }).length).toBeGreaterThan(0);
    expect(schemaErrors({ id: 'cus_1', object: 'customer' }).length).toBeGreaterThan(0);
  });
});
