// What an order carries beyond its payment, shared through its charge in Stripe so that every station shows
// the same: the receipt (sent to whom; send it again), internal notes, the shipping fee, its cancellation —
// and printing its receipt, packing slip or label, and the way to its customer's page.
import { useCallback, useEffect, useState } from 'react';
import type { CancelReason, OrderExtras } from '../../../electron/ipc/contract';
import { Dialog } from '../../components/Dialog';
import { Field, PinInput } from '../../components/Field';
import { Money } from '../../components/Money';
import { ErrorNote } from '../../components/States';
import { call, errorMessage, subscribe } from '../../lib/ipc';
import { formatDateTime } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { usePinAction } from '../../lib/use-pin-action';
import { showCustomer } from '../../stores/customers-store';
import { usePrintStore } from '../../stores/print-store';
import { isManager, useSessionStore } from '../../stores/session-store';
import { toast } from '../../stores/toast-store';
import { Notes } from '../customers/Notes';
import './order-extras.css';

const REASONS: { value: CancelReason; label: string }[] = [
  { value: 'customer_request', label: 'The customer asked to cancel' },
  { value: 'out_of_stock', label: 'We can’t supply it' },
  { value: 'suspected_fraud', label: 'Suspected fraud' },
  { value: 'duplicate', label: 'Duplicate order' },
  { value: 'other', label: 'Other (say why in the note)' },
];
/** Holds → Release writes its own reason (electron/core/payments/holds-service.ts RELEASED_REASON). */
export const reasonLabel = (r: string) =>
  r === 'hold_released' ? 'Hold released from Holds' : (REASONS.find((x) => x.value === r)?.label ?? r);

function ResendDialog({
  extras,
  onClose,
  onDone,
}: {
  extras: OrderExtras;
  onClose: () => void;
  onDone: (x: OrderExtras) => void;
}) {
  const [email, setEmail] = useState(extras.receipt.email ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const valid = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()) && email.trim().length <= 254;
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    setBusy(true);
    setError(null);
    try {
      const x = await call('receipts:resend', { orderId: extras.orderId, email: email.trim() });
      toast(`Stripe is sending the receipt for #${extras.number} to ${email.trim()}.`, 'success');
      onDone(x);
      onClose();
    } catch (err) {
      useSessionStore.getState().noteError(err);
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={`Send the receipt for order #${extras.number}`}
      onClose={onClose}
      description="Stripe emails its receipt to this address (and keeps it as the order’s receipt address)."
    >
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Email" error={email && !valid ? 'Enter an email address like name@example.com.' : null}>
          <input
            className="input"
            type="email"
            value={email}
            data-autofocus=""
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        {error && <ErrorNote>{error}</ErrorNote>}
        <div className="dialog__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy || !valid}>
            {busy ? 'Sending…' : 'Send receipt'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function CancelDialog({
  extras,
  refunded,
  onClose,
  onDone,
}: {
  extras: OrderExtras;
  /** What the manager sees refunded now: a cancel on a stale view is refused. */
  refunded: number;
  onClose: () => void;
  onDone: (x: OrderExtras) => void;
}) {
  const [reason, setReason] = useState<CancelReason>('customer_request');
  const [note, setNote] = useState('');
  const { pin, setPin, busy, error, run } = usePinAction();
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void run(async (pin) => {
      try {
        const x = await call('orders:cancel', {
          orderId: extras.orderId,
          reason,
          note: note.trim(),
          expectedRefunded: refunded,
          pin,
        });
        toast(`Order #${extras.number} cancelled.`, 'success');
        onDone(x);
        onClose();
      } catch (err) {
        useSessionStore.getState().noteError(err);
        throw err;
      }
    });
  };
  return (
    <Dialog title={`Cancel order #${extras.number}`} tone="danger" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <p className="confirm-text">
          {extras.waiting
            ? 'Nothing was charged: the hold is released (or the saved card is not charged), and the order is marked cancelled at every station.'
            : extras.refundable > 0
              ? `Refund ${formatMoney(extras.refundable, extras.currency)} to the customer’s card, put the items back in stock, and mark the order cancelled at every station.`
              : 'Nothing is left to refund. Put the items back in stock and mark the order cancelled at every station.'}
        </p>
        <Field label="Reason">
          <select
            className="input"
            value={reason}
            onChange={(e) => setReason(e.target.value as CancelReason)}
          >
            {REASONS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Note (optional)" error={note.length > 250 ? 'At most 250 characters.' : null}>
          <input className="input" value={note} onChange={(e) => setNote(e.target.value)} />
        </Field>
        <Field label="Manager PIN">
          <PinInput value={pin} onChange={setPin} autoFocus />
        </Field>
        {error && <ErrorNote>{error}</ErrorNote>}
        <div className="dialog__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Keep the order
          </button>
          <button type="submit" className="btn btn--danger" disabled={busy || note.length > 250}>
            {busy ? 'Cancelling…' : 'Cancel order'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * `actions`: the cancellation banner, printing, the customer's page and "Cancel order…" (under the order's own
 * buttons); `details`: the shipping fee, the receipt and the notes (after the items).
 */
export function OrderExtrasPanel({
  orderId,
  refunded,
  part,
  delivery,
  cancelled = false,
}: {
  orderId: string;
  refunded: number;
  part: 'actions' | 'details';
  /** A collected order has no label to print. */
  delivery?: 'ship' | 'collect' | null;
  /** A cancelled order (or one whose payment was): nothing to pack or send, so no slip or label. */
  cancelled?: boolean;
}) {
  const [extras, setExtras] = useState<OrderExtras | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<null | 'resend' | 'cancel'>(null);
  const user = useSessionStore((s) => s.user);
  const reachable = useSessionStore((s) => s.stripeReachable);
  const openPrint = usePrintStore((s) => s.open);

  const load = useCallback(() => {
    call('orders:extras', { orderId }).then(
      (x) => {
        setExtras(x);
        setError(null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [orderId]);
  useEffect(() => {
    load();
    return subscribe('orders:changed', ({ orderIds }) => {
      if (orderIds.includes(orderId)) load();
    });
  }, [orderId, load]);

  if (error) return <ErrorNote onRetry={load}>{error}</ErrorNote>;
  if (!extras) return null;
  const print = (kind: 'receipt' | 'packing_slip' | 'label') =>
    void openPrint(kind, [orderId]).catch((e: unknown) => toast(errorMessage(e), 'error'));
  const c = extras.cancellation;
  if (part === 'actions')
    return (
      <div className="order-extras">
        {c && (
          <div className="note note--error order-extras__cancelled" role="status">
            <span>
              <strong>Cancelled:</strong> {reasonLabel(c.reason)}
              {c.note ? ` — “${c.note}”` : ''}. By {c.by}, {formatDateTime(c.at)}.
            </span>
          </div>
        )}
        <div className="btn-row order-extras__actions" role="group" aria-label="Print">
          <button type="button" className="btn btn--small" onClick={() => print('receipt')}>
            Print receipt
          </button>
          {!cancelled && (
            <button type="button" className="btn btn--small" onClick={() => print('packing_slip')}>
              Packing slip
            </button>
          )}
          {delivery !== 'collect' && !cancelled && (
            <button type="button" className="btn btn--small" onClick={() => print('label')}>
              Label
            </button>
          )}
          {extras.customerId && (
            <button
              type="button"
              className="btn btn--ghost btn--small"
              onClick={() => showCustomer(extras.customerId!)}
            >
              Customer page
            </button>
          )}
          {isManager(user) && !extras.cancelBlocked && (
            <button
              type="button"
              className="btn btn--ghost btn--small order-extras__cancel"
              disabled={!reachable}
              onClick={() => setDialog('cancel')}
            >
              Cancel order…
            </button>
          )}
        </div>
        {dialog === 'cancel' && (
          <CancelDialog
            extras={extras}
            refunded={refunded}
            onClose={() => setDialog(null)}
            onDone={setExtras}
          />
        )}
      </div>
    );
  return (
    <div className="order-extras">
      {extras.shippingFee > 0 && (
        <p className="small order-extras__fee">
          Shipping fee <Money amount={extras.shippingFee} currency={extras.currency} /> (in the amount paid)
        </p>
      )}
      <section aria-labelledby={`receipt-${orderId}`}>
        <h3 id={`receipt-${orderId}`}>Receipt</h3>
        <p className="small">
          {extras.receipt.email ? (
            <>
              Stripe emails the receipt to <strong>{extras.receipt.email}</strong>
              {extras.receipt.card ? ` · paid with ${extras.receipt.card}` : ''}.
            </>
          ) : (
            'No email on this order: no receipt was emailed.'
          )}
          {extras.receipt.resent && (
            <>
              {' '}
              Sent again to {extras.receipt.resent.to} by {extras.receipt.resent.by},{' '}
              {formatDateTime(extras.receipt.resent.at)}
              {extras.receipt.resent.n > 1 ? ` (${extras.receipt.resent.n} times)` : ''}.
            </>
          )}
        </p>
        {extras.receipt.url && (
          <p className="small muted order-extras__url">
            Stripe’s copy of the receipt: <span className="mono">{extras.receipt.url}</span>
          </p>
        )}
        <button
          type="button"
          className="btn btn--small"
          disabled={!reachable}
          onClick={() => setDialog('resend')}
        >
          {extras.receipt.email ? 'Resend receipt…' : 'Email a receipt…'}
        </button>
      </section>

      <section aria-labelledby={`notes-${orderId}`}>
        <h3 id={`notes-${orderId}`}>Notes</h3>
        <Notes
          notes={extras.notes}
          label={`order #${extras.number}`}
          onAdd={async (text) => setExtras(await call('orders:addNote', { orderId, text }))}
          onRemove={async (noteId) => setExtras(await call('orders:removeNote', { orderId, noteId }))}
        />
      </section>

      {dialog === 'resend' && (
        <ResendDialog extras={extras} onClose={() => setDialog(null)} onDone={setExtras} />
      )}
    </div>
  );
}
