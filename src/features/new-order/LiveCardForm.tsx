// Live (and real test-key) card entry: Stripe Elements in a frame from js.stripe.com, then a PaymentMethod.
// In the desktop app the card is taken in a window of its own on an https origin (Stripe.js refuses live
// keys elsewhere; see electron/main/card-entry/card-page.ts); browser mode has no such window and shows
// the form inline, as before.
import { useEffect, useRef, useState } from 'react';
import { call, IpcCallError } from '../../lib/ipc';
import { loadStripeJs, type StripeCardElement, type StripeJs } from '../../lib/stripe-js';

export function LiveCardForm({
  publishableKey,
  disabled,
  submitLabel,
  customerName,
  onPaymentMethod,
}: {
  publishableKey: string | null;
  disabled: boolean;
  submitLabel: string;
  customerName: string;
  onPaymentMethod: (pm: string) => void;
}) {
  const mountRef = useRef<HTMLDivElement>(null);
  const stripeRef = useRef<StripeJs | null>(null);
  const cardRef = useRef<StripeCardElement | null>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);
  const [complete, setComplete] = useState(false);
  const [creating, setCreating] = useState(false);
  const [where, setWhere] = useState<'window' | 'inline'>('window');

  useEffect(() => {
    if (!publishableKey || where !== 'inline') return;
    let cancelled = false;
    loadStripeJs()
      .then((factory) => {
        if (cancelled || !mountRef.current) return;
        const stripe = factory(publishableKey);
        const card = stripe.elements().create('card', { hidePostalCode: false });
        card.mount(mountRef.current);
        card.on('change', (e) => {
          setComplete(e.complete);
          setError(e.error?.message ?? null);
        });
        stripeRef.current = stripe;
        cardRef.current = card;
        setStatus('ready');
      })
      .catch((e: Error) => {
        if (!cancelled) {
          setStatus('error');
          setError(e.message);
        }
      });
    return () => {
      cancelled = true;
      cardRef.current?.destroy();
      cardRef.current = null;
    };
  }, [publishableKey, where]);

  if (!publishableKey) {
    return (
      <p className="note note--warning">Add the publishable key (pk_…) in Settings to take card payments.</p>
    );
  }

  const enterInWindow = async () => {
    setCreating(true);
    setError(null);
    try {
      const r = await call('payments:collectCard', {
        customerName: customerName.slice(0, 200),
        amountLabel: submitLabel.slice(0, 40),
      });
      if ('paymentMethodId' in r) onPaymentMethod(r.paymentMethodId);
    } catch (e) {
      if (e instanceof IpcCallError && e.code === 'not_available') setWhere('inline');
      else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setCreating(false);
    }
  };

  if (where === 'window') {
    return (
      <div className="live-card">
        <CardError error={error} />
        <button
          type="button"
          className="btn btn--primary btn--block"
          disabled={disabled || creating}
          onClick={() => void enterInWindow()}
        >
          {creating ? 'Waiting for the card window…' : `Enter card details: ${submitLabel}`}
        </button>
      </div>
    );
  }

  const submit = async () => {
    if (!stripeRef.current || !cardRef.current) return;
    setCreating(true);
    setError(null);
    const res = await stripeRef.current.createPaymentMethod({
      type: 'card',
      card: cardRef.current,
      billing_details: customerName ? { name: customerName } : {},
    });
    setCreating(false);
    if (res.error || !res.paymentMethod) setError(res.error?.message ?? 'The card could not be read.');
    else onPaymentMethod(res.paymentMethod.id);
  };

  return (
    <div className="live-card">
      <div className="field">
        <span className="field__label" id="card-label">
          Card
        </span>
        <div ref={mountRef} className="input stripe-element" aria-labelledby="card-label" />
      </div>
      {status === 'loading' && <p className="muted small">Loading the secure card field…</p>}
      <CardError error={error} />
      <button
        type="button"
        className="btn btn--primary btn--block"
        disabled={disabled || status !== 'ready' || !complete || creating}
        onClick={() => void submit()}
      >
        {creating ? 'Reading the card…' : submitLabel}
      </button>
    </div>
  );
}

function CardError({ error }: { error: string | null }) {
  return error ? (
    <p className="field__error" role="alert">
      {error}
    </p>
  ) : null;
}
