// Taking the payment, shown live: creating → awaiting card → authenticating → succeeded / on hold /
// declined (with the reason in plain words and a retry). One payment at a time: the button is disabled
// while a payment runs, and nothing offers to pay again while the outcome is being confirmed.
import { useEffect, useId, useState } from 'react';
import type { Cart, TestCard } from '../../../electron/ipc/contract';
import { Money } from '../../components/Money';
import { ErrorNote, Note } from '../../components/States';
import { formatMoney } from '../../lib/money';
import { call } from '../../lib/ipc';
import { quantityBlock, useCartStore, type CartBusy } from '../../stores/cart-store';
import { useSessionStore } from '../../stores/session-store';
import { LiveCardForm } from './LiveCardForm';
import { ThreeDSecurePanel } from './ThreeDSecurePanel';
import { defaultWait, WaitlistChoice, type WaitSelection } from './WaitlistChoice';
import { pricingBlock } from './Discounts';

/** What the total is made of, in one line: subtotal, discount, shipping, tax (the pay button names the total). */
function PriceSummary({ cart }: { cart: Cart }) {
  const p = cart.pricing!;
  const m = (n: number) => formatMoney(n, cart.currency);
  const parts = [`Subtotal ${m(p.subtotal)}`];
  if (p.discountTotal > 0) parts.push(`Discount −${m(p.discountTotal)}`);
  if (p.shipping > 0) parts.push(`Shipping ${m(p.shipping)}`);
  if (p.mode !== 'none')
    parts.push(p.state === 'priced' ? `Tax ${m(p.taxTotal)}${p.inclusive ? ' (included)' : ''}` : 'Tax —');
  return (
    <p className="checkout__summary muted small" aria-label="Price summary">
      {parts.join(' · ')}
    </p>
  );
}

type Step = 'creating' | 'card' | 'authenticating' | 'result';

function currentStep(cart: Cart | null, busy: CartBusy): Step | null {
  if (!cart) return null;
  if (busy === 'paying' && cart.phase === 'building') return 'creating';
  switch (cart.phase) {
    case 'building':
      return null;
    case 'awaiting_card':
      return busy === 'paying' ? 'creating' : 'card';
    case 'authenticating':
      return 'authenticating';
    default:
      return 'result';
  }
}

export function PaymentSteps({ cart, busy }: { cart: Cart | null; busy: CartBusy }) {
  const step = currentStep(cart, busy);
  // Whether this payment went through 3D Secure: only then is that step done; otherwise it is skipped.
  const [auth, setAuth] = useState<{ cartId: string | null; seen: boolean }>({ cartId: null, seen: false });
  const cartId = cart?.id ?? null;
  const seenNow = cart?.phase === 'authenticating';
  if (auth.cartId !== cartId || (seenNow && !auth.seen))
    setAuth({ cartId, seen: seenNow || (auth.cartId === cartId && auth.seen) });
  const authenticated = auth.cartId === cartId && (auth.seen || seenNow);
  const order: Step[] = ['creating', 'card', 'authenticating', 'result'];
  const at = step ? order.indexOf(step) : -1;
  const resultLabel =
    cart?.phase === 'succeeded'
      ? 'Succeeded'
      : cart?.phase === 'on_hold'
        ? 'On hold'
        : cart?.phase === 'card_saved'
          ? 'Card saved'
          : cart?.phase === 'pending_confirmation'
            ? 'Confirming'
            : cart?.phase === 'canceled'
              ? 'Canceled'
              : cart?.phase === 'processing'
                ? 'Processing'
                : 'Result';
  const labels: Record<Step, string> = {
    creating: 'Creating',
    card: cart?.lastDecline ? 'Declined' : 'Card',
    authenticating: '3D Secure',
    result: resultLabel,
  };
  return (
    <ol className="steps" aria-label="Payment progress">
      {order.map((s, i) => (
        <li
          key={s}
          className={`steps__item ${i < at ? (s === 'authenticating' && !authenticated ? 'steps__item--skipped' : 'steps__item--done') : ''} ${i === at ? 'steps__item--current' : ''} ${
            s === 'card' && cart?.lastDecline && i === at ? 'steps__item--bad' : ''
          }`}
          aria-current={i === at ? 'step' : undefined}
        >
          {labels[s]}
          {i < at && s === 'authenticating' && !authenticated && (
            <span className="sr-only"> (not needed)</span>
          )}
        </li>
      ))}
    </ol>
  );
}

/** The test card to pay with (demo and test mode); also used to take another card on a call back. */
export function TestCardPicker({
  cards,
  value,
  onChange,
  disabled,
}: {
  cards: TestCard[];
  value: string;
  onChange: (pm: string) => void;
  disabled: boolean;
}) {
  const id = useId();
  const groups: { label: string; outcome: TestCard['outcome'] }[] = [
    { label: 'Succeeds', outcome: 'succeeds' },
    { label: 'Declines', outcome: 'declines' },
    { label: '3D Secure', outcome: 'authentication' },
  ];
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        Test card
      </label>
      <select
        id={id}
        className="input"
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
      >
        {groups.map((g) => (
          <optgroup key={g.outcome} label={g.label}>
            {cards
              .filter((c) => c.outcome === g.outcome)
              .map((c) => (
                <option key={c.paymentMethod} value={c.paymentMethod}>
                  {c.label}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

export function Checkout() {
  const cart = useCartStore((s) => s.cart);
  const busy = useCartStore((s) => s.busy);
  const error = useCartStore((s) => s.error);
  const errorCode = useCartStore((s) => s.errorCode);
  const testCards = useCartStore((s) => s.testCards);
  const loadTestCards = useCartStore((s) => s.loadTestCards);
  const pay = useCartStore((s) => s.pay);
  const authenticate = useCartStore((s) => s.authenticate);
  const refresh = useCartStore((s) => s.refresh);
  const discard = useCartStore((s) => s.discard);
  const startNew = useCartStore((s) => s.startNew);
  const customerName = useCartStore((s) => s.customer.name);
  const info = useSessionStore((s) => s.info);
  const reachable = useSessionStore((s) => s.stripeReachable);
  const setScreen = useSessionStore((s) => s.setScreen);
  const card = useCartStore((s) => s.card);
  const setCard = useCartStore((s) => s.setCard);
  const customerEmail = useCartStore((s) => s.customer.email);
  const customerPhone = useCartStore((s) => s.customer.phone);
  const quantityErrors = useCartStore((s) => s.quantityErrors);
  const stockQuestion = useCartStore((s) => s.stockQuestion);
  const [moto, setMoto] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  // During 3D Secure staff may take another card instead: it is confirmed on the same payment. The choice
  // belongs to this cart (events may refresh it meanwhile) and ends when the next card is sent.
  const [choosingCardFor, setChoosingCardFor] = useState<string | null>(null);
  // A waitlist cart: hold the money or save the card (with the customer's agreement), as chosen below.
  const [wait, setWait] = useState<WaitSelection>(defaultWait);
  // A waiting part still to be paid (the items not in stock, a second order paid right after with the same card):
  // the hold-or-save choice below is its own then.
  const part =
    cart?.waitingPart &&
    cart.waitingPart.status === 'open' &&
    ['building', 'awaiting_card'].includes(cart.waitingPart.phase) &&
    !cart.waitingPart.lastDecline
      ? cart.waitingPart
      : null;
  const waits = !!cart?.waitlist || !!part;
  const waitArgs = (): Parameters<typeof pay>[2] =>
    waits
      ? {
          waitlist: wait.waitlist,
          saveCard: wait.saveCard,
          ...(wait.consentText ? { consentText: wait.consentText } : {}),
          ...(wait.expectedArrival ? { expectedArrival: wait.expectedArrival } : {}),
        }
      : undefined;

  const live = info?.mode === 'live';
  useEffect(() => {
    if (!live) void loadTestCards();
  }, [live, loadTestCards]);

  const phase = cart?.phase ?? 'building';
  const hasItems = (cart?.lines.length ?? 0) > 0;
  const choosingCard = phase === 'authenticating' && !!cart && choosingCardFor === cart.id;
  const canPay =
    hasItems &&
    (phase === 'building' || phase === 'awaiting_card' || (phase === 'authenticating' && choosingCard)) &&
    cart?.status === 'open';
  const paying = busy === 'paying';
  // While a quantity field is invalid the cart's total is of the last valid quantity: no amount is named,
  // and nothing can be charged or held.
  const blocked = cart
    ? (quantityBlock(quantityErrors, cart.lines, stockQuestion) ?? pricingBlock(cart))
    : null;
  const payDisabled = !canPay || busy !== 'idle' || !reachable || (waits && !wait.ready) || !!blocked;
  const amount = cart ? formatMoney(cart.total, cart.currency) : '';
  const partAmount = cart && part ? formatMoney(part.total, cart.currency) : '';
  const expectedWaitingTotal = part?.total;
  // The amount the button names when pressed: main refuses to charge any other.
  const expectedTotal = cart?.total;
  const payLabel = paying
    ? 'Taking payment…'
    : blocked
      ? stockQuestion
        ? 'Choose how many first'
        : cart && quantityBlock(quantityErrors, cart.lines, null)
          ? 'Fix the quantity first'
          : 'Not priced yet'
      : part && cart?.status === 'open'
        ? `Charge ${amount} now, ${wait.waitlist === 'save_card' ? 'save card for' : 'hold'} ${partAmount}`
        : cart?.waitlist && wait.waitlist === 'save_card'
          ? `Save card — charge ${amount} on arrival`
          : cart?.waitlist
            ? `Authorize ${amount} (hold)`
            : cart?.lastDecline
              ? `Retry ${amount} with this card`
              : `Charge ${amount}`;

  return (
    <section className="panel checkout" aria-labelledby="checkout-title">
      <div className="panel__head">
        <h2 id="checkout-title">Payment</h2>
        {cart && cart.total > 0 && !blocked && (
          <Money amount={cart.total} currency={cart.currency} className="checkout__total" />
        )}
      </div>
      {cart && cart.pricing && hasItems && <PriceSummary cart={cart} />}
      {cart?.waitingPart && cart.status === 'open' && (
        <p className="small muted">
          And <Money amount={cart.waitingPart.total} currency={cart.currency} /> for the waiting items, a
          second order on the same card.
        </p>
      )}
      <PaymentSteps cart={cart} busy={busy} />

      <div className="checkout__status" role="status" aria-live="polite">
        {paying && phase === 'building' && <p>Creating the payment with Stripe…</p>}
        {paying && phase !== 'building' && <p>Sending the card to the bank…</p>}
        {busy === 'authenticating' && (
          <p>Waiting for the customer to finish authentication in the bank’s window…</p>
        )}
        {busy === 'refreshing' && <p>Checking with Stripe…</p>}
        {!paying && phase === 'building' && !hasItems && (
          <p className="muted">Add items and the customer, then take payment.</p>
        )}
        {/* The outcome, said in this live region that already exists, so screen readers announce it. */}
        {cart && phase === 'succeeded' && (
          <span className="sr-only">{`The payment of ${amount} went through.`}</span>
        )}
        {cart && phase === 'on_hold' && (
          <span className="sr-only">{`The card was authorized for ${amount}; a manager captures it later.`}</span>
        )}
        {cart && phase === 'card_saved' && (
          <span className="sr-only">{`The card was saved; ${amount} is charged when the stock arrives.`}</span>
        )}
        {cart && phase === 'authenticating' && busy === 'idle' && (
          <span className="sr-only">The bank asks the customer to authenticate this payment.</span>
        )}
      </div>

      {cart?.lastDecline && phase === 'awaiting_card' && !paying && (
        <div className="note note--error" role="alert">
          <strong>Declined.</strong> {cart.lastDecline.explanation}
          <div className="small muted">Choose another card below and try again — the order is kept.</div>
        </div>
      )}

      {phase === 'authenticating' && cart && !choosingCard && !confirmCancel && (
        <ThreeDSecurePanel
          cart={cart}
          busy={busy !== 'idle'}
          email={customerEmail}
          phone={customerPhone}
          moto={!!info?.motoEnabled && !live}
          onAuthenticate={() => void authenticate()}
          onMoto={() => void pay(card, true)}
          onAnotherCard={() => setChoosingCardFor(cart.id)}
          onCancel={() => setConfirmCancel(true)}
          onCheck={() => void refresh()}
        />
      )}
      {phase === 'authenticating' && choosingCard && (
        <div className="btn-row">
          <span className="small">Taking another card on the same payment.</span>
          <button type="button" className="btn btn--small" onClick={() => setChoosingCardFor(null)}>
            Back to 3D Secure
          </button>
        </div>
      )}

      {(phase === 'pending_confirmation' || phase === 'processing') && (
        <div className="note note--warning" role="alert">
          <p>
            <strong>
              {phase === 'processing'
                ? 'The bank is still processing the payment.'
                : 'Confirming with Stripe.'}
            </strong>{' '}
            The outcome of this payment is being confirmed with Stripe. Don’t take the payment again — it
            settles on its own, or check now.
          </p>
          <button type="button" className="btn" disabled={busy !== 'idle'} onClick={() => void refresh()}>
            {busy === 'refreshing' ? 'Checking…' : 'Check again'}
          </button>
        </div>
      )}

      {phase === 'succeeded' && cart && (
        <div className="note note--success" role="status">
          <p>
            <strong>Payment succeeded.</strong> <Money amount={cart.total} currency={cart.currency} /> charged
            {cart.customer ? ` to ${cart.customer.name}` : ''}.
          </p>
          <p className="small">
            {cart.orderId
              ? `Order #${cart.orderNumber ?? ''} is in Orders.`
              : 'The order appears in Orders in a moment.'}
          </p>
          {cart.waitingPart && <WaitingOutcome cart={cart} />}
          <div className="btn-row">
            <button type="button" className="btn btn--primary" onClick={startNew}>
              Next order
            </button>
            <button type="button" className="btn" onClick={() => setScreen('orders')}>
              Go to Orders
            </button>
          </div>
        </div>
      )}

      {phase === 'on_hold' && cart && (
        <div className="note note--success" role="status">
          <p>
            <strong>On hold.</strong> <Money amount={cart.total} currency={cart.currency} /> authorized on the
            card. It is charged when a manager captures the hold (Holds).
          </p>
          <p className="small">
            {cart.orderNumber
              ? `Order #${cart.orderNumber} is in Orders, awaiting stock.`
              : 'The order appears in Orders in a moment, awaiting stock.'}
          </p>
          <div className="btn-row">
            <button type="button" className="btn btn--primary" onClick={startNew}>
              Next order
            </button>
            <button type="button" className="btn" onClick={() => setScreen('orders')}>
              Go to Orders
            </button>
          </div>
        </div>
      )}

      {phase === 'card_saved' && cart && (
        <div className="note note--success" role="status">
          <p>
            <strong>Card saved.</strong> Nothing was charged today:{' '}
            <Money amount={cart.total} currency={cart.currency} /> is charged to the saved card when the stock
            arrives.
          </p>
          <p className="small">
            Order #{cart.orderNumber ?? ''} waits in Orders; a manager charges it from Holds (“Saved cards”).
          </p>
          <div className="btn-row">
            <button type="button" className="btn btn--primary" onClick={startNew}>
              Next order
            </button>
          </div>
        </div>
      )}

      {phase === 'canceled' && (
        <div className="note note--info">
          <p>This order was canceled; the card was not charged.</p>
          <button type="button" className="btn btn--primary" onClick={startNew}>
            Start a new order
          </button>
        </div>
      )}

      {/* A pending outcome has its own note above; a second, red one with Stripe's words would only alarm. */}
      {error && errorCode !== 'card_declined' && errorCode !== 'pending_confirmation' && (
        <ErrorNote>{error}</ErrorNote>
      )}
      {error && errorCode === 'card_declined' && !cart?.lastDecline && <ErrorNote>{error}</ErrorNote>}

      {canPay && cart?.waitingOf && phase === 'building' && !cart.lastDecline && (
        <div className="note note--info">
          <p>
            These are the waiting items of an order paid just before: they are held with the card that paid
            it, or take another card below.
          </p>
          <button type="button" className="btn" disabled={busy !== 'idle'} onClick={() => void refresh()}>
            {busy === 'refreshing' ? 'Sending…' : 'Use the same card'}
          </button>
        </div>
      )}
      {canPay && (
        <div className="checkout__pay">
          {cart?.waitlist && <WaitlistChoice cart={cart} disabled={busy !== 'idle'} onChange={setWait} />}
          {!cart?.waitlist && part && (
            <WaitlistChoice
              cart={{ id: part.cartId, total: part.total, lines: part.lines }}
              disabled={busy !== 'idle'}
              onChange={setWait}
              legend={`The ${part.lines.reduce((n, l) => n + l.quantity, 0)} waiting items are paid with the same card. How should they wait?`}
            />
          )}
          {info?.motoEnabled && (
            <label className="check">
              <input
                type="checkbox"
                checked={moto}
                onChange={(e) => setMoto(e.target.checked)}
                disabled={busy !== 'idle'}
              />
              Mail or telephone order (MOTO)
            </label>
          )}
          {live ? (
            <LiveCardForm
              publishableKey={info?.publishableKey ?? null}
              disabled={payDisabled}
              submitLabel={payLabel}
              customerName={customerName}
              onPaymentMethod={(pm) => {
                setChoosingCardFor(null);
                void pay(pm, moto, waitArgs(), expectedTotal, expectedWaitingTotal);
              }}
            />
          ) : (
            <>
              {testCards && testCards.length > 0 ? (
                <TestCardPicker
                  cards={testCards}
                  value={card}
                  onChange={setCard}
                  disabled={busy !== 'idle'}
                />
              ) : (
                <p className="muted small">Loading test cards…</p>
              )}
              <button
                type="button"
                className="btn btn--primary btn--block btn--large checkout__paybtn"
                disabled={payDisabled || !testCards?.length}
                aria-busy={paying}
                onClick={() => {
                  setChoosingCardFor(null);
                  void pay(card, moto, waitArgs(), expectedTotal, expectedWaitingTotal);
                }}
              >
                {payLabel}
              </button>
              {blocked && <Note tone="warning">{blocked}</Note>}
              {!reachable && <Note tone="warning">Payments are paused: Stripe can’t be reached.</Note>}
            </>
          )}
        </div>
      )}

      {cart && cart.status === 'open' && (phase !== 'authenticating' || confirmCancel) && (
        <div className="checkout__footer">
          {confirmCancel ? (
            <span className="btn-row">
              <span className="small">Cancel this order?</span>
              <button type="button" className="btn btn--danger btn--small" onClick={() => void discard()}>
                Yes, cancel it
              </button>
              <button
                type="button"
                className="btn btn--ghost btn--small"
                onClick={() => setConfirmCancel(false)}
              >
                Keep it
              </button>
            </span>
          ) : (
            <button
              type="button"
              className="btn btn--ghost btn--small"
              disabled={busy !== 'idle' || phase === 'pending_confirmation'}
              onClick={() => setConfirmCancel(true)}
            >
              Cancel order
            </button>
          )}
        </div>
      )}
    </section>
  );
}

/**
 * After the first order of a split is paid: what became of its waiting part. Held or saved: said, with its order
 * number. Not taken (a decline, the bank's check for it too): staff open it, to send the link or take another card.
 */
function WaitingOutcome({ cart }: { cart: Cart }) {
  const resume = useCartStore((s) => s.resume);
  const refresh = useCartStore((s) => s.refresh);
  const busy = useCartStore((s) => s.busy);
  const part = cart.waitingPart!;
  const number = part.orderNumber ? `Order #${part.orderNumber}` : 'The waiting order';
  if (part.phase === 'on_hold')
    return (
      <p className="small">
        <strong>And held:</strong> <Money amount={part.total} currency={cart.currency} /> for the waiting
        items, on the same card. {number} is in Orders, awaiting stock.
      </p>
    );
  if (part.phase === 'card_saved')
    return (
      <p className="small">
        <strong>And the card saved:</strong> <Money amount={part.total} currency={cart.currency} /> is charged
        when the waiting items arrive. {number} is in Orders, awaiting stock.
      </p>
    );
  const open = async () => {
    const c = await call('carts:get', { cartId: part.cartId });
    resume(c);
  };
  return (
    <div className="note note--warning" role="alert">
      <p>
        <strong>The waiting items are not held yet</strong> (
        <Money amount={part.total} currency={cart.currency} />
        ).{' '}
        {part.phase === 'authenticating'
          ? 'The bank wants the customer to confirm this payment too.'
          : part.lastDecline
            ? part.lastDecline.explanation
            : 'Hold them with the same card now.'}
      </p>
      <div className="btn-row">
        {part.phase === 'building' && !part.lastDecline && (
          <button type="button" className="btn" disabled={busy !== 'idle'} onClick={() => void refresh()}>
            Hold with the same card
          </button>
        )}
        <button type="button" className="btn" onClick={() => void open()}>
          Open the waiting order
        </button>
      </div>
    </div>
  );
}
