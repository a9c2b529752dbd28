// "Confirm with your PIN": account and Stripe-key changes are confirmed like money actions, so nobody at an
// unattended manager screen can make them. `ask(what, action)` runs the action with the PIN inside the dialog:
// a wrong PIN (or any failure) keeps the dialog open, says why and clears the PIN for another try. It resolves
// with the PIN once the action succeeded, or null if cancelled.
import { useCallback, useState, type ReactNode } from 'react';
import { errorMessage } from '../lib/ipc';
import { pinError } from '../lib/validation';
import { Dialog } from './Dialog';
import { Field, PinInput } from './Field';
import { ErrorNote } from './States';

interface Request {
  what: string;
  resolve: (pin: string | null) => void;
  action?: ((pin: string) => Promise<void>) | undefined;
}

function PinConfirmDialog({ request, onDone }: { request: Request; onDone: (pin: string | null) => void }) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog title="Confirm with your PIN" onClose={() => onDone(null)} description={request.what}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const bad = pinError(pin, 'Your PIN');
          if (bad) return setError(bad);
          if (!request.action) return onDone(pin);
          setBusy(true);
          setError(null);
          request.action(pin).then(
            () => onDone(pin),
            (err: unknown) => {
              setError(errorMessage(err));
              setPin('');
              setBusy(false);
            },
          );
        }}
      >
        <Field label="Your manager PIN">
          <PinInput value={pin} onChange={setPin} autoFocus name="manager-pin" />
        </Field>
        {error && <ErrorNote>{error}</ErrorNote>}
        <div className="dialog__actions">
          <button type="button" className="btn btn--ghost" onClick={() => onDone(null)}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? 'Confirming…' : 'Confirm'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function usePinConfirm(): {
  ask: (what: string, action?: (pin: string) => Promise<void>) => Promise<string | null>;
  dialog: ReactNode;
} {
  const [request, setRequest] = useState<Request | null>(null);
  const ask = useCallback(
    (what: string, action?: (pin: string) => Promise<void>) =>
      new Promise<string | null>((resolve) => setRequest({ what, resolve, action })),
    [],
  );
  const dialog = request ? (
    <PinConfirmDialog
      request={request}
      onDone={(pin) => {
        request.resolve(pin);
        setRequest(null);
      }}
    />
  ) : null;
  return { ask, dialog };
}
