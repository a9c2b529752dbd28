// What Stripe said about an order's money after the payment, in the shop's words: a dispute (don't ship, the
// reason, the amount, when to respond), an early fraud warning (refund now to avoid a dispute and its fee),
// and every refund with its outcome — a failed one says the customer was not refunded, and why.
import type { OrderDetail } from '../../../electron/ipc/contract';
import { Money } from '../../components/Money';
import { formatDate, formatDateTime } from '../../lib/format';

const FAILURE: Record<string, string> = {
  expired_or_canceled_card: 'the card has expired or been canceled',
  lost_or_stolen_card: 'the card was reported lost or stolen',
  unknown: 'the bank did not say why',
};

function disputeTitle(d: NonNullable<OrderDetail['dispute']>): string {
  if (d.status === 'won') return 'Dispute won — the money stays with the shop';
  if (d.status === 'lost') return 'Dispute lost — don’t ship';
  if (d.status === 'warning_closed') return 'The bank’s inquiry was closed';
  return d.inquiry ? 'The bank is questioning this payment — don’t ship' : 'Disputed — don’t ship';
}

export function MoneySignals({
  order,
  canRefund,
  onRefundAll,
}: {
  order: OrderDetail;
  /** The signed-in user may refund (a manager). */
  canRefund: boolean;
  onRefundAll: () => void;
}) {
  const d = order.dispute;
  const w = order.fraudWarning;
  const failed = order.refunds.filter((r) => r.status === 'failed');
  return (
    <>
      {d && (
        <div
          className={`note ${['won', 'warning_closed'].includes(d.status) ? 'note--success' : 'note--error'} note--block`}
          role={['won', 'warning_closed'].includes(d.status) ? 'status' : 'alert'}
          aria-label="Dispute"
        >
          <strong>{disputeTitle(d)}</strong>
          <p>
            <Money amount={d.amount} currency={d.currency} /> — {d.reasonText}.
            {d.dueBy && ['needs_response', 'warning_needs_response'].includes(d.status) && (
              <> Respond in Stripe by {formatDate(d.dueBy)}.</>
            )}
          </p>
        </div>
      )}
      {w?.actionable && !d && (
        <div className="note note--warning note--block" role="alert" aria-label="Early fraud warning">
          <strong>Early fraud warning — don’t ship</strong>
          <p>
            The card issuer reports this payment as likely fraud ({w.fraudType.replace(/_/g, ' ')}). Refunding
            it now avoids a dispute and its fee.
          </p>
          {canRefund && order.refundable > 0 && (
            <button type="button" className="btn btn--danger btn--small" onClick={onRefundAll}>
              Refund in full to avoid a dispute…
            </button>
          )}
        </div>
      )}
      {failed.length > 0 && (
        <div className="note note--error note--block" role="alert" aria-label="Failed refund">
          <strong>
            {failed.length === 1 ? 'A refund failed' : `${failed.length} refunds failed`} — the customer was
            not refunded
          </strong>
          <p>
            {failed.map((r) => (
              <span key={r.id}>
                <Money amount={r.amount} currency={order.currency} />:{' '}
                {FAILURE[r.failureReason ?? 'unknown'] ?? r.failureReason}.{' '}
              </span>
            ))}
            The money is back in the shop’s balance; refund again (another card, or another way).
          </p>
        </div>
      )}
    </>
  );
}

/** Every refund of the order, failed ones included. */
export function RefundList({ order }: { order: OrderDetail }) {
  if (order.refunds.length === 0) return null;
  return (
    <table className="table table--compact" aria-label="Refunds">
      <thead>
        <tr>
          <th scope="col">Refund</th>
          <th scope="col">Outcome</th>
          <th scope="col" className="num">
            Amount
          </th>
        </tr>
      </thead>
      <tbody>
        {order.refunds.map((r) => (
          <tr key={r.id}>
            <td>
              {formatDateTime(r.createdAt)}
              {r.requestedBy && <span className="muted small"> · {r.requestedBy}</span>}
            </td>
            <td>
              {r.status === 'failed' ? (
                <span className="badge badge--bad">Failed — not refunded</span>
              ) : r.status === 'succeeded' ? (
                'Refunded'
              ) : (
                r.status.replace(/_/g, ' ')
              )}
            </td>
            <td className="num">
              <Money amount={r.amount} currency={order.currency} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
