// Waitlist holds: soonest deadline first, a live countdown, "Expiring soon" under 48 h, expired holds shown
// as expired with no Capture. Managers capture (in full or in part) or release; staff see them read-only.
import { useEffect, useState } from 'react';
import type { Hold } from '../../../electron/ipc/contract';
import { Money } from '../../components/Money';
import { Empty, ErrorNote, Loading, Note } from '../../components/States';
import { formatDateTime, formatDuration, statusLabel } from '../../lib/format';
import { holdUrgency, useHoldsStore } from '../../stores/holds-store';
import { isManager, useSessionStore } from '../../stores/session-store';
import { CaptureDialog, ReleaseDialog } from './HoldDialogs';
import { LIMITS } from '../../lib/validation';
import { SavedCardOrders } from '../waitlist/SavedCardOrders';

/** The console's time (the training clock may run ahead of this machine's), ticking. */
export function useNow(intervalMs = 1000): number {
  // Stripe's clock, not this computer's: kept fresh by every sync report (session-store).
  const offset = useSessionStore((s) => s.clockOffsetMs);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now + offset;
}

function Countdown({ hold, now }: { hold: Hold; now: number }) {
  const u = holdUrgency(hold, now);
  if (u === 'expired') return <span className="badge badge--expired">Expired</span>;
  if (u === 'done') return <span className={`badge badge--${hold.status}`}>{statusLabel(hold.status)}</span>;
  if (u === 'unknown') return <span className="muted">Deadline not known yet</span>;
  return (
    <span className="countdown">
      <span className={`countdown__time ${u === 'soon' ? 'countdown__time--soon' : ''}`}>
        {formatDuration(hold.expiresAt! - now)} left
      </span>
      {u === 'soon' && <span className="badge badge--soon">Expiring soon</span>}
    </span>
  );
}

export function HoldsScreen() {
  const holds = useHoldsStore((s) => s.holds);
  const status = useHoldsStore((s) => s.status);
  const error = useHoldsStore((s) => s.error);
  const include = useHoldsStore((s) => s.include);
  const load = useHoldsStore((s) => s.load);
  const setInclude = useHoldsStore((s) => s.setInclude);
  const user = useSessionStore((s) => s.user);
  const reachable = useSessionStore((s) => s.stripeReachable);
  const manager = isManager(user);
  const now = useNow();
  const [dialog, setDialog] = useState<{ kind: 'capture' | 'release'; hold: Hold } | null>(null);

  useEffect(() => {
    void load();
  }, [load]);

  const openCount = holds.filter((h) => h.status === 'authorized').length;
  // Found by the same words as the order: its number, the customer, an item.
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase().replace(/^#/, '');
  const shown = q
    ? holds.filter((h) =>
        [h.orderNumber ?? '', h.customerName, ...h.items.map((i) => i.name)].some((t) =>
          t.toLowerCase().includes(q),
        ),
      )
    : holds;

  return (
    <div className="holds">
      <header className="screen__head">
        <h1>Waitlist holds</h1>
        <span className="muted">{status === 'ready' ? `${openCount} open` : ''}</span>
        <span className="spacer" />
        <label className="sr-only" htmlFor="holds-search">
          Search holds
        </label>
        <input
          id="holds-search"
          className="input input--search holds__search"
          type="search"
          placeholder="Order number, customer or item"
          value={query}
          maxLength={LIMITS.orderQuery}
          onChange={(e) => setQuery(e.target.value)}
        />
        <div className="segmented" role="group" aria-label="Which holds">
          <button type="button" aria-pressed={include === 'open'} onClick={() => void setInclude('open')}>
            Open
          </button>
          <button type="button" aria-pressed={include === 'all'} onClick={() => void setInclude('all')}>
            All
          </button>
        </div>
        <button type="button" className="btn" onClick={() => void load()}>
          Refresh
        </button>
      </header>
      {!manager && <Note>Only a manager can capture or release holds. You can see them here.</Note>}
      {error && <ErrorNote onRetry={() => void load()}>{error}</ErrorNote>}
      {status === 'loading' && holds.length === 0 && <Loading label="Loading holds…" />}
      {status === 'ready' && holds.length === 0 && (
        <Empty title={include === 'open' ? 'No open holds' : 'No holds yet'}>
          A hold is placed when a phone order includes an out-of-stock (waitlist) item.
        </Empty>
      )}
      {holds.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Holds table">
          <table className="table holds-table">
            <caption className="sr-only">Holds, soonest deadline first</caption>
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">Items</th>
                <th scope="col" className="num">
                  Authorized
                </th>
                <th scope="col" className="num">
                  Capturable
                </th>
                <th scope="col">Deadline</th>
                <th scope="col">Time left</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((h) => {
                const u = holdUrgency(h, now);
                const actionable = manager && h.status === 'authorized' && u !== 'expired';
                return (
                  <tr
                    key={h.paymentIntentId}
                    id={`hold-${h.paymentIntentId}`}
                    tabIndex={-1}
                    className={`hold-row hold-row--${u}`}
                  >
                    <td>
                      <div className="strong">{h.customerName}</div>
                      <div className="muted small">
                        {h.orderNumber ? `Order #${h.orderNumber}` : 'Order number not known yet'} ·{' '}
                        {formatDateTime(h.authorizedAt)}
                      </div>
                    </td>
                    <td>
                      {h.items.map((it, i) => (
                        <div key={i} className="small">
                          {it.quantity}× {it.name}{' '}
                          {it.waitlist && <span className="badge badge--waitlist">Waitlist</span>}
                        </div>
                      ))}
                    </td>
                    <td className="num">
                      <Money amount={h.amountAuthorized} currency={h.currency} />
                    </td>
                    <td className="num">
                      <Money amount={h.amountCapturable} currency={h.currency} />
                      {h.amountCaptured > 0 && (
                        <div className="small muted">
                          captured <Money amount={h.amountCaptured} currency={h.currency} />
                        </div>
                      )}
                    </td>
                    <td className="small">{h.expiresAt ? formatDateTime(h.expiresAt) : '—'}</td>
                    <td>
                      <Countdown hold={h} now={now} />
                      {h.pendingAction && (
                        <div className="small muted">{statusLabel(h.pendingAction)} in progress…</div>
                      )}
                    </td>
                    <td className="actions">
                      {actionable && (
                        <>
                          <button
                            type="button"
                            className="btn btn--primary btn--small"
                            disabled={!reachable || !!h.pendingAction}
                            aria-label={`Capture hold for ${h.customerName}`}
                            onClick={() => setDialog({ kind: 'capture', hold: h })}
                          >
                            Capture
                          </button>
                          <button
                            type="button"
                            className="btn btn--small"
                            disabled={!reachable || !!h.pendingAction}
                            aria-label={`Release hold for ${h.customerName}`}
                            onClick={() => setDialog({ kind: 'release', hold: h })}
                          >
                            Release
                          </button>
                        </>
                      )}
                      {u === 'expired' && (
                        <span className="small muted">Funds released by the bank; can’t be captured</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {dialog?.kind === 'capture' && <CaptureDialog hold={dialog.hold} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'release' && <ReleaseDialog hold={dialog.hold} onClose={() => setDialog(null)} />}
      <SavedCardOrders />
    </div>
  );
}
