// Adding and editing a product, counting its stock, and receiving goods — each a small dialog over
// products:save / catalog:receive. A new price becomes a new Stripe Price; a count says who counted and when.
import { useState } from 'react';

type TaxCode = 'txcd_99999999' | 'txcd_40060003' | 'txcd_00000000';
import type { CatalogItem } from '../../../electron/ipc/contract';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { ErrorNote } from '../../components/States';
import { errorMessage } from '../../lib/ipc';
import { formatMoney, parseMoney, toInputString } from '../../lib/money';
import { useCatalogStore } from '../../stores/catalog-store';
import { toast } from '../../stores/toast-store';

const wholeNumber = (text: string, min: number, max: number): number | null => {
  if (!/^\d{1,7}$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= min && n <= max ? n : null;
};

export function ProductDialog({
  product,
  currency,
  onClose,
}: {
  product: CatalogItem | null;
  currency: string;
  onClose: () => void;
}) {
  const save = useCatalogStore((s) => s.save);
  const cur = product?.currency ?? currency;
  const [name, setName] = useState(product?.name ?? '');
  const [sku, setSku] = useState(product?.sku ?? '');
  const [price, setPrice] = useState(product ? toInputString(product.unitAmount, cur) : '');
  const [stock, setStock] = useState(product ? String(product.stock) : '0');
  const [taxCode, setTaxCode] = useState<TaxCode>((product?.taxCode as TaxCode | null) ?? 'txcd_99999999');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tried, setTried] = useState(false);

  const parsed = parseMoney(price, cur);
  const priceError = !price.trim()
    ? 'Enter a price.'
    : !parsed.ok
      ? parsed.reason
      : parsed.amount < 1 || parsed.amount > 99_999_999
        ? 'Enter a price above zero that Stripe accepts.'
        : null;
  const nameError = !name.trim()
    ? 'Enter a name.'
    : name.trim().length > 200
      ? 'At most 200 characters.'
      : null;
  const skuError = !sku.trim() ? 'Enter a SKU.' : sku.trim().length > 40 ? 'At most 40 characters.' : null;
  const count = wholeNumber(stock, 0, 1_000_000);
  const stockError = count === null ? 'A whole number from 0 to 1,000,000.' : null;
  const invalid = !!(priceError || nameError || skuError || stockError);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (invalid || !parsed.ok || count === null) return;
    setBusy(true);
    setError(null);
    try {
      await save({
        ...(product ? { id: product.id } : {}),
        name: name.trim(),
        sku: sku.trim(),
        unitAmount: parsed.amount,
        currency: cur,
        stock: count,
        active: product?.active ?? true,
        taxCode,
      });
      toast(product ? `${name.trim()} saved.` : `${name.trim()} added to the catalog.`, 'success');
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const show = (err: string | null, value: string) => (tried || value ? err : null);

  return (
    <Dialog title={product ? `Edit ${product.name}` : 'Add a product'} onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Name" error={show(nameError, name)}>
          <input className="input" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        </Field>
        <div className="form-row">
          <Field label="SKU" error={show(skuError, sku)}>
            <input className="input" value={sku} maxLength={40} onChange={(e) => setSku(e.target.value)} />
          </Field>
          <Field
            label={`Price (${cur.toUpperCase()})`}
            hint={
              product && parsed.ok && parsed.amount !== product.unitAmount
                ? `Was ${formatMoney(product.unitAmount, cur)}: orders already taken keep their price.`
                : undefined
            }
            error={show(priceError, price)}
          >
            <input
              className="input input--money"
              inputMode="decimal"
              value={price}
              onChange={(e) => setPrice(e.target.value)}
            />
          </Field>
          <Field
            label="Units on hand"
            hint={product ? 'Changing it records a stock count by you, now.' : 'Counted by you, now.'}
            error={show(stockError, stock)}
          >
            <input
              className="input input--short"
              inputMode="numeric"
              value={stock}
              onChange={(e) => setStock(e.target.value.replace(/[^\d]/g, '').slice(0, 7))}
            />
          </Field>
        </div>
        <Field
          label="Tax"
          hint="Stripe’s tax code for the product: how Stripe Tax (or the shop’s rates) treat it"
        >
          <select className="input" value={taxCode} onChange={(e) => setTaxCode(e.target.value as TaxCode)}>
            <option value="txcd_99999999">General goods (taxable)</option>
            <option value="txcd_40060003">Food for home consumption</option>
            <option value="txcd_00000000">Nontaxable (exempt)</option>
          </select>
        </Field>
        {error && <ErrorNote>{error}</ErrorNote>}
        <div className="dialog__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? 'Saving…' : product ? 'Save' : 'Add product'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A dialog asking for one whole number (a count, a delivery), saving it with `save`. */
function WholeNumberDialog({
  title,
  description,
  label,
  initial,
  min,
  max,
  submitLabel,
  busyLabel,
  onClose,
  save,
}: {
  title: string;
  description: string;
  label: string;
  initial: string;
  min: number;
  max: number;
  submitLabel: string;
  busyLabel: string;
  onClose: () => void;
  /** Saves the number; resolves once done (the dialog then closes), rejects with what went wrong. */
  save: (n: number) => Promise<void>;
}) {
  const [text, setText] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const n = wholeNumber(text, min, max);
  const digits = String(max).length;
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (n === null) return;
    setBusy(true);
    setError(null);
    try {
      await save(n);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose} description={description}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <Field
          label={label}
          error={
            text && n === null
              ? `A whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}.`
              : null
          }
        >
          <input
            className="input input--short"
            inputMode="numeric"
            value={text}
            data-autofocus=""
            onChange={(e) => setText(e.target.value.replace(/[^\d]/g, '').slice(0, digits))}
          />
        </Field>
        {error && <ErrorNote>{error}</ErrorNote>}
        <div className="dialog__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy || n === null}>
            {busy ? busyLabel : submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function CountDialog({ product, onClose }: { product: CatalogItem; onClose: () => void }) {
  const save = useCatalogStore((s) => s.save);
  return (
    <WholeNumberDialog
      title={`Count ${product.name}`}
      description="Enter how many are on the shelf now. Sales made after this count are taken off it at every station."
      label="Counted on hand"
      initial={String(product.stock)}
      min={0}
      max={1_000_000}
      submitLabel="Save count"
      busyLabel="Saving…"
      onClose={onClose}
      save={async (count) => {
        await save({
          id: product.id,
          name: product.name,
          sku: product.sku,
          unitAmount: product.unitAmount,
          currency: product.currency,
          stock: count,
          active: product.active,
        });
        toast(`Stock of ${product.name} counted: ${count}.`, 'success');
      }}
    />
  );
}

export function ReceiveDialog({
  product,
  onClose,
  onReceived,
}: {
  product: CatalogItem;
  onClose: () => void;
  onReceived: () => void;
}) {
  const receive = useCatalogStore((s) => s.receive);
  const [deliveryId] = useState(() => crypto.randomUUID().replace(/-/g, ''));
  return (
    <WholeNumberDialog
      title={`Stock arrived: ${product.name}`}
      description={`On hand now: ${product.onHand}${product.committed ? `, ${product.committed} promised to waiting orders` : ''}${product.oversold ? ` (${product.oversold} oversold, made good first)` : ''}. The waitlist orders this covers are listed next.`}
      label="Units received"
      initial=""
      min={1}
      max={100_000}
      submitLabel="Record delivery"
      busyLabel="Recording…"
      onClose={onClose}
      save={async (qty) => {
        // One id per delivery: pressing again (or a retry) counts it once, at every station.
        const after = await receive(product.id, qty, deliveryId);
        toast(
          `Received ${qty} × ${product.name}: ${after.onHand} on hand, ${after.stock} available.`,
          'success',
        );
        onReceived();
      }}
    />
  );
}
