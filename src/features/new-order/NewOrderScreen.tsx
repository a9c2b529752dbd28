// New phone order: products and the order's lines on the left, the customer in the middle, payment on the right —
// all of it within a 1280×720 window, the smallest supported.
import { useEffect, useState } from 'react';
import type { Cart } from '../../../electron/ipc/contract';
import { Money } from '../../components/Money';
import { call } from '../../lib/ipc';
import { formatDateTime } from '../../lib/format';
import { useCartStore } from '../../stores/cart-store';
import { CartLines } from './CartLines';
import { Checkout } from './Checkout';
import { CustomerForm } from './CustomerForm';
import { ProductSearch } from './ProductSearch';
import { PaymentInProgressItem, usePaymentsInProgress } from '../payments/PaymentsInProgress';

function OpenCarts() {
  const resume = useCartStore((s) => s.resume);
  const [carts, setCarts] = useState<Cart[] | null>(null);
  // Every station's payments in progress (issue 23 item 5): those taken here resume from their cart; those of
  // another station can have their link sent again, or be cancelled.
  const { payments: others, setPayments: setOthers } = usePaymentsInProgress();
  useEffect(() => {
    let live = true;
    call('carts:listOpen', {})
      .then((c) => live && setCarts(c.filter((x) => x.lines.length > 0)))
      .catch(() => live && setCarts([]));
    return () => {
      live = false;
    };
  }, []);
  const mine = new Set((carts ?? []).map((c) => c.id));
  const elsewhere = (others ?? []).filter((p) => !p.cartId || !mine.has(p.cartId));
  if ((!carts || carts.length === 0) && elsewhere.length === 0) return null;
  // Payments waiting for the customer (3D Secure) first: their link can be sent again, or they can be cancelled.
  const ordered = [...(carts ?? [])].sort(
    (a, b) => Number(b.phase === 'authenticating') - Number(a.phase === 'authenticating'),
  );
  return (
    <section className="panel" aria-labelledby="open-carts-title">
      <div className="panel__head">
        <h2 id="open-carts-title">In progress</h2>
      </div>
      <ul className="plain-list">
        {ordered.slice(0, 5).map((c) => (
          <li key={c.id} className="open-cart">
            <span>
              <strong>{c.customer?.name ?? 'No customer yet'}</strong>{' '}
              {c.phase === 'authenticating' && (
                <span className="badge badge--waitlist">Waiting for 3D Secure</span>
              )}{' '}
              {c.waitingOf && <span className="badge badge--waitlist">Waiting items of a paid order</span>}{' '}
              {c.waitingPart && (
                <span className="muted small">
                  (and <Money amount={c.waitingPart.total} currency={c.currency} /> waiting for stock){' '}
                </span>
              )}
              <span className="muted small">
                {c.lines.length} item{c.lines.length === 1 ? '' : 's'} · {formatDateTime(c.updatedAt)} ·{' '}
                {c.createdBy}
              </span>
            </span>
            <Money amount={c.total} currency={c.currency} />
            <button
              type="button"
              className="btn btn--small"
              aria-label={`Resume the order for ${c.customer?.name ?? 'no customer yet'}`}
              onClick={() => resume(c)}
            >
              Resume
            </button>
          </li>
        ))}
        {elsewhere.slice(0, 5).map((p) => (
          <PaymentInProgressItem key={p.paymentIntentId} p={p} onChanged={setOthers} />
        ))}
      </ul>
    </section>
  );
}

export function NewOrderScreen() {
  const cart = useCartStore((s) => s.cart);
  const orderSeq = useCartStore((s) => s.orderSeq);
  const addProduct = useCartStore((s) => s.addProduct);
  const busy = useCartStore((s) => s.busy);
  const onCartChanged = useCartStore((s) => s.onCartChanged);
  const startNew = useCartStore((s) => s.startNew);
  const phase = cart?.phase ?? 'building';
  const locked = !!cart && (cart.status !== 'open' || !['building', 'awaiting_card'].includes(phase));
  // A finished order (paid, on hold, cancelled): choosing a product starts the next order with it.
  const finished = !!cart && cart.status !== 'open';

  // After payment the order is made from Stripe's event within a second or so: look for it.
  const waitingForOrder = !!cart && (phase === 'succeeded' || phase === 'on_hold') && !cart.orderId;
  const cartId = cart?.id;
  useEffect(() => {
    if (!waitingForOrder || !cartId) return;
    let n = 0;
    const t = setInterval(() => {
      if (++n > 30) clearInterval(t);
      void onCartChanged(cartId);
    }, 1000);
    return () => clearInterval(t);
  }, [waitingForOrder, cartId, onCartChanged]);

  return (
    <div className="new-order">
      <header className="screen__head">
        <h1>New phone order</h1>
        {busy === 'updating' && (
          <span className="muted small" role="status">
            Saving…
          </span>
        )}
      </header>
      <div className="new-order__grid">
        <div className="new-order__col">
          <ProductSearch
            key={orderSeq}
            onAdd={(p) => {
              if (finished) startNew();
              void addProduct(p);
            }}
            disabled={locked && !finished}
            hint={finished ? '↑ ↓ to choose · Enter starts the next order with it' : undefined}
          />
          {/* Payments in progress first, where a reload or Back leaves staff (issue 23 item 5). */}
          {!cart && <OpenCarts />}
          <CartLines cart={cart} locked={locked} />
        </div>
        <div className="new-order__col">
          <CustomerForm key={orderSeq} locked={!!cart && cart.status !== 'open'} />
        </div>
        <div className="new-order__col">
          <Checkout />
        </div>
      </div>
    </div>
  );
}
