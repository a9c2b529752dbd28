/**
 * Offline, stateful Stripe API emulator (API version 2026-10-28.endive) that the official `stripe` SDK talks to
 * unchanged via `new Stripe(key, { host, port, protocol: 'http' })`. Used by tests, the offline demo mode and
 * `npx tsx electron/emulator/cli.ts`. Must not import 'electron'.
 */
import { Emulator } from './emulator';
import { EmulatorServer } from './server';
import { buildEventJson } from './state';
import type { Persistence } from './state';
import { WebhookDispatcher } from './webhooks';
import type { RateLimitSetting } from './rate-limit';

export interface EmulatorClock {
  now(): number; // epoch milliseconds
}

export interface EmulatorOptions {
  port?: number; // default 0 (free port)
  host?: string; // default '127.0.0.1'; refuse anything not loopback
  clock?: EmulatorClock; // base clock; emulator time = clock.now() + total advanced; default Date.now
  statePath?: string; // SQLite file; default in-memory
  authorizationWindowSeconds?: number; // default 7 days (capture_before = charge created + this)
  webhookRetryDelaysMs?: number[]; // real-time delays between webhook delivery attempts, e.g. [500, 2000, 10000]
  /**
   * cancellation_reason of a PaymentIntent whose authorization expired. [unverified] Stripe's docs say the
   * PaymentIntent is canceled but not whether the reason is 'automatic' or 'expired'; default 'automatic'.
   */
  expiryCancellationReason?: 'automatic' | 'expired';
  /**
   * Parameters a succeeded or canceled PaymentIntent still accepts on update. [unverified] beyond metadata
   * (Stripe's docs only say metadata can still be edited); default ['metadata'].
   */
  paymentIntentUpdatableAfterSuccess?: readonly string[];
  /**
   * Follow-ups of the test cards, on emulator time (see EmulatorConfig in kernel.ts for what each means):
   * disputes and early fraud warnings arrive `disputeDelaySeconds` / `earlyFraudWarningDelaySeconds` after the
   * payment (default 0: before the next request); evidence is due `disputeResponseDays` (7) days later;
   * evidence saying winning_evidence / losing_evidence is decided `disputeDecisionDelaySeconds` (3) after it
   * is submitted; a closed inquiry becomes `inquiryClosedStatus` ('warning_closed'); a pm_card_refundFail
   * refund fails `refundFailureDelaySeconds` (3) after it is made, with `refundFailureReason`
   * ('expired_or_canceled_card').
   */
  disputeDelaySeconds?: number;
  earlyFraudWarningDelaySeconds?: number;
  disputeResponseDays?: number;
  disputeDecisionDelaySeconds?: number;
  inquiryClosedStatus?: 'warning_closed' | 'lost';
  refundFailureDelaySeconds?: number;
  refundFailureReason?: string;
  /** Tax Calculations expire this many seconds after they are made (default 90 days, as Stripe's). */
  taxCalculationLifetimeSeconds?: number;
  /**
   * A PaymentIntent linked to a Tax Calculation with a different amount: 'accept' (default; Stripe's docs name
   * no error [unverified]) or 'refuse' (400).
   */
  taxAmountMismatch?: 'accept' | 'refuse';
  /**
   * Stripe's rate limiter: 429 above this many reads (and as many writes) a second. 'test' is test mode's 25,
   * 'live' live mode's 100 (docs.stripe.com/rate-limits). Default false: no limit (tests, the offline demo).
   */
  rateLimit?: RateLimitSetting;
  /** better-sqlite3's native module for this runtime (the Electron app passes its Electron-ABI build). */
  nativeBinding?: string;
}

export interface RunningEmulator {
  url: string;
  host: string;
  port: number;
  now(): number; // emulator time, ms
  advanceClock(seconds: number): void; // same as the control API
  reset(): void;
  /** Change the rate limit while running (false: none). */
  setRateLimit(setting: RateLimitSetting): void;
  /** Requests refused with 429 by the rate limiter since it was last set. */
  rateLimited(): number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !/^127\.\d+\.\d+\.\d+$/.test(host)) {
    throw new Error(`The Stripe emulator only binds to loopback addresses, not ${host}`);
  }
  const base = options.clock ?? { now: () => Date.now() };
  const holder: { emu?: Emulator } = {};
  const clock = { nowMs: () => base.now() + (holder.emu?.state.offsetMs ?? 0) };
  const emu = new Emulator(clock, {
    authorizationWindowSeconds: options.authorizationWindowSeconds ?? 7 * 86_400,
    expiryCancellationReason: options.expiryCancellationReason ?? 'automatic',
    paymentIntentUpdatableAfterSuccess: options.paymentIntentUpdatableAfterSuccess ?? ['metadata'],
    disputeDelaySeconds: options.disputeDelaySeconds ?? 0,
    earlyFraudWarningDelaySeconds: options.earlyFraudWarningDelaySeconds ?? 0,
    disputeResponseDays: options.disputeResponseDays ?? 7,
    disputeDecisionDelaySeconds: options.disputeDecisionDelaySeconds ?? 3,
    inquiryClosedStatus: options.inquiryClosedStatus ?? 'warning_closed',
    refundFailureDelaySeconds: options.refundFailureDelaySeconds ?? 3,
    refundFailureReason: options.refundFailureReason ?? 'expired_or_canceled_card',
    taxCalculationLifetimeSeconds: options.taxCalculationLifetimeSeconds ?? 90 * 86_400,
    taxAmountMismatch: options.taxAmountMismatch ?? 'accept',
  });
  holder.emu = emu;
  const webhooks = new WebhookDispatcher(emu, options.webhookRetryDelaysMs ?? [500, 2000, 10_000]);

  let persistence: Persistence | null = null;
  if (options.statePath) {
    const { openPersistence } = await import('./persist');
    persistence = await openPersistence(options.statePath, options.nativeBinding);
    emu.state.restore(persistence.load());
    for (const e of emu.state.events) e.json = buildEventJson(e);
  }
  const e = emu;
  // Scheduled work (authorization expiry, …) also runs on its own when emulator time reaches it, not only
  // before the next request: a real-time timer is armed for the earliest task.
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  const arm = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    const at = e.nextTimerAt();
    if (at === undefined || closed) return;
    const delay = Math.min(Math.max(0, at * 1000 - clock.nowMs()), 2 ** 31 - 1);
    timer = setTimeout(() => {
      timer = null;
      e.tick();
      srv.flush();
      arm();
    }, delay);
    timer.unref();
  };
  const control = {
    advanceClock(seconds: number): void {
      if (!Number.isFinite(seconds) || seconds < 0) throw new Error('seconds must be a non-negative number');
      e.state.offsetMs += Math.round(seconds * 1000);
      e.tick();
      srv.idem.prune();
      srv.flush();
    },
    reset(): void {
      e.state.reset();
      e.timersRestored();
      srv.faults = [];
      persistence?.clear();
    },
  };
  const srv: EmulatorServer = new EmulatorServer(
    e,
    webhooks,
    persistence,
    control,
    options.rateLimit ?? false,
  );
  e.onTimersChanged = arm;
  e.timersRestored();
  webhooks.onSettled = () => srv.flush();
  const port = await srv.listen(options.port ?? 0, host);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  e.baseUrl = url;
  return {
    url,
    host,
    port,
    now: () => clock.nowMs(),
    advanceClock: (seconds) => control.advanceClock(seconds),
    reset: () => control.reset(),
    setRateLimit: (setting) => srv.rateLimiter.set(setting),
    rateLimited: () => srv.rateLimiter.refused,
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      webhooks.close();
      await srv.close();
      srv.flush();
      persistence?.close();
    },
  };
}
