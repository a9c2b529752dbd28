// Per test: a fresh data folder, a browser-mode console on a free port (with the built-in Stripe emulator),
// the page opened on its tokenised URL, and everything stopped and removed afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  test as base,
  expect,
  type Browser,
  type BrowserContextOptions,
  type Page,
  type TestInfo,
} from '@playwright/test';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';

export interface Console {
  url: string;
  origin: string;
  token: string;
  emulatorUrl: string | null;
  dataDir: string;
  /** Call an IPC channel the way the renderer does (for setting up state quickly). */
  ipc<T = unknown>(channel: string, input?: unknown, clientId?: string): Promise<T>;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function startConsole(
  opts: { station?: string; stripeApi?: string } = {},
): Promise<{ console: Console; child: ChildProcess; log: () => string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mc-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MERCHANT_CONSOLE_DATA_DIR: dataDir,
    MERCHANT_CONSOLE_STATION: opts.station ?? 'Front desk',
  };
  if (opts.stripeApi) env.MERCHANT_CONSOLE_STRIPE_API = opts.stripeApi;
  else delete env.MERCHANT_CONSOLE_STRIPE_API;
  const child = spawn(process.execPath, [join(ROOT, 'out/main/browser.js'), '--port', '0'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`console did not start in time:\n${out}\n${err}`)),
      30_000,
    );
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`console exited (${code}) before printing its URL:\n${out}\n${err}`));
    });
  });
  const parsed = new URL(url);
  const token = parsed.hash.replace('#token=', '');
  const ipc = async <T>(channel: string, input: unknown = {}, clientId = 'e2e-helper'): Promise<T> => {
    const res = await fetch(`${parsed.origin}/__bridge/ipc/${channel}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'x-client-id': clientId,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ input }),
    });
    const body = (await res.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } };
    if (!body.ok) throw new Error(`${channel}: ${body.error?.code} ${body.error?.message}`);
    return body.value as T;
  };
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  // Asked of the console itself (its stdout may not have printed that line yet).
  const { emulatorUrl } = await ipc<{ emulatorUrl: string | null }>('app:info');
  return {
    console: { url, origin: parsed.origin, token, emulatorUrl, dataDir, ipc },
    child,
    log: () => `${out}\n${err}`,
  };
}

/**
 * Close a journey's own browser contexts (the shared browser keeps every context opened on it until the worker
 * ends: later failures would screenshot them all, and each holds its page's memory). On a failure each page is
 * screenshotted first, named after its station.
 */
export async function closePages(
  pages: Page[],
  testInfo: Pick<TestInfo, 'outputPath' | 'attach'>,
  failed: boolean,
  names: string[],
): Promise<void> {
  for (const [i, page] of pages.entries()) {
    if (failed) {
      const path = testInfo.outputPath(`${names[i] ?? `page-${i}`}-at-failure.png`);
      await page.screenshot({ path }).catch(() => undefined);
      await testInfo
        .attach(`${names[i] ?? `page-${i}`}-at-failure`, { path, contentType: 'image/png' })
        .catch(() => undefined);
    }
    await page
      .context()
      .close()
      .catch(() => undefined);
  }
}

export async function stopConsole(
  c: Console,
  child: ChildProcess,
  log: () => string,
  testInfo: {
    status?: string;
    expectedStatus: string;
    outputPath(n: string): string;
    attach: (n: string, o: { path: string; contentType: string }) => Promise<void>;
  },
  name = 'console',
  /** The body threw: keep the log (testInfo.status is set only after the body, so a `finally` can't see it). */
  failed = false,
): Promise<void> {
  if (failed || testInfo.status !== testInfo.expectedStatus) {
    const file = testInfo.outputPath(`${name}.log`);
    writeFileSync(file, log());
    await testInfo.attach(`${name}-log`, { path: file, contentType: 'text/plain' });
  }
  child.kill('SIGTERM');
  await new Promise((r) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      r(null);
    }, 5000);
    child.once('exit', () => {
      clearTimeout(t);
      r(null);
    });
  });
  rmSync(c.dataDir, { recursive: true, force: true });
}

export const test = base.extend<{ mc: Console }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure
  mc: async ({}, use, testInfo) => {
    const { console: c, child, log } = await startConsole();
    try {
      await use(c);
    } finally {
      // The console's own log helps explain a failure (handler errors are logged there).
      await stopConsole(c, child, log, testInfo);
    }
  },
});

export { expect };

const SHOTS = join(ROOT, 'test-results', 'screenshots');
const DOCS = join(ROOT, 'docs', 'screenshots');

/**
 * Save a screenshot under test-results/screenshots/ (every run; look at them), and — only with
 * UPDATE_DOCS_SCREENSHOTS=1 — refresh the copy the README shows under docs/screenshots/, so a test run
 * never dirties the tree.
 */
export async function shot(page: Page, name: string, opts: { docs?: boolean } = {}): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false, animations: 'disabled', caret: 'hide' });
  if (opts.docs && process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
    mkdirSync(DOCS, { recursive: true });
    copyFileSync(file, join(DOCS, `${name}.png`));
  }
}

export interface TwoStations {
  emulator: RunningEmulator;
  front: Awaited<ReturnType<typeof startConsole>>;
  pack: Awaited<ReturnType<typeof startConsole>>;
  frontPage: Page;
  packPage: Page;
}

/**
 * One shop, two stations: an emulator shared by a Front desk and a Packing console in browser mode, each with a
 * page of its own (viewport, time zone as given). Both consoles and the emulator are stopped however the body ends,
 * with the consoles' logs attached to a failed test.
 */
export async function withTwoStations(
  browser: Browser,
  testInfo: TestInfo,
  contexts: { front?: BrowserContextOptions; pack?: BrowserContextOptions },
  body: (s: TwoStations) => Promise<void>,
): Promise<void> {
  const large = { viewport: { width: 1440, height: 900 } };
  const emulator = await startEmulator({ port: 0 });
  const front = await startConsole({ station: 'Front desk', stripeApi: emulator.url });
  const pack = await startConsole({ station: 'Packing', stripeApi: emulator.url });
  let failed = false;
  const pages: Page[] = [];
  try {
    const frontPage = await (await browser.newContext(contexts.front ?? large)).newPage();
    const packPage = await (await browser.newContext(contexts.pack ?? large)).newPage();
    pages.push(frontPage, packPage);
    await body({ emulator, front, pack, frontPage, packPage });
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    await closePages(pages, testInfo, failed, ['front', 'pack']);
    await stopConsole(front.console, front.child, front.log, testInfo, 'front', failed);
    await stopConsole(pack.console, pack.child, pack.log, testInfo, 'pack', failed);
    await emulator.close();
  }
}
