// Payments in progress at every station (issue 23 item 5): a PaymentIntent made for an order and not yet paid, held
// or cancelled — a customer still to confirm 3D Secure, a declined card waiting for another. Listed in New order
// (with this station's own carts, which resume) and in Orders, at every station: the secure link to send again,
// and Cancel, which reads Stripe first (paid meanwhile: it is an order, and cancelling is refused).
import { useCallback, useEffect, useState } from 'react';
import type { PaymentInProgress } from '../../../electron/ipc/contract';
import { Money } from '../../components/Money';
import { call, errorMessage, subscribe } from '../../lib/ipc';
import { formatDateTime } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { useSessionStore } from '../../stores/session-store';
import { toast } from '../../stores/toast-store';
import { linkMessage } from '../new-order/ThreeDSecurePanel';

const STATE_WORDS: Record<PaymentInProgress['state'], string> = {
  authenticating: 'Waiting for 3D Secure',
  declined: 'Card declined — waiting for another card',
  awaiting_card: 'Waiting for a card',
  processing: 'Processing',
};

/** The payments in progress, kept up to date as the station's projection changes. */
export function usePaymentsInProgress(): {
  payments: PaymentInProgress[] | null;
  /** Take the list a cancel answered with. */
  setPayments: (list: PaymentInProgress[]) => void;
} {
  const [payments, setPayments] = useState<PaymentInProgress[] | null>(null);
  const reload = useCallback(() => {
    call('payments:inProgress', {})
      .then(setPayments)
      .catch(() => setPayments((p) => p ?? []));
  }, []);
  useEffect(() => {
    reload();
    // A PaymentIntent's events name its cart (carts:changed), wherever it was taken; an order made from one
    // leaves the list (orders:changed). A catch-up brings many at once: read the list once they settle.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(reload, 300);
    };
    const offs = [subscribe('carts:changed', soon), subscribe('orders:changed', soon)];
    return () => {
      clearTimeout(timer);
      offs.forEach((off) => off());
    };
  }, [reload]);
  return { payments, setPayments };
}

export function PaymentInProgressItem({
  p,
  onChanged,
  children,
}: {
  p: PaymentInProgress;
  onChanged: (list: PaymentInProgress[]) => void;
  /** Actions of this station's own cart (Resume). */
  children?: React.ReactNode;
}) {
  const info = useSessionStore((s) => s.info);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const who = p.customerName;
  const copy = async () => {
    if (!p.secureLink) return;
    const text = linkMessage(info?.linkMessage ?? '{link}', {
      link: p.secureLink,
      amount: formatMoney(p.amount, p.currency),
      order: p.orderNumber ? `#${p.orderNumber}` : 'your order',
      shop: 'the shop',
    });
    const copied = await call('clipboard:write', { text })
      .then((r) => r.copied)
      .catch(() => false);
    toast(
      copied ? `Copied: the link for ${who} is on the clipboard.` : 'Select the link and copy it.',
      copied ? 'success' : 'info',
    );
  };
  const cancel = async () => {
    setBusy(true);
    try {
      onChanged(await call('payments:cancelInProgress', { paymentIntentId: p.paymentIntentId }));
      toast(`The payment for ${who} is cancelled. Nothing was charged.`, 'success');
    } catch (e) {
      toast(errorMessage(e), 'error');
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="open-cart in-progress" aria-label={`Payment in progress for ${who}`}>
      <span className="in-progress__what">
        <strong>{who}</strong>{' '}
        <span className={`badge ${p.state === 'declined' ? 'badge--bad' : 'badge--waitlist'}`}>
          {STATE_WORDS[p.state]}
        </span>{' '}
        <span className="muted small">
          {p.orderNumber ? `#${p.orderNumber} · ` : ''}
          {p.itemCount} item{p.itemCount === 1 ? '' : 's'} · {formatDateTime(p.createdAt)} · {p.stationName}
          {p.takenBy ? `, ${p.takenBy}` : ''}
        </span>
        {p.secureLink && (
          <span className="in-progress__link">
            <input
              className="input input--small mono"
              readOnly
              aria-label={`Secure link for ${who}`}
              value={p.secureLink}
              onFocus={(e) => e.target.select()}
            />
            <button type="button" className="btn btn--small" onClick={() => void copy()}>
              Copy link
            </button>
          </span>
        )}
      </span>
      <Money amount={p.amount} currency={p.currency} />
      <span className="in-progress__actions">
        {children}
        {confirming ? (
          <>
            <button
              type="button"
              className="btn btn--danger btn--small"
              disabled={busy}
              onClick={() => void cancel()}
            >
              {busy ? 'Cancelling…' : 'Yes, cancel it'}
            </button>
            <button
              type="button"
              className="btn btn--ghost btn--small"
              disabled={busy}
              onClick={() => setConfirming(false)}
            >
              Keep it
            </button>
          </>
        ) : (
          <button
            type="button"
            className="btn btn--ghost btn--small"
            aria-label={`Cancel the payment for ${who}`}
            onClick={() => setConfirming(true)}
          >
            Cancel…
          </button>
        )}
      </span>
    </li>
  );
}

/** Orders: every payment in progress at every station, above the orders (none: nothing shown). */
export function PaymentsInProgressPanel() {
  const { payments: list, setPayments: setList } = usePaymentsInProgress();
  if (!list || list.length === 0) return null;
  return (
    <section className="panel in-progress-panel" aria-labelledby="payments-in-progress-title">
      <div className="panel__head">
        <h2 id="payments-in-progress-title">Payments in progress</h2>
        <span className="muted small">Not orders yet: not paid, held or cancelled. Every station’s.</span>
      </div>
      <ul className="plain-list">
        {list.slice(0, 5).map((p) => (
          <PaymentInProgressItem key={p.paymentIntentId} p={p} onChanged={setList} />
        ))}
      </ul>
      {list.length > 5 && <p className="small muted">And {list.length - 5} more.</p>}
    </section>
  );
}
