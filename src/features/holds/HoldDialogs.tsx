// Money actions on a hold, each confirmed in a dialog that says exactly what will happen, with the
// manager's PIN. The hold's version as shown is sent along, so a stale view can't act.
import { useState } from 'react';
import type { Hold } from '../../../electron/ipc/contract';
import { Dialog } from '../../components/Dialog';
import { Field, PinInput } from '../../components/Field';
import { ErrorNote } from '../../components/States';
import { formatMoney, linesShareAmount, toInputString } from '../../lib/money';
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

/**
 * The amount the ticked lines come to, with the shipping fee (it goes with the first capture — the same rule as
 * the core's amountForLines, Stock arrived and Saved cards), never more than the hold can give.
 */
export function linesAmount(hold: Hold, picked: Record<string, number>): number {
  // Each line's share of its total after discounts and with its tax (the core's portionOfLines share).
  return linesShareAmount(hold.items, picked, hold.shippingTotal ?? hold.shippingFee, hold.amountCapturable);
}

export function CaptureDialog({ hold, onClose }: { hold: Hold; onClose: () => void }) {
  const capture = useHoldsStore((s) => s.capture);
  // Capture by lines: every line ticked to begin with (the whole order); untick what hasn't arrived.
  const byLines = hold.items.length > 0 && hold.items.every((i) => i.sku);
  const [picked, setPicked] = useState<Record<string, number>>(() =>
    Object.fromEntries(hold.items.map((i) => [i.sku, i.quantity])),
  );
  const all = hold.items.every((i) => picked[i.sku] === i.quantity);
  // The order records discounts or tax: the lines are taken at what they cost after them.
  const priced = hold.shippingTotal !== undefined || hold.items.some((i) => i.lineTotal !== undefined);
  const fromLines = byLines ? linesAmount(hold, picked) : hold.amountCapturable;
  const amt = useAmountInput(fromLines, hold.currency, hold.amountCapturable, 'captured');
  const [edited, setEdited] = useState(false);
  const { pin, setPin, busy, error, run } = usePinAction();

  const pick = (sku: string, quantity: number) => {
    const next = { ...picked, [sku]: quantity };
    setPicked(next);
    // The amount follows the lines until the manager types one of their own.
    if (!edited) amt.setText(toInputString(linesAmount(hold, next), hold.currency));
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const amount = amt.amount;
    if (amount === null) return;
    // An amount the manager typed is captured as an amount (every line stays on the order); otherwise the lines
    // ticked go with it, and the core checks that the amount is theirs.
    const lines =
      byLines && !all && !edited
        ? hold.items.map((i) => ({ sku: i.sku, quantity: picked[i.sku] ?? 0 }))
        : undefined;
    void run(async (pin) => {
      await capture(hold, amount, pin, lines);
      toast(`Captured ${formatMoney(amount, hold.currency)} from ${hold.customerName}’s hold.`, 'success');
      onClose();
    });
  };

  return (
    <Dialog title={`Capture hold for ${hold.customerName}`} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        {byLines && (
          <fieldset className="fieldset">
            <legend>What arrived and goes to the customer</legend>
            {hold.items.map((i) => (
              <div key={i.sku} className="capture-line">
                <label className="check">
                  <input
                    type="checkbox"
                    checked={(picked[i.sku] ?? 0) > 0}
                    onChange={(e) => pick(i.sku, e.target.checked ? i.quantity : 0)}
                  />
                  {i.name}
                </label>
                {i.quantity > 1 && (
                  <input
                    className="input input--short"
                    type="number"
                    min={0}
                    max={i.quantity}
                    aria-label={`How many ${i.name}`}
                    value={picked[i.sku] ?? 0}
                    onChange={(e) => {
                      const n = Math.max(0, Math.min(i.quantity, Math.trunc(Number(e.target.value) || 0)));
                      pick(i.sku, n);
                    }}
                  />
                )}
                <span className="muted small">
                  of {i.quantity} × {formatMoney(i.unitAmount, hold.currency)}
                </span>
              </div>
            ))}
          </fieldset>
        )}
        <Field
          label={`Amount to capture (${hold.currency.toUpperCase()})`}
          hint={`Up to ${formatMoney(hold.amountCapturable, hold.currency)}${byLines && !all ? `; follows the lines ticked${priced ? ' (after their discounts, with their tax)' : ''}${hold.shippingFee ? `, with ${formatMoney(hold.shippingTotal ?? hold.shippingFee, hold.currency)} shipping${priced ? ' and its tax' : ''}` : ''}` : ''}`}
          error={amt.text ? amt.error : null}
        >
          <input
            className="input input--money"
            inputMode="decimal"
            value={amt.text}
            onChange={(e) => {
              setEdited(true);
              amt.setText(e.target.value);
            }}
          />
        </Field>
        {amt.amount !== null && (
          <p className="confirm-text" aria-live="polite">
            {captureSentence(amt.amount, hold.amountCapturable, hold.currency)}
            {byLines && !all && ' The lines not ticked are released: the order lists just the lines that go.'}
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
          <button
            type="submit"
            className="btn btn--primary"
            disabled={busy || amt.amount === null || (byLines && Object.values(picked).every((q) => q === 0))}
          >
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
  // A hold that also saved the card: releasing ends the order unless the customer asked to be charged on arrival.
  const [keepCard, setKeepCard] = useState(false);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void run(async (pin) => {
      await release(hold, pin, keepCard);
      toast(
        keepCard
          ? `Released ${hold.customerName}’s hold; the saved card will be charged when the stock arrives.`
          : `Released ${hold.customerName}’s hold. The order is cancelled.`,
        'success',
      );
      onClose();
    });
  };

  return (
    <Dialog title={`Release hold for ${hold.customerName}`} tone="danger" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <p className="confirm-text">
          Release {formatMoney(hold.amountCapturable, hold.currency)} back to the customer now.{' '}
          {keepCard
            ? 'The hold can’t be captured afterwards; the saved card is charged when the stock arrives, as the customer asked.'
            : 'Nothing will be charged, the order is cancelled at every station, and the hold can’t be captured afterwards.'}
        </p>
        {hold.savesCard && (
          <label className="check">
            <input type="checkbox" checked={keepCard} onChange={(e) => setKeepCard(e.target.checked)} />
            Keep the saved card and charge it when the stock arrives (only if the customer asked for that)
          </label>
        )}
        <Field label="Manager PIN">
          <PinInput value={pin} onChange={setPin} autoFocus />
        </Field>
        {error && <ErrorNote>{error}</ErrorNote>}
        <div className="dialog__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--danger" disabled={busy}>
            {busy ? 'Releasing…' : keepCard ? 'Release, keep the card' : 'Release hold'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
