// A customer's saved cards (brand, last 4, expiry — never more) with the orders waiting on each. Removing a card
// at the customer's request detaches it in Stripe, and says which waiting orders need another card.
import { useCallback, useEffect, useState } from 'react';
import type { CustomerSavedCard } from '../../../electron/ipc/contract';
import { Dialog } from '../../components/Dialog';
import { ErrorNote, Note } from '../../components/States';
import { call, errorMessage, subscribe } from '../../lib/ipc';
import { formatMoney } from '../../lib/money';
import { cardLabel } from '../waitlist/SavedCardOrders';
import '../waitlist/waitlist.css';

function RemoveDialog({
  customerId,
  card,
  onClose,
  onDone,
}: {
  customerId: string;
  card: CustomerSavedCard;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const waiting = card.waitingOrders.filter((o) => o.state !== 'paid');
  return (
    <Dialog title="Remove this card?" tone="danger" onClose={onClose} description={cardLabel(card)}>
      <div className="form">
        {waiting.length > 0 ? (
          <p className="confirm-text">
            {waiting.length === 1 ? 'One order waits' : `${waiting.length} orders wait`} on this card:{' '}
            {waiting.map((o) => `#${o.orderNumber} (${formatMoney(o.amount, o.currency)})`).join(', ')}.
            Without it, the customer must give another card before the stock arrives.
          </p>
        ) : (
          <p className="confirm-text">No waiting order uses this card.</p>
        )}
        {error && <ErrorNote>{error}</ErrorNote>}
        <div className="dialog__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Keep it
          </button>
          <button
            type="button"
            className="btn btn--danger"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              setError(null);
              call('customers:removeCard', { customerId, paymentMethodId: card.id }).then(
                (r) => {
                  onDone(r.message);
                  onClose();
                },
                (e: unknown) => {
                  setError(errorMessage(e));
                  setBusy(false);
                },
              );
            }}
          >
            {busy ? 'Removing…' : 'Remove card'}
          </button>
        </div>
      </div>
    </Dialog>
  );
}

export function SavedCardsSection({ customerId }: { customerId: string }) {
  const [cards, setCards] = useState<CustomerSavedCard[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<CustomerSavedCard | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(
    () =>
      call('customers:savedCards', { customerId }).then(
        (list) => {
          setCards(list);
          setError(null);
        },
        (e: unknown) => setError(errorMessage(e)),
      ),
    [customerId],
  );

  useEffect(() => {
    void load();
    const off = subscribe('orders:changed', () => void load());
    return off;
  }, [load]);

  return (
    <section aria-labelledby="customer-saved-cards">
      <h3 id="customer-saved-cards">Saved cards</h3>
      {message && (
        <Note tone="success">
          <span role="status">{message}</span>
        </Note>
      )}
      {error && <ErrorNote onRetry={() => void load()}>{error}</ErrorNote>}
      {cards && cards.length === 0 && <p className="muted small">No saved card.</p>}
      {cards && cards.length > 0 && (
        <ul className="saved-cards">
          {cards.map((c) => (
            <li key={c.id} className="customer-card saved-cards__card">
              <div className="strong">{cardLabel(c)}</div>
              {c.waitingOrders.length > 0 ? (
                <div className="small">
                  Waiting on it:{' '}
                  {c.waitingOrders
                    .map((o) => `#${o.orderNumber} (${formatMoney(o.amount, o.currency)})`)
                    .join(', ')}
                </div>
              ) : (
                <div className="small muted">No order waits on it.</div>
              )}
              <button
                type="button"
                className="btn btn--small btn--ghost"
                aria-label={`Remove ${cardLabel(c)}`}
                onClick={() => setRemoving(c)}
              >
                Remove card
              </button>
            </li>
          ))}
        </ul>
      )}
      {removing && (
        <RemoveDialog
          customerId={customerId}
          card={removing}
          onClose={() => setRemoving(null)}
          onDone={(m) => {
            setMessage(m);
            void load();
          }}
        />
      )}
    </section>
  );
}
