// A money action confirmed with the manager's PIN: the PIN as typed, the busy flag, the error to show, and
// `run`, which checks the PIN's form, runs the action, and on failure shows why and clears the PIN.
import { useState } from 'react';
import { errorMessage } from './ipc';

export function usePinAction() {
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: (pin: string) => Promise<void>): Promise<void> => {
    if (!/^\d{4,8}$/.test(pin)) return setError('Enter the manager’s PIN (4 to 8 digits).');
    setBusy(true);
    setError(null);
    try {
      await action(pin);
    } catch (err) {
      setError(errorMessage(err));
      setPin('');
    } finally {
      setBusy(false);
    }
  };
  return { pin, setPin, busy, error, run };
}
