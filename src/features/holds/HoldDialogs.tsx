// Money actions on a hold, each confirmed in a dialog that says exactly what will happen, with the
// manager's PIN. The hold's version as shown is sent along, so a stale view can't act.
import type { Hold } from '../../../electron/ipc/contract';
import { Dialog } from '../../components/Dialog';
import { Field, PinInput } from '../../components/Field';
import { ErrorNote } from '../../components/States';
import { formatMoney } from '../../lib/money';
import { useAmountInput } from '../../lib/use-amount-input';
import { usePinAction } from '../../lib/use-pin-action';
import { useHoldsStore } from '../../stores/holds-store';
import { toast } from '../../stores/toast-store';

/** "Capture $X now; the remaining $Y will be released to the customer." */
export function captureSentence(amount: number, capturable: number, currency: string): string {
  const rest = capturable - amount;
  if (rest <= 0) return `Capture ${formatMoney(amount, currency)} now — the full amount of the hold.`;
  return `Capture ${formatMoney(amount, currency)} now; the remaining ${formatMoney(rest, currency)} will be released to the customer.`;
}

export function CaptureDialog({ hold, onClose }: { hold: Hold; onClose: () => void }) {
  const capture = useHoldsStore((s) => s.capture);
  const amt = useAmountInput(hold.amountCapturable, hold.currency, hold.amountCapturable, 'captured');
  const { pin, setPin, busy, error, run } = usePinAction();

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const amount = amt.amount;
    if (amount === null) return;
    void run(async (pin) => {
      await capture(hold, amount, pin);
      toast(`Captured ${formatMoney(amount, hold.currency)} from ${hold.customerName}’s hold.`, 'success');
      onClose();
    });
  };

  return (
    <Dialog title={`Capture hold for ${hold.customerName}`} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <Field
          label={`Amount to capture (${hold.currency.toUpperCase()})`}
          hint={`Up to ${formatMoney(hold.amountCapturable, hold.currency)}`}
          error={amt.text ? amt.error : null}
        >
          <input
            className="input input--money"
            inputMode="decimal"
            value={amt.text}
            onChange={(e) => amt.setText(e.target.value)}
          />
        </Field>
        {amt.amount !== null && (
          <p className="confirm-text" aria-live="polite">
            {captureSentence(amt.amount, hold.amountCapturable, hold.currency)}
          </p>
        )}
        <Field label="Manager PIN">
          <PinInput value={pin} onChange={setPin} autoFocus />
        </Field>
        {error && <ErrorNote>{error}</ErrorNote>}
        <div className="dialog__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy || amt.amount === null}>
            {busy
              ? 'Capturing…'
              : amt.amount !== null
                ? `Capture ${formatMoney(amt.amount, hold.currency)}`
                : 'Capture'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function ReleaseDialog({ hold, onClose }: { hold: Hold; onClose: () => void }) {
  const release = useHoldsStore((s) => s.release);
  const { pin, setPin, busy, error, run } = usePinAction();

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void run(async (pin) => {
      await release(hold, pin);
      toast(`Released ${hold.customerName}’s hold.`, 'success');
      onClose();
    });
  };

  return (
    <Dialog title={`Release hold for ${hold.customerName}`} tone="danger" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <p className="confirm-text">
          Release {formatMoney(hold.amountCapturable, hold.currency)} back to the customer now. Nothing will
          be charged and the hold can’t be captured afterwards.
        </p>
        <Field label="Manager PIN">
          <PinInput value={pin} onChange={setPin} autoFocus />
        </Field>
        {error && <ErrorNote>{error}</ErrorNote>}
        <div className="dialog__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--danger" disabled={busy}>
            {busy ? 'Releasing…' : 'Release hold'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
