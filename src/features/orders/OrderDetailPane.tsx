// One order: items, customer, money ledger, shipping, and the timeline of Stripe events and audit entries.
import { useCallback, useEffect, useState } from 'react';
import type { OrderDetail } from '../../../electron/ipc/contract';
import { Money } from '../../components/Money';
import { OrderPricingTable } from './OrderPricingTable';
import { ErrorNote, Loading } from '../../components/States';
import { call, errorMessage, subscribe } from '../../lib/ipc';
import { formatDateTime, statusLabel } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { useOrdersStore } from '../../stores/orders-store';
import { isManager, useSessionStore } from '../../stores/session-store';
import { toast } from '../../stores/toast-store';
import { AdvanceDialog } from './AdvanceDialog';
import { canMoveToProcessing, OrderStateBadge } from './order-words';
import { CustomerCard, OrderTimeline } from './OrderTimeline';
import { RefundDialog } from './RefundDialog';
import { MoneySignals, RefundList } from './MoneySignals';
import { OrderExtrasPanel } from '../order-extras/OrderExtrasPanel';

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge--${status}`}>{statusLabel(status)}</span>;
}

const AUDIT_TITLES: Record<string, string> = {
  'payment_intent.created': 'Payment started by the console',
  'payment_intent.updated': 'Payment amount updated',
  'payment.succeeded': 'Card charged',
  'payment.requires_capture': 'Card authorized (hold)',
  'payment.requires_action': 'Customer asked to authenticate',
  'payment.declined': 'Card declined',
  'payment.unconfirmed': 'Payment pending confirmation',
  'hold.captured': 'Hold captured',
  'hold.released': 'Hold released',
  'order.processing': 'Moved to processing',
  'order.shipped': 'Marked shipped',
  'order.refunded': 'Refunded',
  'cart.discarded': 'Order canceled',
};

/** An audit action ("order.shipped") in words ("Marked shipped"). */
export function auditTitle(action: string): string {
  const known = AUDIT_TITLES[action];
  if (known) return known;
  const words = action.replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const MONEY_KEYS = new Set(['amount', 'captured', 'refunded', 'released', 'capturable', 'authorized']);

/** An audit entry's details in words; amounts (minor units) formatted in the order's currency. */
export function detailText(d: string | null, currency: string): string | null {
  if (!d) return null;
  if (!d.startsWith('{')) return d;
  try {
    const o = JSON.parse(d) as Record<string, unknown>;
    return Object.entries(o)
      .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
      .map(([k, v]) => {
        const label = k.replace(/([A-Z])/g, ' $1').toLowerCase();
        if (MONEY_KEYS.has(k) && typeof v === 'number' && Number.isSafeInteger(v))
          return `${label}: ${formatMoney(v, currency)}`;
        return `${label}: ${String(v)}`;
      })
      .join(' · ');
  } catch {
    return d;
  }
}

export function OrderDetailPane({ orderId, onClose }: { orderId: string; onClose: () => void }) {
  const [order, setOrder] = useState<OrderDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<null | 'processing' | 'shipped' | 'refund'>(null);
  const user = useSessionStore((s) => s.user);
  const reachable = useSessionStore((s) => s.stripeReachable);
  const refreshList = useOrdersStore((s) => s.refresh);

  const [tick, setTick] = useState(0);
  const load = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    let live = true;
    call('orders:get', { orderId }).then(
      (o) => {
        if (!live) return;
        setOrder(o);
        setError(null);
      },
      (e: unknown) => {
        if (!live) return;
        useSessionStore.getState().noteError(e);
        setError(errorMessage(e));
      },
    );
    return () => {
      live = false;
    };
  }, [orderId, tick]);

  useEffect(
    () =>
      subscribe('orders:changed', ({ orderIds }) => {
        if (orderIds.includes(orderId)) load();
      }),
    [orderId, load],
  );

  const titleId = `order-${orderId}-title`;
  return (
    <aside className="detail" aria-labelledby={titleId}>
      <div className="detail__head">
        <h2 id={titleId}>Order {order ? `#${order.number}` : ''}</h2>
        <button
          type="button"
          className="btn btn--ghost btn--small"
          onClick={onClose}
          aria-label="Close order details"
        >
          Close
        </button>
      </div>
      {error && <ErrorNote onRetry={() => load()}>{error}</ErrorNote>}
      {!order && !error && <Loading label="Loading the order…" />}
      {order && (
        <div className="detail__body">
          <div className="detail__summary">
            <OrderStateBadge order={order} />
            <span className="muted small">{formatDateTime(order.createdAt)}</span>
            {/* What the order's money is now: charged; held (a hold); to be charged (a saved card: nothing is
                held); or nothing (a hold released or lapsed). */}
            {order.amountCaptured > 0 ? (
              <Money amount={order.amountCaptured} currency={order.currency} className="detail__amount" />
            ) : (
              <span>
                <span className={order.paymentState === 'canceled' ? 'orow__void' : undefined}>
                  <Money amount={order.amountTotal} currency={order.currency} className="detail__amount" />
                </span>{' '}
                <span className="muted small">
                  {order.paymentState === 'canceled' || order.cancelled
                    ? 'not charged'
                    : order.cardWait
                      ? 'card saved, charged on arrival'
                      : order.holdLapsed
                        ? 'hold lapsed, not charged'
                        : order.paymentState === 'authorized'
                          ? 'held'
                          : ''}
                </span>
              </span>
            )}
          </div>
          <div className="btn-row">
            {canMoveToProcessing(order) && (
              <button
                type="button"
                className="btn btn--primary"
                disabled={order.shipBlock !== null}
                title={order.shipBlock ?? undefined}
                onClick={() => setDialog('processing')}
              >
                Move to processing
              </button>
            )}
            {order.status === 'processing' && !order.cancelled && order.paymentState !== 'canceled' && (
              <button
                type="button"
                className="btn btn--primary"
                disabled={!order.canShip}
                onClick={() => setDialog('shipped')}
                title={order.canShip ? undefined : (order.shipBlock ?? 'The payment is not captured yet')}
              >
                {order.delivery === 'collect' ? 'Mark collected…' : 'Mark shipped…'}
              </button>
            )}
            {isManager(user) && order.refundable > 0 && (
              <button type="button" className="btn" disabled={!reachable} onClick={() => setDialog('refund')}>
                Refund…
              </button>
            )}
          </div>
          {order.conflict && (
            <p className="note note--error" role="alert">
              <strong>Needs a manager.</strong> {order.conflict}
            </p>
          )}
          <MoneySignals order={order} canRefund={isManager(user)} onRefundAll={() => setDialog('refund')} />
          <OrderExtrasPanel
            orderId={order.id}
            refunded={order.ledger.refunded}
            part="actions"
            delivery={order.delivery}
            cancelled={!!order.cancelled || order.paymentState === 'canceled'}
          />
          {order.split && <SplitLink split={order.split} />}
          {order.paymentNote && (
            <p className={`note ${order.paymentState === 'canceled' ? 'note--info' : 'note--warning'}`}>
              {order.paymentNote}
            </p>
          )}
          {!order.canShip && !order.shipBlock && !order.paymentNote && order.status !== 'shipped' && (
            <p className="note note--warning">
              Not shippable yet: the payment is authorized but not captured (a waitlist hold).
            </p>
          )}

          <section aria-labelledby={`${titleId}-items`}>
            <h3 id={`${titleId}-items`}>Items</h3>
            <table className="table table--compact">
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col" className="num">
                    Qty
                  </th>
                  <th scope="col" className="num">
                    Total
                  </th>
                </tr>
              </thead>
              <tbody>
                {order.lines.map((l) => {
                  const back = order.refundedLines?.find((r) => r.sku.toUpperCase() === l.sku.toUpperCase());
                  return (
                    <tr key={l.productId}>
                      <td>
                        {l.name} {l.waitlist && <span className="badge badge--waitlist">Waitlist</span>}
                        {back && (
                          <div className="small" aria-label={`Refunded units of ${l.name}`}>
                            <span className="badge badge--released">{back.quantity} refunded</span>{' '}
                            <span className="muted">
                              {back.restocked === back.quantity
                                ? 'back in stock'
                                : back.restocked > 0
                                  ? `${back.restocked} back in stock`
                                  : 'not back in stock'}
                            </span>
                          </div>
                        )}
                      </td>
                      <td className="num">{l.quantity}</td>
                      <td className="num">
                        <Money amount={l.lineTotal} currency={order.currency} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <OrderPricingTable order={order} />
            {order.releasedLines.length > 0 && (
              <p className="small muted" aria-label="Released lines">
                Released (not charged, not shipped):{' '}
                {order.releasedLines.map((l) => `${l.quantity} × ${l.name}`).join(', ')}
              </p>
            )}
          </section>
          <OrderExtrasPanel orderId={order.id} refunded={order.ledger.refunded} part="details" />

          <section aria-labelledby={`${titleId}-ledger`}>
            <h3 id={`${titleId}-ledger`}>Money</h3>
            <dl className="ledger">
              {(['authorized', 'captured', 'refunded', 'released'] as const).map((k) => (
                <div key={k} className="ledger__item">
                  <dt>{statusLabel(k)}</dt>
                  <dd>
                    <Money amount={order.ledger[k]} currency={order.ledger.currency} />
                  </dd>
                </div>
              ))}
            </dl>
            {order.refundable > 0 && (
              <p className="small muted">
                Refundable: <Money amount={order.refundable} currency={order.currency} />
              </p>
            )}
            <RefundList order={order} />
          </section>

          <section aria-labelledby={`${titleId}-customer`}>
            <h3 id={`${titleId}-customer`}>Customer</h3>
            <CustomerCard order={order} />
          </section>

          <OrderTimeline order={order} titleId={`${titleId}-timeline`} />
        </div>
      )}
      {order && (dialog === 'processing' || dialog === 'shipped') && (
        <AdvanceDialog
          orderIds={[order.id]}
          to={dialog}
          onClose={() => setDialog(null)}
          onDone={(r) => {
            if (r.every((x) => x.ok)) toast(`Order #${order.number} is ${dialog}.`, 'success');
            load();
            void refreshList();
          }}
        />
      )}
      {order && dialog === 'refund' && (
        <RefundDialog
          order={order}
          onClose={() => setDialog(null)}
          onDone={(o) => {
            setOrder(o);
            toast(`Refund sent for order #${o.number}.`, 'success');
            void refreshList();
          }}
        />
      )}
    </aside>
  );
}

/** A split order's other half (issue 23 item 13): the order it was split from, or its waiting part. */
function SplitLink({ split }: { split: NonNullable<OrderDetail['split']> }) {
  const openOrder = useOrdersStore((s) => s.openOrder);
  const label = `order #${split.number}`;
  return (
    <p className="note note--info">
      {split.role === 'waiting_part'
        ? 'The waiting items of '
        : 'Split when it was taken: its waiting items are '}
      {split.orderId ? (
        <button type="button" className="btn btn--link" onClick={() => openOrder(split.orderId)}>
          {label}
        </button>
      ) : (
        label
      )}
      {split.role === 'waiting_part'
        ? ', paid with the same card; the items in stock went with that order.'
        : ', paid with the same card when they arrive.'}
    </p>
  );
}
