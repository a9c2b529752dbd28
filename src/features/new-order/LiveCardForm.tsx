// Live (and real test-key) card entry: Stripe Elements in a frame from js.stripe.com, then a PaymentMethod.
import { useEffect, useRef, useState } from 'react';
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

  useEffect(() => {
    if (!publishableKey) return;
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
  }, [publishableKey]);

  if (!publishableKey) {
    return (
      <p className="note note--warning">Add the publishable key (pk_…) in Settings to take card payments.</p>
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
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
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
