// The customer: name, email and phone — a returning customer is looked up from whichever of the three staff start
// typing in — then how the order reaches them (shipped, or collected in person) and, to ship, the address the
// country's carriers need. Every field checks what is typed against the contract's limits and says what is wrong
// next to it; what a payment needs (the name, a complete address) is asked for once staff leave the field or try
// to take payment.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { Customer } from '../../../electron/ipc/contract';
import { addressRules, countryOptions } from '../../../electron/ipc/address';
import { checkPhone, formatPhone, phoneSearchDigits } from '../../../electron/ipc/phone';
import { Field } from '../../components/Field';
import { call } from '../../lib/ipc';
import { customerErrors, LIMITS, type CustomerFields } from '../../lib/validation';
import { useCartStore } from '../../stores/cart-store';
import { useSessionStore } from '../../stores/session-store';

type Key = keyof CustomerFields;
type LookupField = 'name' | 'email' | 'phone';

/** Returning customers matching what is typed in one of the lookup fields (name, email, phone). */
function useLookup(field: LookupField | null, text: string, country: string) {
  const [matches, setMatches] = useState<Customer[]>([]);
  const seq = useRef(0);
  const q = text.trim();
  const enough = field === 'phone' ? phoneSearchDigits(q, country) !== null : q.length >= 2;
  useEffect(() => {
    const mine = ++seq.current;
    if (!field || !enough) return;
    const t = setTimeout(async () => {
      try {
        const rows = await call('customers:search', { query: q.slice(0, LIMITS.customerQuery) });
        if (mine === seq.current) setMatches(rows);
      } catch {
        if (mine === seq.current) setMatches([]);
      }
    }, 200);
    return () => clearTimeout(t);
  }, [field, q, enough]);
  return field && enough ? matches : [];
}

export function CustomerForm({ locked }: { locked: boolean }) {
  const customer = useCartStore((s) => s.customer);
  const setCustomer = useCartStore((s) => s.setCustomer);
  const pickCustomer = useCartStore((s) => s.pickCustomer);
  const delivery = useCartStore((s) => s.delivery);
  const setDelivery = useCartStore((s) => s.setDelivery);
  const attempted = useCartStore((s) => s.attempted);
  const country = useSessionStore((s) => s.info?.country ?? 'US');
  const id = useId();
  const [touched, setTouched] = useState<Partial<Record<Key, boolean>>>({});
  const [active, setActive] = useState<LookupField | null>(null);
  const [open, setOpen] = useState(false);
  const [highlight, setHighlight] = useState(-1);
  // Leaving a lookup field closes its list a moment later (so a click on a match still lands); moving to another
  // lookup field must not close the list that field opens.
  const closing = useRef<ReturnType<typeof setTimeout> | null>(null);

  const ship = delivery === 'ship';
  const errors = customerErrors(customer, { shopCountry: country, ship, required: true });
  // Too long or not a phone number: said while typing. Missing: once the field was left, or payment was tried.
  const shown = (k: Key): string | null => {
    const e = errors[k];
    if (!e) return null;
    if (attempted || touched[k]) return e;
    return /^At most|^Use digits/.test(e) ? e : null;
  };
  const syncCustomer = useCartStore((s) => s.syncCustomer);
  // Stripe Tax could not place the ship-to address (customer_tax_location_invalid): said at the address.
  const placeError = useCartStore((s) => s.cart?.pricing?.errors['destination.address'] ?? null);
  const leave = (k: Key) => {
    setTouched((t) => (t[k] ? t : { ...t, [k]: true }));
    // Leaving a field of the address: the cart is priced again for it (tax follows the ship-to address).
    void syncCustomer();
  };

  const matches = useLookup(active, active ? customer[active] : '', country);
  const visible = open
    ? matches.filter((m) => m.name !== customer.name || m.email !== (customer.email || undefined))
    : [];
  const choose = (c: Customer) => {
    pickCustomer(c);
    setOpen(false);
    setHighlight(-1);
  };
  const rules = addressRules(customer.country || country);
  const countries = useMemo(() => countryOptions(country), [country]);
  const phone = customer.phone.trim() ? checkPhone(customer.phone, country) : null;

  const lookupProps = (k: LookupField) => ({
    role: 'combobox' as const,
    'aria-autocomplete': 'list' as const,
    'aria-expanded': active === k && visible.length > 0,
    'aria-controls': `${id}-matches-${k}`,
    'aria-activedescendant':
      active === k && highlight >= 0 && visible[highlight] ? `${id}-m-${highlight}` : undefined,
    onFocus: () => {
      if (closing.current) clearTimeout(closing.current);
      setActive(k);
    },
    onBlur: () => {
      leave(k);
      closing.current = setTimeout(() => setOpen(false), 150);
    },
    onKeyDown: (e: React.KeyboardEvent) => {
      if (e.key === 'ArrowDown' && visible.length) {
        e.preventDefault();
        setHighlight((a) => Math.min(visible.length - 1, a + 1));
      } else if (e.key === 'ArrowUp' && visible.length) {
        e.preventDefault();
        setHighlight((a) => Math.max(0, a - 1));
      } else if (e.key === 'Enter' && highlight >= 0 && visible[highlight]) {
        e.preventDefault();
        choose(visible[highlight]);
      } else if (e.key === 'Escape') {
        setOpen(false);
      }
    },
  });

  const list = (k: LookupField) =>
    active === k && visible.length > 0 ? (
      <ul className="combo__list" id={`${id}-matches-${k}`} role="listbox" aria-label="Returning customers">
        {visible.map((m, i) => (
          <li
            key={m.id}
            id={`${id}-m-${i}`}
            role="option"
            aria-selected={i === highlight}
            className={`combo__option ${i === highlight ? 'combo__option--active' : ''}`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(m)}
          >
            <strong>{m.name}</strong>
            <span className="muted small">
              {[m.email, m.phone ? formatPhone(m.phone, country) : null, m.shipping?.city]
                .filter(Boolean)
                .join(' · ')}
            </span>
          </li>
        ))}
      </ul>
    ) : null;

  const text = (
    k: Key,
    label: string,
    props: React.InputHTMLAttributes<HTMLInputElement> = {},
    hint?: string,
  ) => (
    <Field label={label} error={shown(k)} hint={hint} className={`field--${k}`}>
      <input
        className="input"
        value={customer[k]}
        disabled={locked}
        autoComplete="off"
        onChange={(e) => setCustomer({ [k]: e.target.value })}
        onBlur={() => leave(k)}
        {...props}
      />
    </Field>
  );

  return (
    <section className="panel customer" aria-labelledby={`${id}-title`}>
      <div className="panel__head">
        <h2 id={`${id}-title`}>Customer</h2>
        <span className="muted small">Type a name, email or phone to find a returning customer</span>
      </div>
      <div className="customer__contact">
        <div className="combo">
          <Field label="Customer name" error={shown('name')}>
            <input
              className="input"
              value={customer.name}
              disabled={locked}
              autoComplete="off"
              {...lookupProps('name')}
              onChange={(e) => {
                setCustomer({ name: e.target.value });
                setOpen(true);
                setHighlight(-1);
              }}
            />
          </Field>
          {list('name')}
        </div>
        <div className="combo">
          <Field label="Email" error={shown('email')}>
            <input
              className="input"
              type="email"
              value={customer.email}
              disabled={locked}
              autoComplete="off"
              {...lookupProps('email')}
              onChange={(e) => {
                setCustomer({ email: e.target.value });
                setOpen(true);
                setHighlight(-1);
              }}
            />
          </Field>
          {list('email')}
        </div>
        <div className="combo">
          <Field
            label="Phone"
            error={shown('phone')}
            hint={phone?.ok ? `Saved as ${phone.international}` : undefined}
          >
            <input
              className="input"
              type="tel"
              value={customer.phone}
              disabled={locked}
              autoComplete="off"
              {...lookupProps('phone')}
              onChange={(e) => {
                setCustomer({ phone: e.target.value });
                setOpen(true);
                setHighlight(-1);
              }}
            />
          </Field>
          {list('phone')}
        </div>
      </div>
      <fieldset className="fieldset delivery" disabled={locked}>
        <legend>Delivery</legend>
        <label className="check">
          <input type="radio" name={`${id}-delivery`} checked={ship} onChange={() => setDelivery('ship')} />
          Ship to the customer
        </label>
        <label className="check">
          <input
            type="radio"
            name={`${id}-delivery`}
            checked={!ship}
            onChange={() => setDelivery('collect')}
          />
          Collected in person
        </label>
      </fieldset>
      {ship ? (
        <fieldset className="fieldset address">
          <legend>Shipping address</legend>
          <div className="grid-address-lines">
            {text('line1', 'Address line 1')}
            {text('line2', 'Address line 2', { placeholder: 'Optional' })}
          </div>
          <div className="grid-address">
            {text('city', 'City')}
            {text('state', rules.stateLabel, rules.stateRequired ? {} : { placeholder: 'Optional' })}
            {text('postalCode', rules.postalLabel, rules.postalRequired ? {} : { placeholder: 'Optional' })}
            <Field label="Country" error={shown('country')} className="field--country">
              <select
                className="input"
                value={customer.country}
                disabled={locked}
                onChange={(e) => setCustomer({ country: e.target.value })}
                onBlur={() => leave('country')}
              >
                {!customer.country && <option value="">Choose…</option>}
                {countries.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          {placeError && (
            <p className="field__error" role="alert">
              {placeError}
            </p>
          )}
        </fieldset>
      ) : (
        <p className="muted small delivery__note">No address needed: the customer collects the order.</p>
      )}
      <fieldset className="fieldset tax-exempt" disabled={locked}>
        <legend className="sr-only">Tax exemption</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={!!customer.exempt}
            onChange={(e) => {
              setCustomer({ exempt: e.target.checked });
              void syncCustomer();
            }}
          />
          Tax-exempt customer
        </label>
        {customer.exempt && (
          <Field
            label="Exemption reason or certificate number"
            error={
              (attempted || touched.name) && !(customer.exemptReason ?? '').trim()
                ? 'Enter the reason or the certificate number.'
                : null
            }
          >
            <input
              className="input"
              maxLength={100}
              value={customer.exemptReason ?? ''}
              onChange={(e) => setCustomer({ exemptReason: e.target.value })}
              onBlur={() => void syncCustomer()}
            />
          </Field>
        )}
      </fieldset>
    </section>
  );
}
