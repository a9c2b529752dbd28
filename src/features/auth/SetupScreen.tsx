// First run: nobody has an account yet, so the first person creates the manager account.
import { useState } from 'react';
import { Field, PinInput } from '../../components/Field';
import { ErrorNote } from '../../components/States';
import { errorMessage, IpcCallError } from '../../lib/ipc';
import { useSessionStore } from '../../stores/session-store';

export function SetupScreen() {
  const setup = useSessionStore((s) => s.setup);
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError('Enter the manager’s name.');
    if (!/^\d{4,8}$/.test(pin)) return setError('The PIN is 4 to 8 digits.');
    if (pin !== confirm) return setError('The two PINs are different.');
    setBusy(true);
    setError(null);
    try {
      await setup(name.trim(), pin);
    } catch (err) {
      // The shop's manager reached this station meanwhile (its staff come from Stripe): sign in instead.
      if (err instanceof IpcCallError && err.code === 'conflict') {
        await useSessionStore.getState().load();
        return;
      }
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <main className="auth">
      <form className="auth__card" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">Create the manager account</h1>
        <p className="muted">
          This is the first time the console runs on this computer. The manager approves money actions
          (captures, releases, refunds) with their PIN and adds staff accounts in Settings.
        </p>
        <Field label="Manager’s name">
          <input
            className="input"
            autoFocus
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
        <Field label="PIN" hint="4 to 8 digits">
          <PinInput value={pin} onChange={setPin} />
        </Field>
        <Field label="PIN again">
          <PinInput value={confirm} onChange={setConfirm} name="pin-confirm" />
        </Field>
        {error && <ErrorNote>{error}</ErrorNote>}
        <button className="btn btn--primary btn--block" type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create the manager account'}
        </button>
      </form>
    </main>
  );
}
