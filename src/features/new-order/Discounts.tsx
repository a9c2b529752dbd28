// Discounts on the order being taken: on one line or on the whole order, an amount or a percentage, with a
// reason from the shop's list (or typed). Main prices the cart and decides whether a manager's PIN is needed
// (above the shop's limit); then the PIN dialog asks for it and main checks it. A refusal is shown at the field.
import { useEffect, useState } from 'react';
import type { Cart, DiscountSpec } from '../../../electron/ipc/contract';
import { Field } from '../../components/Field';
import { Money } from '../../components/Money';
import { usePinConfirm } from '../../components/PinConfirm';
import { call, errorMessage, IpcCallError } from '../../lib/ipc';
import { formatMoney, parseMoney } from '../../lib/money';
import { useCartStore } from '../../stores/cart-store';
import { useTaxStore } from '../../stores/tax-store';

const ORDER = '__order__';
const NO_REASONS: string[] = [];
const OTHER = '__other__';

/** A percentage typed as text ("12.5") as basis points, exactly; or why not. */
export function parsePercent(text: string): { ok: true; bp: number } | { ok: false; reason: string } {
  const t = text.trim();
  if (t.startsWith('-')) return { ok: false, reason: "A discount can't be negative." };
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return { ok: false, reason: 'Enter a percentage, e.g. 10 or 12.5 (at most 2 decimals).' };
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (bp > 10_000) return { ok: false, reason: "A discount can't be more than 100%." };
  if (bp === 0) return { ok: false, reason: 'Enter a discount above 0.' };
  return { ok: true, bp };
}

const describe = (d: DiscountSpec, currency: string) =>
  d.kind === 'amount' ? formatMoney(d.amount, currency) : `${d.bp / 100}%`;

export function Discounts({ cart, locked }: { cart: Cart; locked: boolean }) {
  // Select the settings object itself (a fresh [] from a selector would re-render forever).
  const tax = useTaxStore((s) => s.tax);
  const reasons = tax?.discountReasons ?? NO_REASONS;
  const loadTax = useTaxStore((s) => s.load);
  useEffect(() => void loadTax(), [loadTax]);
  const [open, setOpen] = useState(false);
  const [target, setTarget] = useState(ORDER);
  const [kind, setKind] = useState<'percent' | 'amount'>('percent');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [other, setOther] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const { ask, dialog } = usePinConfirm();
  // New quantities took a discount past the limit: main changed nothing and wants a manager's PIN.
  const approval = useCartStore((s) => s.discountApproval);
  const approveLines = useCartStore((s) => s.approveLines);
  useEffect(() => {
    if (!approval) return;
    void ask(approval.message, (pin) => approveLines(pin)).then((pin) => {
      if (pin === null) void approveLines(null);
    });
  }, [approval, ask, approveLines]);
  const given = cart.discounts ?? { lines: {}, order: null, givenBy: null, approvedBy: null };

  const send = async (next: { lines: typeof given.lines; order: typeof given.order }): Promise<boolean> => {
    const attempt = async (approvalPin?: string) => {
      const updated = await call('carts:update', {
        cartId: cart.id,
        discounts: next,
        ...(approvalPin ? { approvalPin } : {}),
      });
      useCartStore.setState({ cart: updated });
    };
    setBusy(true);
    try {
      await attempt();
      return true;
    } catch (e) {
      if (e instanceof IpcCallError && e.code === 'forbidden' && e.details?.approvalNeeded) {
        const pin = await ask(
          'This discount is above the shop’s limit. A manager enters their PIN to allow it.',
          (p) => attempt(p),
        );
        return pin !== null;
      }
      const fields = (e instanceof IpcCallError ? e.details?.fields : undefined) as
        Record<string, string> | undefined;
      setErrors(
        fields && Object.keys(fields).length
          ? { value: Object.values(fields).join(' ') }
          : { value: errorMessage(e) },
      );
      return false;
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    let spec: DiscountSpec;
    if (kind === 'percent') {
      const p = parsePercent(value);
      if (!p.ok) return setErrors({ value: p.reason });
      spec = { kind: 'percent', bp: p.bp };
    } else {
      if (value.trim().startsWith('-')) return setErrors({ value: "A discount can't be negative." });
      const m = parseMoney(value, cart.currency);
      if (!m.ok) return setErrors({ value: m.reason });
      if (m.amount <= 0) return setErrors({ value: 'Enter a discount above 0.' });
      spec = { kind: 'amount', amount: m.amount };
    }
    const why = reason === OTHER ? other.trim() : reason;
    if (reason === OTHER && !why) return setErrors({ reason: 'Say why, in a few words.' });
    setErrors({});
    const next =
      target === ORDER
        ? { lines: given.lines, order: { discount: spec, reason: why } }
        : { lines: { ...given.lines, [target]: { discount: spec, reason: why } }, order: given.order };
    if (await send(next)) {
      setOpen(false);
      setValue('');
      setOther('');
    }
  };

  const remove = (which: string) => {
    const lines = { ...given.lines };
    if (which === ORDER) void send({ lines, order: null });
    else {
      delete lines[which];
      void send({ lines, order: given.order });
    }
  };

  const entries = [
    ...Object.entries(given.lines).map(([id, g]) => ({
      id,
      what: cart.lines.find((l) => l.productId === id)?.name ?? 'An item',
      g,
    })),
    ...(given.order ? [{ id: ORDER, what: 'Whole order', g: given.order }] : []),
  ];
  const lineError = Object.entries(cart.pricing?.errors ?? {}).filter(
    ([k]) => k.endsWith('.discount') || k === 'orderDiscount',
  );

  return (
    <div className="discounts">
      {entries.length > 0 && (
        <ul className="discounts__list" aria-label="Discounts">
          {entries.map((e) => (
            <li key={e.id}>
              <span>
                <strong>{describe(e.g.discount, cart.currency)} off</strong> {e.what}
                {e.g.reason ? ` — ${e.g.reason}` : ''}
              </span>
              {!locked && (
                <button
                  type="button"
                  className="btn btn--ghost btn--small"
                  aria-label={`Remove the discount on ${e.what}`}
                  disabled={busy}
                  onClick={() => remove(e.id)}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
          {given.approvedBy && <li className="muted">Allowed by {given.approvedBy}</li>}
        </ul>
      )}
      {lineError.map(([k, v]) => (
        <p key={k} className="field__error" role="alert">
          {v}
        </p>
      ))}
      {!open ? (
        !locked && (
          <button type="button" className="btn btn--ghost btn--small" onClick={() => setOpen(true)}>
            Add a discount
          </button>
        )
      ) : (
        <form
          className="discounts__form"
          aria-label="Add a discount"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void apply();
          }}
        >
          <Field label="On">
            <select className="input" value={target} onChange={(e) => setTarget(e.target.value)}>
              <option value={ORDER}>The whole order</option>
              {cart.lines.map((l) => (
                <option key={l.productId} value={l.productId}>
                  {l.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Kind">
            <select
              className="input"
              value={kind}
              onChange={(e) => setKind(e.target.value as 'percent' | 'amount')}
            >
              <option value="percent">Percentage (%)</option>
              <option value="amount">Amount ({cart.currency.toUpperCase()})</option>
            </select>
          </Field>
          <Field label="Discount" error={errors.value ?? null}>
            <input
              className="input input--money"
              inputMode="decimal"
              value={value}
              placeholder={kind === 'percent' ? '10' : '5.00'}
              onChange={(e) => setValue(e.target.value)}
            />
          </Field>
          <Field label="Reason" error={reason === OTHER ? null : (errors.reason ?? null)}>
            <select className="input" value={reason} onChange={(e) => setReason(e.target.value)}>
              <option value="">—</option>
              {reasons.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
              <option value={OTHER}>Other…</option>
            </select>
          </Field>
          {reason === OTHER && (
            <Field label="Why" error={errors.reason ?? null}>
              <input
                className="input"
                maxLength={60}
                value={other}
                onChange={(e) => setOther(e.target.value)}
              />
            </Field>
          )}
          <div className="discounts__actions">
            <button type="submit" className="btn btn--primary btn--small" disabled={busy}>
              {busy ? 'Applying…' : 'Apply discount'}
            </button>
            <button
              type="button"
              className="btn btn--ghost btn--small"
              onClick={() => {
                setOpen(false);
                setErrors({});
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
      {dialog}
    </div>
  );
}

/** Subtotal, discount, tax (by jurisdiction on expand) rows of the cart's foot; the total stays the cart's. */
export function PricingRows({ cart, part }: { cart: Cart; part: 'subtotal' | 'tax' }) {
  const p = cart.pricing;
  if (!p) return null;
  if (part === 'tax') return <TaxRow cart={cart} />;
  const currency = cart.currency;
  return (
    <>
      <tr className="pricing-row">
        <th scope="row" colSpan={2}>
          Subtotal
        </th>
        <td className="num" aria-label="Subtotal">
          <Money amount={p.subtotal} currency={currency} />
        </td>
        <td />
      </tr>
      {p.discountTotal > 0 && (
        <tr className="pricing-row">
          <th scope="row" colSpan={2}>
            Discount
          </th>
          <td className="num" aria-label="Discount">
            −<Money amount={p.discountTotal} currency={currency} />
          </td>
          <td />
        </tr>
      )}
    </>
  );
}

function TaxRow({ cart }: { cart: Cart }) {
  const p = cart.pricing!;
  const currency = cart.currency;
  const taxLabel = p.exempt ? 'Tax (customer exempt)' : p.inclusive ? 'Tax (included)' : 'Tax';
  return (
    <>
      {p.mode !== 'none' && (
        <tr className="pricing-row">
          <th scope="row" colSpan={2}>
            {p.breakdown.length > 0 ? (
              <details className="tax-breakdown">
                <summary>{taxLabel}</summary>
                <ul aria-label="Tax by jurisdiction">
                  {p.breakdown.map((b) => (
                    <li key={`${b.jurisdiction}-${b.percent}`}>
                      {b.jurisdiction} {b.percent}%: <Money amount={b.amount} currency={currency} />
                    </li>
                  ))}
                </ul>
              </details>
            ) : (
              taxLabel
            )}
          </th>
          <td className="num" aria-label="Tax">
            {p.state === 'priced' ? (
              <Money amount={p.taxTotal} currency={currency} />
            ) : (
              <span className="muted" title="The tax depends on the ship-to address">
                —
              </span>
            )}
          </td>
          <td />
        </tr>
      )}
    </>
  );
}

/** Why the order can't be paid as priced (shown above the pay button), or null. */
export function pricingBlock(cart: Cart | null): string | null {
  const p = cart?.pricing;
  if (!cart || !p || cart.lines.length === 0) return null;
  if (p.state === 'needs_address')
    return 'Enter the ship-to address (the tax depends on it), or choose collection.';
  if (p.state === 'invalid') return Object.values(p.errors).join(' ') || 'The order can’t be priced.';
  if (p.needsApproval && !cart.discounts?.approvedBy) return 'A manager’s PIN is needed for the discount.';
  return null;
}
