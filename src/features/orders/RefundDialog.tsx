// Refund (manager): an amount up to what is refundable, a reason, and the manager's PIN.
import { useState } from 'react';
import type { OrderDetail } from '../../../electron/ipc/contract';
import { Dialog } from '../../components/Dialog';
import { Field, PinInput } from '../../components/Field';
import { ErrorNote } from '../../components/States';
import { call } from '../../lib/ipc';
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
  // Nothing is assumed: the manager says how much, or picks one of the quick choices.
  const amt = useAmountInput(null, order.currency, order.refundable, 'refunded');
  const choices = [
    {
      label: `Everything refundable (${formatMoney(order.refundable, order.currency)})`,
      amount: order.refundable,
    },
    ...order.lines
      .filter((l) => l.lineTotal > 0 && l.lineTotal < order.refundable)
      .map((l) => ({
        label: `${l.quantity} × ${l.name} (${formatMoney(l.lineTotal, order.currency)})`,
        amount: l.lineTotal,
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
          orderId: order.id,
          amount,
          expectedRefunded: order.ledger.refunded,
          pin,
          reason,
        });
        onDone(updated);
        onClose();
      } catch (err) {
        useSessionStore.getState().noteError(err); // Stripe unreachable: the banner says so
        throw err;
      }
    });
  };

  return (
    <Dialog
      title={`Refund order #${order.number}`}
      tone="danger"
      onClose={onClose}
      description={`Refundable: ${formatMoney(order.refundable, order.currency)} of ${formatMoney(order.ledger.captured, order.currency)} captured.`}
    >
      <form className="form" onSubmit={submit}>
        <Field label={`Amount (${order.currency.toUpperCase()})`} error={amt.text ? amt.error : null}>
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
              onClick={() => amt.setText(toInputString(c.amount, order.currency))}
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
            Refund {formatMoney(amt.amount, order.currency)} to {order.customerName}’s card now.
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
          <button type="submit" className="btn btn--danger" disabled={busy || amt.amount === null}>
            {busy ? 'Refunding…' : 'Refund'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
