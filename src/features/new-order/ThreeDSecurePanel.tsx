// 3D Secure on a phone call: the customer can't see the staff member's screen, so the console gives the bank's
// page as a secure link for the customer to open on their own phone or computer — copied, or handed to the mail
// or messages app with the shop's message — and follows the payment until it goes through. Opening the page here
// (the customer is in the shop, or a demo), MOTO where the account allows it, another card, or cancelling are
// the other ways on, one at a time.
import { useEffect, useId, useState } from 'react';
import type { Cart } from '../../../electron/ipc/contract';
import { phoneUri } from '../../../electron/ipc/phone';
import { call, errorMessage, isDesktop } from '../../lib/ipc';
import { formatMoney } from '../../lib/money';
import { formatTime } from '../../lib/format';
import { useSessionStore } from '../../stores/session-store';

export function linkMessage(
  template: string,
  v: { link: string; amount: string; order: string; shop: string },
): string {
  return template
    .replace(/\{link\}/g, v.link)
    .replace(/\{amount\}/g, v.amount)
    .replace(/\{order\}/g, v.order)
    .replace(/\{shop\}/g, v.shop);
}

export function ThreeDSecurePanel({
  cart,
  busy,
  email,
  phone,
  moto,
  onAuthenticate,
  onMoto,
  onAnotherCard,
  onCancel,
  onCheck,
}: {
  cart: Cart;
  busy: boolean;
  email: string;
  phone: string;
  moto: boolean;
  onAuthenticate: () => void;
  onMoto: () => void;
  onAnotherCard: () => void;
  onCancel: () => void;
  onCheck: () => void;
}) {
  const info = useSessionStore((s) => s.info);
  const id = useId();
  const [shop, setShop] = useState('the shop');
  const [sent, setSent] = useState<{ via: 'email' | 'text' | 'copy'; at: number } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    call('shop:settings', {})
      .then((s) => live && s.name && setShop(s.name))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  const link = cart.authenticationUrl ?? '';
  const amount = formatMoney(cart.total, cart.currency);
  const order = cart.orderNumber ? `#${cart.orderNumber}` : 'your order';
  const message = linkMessage(info?.linkMessage ?? '{link}', { link, amount, order, shop });
  const mailto = email.trim()
    ? `mailto:${encodeURIComponent(email.trim())}?subject=${encodeURIComponent(`Confirm your payment for ${order}`)}&body=${encodeURIComponent(message)}`
    : null;
  const sms = phone.trim()
    ? `sms:${phoneUri(phone.trim(), info?.country ?? 'US')}?body=${encodeURIComponent(message)}`
    : null;

  const record = (via: 'email' | 'text' | 'copy', to?: string) => {
    setSent({ via, at: Date.now() });
    void call('payments:linkSent', { cartId: cart.id, via, ...(to ? { to } : {}) }).catch((e: unknown) =>
      setNote(errorMessage(e)),
    );
  };
  // Recorded as sent only when it really was: on the clipboard, or taken by the mail or messages app.
  const copy = async () => {
    const copied = await call('clipboard:write', { text: message })
      .then((r) => r.copied)
      .catch(() => false);
    if (!copied) {
      setNote('Select the link above and copy it (the clipboard is not available here).');
      return;
    }
    setNote('Copied: the message and the link are on the clipboard.');
    record('copy');
  };
  const handOff = async (url: string, via: 'email' | 'text', to: string) => {
    const opened = await call('links:open', { url })
      .then((r) => r.opened)
      .catch(() => false);
    if (!opened) {
      setNote(
        `No ${via === 'email' ? 'mail' : 'messages'} app took the link on this computer: copy it and send it another way.`,
      );
      return;
    }
    record(via, to);
  };

  return (
    <div className="note note--info threeds" role="group" aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`}>
        <strong>The customer’s bank asks them to confirm this payment (3D Secure).</strong> On the phone, send
        them a secure link to confirm on their own phone or computer. This screen follows the payment and
        shows it paid as soon as they have.
      </p>
      <div className="threeds__link">
        <label className="field__label" htmlFor={`${id}-link`}>
          Secure link for the customer
        </label>
        <div className="threeds__row">
          <input
            id={`${id}-link`}
            className="input mono"
            readOnly
            value={link}
            onFocus={(e) => e.target.select()}
          />
          <button type="button" className="btn" onClick={() => void copy()} disabled={!link}>
            Copy link
          </button>
        </div>
      </div>
      <div className="btn-row">
        {mailto ? (
          <a
            className="btn btn--primary"
            href={mailto}
            onClick={(e) => {
              // The desktop app asks main to hand the link over and learns whether an app took it; in a
              // browser the link itself goes to the browser, which hands it over.
              if (!isDesktop()) return record('email', email.trim());
              e.preventDefault();
              void handOff(mailto, 'email', email.trim());
            }}
          >
            Email the link to {email.trim()}
          </a>
        ) : (
          <span className="muted small">Add the customer’s email above to email the link.</span>
        )}
        {sms ? (
          <a
            className={`btn ${mailto ? '' : 'btn--primary'}`}
            href={sms}
            onClick={(e) => {
              // The desktop app asks main to hand the link over and learns whether an app took it; in a
              // browser the link itself goes to the browser, which hands it over.
              if (!isDesktop()) return record('text', phone.trim());
              e.preventDefault();
              void handOff(sms, 'text', phone.trim());
            }}
          >
            Text the link to {phone.trim()}
          </a>
        ) : (
          <span className="muted small">Add a phone number to text it.</span>
        )}
      </div>
      {sent && (
        <p className="threeds__waiting" role="status">
          Link {sent.via === 'copy' ? 'copied' : `sent by ${sent.via}`} at {formatTime(sent.at)}. Waiting for
          the customer to confirm with their bank…{' '}
          <button type="button" className="btn btn--small" disabled={busy} onClick={onCheck}>
            Check now
          </button>
        </p>
      )}
      {note && <p className="small">{note}</p>}
      <div className="threeds__other">
        <span className="small muted">Or:</span>
        <button type="button" className="btn btn--small" disabled={busy} onClick={onAuthenticate}>
          {busy ? 'Authenticating…' : 'Open the bank’s page here'}
        </button>
        {moto && (
          <button type="button" className="btn btn--small" disabled={busy} onClick={onMoto}>
            Take it as a phone order (MOTO)
          </button>
        )}
        <button type="button" className="btn btn--small" disabled={busy} onClick={onAnotherCard}>
          Use another card
        </button>
        <button type="button" className="btn btn--ghost btn--small" disabled={busy} onClick={onCancel}>
          Cancel order
        </button>
      </div>
    </div>
  );
}
