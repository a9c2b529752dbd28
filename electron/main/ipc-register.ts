// Registers one ipcMain handler per contract channel. It takes ipcMain as a parameter (no Electron import
// at runtime), so its test runs in plain Node. Every call: trusted sender? → dispatch (validates, finds the
// session for this window, runs the handler, returns a typed result).
import { CHANNELS } from '../ipc/channels';
import type { Dispatch } from '../core/dispatch';
import type { IpcResult } from '../ipc/errors';

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown> | unknown,
  ): void;
  removeHandler(channel: string): void;
}
export interface IpcEventLike {
  senderFrame: { url: string } | null;
  sender: { id: number };
}

export function registerIpc(
  ipcMain: IpcMainLike,
  getDispatch: () => Dispatch,
  isTrustedSender: (url: string) => boolean,
): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event, input): Promise<IpcResult<unknown>> => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrustedSender(url)) {
        return {
          ok: false,
          error: { code: 'untrusted_sender', message: 'This window is not allowed to talk to the console.' },
        };
      }
      return getDispatch()(channel, input, { clientId: `window-${event.sender.id}` });
    });
  }
  return () => CHANNELS.forEach((c) => ipcMain.removeHandler(c));
}
