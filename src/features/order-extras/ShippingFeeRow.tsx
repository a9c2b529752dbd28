// The shipping fee on a phone order: a line of its own below the items (in the total, and in the order's
// content at Stripe). A shipped order starts with the shop's usual fee (cart-store); staff type another, or go
// back to the usual one in one click. Changing it is allowed until the card is being charged, like the items.
import { useEffect, useState } from 'react';
import type { Cart } from '../../../electron/ipc/contract';
import { call, errorMessage } from '../../lib/ipc';
import { formatMoney, parseMoney, toInputString } from '../../lib/money';
import { useCartStore } from '../../stores/cart-store';
import { useGlanceStore } from '../../stores/glance-store';
import { useSessionStore } from '../../stores/session-store';
import './order-extras.css';

export function ShippingFeeRow({ cart, locked }: { cart: Cart; locked: boolean }) {
  const fee = cart.shippingFee ?? 0;
  const [text, setText] = useState(fee ? toInputString(fee, cart.currency) : '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const shop = useGlanceStore((s) => s.shop);
  const loadShop = useGlanceStore((s) => s.loadShop);
  useEffect(() => {
    if (!shop) void loadShop();
  }, [shop, loadShop]);
  // The fee as main last answered it: what is typed goes back to it when main's answer changes.
  const [shown, setShown] = useState(fee);
  if (shown !== fee) {
    setShown(fee);
    setText(fee ? toInputString(fee, cart.currency) : '');
  }

  const commit = async (value: string) => {
    const parsed =
      value.trim() === '' ? ({ ok: true, amount: 0 } as const) : parseMoney(value, cart.currency);
    if (!parsed.ok) return setError(parsed.reason);
    if (parsed.amount > 1_000_000) return setError('That shipping fee is too high.');
    setError(null);
    if (parsed.amount === fee) return;
    useCartStore.getState().setFeeTouched(); // staff chose this order's fee: the usual one no longer follows
    setBusy(true);
    try {
      const updated = await call('carts:update', { cartId: cart.id, shippingFee: parsed.amount });
      useCartStore.setState({ cart: updated });
    } catch (e) {
      useSessionStore.getState().noteError(e);
      setError(errorMessage(e));
      setText(fee ? toInputString(fee, cart.currency) : '');
    } finally {
      setBusy(false);
    }
  };
  const usual = shop?.defaultShippingFee ?? 0;
  return (
    <tr className="shipping-row">
      <th scope="row" colSpan={2}>
        <label htmlFor={`shipping-${cart.id}`}>Shipping</label>
        {usual > 0 && fee !== usual && !locked && (
          <button
            type="button"
            className="btn btn--ghost btn--small"
            disabled={busy}
            onClick={() => void commit(toInputString(usual, cart.currency))}
          >
            Usual {formatMoney(usual, cart.currency)}
          </button>
        )}
        {error && (
          <span className="field__error" id={`shipping-${cart.id}-error`}>
            {error}
          </span>
        )}
      </th>
      <td className="num">
        <input
          id={`shipping-${cart.id}`}
          className="input input--money shipping-fee-input"
          inputMode="decimal"
          placeholder="0.00"
          value={text}
          disabled={locked || busy}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `shipping-${cart.id}-error` : undefined}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => void commit(text)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void commit(text);
            }
          }}
        />
      </td>
      <td />
    </tr>
  );
}
