// Live card entry: Stripe.js on an https origin main answers itself, in a window with no preload.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  CARD_CSP,
  CARD_HOST,
  CARD_JS,
  cardHtml,
  routeCardRequest,
  type CardSession,
} from '../../../../electron/main/card-entry/card-page';
import { electronCardEntry } from '../../../../electron/main/adapters/card-window';

const S: CardSession = {
  token: 'tok123',
  publishableKey: 'pk_live_abc',
  customerName: 'Ada <Lovelace>',
  amountLabel: '€42.50',
};
const req = (method: string, url: string, body = '') => ({ method, url, text: async () => body });
const page = `https://${CARD_HOST}/s/tok123/`;

describe('routeCardRequest', () => {
  it('passes everything that is not the card host to the network (js.stripe.com, api.stripe.com)', async () => {
    expect(await routeCardRequest(req('GET', 'https://js.stripe.com/v3/'), S)).toBe('pass');
    expect(await routeCardRequest(req('POST', 'https://api.stripe.com/v1/payment_methods'), S)).toBe('pass');
  });

  it('serves the page on an https origin with a CSP that allows only Stripe besides itself', async () => {
    const r = await routeCardRequest(req('GET', `${page}card`), S);
    if (r === 'pass') return expect.fail('served by the network');
    expect(r.response.status).toBe(200);
    expect(r.response.headers['content-security-policy']).toBe(CARD_CSP);
    expect(CARD_CSP).toContain("script-src 'self' https://js.stripe.com");
    expect(CARD_CSP).toContain("connect-src 'self' https://api.stripe.com");
    expect(r.response.body).toContain('<script src="https://js.stripe.com/v3/"></script>');
    expect(r.response.body).toContain('data-pk="pk_live_abc"');
    expect(r.response.body).toContain('Ada &lt;Lovelace&gt;');
    expect(r.response.body).not.toContain('<Lovelace>');
    expect(r.response.body).not.toMatch(/<script>(?!<\/script>)/); // no inline script
  });

  it('serves its script and style, and nothing for another window’s token', async () => {
    const js = await routeCardRequest(req('GET', `${page}card.js`), S);
    expect(js !== 'pass' && js.response.body).toBe(CARD_JS);
    const other = await routeCardRequest(req('GET', `https://${CARD_HOST}/s/other/card`), S);
    expect(other !== 'pass' && other.response.status).toBe(404);
    const post = await routeCardRequest(
      req('POST', `https://${CARD_HOST}/s/other/result`, '{"cancel":true}'),
      S,
    );
    expect(post !== 'pass' && post.result).toBeUndefined();
  });

  it('takes the PaymentMethod id or a cancel as the result — and nothing else', async () => {
    const pm = await routeCardRequest(req('POST', `${page}result`, '{"paymentMethod":"pm_1Abc"}'), S);
    expect(pm !== 'pass' && pm.result).toEqual({ paymentMethodId: 'pm_1Abc' });
    const cancel = await routeCardRequest(req('POST', `${page}result`, '{"cancel":true}'), S);
    expect(cancel !== 'pass' && cancel.result).toEqual({ canceled: true });
    for (const body of ['{"paymentMethod":"4242424242424242"}', 'not json', '{"paymentMethod":"pm_<x>"}']) {
      const r = await routeCardRequest(req('POST', `${page}result`, body), S);
      expect(r !== 'pass' && r.response.status, body).toBe(400);
      expect(r !== 'pass' && r.result, body).toBeUndefined();
    }
  });

  it('the page script reports only a PaymentMethod id or a cancel', () => {
    expect(CARD_JS).toContain('report({ paymentMethod: r.paymentMethod.id })');
    expect(CARD_JS).toContain('report({ cancel: true })');
    expect(cardHtml(S)).toContain('<button type="button" id="cancel">Cancel</button>');
  });
});

describe('electronCardEntry (Electron faked)', () => {
  function fake() {
    const state = {
      handler: null as null | ((r: Request) => Promise<Response>),
      unhandled: 0,
      passed: [] as string[],
      windows: [] as (EventEmitter & {
        options: Record<string, unknown>;
        closed: boolean;
        close(): void;
        webContents: EventEmitter & Record<string, unknown>;
      })[],
      partitions: [] as string[],
    };
    const electron = {
      session: {
        fromPartition: (p: string) => {
          state.partitions.push(p);
          return {
            setPermissionRequestHandler: () => undefined,
            setPermissionCheckHandler: () => undefined,
            clearStorageData: () => Promise.resolve(),
            protocol: {
              handle: (scheme: string, h: (r: Request) => Promise<Response>) => {
                expect(scheme).toBe('https');
                state.handler = h;
              },
              unhandle: () => void state.unhandled++,
            },
            fetch: async (r: Request) => {
              state.passed.push(r.url);
              return new Response('from the network');
            },
          };
        },
      },
      BrowserWindow: class extends EventEmitter {
        closed = false;
        webContents = Object.assign(new EventEmitter(), {
          openHandler: null as unknown,
          setWindowOpenHandler(h: unknown) {
            this.openHandler = h;
          },
        });
        loaded: string[] = [];
        constructor(readonly options: Record<string, unknown>) {
          super();
          state.windows.push(this as never);
        }
        loadURL(u: string) {
          this.loaded.push(u);
          return Promise.resolve();
        }
        show() {}
        isDestroyed() {
          return this.closed;
        }
        close() {
          this.closed = true;
          this.emit('closed');
        }
      },
    };
    return { electron, state };
  }

  it('has no preload, its own in-memory session, and resolves with the PaymentMethod the page posts', async () => {
    const { electron, state } = fake();
    const entry = electronCardEntry(electron as never, () => null);
    const result = entry.collect({
      publishableKey: 'pk_live_abc',
      customerName: 'Ada',
      amountLabel: '€1.00',
    });
    const win = state.windows[0]!;
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs.preload).toBeUndefined();
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(String(prefs.partition).startsWith('persist:')).toBe(false);
    const pageUrl = (win as unknown as { loaded: string[] }).loaded[0]!;
    expect(pageUrl).toMatch(new RegExp(`^https://${CARD_HOST.replace(/\./g, '\\.')}/s/[0-9a-f-]{36}/card$`));
    // Stripe's own requests go out untouched.
    await state.handler!(new Request('https://js.stripe.com/v3/'));
    expect(state.passed).toEqual(['https://js.stripe.com/v3/']);
    // Navigation away from the card page is refused.
    const nav = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    win.webContents.emit('will-navigate', nav, 'https://evil.example/');
    expect(nav.prevented).toBe(true);
    const res = await state.handler!(
      new Request(pageUrl.replace(/card$/, 'result'), {
        method: 'POST',
        body: '{"paymentMethod":"pm_1Abc"}',
      }),
    );
    expect(res.status).toBe(204);
    expect(await result).toEqual({ paymentMethodId: 'pm_1Abc' });
    expect(win.closed).toBe(true);
    expect(state.unhandled).toBe(1);
  });

  it('Escape or closing the window cancels', async () => {
    const { electron, state } = fake();
    const entry = electronCardEntry(electron as never, () => null);
    const a = entry.collect({ publishableKey: 'pk_live_abc', customerName: '', amountLabel: '' });
    state.windows[0]!.webContents.emit(
      'before-input-event',
      { preventDefault() {} },
      { type: 'keyDown', key: 'Escape' },
    );
    expect(await a).toEqual({ canceled: true });
    const b = entry.collect({ publishableKey: 'pk_live_abc', customerName: '', amountLabel: '' });
    state.windows[1]!.close();
    expect(await b).toEqual({ canceled: true });
    expect(state.partitions[0]).not.toBe(state.partitions[1]);
  });
});
