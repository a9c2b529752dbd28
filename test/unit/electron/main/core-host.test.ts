// The core's lifecycle in main: a failed restart leaves no closed instance behind, and quitting waits.
import { describe, expect, it } from 'vitest';
import { CoreHost, type CoreLike } from '../../../../electron/main/core-host';

class FakeCore implements CoreLike {
  closed = false;
  constructor(readonly name: string) {}
  async dispatch() {
    if (this.closed) throw new Error(`${this.name}: the database connection is not open`);
    return { ok: true as const, value: this.name };
  }
  async close() {
    this.closed = true;
  }
}
const call = (h: CoreHost<FakeCore>) => h.dispatch('app:info', {}, { clientId: 'window-1' });

describe('CoreHost', () => {
  it('answers from the running core', async () => {
    const h = new CoreHost(async () => new FakeCore('emulator'));
    await h.start();
    expect(await call(h)).toEqual({ ok: true, value: 'emulator' });
  });

  it('restart: closes the old core, then answers from the new one', async () => {
    const cores = [new FakeCore('emulator'), new FakeCore('live')];
    let i = 0;
    const h = new CoreHost(async () => cores[i++]!);
    await h.start();
    expect(await h.restart()).toBe(true);
    expect(cores[0]!.closed).toBe(true);
    expect(await call(h)).toEqual({ ok: true, value: 'live' });
  });

  it('a failed restart leaves no closed instance behind: calls get an error that says so', async () => {
    const first = new FakeCore('emulator');
    const errors: string[] = [];
    let n = 0;
    const h = new CoreHost(
      async () => {
        if (n++ === 0) return first;
        throw new Error('The database console-live.sqlite is damaged');
      },
      (m) => errors.push(m),
    );
    await h.start();
    expect(await h.restart()).toBe(false);
    expect(first.closed).toBe(true);
    expect(h.services).toBeNull();
    expect(h.status).toEqual({ state: 'failed', error: 'The database console-live.sqlite is damaged' });
    const r = await call(h);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('internal');
      expect(r.error.message).toContain('could not restart: The database console-live.sqlite is damaged');
    }
    expect(errors[0]).toContain('could not restart');
  });

  it('calls during a restart are answered, not sent to the closed core', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let n = 0;
    const h = new CoreHost(async () => {
      if (n++ === 0) return new FakeCore('old');
      await gate;
      return new FakeCore('new');
    });
    await h.start();
    const restarting = h.restart();
    await new Promise((r) => setTimeout(r, 0));
    const during = await call(h);
    expect(during).toMatchObject({ ok: false, error: { message: expect.stringContaining('restarting') } });
    release();
    await restarting;
    expect(await call(h)).toEqual({ ok: true, value: 'new' });
  });

  it('close waits for a restart in flight and closes what it built', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const built: FakeCore[] = [];
    const h = new CoreHost(async () => {
      if (built.length) await gate;
      const c = new FakeCore(`core${built.length}`);
      built.push(c);
      return c;
    });
    await h.start();
    const restarting = h.restart();
    await new Promise((r) => setTimeout(r, 0)); // the new core is being built
    const closing = h.close();
    release();
    await Promise.all([restarting, closing]);
    expect(built.map((c) => c.closed)).toEqual([true, true]);
    expect(h.services).toBeNull();
    expect((await call(h)).ok).toBe(false);
  });

  it('a restart asked for after quitting began builds nothing', async () => {
    let builds = 0;
    const h = new CoreHost(async () => (builds++, new FakeCore('x')));
    await h.start();
    const closing = h.close();
    expect(await h.restart()).toBe(false);
    await closing;
    expect(builds).toBe(1);
  });
});
