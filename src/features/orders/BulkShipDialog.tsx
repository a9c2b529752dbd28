// Shipping several orders at once: each its own parcel — a carrier and a tracking number per order, typed or
// scanned row by row (a scanner's Enter moves to the next order) — and a collected order simply handed over.
// Only orders that can ship are here; the ones that can't are named with the reason.
import { useId, useRef, useState } from 'react';
import type { Output, OrderRow } from '../../../electron/ipc/contract';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/States';
import { call, errorMessage } from '../../lib/ipc';
import { LIMITS } from '../../lib/validation';
import { useSessionStore } from '../../stores/session-store';
import { CARRIERS } from './AdvanceDialog';

export function BulkShipDialog({
  orders,
  skipped,
  onClose,
  onDone,
}: {
  orders: OrderRow[];
  /** Selected orders that can't ship, with why. */
  skipped: string[];
  onClose: () => void;
  onDone: (results: Output<'orders:advance'>) => void;
}) {
  const id = useId();
  const [carrier, setCarrier] = useState<Record<string, string>>({});
  const [tracking, setTracking] = useState<Record<string, string>>({});
  const [sameCarrier, setSameCarrier] = useState('UPS');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [failures, setFailures] = useState<{ number: string; message: string }[]>([]);
  const inputs = useRef<Record<string, HTMLInputElement | null>>({});

  const parcels = orders.filter((o) => o.delivery !== 'collect');
  const carrierOf = (o: OrderRow) => carrier[o.id] ?? sameCarrier;
  const problem = (o: OrderRow): string | null => {
    if (o.delivery === 'collect') return null;
    const t = (tracking[o.id] ?? '').trim();
    if (t.length > LIMITS.trackingNumber) return `At most ${LIMITS.trackingNumber} characters.`;
    if (!t) return 'Enter or scan the tracking number.';
    if (parcels.some((p) => p.id !== o.id && (tracking[p.id] ?? '').trim() === t))
      return 'This tracking number is on another order too.';
    return null;
  };
  const shownProblem = (o: OrderRow) => {
    const p = problem(o);
    return p && (tried || /At most|another order/.test(p)) ? p : null;
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setTried(true);
    const bad = orders.find((o) => problem(o));
    if (bad) {
      inputs.current[bad.id]?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const results = await call('orders:advance', {
        orderIds: orders.map((o) => o.id),
        to: 'shipped',
        shipments: parcels.map((o) => ({
          orderId: o.id,
          carrier: carrierOf(o).trim(),
          trackingNumber: (tracking[o.id] ?? '').trim(),
        })),
      });
      onDone(results);
      const failed = results.filter((r) => !r.ok);
      if (failed.length === 0) onClose();
      else
        setFailures(
          failed.map((f) => ({
            number: orders.find((o) => o.id === f.orderId)?.number ?? '',
            message: f.message ?? 'Not shipped.',
          })),
        );
    } catch (err) {
      useSessionStore.getState().noteError(err);
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`Ship ${orders.length} order${orders.length === 1 ? '' : 's'}`}
      onClose={onClose}
      description="Each parcel has its own tracking number: type it, or scan the label (the scanner’s Enter moves to the next order)."
    >
      <form className="form bulkship" onSubmit={(e) => void submit(e)}>
        <div className="field field--inline bulkship__same">
          <label className="field__label" htmlFor={`${id}-carrier`}>
            Carrier for every parcel
          </label>
          <input
            id={`${id}-carrier`}
            className="input"
            list={`${id}-carriers`}
            value={sameCarrier}
            maxLength={LIMITS.carrier}
            onChange={(e) => setSameCarrier(e.target.value)}
          />
          <datalist id={`${id}-carriers`}>
            {CARRIERS.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </div>
        <table className="table table--compact bulkship__table">
          <caption className="sr-only">Orders to ship</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Customer</th>
              <th scope="col">Carrier</th>
              <th scope="col">Tracking number</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o, i) => {
              const p = shownProblem(o);
              return (
                <tr key={o.id}>
                  <th scope="row">#{o.number}</th>
                  <td>{o.customerName}</td>
                  {o.delivery === 'collect' ? (
                    <td colSpan={2} className="muted small">
                      Collected in person: handed over, no parcel
                    </td>
                  ) : (
                    <>
                      <td>
                        <input
                          className="input"
                          list={`${id}-carriers`}
                          aria-label={`Carrier for order #${o.number}`}
                          value={carrierOf(o)}
                          maxLength={LIMITS.carrier}
                          onChange={(e) => setCarrier({ ...carrier, [o.id]: e.target.value })}
                        />
                      </td>
                      <td>
                        <input
                          ref={(el) => {
                            inputs.current[o.id] = el;
                          }}
                          className="input mono"
                          aria-label={`Tracking number for order #${o.number}`}
                          aria-invalid={p ? true : undefined}
                          aria-describedby={p ? `${id}-p-${i}` : undefined}
                          value={tracking[o.id] ?? ''}
                          autoFocus={i === orders.findIndex((x) => x.delivery !== 'collect')}
                          onChange={(e) => setTracking({ ...tracking, [o.id]: e.target.value })}
                          onKeyDown={(e) => {
                            if (e.key !== 'Enter') return;
                            const next = parcels[parcels.findIndex((x) => x.id === o.id) + 1];
                            if (next) {
                              e.preventDefault();
                              inputs.current[next.id]?.focus();
                            }
                          }}
                        />
                        {p && (
                          <span id={`${id}-p-${i}`} className="field__error">
                            {p}
                          </span>
                        )}
                      </td>
                    </>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
        {skipped.length > 0 && <p className="note note--warning small">Not offered: {skipped.join('; ')}.</p>}
        {error && <ErrorNote>{error}</ErrorNote>}
        {failures.length > 0 && (
          <div className="note note--error" role="alert">
            <strong>
              {failures.length} of {orders.length} not shipped:
            </strong>
            <ul>
              {failures.map((f) => (
                <li key={f.number}>{f.message}</li>
              ))}
            </ul>
          </div>
        )}
        <div className="dialog__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            {failures.length ? 'Close' : 'Cancel'}
          </button>
          {failures.length === 0 && (
            <button type="submit" className="btn btn--primary" disabled={busy}>
              {busy ? 'Saving…' : `Mark ${orders.length} shipped`}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
