// Settings → Tax (managers): how the shop collects tax — none, its own rates per destination region (a US state,
// a Canadian province, an EU or UK country), or Stripe Tax with the registrations in its Stripe account — prices
// with or without tax, shipping taxed or not, the shop's address (where a collected order is taxed), the reasons
// staff pick for a discount, and the limit above which a discount needs a manager's PIN. The shop's, for every
// station (kept in Stripe). Main checks everything again and answers by field; each reason is shown at its field.
import { useEffect, useState } from 'react';
import type { ShopTax } from '../../../electron/ipc/contract';
import { Field } from '../../components/Field';
import { ErrorNote } from '../../components/States';
import { errorMessage, IpcCallError } from '../../lib/ipc';
import { formatMoney, parseMoney, toInputString } from '../../lib/money';
import { useTaxStore } from '../../stores/tax-store';
import { toast } from '../../stores/toast-store';

interface RateRow {
  country: string;
  state: string;
  name: string;
  rate: string;
}

/** A rate typed as a percentage ("8.875") as parts per million, exactly; or why not. */
export function parseRate(text: string): { ok: true; ppm: number } | { ok: false; reason: string } {
  const t = text.trim();
  if (t.startsWith('-')) return { ok: false, reason: "A rate can't be negative." };
  const m = /^(\d{1,3})(?:\.(\d{1,4}))?$/.exec(t);
  if (!m) return { ok: false, reason: 'Enter a percentage, e.g. 8.875 (at most 4 decimals).' };
  const ppm = Number(m[1]) * 10_000 + Number((m[2] ?? '').padEnd(4, '0'));
  if (ppm > 1_000_000) return { ok: false, reason: "A rate can't be more than 100%." };
  return { ok: true, ppm };
}

const ppmText = (ppm: number) => {
  const whole = Math.floor(ppm / 10_000);
  const frac = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
};

const rowsOf = (t: ShopTax): RateRow[] =>
  t.regions.flatMap((r) =>
    r.components.map((c) => ({
      country: r.country,
      state: r.state ?? '',
      name: c.jurisdiction,
      rate: ppmText(c.ratePpm),
    })),
  );

export function TaxSettings() {
  const tax = useTaxStore((s) => s.tax);
  const load = useTaxStore((s) => s.load);
  useEffect(() => void load(), [load]);
  return tax ? <TaxForm tax={tax} /> : null;
}

function TaxForm({ tax }: { tax: ShopTax }) {
  const save = useTaxStore((s) => s.save);
  const [mode, setMode] = useState(tax.mode);
  const [inclusive, setInclusive] = useState(tax.pricesIncludeTax);
  const [shipTaxed, setShipTaxed] = useState(tax.shippingTaxable);
  const [rows, setRows] = useState<RateRow[]>(rowsOf(tax));
  const [origin, setOrigin] = useState(
    tax.origin ?? { line1: '', city: '', state: '', postalCode: '', country: 'US' },
  );
  const [reasons, setReasons] = useState(tax.discountReasons.join('\n'));
  const [limitAmount, setLimitAmount] = useState(
    tax.discountLimitAmount === null ? '' : toInputString(tax.discountLimitAmount, 'usd'),
  );
  const [limitPercent, setLimitPercent] = useState(
    tax.discountLimitBp === null ? '' : String(tax.discountLimitBp / 100),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const build = (): { ok: true; value: ShopTax } | { ok: false; errors: Record<string, string> } => {
    const errs: Record<string, string> = {};
    const regions: ShopTax['regions'] = [];
    rows.forEach((r, i) => {
      const country = r.country.trim().toUpperCase();
      const state = r.state.trim().toUpperCase();
      if (!/^[A-Z]{2}$/.test(country)) errs[`rows.${i}.country`] = 'Two letters, e.g. US.';
      if (!r.name.trim()) errs[`rows.${i}.name`] = 'Name the tax (it is printed on receipts).';
      const rate = parseRate(r.rate);
      if (!rate.ok) errs[`rows.${i}.rate`] = rate.reason;
      if (errs[`rows.${i}.country`] || errs[`rows.${i}.name`] || !rate.ok) return;
      const found = regions.find((g) => g.country === country && (g.state ?? '') === state);
      const component = {
        jurisdiction: r.name.trim(),
        level: state ? ('state' as const) : ('country' as const),
        type: country === 'US' ? ('sales_tax' as const) : ('vat' as const),
        ratePpm: rate.ppm,
      };
      if (found) found.components.push(component);
      else regions.push({ country, state: state || null, components: [component] });
    });
    let amount: number | null = null;
    if (limitAmount.trim()) {
      const m = parseMoney(limitAmount, 'usd');
      if (!m.ok) errs.discountLimitAmount = m.reason;
      else amount = m.amount;
    }
    let bp: number | null = null;
    if (limitPercent.trim()) {
      const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(limitPercent.trim());
      if (!m) errs.discountLimitBp = 'Enter a percentage, e.g. 10 (at most 2 decimals).';
      else {
        bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
        if (bp > 10_000) errs.discountLimitBp = "A limit can't be more than 100%.";
      }
    }
    const list = reasons
      .split('\n')
      .map((r) => r.trim())
      .filter(Boolean);
    if (list.some((r) => r.length > 40)) errs.discountReasons = 'Each reason at most 40 characters.';
    if (list.length > 12) errs.discountReasons = 'At most 12 reasons.';
    const hasOrigin = origin.line1.trim() || origin.postalCode.trim();
    if (Object.keys(errs).length) return { ok: false, errors: errs };
    return {
      ok: true,
      value: {
        mode,
        pricesIncludeTax: inclusive,
        shippingTaxable: shipTaxed,
        regions,
        origin: hasOrigin
          ? {
              line1: origin.line1.trim(),
              city: origin.city.trim(),
              state: origin.state.trim().toUpperCase(),
              postalCode: origin.postalCode.trim(),
              country: origin.country.trim().toUpperCase(),
            }
          : null,
        discountReasons: list,
        discountLimitAmount: amount,
        discountLimitBp: bp,
      },
    };
  };

  // Main's reasons are keyed by its own fields; rates come back as regions.i.components.j.*, shown on the rows.
  const fromMain = (fields: Record<string, string>): Record<string, string> => {
    const out: Record<string, string> = {};
    const flat: { region: number; component: number }[] = [];
    const built = build();
    if (built.ok)
      built.value.regions.forEach((r, i) =>
        r.components.forEach((_, j) => flat.push({ region: i, component: j })),
      );
    for (const [k, v] of Object.entries(fields)) {
      const m = /^regions\.(\d+)\.components\.(\d+)\.(\w+)$/.exec(k);
      const at = m ? flat.findIndex((f) => f.region === Number(m[1]) && f.component === Number(m[2])) : -1;
      if (m && at >= 0) out[`rows.${at}.${m[3] === 'ratePpm' ? 'rate' : 'name'}`] = v;
      else if (/^regions\.(\d+)/.test(k)) out.regions = v;
      else out[k] = v;
    }
    return out;
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const built = build();
    if (!built.ok) return setErrors(built.errors);
    setErrors({});
    setError(null);
    setBusy(true);
    try {
      await save(built.value);
      toast('Tax settings saved for every station.', 'success');
    } catch (err) {
      const fields =
        err instanceof IpcCallError ? (err.details?.fields as Record<string, string> | undefined) : undefined;
      if (fields) setErrors(fromMain(fields));
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const setRow = (i: number, patch: Partial<RateRow>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <section className="panel" aria-labelledby="tax-title">
      <div className="panel__head">
        <h2 id="tax-title">Tax and discounts</h2>
      </div>
      <p className="muted small">The shop’s, for every station (kept in Stripe).</p>
      <form className="form tax-form" noValidate onSubmit={(e) => void submit(e)}>
        <fieldset className="fieldset">
          <legend>How the shop collects tax</legend>
          {(
            [
              ['none', 'No tax'],
              ['rates', 'Rates I set'],
              ['stripe_tax', 'Stripe Tax (the registrations in the Stripe account)'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="check">
              <input type="radio" name="tax-mode" checked={mode === value} onChange={() => setMode(value)} />
              {label}
            </label>
          ))}
        </fieldset>
        {mode !== 'none' && (
          <label className="check">
            <input type="checkbox" checked={inclusive} onChange={(e) => setInclusive(e.target.checked)} />
            Prices include tax
          </label>
        )}
        {mode === 'rates' && (
          <fieldset className="fieldset">
            <legend>Rates by destination</legend>
            <label className="check">
              <input type="checkbox" checked={shipTaxed} onChange={(e) => setShipTaxed(e.target.checked)} />
              Shipping is taxed
            </label>
            {errors.regions && <p className="field__error">{errors.regions}</p>}
            <table className="table tax-rates">
              <thead>
                <tr>
                  <th scope="col">Country</th>
                  <th scope="col">State / province</th>
                  <th scope="col">Tax name</th>
                  <th scope="col">Rate %</th>
                  <th scope="col">
                    <span className="sr-only">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i}>
                    <td>
                      <Field
                        label={<span className="sr-only">Country of rate {i + 1}</span>}
                        error={errors[`rows.${i}.country`] ?? null}
                      >
                        <input
                          className="input input--short"
                          maxLength={2}
                          value={r.country}
                          onChange={(e) => setRow(i, { country: e.target.value })}
                        />
                      </Field>
                    </td>
                    <td>
                      <Field label={<span className="sr-only">State of rate {i + 1}</span>}>
                        <input
                          className="input input--short"
                          maxLength={3}
                          placeholder="All"
                          value={r.state}
                          onChange={(e) => setRow(i, { state: e.target.value })}
                        />
                      </Field>
                    </td>
                    <td>
                      <Field
                        label={<span className="sr-only">Name of rate {i + 1}</span>}
                        error={errors[`rows.${i}.name`] ?? null}
                      >
                        <input
                          className="input"
                          maxLength={40}
                          value={r.name}
                          onChange={(e) => setRow(i, { name: e.target.value })}
                        />
                      </Field>
                    </td>
                    <td>
                      <Field
                        label={<span className="sr-only">Rate {i + 1} percent</span>}
                        error={errors[`rows.${i}.rate`] ?? null}
                      >
                        <input
                          className="input input--short"
                          inputMode="decimal"
                          value={r.rate}
                          onChange={(e) => setRow(i, { rate: e.target.value })}
                        />
                      </Field>
                    </td>
                    <td>
                      <button
                        type="button"
                        className="btn btn--ghost btn--icon"
                        aria-label={`Remove rate ${i + 1}`}
                        onClick={() => setRows(rows.filter((_, j) => j !== i))}
                      >
                        ✕
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button
              type="button"
              className="btn btn--ghost btn--small"
              onClick={() => setRows([...rows, { country: 'US', state: '', name: '', rate: '' }])}
            >
              Add a rate
            </button>
          </fieldset>
        )}
        {mode !== 'none' && (
          <fieldset className="fieldset">
            <legend>The shop’s address (collected orders are taxed here)</legend>
            <div className="grid-address-lines">
              <Field label="Shop address line 1" error={errors['origin.line1'] ?? null}>
                <input
                  className="input"
                  value={origin.line1}
                  onChange={(e) => setOrigin({ ...origin, line1: e.target.value })}
                />
              </Field>
            </div>
            <div className="grid-address">
              <Field label="Shop city">
                <input
                  className="input"
                  value={origin.city}
                  onChange={(e) => setOrigin({ ...origin, city: e.target.value })}
                />
              </Field>
              <Field label="Shop state" error={errors['origin.state'] ?? null}>
                <input
                  className="input"
                  maxLength={3}
                  value={origin.state}
                  onChange={(e) => setOrigin({ ...origin, state: e.target.value })}
                />
              </Field>
              <Field label="Shop postal code" error={errors['origin.postalCode'] ?? null}>
                <input
                  className="input"
                  value={origin.postalCode}
                  onChange={(e) => setOrigin({ ...origin, postalCode: e.target.value })}
                />
              </Field>
              <Field label="Shop’s country" error={errors['origin.country'] ?? null}>
                <input
                  className="input"
                  maxLength={2}
                  value={origin.country}
                  onChange={(e) => setOrigin({ ...origin, country: e.target.value })}
                />
              </Field>
            </div>
          </fieldset>
        )}
        <fieldset className="fieldset">
          <legend>Discounts</legend>
          <Field
            label="Reasons staff choose from"
            hint="One per line; staff can also type their own"
            error={errors.discountReasons ?? null}
          >
            <textarea
              className="input"
              rows={4}
              value={reasons}
              onChange={(e) => setReasons(e.target.value)}
            />
          </Field>
          <div className="grid-address">
            <Field
              label="Manager’s PIN above (amount)"
              hint={limitAmount.trim() ? undefined : 'No limit by amount'}
              error={errors.discountLimitAmount ?? null}
            >
              <input
                className="input input--money"
                inputMode="decimal"
                placeholder={formatMoney(2000, 'usd')}
                value={limitAmount}
                onChange={(e) => setLimitAmount(e.target.value)}
              />
            </Field>
            <Field
              label="Manager’s PIN above (%)"
              hint={limitPercent.trim() ? undefined : 'No limit by percentage'}
              error={errors.discountLimitBp ?? null}
            >
              <input
                className="input input--short"
                inputMode="decimal"
                placeholder="10"
                value={limitPercent}
                onChange={(e) => setLimitPercent(e.target.value)}
              />
            </Field>
          </div>
        </fieldset>
        {error && <ErrorNote>{error}</ErrorNote>}
        <button type="submit" className="btn" disabled={busy}>
          {busy ? 'Saving…' : 'Save tax settings'}
        </button>
      </form>
    </section>
  );
}
