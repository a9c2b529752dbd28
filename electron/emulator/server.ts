/**
 * HTTP transport (node:http, no framework): auth, request ids, faults, the idempotency layer, routing to the
 * Emulator, Stripe's error envelope, and the control API under /_emulator (see control.ts).
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RawJson } from './emulator';
import type { Emulator, RequestCtx } from './emulator';
import { StripeApiError, errorEnvelope, invalidRequest } from './errors';
import type { ErrorBody } from './errors';
import { FormParseError, formToPlain, parseForm } from './form';
import type { FormObject } from './form';
import { IdempotencyLayer } from './idempotency';
import { API_VERSION, newId } from './state';
import type { IdempotencyRecord, Persistence } from './state';
import type { Socket } from 'node:net';
import { handleControl } from './control';
import type { WebhookDispatcher } from './webhooks';
import { RateLimiter, type RateLimitSetting } from './rate-limit';

export type FaultKind = 'drop_after_commit' | 'status_500' | 'status_429' | 'delay';
export interface Fault {
  kind: FaultKind;
  remaining: number;
  pathPrefix: string;
  delayMs: number;
}

const MAX_BODY = 1 << 20;

export class EmulatorServer {
  readonly idem: IdempotencyLayer;
  faults: Fault[] = [];
  readonly server: http.Server;
  /** Stripe's rate limiter (off unless configured: see rate-limit.ts). */
  readonly rateLimiter: RateLimiter;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly emu: Emulator,
    readonly webhooks: WebhookDispatcher,
    readonly persistence: Persistence | null,
    readonly control: { advanceClock(seconds: number): void; reset(): void },
    rateLimit: RateLimitSetting = false,
  ) {
    this.rateLimiter = new RateLimiter(rateLimit);
    this.idem = new IdempotencyLayer(emu.state, () => emu.nowMs());
    this.server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        // Last resort: never leave a request hanging.
        if (!res.headersSent) {
          const requestId = newId('req', 14);
          this.send(
            res,
            500,
            errorEnvelope({ type: 'api_error', message: String(err) }, requestId),
            requestId,
          );
        }
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  /** Persists dirty state when a state file is in use. */
  flush(): void {
    this.persistence?.flush(this.emu.state);
  }

  private takeFault(path: string, kinds: FaultKind[]): Fault | undefined {
    if (this.faults.length === 0) return undefined;
    for (const f of this.faults) {
      if (f.remaining > 0 && kinds.includes(f.kind) && path.startsWith(f.pathPrefix)) {
        f.remaining--;
        if (f.remaining === 0) this.faults = this.faults.filter((x) => x !== f);
        return f;
      }
    }
    return undefined;
  }

  send(
    res: ServerResponse,
    status: number,
    body: string,
    requestId: string,
    extra?: Record<string, string>,
  ): void {
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      'Request-Id': requestId,
      'Stripe-Version': API_VERSION,
      'Cache-Control': 'no-cache, no-store',
      // Stripe's own clock, as every HTTP server sends it: here the emulator's (the training clock moves it).
      Date: new Date(this.emu.nowMs()).toUTCString(),
    };
    if (extra) Object.assign(headers, extra);
    res.writeHead(status, headers);
    res.end(body);
  }

  private sendError(
    res: ServerResponse,
    err: StripeApiError,
    requestId: string,
    extra?: Record<string, string>,
  ): void {
    this.send(res, err.status, errorEnvelope(err.body, requestId), requestId, { ...err.headers, ...extra });
  }

  private readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          reject(invalidRequest('Request body too large.'));
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () =>
        resolve(
          chunks.length === 1
            ? (chunks[0] as Buffer).toString('utf8')
            : Buffer.concat(chunks).toString('utf8'),
        ),
      );
      req.on('error', reject);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newId('req', 14);
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = q < 0 ? '' : rawUrl.slice(q + 1);
    let body: string;
    try {
      body = await this.readBody(req);
    } catch (e) {
      if (e instanceof StripeApiError) this.sendError(res, e, requestId);
      return;
    }

    if (path.startsWith('/_emulator/') || path === '/_emulator') {
      this.emu.tick();
      await handleControl(this, req, res, method, path, query, body, requestId);
      this.flush();
      return;
    }

    // Authentication (401: nothing saved).
    const key = apiKey(req.headers.authorization);
    if (key === null) {
      this.sendError(
        res,
        new StripeApiError(401, {
          type: 'invalid_request_error',
          message:
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
        }),
        requestId,
        { 'WWW-Authenticate': 'Bearer realm="Stripe"' },
      );
      return;
    }
    if (!/^sk_test_\w+$/.test(key)) {
      this.sendError(
        res,
        new StripeApiError(401, {
          type: 'invalid_request_error',
          message: `Invalid API Key provided: ${redact(key)}`,
        }),
        requestId,
        { 'WWW-Authenticate': 'Bearer realm="Stripe"' },
      );
      return;
    }

    // Rate limiter runs before the idempotency layer (429: nothing saved).
    const retryAfter = this.rateLimiter.take(method);
    if (retryAfter !== null || this.takeFault(path, ['status_429'])) {
      this.sendError(
        res,
        new StripeApiError(429, {
          type: 'invalid_request_error',
          code: 'rate_limit',
          message:
            'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
        }),
        requestId,
        retryAfter !== null ? { 'Retry-After': String(retryAfter) } : undefined,
      );
      return;
    }

    // Lazy, emulator-time driven work (authorization expiry).
    this.emu.tick();

    let form: FormObject;
    try {
      form = parseForm(method === 'GET' || method === 'DELETE' ? query || body : body || query);
    } catch (e) {
      const msg = e instanceof FormParseError ? e.message : 'Invalid request body';
      this.sendError(res, invalidRequest(msg), requestId);
      return;
    }

    const route = this.emu.match(method, path);
    if (!route) {
      this.sendError(
        res,
        invalidRequest(
          `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
          { status: 404 },
        ),
        requestId,
      );
      return;
    }

    const idemKey = method === 'POST' ? headerString(req.headers['idempotency-key']) : null;
    const ctx: RequestCtx = { requestId, idempotencyKey: idemKey };
    const echo: Record<string, string> = idemKey !== null ? { 'Idempotency-Key': idemKey } : {};
    let rec: IdempotencyRecord | null = null;
    if (idemKey !== null) {
      const begun = this.idem.begin(idemKey, method, path, JSON.stringify(formToPlain(form)));
      if (begun.kind === 'error') {
        this.sendError(res, begun.error, requestId, echo);
        return;
      }
      if (begun.kind === 'replay') {
        this.send(res, begun.rec.status, begun.rec.body, requestId, {
          ...echo,
          'Idempotent-Replayed': 'true',
          'Original-Request': begun.rec.requestId,
        });
        return;
      }
      rec = begun.rec;
    }

    // Injected 500 happens before execution begins, so (like a validation failure) it is not saved: a retry
    // with the same key runs the request for real. (Stripe saves 500s that happen *during* execution.)
    if (this.takeFault(path, ['status_500'])) {
      if (rec) this.idem.abandon(rec);
      this.sendError(
        res,
        new StripeApiError(500, {
          type: 'api_error',
          message: 'An unknown error occurred (injected by the emulator).',
        }),
        requestId,
        echo,
      );
      return;
    }

    const delay = this.takeFault(path, ['delay']);
    if (delay) await new Promise((r) => setTimeout(r, delay.delayMs));
    const drop = this.takeFault(path, ['drop_after_commit']);

    let status = 200;
    let out: string;
    let save = true;
    try {
      const result = route.handler(form, ctx, route.m);
      out = result instanceof RawJson ? result.json : JSON.stringify(result);
    } catch (e) {
      let err: StripeApiError;
      if (e instanceof StripeApiError) err = e;
      else {
        const body: ErrorBody = { type: 'api_error', message: `Internal emulator error: ${String(e)}` };
        err = new StripeApiError(500, body);
      }
      status = err.status;
      out = errorEnvelope(err.body, requestId);
      save = !err.beforeExecution;
    }
    if (rec) {
      if (save) this.idem.complete(rec, status, out, requestId);
      else this.idem.abandon(rec);
    }
    if (method !== 'GET') this.flush();
    if (drop) {
      req.socket.destroy();
      return;
    }
    this.send(res, status, out, requestId, echo);
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }
}

function headerString(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? (v[0] ?? null) : v;
}

/** Extracts the secret key from Bearer or Basic auth (curl -u sk_test_…:). */
function apiKey(auth: string | undefined): string | null {
  if (!auth) return null;
  const [scheme, value] = auth.split(' ', 2);
  if (!value) return null;
  if (scheme?.toLowerCase() === 'bearer') return value.trim();
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.split(':')[0] ?? null;
  }
  return null;
}

function redact(key: string): string {
  if (key.length <= 12) return key.replace(/./g, '*');
  return key.slice(0, 8) + '*'.repeat(Math.max(0, key.length - 12)) + key.slice(-4);
}
