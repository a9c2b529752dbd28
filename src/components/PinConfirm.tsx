// "Confirm with your PIN": account and Stripe-key changes are confirmed like money actions, so nobody at an
// unattended manager screen can make them. `ask(what)` resolves with the PIN, or null if cancelled.
import { useCallback, useState, type ReactNode } from 'react';
import { Dialog } from './Dialog';
import { Field, PinInput } from './Field';
import { ErrorNote } from './States';

interface Request {
  what: string;
  resolve: (pin: string | null) => void;
}

function PinConfirmDialog({ request, onDone }: { request: Request; onDone: (pin: string | null) => void }) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title="Confirm with your PIN" onClose={() => onDone(null)} description={request.what}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!/^\d{4,8}$/.test(pin)) return setError('Enter your PIN (4 to 8 digits).');
          onDone(pin);
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
          <button type="submit" className="btn btn--primary">
            Confirm
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function usePinConfirm(): { ask: (what: string) => Promise<string | null>; dialog: ReactNode } {
  const [request, setRequest] = useState<Request | null>(null);
  const ask = useCallback(
    (what: string) => new Promise<string | null>((resolve) => setRequest({ what, resolve })),
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
