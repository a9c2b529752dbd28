// Main's ipcMain registration, without Electron: one handler per contract channel, senders checked.
import { describe, expect, it } from 'vitest';
import { registerIpc, type IpcEventLike, type IpcMainLike } from '../../../../electron/main/ipc-register';
import { contract } from '../../../../electron/ipc/contract';
import type { Dispatch } from '../../../../electron/core/dispatch';

function fakeIpcMain() {
  const handlers = new Map<string, (e: IpcEventLike, ...a: unknown[]) => unknown>();
  const ipc: IpcMainLike = {
    handle: (c, l) => void handlers.set(c, l),
    removeHandler: (c) => void handlers.delete(c),
  };
  return { ipc, handlers };
}

describe('registerIpc', () => {
  it('registers exactly the contract’s channels', () => {
    const { ipc, handlers } = fakeIpcMain();
    registerIpc(
      ipc,
      () => (async () => ({ ok: true, value: null })) as unknown as Dispatch,
      () => true,
    );
    expect([...handlers.keys()].sort()).toEqual(Object.keys(contract).sort());
  });

  it('refuses a call from an untrusted frame and never reaches the dispatcher', async () => {
    const { ipc, handlers } = fakeIpcMain();
    let reached = 0;
    registerIpc(
      ipc,
      () =>
        (async () => {
          reached++;
          return { ok: true, value: null };
        }) as unknown as Dispatch,
      (url) => url.startsWith('file:///app/'),
    );
    const r = await handlers.get('orders:list')!(
      { senderFrame: { url: 'https://evil.example/' }, sender: { id: 3 } },
      {},
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'untrusted_sender' } });
    expect(reached).toBe(0);
    await handlers.get('orders:list')!(
      { senderFrame: { url: 'file:///app/index.html' }, sender: { id: 3 } },
      {},
    );
    expect(reached).toBe(1);
  });

  it('passes a per-window client id, so sessions never leak between windows', async () => {
    const { ipc, handlers } = fakeIpcMain();
    const seen: string[] = [];
    registerIpc(
      ipc,
      () =>
        (async (_c: unknown, _i: unknown, ctx: { clientId: string }) => {
          seen.push(ctx.clientId);
          return { ok: true, value: null };
        }) as unknown as Dispatch,
      () => true,
    );
    await handlers.get('auth:status')!({ senderFrame: { url: 'file:///x' }, sender: { id: 1 } }, {});
    await handlers.get('auth:status')!({ senderFrame: { url: 'file:///x' }, sender: { id: 2 } }, {});
    expect(seen).toEqual(['window-1', 'window-2']);
  });
});
