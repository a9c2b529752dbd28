// Forwarded webhooks (`stripe listen --forward-to 127.0.0.1:<port>/webhook`): bound to loopback only, the
// Stripe-Signature verified against the raw bytes (300 s tolerance), then into the same exactly-once
// pipeline as the poller.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import type { Logger } from '../ports';

export interface WebhookReceiverOptions {
  port: number;
  secret: () => string | null;
  verify: (raw: Buffer, signature: string, secret: string) => Stripe.Event;
  ingest: (event: Stripe.Event) => void;
  logger: Logger;
}

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
      try {
        o.ingest(event);
        reply(200, { received: true });
      } catch (e) {
        o.logger.error('webhook apply failed', e);
        reply(500, { error: 'could not apply the event; Stripe will retry' });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
