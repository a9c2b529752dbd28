// The error half of every IPC result. Codes are stable strings the renderer can branch on; messages are
// written for the person at the console, never stack traces, never secrets.

export const ERROR_CODES = [
  'invalid_input', // the input failed the channel's schema
  'unknown_channel',
  'untrusted_sender',
  'unauthenticated', // nobody is signed in on this station
  'forbidden', // signed in, but the role does not allow it
  'bad_pin',
  'locked', // too many wrong PINs
  'not_found',
  'conflict', // state moved on (stale version, already captured, …)
  'precondition_failed', // not allowed in this state (ship unpaid order, capture expired hold, …)
  'card_declined', // Stripe said no to the card: a result to show, not a failure of the app
  'authentication_required',
  'pending_confirmation', // the outcome at Stripe is unknown; the journal will settle it
  'stripe_unavailable', // Stripe (or the emulator) cannot be reached now
  'stripe_error', // Stripe refused the request for another reason
  'not_available', // e.g. test cards in live mode
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface IpcError {
  code: ErrorCode;
  message: string;
  /** Optional structured details (field paths for invalid_input, decline code for card_declined, …). */
  details?: Record<string, unknown>;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Thrown inside core handlers; dispatch turns it into `{ ok: false, error }`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
