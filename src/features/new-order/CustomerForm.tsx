// The customer: name (with lookup of returning customers), email, phone and shipping address.
import { useEffect, useId, useRef, useState } from 'react';
import type { Customer } from '../../../electron/ipc/contract';
import { call } from '../../lib/ipc';
import { useCartStore } from '../../stores/cart-store';

export function CustomerForm({ locked }: { locked: boolean }) {
  const customer = useCartStore((s) => s.customer);
  const setCustomer = useCartStore((s) => s.setCustomer);
  const pickCustomer = useCartStore((s) => s.pickCustomer);
  const [matches, setMatches] = useState<Customer[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const seq = useRef(0);
  const id = useId();

  const lookup = customer.name.trim();
  useEffect(() => {
    const mine = ++seq.current;
    if (lookup.length < 2) return;
    const t = setTimeout(async () => {
      try {
        const rows = await call('customers:search', { query: lookup.slice(0, 100) });
        if (mine === seq.current) setMatches(rows);
      } catch {
        if (mine === seq.current) setMatches([]);
      }
    }, 200);
    return () => clearTimeout(t);
  }, [lookup]);

  const shown = open && lookup.length >= 2 ? matches.filter((m) => m.name !== customer.name || m.email) : [];
  const choose = (c: Customer) => {
    pickCustomer(c);
    setOpen(false);
    setActive(-1);
  };

  const field = (
    key: keyof typeof customer,
    label: string,
    props: React.InputHTMLAttributes<HTMLInputElement> = {},
  ) => (
    <div className={`field field--${key}`}>
      <label className="field__label" htmlFor={`${id}-${key}`}>
        {label}
      </label>
      <input
        id={`${id}-${key}`}
        className="input"
        value={customer[key]}
        disabled={locked}
        onChange={(e) => setCustomer({ [key]: e.target.value })}
        {...props}
      />
    </div>
  );

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <div className="panel__head">
        <h2 id={`${id}-title`}>Customer</h2>
      </div>
      <div className="field combo">
        <label className="field__label" htmlFor={`${id}-name`}>
          Customer name
        </label>
        <input
          id={`${id}-name`}
          className="input"
          autoComplete="off"
          role="combobox"
          aria-expanded={shown.length > 0}
          aria-controls={`${id}-matches`}
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 && shown[active] ? `${id}-m-${active}` : undefined}
          value={customer.name}
          disabled={locked}
          onChange={(e) => {
            setCustomer({ name: e.target.value });
            setOpen(true);
            setActive(-1);
          }}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && shown.length) {
              e.preventDefault();
              setActive((a) => Math.min(shown.length - 1, a + 1));
            } else if (e.key === 'ArrowUp' && shown.length) {
              e.preventDefault();
              setActive((a) => Math.max(0, a - 1));
            } else if (e.key === 'Enter' && active >= 0 && shown[active]) {
              e.preventDefault();
              choose(shown[active]);
            } else if (e.key === 'Escape') {
              setOpen(false);
            }
          }}
        />
        {shown.length > 0 && (
          <ul className="combo__list" id={`${id}-matches`} role="listbox" aria-label="Returning customers">
            {shown.map((m, i) => (
              <li
                key={m.id}
                id={`${id}-m-${i}`}
                role="option"
                aria-selected={i === active}
                className={`combo__option ${i === active ? 'combo__option--active' : ''}`}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => choose(m)}
              >
                <strong>{m.name}</strong>
                <span className="muted small">
                  {[m.email, m.phone, m.shipping?.city].filter(Boolean).join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="grid-2">
        {field('email', 'Email', { type: 'email', autoComplete: 'off' })}
        {field('phone', 'Phone', { type: 'tel', autoComplete: 'off' })}
      </div>
      <fieldset className="fieldset">
        <legend>Shipping address</legend>
        <div className="grid-2">
          {field('line1', 'Address line 1')}
          {field('line2', 'Address line 2')}
        </div>
        <div className="grid-address">
          {field('city', 'City')}
          {field('state', 'State')}
          {field('postalCode', 'Postal code')}
          {field('country', 'Country', { maxLength: 2 })}
        </div>
      </fieldset>
    </section>
  );
}
