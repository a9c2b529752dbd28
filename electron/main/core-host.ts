// Owns the one running core (createServices) for main: start, restart after a mode change, close on quit.
// A restart drops the old instance before building the new one, so a failed restart leaves no closed
// instance behind for IPC to call into: until the next successful start, every call is answered with an
// error saying what happened. Close waits for a restart in flight, and is safe to call twice.
import type { IpcResult } from '../ipc/errors';

export interface CoreLike {
  dispatch(channel: unknown, input: unknown, ctx: { clientId: string }): Promise<IpcResult<unknown>>;
  close(): Promise<void>;
}

export type HostState = 'starting' | 'running' | 'restarting' | 'failed' | 'closed';

export class CoreHost<S extends CoreLike> {
  private current: S | null = null;
  private state: HostState = 'starting';
  private failure: Error | null = null;
  private pending: Promise<unknown> = Promise.resolve();
  private closing = false;

  constructor(
    private readonly build: () => Promise<S>,
    private readonly onError: (message: string, error: Error) => void = () => undefined,
  ) {}

  get services(): S | null {
    return this.current;
  }
  get status(): { state: HostState; error: string | null } {
    return { state: this.state, error: this.failure?.message ?? null };
  }

  /** The first start; throws what createServices threw (main shows it and exits). */
  async start(): Promise<S> {
    const s = await this.build();
    this.current = s;
    this.state = 'running';
    return s;
  }

  /** Close the running core and build a new one (the Stripe key changed the mode). Never throws. */
  restart(): Promise<boolean> {
    const run = this.pending.then(async () => {
      if (this.closing) return false;
      const old = this.current;
      this.current = null; // from here on, calls get an answer, not a closed database
      this.state = 'restarting';
      this.failure = null;
      try {
        await old?.close();
      } catch (e) {
        this.onError('The console could not close cleanly before restarting.', e as Error);
      }
      try {
        const next = await this.build();
        if (this.closing) {
          await next.close();
          return false;
        }
        this.current = next;
        this.state = 'running';
        return true;
      } catch (e) {
        if (this.closing) return false;
        this.failure = e as Error;
        this.state = 'failed';
        this.onError(`The console could not restart: ${(e as Error).message}`, e as Error);
        return false;
      }
    });
    this.pending = run.catch(() => undefined);
    return run;
  }

  /** What IPC calls: the running core, or an answer saying why there is none. */
  readonly dispatch: CoreLike['dispatch'] = async (channel, input, ctx) => {
    const s = this.current;
    if (s) return s.dispatch(channel, input, ctx);
    const message =
      this.state === 'failed'
        ? `The console could not restart: ${this.failure?.message ?? 'unknown error'}. Quit and open it again.`
        : this.state === 'closed'
          ? 'The console is closing.'
          : 'The console is restarting; try again in a moment.';
    return { ok: false, error: { code: 'internal', message } };
  };

  /** For quitting: waits for a restart in flight, then closes the core. */
  async close(): Promise<void> {
    this.closing = true;
    this.state = 'closed';
    await this.pending;
    const s = this.current;
    this.current = null;
    await s?.close();
  }
}
