// Sign in with your passcode (the shop's staff come from Stripe, passcodes are unique within the shop), or with
// your name and PIN. Wrong PINs and a locked account say so in plain words.
import { useState } from 'react';
import { Field, PinInput } from '../../components/Field';
import { ErrorNote } from '../../components/States';
import { errorMessage, IpcCallError } from '../../lib/ipc';
import { useSessionStore } from '../../stores/session-store';

export function SignInScreen() {
  const login = useSessionStore((s) => s.login);
  const station = useSessionStore((s) => s.info?.station);
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!pin) return setError('Enter your passcode (PIN).');
    setBusy(true);
    setError(null);
    try {
      await login(name.trim(), pin);
    } catch (err) {
      setPin('');
      if (err instanceof IpcCallError && err.code === 'locked') setError(`Locked: ${err.message}`);
      else if (err instanceof IpcCallError && err.code === 'bad_pin')
        setError(err.message || 'That name and PIN don’t match.');
      else if (err instanceof IpcCallError && err.code === 'invalid_input')
        setError('The PIN is 4 to 8 digits.');
      else setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <main className="auth">
      <form className="auth__card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in</h1>
        {station && <p className="muted">Station {station}</p>}
        <Field label="PIN" hint="Your passcode alone signs you in.">
          <PinInput value={pin} onChange={setPin} autoFocus />
        </Field>
        <Field label="Name (optional)" hint="Only if your PIN is locked at this station.">
          <input
            className="input"
            autoComplete="username"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
        {error && <ErrorNote>{error}</ErrorNote>}
        <button className="btn btn--primary btn--block" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
