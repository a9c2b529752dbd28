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
  // Units of each line not refunded yet: a line refund marks the line and asks about the stock (issue 23).
  const refundedOf = (sku: string) =>
    current.refundedLines?.find((r) => r.sku.toUpperCase() === sku.toUpperCase())?.quantity ?? 0;
  // What n units of a line cost the customer: after its discount, with its tax (the tax refunded goes with it).
  const paidFor = (l: (typeof current.lines)[number], n: number): number => {
    const paid = current.pricing?.lineTotals?.find((x) => x.sku === l.sku)?.total ?? l.lineTotal;
    return n === l.quantity ? paid : Math.round((paid * n) / l.quantity);
  };
  const lineChoices = nothingLeft
    ? []
    : current.lines.flatMap((l) => {
        const left = l.quantity - refundedOf(l.sku);
        const counts = left > 1 ? [1, left] : left === 1 ? [1] : [];
        return counts
          .filter((n) => paidFor(l, n) > 0 && paidFor(l, n) <= current.refundable)
          .map((n) => ({
            label: `${n} × ${l.name} (${formatMoney(paidFor(l, n), current.currency)})`,
            amount: paidFor(l, n),
            line: { sku: l.sku, quantity: n, name: l.name },
          }));
      });
  const choices: { label: string; amount: number; line?: { sku: string; quantity: number; name: string } }[] =
    nothingLeft
      ? []
      : [
          {
            label: `Everything refundable (${formatMoney(current.refundable, current.currency)})`,
            amount: current.refundable,
          },
          ...lineChoices,
        ];
  // The line chosen, while the amount is still its units' price (typing another amount makes it an amount refund).
  const [picked, setPicked] = useState<{ sku: string; quantity: number; name: string } | null>(null);
  const line =
    picked &&
    amt.amount ===
      (() => {
        const l = current.lines.find((x) => x.sku === picked.sku);
        return l ? paidFor(l, picked.quantity) : 0;
      })()
      ? picked
      : null;
  // Back in stock or not: asked, never assumed.
  const [restock, setRestock] = useState<boolean | null>(null);
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
          ...(line && restock !== null ? { line: { sku: line.sku, quantity: line.quantity, restock } } : {}),
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
              aria-pressed={
                c.line
                  ? line?.sku === c.line.sku && line.quantity === c.line.quantity
                  : amt.amount === c.amount && !line
              }
              onClick={() => {
                amt.setText(toInputString(c.amount, current.currency));
                setPicked(c.line ?? null);
                setRestock(null);
              }}
            >
              {c.label}
            </button>
          ))}
        </div>
        {line && (
          <fieldset className="restock-question">
            <legend>
              Put {line.quantity === 1 ? 'the unit' : `the ${line.quantity} units`} of {line.name} back in
              stock?
            </legend>
            <label className="radio">
              <input
                type="radio"
                name="restock"
                checked={restock === true}
                onChange={() => setRestock(true)}
              />
              Yes, back in stock (returned unused)
            </label>
            <label className="radio">
              <input
                type="radio"
                name="restock"
                checked={restock === false}
                onChange={() => setRestock(false)}
              />
              No (kept by the customer, broken or lost)
            </label>
          </fieldset>
        )}
        <Field label="Reason">
          <select className="input" value={reason} onChange={(e) => setReason(e.target.value as Reason)}>
            <option value="requested_by_customer">Requested by the customer</option>
            <option value="duplicate">Duplicate payment</option>
            <option value="fraudulent">Fraudulent</option>
          </select>
        </Field>
        {amt.amount !== null && (
          <p className="confirm-text">
            Refund {formatMoney(amt.amount, current.currency)} to {current.customerName}’s card now
            {line
              ? ` for ${line.quantity} × ${line.name}${restock === true ? ', back in stock' : restock === false ? ', not back in stock' : ''}.`
              : '.'}
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
            disabled={busy || nothingLeft || amt.amount === null || (!!line && restock === null)}
          >
            {busy ? 'Refunding…' : 'Refund'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
