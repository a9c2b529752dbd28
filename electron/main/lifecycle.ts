// The app's life on the desktop, as plain functions over the few `app`/`process` methods they need (so they
// run in the unit tests without Electron): one instance per data folder, quitting only after the core has
// closed its database, and the link to `npm start` (ready / quit over the IPC channel it opened).

/** The slice of Electron's `app` these functions use. */
export interface AppLike {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'second-instance', listener: (...args: unknown[]) => void): unknown;
  quit(): void;
  exit(code?: number): void;
  requestSingleInstanceLock(): boolean;
}

export const CLOSE_TIMEOUT_MS = 10_000;

/**
 * Quit waits for `close()` (the core: sync stopped, webhook receiver closed, SQLite closed, emulator
 * stopped). The first `before-quit` is held back until then; the quit that follows goes through. A core
 * that doesn't close within the timeout is logged and the app quits anyway — better than a window that
 * won't go away.
 */
export function holdQuitUntilClosed(
  app: AppLike,
  close: () => Promise<void>,
  log: (message: string) => void,
  timeoutMs = CLOSE_TIMEOUT_MS,
  setTimer: (fn: () => void, ms: number) => unknown = setTimeout,
): { readonly closed: boolean } {
  const state = { closed: false };
  let closing = false;
  app.on('before-quit', (event) => {
    if (state.closed) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    let timedOut = false;
    const timeout = new Promise<void>((resolve) =>
      setTimer(() => {
        timedOut = true;
        resolve();
      }, timeoutMs),
    );
    void Promise.race([
      close().catch((e: Error) => log(`closing the core failed: ${e.message}`)),
      timeout,
    ]).then(() => {
      if (timedOut) log(`the core did not close within ${timeoutMs} ms; quitting anyway`);
      state.closed = true;
      app.quit();
    });
  });
  return state;
}

/**
 * Two launches would run two cores on one data folder (two pollers, two writers of the journal). The second
 * launch hands over to the first — which shows its window — and quits.
 */
export function claimSingleInstance(app: AppLike, onSecondLaunch: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => onSecondLaunch());
  return true;
}

/** The slice of `process` for the link to `npm start`. */
export interface ProcessLike {
  send?: (message: unknown) => boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
  readonly connected?: boolean;
}

export const LAUNCHER_QUIT = 'merchant-console:quit';
export const LAUNCHER_READY = 'merchant-console:ready';

/**
 * When `npm start` launched us with an IPC channel: quit gracefully when it asks (on Windows that is how
 * Ctrl+C arrives: there are no signals to pass on), and tell it when the window is up, so it can tell an
 * early crash from a quit. Returns `ready()`; does nothing when there is no launcher (a packaged app).
 */
export function linkToLauncher(proc: ProcessLike, app: Pick<AppLike, 'quit'>): { ready(): void } {
  if (typeof proc.send !== 'function') return { ready: () => undefined };
  proc.on('message', (m) => {
    if (m && typeof m === 'object' && (m as { type?: unknown }).type === LAUNCHER_QUIT) app.quit();
  });
  // The terminal that ran `npm start` went away: don't linger as an orphan.
  proc.on('disconnect', () => app.quit());
  let sent = false;
  return {
    ready() {
      if (sent || !proc.connected) return;
      sent = true;
      proc.send?.({ type: LAUNCHER_READY });
    },
  };
}

/**
 * A second launch (a double click on the icon while the console is open — or still starting, behind its
 * keychain prompt): never a second window. Running with a window: show it. Running in the tray (window
 * closed): open it. Still starting: nothing — the window comes when the start is done.
 */
export function secondLaunchAction(o: {
  started: boolean;
  hasWindow: boolean;
}): 'show-window' | 'open-window' | 'wait' {
  if (o.hasWindow) return 'show-window';
  return o.started ? 'open-window' : 'wait';
}

/** Where the operating system says it is shutting down or the user is logging out. */
export interface ShutdownSources {
  /** powerMonitor 'shutdown' (macOS, Linux); calling preventDefault asks the OS to wait for us. */
  powerMonitor?: { on(event: 'shutdown', listener: (e?: { preventDefault(): void }) => void): unknown };
  /** BrowserWindow 'session-end' (Windows: log off, restart, shut down). */
  onSessionEnd?: (listener: () => void) => void;
}

/**
 * Logging out or shutting down closes the console the way Quit does (holdQuitUntilClosed: sync stopped,
 * database closed), instead of being killed in the middle of a write. Returns whether it has been asked.
 */
export function quitOnSystemShutdown(
  sources: ShutdownSources,
  app: Pick<AppLike, 'quit'>,
  log: (message: string) => void,
): { readonly asked: boolean } {
  const state = { asked: false };
  const go = (why: string) => {
    if (state.asked) return;
    state.asked = true;
    log(`${why}: closing the console`);
    app.quit();
  };
  sources.powerMonitor?.on('shutdown', (e) => {
    e?.preventDefault();
    go('the system is shutting down');
  });
  sources.onSessionEnd?.(() => go('the Windows session is ending'));
  return state;
}
