// The step runner under `npm start` and the native build: failures are failures, long steps show progress.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeExit, runStep, spawnCommand } from '../../../../../scripts/lib/processes';
import { FakeHost } from './fake-host';

afterEach(() => void vi.useRealTimers());

describe('spawnCommand (Windows needs a shell for batch files)', () => {
  it('runs npx through npx.cmd and a shell on Windows', () => {
    expect(spawnCommand('win32', 'npx')).toEqual({ command: 'npx.cmd', shell: true });
    expect(spawnCommand('win32', 'C:\\tools\\build.bat')).toEqual({
      command: 'C:\\tools\\build.bat',
      shell: true,
    });
  });
  it('runs executables directly everywhere, and npx directly on macOS and Linux', () => {
    expect(spawnCommand('win32', 'C:\\Program Files\\nodejs\\node.exe').shell).toBe(false);
    expect(spawnCommand('darwin', 'npx')).toEqual({ command: 'npx', shell: false });
    expect(spawnCommand('linux', 'npx')).toEqual({ command: 'npx', shell: false });
  });
});

describe('runStep', () => {
  const step = (host: FakeHost, extra: Partial<Parameters<typeof runStep>[1]> = {}) =>
    runStep(host, { label: 'Building', command: 'tool', args: ['a'], timeoutMs: 60_000, ...extra });

  it('is ok for exit code 0 and keeps the output', async () => {
    const host = new FakeHost('linux').on((c) => c === 'tool', { stdout: 'one\ntwo\n', code: 0 });
    const r = await step(host);
    expect(r.ok).toBe(true);
    expect(r.stdout).toBe('one\ntwo\n');
    expect(r.tail).toEqual(['one', 'two']);
  });

  it('fails on a non-zero exit code', async () => {
    const host = new FakeHost('linux').on(() => true, { stderr: 'gyp ERR! stack\n', code: 1 });
    const r = await step(host);
    expect(r.ok).toBe(false);
    expect(describeExit(r)).toBe('exited with code 1');
    expect(r.tail).toContain('gyp ERR! stack');
  });

  it('fails when the process is killed by a signal (exit code null)', async () => {
    const host = new FakeHost('linux').on(() => true, { signal: 'SIGTRAP' });
    const r = await step(host);
    expect(r.ok).toBe(false);
    expect(r.code).toBeNull();
    expect(describeExit(r)).toBe('was killed by SIGTRAP');
  });

  it('fails when the spawn itself fails (ENOENT, EINVAL)', async () => {
    const host = new FakeHost('win32').on(() => true, { error: 'EINVAL spawn npx' });
    const r = await step(host);
    expect(r.ok).toBe(false);
    expect(r.spawnError).toContain('EINVAL');
  });

  it('stops a step that runs past its timeout and says so', async () => {
    vi.useFakeTimers();
    const host = new FakeHost('linux').on(() => true, { hang: true });
    const p = step(host, { timeoutMs: 5_000 });
    await vi.advanceTimersByTimeAsync(6_000);
    const r = await p;
    expect(r.timedOut).toBe(true);
    expect(r.ok).toBe(false);
    expect(host.calls[0]!.child.killed.length).toBe(1);
    expect(describeExit(r)).toBe('took too long and was stopped');
  });

  it('prints a "still …" line while a long step runs, and none after it ends', async () => {
    vi.useFakeTimers();
    const host = new FakeHost('linux').on(() => true, { afterMs: 35_000 });
    const p = step(host, { label: 'Downloading Electron', heartbeatMs: 10_000 });
    await vi.advanceTimersByTimeAsync(36_000);
    await p;
    const beats = host.printed.filter((l) => l.includes('still downloading Electron'));
    expect(beats).toEqual([
      '  … still downloading Electron (10 s)',
      '  … still downloading Electron (20 s)',
      '  … still downloading Electron (30 s)',
    ]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(host.printed.filter((l) => l.includes('still')).length).toBe(3);
  });

  it('appends the whole output to the log file', async () => {
    const host = new FakeHost('darwin').on(() => true, { stdout: 'compiling\n', stderr: 'warning: x\n' });
    await step(host, { logPath: '/logs/build.log' });
    const log = host.files.get('/logs/build.log')!;
    expect(log).toContain('Building: tool a');
    expect(log).toContain('compiling');
    expect(log).toContain('warning: x');
  });
});
