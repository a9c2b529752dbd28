// The one seam between the renderer and main. Typed from the contract (types only: no zod, no schemas in
// the bundle); in Electron `window.api` comes from the preload, in browser mode from the bridge shim.
import type { Channel, EventName, EventPayload, Input, Output } from '../../electron/ipc/contract';
import type { IpcError, IpcResult } from '../../electron/ipc/errors';
import type { RendererApi } from '../../electron/ipc/channels';

declare global {
  interface Window {
    api?: RendererApi;
  }
}

export class IpcCallError extends Error {
  readonly code: IpcError['code'];
  readonly details: Record<string, unknown> | undefined;
  constructor(e: IpcError) {
    super(e.message);
    this.name = 'IpcCallError';
    this.code = e.code;
    this.details = e.details;
  }
}

function api(): RendererApi {
  if (!window.api)
    throw new IpcCallError({
      code: 'internal',
      message: 'The console’s background process is not connected.',
    });
  return window.api;
}

/** Call main; resolves with the value or rejects with an IpcCallError carrying the typed code. */
export async function call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
  const result = (await api().invoke(channel, input)) as IpcResult<Output<C>>;
  if (!result || typeof result !== 'object' || !('ok' in result)) {
    throw new IpcCallError({ code: 'internal', message: 'The console answered with something unreadable.' });
  }
  if (!result.ok) throw new IpcCallError(result.error);
  return result.value;
}

/** Subscribe to an event pushed by main; returns the unsubscribe function. */
export function subscribe<E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  if (!window.api) return () => undefined;
  return window.api.on(event, (p) => listener(p as EventPayload<E>));
}

/** The Electron app (its main hands links to other apps and owns the clipboard), not browser mode. */
export function isDesktop(): boolean {
  return window.api?.shell === 'desktop';
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
