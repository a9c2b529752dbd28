// Live card entry: the page of the card window, and the routing of its requests (plain functions, tested
// without Electron; electron/main/adapters/card-window.ts serves them).
//
// Why a window of its own, on an https origin: Stripe.js refuses live keys on a page that isn't served over
// HTTPS (Stripe's docs: the checkout page address must start with https://), and the console's renderer is
// file:// (Electron) or http://127.0.0.1 (browser mode). No certificate can be had offline, so the card
// window's own session answers `https://card.merchant-console.invalid/…` itself (protocol.handle on
// 'https' in that session only — `.invalid` can never be a real host) and passes every other request —
// js.stripe.com, api.stripe.com — to the network untouched. To Chromium and Stripe.js the page is an https
// page; the console's renderer, its preload and its IPC are nowhere near it: the window has no preload, and
// it reports the PaymentMethod by a POST that main's handler answers. Card numbers stay inside Stripe's
// iframes, as with any Elements page.
export const CARD_HOST = 'card.merchant-console.invalid';
export const CARD_ORIGIN = `https://${CARD_HOST}`;

export interface CardRequestInput {
  publishableKey: string;
  customerName: string;
  /** What is being paid, already formatted ("€42.50"). */
  amountLabel: string;
}
export interface CardSession extends CardRequestInput {
  /** Random per window: a request without it is not this window's. */
  token: string;
}
export type CardResult = { paymentMethodId: string } | { canceled: true };

export const cardPageUrl = (token: string) => `${CARD_ORIGIN}/s/${token}/card`;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const CARD_CSP = [
  "default-src 'none'",
  "script-src 'self' https://js.stripe.com https://*.js.stripe.com",
  'frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com',
  "connect-src 'self' https://api.stripe.com",
  "img-src 'self' data: https://*.stripe.com",
  "style-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

export function cardHtml(s: CardSession): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width">
<title>Card details — Merchant Console</title>
<link rel="stylesheet" href="card.css">
<script src="https://js.stripe.com/v3/"></script>
<script src="card.js" defer></script>
</head>
<body data-pk="${escapeHtml(s.publishableKey)}" data-name="${escapeHtml(s.customerName)}">
<main>
<h1>Card details</h1>
<p class="who">${escapeHtml(s.customerName || 'Customer')} · <strong>${escapeHtml(s.amountLabel)}</strong></p>
<form id="form">
<label for="card" id="card-label">Card</label>
<div id="card" class="field" aria-labelledby="card-label"></div>
<p id="error" class="error" role="alert"></p>
<p id="status" class="status" role="status">Loading the secure card field…</p>
<div class="buttons">
<button type="button" id="cancel">Cancel</button>
<button type="submit" id="submit" class="primary" disabled>Use this card</button>
</div>
</form>
<p class="note">The card number goes straight to Stripe; the console never sees it. Esc cancels.</p>
</main>
</body></html>`;
}

export const CARD_JS = `'use strict';
(function () {
  var data = document.body.dataset;
  var form = document.getElementById('form');
  var submit = document.getElementById('submit');
  var error = document.getElementById('error');
  var status = document.getElementById('status');
  var done = false;
  function report(body) {
    if (done) return;
    done = true;
    fetch('result', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
  document.getElementById('cancel').addEventListener('click', function () { report({ cancel: true }); });
  if (typeof window.Stripe !== 'function') {
    status.textContent = 'Stripe.js could not be loaded from js.stripe.com. Check the internet connection, then try again.';
    return;
  }
  var stripe = window.Stripe(data.pk);
  var card = stripe.elements().create('card', { hidePostalCode: false });
  card.mount('#card');
  card.on('ready', function () { status.textContent = ''; card.focus(); });
  card.on('change', function (e) {
    submit.disabled = !e.complete;
    error.textContent = e.error ? e.error.message : '';
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    submit.disabled = true;
    status.textContent = 'Reading the card…';
    stripe.createPaymentMethod({ type: 'card', card: card, billing_details: data.name ? { name: data.name } : {} })
      .then(function (r) {
        if (r.error || !r.paymentMethod) {
          status.textContent = '';
          error.textContent = (r.error && r.error.message) || 'The card could not be read.';
          submit.disabled = false;
        } else {
          status.textContent = 'Card read.';
          report({ paymentMethod: r.paymentMethod.id });
        }
      });
  });
})();
`;

export const CARD_CSS = `html{font:15px system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d27;background:#fff}
main{max-width:420px;margin:0 auto;padding:20px}
h1{font-size:20px;margin:0 0 4px}
.who{margin:0 0 20px;color:#4a4a5e}
label{display:block;font-weight:600;margin-bottom:6px}
.field{border:1px solid #8a8aa0;border-radius:6px;padding:10px 12px}
.error{color:#b42318;min-height:1.4em;margin:8px 0 0}
.status{color:#4a4a5e;min-height:1.4em;margin:4px 0 12px}
.buttons{display:flex;gap:12px;justify-content:flex-end}
button{font:inherit;padding:8px 18px;border-radius:6px;border:1px solid #8a8aa0;background:#fff;cursor:pointer}
button.primary{background:#4f46e5;border-color:#4f46e5;color:#fff}
button:disabled{opacity:.5;cursor:default}
button:focus-visible{outline:3px solid #4f46e5;outline-offset:2px}
.note{font-size:13px;color:#5a5a6e;margin-top:24px}
`;

export interface CardResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const PM_ID = /^pm_[A-Za-z0-9_]{3,120}$/;

/**
 * One request of the card window's session: ours (the page, its script and style, the result) or 'pass'
 * (to the network as is). A request for our host without this window's token gets a 404.
 */
export async function routeCardRequest(
  req: { method: string; url: string; text(): Promise<string> },
  s: CardSession,
): Promise<'pass' | { response: CardResponse; result?: CardResult }> {
  const url = new URL(req.url);
  if (url.protocol !== 'https:' || url.host !== CARD_HOST) return 'pass';
  const base = `/s/${s.token}/`;
  const notFound = {
    response: { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not found' },
  };
  if (!url.pathname.startsWith(base)) return notFound;
  const name = url.pathname.slice(base.length);
  const common = {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (req.method === 'GET' && name === 'card')
    return {
      response: {
        status: 200,
        headers: {
          ...common,
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': CARD_CSP,
        },
        body: cardHtml(s),
      },
    };
  if (req.method === 'GET' && name === 'card.js')
    return {
      response: { status: 200, headers: { ...common, 'content-type': 'text/javascript' }, body: CARD_JS },
    };
  if (req.method === 'GET' && name === 'card.css')
    return { response: { status: 200, headers: { ...common, 'content-type': 'text/css' }, body: CARD_CSS } };
  if (req.method === 'POST' && name === 'result') {
    let body: unknown;
    try {
      body = JSON.parse((await req.text()).slice(0, 2000));
    } catch {
      body = null;
    }
    const b = (body ?? {}) as { paymentMethod?: unknown; cancel?: unknown };
    const ok = { status: 204, headers: common, body: '' };
    if (b.cancel === true) return { response: ok, result: { canceled: true } };
    if (typeof b.paymentMethod === 'string' && PM_ID.test(b.paymentMethod))
      return { response: ok, result: { paymentMethodId: b.paymentMethod } };
    return { response: { status: 400, headers: common, body: 'Bad result' } };
  }
  return notFound;
}
