// The one path every IPC call takes, in Electron (ipcMain) and browser mode (the loopback bridge) alike:
// check the channel, validate the input against the contract, find the caller's session, run the handler,
// and turn anything thrown into a typed error. A bad input never reaches a handler, so it can't write.
import { contract, type Channel, type Output, type ParsedInput } from '../ipc/contract';
import { isChannel } from '../ipc/channels';
import { AppError, isAppError, type IpcResult } from '../ipc/errors';
import type { Logger } from './ports';

/** Who is calling: the station's signed-in user (if any), resolved by main, never taken from the renderer. */
export interface CallContext {
  /** A stable id of the calling window/client; sessions are kept per client. */
  clientId: string;
}

export type Handler<C extends Channel> = (
  input: ParsedInput<C>,
  ctx: CallContext,
) => Promise<Output<C>> | Output<C>;
export type Handlers = { [C in Channel]: Handler<C> };

const MAX_ISSUES = 5;

export function createDispatcher(handlers: Handlers, logger: Logger) {
  return async function dispatch(
    channel: unknown,
    rawInput: unknown,
    ctx: CallContext,
  ): Promise<IpcResult<unknown>> {
    if (!isChannel(channel)) {
      return {
        ok: false,
        error: {
          code: 'unknown_channel',
          message: `There is no channel named ${String(channel).slice(0, 80)}.`,
        },
      };
    }
    const parsed = contract[channel].input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, MAX_ISSUES).map((i) => ({
        path: i.path.join('.'),
        message: i.message.slice(0, 200),
      }));
      const first = issues[0];
      const where = first?.path ? `${first.path}: ` : '';
      return {
        ok: false,
        error: {
          code: 'invalid_input',
          message: `Invalid input for ${channel}: ${where}${first?.message ?? 'malformed'}`,
          details: { issues },
        },
      };
    }
    try {
      const handler = handlers[channel] as Handler<Channel>;
      const value = await handler(parsed.data as never, ctx);
      return { ok: true, value };
    } catch (e) {
      if (isAppError(e))
        return {
          ok: false,
          error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) },
        };
      logger.error(`handler ${channel} failed`, e);
      return {
        ok: false,
        error: { code: 'internal', message: 'Something went wrong inside the console. It has been logged.' },
      };
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;
export { AppError };
