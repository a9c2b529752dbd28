// Electron under `npm start`: an early crash or a signal is a failure (not success), with guidance; a
// stop is graceful on each platform (on Windows, over the IPC channel — kill() there is TerminateProcess).
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  LAUNCHER_QUIT,
  LAUNCHER_READY,
  QUIT_GRACE_MS,
  launchElectron,
  launchGuidance,
} from '../../../../../scripts/lib/launch';
import { FakeHost } from './fake-host';

const BIN = '/app/node_modules/electron/dist/electron';
const ready = { type: LAUNCHER_READY };
const launch = (host: FakeHost) =>
  launchElectron(host, { bin: BIN, args: ['/app'], env: { X: '1' }, cwd: '/app' });

afterEach(() => void vi.useRealTimers());

describe('launchElectron', () => {
  it('opens an IPC channel and passes the environment', () => {
    const host = new FakeHost('linux').on(() => true, { hang: true });
    launch(host);
    const call = host.calls[0]!;
    expect(call.options.stdio).toEqual(['inherit', 'inherit', 'pipe', 'ipc']);
    expect((call.options.env as Record<string, string>).X).toBe('1');
  });

  it('a quit after the window came up is a quit', async () => {
    const host = new FakeHost('darwin').on(() => true, { messages: [ready], code: 0 });
    expect(await launch(host).outcome).toEqual({ kind: 'quit', code: 0 });
  });

  it('a signal before the window came up is an early failure, not success (Ubuntu 24.04 sandbox)', async () => {
    const host = new FakeHost('linux').on(() => true, {
      stderr:
        'FATAL:setuid_sandbox_host.cc(163)] The SUID sandbox helper binary was found, but is not configured correctly.\n',
      signal: 'SIGTRAP',
    });
    const o = await launch(host).outcome;
    expect(o).toMatchObject({ kind: 'failed', early: true, code: null, signal: 'SIGTRAP' });
    if (o.kind !== 'failed') return;
    expect(launchGuidance('linux', o, false).join(' ')).toContain('chrome-sandbox');
    expect(host.stderrPassed.join('')).toContain('SUID sandbox'); // the person still sees Electron's own words
  });

  it('a non-zero exit before ready is an early failure', async () => {
    const host = new FakeHost('win32').on(() => true, { code: 3221225781 });
    const o = await launch(host).outcome;
    expect(o).toMatchObject({ kind: 'failed', early: true, code: 3221225781 });
    if (o.kind === 'failed') expect(launchGuidance('win32', o, false).join(' ')).toContain('Visual C++');
  });

  it('a crash after ready is a failure but not an early one', async () => {
    const host = new FakeHost('linux').on(() => true, { messages: [ready], signal: 'SIGSEGV' });
    expect(await launch(host).outcome).toMatchObject({ kind: 'failed', early: false, signal: 'SIGSEGV' });
  });

  it('a binary that cannot be spawned is an early failure', async () => {
    const host = new FakeHost('darwin').on(() => true, { error: 'EACCES permission denied' });
    const o = await launch(host).outcome;
    expect(o).toMatchObject({ kind: 'failed', early: true, spawnError: 'EACCES permission denied' });
    if (o.kind === 'failed') expect(launchGuidance('darwin', o, false).join(' ')).toContain('npm ci');
  });

  it('root on Linux: says Electron refuses root', async () => {
    const host = new FakeHost('linux').on(() => true, {
      stderr: 'Running as root without --no-sandbox is not supported.\n',
      signal: 'SIGTRAP',
    });
    const o = await launch(host).outcome;
    if (o.kind === 'failed') expect(launchGuidance('linux', o, true)[0]).toContain('as root');
    else expect.fail('should have failed');
  });

  it('a missing shared library: names it', async () => {
    const host = new FakeHost('linux').on(() => true, {
      stderr: 'electron: error while loading shared libraries: libnss3.so: cannot open shared object file\n',
      code: 127,
    });
    const o = await launch(host).outcome;
    if (o.kind === 'failed') expect(launchGuidance('linux', o, false).join(' ')).toContain('libnss3.so');
    else expect.fail('should have failed');
  });
});

describe('stopping', () => {
  it('Windows: asks main to quit over IPC instead of TerminateProcess', async () => {
    const host = new FakeHost('win32').on(() => true, { messages: [ready], hang: true });
    const l = launch(host);
    await new Promise((r) => setTimeout(r, 5));
    l.stop('SIGINT');
    const child = host.calls[0]!.child;
    expect(child.sent).toEqual([{ type: LAUNCHER_QUIT }]);
    expect(child.killed).toEqual([]);
    child.exit(0, null); // main quit after closing the core
    expect(await l.outcome).toEqual({ kind: 'stopped', code: 0 });
  });

  it('Windows: forces it only after the grace period', async () => {
    vi.useFakeTimers();
    const host = new FakeHost('win32').on(() => true, { messages: [ready], hang: true });
    const l = launch(host);
    await vi.advanceTimersByTimeAsync(1);
    l.stop('SIGINT');
    const child = host.calls[0]!.child;
    await vi.advanceTimersByTimeAsync(QUIT_GRACE_MS - 100);
    expect(child.killed).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(child.killed).toEqual(['default']);
    expect((await l.outcome).kind).toBe('stopped');
  });

  it('Windows without an IPC channel: there is nothing gentler than kill()', () => {
    const host = new FakeHost('win32').on(() => true, { hang: true, connected: false });
    const l = launch(host);
    l.stop('SIGINT');
    expect(host.calls[0]!.child.killed).toEqual(['default']);
  });

  it.each(['darwin', 'linux'] as const)(
    '%s: passes the signal on (Electron quits gracefully on it)',
    async (p) => {
      const host = new FakeHost(p).on(() => true, { messages: [ready], hang: true });
      const l = launch(host);
      await new Promise((r) => setTimeout(r, 5));
      l.stop('SIGTERM');
      expect(host.calls[0]!.child.killed).toEqual(['SIGTERM']);
      expect(host.calls[0]!.child.sent).toEqual([]);
      expect((await l.outcome).kind).toBe('stopped');
    },
  );
});
