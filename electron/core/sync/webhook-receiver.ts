// Forwarded webhooks (`stripe listen --forward-to 127.0.0.1:<port>/webhook`): bound to loopback only, the
// Stripe-Signature verified against the raw bytes (300 s tolerance), then into the same exactly-once
// pipeline as the poller.
//
// Events that arrive together are applied together (issue 22): with `ingestBatch`, a verified event waits at
// most `batchWindowMs` (2 ms) — or until 100 are waiting — for others, then they are applied in one
// transaction, and each is acknowledged (200) only once that transaction has committed. A batch that fails is
// applied again event by event, so one event that can't be applied fails alone (500: Stripe redelivers it).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import type { Logger } from '../ports';

export interface WebhookReceiverOptions {
  port: number;
  secret: () => string | null;
  verify: (raw: Buffer, signature: string, secret: string) => Stripe.Event;
  ingest: (event: Stripe.Event) => void;
  /** Apply several events in one transaction (oldest first); when given, events arriving together are grouped. */
  ingestBatch?: (events: Stripe.Event[]) => void;
  /** How long the first event of a group waits for others (ms, default 2). */
  batchWindowMs?: number;
  logger: Logger;
}

const MAX_BATCH = 100;

const MAX_BODY = 1024 * 1024;

export async function startWebhookReceiver(
  o: WebhookReceiverOptions,
): Promise<{ port: number; close(): Promise<void>; server: Server }> {
  const server = createServer((req, res) => {
    const reply = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST') return reply(405, { error: 'POST only' });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reply(413, { error: 'payload too large' });
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      const secret = o.secret();
      if (!secret) return reply(503, { error: 'no webhook signing secret configured' });
      const sig = req.headers['stripe-signature'];
      if (typeof sig !== 'string') return reply(400, { error: 'missing Stripe-Signature' });
      let event: Stripe.Event;
      try {
        event = o.verify(Buffer.concat(chunks), sig, secret);
      } catch (e) {
        o.logger.warn(`webhook refused: ${(e as Error).message}`);
        return reply(400, { error: 'signature verification failed' });
      }
      if (o.ingestBatch) return enqueue(event, reply);
      try {
        o.ingest(event);
        reply(200, { received: true });
      } catch (e) {
        o.logger.error('webhook apply failed', e);
        reply(500, { error: 'could not apply the event; Stripe will retry' });
      }
    });
  });

  type Reply = (status: number, body: object) => void;
  let waiting: { event: Stripe.Event; reply: Reply }[] = [];
  let timer: NodeJS.Timeout | null = null;
  const enqueue = (event: Stripe.Event, reply: Reply) => {
    waiting.push({ event, reply });
    if (waiting.length >= MAX_BATCH) flush();
    else timer ??= setTimeout(flush, o.batchWindowMs ?? 2);
  };
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const group = waiting;
    waiting = [];
    if (group.length === 0) return;
    // Oldest first, as the applier expects (arrival order within a second).
    const events = group.map((g) => g.event).sort((a, b) => a.created - b.created);
    try {
      o.ingestBatch!(events);
      for (const g of group) g.reply(200, { received: true });
      return;
    } catch (e) {
      if (group.length === 1) {
        o.logger.error('webhook apply failed', e);
        group[0]!.reply(500, { error: 'could not apply the event; Stripe will retry' });
        return;
      }
      o.logger.warn(`a batch of ${group.length} webhook events failed; applying them one by one`);
    }
    for (const g of group) {
      try {
        o.ingestBatch!([g.event]);
        g.reply(200, { received: true });
      } catch (e) {
        o.logger.error('webhook apply failed', e);
        g.reply(500, { error: 'could not apply the event; Stripe will retry' });
      }
    }
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () =>
      new Promise<void>((r) => {
        flush();
        server.close(() => r());
      }),
  };
}
