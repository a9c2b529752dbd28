// Refund (manager): an amount up to what is refundable, a reason, and the manager's PIN.
// The amount is typed against what was refunded when it was typed. If that changes — another station refunded
// meanwhile (the order updates from Stripe's event), or main answers that this refund was already made — the
// dialog shows what is left to refund now, empties the amount and asks again: a refund is never sent twice
// because a field kept its old value.
import { useState } from 'react';
import type { OrderDetail } from '../../../electron/ipc/contract';
import { Dialog } from '../../components/Dialog';
import { Field, PinInput } from '../../components/Field';
import { ErrorNote } from '../../components/States';
import { call, errorMessage, IpcCallError } from '../../lib/ipc';
import { formatMoney, toInputString } from '../../lib/money';
import { useAmountInput } from '../../lib/use-amount-input';
import { usePinAction } from '../../lib/use-pin-action';
import { useSessionStore } from '../../stores/session-store';

type Reason = 'requested_by_customer' | 'duplicate' | 'fraudulent';

export function RefundDialog({
  order,
  onClose,
  onDone,
}: {
  order: OrderDetail;
  onClose: () => void;
  onDone: (o: OrderDetail) => void;
}) {
  // The order as last known here: the prop (refreshed by events) or what main answered after a conflict.
  const [current, setCurrent] = useState(order);
  // The refunded total the amount is typed against (sent as expectedRefunded).
  const [basis, setBasis] = useState(order.ledger.refunded);
  // Why the amount was emptied (the order's refunds changed since it was typed).
  const [changed, setChanged] = useState<string | null>(null);
  // Nothing is assumed: the manager says how much, or picks one of the quick choices.
  const amt = useAmountInput(null, current.currency, current.refundable, 'refunded');
  const moved = (fresh: OrderDetail, why: string) => {
    setCurrent(fresh);
    setBasis(fresh.ledger.refunded);
    amt.setText('');
    setChanged(
      `${why} Left to refund now: ${formatMoney(fresh.refundable, fresh.currency)} of ${formatMoney(fresh.ledger.captured, fresh.currency)}.` +
        (fresh.refundable > 0 ? ' Enter the amount again if more is owed.' : ''),
    );
  };
  // Another station's refund arrived (the prop is the order as the events say): ask again.
  if (order !== current && order.ledger.refunded > current.ledger.refunded) {
    moved(order, 'This order was refunded meanwhile.');
  }
  const nothingLeft = current.refundable <= 0;
  const choices = nothingLeft
    ? []
    : [
        {
          label: `Everything refundable (${formatMoney(current.refundable, current.currency)})`,
          amount: current.refundable,
        },
        // A line as the customer paid for it: after its discount, with its tax (the tax refunded goes with it).
        ...current.lines
          .map((l) => ({
            l,
            paid: current.pricing?.lineTotals?.find((x) => x.sku === l.sku)?.total ?? l.lineTotal,
          }))
          .filter(({ paid }) => paid > 0 && paid < current.refundable)
          .map(({ l, paid }) => ({
            label: `${l.quantity} × ${l.name} (${formatMoney(paid, current.currency)})`,
            amount: paid,
          })),
      ];
  const [reason, setReason] = useState<Reason>('requested_by_customer');
  const { pin, setPin, busy, error, run } = usePinAction();

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const amount = amt.amount;
    if (amount === null) return;
    void run(async (pin) => {
      try {
        const updated = await call('orders:refund', {
          orderId: current.id,
          amount,
          expectedRefunded: basis,
          pin,
          reason,
        });
        onDone(updated);
        onClose();
      } catch (err) {
        useSessionStore.getState().noteError(err); // Stripe unreachable: the banner says so
        if (err instanceof IpcCallError && err.code === 'conflict') {
          // Made already (here or at another station), or refunded meanwhile: read the order again, show
          // what is left, and start the amount empty. Nothing is sent until the manager enters it again.
          const fresh = await call('orders:get', { orderId: current.id }).catch(() => null);
          setPin('');
          if (fresh) {
            moved(fresh, errorMessage(err));
            return;
          }
          amt.setText('');
        }
        throw err;
      }
    });
  };

  return (
    <Dialog
      title={`Refund order #${current.number}`}
      tone="danger"
      onClose={onClose}
      description={`Refundable: ${formatMoney(current.refundable, current.currency)} of ${formatMoney(current.ledger.captured, current.currency)} captured.`}
    >
      <form className="form" onSubmit={submit}>
        {changed && (
          <div className="note note--warning" role="alert">
            {changed}
          </div>
        )}
        <Field label={`Amount (${current.currency.toUpperCase()})`} error={amt.text ? amt.error : null}>
          <input
            className="input input--money"
            inputMode="decimal"
            value={amt.text}
            onChange={(e) => amt.setText(e.target.value)}
          />
        </Field>
        <div className="quick-choices" role="group" aria-label="Quick choices">
          {choices.map((c) => (
            <button
              key={c.label}
              type="button"
              className="btn btn--small"
              aria-pressed={amt.amount === c.amount}
              onClick={() => amt.setText(toInputString(c.amount, current.currency))}
            >
              {c.label}
            </button>
          ))}
        </div>
        <Field label="Reason">
          <select className="input" value={reason} onChange={(e) => setReason(e.target.value as Reason)}>
            <option value="requested_by_customer">Requested by the customer</option>
            <option value="duplicate">Duplicate payment</option>
            <option value="fraudulent">Fraudulent</option>
          </select>
        </Field>
        {amt.amount !== null && (
          <p className="confirm-text">
            Refund {formatMoney(amt.amount, current.currency)} to {current.customerName}’s card now.
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
            className="btn btn--danger"
            disabled={busy || nothingLeft || amt.amount === null}
          >
            {busy ? 'Refunding…' : 'Refund'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
