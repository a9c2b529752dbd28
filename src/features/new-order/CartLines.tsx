// The order's lines: quantities, waitlist flags and the live total.
import { useState } from 'react';
import type { Cart } from '../../../electron/ipc/contract';
import { Money } from '../../components/Money';
import { Empty } from '../../components/States';
import { useCartStore } from '../../stores/cart-store';
import { ShippingFeeRow } from '../order-extras/ShippingFeeRow';

export function CartLines({ cart, locked }: { cart: Cart | null; locked: boolean }) {
  const setQuantity = useCartStore((s) => s.setQuantity);
  const removeLine = useCartStore((s) => s.removeLine);
  const lines = cart?.lines ?? [];
  return (
    <section className="panel" aria-labelledby="cart-title">
      <div className="panel__head">
        <h2 id="cart-title">Order</h2>
        {cart?.waitlist && <span className="badge badge--waitlist">Waitlist order</span>}
      </div>
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
                    {l.sku} · <Money amount={l.unitAmount} currency={cart!.currency} /> each
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
                      key={`${l.productId}:${l.quantity}`}
                      name={l.name}
                      quantity={l.quantity}
                      disabled={locked}
                      onCommit={(n) => void setQuantity(l.productId, n)}
                    />
                    <button
                      type="button"
                      className="btn btn--icon"
                      aria-label={`One more ${l.name}`}
                      disabled={locked || l.quantity >= 999}
                      onClick={() => void setQuantity(l.productId, l.quantity + 1)}
                    >
                      +
                    </button>
                  </div>
                </td>
                <td className="num">
                  <Money amount={l.lineTotal} currency={cart!.currency} />
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
            <ShippingFeeRow cart={cart!} locked={locked} />
            <tr>
              <th scope="row" colSpan={2}>
                Total
              </th>
              <td className="num total" aria-label="Order total">
                <Money amount={cart!.total} currency={cart!.currency} />
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
      )}
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
 * "112"), and committed on Enter or leaving the field; an empty or invalid entry goes back to the saved one.
 */
function QuantityInput(props: {
  name: string;
  quantity: number;
  disabled: boolean;
  onCommit: (n: number) => void;
}) {
  const [text, setText] = useState(String(props.quantity));
  const commit = () => {
    const n = Number(text);
    if (text.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= 999) {
      if (n !== props.quantity) props.onCommit(n);
    } else setText(String(props.quantity));
  };
  return (
    <input
      className="input input--qty"
      inputMode="numeric"
      aria-label={`Quantity of ${props.name}`}
      value={text}
      disabled={props.disabled}
      onChange={(e) => setText(e.target.value.replace(/\D/g, '').slice(0, 3))}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        }
      }}
    />
  );
}
