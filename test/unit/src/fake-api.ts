// A stand-in for window.api (the preload / bridge shim): per-channel handlers, a call log, and events.
import { afterEach, beforeEach } from 'vitest';
import type { Channel, EventName, EventPayload, Input, Output } from '../../../electron/ipc/contract';
import type { IpcError } from '../../../electron/ipc/errors';
import { resetAllStores } from '../../../src/stores/reset';

export class FakeIpcError {
  constructor(
    readonly code: IpcError['code'],
    readonly message: string,
    readonly details?: Record<string, unknown>,
  ) {}
}

type Handler<C extends Channel> = (input: Input<C>) => Output<C> | Promise<Output<C>>;
export type Handlers = { [C in Channel]?: Handler<C> };

export interface FakeApi {
  calls: { channel: Channel; input: unknown }[];
  callsTo(channel: Channel): unknown[];
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  handlers: Handlers;
}

export function installApi(handlers: Handlers = {}): FakeApi {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const fake: FakeApi = {
    calls: [],
    handlers,
    callsTo: (channel) => fake.calls.filter((c) => c.channel === channel).map((c) => c.input),
    emit: (event, payload) => {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
  };
  (window as { api?: unknown }).api = {
    async invoke(channel: string, input: unknown) {
      fake.calls.push({ channel: channel as Channel, input });
      const h = fake.handlers[channel as Channel] as ((i: unknown) => unknown) | undefined;
      if (!h) return { ok: false, error: { code: 'unknown_channel', message: `no fake for ${channel}` } };
      try {
        return { ok: true, value: await h(input) };
      } catch (e) {
        if (e instanceof FakeIpcError)
          return {
            ok: false,
            error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) },
          };
        throw e;
      }
    },
    on(event: string, listener: (p: unknown) => void) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)!.delete(listener);
    },
  };
  return fake;
}

/** Every test starts with fresh stores and no window.api. */
export function useCleanStores(): void {
  beforeEach(() => resetAllStores());
  afterEach(() => resetAllStores());
}

export const flush = () => new Promise((r) => setTimeout(r, 0));
