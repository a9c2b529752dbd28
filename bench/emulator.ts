/**
 * Emulator benchmark: `npx tsx bench/emulator.ts` prints one JSON line.
 * (1) PaymentIntent create+confirm per second through the stripe SDK (keep-alive, concurrency 16);
 * (2) events per second read through paginated GET /v1/events?limit=100 over a backlog of ≥ 10,000 events;
 * (3) emulator_vs_bare_http: (1) over the same SDK calls answered by a bare node:http server (it reads the
 *     request and answers the emulator's own JSON for a PaymentIntent, nothing else), the two timed in
 *     alternating rounds so the machine's load weighs on both.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';
import { startEmulator } from '../electron/emulator/index';

export async function benchEmulator(): Promise<{
  emulator_create_confirm_per_s: number;
  emulator_events_listed_per_s: number;
  emulator_vs_bare_http: number;
}> {
  const emu = await startEmulator();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const client = (port: number) =>
    new Stripe('sk_test_bench', {
      apiVersion: '2026-10-28.endive',
      host: emu.host,
      port,
      protocol: 'http',
      httpAgent: agent,
      maxNetworkRetries: 0,
      telemetry: false,
    });
  const stripe = client(emu.port);
  // The bare server answers every request with a PaymentIntent as the emulator wrote it.
  let canned = '';
  const bare = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(canned),
        'Request-Id': 'req_bare',
      });
      res.end(canned);
    });
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
  const bareStripe = client((bare.address() as AddressInfo).port);
  try {
    const createConfirmOn = (s: Stripe) => async (): Promise<void> => {
      const pi = await s.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: 'pm_card_visa',
      });
      await s.paymentIntents.confirm(pi.id);
    };
    const createConfirm = createConfirmOn(stripe);
    canned = JSON.stringify(
      await stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
      }),
    );
    const run = async (total: number, concurrency: number, one = createConfirm): Promise<number> => {
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < total) {
            next++;
            await one();
          }
        }),
      );
      return (total / (performance.now() - started)) * 1000;
    };
    await run(300, 16); // warm-up
    await run(300, 16, createConfirmOn(bareStripe));
    // Alternating rounds: the emulator, then the bare server, four times.
    let emuMs = 0;
    let bareMs = 0;
    for (let i = 0; i < 4; i++) {
      emuMs += 1000 / (await run(1000, 16));
      bareMs += 1000 / (await run(1000, 16, createConfirmOn(bareStripe)));
    }
    const createConfirmPerS = 4000 / emuMs;

    // Backlog: each create+confirm emits 3 events (payment_intent.created, charge.succeeded,
    // payment_intent.succeeded): 5,300 of them leave ~15,900 events.
    await run(1000, 16);
    const readAll = async (): Promise<number> => {
      let n = 0;
      let cursor: string | undefined;
      for (;;) {
        const url = `${emu.url}/v1/events?limit=100${cursor ? `&starting_after=${cursor}` : ''}`;
        const page = (await fetchJson(url, agent)) as { data: Array<{ id: string }>; has_more: boolean };
        n += page.data.length;
        if (!page.has_more) return n;
        cursor = page.data[page.data.length - 1]?.id;
      }
    };
    await readAll(); // warm-up
    const started = performance.now();
    let count = 0;
    for (let i = 0; i < 3; i++) count += await readAll();
    if (count < 30_000) throw new Error(`backlog too small: ${count / 3}`);
    const eventsPerS = (count / (performance.now() - started)) * 1000;
    process.stderr.write(
      `  emulator: create+confirm ${Math.round(createConfirmPerS)}/s; the bare server ${Math.round(4000 / bareMs)}/s\n`,
    );
    return {
      emulator_create_confirm_per_s: Math.round(createConfirmPerS),
      emulator_events_listed_per_s: Math.round(eventsPerS),
      emulator_vs_bare_http: Math.round((bareMs / emuMs) * 100) / 100,
    };
  } finally {
    agent.destroy();
    bare.close();
    await emu.close();
  }
}

function fetchJson(url: string, agent?: http.Agent): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers: { Authorization: 'Bearer sk_test_bench' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (e) {
            reject(e as Error);
          }
        });
      })
      .on('error', reject);
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchEmulator().then(
    (r) => console.log(JSON.stringify(r)),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
