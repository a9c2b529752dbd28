// An order's customer (phone as people read it, the address as its country writes it, tracking linked to the
// carrier's page) and its timeline: one line per thing that happened, in the shop's words, with Stripe's own
// details (event types, ids, keys) folded away for whoever wants them.
import type { OrderDetail } from '../../../electron/ipc/contract';
import { formatAddress } from '../../../electron/ipc/address';
import { formatPhone, phoneUri } from '../../../electron/ipc/phone';
import { formatDateTime } from '../../lib/format';
import { useSessionStore } from '../../stores/session-store';
import { trackingUrl } from './order-words';

export function CustomerCard({ order }: { order: OrderDetail }) {
  const country = useSessionStore((s) => s.info?.country ?? 'US');
  const c = order.customer;
  const link = trackingUrl(order.carrier, order.trackingNumber);
  return (
    <>
      {c ? (
        <address className="customer-card">
          <strong>{c.name}</strong>
          {c.email && (
            <div>
              <a href={`mailto:${c.email}`}>{c.email}</a>
            </div>
          )}
          {c.phone && (
            <div>
              <a href={`tel:${phoneUri(c.phone, country)}`}>{formatPhone(c.phone, country)}</a>
            </div>
          )}
          {order.delivery === 'collect' ? (
            <div className="muted">Collects the order in person</div>
          ) : (
            c.shipping && (
              <div className="customer-card__address">
                {formatAddress(c.shipping, country).map((line, i) => (
                  <div key={i}>{line}</div>
                ))}
              </div>
            )
          )}
        </address>
      ) : (
        <p className="muted">{order.customerName}</p>
      )}
      {(order.carrier || order.trackingNumber) && (
        <p>
          Shipped with <strong>{order.carrier}</strong>, tracking{' '}
          {link ? (
            <a href={link} target="_blank" rel="noreferrer noopener">
              {order.trackingNumber}
              <span className="sr-only"> (opens the carrier’s tracking page)</span>
            </a>
          ) : (
            <strong>{order.trackingNumber}</strong>
          )}
        </p>
      )}
    </>
  );
}

export function OrderTimeline({ order, titleId }: { order: OrderDetail; titleId: string }) {
  return (
    <section aria-labelledby={titleId}>
      <h3 id={titleId}>Timeline</h3>
      {order.timeline.length === 0 ? (
        <p className="muted">Nothing yet.</p>
      ) : (
        <ol className="timeline">
          {order.timeline.map((t, i) => (
            <li key={i} className={`timeline__item timeline__item--${t.kind}`}>
              <div className="timeline__title">
                {t.title}
                {t.confirmedByStripe && (
                  <span className="timeline__confirmed" title="Stripe’s own event confirmed this">
                    ✓<span className="sr-only"> confirmed by Stripe</span>
                  </span>
                )}
              </div>
              <div className="timeline__meta">
                {formatDateTime(t.at)}
                {t.actor ? ` · ${t.actor}` : ''}
              </div>
              {t.detail && <div className="timeline__detail">{t.detail}</div>}
              {t.technical.length > 0 && (
                <details className="timeline__technical">
                  <summary>Stripe details</summary>
                  <ul>
                    {t.technical.map((x, j) => (
                      <li key={j}>
                        <code className="mono">{x}</code>
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </li>
          ))}
        </ol>
      )}
      <details className="timeline__technical">
        <summary>Order ids</summary>
        <ul>
          <li>
            <code className="mono">Order {order.id}</code>
          </li>
          <li>
            <code className="mono">PaymentIntent {order.paymentIntentId}</code>
          </li>
        </ul>
      </details>
    </section>
  );
}
