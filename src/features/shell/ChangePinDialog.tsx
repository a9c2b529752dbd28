// Anyone signed in changes their own PIN: the current one, then the new one twice. A wrong current PIN keeps the
// dialog open and says so (wrong ones count towards the lockout, like signing in).
import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { Field, PinInput } from '../../components/Field';
import { ErrorNote } from '../../components/States';
import { call, errorMessage } from '../../lib/ipc';
import { pinError } from '../../lib/validation';
import { toast } from '../../stores/toast-store';

export function ChangePinDialog({ onClose }: { onClose: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const currentError = tried ? pinError(current, 'Your current PIN') : null;
  const nextError = tried || next.length >= 4 ? pinError(next, 'The new PIN') : null;
  const againError =
    (tried || (again.length > 0 && again.length >= next.length)) && again !== next
      ? 'The two new PINs are not the same.'
      : null;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (pinError(current) || pinError(next) || again !== next) return;
    setBusy(true);
    setError(null);
    try {
      await call('auth:changePin', { currentPin: current, newPin: next });
      toast('Your PIN was changed. Use the new one from now on.', 'success');
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setCurrent('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Change my PIN" onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Current PIN" error={currentError}>
          <PinInput value={current} onChange={setCurrent} autoFocus name="current-pin" />
        </Field>
        <Field label="New PIN" hint="4 to 8 digits" error={nextError}>
          <PinInput value={next} onChange={setNext} name="new-own-pin" />
        </Field>
        <Field label="New PIN again" error={againError}>
          <PinInput value={again} onChange={setAgain} name="new-own-pin-again" />
        </Field>
        {error && <ErrorNote>{error}</ErrorNote>}
        <div className="dialog__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? 'Changing…' : 'Change PIN'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
