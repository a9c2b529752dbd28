// What happens when something crashes, decided here and carried out by main's wiring:
// - the window's renderer goes away: reload it (the order being taken is in the database and the page
//   resumes it: src/features/new-order/useKeepCart.ts) and say what happened — unless it keeps crashing, then stop and say so;
// - another child process (the GPU, a utility process) goes away: log it; Chromium restarts what it needs;
// - an exception nobody caught in main: log it with its stack, then one clear dialog;
// - crash dumps: always written to the data folder's Crashpad folder; uploaded only to a URL the shop set.

export interface RenderGone {
  reason: string;
  exitCode: number;
}

/** Crashes within this window count towards giving up. */
export const CRASH_WINDOW_MS = 5 * 60_000;
export const MAX_RELOADS = 3;

export type RenderGoneDecision =
  | { action: 'ignore' }
  | { action: 'reload'; notice: { title: string; body: string }; log: string }
  | { action: 'give-up'; dialog: { title: string; message: string; detail: string }; log: string };

const REASONS: Record<string, string> = {
  crashed: 'crashed',
  oom: 'ran out of memory',
  killed: 'was stopped by the system',
  'abnormal-exit': 'stopped unexpectedly',
  'launch-failed': 'could not start',
  'integrity-failure': 'failed its integrity check',
  'memory-eviction': 'was closed to free memory',
};

/**
 * `recent` holds the times of earlier crashes (this call adds none: the caller keeps the list and pushes
 * `now` after deciding). A clean exit is the window closing, not a crash.
 */
export function renderGoneDecision(
  gone: RenderGone,
  recent: readonly number[],
  now: number,
): RenderGoneDecision {
  if (gone.reason === 'clean-exit') return { action: 'ignore' };
  const what = REASONS[gone.reason] ?? `stopped (${gone.reason})`;
  const log = `renderer gone: ${gone.reason}, exit code ${gone.exitCode}`;
  const inWindow = recent.filter((t) => now - t < CRASH_WINDOW_MS).length;
  if (inWindow >= MAX_RELOADS || gone.reason === 'integrity-failure') {
    return {
      action: 'give-up',
      log: `${log}; ${inWindow + 1} in ${CRASH_WINDOW_MS / 60_000} minutes, not reloading again`,
      dialog: {
        title: 'Merchant Console',
        message: `The console’s window ${what} again.`,
        detail:
          'It was reloaded, but keeps stopping. Nothing that was saved is lost: orders, payments and the order ' +
          'being taken are in the console’s database. Quit and open the console again; if it keeps happening, ' +
          'use Help → Save diagnostics… and send the file to whoever looks after the console.',
      },
    };
  }
  return {
    action: 'reload',
    log: `${log}; reloading the window`,
    notice: {
      title: 'The console’s window was reloaded',
      body:
        `It ${what}. Nothing was lost: the order you were taking is back, with what you had typed (it is ` +
        'also under “Unfinished orders” on New order). A payment that was under way is shown as Stripe has it.',
    },
  };
}

export interface ChildGone {
  type: string;
  reason: string;
  exitCode: number;
  name?: string;
  serviceName?: string;
}

/** Another process of the app stopped: always logged; a warning unless it exited cleanly. */
export function childGoneDecision(gone: ChildGone): { level: 'info' | 'warn'; log: string } {
  const who = [gone.type, gone.name ?? gone.serviceName].filter(Boolean).join(' ');
  const log = `child process gone: ${who}, ${gone.reason}, exit code ${gone.exitCode}`;
  return { level: gone.reason === 'clean-exit' ? 'info' : 'warn', log };
}

/** The dialog after an exception nobody caught in main. The details are in the log, not in the dialog. */
export function uncaughtDialog(
  error: unknown,
  logPath: string,
): { title: string; message: string; detail: string } {
  const name = error instanceof Error ? error.name : 'Error';
  return {
    title: 'Merchant Console',
    message: 'Something went wrong inside the console.',
    detail:
      `${name}: it has been written to the log (${logPath}). Payments already taken are safe: Stripe has them, ` +
      'and the console reads them back. If the console misbehaves, quit and open it again; if it keeps ' +
      'happening, use Help → Save diagnostics… and send the file.',
  };
}

export interface CrashReporterOptions {
  productName: string;
  companyName: string;
  submitURL: string;
  uploadToServer: boolean;
  compress: boolean;
}

/**
 * Dumps are always kept locally (app.getPath('crashDumps')). They go to a server only when the shop
 * configured one (MERCHANT_CONSOLE_CRASH_URL, https only): a crash dump holds memory, which may hold
 * a customer's details, so nothing leaves the machine unless someone chose where it goes.
 */
export function crashReporterOptions(
  env: Readonly<Record<string, string | undefined>>,
  productName: string,
): CrashReporterOptions {
  const url = env.MERCHANT_CONSOLE_CRASH_URL?.trim() ?? '';
  const upload = /^https:\/\/[^/\s]+/.test(url);
  return {
    productName,
    companyName: productName,
    submitURL: upload ? url : '',
    uploadToServer: upload,
    compress: true,
  };
}
