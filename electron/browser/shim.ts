// The script browser mode serves at /__bridge/shim.js, before the renderer's own bundle. It stands in for
// the Electron preload: it puts the same `window.api` ({ invoke, on }) on the page, so the renderer's code
// is identical in both modes. The per-launch token arrives in the URL fragment (never sent to a server
// in a Referer), is kept in sessionStorage, and goes with every request in the Authorization header.
export const SHIM_JS = String.raw`(() => {
  'use strict';
  const m = /[#&]token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem('mc.token', m[1]);
    history.replaceState(null, '', location.pathname + location.search);
  }
  const token = sessionStorage.getItem('mc.token') || '';
  let clientId = sessionStorage.getItem('mc.client');
  if (!clientId) {
    clientId = crypto.randomUUID();
    sessionStorage.setItem('mc.client', clientId);
  }
  const headers = { authorization: 'Bearer ' + token, 'x-client-id': clientId, 'content-type': 'application/json' };
  const listeners = new Map();

  // What the desktop app's main does for the page (its clipboard), the page does itself here: the browser is
  // the one with the clipboard. (Links to the mail or messages app are the page's own links, which the
  // browser hands over.)
  async function writeClipboard(input) {
    const text = input && typeof input.text === 'string' ? input.text : '';
    if (!text) return { ok: false, error: { code: 'invalid_input', message: 'Invalid input for clipboard:write: text is empty' } };
    try {
      await navigator.clipboard.writeText(text);
      return { ok: true, value: { copied: true } };
    } catch (e) {
      return { ok: true, value: { copied: false } };
    }
  }

  // Whether the console's process answers: said to the page the moment it changes (console:connection).
  let connected = null;
  function link(v) {
    if (connected === v) return;
    connected = v;
    deliver('console:connection', { connected: v });
  }

  async function invoke(channel, input) {
    if (channel === 'clipboard:write') return writeClipboard(input);
    let res;
    try {
      res = await fetch('/__bridge/ipc/' + encodeURIComponent(channel), {
        method: 'POST', headers, body: JSON.stringify({ input: input === undefined ? {} : input }),
      });
      link(true);
    } catch (e) {
      link(false);
      return { ok: false, error: { code: 'internal', message: 'The console’s background process cannot be reached. Is it still running?' } };
    }
    if (res.status === 401) {
      return { ok: false, error: { code: 'untrusted_sender', message: 'This page is not authorised: open the address the console printed, with its token.' } };
    }
    try { return await res.json(); } catch {
      return { ok: false, error: { code: 'internal', message: 'The console answered with something unreadable.' } };
    }
  }

  function on(event, listener) {
    if (!listeners.has(event)) listeners.set(event, new Set());
    listeners.get(event).add(listener);
    return () => listeners.get(event).delete(listener);
  }

  function deliver(event, payload) {
    if (event === '__bridge:openAuthWindow') return openAuthWindow(payload);
    const set = listeners.get(event);
    if (set) for (const l of set) { try { l(payload); } catch (e) { console.error(e); } }
  }

  // 3D Secure: the console's own window for the bank's page (a popup here; a child window in Electron).
  function openAuthWindow({ id, url }) {
    // Open blank, cut the opener, then navigate: the bank's page can't redirect the console (tabnabbing).
    const w = window.open('', 'mc-authentication', 'popup,width=480,height=680');
    if (w) {
      w.opener = null;
      w.location.href = url;
    }
    const timer = setInterval(() => {
      if (!w || w.closed) {
        clearInterval(timer);
        fetch('/__bridge/auth-closed', { method: 'POST', headers, body: JSON.stringify({ id }) }).catch(() => {});
      }
    }, 400);
  }

  // Server-sent events over fetch (so the token travels in a header), reconnecting with backoff.
  async function listen(delay) {
    try {
      const res = await fetch('/__bridge/events', { headers });
      if (!res.ok || !res.body) throw new Error('events ' + res.status);
      delay = 500;
      link(true);
      const reader = res.body.getReader();
      const dec = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const chunk = buf.slice(0, i); buf = buf.slice(i + 2);
          const data = chunk.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (!data) continue;
          try { const { event, payload } = JSON.parse(data); deliver(event, payload); } catch (e) { console.error(e); }
        }
      }
    } catch (e) { /* fall through to reconnect */ }
    // The stream ended or failed: the console's process is gone (or restarting) until it answers again.
    link(false);
    setTimeout(() => listen(Math.min(10000, delay * 2)), delay);
  }
  listen(500);

  Object.defineProperty(window, 'api', { value: Object.freeze({ invoke, on }), writable: false });
})();`;
