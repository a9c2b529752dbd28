/**
 * Webhook delivery: every event goes to each enabled endpoint whose enabled_events match ('*' or the type),
 * POSTed with a `Stripe-Signature: t=…,v1=HMAC-SHA256(secret, "t.rawBody")` header that
 * `stripe.webhooks.constructEvent` accepts. Delivery runs off the request path (setImmediate / timers) and
 * retries after each of `retryDelaysMs` when the endpoint answers non-2xx or is unreachable. The event's
 * `pending_webhooks` counts deliveries not yet finished (succeeded or given up).
 *
 * The signature timestamp uses real wall-clock time, not emulator time: receivers check it against their own
 * clock with a 300 s tolerance, so an advanced emulator clock must not make every signature stale.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Emulator } from './emulator';
import { buildEventJson } from './state';
import type { EventRecord } from './state';

export function signPayload(payload: string, secret: string, timestampSec: number): string {
  const sig = createHmac('sha256', secret).update(`${timestampSec}.${payload}`, 'utf8').digest('hex');
  return `t=${timestampSec},v1=${sig}`;
}

export interface DeliveryAttempt {
  endpoint: string;
  event: string;
  attempt: number;
  ok: boolean;
  status: number | null;
}

export class WebhookDispatcher {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  readonly attempts: DeliveryAttempt[] = [];

  constructor(
    private readonly emu: Emulator,
    private readonly retryDelaysMs: number[],
    private readonly timeoutMs = 10_000,
  ) {
    emu.endpointsFor = (type) => this.targets(type).length;
    emu.onEvent = (e) => {
      if (e.pending > 0) {
        const targets = this.targets(e.type).map((t) => ({ ...t }));
        setImmediate(() => {
          for (const t of targets) void this.deliver(e, t.id, t.url, t.secret, 0);
        });
      }
    };
  }

  private targets(type: string): Array<{ id: string; url: string; secret: string }> {
    const out: Array<{ id: string; url: string; secret: string }> = [];
    for (const id of this.emu.state.order.webhook_endpoint) {
      const s = this.emu.state.get('webhook_endpoint', id);
      if (!s || s.obj.status !== 'enabled') continue;
      const ev = s.obj.enabled_events;
      if (ev.includes('*') || ev.includes(type))
        out.push({ id, url: s.obj.url, secret: s.internal.secret ?? '' });
    }
    return out;
  }

  private async deliver(
    e: EventRecord,
    endpointId: string,
    url: string,
    secret: string,
    attempt: number,
  ): Promise<void> {
    if (this.closed) return;
    const body = e.json;
    const status = await this.post(url, body, signPayload(body, secret, Math.floor(Date.now() / 1000)));
    if (this.closed) return;
    const ok = status !== null && status >= 200 && status < 300;
    this.attempts.push({ endpoint: endpointId, event: e.id, attempt: attempt + 1, ok, status });
    const delay = this.retryDelaysMs[attempt];
    if (ok || delay === undefined) {
      e.pending = Math.max(0, e.pending - 1);
      e.json = buildEventJson(e);
      this.emu.state.dirtyEvents.add(e.id);
      this.onSettled?.();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.deliver(e, endpointId, url, secret, attempt + 1);
    }, delay);
    this.timers.add(timer);
  }

  /** Called after a delivery finished (for persistence). */
  onSettled: (() => void) | undefined;

  private post(url: string, body: string, signature: string): Promise<number | null> {
    return new Promise((resolve) => {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        resolve(null);
        return;
      }
      const lib = u.protocol === 'https:' ? https : http;
      const req = lib.request(
        u,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'Content-Length': Buffer.byteLength(body),
            'Stripe-Signature': signature,
            'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          },
          timeout: this.timeoutMs,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? null));
          res.on('error', () => resolve(null));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve(null));
      req.end(body);
    });
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
