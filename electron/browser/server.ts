// Browser mode: the same core as the Electron app, in plain Node, serving the built renderer and answering
// the IPC contract over a loopback HTTP bridge. Bound to 127.0.0.1 only; every bridge request must carry
// the random per-launch token, and the Host header must be this loopback address (no DNS rebinding).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Dispatch } from '../core/dispatch';
import type { AuthWindow, EventSink } from '../core/ports';
import { SHIM_JS } from './shim';

export const CSP = [
  "default-src 'self'",
  "script-src 'self' https://js.stripe.com",
  'frame-src https://js.stripe.com https://hooks.stripe.com',
  "connect-src 'self' https://api.stripe.com",
  "img-src 'self' data:",
  "style-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const MAX_BODY = 2 * 1024 * 1024;

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export interface Bridge {
  url: string;
  port: number;
  token: string;
  events: EventSink;
  authWindow: AuthWindow;
  /** Swap the services behind the bridge (after a mode change). */
  setDispatch(d: Dispatch): void;
  close(): Promise<void>;
}

export interface BridgeOptions {
  rendererDir: string;
  port?: number;
  token?: string;
}

export async function startBridge(o: BridgeOptions): Promise<Bridge> {
  const token = o.token ?? randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  let dispatch: Dispatch | null = null;
  const streams = new Set<ServerResponse>();
  const pendingAuth = new Map<string, (r: 'returned' | 'closed') => void>();
  let port = 0;

  const authorised = (req: IncomingMessage): boolean => {
    const h = req.headers.authorization ?? '';
    const given = Buffer.from(h.startsWith('Bearer ') ? h.slice(7) : '');
    return given.length === tokenBuf.length && timingSafeEqual(given, tokenBuf);
  };
  const hostOk = (req: IncomingMessage): boolean =>
    req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;

  const send = (res: ServerResponse, status: number, body: string | Buffer, type = 'application/json') => {
    res.writeHead(status, {
      'content-type': type,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    res.end(body);
  };

  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          reject(new Error('too large'));
          req.destroy();
        } else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const emit = (event: string, payload: unknown) => {
    const frame = `data: ${JSON.stringify({ event, payload })}\n\n`;
    for (const s of streams) s.write(frame);
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, JSON.stringify({ error: 'internal' }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostOk(req)) return send(res, 421, JSON.stringify({ error: 'wrong host' }));
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const path = url.pathname;

    if (path.startsWith('/__bridge/')) {
      if (path === '/__bridge/shim.js') return send(res, 200, SHIM_JS, TYPES['.js']);
      if (path === '/__bridge/auth-return') {
        for (const [id, resolve] of pendingAuth) {
          pendingAuth.delete(id);
          resolve('returned');
        }
        return send(
          res,
          200,
          `<!doctype html><meta charset="utf-8"><title>Authentication finished</title><body style="font-family:sans-serif;padding:2rem"><p>Authentication finished. You can close this window.</p><script src="/__bridge/close.js"></script>`,
          TYPES['.html'],
        );
      }
      if (path === '/__bridge/close.js') return send(res, 200, 'window.close();', TYPES['.js']);
      if (!authorised(req))
        return send(
          res,
          401,
          JSON.stringify({
            ok: false,
            error: { code: 'untrusted_sender', message: 'missing or wrong token' },
          }),
        );
      const clientId = String(req.headers['x-client-id'] ?? '').slice(0, 100) || 'browser';

      if (path === '/__bridge/events' && req.method === 'GET') {
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      if (path === '/__bridge/auth-closed' && req.method === 'POST') {
        const { id } = JSON.parse((await readBody(req)) || '{}') as { id?: string };
        const resolve = id ? pendingAuth.get(id) : undefined;
        if (id && resolve) {
          pendingAuth.delete(id);
          resolve('closed');
        }
        return send(res, 200, '{}');
      }
      // The shim URL-encodes the channel ("orders%3Alist"); compare the decoded name.
      const m = /^\/__bridge\/ipc\/([A-Za-z]+:[A-Za-z]+)$/.exec(safeDecode(path));
      if (m && req.method === 'POST') {
        let input: unknown;
        try {
          const body = await readBody(req);
          input = (JSON.parse(body || '{}') as { input?: unknown }).input;
        } catch {
          return send(
            res,
            400,
            JSON.stringify({
              ok: false,
              error: {
                code: 'invalid_input',
                message: 'The request body is not valid JSON (or is over 2 MB).',
              },
            }),
          );
        }
        if (!dispatch)
          return send(
            res,
            503,
            JSON.stringify({
              ok: false,
              error: { code: 'internal', message: 'The console is still starting.' },
            }),
          );
        const result = await dispatch(m[1], input, { clientId });
        return send(res, 200, JSON.stringify(result));
      }
      return send(
        res,
        404,
        JSON.stringify({ ok: false, error: { code: 'unknown_channel', message: 'no such bridge route' } }),
      );
    }

    // Static renderer files; every unknown path gets index.html (the renderer routes in-page).
    const rel = normalize(decodeURIComponent(path)).replace(/^([/\\])+/, '');
    const file = join(o.rendererDir, rel);
    if (!file.startsWith(o.rendererDir + sep) && file !== o.rendererDir)
      return send(res, 403, 'forbidden', 'text/plain');
    try {
      if (rel && rel !== 'index.html') {
        const body = await readFile(file);
        return send(res, 200, body, TYPES[extname(file)] ?? 'application/octet-stream');
      }
    } catch {
      if (extname(rel)) return send(res, 404, 'not found', 'text/plain');
    }
    const html = await readFile(join(o.rendererDir, 'index.html'), 'utf8');
    // The shim must run before the renderer's module script.
    return send(
      res,
      200,
      html.replace('<head>', '<head>\n    <script src="/__bridge/shim.js"></script>'),
      TYPES['.html'],
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  return {
    url: `${base}/#token=${token}`,
    port,
    token,
    events: { emit: (event, payload) => emit(event, payload) },
    authWindow: {
      returnUrl: () => `${base}/__bridge/auth-return`,
      open: (url) =>
        new Promise((resolve) => {
          const id = randomBytes(8).toString('hex');
          pendingAuth.set(id, resolve);
          emit('__bridge:openAuthWindow', { id, url });
          // Nobody is looking (no page open): don't wait for ever.
          if (streams.size === 0) {
            pendingAuth.delete(id);
            resolve('closed');
          }
        }),
    },
    setDispatch: (d) => {
      dispatch = d;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
