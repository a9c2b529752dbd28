// The order's lines: quantities, waitlist flags and the live total.
import { useEffect, useId, useRef, useState } from 'react';
import type { Cart } from '../../../electron/ipc/contract';
import { Money } from '../../components/Money';
import { Empty } from '../../components/States';
import { useCartStore } from '../../stores/cart-store';
import { LIMITS, parseQuantity } from '../../lib/validation';
import { ShippingFeeRow } from '../order-extras/ShippingFeeRow';
import { Discounts, PricingRows } from './Discounts';
import './pricing.css';

export function CartLines({ cart, locked }: { cart: Cart | null; locked: boolean }) {
  const setQuantity = useCartStore((s) => s.setQuantity);
  const removeLine = useCartStore((s) => s.removeLine);
  const quantityErrors = useCartStore((s) => s.quantityErrors);
  const answered = useCartStore((s) => s.answered);
  const lines = cart?.lines ?? [];
  // A line whose quantity field is invalid has no total yet, and neither has the order.
  const unknown = lines.some((l) => quantityErrors[l.productId]);
  return (
    <section className="panel" aria-labelledby="cart-title">
      <div className="panel__head">
        <h2 id="cart-title">Order</h2>
        {cart?.waitlist && <span className="badge badge--waitlist">Waitlist order</span>}
      </div>
      <StockQuestionPanel />
      {lines.length === 0 ? (
        <Empty title="No items yet">Search for a product and press Enter to add it.</Empty>
      ) : (
        <table className="table cart-table">
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col" className="num">
                Qty
              </th>
              <th scope="col" className="num">
                Total
              </th>
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.productId}>
                <td>
                  <div className="line__name">{l.name}</div>
                  <div className="line__meta">
                    <span className="nowrap">{l.sku}</span> ·{' '}
                    <span className="nowrap">
                      <Money amount={l.unitAmount} currency={cart!.currency} /> each
                    </span>
                    {l.waitlist && (
                      <span className="badge badge--waitlist" title="Not enough stock: paid as a hold">
                        Waitlist
                      </span>
                    )}
                  </div>
                </td>
                <td className="num">
                  <div className="qty">
                    <button
                      type="button"
                      className="btn btn--icon"
                      aria-label={`One less ${l.name}`}
                      disabled={locked || l.quantity <= 1}
                      onClick={() => void setQuantity(l.productId, l.quantity - 1)}
                    >
                      −
                    </button>
                    <QuantityInput
                      key={`${l.productId}:${l.quantity}:${answered}`}
                      productId={l.productId}
                      name={l.name}
                      quantity={l.quantity}
                      disabled={locked}
                      onCommit={(n) => void setQuantity(l.productId, n)}
                    />
                    <button
                      type="button"
                      className="btn btn--icon"
                      aria-label={`One more ${l.name}`}
                      disabled={locked || l.quantity >= LIMITS.quantityMax}
                      onClick={() => void setQuantity(l.productId, l.quantity + 1)}
                    >
                      +
                    </button>
                  </div>
                </td>
                <td className="num">
                  {quantityErrors[l.productId] ? (
                    <span className="muted" title="Fix the quantity to see the total">
                      —
                    </span>
                  ) : (
                    <Money amount={l.lineTotal} currency={cart!.currency} />
                  )}
                </td>
                <td className="num">
                  <button
                    type="button"
                    className="btn btn--ghost btn--icon"
                    aria-label={`Remove ${l.name}`}
                    title="Remove"
                    disabled={locked}
                    onClick={() => void removeLine(l.productId)}
                  >
                    ✕
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <PricingRows cart={cart!} part="subtotal" />
            <ShippingFeeRow cart={cart!} locked={locked} />
            <PricingRows cart={cart!} part="tax" />
            <tr>
              <th scope="row" colSpan={2}>
                Total
              </th>
              <td className="num total" aria-label="Order total">
                {unknown ? (
                  <span className="muted" title="Fix the quantity to see the total">
                    —
                  </span>
                ) : (
                  <Money amount={cart!.total} currency={cart!.currency} />
                )}
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
      )}
      {cart?.waitingPart && <WaitingPartBox cart={cart} locked={locked} />}
      {cart && lines.length > 0 && <Discounts cart={cart} locked={locked} />}
      {cart?.waitlist && (
        <p className="note note--warning">
          Some items are out of stock. The card is authorized now (a hold) and charged when the items arrive —
          a manager captures it in Holds.
        </p>
      )}
    </section>
  );
}

/**
 * The quantity as typed: kept as text while editing (so it can be cleared and retyped — "12" is twelve, not
 * "112"), checked as it is typed against the contract's limits, and committed on Enter or leaving the field
 * when it is a whole number from 1 to 999. Anything else says why next to the field and changes nothing:
 * "2.5" is not 25, "1e3" is not 13, "-3" is not 3, "999999" is not 999.
 */
function QuantityInput(props: {
  productId: string;
  name: string;
  quantity: number;
  disabled: boolean;
  onCommit: (n: number) => void;
}) {
  const [text, setText] = useState(String(props.quantity));
  const errorId = useId();
  const parsed = parseQuantity(text);
  const error = parsed.ok ? null : parsed.reason;
  // The cart knows which fields are invalid, so nothing is paid at a quantity the screen does not show.
  const setQuantityError = useCartStore((s) => s.setQuantityError);
  const { productId } = props;
  useEffect(() => {
    setQuantityError(productId, error);
  }, [productId, error, setQuantityError]);
  useEffect(() => () => setQuantityError(productId, null), [productId, setQuantityError]);
  // Enter commits, and so does leaving the field: the same value is sent once (else clicking an answer to the
  // stock question, which leaves the field, would ask the question again).
  const sent = useRef<number | null>(null);
  const commit = () => {
    if (!parsed.ok || parsed.value === props.quantity || parsed.value === sent.current) return;
    sent.current = parsed.value;
    props.onCommit(parsed.value);
  };
  return (
    <span className="qty__field">
      <input
        className="input input--qty"
        inputMode="numeric"
        aria-label={`Quantity of ${props.name}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        value={text}
        disabled={props.disabled}
        maxLength={12}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          } else if (e.key === 'Escape') {
            setText(String(props.quantity));
          }
        }}
      />
      {error && (
        <span id={errorId} className="field__error qty__error">
          {error}
        </span>
      )}
    </span>
  );
}

/**
 * More was asked than is available: say so and let staff choose — the units in stock now and the rest waiting (a
 * second order, paid right after with the same card), the units in stock only, or all of them waiting (the order
 * becomes a waitlist order, paid by a hold or a saved card). Nothing changes until they do.
 */
function StockQuestionPanel() {
  const q = useCartStore((s) => s.stockQuestion);
  const answer = useCartStore((s) => s.answerStock);
  const id = useId();
  if (!q) return null;
  const missing = q.wanted - q.available;
  return (
    <div className="note note--warning stock-question" role="group" aria-labelledby={id}>
      <p id={id}>
        <strong>
          {q.available > 0
            ? `Only ${q.available} ${q.name} ${q.available === 1 ? 'is' : 'are'} in stock`
            : `${q.name} is out of stock`}
        </strong>{' '}
        ({q.wanted} asked
        {q.available > 0 ? `, ${missing} missing` : ''}).{' '}
        {q.available > 0
          ? `Send ${q.available} now and the ${missing} waiting as a second order (the same card: held or saved, charged when they arrive), or choose below.`
          : 'Waiting items make this a waitlist order: the card is held or saved, and charged when they arrive.'}
      </p>
      <div className="btn-row">
        {q.available > 0 && (
          <button
            type="button"
            className="btn btn--primary btn--small"
            autoFocus
            onClick={() => void answer('split')}
          >
            {`${q.available} now, ${missing} waiting`}
          </button>
        )}
        {q.available > 0 && (
          <button type="button" className="btn btn--small" onClick={() => void answer('in_stock')}>
            {`Only the ${q.available} in stock`}
          </button>
        )}
        <button
          type="button"
          className="btn btn--small"
          autoFocus={q.available === 0}
          onClick={() => void answer('all_waiting')}
        >
          {q.wanted === 1 ? 'Add it waiting for stock' : `All ${q.wanted} waiting`}
        </button>
        <button type="button" className="btn btn--ghost btn--small" onClick={() => void answer('cancel')}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** What the waiting part is in words, once the checkout reached it. */
function waitingState(part: NonNullable<Cart['waitingPart']>): string | null {
  if (part.phase === 'on_hold') return 'Held on the card: charged when the stock arrives.';
  if (part.phase === 'card_saved') return 'Card saved: charged when the stock arrives.';
  if (part.phase === 'authenticating') return 'The bank wants the customer to confirm this one too.';
  if (part.lastDecline) return `Not taken: ${part.lastDecline.explanation}`;
  return null;
}

/**
 * The waiting part (issue 23 item 13): what is not in stock, as a second order for the same customer, paid right
 * after this one with the same card. Its own order number, its own total (its tax; no second shipping fee).
 */
function WaitingPartBox({ cart, locked }: { cart: Cart; locked: boolean }) {
  const drop = useCartStore((s) => s.dropWaiting);
  const id = useId();
  const part = cart.waitingPart!;
  const state = waitingState(part);
  return (
    <section className="waiting-part" aria-labelledby={id}>
      <div className="waiting-part__head">
        <h3 id={id}>
          Waiting for stock{part.orderNumber ? ` · order ${part.orderNumber}` : ': a second order'}
        </h3>
        <span className="badge badge--waitlist">Waitlist</span>
      </div>
      <ul className="waiting-part__lines">
        {part.lines.map((l) => (
          <li key={l.productId}>
            <span>
              {l.quantity} × {l.name}
            </span>
            <Money amount={l.lineTotal} currency={cart.currency} />
          </li>
        ))}
        {part.taxTotal > 0 && (
          <li className="muted">
            <span>Tax</span>
            <Money amount={part.taxTotal} currency={cart.currency} />
          </li>
        )}
        <li className="waiting-part__total">
          <span>Waiting total</span>
          <span aria-label="Waiting total">
            <Money amount={part.total} currency={cart.currency} />
          </span>
        </li>
      </ul>
      {state ? (
        <p className="small" role="status">
          {state}
        </p>
      ) : (
        <p className="small muted">
          Paid with the same card right after this order: held, or the card saved, as chosen below. No second
          shipping fee.
        </p>
      )}
      {!locked && part.status === 'open' && part.phase === 'building' && (
        <button type="button" className="btn btn--ghost btn--small" onClick={() => void drop()}>
          Drop the waiting items
        </button>
      )}
    </section>
  );
}
