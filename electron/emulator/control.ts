/**
 * Control API of the Stripe emulator (not part of Stripe's API). JSON bodies, no auth (the server only binds to
 * loopback). Errors use Stripe's error envelope.
 *
 *   POST   /_emulator/reset
 *          Forget everything: objects, events, idempotency keys, faults, clock advance. → {"ok": true}
 *
 *   GET    /_emulator/clock
 *          → {"now": <emulator time, unix seconds>}
 *
 *   POST   /_emulator/clock/advance        {"seconds": N}
 *          Moves emulator time forward by N seconds (N ≥ 0). Authorization expiries, idempotency key TTLs,
 *          the 30-day event window and all timestamps follow it; due expiries run immediately, emitting
 *          charge.expired + payment_intent.canceled with `created` at the expiry moment and request ids null.
 *          → {"now": <unix seconds>}
 *
 *   POST   /_emulator/payment_intents/{id}/authenticate   {"outcome": "succeed" | "fail"}
 *          Completes or fails the customer's 3DS step of a PaymentIntent in requires_action.
 *          succeed → charges the card (requires_capture or succeeded per capture_method, with events; a
 *          pm_card_threeDSecureRequiredChargeDeclined card authenticates and is then declined);
 *          fail → requires_payment_method, last_payment_error.code payment_intent_authentication_failure,
 *          payment_intent.payment_failed. → the PaymentIntent.
 *
 *   POST   /_emulator/setup_intents/{id}/authenticate     {"outcome": "succeed" | "fail"}
 *          Same for a SetupIntent in requires_action. → the SetupIntent.
 *
 *   GET    /_emulator/3ds/{id}
 *          The page `next_action.redirect_to_url.url` points at: a small self-contained HTML page with the
 *          buttons "Complete authentication" / "Fail authentication". They POST to the same URL
 *          (form field outcome=succeed|fail), which authenticates and answers 303 to the intent's return_url
 *          with ?payment_intent=…&payment_intent_client_secret=…&redirect_status=succeeded|failed
 *          (setup_intent / setup_intent_client_secret for SetupIntents), like Stripe.
 *
 *   POST   /_emulator/disputes/{id}/outcome   {"outcome": "won" | "lost"}
 *          The bank decides an open dispute: status won / lost (an inquiry that is won: warning_closed),
 *          charge.dispute.closed with a null request. A closed dispute → 400. → the Dispute.
 *
 *   DELETE /_emulator/prices/{id}
 *          Deletes a price the way the Dashboard can (Stripe's API has no price delete): price.deleted (request
 *          null); the price is gone afterwards (404). A product's default price is refused.
 *          → {"id": …, "object": "price", "deleted": true}
 *
 *   POST   /_emulator/faults   {"kind": "drop_after_commit" | "status_500" | "status_429" | "delay",
 *                                "count": N (default 1), "path_prefix": "/v1/…" (default "/v1/"), "delay_ms": N}
 *          The next N matching API requests misbehave:
 *            drop_after_commit — the request takes effect (its idempotent result is saved), then the
 *                                connection is destroyed before the response is sent;
 *            status_500        — 500 api_error before execution (not saved: a retry with the key runs it);
 *            status_429        — 429 rate limit before the idempotency layer (not saved);
 *            delay             — executes after delay_ms; meanwhile a request with the same
 *                                Idempotency-Key gets 409 idempotency_key_in_use.
 *          → {"faults": [...]}
 *   GET    /_emulator/faults   → {"faults": [...]} (pending faults)
 *   DELETE /_emulator/faults   Clears all pending faults. → {"faults": []}
 *
 *   POST   /_emulator/rate_limit   {"per_second": N | "test" | "live" | false}
 *          Stripe's rate limiter (rate-limit.ts): above N reads (and N writes) a second, 429 rate_limit with
 *          Retry-After; "test" is 25, "live" 100, false turns it off (the default).
 *          → {"per_second": N | null, "refused": 0}
 *   GET    /_emulator/rate_limit   → {"per_second": N | null, "refused": <429s answered since it was set>}
 *
 *   GET    /_emulator/webhook_attempts
 *          → {"attempts": [{endpoint, event, attempt, ok, status}]} — every webhook delivery attempt so far.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StripeApiError, errorEnvelope, invalidRequest } from './errors';
import { parseForm } from './form';
import type { EmulatorServer, Fault, FaultKind } from './server';

const FAULT_KINDS: FaultKind[] = ['drop_after_commit', 'status_500', 'status_429', 'delay'];

function json(
  srv: EmulatorServer,
  res: ServerResponse,
  status: number,
  value: unknown,
  requestId: string,
): void {
  srv.send(res, status, JSON.stringify(value), requestId);
}

function parseJson(body: string): Record<string, unknown> {
  if (!body.trim()) return {};
  try {
    const v: unknown = JSON.parse(body);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw invalidRequest('The control API expects a JSON object body.');
}

function outcomeOf(v: unknown): 'succeed' | 'fail' {
  if (v === 'succeed' || v === 'fail') return v;
  throw invalidRequest('outcome must be "succeed" or "fail".', { param: 'outcome' });
}

export async function handleControl(
  srv: EmulatorServer,
  _req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
  _query: string,
  body: string,
  requestId: string,
): Promise<void> {
  const emu = srv.emu;
  try {
    if (method === 'POST' && path === '/_emulator/reset') {
      srv.control.reset();
      return json(srv, res, 200, { ok: true }, requestId);
    }
    if (method === 'GET' && path === '/_emulator/clock') {
      return json(srv, res, 200, { now: emu.nowSec() }, requestId);
    }
    if (method === 'POST' && path === '/_emulator/clock/advance') {
      const seconds = parseJson(body).seconds;
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
        throw invalidRequest('seconds must be a non-negative number.', { param: 'seconds' });
      }
      srv.control.advanceClock(seconds);
      return json(srv, res, 200, { now: emu.nowSec() }, requestId);
    }
    let m = /^\/_emulator\/(payment_intents|setup_intents)\/([^/]+)\/authenticate$/.exec(path);
    if (method === 'POST' && m) {
      const outcome = outcomeOf(parseJson(body).outcome);
      const id = decodeURIComponent(m[2] as string);
      const obj =
        m[1] === 'payment_intents' ? emu.authenticate(id, outcome) : emu.authenticateSetupIntent(id, outcome);
      return json(srv, res, 200, obj, requestId);
    }
    m = /^\/_emulator\/3ds\/([^/]+)$/.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1] as string);
      const isSetup = id.startsWith('seti_');
      const obj = isSetup ? emu.state.get('setup_intent', id)?.obj : emu.state.get('payment_intent', id)?.obj;
      if (!obj)
        throw invalidRequest(`No such intent: '${id}'`, {
          code: 'resource_missing',
          param: 'id',
          status: 404,
        });
      if (method === 'GET') {
        const html = threeDsPage(
          id,
          obj.status === 'requires_action',
          (obj as { amount?: number }).amount,
          (obj as { currency?: string }).currency,
        );
        res.writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Request-Id': requestId,
          'Cache-Control': 'no-store',
        });
        res.end(html);
        return;
      }
      if (method === 'POST') {
        const form = parseForm(body);
        const outcome = outcomeOf(form.outcome);
        const returnUrl = obj.next_action?.redirect_to_url?.return_url ?? null;
        const after = isSetup ? emu.authenticateSetupIntent(id, outcome) : emu.authenticate(id, outcome);
        const ok =
          after.status === 'succeeded' ||
          after.status === 'requires_capture' ||
          after.status === 'processing';
        const redirectStatus = ok ? 'succeeded' : 'failed';
        if (!returnUrl) {
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Request-Id': requestId });
          res.end(donePage(redirectStatus));
          return;
        }
        const target = new URL(returnUrl);
        const prefix = isSetup ? 'setup_intent' : 'payment_intent';
        target.searchParams.set(prefix, id);
        target.searchParams.set(`${prefix}_client_secret`, after.client_secret ?? '');
        target.searchParams.set('redirect_status', redirectStatus);
        res.writeHead(303, { Location: target.toString(), 'Request-Id': requestId });
        res.end();
        return;
      }
    }
    m = /^\/_emulator\/disputes\/([^/]+)\/outcome$/.exec(path);
    if (method === 'POST' && m) {
      const outcome = parseJson(body).outcome;
      if (outcome !== 'won' && outcome !== 'lost') {
        throw invalidRequest('outcome must be "won" or "lost".', { param: 'outcome' });
      }
      return json(srv, res, 200, emu.decideDispute(decodeURIComponent(m[1] as string), outcome), requestId);
    }
    m = /^\/_emulator\/prices\/([^/]+)$/.exec(path);
    if (method === 'DELETE' && m) {
      return json(srv, res, 200, emu.deletePrice(decodeURIComponent(m[1] as string)), requestId);
    }
    if (path === '/_emulator/faults') {
      if (method === 'GET') return json(srv, res, 200, { faults: srv.faults.map(describeFault) }, requestId);
      if (method === 'DELETE') {
        srv.faults = [];
        return json(srv, res, 200, { faults: [] }, requestId);
      }
      if (method === 'POST') {
        const b = parseJson(body);
        const kind = b.kind as FaultKind;
        if (!FAULT_KINDS.includes(kind)) {
          throw invalidRequest(`kind must be one of ${FAULT_KINDS.join(', ')}.`, { param: 'kind' });
        }
        const count = b.count === undefined ? 1 : b.count;
        if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
          throw invalidRequest('count must be a positive integer.', { param: 'count' });
        }
        const delayMs = b.delay_ms === undefined ? 0 : b.delay_ms;
        if (typeof delayMs !== 'number' || delayMs < 0)
          throw invalidRequest('delay_ms must be ≥ 0.', { param: 'delay_ms' });
        if (kind === 'delay' && b.delay_ms === undefined)
          throw invalidRequest('delay needs delay_ms.', { param: 'delay_ms' });
        const prefix = b.path_prefix === undefined ? '/v1/' : b.path_prefix;
        if (typeof prefix !== 'string')
          throw invalidRequest('path_prefix must be a string.', { param: 'path_prefix' });
        const fault: Fault = { kind, remaining: count, pathPrefix: prefix, delayMs };
        srv.faults.push(fault);
        return json(srv, res, 200, { faults: srv.faults.map(describeFault) }, requestId);
      }
    }
    if (path === '/_emulator/rate_limit' && (method === 'GET' || method === 'POST')) {
      if (method === 'POST') {
        const v = parseJson(body).per_second;
        if (!(
          v === false ||
          v === 'test' ||
          v === 'live' ||
          (typeof v === 'number' && Number.isFinite(v) && v > 0)
        ))
          throw invalidRequest('per_second must be a positive number, "test", "live" or false.', {
            param: 'per_second',
          });
        srv.rateLimiter.set(v);
      }
      return json(
        srv,
        res,
        200,
        { per_second: srv.rateLimiter.rate, refused: srv.rateLimiter.refused },
        requestId,
      );
    }
    if (method === 'GET' && path === '/_emulator/webhook_attempts') {
      return json(srv, res, 200, { attempts: srv.webhooks.attempts }, requestId);
    }
    throw invalidRequest(`Unrecognized request URL (${method}: ${path}).`, { status: 404 });
  } catch (e) {
    const err =
      e instanceof StripeApiError ? e : new StripeApiError(500, { type: 'api_error', message: String(e) });
    srv.send(res, err.status, errorEnvelope(err.body, requestId), requestId);
  }
}

function describeFault(f: Fault): Record<string, unknown> {
  return { kind: f.kind, remaining: f.remaining, path_prefix: f.pathPrefix, delay_ms: f.delayMs };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f6f8fa;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:24px 28px;max-width:420px}
h1{font-size:1.2rem;margin:0 0 8px}p{color:#444}form{display:inline}
button{font-size:1rem;padding:10px 16px;margin:8px 8px 0 0;border-radius:6px;border:1px solid #8c959f;cursor:pointer}
button.ok{background:#1f883d;color:#fff;border-color:#1a7f37}button:focus-visible{outline:3px solid #0969da;outline-offset:2px}`;

function threeDsPage(id: string, pending: boolean, amount?: number, currency?: string): string {
  const safeId = escapeHtml(id);
  const what =
    amount !== undefined && currency !== undefined
      ? `<p>Payment of ${escapeHtml(String(amount))} ${escapeHtml(currency.toUpperCase())} (smallest unit).</p>`
      : '';
  const body = pending
    ? `<form method="post"><input type="hidden" name="outcome" value="succeed"><button type="submit" class="ok">Complete authentication</button></form>
<form method="post"><input type="hidden" name="outcome" value="fail"><button type="submit">Fail authentication</button></form>`
    : `<p role="status">This intent does not need authentication.</p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>3D Secure test authentication</title><style>${STYLE}</style></head><body><main aria-labelledby="t">
<h1 id="t">3D Secure test authentication</h1><p>Stripe emulator: authenticate <code>${safeId}</code>.</p>${what}
${body}</main></body></html>`;
}

function donePage(status: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authentication ${status}</title><style>${STYLE}</style></head>
<body><main><h1>Authentication ${escapeHtml(status)}</h1><p role="status">You can close this window.</p></main></body></html>`;
}
