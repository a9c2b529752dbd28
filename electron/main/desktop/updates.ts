// Updates: where they come from (a publish target the shop configures), and when one is installed — never
// in the middle of a payment. electron-updater does the checking, downloading and verifying (each download
// against the SHA-512 in the update metadata; on Windows also the installer's Authenticode publisher, on
// macOS the new app's code signature through Squirrel.Mac); this module decides everything else, over a
// small slice of its autoUpdater so the tests need neither Electron nor a server.

export type PublishTarget =
  | { provider: 'generic'; url: string; channel?: string }
  | { provider: 'github'; owner: string; repo: string; private?: boolean };

/**
 * The shop's update source, from the environment at build time (electron-builder writes it into the app as
 * app-update.yml) and at run time (an override for a station): MERCHANT_CONSOLE_UPDATE_URL — a folder on the
 * shop's own server holding latest*.yml and the installers, https only (the metadata's hashes are only as
 * good as the channel they came over) — or MERCHANT_CONSOLE_UPDATE_GITHUB=owner/repo (GitHub releases).
 * Neither: no updates (null), and the menu says how to set them up.
 */
export function publishFromEnv(env: Readonly<Record<string, string | undefined>>): PublishTarget | null {
  const url = env.MERCHANT_CONSOLE_UPDATE_URL?.trim();
  if (url) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new Error(`MERCHANT_CONSOLE_UPDATE_URL is not a URL: ${url}`);
    }
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback))
      throw new Error(
        `MERCHANT_CONSOLE_UPDATE_URL must be an https:// address (got ${u.protocol}//${u.host}).`,
      );
    const channel = env.MERCHANT_CONSOLE_UPDATE_CHANNEL?.trim();
    return { provider: 'generic', url: u.toString(), ...(channel ? { channel } : {}) };
  }
  const gh = env.MERCHANT_CONSOLE_UPDATE_GITHUB?.trim();
  if (gh) {
    const m = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})$/.exec(gh);
    if (!m) throw new Error(`MERCHANT_CONSOLE_UPDATE_GITHUB must be owner/repo (got ${gh}).`);
    return { provider: 'github', owner: m[1]!, repo: m[2]! };
  }
  return null;
}

/** Channels that move money or start a payment: while one runs, nothing restarts the app. */
export const MONEY_CHANNELS: ReadonlySet<string> = new Set([
  'payments:pay',
  'payments:authenticate',
  'payments:collectCard',
  'payments:refresh',
  'holds:capture',
  'holds:release',
  'waitlist:chargeSaved',
  'waitlist:payByPhone',
  'waitlist:authenticate',
  'orders:refund',
  'orders:cancel',
]);

/** Phases of a cart whose payment is under way (the customer is confirming, or the outcome isn't known yet). */
export const PAYING_PHASES: ReadonlySet<string> = new Set([
  'authenticating',
  'processing',
  'pending_confirmation',
]);

/** Idle: no call to the console for this long (someone in the middle of an order is not idle). */
export const IDLE_AFTER_MS = 2 * 60_000;
export const RETRY_INSTALL_MS = 60_000;
export const CHECK_EVERY_MS = 4 * 60 * 60_000;

export interface Activity {
  /** Money calls running now (see MONEY_CHANNELS). */
  moneyCallsInFlight: number;
  /** Open carts whose payment is under way (see PAYING_PHASES). */
  paymentsUnderWay: number;
  /** When the window last called the console (epoch ms), or null if never. */
  lastCallAt: number | null;
}

export type InstallDecision = { install: true } | { install: false; why: string };

export function installDecision(a: Activity, now: number): InstallDecision {
  if (a.moneyCallsInFlight > 0) return { install: false, why: 'a payment is being taken' };
  if (a.paymentsUnderWay > 0)
    return { install: false, why: 'a payment is waiting for the customer or for Stripe' };
  if (a.lastCallAt !== null && now - a.lastCallAt < IDLE_AFTER_MS)
    return { install: false, why: 'the console is in use' };
  return { install: true };
}

/** Counts money calls in flight and the last call's time, for installDecision. */
export class ActivityTracker {
  private inFlight = 0;
  private last: number | null = null;
  constructor(private readonly now: () => number = Date.now) {}
  async track<T>(channel: string, run: () => Promise<T>): Promise<T> {
    this.last = this.now();
    const money = MONEY_CHANNELS.has(channel);
    if (money) this.inFlight++;
    try {
      return await run();
    } finally {
      if (money) this.inFlight--;
      this.last = this.now();
    }
  }
  snapshot(paymentsUnderWay: number): Activity {
    return { moneyCallsInFlight: this.inFlight, paymentsUnderWay, lastCallAt: this.last };
  }
}

/** The slice of electron-updater's autoUpdater used here. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  on(event: 'update-available', l: (info: { version: string }) => void): unknown;
  on(event: 'update-not-available', l: (info: { version: string }) => void): unknown;
  on(event: 'update-downloaded', l: (info: { version: string }) => void): unknown;
  on(event: 'error', l: (error: Error) => void): unknown;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export type UpdateState =
  | { kind: 'off'; why: string }
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'downloading'; version: string }
  | { kind: 'downloaded'; version: string }
  | { kind: 'up-to-date' }
  | { kind: 'failed'; message: string };

export interface UpdateControllerOptions {
  /** null: updates are not set up (no publish target, or not a packaged app). */
  updater: UpdaterLike | null;
  offWhy?: string;
  activity: () => Activity;
  /** Ask whether to restart now; 'later' installs at the next quit. */
  ask: (version: string) => Promise<'restart' | 'later'>;
  /** Tell the person who asked (the menu item) what happened. */
  tell: (message: string, detail?: string) => void;
  log: (level: 'info' | 'warn', message: string) => void;
  after: (ms: number, fn: () => void) => unknown;
  now?: () => number;
  /** Called just before quitAndInstall (main lets the core close first). */
  beforeInstall?: () => void;
}

export class UpdateController {
  private s: UpdateState;
  private manual = false;
  private asking = false;
  private waitingLogged = false;

  constructor(private readonly o: UpdateControllerOptions) {
    const u = o.updater;
    if (!u) {
      this.s = { kind: 'off', why: o.offWhy ?? 'Updates are not set up for this console.' };
      return;
    }
    this.s = { kind: 'idle' };
    u.autoDownload = true;
    // Downloaded but not installed when the console quits: installed then, so the next start is the new one.
    u.autoInstallOnAppQuit = true;
    u.on('update-available', (i) => {
      this.s = { kind: 'downloading', version: i.version };
      o.log('info', `update ${i.version} available; downloading`);
      if (this.manual)
        o.tell(
          `Version ${i.version} is available.`,
          'It is downloading; you will be asked before it is installed.',
        );
      this.manual = false;
    });
    u.on('update-not-available', (i) => {
      this.s = { kind: 'up-to-date' };
      o.log('info', `no update (latest ${i.version})`);
      if (this.manual) o.tell('The console is up to date.', `Version ${i.version} is the latest.`);
      this.manual = false;
    });
    u.on('update-downloaded', (i) => {
      this.s = { kind: 'downloaded', version: i.version };
      o.log('info', `update ${i.version} downloaded and verified`);
      this.tryInstall();
    });
    u.on('error', (e) => {
      this.s = { kind: 'failed', message: e.message };
      o.log('warn', `update failed: ${e.message}`);
      if (this.manual) o.tell('The update check failed.', e.message);
      this.manual = false;
    });
  }

  get state(): UpdateState {
    return this.s;
  }

  /** A check: at start, every few hours, and from the menu (`manual`: say what came of it). */
  async check(manual: boolean): Promise<void> {
    const u = this.o.updater;
    if (!u) {
      if (manual) this.o.tell('Updates are not set up.', this.s.kind === 'off' ? this.s.why : undefined);
      return;
    }
    if (this.s.kind === 'downloaded') {
      if (manual) this.tryInstall(true);
      return;
    }
    if (this.s.kind === 'checking' || this.s.kind === 'downloading') {
      if (manual) this.o.tell('An update check is already running.');
      return;
    }
    this.manual = manual;
    this.s = { kind: 'checking' };
    try {
      await u.checkForUpdates();
    } catch (e) {
      // electron-updater also emits 'error'; this covers a check that threw before it could.
      if (this.s.kind === 'checking') {
        this.s = { kind: 'failed', message: (e as Error).message };
        this.o.log('warn', `update check failed: ${(e as Error).message}`);
        if (this.manual) this.o.tell('The update check failed.', (e as Error).message);
        this.manual = false;
      }
    }
  }

  /** Install when nothing is under way: ask first; if busy, look again in a minute. */
  private tryInstall(fromMenu = false): void {
    if (this.s.kind !== 'downloaded' || this.asking) return;
    const version = this.s.version;
    const d = installDecision(this.o.activity(), (this.o.now ?? Date.now)());
    if (!d.install && !(fromMenu && d.why === 'the console is in use')) {
      if (fromMenu)
        this.o.tell(
          `Version ${version} is ready.`,
          `Not now: ${d.why}. It is installed as soon as no payment is under way, or when the console quits.`,
        );
      if (!this.waitingLogged) this.o.log('info', `update ${version} waits: ${d.why}`);
      this.waitingLogged = true;
      this.o.after(RETRY_INSTALL_MS, () => this.tryInstall());
      return;
    }
    this.asking = true;
    void this.o.ask(version).then((answer) => {
      this.asking = false;
      if (answer === 'later') {
        this.o.log('info', `update ${version} will be installed when the console quits`);
        return;
      }
      // The person may have started a payment while the question was open.
      const again = installDecision(this.o.activity(), (this.o.now ?? Date.now)());
      if (!again.install && again.why !== 'the console is in use') {
        this.o.log('info', `update ${version} waits: ${again.why}`);
        this.o.after(RETRY_INSTALL_MS, () => this.tryInstall());
        return;
      }
      this.o.log('info', `installing update ${version}`);
      this.o.beforeInstall?.();
      this.o.updater!.quitAndInstall(false, true);
    });
  }
}

/**
 * Whether this run checks for updates, and against what: only a packaged app (npm start has nothing to
 * replace), with the target built in (app-update.yml) or set for this station at run time (the environment,
 * which wins). Otherwise off, with the reason the menu gives.
 */
export function updateSource(o: {
  packaged: boolean;
  builtIn: boolean;
  env: Readonly<Record<string, string | undefined>>;
}): { use: false; why: string } | { use: true; feed: PublishTarget | null } {
  if (!o.packaged) return { use: false, why: 'Updates apply to the installed app, not to `npm start`.' };
  let runtime: PublishTarget | null;
  try {
    runtime = publishFromEnv(o.env);
  } catch (e) {
    return { use: false, why: (e as Error).message };
  }
  if (runtime) return { use: true, feed: runtime };
  if (o.builtIn) return { use: true, feed: null };
  return {
    use: false,
    why:
      'This build has no update source. Whoever builds the console for the shop sets MERCHANT_CONSOLE_UPDATE_URL ' +
      '(or MERCHANT_CONSOLE_UPDATE_GITHUB) when building it; see the README, “Updating”.',
  };
}
