// How a waitlist order waits, chosen at checkout: hold the money (the card is authorized now and captured when
// the stock arrives — but an authorization lapses after about a week), or save the card and charge it on
// arrival. The console suggests one from the expected arrival (as staff enter it, or the product's usual lead
// time). Saving the card needs the customer's agreement: staff read the words out, and those exact words are
// kept with the order.
import { useEffect, useId, useState } from 'react';
import type { Cart, WaitChoice, WaitOptions } from '../../../electron/ipc/contract';
import { ErrorNote } from '../../components/States';
import { call, errorMessage } from '../../lib/ipc';
import { formatDate } from '../../lib/format';
import '../waitlist/waitlist.css';

/** What checkout sends with the payment (payments:pay), and whether it may be sent yet. */
export interface WaitSelection {
  waitlist: WaitChoice;
  saveCard: boolean;
  consentText?: string;
  expectedArrival?: string;
  /** Saving the card needs the customer's agreement first. */
  ready: boolean;
}

export const defaultWait: WaitSelection = { waitlist: 'hold', saveCard: false, ready: true };

export function WaitlistChoice({
  cart,
  disabled,
  onChange,
  legend = 'Some items are out of stock. How should this order wait?',
}: {
  /** The question asked (a split order's waiting part says which items wait). */
  legend?: string;
  /** The waitlist cart, or a cart's waiting part (its id, total and lines). */
  cart: Pick<Cart, 'id' | 'total' | 'lines'>;
  disabled: boolean;
  onChange: (s: WaitSelection) => void;
}) {
  const id = useId();
  const [eta, setEta] = useState('');
  const [options, setOptions] = useState<WaitOptions | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<WaitChoice | null>(null);
  const [alsoSave, setAlsoSave] = useState(false);
  // The words the customer agreed to: words read out for one order are not agreement to another.
  const [agreedTo, setAgreedTo] = useState<string | null>(null);

  // The suggestion and the words follow the cart (amount, items) and the date.
  const cartKey = `${cart.id}|${cart.total}|${cart.lines.map((l) => `${l.sku}:${l.quantity}`).join(',')}`;
  useEffect(() => {
    let stale = false;
    const t = setTimeout(() => {
      call('waitlist:options', {
        cartId: cart.id,
        ...(/^\d{4}-\d{2}-\d{2}$/.test(eta) ? { expectedArrival: eta } : {}),
      })
        .then((o) => {
          if (stale) return;
          setOptions(o);
          setError(null);
          if (!eta && o.expectedArrival) setEta(o.expectedArrival);
        })
        .catch((e: unknown) => !stale && setError(errorMessage(e)));
    }, 150);
    return () => {
      stale = true;
      clearTimeout(t);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- cartKey stands for the cart's content
  }, [cartKey, eta]);

  const chosen: WaitChoice = mode ?? options?.suggested ?? 'hold';
  const saving = chosen === 'save_card' || alsoSave;
  const terms = options ? (chosen === 'save_card' ? options.terms.saveCard : options.terms.holdAndSave) : '';

  const agreed = agreedTo !== null && agreedTo === terms;

  useEffect(() => {
    onChange({
      waitlist: chosen,
      saveCard: chosen === 'hold' && alsoSave,
      ...(saving && agreed ? { consentText: terms } : {}),
      ...(/^\d{4}-\d{2}-\d{2}$/.test(eta) ? { expectedArrival: eta } : {}),
      ready: !saving || (agreed && terms !== ''),
    });
  }, [chosen, alsoSave, saving, agreed, terms, eta, onChange]);

  const days = options ? Math.round(options.authorizationDays) : 7;
  return (
    <fieldset className="waitlist-choice" disabled={disabled} aria-describedby={`${id}-why`}>
      <legend className="waitlist-choice__legend">{legend}</legend>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-eta`}>
          Expected arrival
        </label>
        <input
          id={`${id}-eta`}
          className="input"
          type="date"
          value={eta}
          onChange={(e) => setEta(e.target.value)}
        />
        {options?.arrivalSource === 'lead_time' && options.leadTimeDays !== null && (
          <span className="field__hint">
            From the supplier’s usual lead time ({options.leadTimeDays} days).
          </span>
        )}
      </div>
      <p id={`${id}-why`} className="small waitlist-choice__why">
        <strong>Suggested: {options?.suggested === 'save_card' ? 'save the card' : 'hold the money'}.</strong>{' '}
        {options?.reason ?? 'Checking the authorization window…'}
      </p>
      <div className="waitlist-choice__options" role="radiogroup" aria-label="How the order waits">
        <label className="radio">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={chosen === 'hold'}
            onChange={() => setMode('hold')}
          />
          <span>
            <strong>Hold the money</strong>
            <span className="small muted">
              {' '}
              — authorized now, captured when it arrives; a hold lasts about {days} days
              {options ? ` (until ${formatDate(options.holdLapsesAt)})` : ''}.
            </span>
          </span>
        </label>
        {chosen === 'hold' && (
          <label className="check waitlist-choice__also">
            <input type="checkbox" checked={alsoSave} onChange={(e) => setAlsoSave(e.target.checked)} />
            Also save the card, so it is charged on arrival if the hold lapses
          </label>
        )}
        <label className="radio">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={chosen === 'save_card'}
            onChange={() => setMode('save_card')}
          />
          <span>
            <strong>Save the card, charge on arrival</strong>
            <span className="small muted">
              {' '}
              — nothing is charged today; a manager charges it when the stock is in.
            </span>
          </span>
        </label>
      </div>
      {saving && terms && (
        <div className="consent" aria-labelledby={`${id}-consent`}>
          <p id={`${id}-consent`} className="consent__title">
            Read this to the customer:
          </p>
          <blockquote className="consent__terms">{terms}</blockquote>
          <label className="check">
            <input
              type="checkbox"
              checked={agreed}
              onChange={(e) => setAgreedTo(e.target.checked ? terms : null)}
            />
            The customer agreed
          </label>
        </div>
      )}
      {error && <ErrorNote>{error}</ErrorNote>}
    </fieldset>
  );
}
