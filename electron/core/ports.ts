// Side effects the core needs, injected by whoever composes it: Electron main, browser mode, or a test.
// Production adapters live in electron/main/adapters (Electron) and electron/browser (plain Node);
// fakes live in test/helpers. The core never reads the wall clock, the OS keychain or the network directly.
import type { EventName, EventPayload } from '../ipc/contract';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface IdGenerator {
  /** A new random id with a prefix, e.g. id('cart') → 'cart_3f9c…'. */
  id(prefix: string): string;
  /** A fresh idempotency key (UUID v7: time-ordered, so the journal's index stays tidy). */
  uuid(): string;
}

/** Secrets (the Stripe secret key, the webhook secret). Electron: safeStorage; browser mode: a 0600 file. */
export interface SecretStore {
  get(name: string): string | null;
  set(name: string, value: string): void;
  delete(name: string): void;
  /** Whether values are encrypted at rest by the OS. Shown in Settings. */
  readonly encrypted: boolean;
}

export type Cancel = () => void;
export interface Scheduler {
  after(ms: number, fn: () => void): Cancel;
}

export interface Logger {
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/** What a notification is about, so that clicking it can show that thing. */
export type NotifyTarget = { kind: 'hold'; paymentIntentId: string };

/** Desktop notifications (Electron's Notification; browser mode logs them). */
export interface Notifier {
  notify(title: string, body: string, target?: NotifyTarget): void;
}

/**
 * Live card entry with Stripe.js in a window of its own, on an origin Stripe.js accepts for live keys
 * (Electron: electron/main/adapters/card-window.ts). Browser mode has none: the renderer's inline form.
 */
export interface CardEntry {
  collect(o: {
    publishableKey: string;
    customerName: string;
    amountLabel: string;
  }): Promise<{ paymentMethodId: string } | { canceled: true }>;
}

/** Opens a 3DS page in the console's own window; settles when it reaches the return URL or is closed. */
export interface AuthWindow {
  open(url: string, returnUrl: string): Promise<'returned' | 'closed'>;
  /** The return_url to give Stripe for this console. */
  returnUrl(): string;
}

/** The desktop app's clipboard and its hand-off of a link to another app (Electron main; browser mode: the page). */
export interface DesktopHandoff {
  /** Whether the text is now on the clipboard (read back). */
  copy(text: string): boolean;
  /** Whether the operating system took the link (an app is there to open it). */
  openExternal(url: string): Promise<boolean>;
}

/** Push events to every renderer. */
export interface EventSink {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const realScheduler: Scheduler = {
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return () => clearTimeout(t);
  },
};

export const consoleLogger: Logger = {
  info: (m, ...r) => console.log(`[info] ${m}`, ...r),
  warn: (m, ...r) => console.warn(`[warn] ${m}`, ...r),
  error: (m, ...r) => console.error(`[error] ${m}`, ...r),
};
