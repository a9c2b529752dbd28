// Move one or many orders along: received → processing → shipped (with carrier and tracking number).
import { useState } from 'react';
import type { Output } from '../../../electron/ipc/contract';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { ErrorNote } from '../../components/States';
import { call, errorMessage } from '../../lib/ipc';
import { LIMITS } from '../../lib/validation';
import { useOrdersStore } from '../../stores/orders-store';
import { useSessionStore } from '../../stores/session-store';

export const CARRIERS = ['USPS', 'UPS', 'FedEx', 'DHL', 'Royal Mail', 'Canada Post', 'Other'];

export function AdvanceDialog({
  orderIds,
  to,
  onClose,
  onDone,
}: {
  orderIds: string[];
  to: 'processing' | 'shipped';
  onClose: () => void;
  onDone: (results: Output<'orders:advance'>) => void;
}) {
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [failures, setFailures] = useState<Output<'orders:advance'>>([]);
  const n = orderIds.length;
  // Staff read order numbers, never ids: the numbers are those the list shows.
  const rows = useOrdersStore((st) => st.pages);
  const known = new Map(
    Object.values(rows)
      .flat()
      .map((r) => [r.id, r]),
  );
  const numberOf = (id: string) => (known.get(id) ? `#${known.get(id)!.number}` : 'this order');
  const collect = n === 1 && known.get(orderIds[0]!)?.delivery === 'collect';
  const what = n === 1 ? `order ${numberOf(orderIds[0]!)}` : `${n} orders`;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (to === 'shipped' && !collect && (!carrier.trim() || !tracking.trim())) {
      setError('Enter the carrier and the tracking number.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const results = await call('orders:advance', {
        orderIds,
        to,
        ...(to === 'shipped' && !collect ? { carrier: carrier.trim(), trackingNumber: tracking.trim() } : {}),
      });
      const bad = results.filter((r) => !r.ok);
      onDone(results);
      if (bad.length === 0) onClose();
      else setFailures(bad);
    } catch (err) {
      useSessionStore.getState().noteError(err);
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={
        to === 'shipped'
          ? collect
            ? `Mark ${what} collected`
            : `Mark ${what} shipped`
          : `Move ${what} to processing`
      }
      onClose={onClose}
      description={
        to === 'shipped'
          ? collect
            ? 'The customer has collected the order in person.'
            : 'The customer’s parcel is on its way. Orders whose payment is not captured are not shipped.'
          : 'Processing: the order is being picked and packed.'
      }
    >
      <form onSubmit={submit} className="form">
        {to === 'shipped' && !collect && (
          <div className="grid-2">
            <Field label="Carrier">
              <input
                className="input"
                list="carrier-list"
                value={carrier}
                data-autofocus=""
                maxLength={LIMITS.carrier}
                onChange={(e) => setCarrier(e.target.value)}
              />
            </Field>
            <datalist id="carrier-list">
              {CARRIERS.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
            <Field label="Tracking number">
              <input
                className="input"
                value={tracking}
                maxLength={LIMITS.trackingNumber}
                onChange={(e) => setTracking(e.target.value)}
              />
            </Field>
          </div>
        )}
        {error && <ErrorNote>{error}</ErrorNote>}
        {failures.length > 0 && (
          <div className="note note--error" role="alert">
            <strong>
              {failures.length} of {n} not moved:
            </strong>
            <ul>
              {failures.map((f) => (
                <li key={f.orderId}>{f.message ?? `${numberOf(f.orderId)} was not moved.`}</li>
              ))}
            </ul>
          </div>
        )}
        <div className="dialog__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            {failures.length ? 'Close' : 'Cancel'}
          </button>
          {failures.length === 0 && (
            <button
              type="submit"
              className="btn btn--primary"
              disabled={busy}
              data-autofocus={to === 'processing' ? '' : undefined}
            >
              {busy
                ? 'Saving…'
                : to === 'shipped'
                  ? collect
                    ? 'Mark collected'
                    : 'Mark shipped'
                  : 'Move to processing'}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
