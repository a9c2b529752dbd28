// Browser mode's loopback bridge: the token, the Host check, static files, the IPC route and the events stream.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../../../electron/browser/server';

let bridge: Bridge;
const calls: { channel: unknown; input: unknown; clientId: string }[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mc-renderer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><title>t</title></head><body></body></html>',
  );
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, '..', 'secret.txt'), 'outside the renderer folder');
  bridge = await startBridge({ rendererDir: dir });
  bridge.setDispatch(async (channel, input, ctx) => {
    calls.push({ channel, input, clientId: ctx.clientId });
    return { ok: true, value: { echoed: input } };
  });
});
afterAll(async () => {
  await bridge.close();
});

const base = () => `http://127.0.0.1:${bridge.port}`;
const ipc = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base()}/__bridge/ipc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('the bridge', () => {
  it('prints a loopback URL carrying the token in the fragment', () => {
    expect(bridge.url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${bridge.port}/#token=[A-Za-z0-9_-]{32}$`),
    );
  });

  it('refuses a request without the token, or with a wrong one, and never dispatches it', async () => {
    const before = calls.length;
    const none = await ipc('orders:list', { input: {} });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'untrusted_sender' } });
    const wrong = await ipc(
      'orders:list',
      { input: {} },
      { authorization: `Bearer ${'x'.repeat(bridge.token.length)}` },
    );
    expect(wrong.status).toBe(401);
    const events = await fetch(`${base()}/__bridge/events`);
    expect(events.status).toBe(401);
    expect(calls.length).toBe(before);
  });

  it('dispatches with the token, passing the input and the client id', async () => {
    const r = await ipc(
      'orders:list',
      { input: { limit: 5 } },
      { authorization: `Bearer ${bridge.token}`, 'x-client-id': 'tab-1' },
    );
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true, value: { echoed: { limit: 5 } } });
    expect(calls.at(-1)).toEqual({ channel: 'orders:list', input: { limit: 5 }, clientId: 'tab-1' });
  });

  it('answers malformed JSON with a typed error', async () => {
    const r = await fetch(`${base()}/__bridge/ipc/orders:list`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.token}` },
      body: '{not json',
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve) => {
      const req = request(
        { host: '127.0.0.1', port: bridge.port, path: '/', headers: { host: 'evil.example' } },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.end();
    });
    expect(status).toBe(421);
  });

  it('serves the renderer with the shim first and a strict CSP, and nothing outside its folder', async () => {
    const r = await fetch(`${base()}/`);
    const html = await r.text();
    expect(html.indexOf('/__bridge/shim.js')).toBeGreaterThan(-1);
    expect(html.indexOf('/__bridge/shim.js')).toBeLessThan(html.indexOf('<title>'));
    expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self' https://js.stripe.com");
    expect(await (await fetch(`${base()}/assets/app.js`)).text()).toBe('console.log(1)');
    const escape = await fetch(`${base()}/..%2Fsecret.txt`);
    expect(await escape.text()).not.toContain('outside the renderer folder');
  });

  it('pushes events to connected pages', async () => {
    const res = await fetch(`${base()}/__bridge/events`, {
      headers: { authorization: `Bearer ${bridge.token}` },
    });
    const reader = res.body!.getReader();
    await reader.read(); // ": connected"
    bridge.events.emit('orders:changed', { orderIds: ['ord_1'] });
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain('"orders:changed"');
    await reader.cancel();
  });
});

describe('the bridge, as the shim calls it', () => {
  it('routes a URL-encoded channel name', async () => {
    const r = await ipc(
      encodeURIComponent('orders:list'),
      { input: {} },
      { authorization: `Bearer ${bridge.token}` },
    );
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true });
  });
});
