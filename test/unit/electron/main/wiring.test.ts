// The built main process (out/main/index.js) run under plain Node with a stand-in `electron`
// (test/helpers/fake-electron): the real wiring — start order, lock, crash reporter, menu, window, IPC, the
// core on the emulator, logs, crash handling, diagnostics, quit — with Electron's side recorded. What Electron
// itself then does (draw the window, keep the keychain) is not here; this is what main asks of it.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '../../../..');
const mainJs = join(root, 'out/main/index.js');
const register = join(root, 'test/helpers/fake-electron/register.mjs');

interface Ev {
  fake?: string;
  type?: string;
  [k: string]: unknown;
}

class MainRun {
  readonly events: Ev[] = [];
  readonly exited: Promise<number | null>;
  readonly child: ChildProcess;
  private waiters: { pred: (e: Ev) => boolean; resolve: (e: Ev) => void }[] = [];
  readonly dataDir = mkdtempSync(join(tmpdir(), 'mc-wiring-'));
  readonly appData = mkdtempSync(join(tmpdir(), 'mc-wiring-appdata-'));
  output = '';

  constructor(env: Record<string, string> = {}) {
    this.child = fork(mainJs, [], {
      execArgv: ['--import', register],
      cwd: root,
      env: {
        ...process.env,
        MERCHANT_CONSOLE_DATA_DIR: this.dataDir,
        FAKE_APPDATA: this.appData,
        FAKE_APP_PATH: root,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child.stdout!.on('data', (d) => (this.output += d));
    this.child.stderr!.on('data', (d) => (this.output += d));
    this.child.on('message', (m: Ev) => {
      this.events.push(m);
      this.waiters = this.waiters.filter((w) => (w.pred(m) ? (w.resolve(m), false) : true));
    });
    this.exited = new Promise((r) => this.child.on('exit', (code) => r(code)));
  }

  waitFor(pred: (e: Ev) => boolean, what: string, ms = 30_000): Promise<Ev> {
    const seen = this.events.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () =>
          reject(
            new Error(
              `timed out waiting for ${what}; saw ${JSON.stringify(this.events.map((e) => e.fake ?? e.type))}\n${this.output}`,
            ),
          ),
        ms,
      );
      this.waiters.push({ pred, resolve: (e) => (clearTimeout(t), resolve(e)) });
    });
  }

  async do(fakeDo: string, extra: Record<string, unknown> = {}): Promise<void> {
    const n = this.events.length;
    this.child.send({ fakeDo, ...extra });
    await this.waitFor(
      (e) => e.fake === 'done' && e.what === fakeDo && this.events.indexOf(e) >= n,
      `done ${fakeDo}`,
    );
  }

  index(what: string, pred: (e: Ev) => boolean = () => true): number {
    return this.events.findIndex((e) => e.fake === what && pred(e));
  }
  all(what: string): Ev[] {
    return this.events.filter((e) => e.fake === what);
  }
  log(name: 'main' | 'renderer'): string {
    const p = join(this.dataDir, 'logs', `${name}.log`);
    return existsSync(p) ? readFileSync(p, 'utf8') : '';
  }
}

beforeAll(() => {
  if (!existsSync(mainJs)) {
    execFileSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      cwd: root,
      stdio: 'ignore',
    });
  }
}, 120_000);

describe('main, started (not packaged), on the emulator', () => {
  let run: MainRun;
  beforeAll(async () => {
    run = new MainRun();
    await run.waitFor((e) => e.type === 'merchant-console:ready', 'the window to be ready', 60_000);
  }, 90_000);
  afterAll(async () => {
    if (run.child.exitCode === null) run.child.kill();
  });

  it('starts in order: name, data folder, lock, crash reporter, ready, menu, then the window', () => {
    const order = [
      run.index('setName', (e) => e.name === 'Merchant Console'),
      run.index('setPath', (e) => e.name === 'userData' && e.value === run.dataDir),
      run.index('setPath', (e) => e.name === 'crashDumps' && e.value === join(run.dataDir, 'Crashpad')),
      run.index('requestSingleInstanceLock'),
      run.index('crashReporter.start'),
      run.index('ready'),
      run.index('setApplicationMenu'),
      run.index('BrowserWindow'),
      run.index('loadURL'),
    ];
    expect(
      order.every((i) => i >= 0),
      JSON.stringify(order),
    ).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(run.all('BrowserWindow')).toHaveLength(1);
    expect(run.events[run.index('crashReporter.start')]).toMatchObject({
      uploadToServer: false,
      submitURL: '',
    });
    expect(run.events[run.index('BrowserWindow')]).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      devTools: true,
    });
    expect(run.events[run.index('loadURL')]!.url).toMatch(/^file:\/\/.*\/out\/renderer\/index\.html$/);
  });

  it('sets the console’s own menu', () => {
    const menus = run.all('setApplicationMenu');
    const text = JSON.stringify(menus.at(-1)!.menu);
    for (const label of [
      'About Merchant Console',
      'Check for Updates… (not set up)',
      'Open Logs Folder',
      'Save Diagnostics…',
      'New order',
    ])
      expect(text).toContain(label);
  });

  it('answers the window over IPC, and nobody else', async () => {
    await run.do('ipc', { channel: 'app:info', input: {} });
    expect(run.all('ipc-result').at(-1)!.result).toMatchObject({ ok: true, value: { mode: 'emulator' } });
    await run.do('ipc', { channel: 'app:info', input: {}, url: 'https://bank.example/3ds' });
    expect(run.all('ipc-result').at(-1)!.result).toMatchObject({
      ok: false,
      error: { code: 'untrusted_sender' },
    });
  });

  it('lets the console’s page write the clipboard, and nothing else', async () => {
    const page = run.events[run.index('loadURL')]!.url as string;
    await run.do('permission', { permission: 'clipboard-sanitized-write', url: page });
    await run.do('permission', { permission: 'clipboard-sanitized-write', url: 'https://bank.example/' });
    await run.do('permission', { permission: 'notifications', url: page });
    // Asked (a permission prompt) and checked (the page's own query) alike.
    expect(run.all('permission-result').map((e) => [e.allowed, e.requested])).toEqual([
      [true, true],
      [false, false],
      [false, false],
    ]);
  });

  it('a second launch brings the window forward, never a second window', async () => {
    await run.do('second-instance');
    expect(run.all('BrowserWindow')).toHaveLength(1);
    expect(run.index('focus')).toBeGreaterThan(0);
  });

  it('writes the renderer’s console and main’s own lines to the log files, redacted', async () => {
    await run.do('console-message', { level: 'error', message: 'failed for sk_live_abcdef123456' });
    await run.do('child-process-gone');
    expect(run.log('renderer')).toMatch(/ERROR failed for sk_live_\[redacted\] \(assets\/index\.js:7\)/);
    expect(run.log('main')).toContain('Merchant Console 0.1.0 starting');
    expect(run.log('main')).toContain('WARN  child process gone: GPU, crashed, exit code 139');
  });

  it('reloads a crashed window and says so', async () => {
    await run.do('render-process-gone', { reason: 'crashed' });
    expect(run.all('webContents.reload')).toHaveLength(1);
    expect(run.all('Notification').at(-1)).toMatchObject({ title: 'The console’s window was reloaded' });
    expect(run.log('main')).toContain('renderer gone: crashed, exit code 1; reloading the window');
  });

  it('the Go menu switches the window’s screen', async () => {
    await run.do('menu', { label: 'Holds' });
    // Other events (a sync's products:changed) may be sent meanwhile: the last navigation is the one asked for.
    const navigations = run
      .all('webContents.send')
      .filter((e) => (e as { channel?: string }).channel === 'app:navigate');
    expect(navigations.at(-1)).toMatchObject({ channel: 'app:navigate', payload: { screen: 'holds' } });
  });

  it('Save Diagnostics… writes the file: versions, sync, logs — no database', async () => {
    await run.do('menu', { label: 'Save Diagnostics…' });
    const file = join(run.appData, 'diagnostics.txt');
    await run.waitFor((e) => e.fake === 'shell.showItemInFolder', 'the diagnostics file');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('Merchant Console diagnostics');
    expect(text).toContain('"stripeMode": "emulator"');
    expect(text).toContain('== main.log ==');
    expect(text).not.toContain('SQLite format 3');
  });

  it('an exception nobody caught is logged and gets one clear dialog', async () => {
    await run.do('throw');
    await run.waitFor((e) => e.fake === 'dialog.showMessageBoxSync', 'the dialog');
    expect(run.all('dialog.showMessageBoxSync')[0]).toMatchObject({
      message: 'Something went wrong inside the console.',
    });
    expect(run.log('main')).toContain('uncaught exception in main Error: a bug in main');
  });

  it('quits when asked, after the core has closed', async () => {
    run.child.send({ type: 'merchant-console:quit' });
    expect(await run.exited).toBe(0);
    expect(run.index('quit-done')).toBeGreaterThan(0);
    expect(run.log('main')).toMatch(/INFO {2}closed\n/);
  });
});

describe('main, when another instance holds the lock', () => {
  it('quits at once: no crash reporter, no log, no window', async () => {
    const run = new MainRun({ FAKE_LOCK: 'refused' });
    await run.exited;
    expect(run.index('requestSingleInstanceLock', (e) => e.got === false)).toBeGreaterThan(0);
    expect(run.index('quit')).toBeGreaterThan(0);
    for (const never of ['crashReporter.start', 'BrowserWindow', 'setApplicationMenu'])
      expect(run.index(never), never).toBe(-1);
    expect(run.log('main')).toBe('');
  }, 60_000);
});

describe('main, when the system shuts down', () => {
  it('asks the system to wait, and closes the way Quit does', async () => {
    const run = new MainRun();
    await run.waitFor((e) => e.type === 'merchant-console:ready', 'the window', 60_000);
    run.child.send({ fakeDo: 'shutdown' });
    expect(await run.exited).toBe(0);
    expect(run.index('shutdown-delayed')).toBeGreaterThan(0);
    expect(run.log('main')).toContain('the system is shutting down: closing the console');
    expect(run.log('main')).toMatch(/INFO {2}closed\n/);
  }, 90_000);
});
