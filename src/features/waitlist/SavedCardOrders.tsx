// Waitlist orders on a saved card, oldest first: waiting for stock, or for the customer. When the stock is in, a
// manager charges the saved card (PIN re-entered); when the bank wants the customer, staff call them back or send
// them a link to the bank's page to pay on their own device, and the order follows it to paid.
import { useCallback, useEffect, useState } from 'react';
import type { TestCard, WaitingOrder } from '../../../electron/ipc/contract';
import { Dialog } from '../../components/Dialog';
import { Field, PinInput } from '../../components/Field';
import { Money } from '../../components/Money';
import { Empty, ErrorNote, Note } from '../../components/States';
import { IpcCallError, call, errorMessage, subscribe } from '../../lib/ipc';
import { formatDate, formatDateTime } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { usePinAction } from '../../lib/use-pin-action';
import { isManager, useSessionStore } from '../../stores/session-store';
import { TestCardPicker } from '../new-order/Checkout';
import { LiveCardForm } from '../new-order/LiveCardForm';
import './waitlist.css';

export function cardLabel(card: { brand: string; last4: string; expMonth: number; expYear: number }): string {
  const brand = card.brand.charAt(0).toUpperCase() + card.brand.slice(1);
  return `${brand} •••• ${card.last4}, expires ${String(card.expMonth).padStart(2, '0')}/${String(card.expYear).slice(-2)}`;
}

function StateBadge({ order }: { order: WaitingOrder }) {
  if (order.state === 'paid') return <span className="badge badge--captured">Paid</span>;
  if (order.state === 'action_needed')
    return <span className="badge badge--expired">Customer action needed</span>;
  return order.stockArrived ? (
    <span className="badge badge--soon">Stock arrived</span>
  ) : (
    <span className="badge badge--waitlist">Waiting for stock</span>
  );
}

/** The lines that can be sent now: those in stock (by lines, as for holds: the rest is not charged). */
export function linesInStock(order: WaitingOrder): WaitingOrder['items'] {
  return order.items.filter((i) => !i.waitlist || i.inStock);
}

export function ChargeDialog({
  order,
  byLines,
  onClose,
  onDone,
}: {
  order: WaitingOrder;
  /** Charge only the lines in stock; the rest is not charged. */
  byLines: boolean;
  onClose: () => void;
  onDone: (o: WaitingOrder) => void;
}) {
  const { pin, setPin, busy, error, run } = usePinAction();
  const lines = byLines ? linesInStock(order) : order.items;
  // The lines in stock and the shipping fee, which goes with the first charge (the rule Holds and Stock arrived use).
  const recorded = byLines
    ? lines.reduce((n, l) => n + (l.lineTotal ?? l.unitAmount * l.quantity), 0) +
      (order.shippingTotal ?? order.shippingFee)
    : order.amount;
  // The tax is worked out again on the day of the charge: when it comes to another amount, main charges nothing
  // and says the new one, which the dialog then names.
  const [quoted, setQuoted] = useState<number | null>(null);
  const amount = quoted ?? recorded;
  return (
    <Dialog
      title={`Charge order #${order.orderNumber}`}
      onClose={onClose}
      description={`${order.customerName} agreed to be charged when the stock arrived.`}
    >
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async (p) => {
            const after = await call('waitlist:chargeSaved', {
              cartId: order.cartId,
              pin: p,
              ...(byLines ? { lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })) } : {}),
              expectedAmount: amount,
            }).catch((err: unknown) => {
              const moved = err instanceof IpcCallError ? err.details?.amount : undefined;
              if (typeof moved === 'number') setQuoted(moved);
              throw err;
            });
            onDone(after);
            onClose();
          });
        }}
      >
        {byLines && (
          <ul className="plain-list">
            {order.items.map((l) => (
              <li key={l.sku}>
                {l.quantity}× {l.name} —{' '}
                {!l.waitlist || l.inStock ? (
                  <strong>charged and sent now</strong>
                ) : (
                  <span className="muted">not in stock: not charged</span>
                )}
              </li>
            ))}
          </ul>
        )}
        <p className="confirm-text">
          Charge {formatMoney(amount, order.currency)} to{' '}
          {order.card ? cardLabel(order.card) : 'the saved card'} now, without the customer.
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
            {busy ? 'Charging…' : `Charge ${formatMoney(amount, order.currency)}`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function PayLink({ url }: { url: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="paylink">
      <label className="small">
        Link for the customer (the bank’s page, on their own device):
        <input className="input paylink__url" readOnly value={url} onFocus={(e) => e.target.select()} />
      </label>
      <button
        type="button"
        className="btn btn--small"
        onClick={() => {
          void call('clipboard:write', { text: url })
            .then((r) => setCopied(r.copied))
            .catch(() => setCopied(false));
        }}
      >
        {copied ? 'Copied' : 'Copy link'}
      </button>
    </div>
  );
}

/**
 * Customer action needed, staff call back: the customer on the phone gives another card, charged now on the same
 * order (its one payment, so never twice). The card is entered as at the phone checkout — the test-card picker
 * in demo and test mode, the secure card form in live mode — with MOTO where Settings allow it; when the bank
 * asks for 3D Secure, its page opens here or the link goes to the customer.
 */
function CallBackDialog({
  order,
  onClose,
  onDone,
}: {
  order: WaitingOrder;
  onClose: () => void;
  onDone: (o: WaitingOrder) => void;
}) {
  const info = useSessionStore((s) => s.info);
  const reachable = useSessionStore((s) => s.stripeReachable);
  const live = info?.mode === 'live';
  const [cards, setCards] = useState<TestCard[] | null>(null);
  const [card, setCard] = useState('pm_card_visa');
  const [moto, setMoto] = useState(false);
  const [busy, setBusy] = useState<'paying' | 'authenticating' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState<WaitingOrder>(order);
  // The bank asks for 3D Secure on the card just taken (staff choose how the customer completes it).
  const authenticating = now.payLink !== null && now.state === 'action_needed';
  const [another, setAnother] = useState(false);
  const amount = formatMoney(now.amount, now.currency);

  useEffect(() => {
    if (live) return;
    let on = true;
    call('payments:testCards', {}).then(
      (list) => on && setCards(list),
      (e: unknown) => on && setError(errorMessage(e)),
    );
    return () => {
      on = false;
    };
  }, [live]);

  const settle = (after: WaitingOrder) => {
    setNow(after);
    setAnother(false);
    if (after.state === 'paid') {
      onDone(after);
      onClose();
    }
  };
  const pay = async (paymentMethod: string, asMoto = moto) => {
    setBusy('paying');
    setError(null);
    try {
      settle(await call('waitlist:payByPhone', { cartId: order.cartId, paymentMethod, moto: asMoto }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  const authenticate = async () => {
    setBusy('authenticating');
    setError(null);
    try {
      settle(await call('waitlist:authenticate', { cartId: order.cartId }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  const declined = now.problem && now !== order && !authenticating;
  const payLabel = busy === 'paying' ? 'Charging…' : `Charge ${amount} to this card`;

  return (
    <Dialog
      title={`Call back: another card for order #${order.orderNumber}`}
      onClose={onClose}
      description={`${order.customerName} is on the phone. ${amount} is charged to the card they give now, on the same order.`}
    >
      <div className="form callback">
        {order.problem && now === order && (
          <p className="small">
            <strong>Last attempt:</strong> {order.problem.explanation}
          </p>
        )}
        <div role="status" aria-live="polite">
          {busy === 'paying' && <p>Sending the card to the bank…</p>}
          {busy === 'authenticating' && <p>Waiting for the customer to finish on the bank’s page…</p>}
          {declined && (
            <div className="note note--error" role="alert">
              <strong>Declined.</strong> {now.problem?.explanation} The order is kept: nothing was charged.
            </div>
          )}
        </div>
        {authenticating && !another ? (
          <div className="callback__3ds">
            <p>
              <strong>The bank asks the customer to authenticate this payment.</strong>
            </p>
            <PayLink url={now.payLink!} />
            <div className="btn-row">
              <button
                type="button"
                className="btn btn--primary"
                disabled={busy !== null || !reachable}
                onClick={() => void authenticate()}
              >
                {busy === 'authenticating' ? 'Waiting for the bank…' : 'Open the bank’s page here'}
              </button>
              {info?.motoEnabled && !live && (
                <button
                  type="button"
                  className="btn"
                  disabled={busy !== null || !reachable}
                  onClick={() => void pay(card, true)}
                >
                  Charge as MOTO instead
                </button>
              )}
              <button type="button" className="btn" disabled={busy !== null} onClick={() => setAnother(true)}>
                Another card
              </button>
            </div>
          </div>
        ) : (
          <>
            {info?.motoEnabled && (
              <label className="check">
                <input
                  type="checkbox"
                  checked={moto}
                  onChange={(e) => setMoto(e.target.checked)}
                  disabled={busy !== null}
                />
                Mail or telephone order (MOTO)
              </label>
            )}
            {live ? (
              <LiveCardForm
                publishableKey={info?.publishableKey ?? null}
                disabled={busy !== null || !reachable}
                submitLabel={payLabel}
                customerName={order.customerName}
                onPaymentMethod={(pm) => void pay(pm)}
              />
            ) : cards ? (
              <>
                <TestCardPicker cards={cards} value={card} onChange={setCard} disabled={busy !== null} />
                <button
                  type="button"
                  className="btn btn--primary btn--block"
                  disabled={busy !== null || !reachable}
                  onClick={() => void pay(card)}
                >
                  {payLabel}
                </button>
              </>
            ) : (
              <p className="muted small">Loading test cards…</p>
            )}
          </>
        )}
        {error && <ErrorNote>{error}</ErrorNote>}
        <div className="dialog__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  );
}

export function SavedCardOrders() {
  const user = useSessionStore((s) => s.user);
  const reachable = useSessionStore((s) => s.stripeReachable);
  const manager = isManager(user);
  const [orders, setOrders] = useState<WaitingOrder[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [charging, setCharging] = useState<{ order: WaitingOrder; byLines: boolean } | null>(null);
  const [linkBusy, setLinkBusy] = useState<string | null>(null);
  const [callingBack, setCallingBack] = useState<WaitingOrder | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(
    () =>
      call('waitlist:list', {}).then(
        (list) => {
          setOrders(list);
          setError(null);
        },
        (e: unknown) => setError(errorMessage(e)),
      ),
    [],
  );

  useEffect(() => {
    void load();
    // Stock counted in, a charge made at another station, a customer paying through the link: read again.
    const offs = [
      subscribe('orders:changed', () => void load()),
      subscribe('products:changed', () => void load()),
    ];
    return () => offs.forEach((off) => off());
  }, [load]);

  const sendLink = async (o: WaitingOrder) => {
    setLinkBusy(o.cartId);
    try {
      const after = await call('waitlist:payLink', { cartId: o.cartId });
      setOrders((list) => list?.map((x) => (x.cartId === after.cartId ? after : x)) ?? null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLinkBusy(null);
    }
  };

  return (
    <section className="saved-card-orders" aria-labelledby="saved-cards-title">
      <header className="screen__head">
        <h2 id="saved-cards-title">Saved cards — charged on arrival</h2>
        <span className="muted">{orders ? `${orders.length} waiting` : ''}</span>
      </header>
      {done && (
        <Note tone="success">
          <span role="status">{done}</span>
        </Note>
      )}
      {error && <ErrorNote onRetry={() => void load()}>{error}</ErrorNote>}
      {orders && orders.length === 0 && (
        <Empty title="No orders waiting on a saved card">
          When a waitlist order will take longer than a hold lasts, save the customer’s card at checkout.
        </Empty>
      )}
      {orders && orders.length > 0 && (
        <div className="table-scroll">
          <table className="table saved-cards-table">
            <caption className="sr-only">Orders waiting on a saved card, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Items</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Card</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {orders.map((o) => (
                <tr key={o.cartId} className={`saved-card-row saved-card-row--${o.state}`}>
                  <td>
                    <div className="strong">#{o.orderNumber}</div>
                    <div className="small">{o.customerName}</div>
                    <div className="small muted">
                      {formatDateTime(o.createdAt)}
                      {o.agreement?.expectedArrival
                        ? ` · expected ${formatDate(Date.parse(`${o.agreement.expectedArrival}T12:00:00Z`))}`
                        : ''}
                    </div>
                  </td>
                  <td>
                    {o.items.map((it, i) => (
                      <div key={i} className="small">
                        {it.quantity}× {it.name}{' '}
                        {it.waitlist &&
                          (it.inStock ? (
                            <span className="badge badge--captured">In stock</span>
                          ) : (
                            <span className="badge badge--waitlist">Waitlist</span>
                          ))}
                      </div>
                    ))}
                  </td>
                  <td className="num">
                    <Money amount={o.amount} currency={o.currency} />
                  </td>
                  <td className="small">
                    {o.card ? cardLabel(o.card) : '—'}
                    {o.cardRemoved && <div className="small muted">Removed at the customer’s request</div>}
                  </td>
                  <td>
                    <StateBadge order={o} />
                    {o.problem && <div className="small">{o.problem.explanation}</div>}
                    {o.agreement && (
                      <details className="small">
                        <summary>What the customer agreed to</summary>
                        <blockquote className="consent__terms">{o.agreement.terms}</blockquote>
                        <div className="muted">
                          Agreed {formatDateTime(o.agreement.agreedAt)}, read out by {o.agreement.agreedBy}
                        </div>
                      </details>
                    )}
                    {o.payLink && <PayLink url={o.payLink} />}
                  </td>
                  <td className="actions">
                    {manager && o.state !== 'paid' && !o.cardRemoved && (
                      <button
                        type="button"
                        className="btn btn--primary btn--small"
                        disabled={!reachable || !o.stockArrived}
                        title={o.stockArrived ? undefined : 'Not in stock yet'}
                        aria-label={`Charge order ${o.orderNumber} for ${o.customerName}`}
                        onClick={() => setCharging({ order: o, byLines: false })}
                      >
                        {o.state === 'action_needed' ? 'Try again' : 'Charge'}
                      </button>
                    )}
                    {manager &&
                      o.state !== 'paid' &&
                      !o.cardRemoved &&
                      !o.stockArrived &&
                      o.items.some((i) => i.waitlist && i.inStock) && (
                        <button
                          type="button"
                          className="btn btn--small"
                          disabled={!reachable}
                          aria-label={`Charge the lines in stock of order ${o.orderNumber}`}
                          onClick={() => setCharging({ order: o, byLines: true })}
                        >
                          Charge lines in stock
                        </button>
                      )}
                    {o.state === 'action_needed' && !o.cardRemoved && !o.payLink && (
                      <button
                        type="button"
                        className="btn btn--small"
                        disabled={!reachable || linkBusy === o.cartId}
                        onClick={() => void sendLink(o)}
                      >
                        {linkBusy === o.cartId ? 'Preparing…' : 'Send payment link'}
                      </button>
                    )}
                    {o.state === 'action_needed' && (
                      <button
                        type="button"
                        className="btn btn--small"
                        disabled={!reachable || (!o.stockArrived && !o.problem)}
                        title={o.stockArrived || o.problem ? undefined : 'Not in stock yet'}
                        aria-label={`Call back: take another card for order ${o.orderNumber}`}
                        onClick={() => setCallingBack(o)}
                      >
                        Call back: another card
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!manager && orders && orders.length > 0 && (
        <Note>
          Only a manager can charge a saved card. You can send the customer a payment link, or call them back
          for another card.
        </Note>
      )}
      {callingBack && (
        <CallBackDialog
          order={callingBack}
          onClose={() => {
            setCallingBack(null);
            void load();
          }}
          onDone={(after) => {
            setDone(
              `Order #${after.orderNumber} was paid with the card taken on the phone: ${formatMoney(after.amount, after.currency)}.`,
            );
            void load();
          }}
        />
      )}
      {charging && (
        <ChargeDialog
          order={charging.order}
          byLines={charging.byLines}
          onClose={() => setCharging(null)}
          onDone={(after) => {
            setDone(
              after.state === 'paid'
                ? `Order #${after.orderNumber} was charged ${formatMoney(after.amount, after.currency)}.`
                : `Order #${after.orderNumber} needs the customer: ${after.problem?.explanation ?? ''}`,
            );
            void load();
          }}
        />
      )}
    </section>
  );
}
