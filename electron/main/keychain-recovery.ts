// Before the core starts: if the stored Stripe key can't be read (a denied keychain prompt, a locked
// keyring), say so and let the person choose — never start the offline demo behind their back.
//   Ask the keychain again → read again (macOS shows its prompt again; a keyring may have been unlocked).
//   Enter the key again    → the unreadable file is kept aside (not deleted), the console starts without a
//                             key — in the offline demo, which it then says in words — and Settings takes
//                             the key again.
//   Quit                   → nothing changes.
import type { SecretsHealth } from './adapters/safe-secret-store';

export type KeychainChoice = 'retry' | 'reenter' | 'quit';

export interface KeychainProblem {
  reason: string;
  attempt: number;
}

export type UnlockOutcome =
  | { proceed: true; reentered: false }
  | { proceed: true; reentered: true; keptAs: string }
  | { proceed: false };

export async function unlockSecrets(
  store: { check(): SecretsHealth; setAside(): string },
  ask: (problem: KeychainProblem) => Promise<KeychainChoice>,
): Promise<UnlockOutcome> {
  for (let attempt = 1; ; attempt++) {
    const health = store.check();
    if (health.state !== 'unreadable') return { proceed: true, reentered: false };
    const choice = await ask({ reason: health.reason, attempt });
    if (choice === 'quit') return { proceed: false };
    if (choice === 'reenter') return { proceed: true, reentered: true, keptAs: store.setAside() };
  }
}

/** The dialog's words (main shows them with dialog.showMessageBox). */
export function keychainDialog(p: KeychainProblem) {
  return {
    type: 'warning' as const,
    title: 'Merchant Console',
    message: 'The Stripe key stored on this computer could not be read.',
    detail:
      `${p.reason}.\n\n` +
      (p.attempt > 1 ? 'It still could not be read. ' : '') +
      'Ask the keychain again (and allow access when the system asks), or enter the key again — the ' +
      'unreadable copy is kept, not deleted. Until a key is entered, the console runs as the offline demo.',
    buttons: ['Ask the keychain again', 'Enter the key again', 'Quit'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
  };
}

export const CHOICES: readonly KeychainChoice[] = ['retry', 'reenter', 'quit'];

/** Said once the console has started without the key the person chose to enter again. */
export function reenterNotice(keptAs: string) {
  return {
    type: 'info' as const,
    title: 'Merchant Console',
    message: 'Enter the Stripe key again in Settings.',
    detail:
      'The console is running as the offline demo (no real money) until a manager enters the Stripe secret key ' +
      `in Settings. The unreadable copy was kept as ${keptAs}.`,
    buttons: ['OK'],
  };
}
