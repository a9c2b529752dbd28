// Money calls that can't double-charge: dropped connections after Stripe committed, a crash mid-capture,
// concurrent captures from two managers or two stations.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { startHarness, readyCart, type Harness } from '../../../helpers/core-harness';

const TEA = { sku: 'TEA-1', unitAmount: 1250, stock: 50, quantity: 2 };
const OUT = { sku: 'KETTLE-0', unitAmount: 8900, stock: 0, quantity: 1 };

const harnesses: Harness[] = [];
async function harness(o: Parameters<typeof startHarness>[0] = {}) {
  const h = await startHarness(o);
  harnesses.push(h);
  return h;
}
afterEach(async () => {
  while (harnesses.length) await harnesses.pop()!.close();
});

async function countEvents(h: Harness, type: string): Promise<number> {
  let n = 0;
  for await (const _e of h.stripe.events.list({ type, limit: 100 })) n++;
  return n;
}

describe('a dropped connection after Stripe committed', () => {
  it('create: exactly one PaymentIntent', async () => {
    const h = await harness();
    const cart = await readyCart(h, [TEA]);
    await h.fault({ kind: 'drop_after_commit', count: 1, path_prefix: '/v1/payment_intents' });
    const paid = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(paid.phase).toBe('succeeded');
    expect((await h.stripe.paymentIntents.list({ limit: 100 })).data).toHaveLength(1);
  });

  it('confirm: exactly one charge', async () => {
    const h = await harness();
    const cart = await readyCart(h, [TEA]);
    await h.fault({ kind: 'drop_after_commit', count: 1, path_prefix: '/v1/payment_intents/pi_' });
    const paid = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(paid.phase).toBe('succeeded');
    expect((await h.stripe.charges.list({ limit: 100 })).data).toHaveLength(1);
    expect(await countEvents(h, 'payment_intent.succeeded')).toBe(1);
  });

  it('confirm with no SDK retries: "pending confirmation", then settled by the same key — never guessed', async () => {
    const h = await harness({ maxNetworkRetries: 0, timeoutMs: 800 });
    const cart = await readyCart(h, [TEA]);
    // Create the PaymentIntent first (a decline), then make the next confirm outlast the client's timeout:
    // it executes at Stripe, but the console never hears the answer.
    await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa_chargeDeclined' }, 'staff');
    await h.fault({ kind: 'delay', count: 1, delay_ms: 2500, path_prefix: '/v1/payment_intents/pi_' });
    const pending = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(pending.phase).toBe('pending_confirmation');
    await new Promise((r) => setTimeout(r, 1800)); // the delayed confirm completes at the emulator
    // Paying again first settles the unknown attempt with its own key: it had succeeded, so no second charge.
    const again = await h.call(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_mastercard' },
      'staff',
    );
    expect(again.phase).toBe('succeeded');
    const charges = (await h.stripe.charges.list({ limit: 100 })).data;
    expect(charges.filter((c) => c.status === 'succeeded')).toHaveLength(1);
    // The charge is the first attempt's Visa (4242), not the Mastercard offered second.
    expect(charges.find((c) => c.status === 'succeeded')!.payment_method_details?.card?.last4).toBe('4242');
  });

  it('capture: exactly one capture', async () => {
    const h = await harness();
    const cart = await readyCart(h, [OUT]);
    const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    const [hold] = await h.call('holds:list', { include: 'open' });
    await h.fault({
      kind: 'drop_after_commit',
      count: 1,
      path_prefix: `/v1/payment_intents/${held.paymentIntentId}/capture`,
    });
    const captured = await h.call('holds:capture', {
      paymentIntentId: held.paymentIntentId!,
      amount: 5000,
      version: hold!.version,
      pin: '2468',
    });
    expect(captured.status).toBe('partially_captured');
    expect((await h.stripe.paymentIntents.retrieve(held.paymentIntentId!)).amount_received).toBe(5000);
    expect(await countEvents(h, 'charge.captured')).toBe(1);
  });

  it('refund: exactly one refund', async () => {
    const h = await harness();
    const cart = await readyCart(h, [TEA]);
    await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    await h.sync();
    const order = (await h.call('orders:list', {})).rows[0]!;
    await h.fault({ kind: 'drop_after_commit', count: 1, path_prefix: '/v1/refunds' });
    const after = await h.call('orders:refund', {
      orderId: order.id,
      amount: 700,
      expectedRefunded: 0,
      pin: '2468',
    });
    expect(after.ledger.refunded).toBe(700);
    expect((await h.stripe.refunds.list({ limit: 100 })).data).toHaveLength(1);
  });

  it('a 500 and a 429 are retried with the same key and succeed once', async () => {
    const h = await harness();
    const cart = await readyCart(h, [TEA]);
    await h.fault({ kind: 'status_500', count: 1, path_prefix: '/v1/payment_intents' });
    await h.fault({ kind: 'status_429', count: 1, path_prefix: '/v1/payment_intents' });
    const paid = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(paid.phase).toBe('succeeded');
    expect((await h.stripe.paymentIntents.list({ limit: 100 })).data).toHaveLength(1);
  });
});

describe('a crash mid-capture', () => {
  it('SIGKILL while the capture is in flight; on restart the same key completes exactly one capture', async () => {
    const h = await harness();
    const cart = await readyCart(h, [OUT]);
    const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    const piId = held.paymentIntentId!;
    const [hold] = await h.call('holds:list', { include: 'open' });
    await h.services.close(); // the child process takes over this station's data folder

    // The emulator holds the capture for 1.5 s; the child is killed while it waits.
    await h.fault({
      kind: 'delay',
      count: 1,
      delay_ms: 2500,
      path_prefix: `/v1/payment_intents/${piId}/capture`,
    });
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, '../../../helpers/core-child.ts'),
        h.dataDir,
        String(h.emulator.port),
        'capture',
        piId,
        '6000',
        String(hold!.version),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const dbPath = join(h.dataDir, 'console-emulator.sqlite');
    const keyBefore = await new Promise<string>((resolve, reject) => {
      const deadline = Date.now() + 15_000;
      const poll = () => {
        try {
          const db = new Database(dbPath, { readonly: true });
          const row = db
            .prepare(
              `SELECT key, attempts, state FROM stripe_requests WHERE operation = 'payment_intent.capture'`,
            )
            .get() as { key: string; attempts: number; state: string } | undefined;
          db.close();
          if (row && row.attempts >= 1 && row.state === 'pending') return resolve(row.key);
        } catch {
          /* the child may be mid-write */
        }
        if (Date.now() > deadline) return reject(new Error('the child never started the capture'));
        setTimeout(poll, 50);
      };
      poll();
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(keyBefore).toBe(`mc_capture_${piId}_6000_v${hold!.version}`);

    // Start the station again: recovery re-attempts the journaled capture with the same key.
    await h.restart();
    await new Promise((r) => setTimeout(r, 2700)); // let the emulator finish the delayed request
    const settled = await h.services.recover();
    expect(settled).toBe(1);
    const entry = h.services.db
      .prepare(`SELECT key, state, attempts FROM stripe_requests WHERE operation = 'payment_intent.capture'`)
      .all() as { key: string; state: string; attempts: number }[];
    expect(entry).toHaveLength(1);
    expect(entry[0]).toMatchObject({ key: keyBefore, state: 'succeeded', attempts: 2 });
    const pi = await h.stripe.paymentIntents.retrieve(piId);
    expect(pi).toMatchObject({ status: 'succeeded', amount_received: 6000 });
    expect(await countEvents(h, 'charge.captured')).toBe(1);
    await h.sync();
    expect((await h.call('holds:list', { include: 'all' }))[0]).toMatchObject({
      status: 'partially_captured',
      amountCaptured: 6000,
    });
  }, 30_000);
});

describe('concurrent captures', () => {
  it('two managers pressing Capture at once make one capture', async () => {
    const h = await harness();
    await h.call('users:create', { name: 'Robin Manager', role: 'manager', pin: '9753', managerPin: '2468' });
    await h.call('auth:login', { name: 'Robin Manager', pin: '9753' }, 'manager2');
    const cart = await readyCart(h, [OUT]);
    const held = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    const [hold] = await h.call('holds:list', { include: 'open' });
    const input = { paymentIntentId: held.paymentIntentId!, amount: 8900, version: hold!.version };
    const [a, b] = await Promise.all([
      h.raw('holds:capture', { ...input, pin: '2468' }, 'manager'),
      h.raw('holds:capture', { ...input, pin: '9753' }, 'manager2'),
    ]);
    expect(a.ok).toBe(true);
    expect(b.ok).toBe(true);
    expect(await countEvents(h, 'charge.captured')).toBe(1);
    expect((await h.stripe.paymentIntents.retrieve(held.paymentIntentId!)).amount_received).toBe(8900);
  });

  it('two stations capturing the same hold at once make one capture', async () => {
    const a = await harness();
    const b = await harness({ emulator: a.emulator });
    const cart = await readyCart(a, [OUT]);
    const held = await a.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    await a.sync();
    await b.sync(); // station B learns of the hold from Stripe's events
    const [holdA] = await a.call('holds:list', { include: 'open' });
    const [holdB] = await b.call('holds:list', { include: 'open' });
    expect(holdB!.paymentIntentId).toBe(held.paymentIntentId);
    const [ra, rb] = await Promise.all([
      a.raw('holds:capture', {
        paymentIntentId: holdA!.paymentIntentId,
        amount: 8900,
        version: holdA!.version,
        pin: '2468',
      }),
      b.raw('holds:capture', {
        paymentIntentId: holdB!.paymentIntentId,
        amount: 8900,
        version: holdB!.version,
        pin: '2468',
      }),
    ]);
    expect([ra.ok, rb.ok].filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(await countEvents(a, 'charge.captured')).toBe(1);
    expect((await a.stripe.paymentIntents.retrieve(held.paymentIntentId!)).amount_received).toBe(8900);
  });
});

describe('the journal survives a restart mid-checkout', () => {
  it('an interrupted create is resumed with its key: one PaymentIntent for the cart', async () => {
    const h = await harness({ maxNetworkRetries: 0, timeoutMs: 800 });
    const cart = await readyCart(h, [TEA]);
    await h.fault({ kind: 'delay', count: 1, delay_ms: 2500, path_prefix: '/v1/payment_intents' });
    const r = await h.raw('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(r).toMatchObject({ ok: false, error: { code: 'pending_confirmation' } });
    await new Promise((r) => setTimeout(r, 1800));
    await h.restart();
    const paid = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(paid.phase).toBe('succeeded');
    expect((await h.stripe.paymentIntents.list({ limit: 100 })).data).toHaveLength(1);
  });
});

describe('past the key’s safe window', () => {
  it('an unconfirmed request older than 23 hours is settled by reading back, not by retrying', async () => {
    const h = await harness({ maxNetworkRetries: 0, timeoutMs: 800 });
    const cart = await readyCart(h, [TEA]);
    await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa_chargeDeclined' }, 'staff');
    await h.fault({ kind: 'delay', count: 1, delay_ms: 2500, path_prefix: '/v1/payment_intents/pi_' });
    const pending = await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(pending.phase).toBe('pending_confirmation');
    await new Promise((r) => setTimeout(r, 1800));
    h.emulator.advanceClock(24 * 3600);
    const settled = await h.call('payments:refresh', { cartId: cart.id }, 'staff');
    expect(settled.phase).toBe('succeeded');
    const confirm = h.services.db
      .prepare(
        `SELECT state, attempts FROM stripe_requests WHERE operation = 'payment_intent.confirm' ORDER BY created_at DESC LIMIT 1`,
      )
      .get() as { state: string; attempts: number };
    expect(confirm).toEqual({ state: 'succeeded', attempts: 1 });
    expect(
      (await h.stripe.charges.list({ limit: 100 })).data.filter((c) => c.status === 'succeeded'),
    ).toHaveLength(1);
  });
});
