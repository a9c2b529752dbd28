// "Stock arrived": the waitlist holds the stock on hand now covers, oldest deadline first, each with the lines
// that can go and what capturing them takes — captured in one step per hold (holds:capture with the amount of
// the covered lines, so the rest is released), with the manager's PIN.
import { useEffect, useState } from 'react';
import type { CoverableHold, WaitingOrder } from '../../../electron/ipc/contract';
import { ChargeDialog, linesInStock } from '../waitlist/SavedCardOrders';
import { Dialog } from '../../components/Dialog';
import { Field, PinInput } from '../../components/Field';
import { Money } from '../../components/Money';
import { Empty, ErrorNote } from '../../components/States';
import { call } from '../../lib/ipc';
import { formatDateTime, formatDuration } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { usePinAction } from '../../lib/use-pin-action';
import { useCatalogStore } from '../../stores/catalog-store';
import { useHoldsStore } from '../../stores/holds-store';
import { useSessionStore } from '../../stores/session-store';
import { toast } from '../../stores/toast-store';

function captureLabel(c: CoverableHold): string {
  return c.complete
    ? `Capture ${formatMoney(c.amount, c.hold.currency)} — the whole order`
    : `Capture ${formatMoney(c.amount, c.hold.currency)} for the lines in stock`;
}

function CaptureCoveredDialog({ item, onClose }: { item: CoverableHold; onClose: () => void }) {
  const { pin, setPin, busy, error, run } = usePinAction();
  const h = item.hold;
  const released = h.amountCapturable - item.amount;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void run(async (pin) => {
      try {
        await call('holds:capture', {
          paymentIntentId: h.paymentIntentId,
          amount: item.amount,
          version: h.version,
          pin,
          // Some lines only: capture by lines, so the order lists what is sent and the rest shows released.
          ...(item.complete
            ? {}
            : {
                lines: item.lines.filter((l) => l.covered).map((l) => ({ sku: l.sku, quantity: l.quantity })),
              }),
        });
      } catch (err) {
        useSessionStore.getState().noteError(err);
        throw err;
      }
      toast(
        `Captured ${formatMoney(item.amount, h.currency)} from ${h.customerName}’s hold${h.orderNumber ? ` (order #${h.orderNumber})` : ''}.`,
        'success',
      );
      void useCatalogStore.getState().loadCoverable();
      void useCatalogStore.getState().load();
      if (useHoldsStore.getState().status !== 'idle') void useHoldsStore.getState().load();
      onClose();
    });
  };
  return (
    <Dialog title={`Capture ${h.customerName}’s hold`} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <ul className="plain-list">
          {item.lines.map((l) => (
            <li key={l.sku}>
              {l.quantity}× {l.name} —{' '}
              {l.covered ? <strong>sent now</strong> : <span className="muted">not in stock: released</span>}
            </li>
          ))}
        </ul>
        <p className="confirm-text">
          Capture {formatMoney(item.amount, h.currency)} now
          {released > 0
            ? `; the remaining ${formatMoney(released, h.currency)} is released to the customer.`
            : ' — the full amount of the hold.'}
        </p>
        <Field label="Manager PIN">
          <PinInput value={pin} onChange={setPin} autoFocus />
        </Field>
        {error && <ErrorNote>{error}</ErrorNote>}
        <div className="dialog__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? 'Capturing…' : `Capture ${formatMoney(item.amount, h.currency)}`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A saved-card waitlist order the stock now covers (some or all of its waitlist lines): charged on arrival. */
const coveredSaved = (o: WaitingOrder) =>
  o.state === 'waiting' && o.items.some((i) => i.waitlist && i.inStock);

/**
 * Saved-card waitlist orders the stock on hand covers (issue 23: they were missing here), listed with the holds;
 * read again whenever the holds the stock covers are.
 */
function useCoveredSavedCards(coverable: CoverableHold[]): [WaitingOrder[], () => void] {
  const [orders, setOrders] = useState<WaitingOrder[]>([]);
  const [seq, setSeq] = useState(0);
  useEffect(() => {
    let live = true;
    call('waitlist:list', {})
      .then((all) => live && setOrders(all.filter(coveredSaved)))
      .catch(() => live && setOrders([]));
    return () => {
      live = false;
    };
  }, [coverable, seq]);
  return [orders, () => setSeq((n) => n + 1)];
}

export function StockArrived({ coverable, now }: { coverable: CoverableHold[]; now: number }) {
  const [capturing, setCapturing] = useState<CoverableHold | null>(null);
  const [charging, setCharging] = useState<WaitingOrder | null>(null);
  const [saved, reloadSaved] = useCoveredSavedCards(coverable);
  const reachable = useSessionStore((s) => s.stripeReachable);
  return (
    <section className="panel coverable" aria-labelledby="coverable-title">
      <div className="panel__head">
        <h2 id="coverable-title">Waitlist orders the stock now covers</h2>
        <span className="muted small">Oldest deadline first</span>
      </div>
      {coverable.length === 0 && saved.length === 0 ? (
        <Empty title="No waitlist order can be sent yet">
          When goods arrive, the holds and saved-card orders they cover are listed here.
        </Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Lines</th>
              <th scope="col">Deadline</th>
              <th scope="col" className="num">
                Capture
              </th>
              <th scope="col">
                <span className="sr-only">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {coverable.map((c) => (
              <tr key={c.hold.paymentIntentId}>
                <td>
                  <div className="strong">{c.hold.customerName}</div>
                  <div className="muted small">
                    {c.hold.orderNumber ? `Order #${c.hold.orderNumber}` : c.hold.paymentIntentId}
                  </div>
                </td>
                <td>
                  {c.lines.map((l) => (
                    <div key={l.sku} className={`small ${l.covered ? '' : 'muted'}`}>
                      {l.quantity}× {l.name}{' '}
                      {l.covered ? (
                        <span className="badge badge--good">In stock</span>
                      ) : (
                        <span className="badge badge--waitlist">Still waiting</span>
                      )}
                    </div>
                  ))}
                </td>
                <td className="small">
                  {c.hold.expiresAt ? (
                    <>
                      {formatDateTime(c.hold.expiresAt)}
                      <div className="muted">in {formatDuration(c.hold.expiresAt - now)}</div>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="num">
                  <Money amount={c.amount} currency={c.hold.currency} />
                  {!c.complete && (
                    <div className="small muted">
                      of <Money amount={c.hold.amountCapturable} currency={c.hold.currency} />
                    </div>
                  )}
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className="btn btn--primary btn--small"
                    disabled={!reachable}
                    aria-label={`${captureLabel(c)} (${c.hold.customerName})`}
                    onClick={() => setCapturing(c)}
                  >
                    {c.complete ? 'Capture' : 'Capture lines in stock'}
                  </button>
                </td>
              </tr>
            ))}
            {saved.map((o) => (
              <tr key={o.cartId}>
                <td>
                  <div className="strong">{o.customerName}</div>
                  <div className="muted small">
                    Order #{o.orderNumber} <span className="badge badge--waitlist">Card saved</span>
                  </div>
                </td>
                <td>
                  {o.items.map((l) => (
                    <div key={l.sku} className={`small ${!l.waitlist || l.inStock ? '' : 'muted'}`}>
                      {l.quantity}× {l.name}{' '}
                      {!l.waitlist || l.inStock ? (
                        <span className="badge badge--good">In stock</span>
                      ) : (
                        <span className="badge badge--waitlist">Still waiting</span>
                      )}
                    </div>
                  ))}
                </td>
                <td className="small muted">No hold to lapse</td>
                <td className="num">
                  <Money
                    amount={
                      o.stockArrived
                        ? o.amount
                        : linesInStock(o).reduce((n, l) => n + l.unitAmount * l.quantity, 0) + o.shippingFee
                    }
                    currency={o.currency}
                  />
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className="btn btn--primary btn--small"
                    disabled={!reachable}
                    aria-label={`Charge the saved card (${o.customerName})`}
                    onClick={() => setCharging(o)}
                  >
                    {o.stockArrived ? 'Charge' : 'Charge lines in stock'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {capturing && <CaptureCoveredDialog item={capturing} onClose={() => setCapturing(null)} />}
      {charging && (
        <ChargeDialog
          order={charging}
          byLines={!charging.stockArrived}
          onClose={() => setCharging(null)}
          onDone={(o) => {
            toast(`Charged ${o.customerName}’s saved card (order #${o.orderNumber}).`, 'success');
            reloadSaved();
            void useCatalogStore.getState().loadCoverable();
            void useCatalogStore.getState().load();
          }}
        />
      )}
    </section>
  );
}
