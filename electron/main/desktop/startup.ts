// The order the desktop app starts in, as one plain function over its steps (main supplies them), so the
// order is tested rather than implied by the layout of index.ts:
//   1. the data folder (userData) is fixed — the single-instance lock and the crash dumps live under it;
//   2. the single-instance lock, before anything can open a window or a keychain prompt: a second launch
//      hands over to the first and stops here;
//   3. crash reports (written locally) and the log file, so whatever follows is on record;
//   4. when Electron is ready: the session's security, the menu, then the keychain (which may ask), the core;
//   5. IPC, then the window — the window never exists without a core to answer it;
//   6. updates last: nothing about them may hold up the start.

export interface StartupSteps {
  setDataFolder(): void;
  claimLock(): boolean;
  startCrashReporter(): void;
  openLog(): void;
  whenReady(): Promise<void>;
  hardenSession(): void;
  installMenu(): void;
  /** false: the person chose to quit at the keychain prompt. */
  unlockSecrets(): Promise<boolean>;
  /** false: the core could not start (main has said why). */
  startCore(): Promise<boolean>;
  registerIpc(): void;
  openWindow(): void;
  startUpdates(): void;
  exit(code: number): void;
}

export type StartupOutcome = 'started' | 'second-instance' | 'quit-at-keychain' | 'core-failed';

export async function runStartup(s: StartupSteps): Promise<StartupOutcome> {
  s.setDataFolder();
  if (!s.claimLock()) return 'second-instance';
  s.startCrashReporter();
  s.openLog();
  await s.whenReady();
  s.hardenSession();
  s.installMenu();
  if (!(await s.unlockSecrets())) {
    s.exit(0);
    return 'quit-at-keychain';
  }
  if (!(await s.startCore())) {
    s.exit(1);
    return 'core-failed';
  }
  s.registerIpc();
  s.openWindow();
  s.startUpdates();
  return 'started';
}
