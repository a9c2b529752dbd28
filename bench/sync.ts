/**
 * Event sync, orders and fulfillment benchmark (issue #5): `npx tsx bench/sync.ts` prints one JSON line.
 * The real core (createServices) against the Stripe emulator over HTTP on loopback — both in this process,
 * as in the offline demo, so on 2 cores they share one event loop.
 *  - catchup_10k_events_s: ~10,000 backlog events fetched (GET /v1/events, 100 a page) and applied.
 *  - apply_events_per_s: in-process application (ledger + projections + orders, and the search index at the
 *    end of the cycle) of realistic events, in pages of 100 per transaction, no HTTP, per CPU second (an
 *    absolute rate: other processes' load on this shared machine would move a wall-time one).
 *  - apply_vs_raw_insert: the time of plain INSERTs of the same event JSON into a table of their own (same
 *    database settings, same batching) over the applier's, the two timed page by page in the same moments, so
 *    whatever load the machine has weighs on both; wall time, as the figure was first measured.
 *    apply_vs_raw_insert_cpu: the same in CPU time of this process.
 *  - freshness_poll_p95_ms / freshness_webhook_p95_ms: a payment made "elsewhere" (after staff moved on) to
 *    its order readable through orders:get, with the real poller (timer, idle back-off) or a forwarded
 *    webhook. event.created has whole-second resolution, so the clock starts from the wall time just
 *    before the confirm call returns (the event already exists at the emulator by then).
 *  - orders_page_p95_ms: 100,000 orders in SQLite, orders:list with a status filter and a search query,
 *    100 a page, through the IPC dispatcher (zod validation included).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';
import { startHarness, quietLogger, type Harness } from '../test/helpers/core-harness';
import type { RunningEmulator } from '../electron/emulator/index';
import { openDatabase } from '../electron/core/store/db';
import { makeApplier } from '../electron/core/sync/apply';
import { startWebhookReceiver } from '../electron/core/sync/webhook-receiver';
import { orderIdFor } from '../electron/core/orders/orders-repo';
import { encodeOrderMetadata } from '../electron/core/orders/order-metadata';

/** What the console writes on a PaymentIntent: the order's content (lines, number, station) in its metadata. */
function orderMetadata(i: number): Record<string, string> {
  return encodeOrderMetadata({
    cartId: `cart_bench_${i}`,
    stationCode: 'Z',
    number: 1000 + i,
    stationId: 'stbench',
    stationName: 'Bench',
    takenBy: 'Bench',
    customerName: `Customer ${i}`,
    lines: [
      {
        sku: 'TEA-EARL-100',
        name: 'Earl Grey loose leaf, 100 g',
        quantity: 1 + (i % 3),
        unitAmount: 1250,
        waitlist: false,
      },
      { sku: 'CUP-PORC-2', name: 'Porcelain cups, set of 2', quantity: 1, unitAmount: 2800, waitlist: false },
    ],
    delivery: 'ship',
    shippingFee: 495,
  });
}

/**
 * A shop-day order as the console creates it (payments-service.ts details()): its lines and number in the
 * metadata, the customer, the shipping address with the phone, the receipt email and the description.
 */
function orderParams(i: number, customer: string | undefined): Stripe.PaymentIntentCreateParams {
  return {
    amount: 1000 + (i % 50) * 10,
    currency: 'usd',
    payment_method: 'pm_card_visa',
    confirm: true,
    statement_descriptor_suffix: 'PHONE ORDER',
    description: `Phone order Z${1000 + i}: ${1 + (i % 3)}× Earl Grey loose leaf, 100 g, 1× Porcelain cups, set of 2, shipping`,
    metadata: orderMetadata(i),
    ...(customer
      ? {
          customer,
          receipt_email: `customer${i % 500}@mail.example`,
          shipping: {
            name: `Customer ${i}`,
            phone: '+1 555 010 4321',
            address: {
              line1: `${i % 900} Harbour Road`,
              city: 'Portland',
              state: 'ME',
              postal_code: '04101',
              country: 'US',
            },
          },
        }
      : {}),
  };
}

async function benchCustomer(h: Harness): Promise<string> {
  return (
    await h.stripe.customers.create({
      name: 'Customer 0',
      email: 'customer0@mail.example',
      phone: '+1 555 010 4321',
      address: {
        line1: '1 Harbour Road',
        city: 'Portland',
        state: 'ME',
        postal_code: '04101',
        country: 'US',
      },
    })
  ).id;
}

const ROOT = join(import.meta.dirname, '..');
const log = (m: string) => process.stderr.write(`  sync: ${m}\n`);

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]!;
}
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** create+confirm `n` shop-day orders "made by the console" (metadata.cart_id), `concurrency` at a time. */
async function makePayments(h: Harness, n: number, concurrency = 16, customer?: string): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        // The console's own requests carry mc_ idempotency keys (the journal's): events echo them.
        await h.stripe.paymentIntents.create(orderParams(i, customer), {
          idempotencyKey: `mc_payment_intent_create_bench_${process.pid}_${Date.now()}_${i}`,
        });
      }
    }),
  );
}

/**
 * The poller's catch-up of a 10,000-event backlog, and beside it a plain read of the same event pages (the same
 * GET /v1/events?ending_before=…&limit=100 requests through the same gateway, nothing applied), once before and
 * once after, so the machine's load weighs on both: catchup_vs_plain_read = plain read time / catch-up time.
 */
async function catchUp(): Promise<{ s: number; plainS: number }> {
  const h = await startHarness({ accounts: false });
  try {
    const customer = await benchCustomer(h);
    await makePayments(h, 1, 1, customer);
    await h.sync(); // a cursor exists: the console was running, then asleep
    log('building a 10,000-event backlog…');
    await makePayments(h, 3334, 16, customer); // 3 events each: payment_intent.created, charge.succeeded, payment_intent.succeeded
    const cursor = h.services.db
      .prepare("SELECT value FROM sync_state WHERE key = 'cursor'")
      .pluck()
      .get() as string;
    const plainRead = async (): Promise<number> => {
      const t0 = performance.now();
      let after = cursor;
      let n = 0;
      for (;;) {
        const page = await h.services.gateway().listEvents({ ending_before: after, limit: 100 });
        if (page.data.length === 0) break;
        n += page.data.length;
        after = page.data[0]!.id;
        if (!page.has_more) break;
      }
      if (n < 10_000) throw new Error(`plain read saw only ${n} events`);
      return (performance.now() - t0) / 1000;
    };
    const before = await plainRead();
    const t0 = performance.now();
    let applied = 0;
    for (;;) {
      const n = await h.services.sync.pollOnce();
      applied += n;
      if (n === 0) break;
    }
    const s = (performance.now() - t0) / 1000;
    const after = await plainRead();
    const orders = (h.services.db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
    log(
      `caught up ${applied} events (${orders} orders) in ${s.toFixed(2)} s; a plain read of the same pages ${before.toFixed(2)} s before, ${after.toFixed(2)} s after`,
    );
    if (applied < 10_000) throw new Error(`backlog too small: ${applied}`);
    return { s, plainS: (before + after) / 2 };
  } finally {
    await h.close();
  }
}

/**
 * Realistic events: a real shop-day order from the emulator (payment_intent.created, charge.succeeded,
 * payment_intent.succeeded — an order for every three events, with lines, customer and address), cloned with
 * fresh ids.
 */
async function templateEvents(): Promise<string[]> {
  const h = await startHarness({ accounts: false });
  try {
    await makePayments(h, 1, 1, await benchCustomer(h));
    const page = await h.stripe.events.list({ limit: 3, types: [...TEMPLATE_TYPES] });
    if (page.data.length !== 3) throw new Error(`expected 3 template events, got ${page.data.length}`);
    return [...page.data].reverse().map((e) => JSON.stringify(e));
  } finally {
    await h.close();
  }
}
const TEMPLATE_TYPES = ['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded'] as const;

function synthesize(templates: string[], count: number): Stripe.Event[] {
  const first = JSON.parse(templates[0]!) as Stripe.Event;
  const pi = (first.data.object as Stripe.PaymentIntent).id;
  const cart = (first.data.object as Stripe.PaymentIntent).metadata.cart_id!;
  const charges = new Set<string>();
  for (const t of templates) for (const m of t.matchAll(/"(ch_[A-Za-z0-9]+)"/g)) charges.add(m[1]!);
  const out: Stripe.Event[] = [];
  for (let i = 0; out.length < count; i++) {
    for (const t of templates) {
      let s = t.split(pi).join(`pi_syn${i}x`).split(cart).join(`cart_syn${i}`);
      for (const ch of charges) s = s.split(ch).join(`ch_syn${i}x`);
      s = s.replace(/"idempotency_key":"(mc_[a-z_]+?)_[^"]*"/g, `"idempotency_key":"$1_syn${i}"`);
      const e = JSON.parse(s) as Stripe.Event;
      e.id = `evt_syn${i}x${out.length}`;
      out.push(e);
    }
  }
  return out.slice(0, count);
}

/**
 * BENCH_STATEMENTS=1 (with BENCH_SYNC_ONLY=apply): every statement the applier prepares on `db` is timed, and
 * the totals are logged, largest first — where the apply time goes, per SQL text. (Sampling profiles attribute
 * SQLite's time to whichever JS frame called it, and inflate small JS functions.) Timing adds ~0.1 µs a call.
 */
function timeStatements(db: ReturnType<typeof openDatabase>): { report(cpuS: number): void } {
  const totals = new Map<string, { n: number; ns: bigint }>();
  const wrapped = new WeakSet<object>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const c0 = process.hrtime.bigint();
    const st = prepare(sql);
    const key = sql.replace(/\s+/g, ' ').slice(0, 100);
    // Compiling the SQL (better-sqlite3 keeps no statement cache: each prepare() compiles), apart.
    const c = totals.get('(compile)') ?? { n: 0, ns: 0n };
    c.n++;
    c.ns += process.hrtime.bigint() - c0;
    totals.set('(compile)', c);
    if (wrapped.has(st)) return st; // a statement kept and prepared again: already timed
    wrapped.add(st);
    for (const m of ['run', 'get', 'all'] as const) {
      const f = st[m].bind(st) as (...a: unknown[]) => unknown;
      (st as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => {
        const t0 = process.hrtime.bigint();
        try {
          return f(...a);
        } finally {
          const t = totals.get(key) ?? { n: 0, ns: 0n };
          t.n++;
          t.ns += process.hrtime.bigint() - t0;
          totals.set(key, t);
        }
      };
    }
    return st;
  }) as typeof db.prepare;
  return {
    report(cpuS) {
      const rows = [...totals].sort((a, b) => Number(b[1].ns - a[1].ns));
      const all = rows.reduce((n, [, t]) => n + Number(t.ns), 0) / 1e6;
      log(`statements: ${all.toFixed(0)} ms of ${(cpuS * 1000).toFixed(0)} ms CPU (the rest: commits, JS)`);
      for (const [sql, t] of rows.filter(([k], i) => i < 25 || k === '(compile)'))
        log(
          `${(Number(t.ns) / 1e6).toFixed(0).padStart(6)} ms ${String(t.n).padStart(6)}× ${(Number(t.ns) / t.n / 1000).toFixed(1).padStart(6)} µs  ${sql}`,
        );
    },
  };
}

async function applyRate(): Promise<{ perS: number; ratio: number; wallRatio: number }> {
  const templates = await templateEvents();
  const dir = mkdtempSync(join(tmpdir(), 'mc-bench-apply-'));
  // Two databases with the same settings (openDatabase: WAL; the applier commits without an fsync, and so does
  // the baseline): the console's, and one holding only a table of plain event rows.
  const db = openDatabase(join(dir, 'apply.sqlite'));
  const rawDb = openDatabase(join(dir, 'raw.sqlite'));
  const statements = process.env.BENCH_STATEMENTS ? timeStatements(db) : null;
  try {
    const N = 30_000;
    const events = synthesize(templates, N + 3000);
    const warm = events.slice(N);
    const main = events.slice(0, N);
    const applier = makeApplier(
      db,
      () => Date.now(),
      () => 'Bench',
    );
    rawDb.exec('CREATE TABLE raw_events (id TEXT PRIMARY KEY, payload TEXT NOT NULL) STRICT');
    rawDb.pragma('synchronous = NORMAL');
    const ins = rawDb.prepare('INSERT INTO raw_events (id, payload) VALUES (?, ?)');
    const raw = rawDb.transaction((es: Stripe.Event[]) => {
      for (const e of es) ins.run(e.id, JSON.stringify(e));
    });
    for (let i = 0; i < warm.length; i += 100) {
      applier.applyBatch(warm.slice(i, i + 100), 'poll');
      raw(warm.slice(i, i + 100));
    }
    applier.indexSearch();
    // Page by page, the applier then the plain inserts of the same page: this machine is shared and its speed
    // drifts by tens of percent within a minute, so the two sides are timed in the same moments (timed one
    // after the other, the ratio moved ±0.05 between runs; interleaved, ±0.02). Wall and CPU time both.
    const cpuS = (since: NodeJS.CpuUsage) => {
      const u = process.cpuUsage(since);
      return (u.user + u.system) / 1e6;
    };
    let applyCpu = 0;
    let rawCpu = 0;
    let applyWall = 0;
    let rawWall = 0;
    for (let i = 0; i < main.length; i += 100) {
      const page = main.slice(i, i + 100);
      let c0 = process.cpuUsage();
      let t0 = performance.now();
      applier.applyBatch(page, 'poll');
      applyCpu += cpuS(c0);
      applyWall += performance.now() - t0;
      c0 = process.cpuUsage();
      t0 = performance.now();
      raw(page);
      rawCpu += cpuS(c0);
      rawWall += performance.now() - t0;
    }
    // The end of the cycle, as the poller does after a catch-up: its orders go into the search index at once.
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    applier.indexSearch();
    applyCpu += cpuS(c0);
    applyWall += performance.now() - t0;
    const orders = (db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
    if (orders < N / templates.length) throw new Error(`apply made only ${orders} orders`);
    const perS = N / applyCpu;
    log(
      `apply ${Math.round((N / applyWall) * 1000)} events/s wall, ${Math.round(perS)}/s CPU; plain insert ${Math.round((N / rawWall) * 1000)}/s wall, ${Math.round(N / rawCpu)}/s CPU`,
    );
    statements?.report(applyCpu);
    return { perS, ratio: rawCpu / applyCpu, wallRatio: rawWall / applyWall };
  } finally {
    db.close();
    rawDb.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One payment made elsewhere; ms from just before confirm returned until orders:get finds its order. */
async function freshnessOnce(h: Harness, i: number): Promise<number> {
  const pi = await h.stripe.paymentIntents.create({
    amount: 2000,
    currency: 'usd',
    payment_method: 'pm_card_visa',
    metadata: orderMetadata(500_000 + i),
  });
  let t0 = 0;
  await h.stripe.paymentIntents.confirm(pi.id).then((r) => {
    t0 = performance.now();
    return r;
  });
  const orderId = orderIdFor(pi.id);
  const deadline = t0 + 15_000;
  for (;;) {
    const r = await h.raw('orders:get', { orderId }, 'manager');
    if (r.ok) return performance.now() - t0;
    if (performance.now() > deadline) throw new Error(`order ${orderId} never appeared`);
    await new Promise((res) => setTimeout(res, 2));
  }
}

async function freshness(): Promise<{ poll: number; webhook: number }> {
  const h = await startHarness();
  try {
    await makePayments(h, 1);
    await h.sync();
    // Polling: the real timer with its idle back-off; payments arrive at random moments 0.1–1.5 s apart.
    h.services.sync.start();
    const poll: number[] = [];
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 1400));
      poll.push(await freshnessOnce(h, i));
    }
    h.services.sync.stop();
    await h.sync();
    log(`poll freshness median ${Math.round([...poll].sort((a, b) => a - b)[20]!)} ms`);

    // Webhook: the receiver the engine would start from settings, fed by the emulator's deliveries.
    const secret = { value: null as string | null };
    const gw = h.services.gateway();
    const receiver = await startWebhookReceiver({
      port: 0,
      secret: () => secret.value,
      verify: (raw, sig, s) => gw.constructWebhookEvent(raw, sig, s),
      ingest: (event) => void h.services.sync.ingest([event], 'webhook'),
      ingestBatch: (events) => void h.services.sync.ingest(events, 'webhook'),
      logger: quietLogger,
    });
    const we = await h.stripe.webhookEndpoints.create({
      url: `http://127.0.0.1:${receiver.port}/webhook`,
      enabled_events: ['payment_intent.succeeded', 'charge.succeeded', 'payment_intent.created'],
    });
    secret.value = we.secret!;
    const hook: number[] = [];
    for (let i = 100; i < 160; i++) {
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
      hook.push(await freshnessOnce(h, i));
    }
    await receiver.close();
    return { poll: p95(poll), webhook: p95(hook) };
  } finally {
    await h.close();
  }
}

// 100,000 orders from ~20,000 customers: 200 given names × 500 family names (syllable pairs), each customer
// with a few orders, as a shop that sells by phone would have after some years.
const GIVEN_A = [
  'Ad',
  'Al',
  'Be',
  'Ca',
  'Da',
  'El',
  'Fe',
  'Ga',
  'Ha',
  'Ir',
  'Jo',
  'Ka',
  'Li',
  'Ma',
  'Ne',
  'Ol',
  'Pa',
  'Ro',
  'Sa',
  'Te',
];
const GIVEN_B = ['a', 'an', 'ela', 'ina', 'ric', 'old', 'uel', 'ine', 'ton', 'ie'];
const FAM_A = [
  'Ash',
  'Bright',
  'Cole',
  'Dun',
  'East',
  'Fair',
  'Green',
  'Hart',
  'Ives',
  'Kings',
  'Lang',
  'Mor',
  'North',
  'Oak',
  'Pem',
  'Quill',
  'Rad',
  'Stan',
  'Thorn',
  'Wal',
];
const FAM_B = [
  'by',
  'field',
  'ford',
  'ham',
  'ley',
  'more',
  'ridge',
  'son',
  'ton',
  'wick',
  'wood',
  'worth',
  'well',
  'croft',
  'dale',
  'gate',
  'hurst',
  'land',
  'mere',
  'stead',
  'brook',
  'cott',
  'holm',
  'over',
  'ward',
];

function customerOf(c: number): { name: string; email: string } {
  const given = GIVEN_A[c % 20]! + GIVEN_B[Math.floor(c / 20) % 10]!;
  const f = Math.floor(c / 200) % 500;
  const family = FAM_A[f % 20]! + FAM_B[Math.floor(f / 20) % 25]!;
  return {
    name: `${given} ${family}`,
    email: `${given}.${family}${c % 7 || ''}@mail${c % 11}.example`.toLowerCase(),
  };
}

async function ordersPage(): Promise<number> {
  const h = await startHarness();
  try {
    const db = h.services.db;
    const N = 100_000;
    const now = h.emulator.now();
    const ins = db.prepare(
      `INSERT INTO orders (id, payment_intent_id, cart_id, status, customer_name, customer_email, customer_json, lines_json,
         item_count, currency, amount_captured, amount_refunded, carrier, tracking_number, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'usd', ?, 0, ?, ?, ?, ?)`,
    );
    log('inserting 100,000 orders…');
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const piIds: string[] = [];
    db.transaction(() => {
      for (let i = 0; i < N; i++) {
        const c = Math.floor(rnd() * 20_000);
        const { name, email } = customerOf(c);
        const pi = `pi_3${Math.floor(rnd() * 36 ** 8)
          .toString(36)
          .padStart(8, '0')}${i.toString(36).padStart(4, '0')}AbCdEf`;
        piIds.push(pi);
        const q = 1 + (i % 3);
        const lines = JSON.stringify([
          {
            productId: `prod_${i % 40}`,
            sku: `SKU-${i % 40}`,
            name: 'Assam tea, 250 g',
            unitAmount: 1250,
            quantity: q,
          },
        ]);
        // Older orders are shipped; the newest are still being worked on.
        const age = N - i;
        const status = age < 300 ? 'received' : age < 1000 ? 'processing' : 'shipped';
        ins.run(
          orderIdFor(pi),
          pi,
          `cart_${i}`,
          status,
          name,
          email,
          JSON.stringify({ id: `cus_${c}`, name, email, phone: '+44 20 7946 0000' }),
          lines,
          q,
          1250 * q,
          status === 'shipped' ? 'UPS' : null,
          status === 'shipped' ? `1Z${i}` : null,
          now - age * 300_000,
          now,
        );
      }
    })();
    db.exec('ANALYZE');
    // What staff type: a family name, a full name, part of an email, part of an order id or PaymentIntent id.
    const queries: string[] = [];
    for (let k = 0; k < 50; k++) {
      const c = Math.floor(rnd() * 20_000);
      const { name, email } = customerOf(c);
      const pi = piIds[Math.floor(rnd() * N)]!;
      queries.push(name.split(' ')[1]!, name, email.split('@')[0]!, orderIdFor(pi).slice(4, 12), pi);
    }
    const statusesQ = [undefined, 'shipped', 'received', 'processing'] as const;
    const call = (i: number) => {
      const status = statusesQ[i % 4];
      return h.services.dispatch(
        'orders:list',
        { ...(status ? { status } : {}), query: queries[i % queries.length], limit: 100, offset: 0 },
        { clientId: 'staff' },
      );
    };
    for (let i = 0; i < 30; i++) await call(i);
    const times: number[] = [];
    for (let i = 0; i < queries.length * 2; i++) {
      const t0 = performance.now();
      const r = await call(i);
      times.push(performance.now() - t0);
      if (!r.ok) throw new Error(`orders:list failed: ${JSON.stringify(r.error)}`);
    }
    // Reported on stderr, not in the figure: the worst cases (a 2-letter query scans; a query every order
    // matches counts all 100,000).
    for (const [label, query] of [
      ['no query (status only)', undefined],
      ['2-letter query', 'ad'],
      ['query matching every order', 'example'],
    ] as const) {
      const t0 = performance.now();
      const r = await h.services.dispatch(
        'orders:list',
        { status: 'shipped', ...(query ? { query } : {}), limit: 100 },
        { clientId: 'staff' },
      );
      log(
        `${label}: ${(performance.now() - t0).toFixed(1)} ms (${r.ok ? (r.value as { total: number }).total : '?'} matches)`,
      );
    }
    return p95(times);
  } finally {
    await h.close();
  }
}

/** An empty station rebuilding 1,000 orders from the list endpoints (a new laptop, a lost disk). */
async function rebuild1k(): Promise<number> {
  const shop = await startHarness({ accounts: false });
  try {
    log('making 1,000 orders…');
    await makePayments(shop, 1000);
    const fresh = await startHarness({ accounts: false, emulator: shop.emulator });
    try {
      const t0 = performance.now();
      await fresh.services.sync.rebuild(false);
      const s = (performance.now() - t0) / 1000;
      const orders = (fresh.services.db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
      if (orders < 1000) throw new Error(`rebuild made only ${orders} orders`);
      log(`rebuilt ${orders} orders from the list endpoints in ${s.toFixed(2)} s`);
      return s;
    } finally {
      await fresh.close();
    }
  } finally {
    await shop.close();
  }
}

/** The emulator in a process of its own (as Stripe is: it prepares a page while the console applies the last). */
async function emulatorProcess(): Promise<RunningEmulator & { child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'electron/emulator/cli.ts'), '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited (${code})`)));
  });
  const u = new URL(url);
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      ...(body !== undefined
        ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
        : {}),
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
  return {
    child,
    url,
    host: u.hostname,
    port: Number(u.port),
    now: () => Date.now(),
    advanceClock: () => {
      throw new Error('not in the bench');
    },
    reset: () => undefined,
    setRateLimit: (setting) => void control('POST', '/_emulator/rate_limit', { per_second: setting }),
    rateLimited: () => {
      throw new Error('use control()');
    },
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/**
 * A replacement laptop for a big shop: 100,000 shop-day orders at the emulator (in a process of its own), its
 * rate limiter on at test mode's 25 requests a second, an empty station rebuilding them. The least the rate limit
 * allows is the requests the rebuild made (one a list page, the estimate's few probes, the head) less the one
 * second's burst Stripe lets through at once, at 25 a second: rebuild_100k_vs_rate_limit = time taken / that.
 */
async function rebuild100k(): Promise<{ s: number; vsLimit: number; requests: number; rateLimited: number }> {
  const N = Number(process.env.BENCH_REBUILD_ORDERS ?? 100_000);
  const emulator = await emulatorProcess();
  try {
    const shop = await startHarness({ accounts: false, emulator });
    const t0 = performance.now();
    const customer = await benchCustomer(shop);
    await makePayments(shop, N, 32, customer);
    await shop.close();
    log(`made ${N} orders at the emulator in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const fresh = await startHarness({ accounts: false, emulator });
    try {
      await fetch(`${emulator.url}/_emulator/rate_limit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ per_second: 'test' }),
      });
      // The PaymentIntent pages among the requests.
      const gw = fresh.services.gateway();
      const listPis = gw.listPaymentIntents.bind(gw);
      let pages = 0;
      (gw as { listPaymentIntents: typeof listPis }).listPaymentIntents = (p) => {
        pages++;
        return listPis(p);
      };
      let lastLog = 0;
      const t1 = performance.now();
      const watch = setInterval(() => {
        const h = fresh.events.at(-1)?.payload as
          | {
              catchUp?: {
                rebuild?: { orders: number; ordersEstimate: number | null; secondsLeft: number | null };
              };
            }
          | undefined;
        const rb = h?.catchUp?.rebuild;
        if (rb && performance.now() - lastLog > 15_000) {
          lastLog = performance.now();
          log(
            `rebuild at ${((lastLog - t1) / 1000).toFixed(0)} s: ${rb.orders}/${rb.ordersEstimate ?? '?'} orders, ${rb.secondsLeft ?? '?'} s left (shown)`,
          );
        }
      }, 500);
      try {
        await fresh.services.sync.rebuild(false);
      } finally {
        clearInterval(watch);
      }
      const s = (performance.now() - t1) / 1000;
      const orders = (fresh.services.db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
      if (orders < N) throw new Error(`rebuild made only ${orders} orders`);
      const { requests, rateLimited } = fresh.services.sync.lastRebuild!;
      const least = Math.max(1, requests - 25) / 25;
      const refused = (
        (await (await fetch(`${emulator.url}/_emulator/rate_limit`)).json()) as { refused: number }
      ).refused;
      log(
        `rebuilt ${orders} orders in ${s.toFixed(1)} s at 25 requests/s: ${requests} requests (${pages} of PaymentIntents; least ${least.toFixed(1)} s), ${rateLimited} answered 429 (the emulator counted ${refused})`,
      );
      return { s, vsLimit: s / least, requests, rateLimited };
    } finally {
      await fresh.close();
    }
  } finally {
    await emulator.close();
  }
}

/**
 * The webhook path beside a per-row insert. 3,000 events (1,000 shop-day orders) are posted, signed, by a
 * sender in a process of its own (bench/webhook-sender.mjs, 16 at a time, as Stripe delivers several at once)
 * to the console's receiver, grouping on; each is acknowledged after its commit. The baseline inserts the same
 * events' JSON one transaction each (the same database settings), before and after.
 * webhook_vs_row_insert = per-row insert time / webhook time. Also measured without grouping (each event its
 * own transaction, as before issue 22), printed on stderr and as webhook_ungrouped_vs_row_insert.
 */
async function webhookVsRowInsert(): Promise<{ grouped: number; ungrouped: number }> {
  const templates = await templateEvents();
  const dir = mkdtempSync(join(tmpdir(), 'mc-bench-hook-'));
  const SECRET = 'whsec_bench_webhook';
  try {
    const rowDb = openDatabase(join(dir, 'rows.sqlite'));
    rowDb.exec('CREATE TABLE raw_events (id TEXT PRIMARY KEY, payload TEXT NOT NULL) STRICT');
    rowDb.pragma('synchronous = NORMAL');
    const ins = rowDb.prepare('INSERT INTO raw_events (id, payload) VALUES (?, ?)');
    const rowInsert = (events: Stripe.Event[]): number => {
      const t0 = performance.now();
      for (const e of events) ins.run(e.id, JSON.stringify(e)); // autocommit: one transaction each
      return performance.now() - t0;
    };
    const run = async (grouped: boolean, offset: number): Promise<number> => {
      const all = synthesize(templates, offset + 3000).slice(offset);
      for (const e of all) e.id = `${e.id}${grouped ? 'g' : 'u'}`;
      const h = await startHarness({ accounts: false });
      try {
        const gw = h.services.gateway();
        // Where the receiver's time goes: signature checks (with the JSON parse) and applying, timed apart.
        const spent = { verify: 0, apply: 0, groups: 0 };
        const timed =
          <A extends unknown[], R>(k: 'verify' | 'apply', f: (...a: A) => R) =>
          (...a: A): R => {
            const t0 = performance.now();
            try {
              return f(...a);
            } finally {
              spent[k] += performance.now() - t0;
            }
          };
        const receiver = await startWebhookReceiver({
          port: 0,
          secret: () => SECRET,
          verify: timed('verify', (raw: Buffer, sig: string, sec: string) =>
            gw.constructWebhookEvent(raw, sig, sec),
          ),
          ingest: timed('apply', (event: Stripe.Event) => void h.services.sync.ingest([event], 'webhook')),
          ...(grouped
            ? {
                ingestBatch: timed('apply', (events: Stripe.Event[]) => {
                  spent.groups++;
                  h.services.sync.ingest(events, 'webhook');
                }),
              }
            : {}),
          logger: quietLogger,
        });
        // The baseline brackets the webhook run: half its rows just before, half just after.
        const rowsBefore = rowInsert(all.slice(0, 1500));
        const cpu0 = process.cpuUsage();
        const file = join(dir, `events-${grouped}.json`);
        writeFileSync(
          file,
          JSON.stringify(
            all.map((e) => {
              const body = JSON.stringify(e);
              return {
                body,
                sig: Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET }),
              };
            }),
          ),
        );
        try {
          const out = await new Promise<string>((resolve, reject) => {
            execFile(
              process.execPath,
              [
                join(import.meta.dirname, 'webhook-sender.mjs'),
                file,
                `http://127.0.0.1:${receiver.port}/webhook`,
                '16',
              ],
              (err, stdout) => (err ? reject(err) : resolve(stdout)),
            );
          });
          const r = JSON.parse(out) as { ms: number; failed: number };
          if (r.failed) throw new Error(`${r.failed} webhook deliveries failed`);
          const n = h.services.db
            .prepare("SELECT count(*) FROM stripe_events WHERE source = 'webhook'")
            .pluck()
            .get() as number;
          if (n !== all.length) throw new Error(`the ledger holds ${n} of ${all.length} webhook events`);
          const cpu = process.cpuUsage(cpu0);
          const rowsMs = rowsBefore + rowInsert(all.slice(1500));
          log(
            `webhook ${grouped ? 'grouped' : 'one transaction an event'}: ${all.length} events in ${r.ms.toFixed(0)} ms wall (receiver CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms: verifying ${spent.verify.toFixed(0)} ms, applying ${spent.apply.toFixed(0)} ms${grouped ? ` in ${spent.groups} transactions` : ''}, the rest HTTP); per-row insert ${rowsMs.toFixed(0)} ms`,
          );
          return rowsMs / r.ms;
        } finally {
          await receiver.close();
        }
      } finally {
        await h.close();
      }
    };
    const ungrouped = await run(false, 0);
    const grouped = await run(true, 3000);
    rowDb.close();
    log(
      `webhook path over a per-row insert: grouped ${grouped.toFixed(2)}, one transaction an event ${ungrouped.toFixed(2)}`,
    );
    return { grouped, ungrouped };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchSync(): Promise<Record<string, number>> {
  const only = process.env.BENCH_SYNC_ONLY;
  if (only === 'page') {
    log(`orders page p95 ${(await ordersPage()).toFixed(2)} ms`);
    process.exit(0);
  }
  if (only === 'rebuild') {
    log(`rebuild ${(await rebuild1k()).toFixed(2)} s`);
    process.exit(0);
  }
  if (only === 'rebuild100k') {
    const r = await rebuild100k();
    log(`rebuild ${r.s.toFixed(1)} s, ${r.vsLimit.toFixed(2)} × the least the rate limit allows`);
    process.exit(0);
  }
  if (only === 'apply') {
    const a = await applyRate();
    log(`apply ${Math.round(a.perS)}/s CPU; ratio ${a.wallRatio.toFixed(2)} wall, ${a.ratio.toFixed(2)} CPU`);
    process.exit(0);
  }
  if (only === 'catchup') {
    const c = await catchUp();
    log(
      `catch-up ${c.s.toFixed(2)} s; plain read ${c.plainS.toFixed(2)} s; ratio ${(c.plainS / c.s).toFixed(2)}`,
    );
    process.exit(0);
  }
  if (only === 'webhook') {
    await webhookVsRowInsert();
    process.exit(0);
  }
  const catchup = await catchUp();
  const apply = await applyRate();
  const hook = await webhookVsRowInsert();
  const fresh = await freshness();
  log(`freshness p95: poll ${Math.round(fresh.poll)} ms, webhook ${Math.round(fresh.webhook)} ms`);
  const page = await ordersPage();
  log(`orders page p95 ${page.toFixed(2)} ms`);
  const rebuildS = await rebuild1k();
  const big = await rebuild100k();
  return {
    catchup_10k_events_s: round(catchup.s, 2),
    catchup_vs_plain_read: round(catchup.plainS / catchup.s, 2),
    apply_events_per_s: Math.round(apply.perS),
    apply_vs_raw_insert: round(apply.wallRatio, 2),
    apply_vs_raw_insert_cpu: round(apply.ratio, 2),
    webhook_vs_row_insert: round(hook.grouped, 2),
    webhook_ungrouped_vs_row_insert: round(hook.ungrouped, 2),
    rebuild_1k_orders_s: round(rebuildS, 2),
    rebuild_100k_orders_s: round(big.s, 1),
    rebuild_100k_vs_rate_limit: round(big.vsLimit, 2),
    rebuild_100k_requests: big.requests,
    rebuild_100k_429s: big.rateLimited,
    freshness_poll_p95_ms: Math.round(fresh.poll),
    freshness_webhook_p95_ms: Math.round(fresh.webhook),
    orders_page_p95_ms: round(page, 2),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchSync().then(
    (r) => {
      console.log(JSON.stringify(r));
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
