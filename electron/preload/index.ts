// The preload: exposes exactly `invoke` and `on` for the contract's channels and events — never ipcRenderer
// itself. Sandboxed (CommonJS), so it bundles the channel list rather than requiring app modules.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isChannel, isEventName, type RendererApi } from '../ipc/channels';

const api: RendererApi = {
  shell: 'desktop',
  invoke(channel, input) {
    if (!isChannel(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'unknown_channel', message: `There is no channel named ${String(channel)}.` },
      });
    }
    return ipcRenderer.invoke(channel, input);
  },
  on(event, listener) {
    if (!isEventName(event)) return () => undefined;
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => ipcRenderer.removeListener(event, wrapped);
  },
};

contextBridge.exposeInMainWorld('api', api);
