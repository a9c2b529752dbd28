// Stripe's side of bench/sync.ts's webhook figure, in a process of its own (as Stripe is): posts the signed
// events in the file argv[2] to the receiver at argv[3], `argv[4]` at a time over keep-alive connections, and
// prints {"ms": <first send to last acknowledgement>, "failed": n} when every one is acknowledged.
import http from 'node:http';
import { readFileSync } from 'node:fs';

const items = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const url = new URL(process.argv[3]);
const concurrency = Number(process.argv[4] ?? 16);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const post = ({ body, sig }) =>
  new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'stripe-signature': sig,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
let next = 0;
let failed = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const status = await post(items[next++]);
      if (status !== 200) failed++;
    }
  }),
);
process.stdout.write(JSON.stringify({ ms: performance.now() - t0, failed }) + '\n');
agent.destroy();
