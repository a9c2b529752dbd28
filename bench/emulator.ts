/**
 * Emulator benchmark: `npx tsx bench/emulator.ts` prints one JSON line.
 * (1) PaymentIntent create+confirm per second through the stripe SDK (keep-alive, concurrency 16);
 * (2) events per second read through paginated GET /v1/events?limit=100 over a backlog of ≥ 10,000 events.
 */
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';
import { startEmulator } from '../electron/emulator/index';

export async function benchEmulator(): Promise<{
  emulator_create_confirm_per_s: number;
  emulator_events_listed_per_s: number;
}> {
  const emu = await startEmulator();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const stripe = new Stripe('sk_test_bench', {
    apiVersion: '2026-10-28.endive',
    host: emu.host,
    port: emu.port,
    protocol: 'http',
    httpAgent: agent,
    maxNetworkRetries: 0,
    telemetry: false,
  });
  try {
    const createConfirm = async (): Promise<void> => {
      const pi = await stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: 'pm_card_visa',
      });
      await stripe.paymentIntents.confirm(pi.id);
    };
    const run = async (total: number, concurrency: number): Promise<number> => {
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < total) {
            next++;
            await createConfirm();
          }
        }),
      );
      return (total / (performance.now() - started)) * 1000;
    };
    await run(300, 16); // warm-up
    const createConfirmPerS = await run(4000, 16);

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
    return {
      emulator_create_confirm_per_s: Math.round(createConfirmPerS),
      emulator_events_listed_per_s: Math.round(eventsPerS),
    };
  } finally {
    agent.destroy();
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
