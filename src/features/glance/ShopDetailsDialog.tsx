// The shop's own details (manager): the name and address printed on receipts and slips, the time zone "today"
// is counted in, and the shipping fee offered for a new order. Kept in Stripe: every station of the shop reads
// them (a change here reaches the others within a poll).
import { useState } from 'react';
import type { ShopSettings } from '../../../electron/ipc/contract';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { ErrorNote } from '../../components/States';
import { errorMessage } from '../../lib/ipc';
import { parseMoney, toInputString } from '../../lib/money';
import { useGlanceStore } from '../../stores/glance-store';
import { toast } from '../../stores/toast-store';
import { timeZones } from './zone';

export function ShopDetailsDialog({
  shop,
  currency,
  onClose,
}: {
  shop: ShopSettings;
  currency: string;
  onClose: () => void;
}) {
  const saveShop = useGlanceStore((s) => s.saveShop);
  const [name, setName] = useState(shop.name);
  const [zone, setZone] = useState(shop.timeZoneIsDefault ? '' : shop.timeZone);
  const [fee, setFee] = useState(toInputString(shop.defaultShippingFee, currency));
  const [address, setAddress] = useState(shop.address);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const parsedFee = fee.trim() === '' ? ({ ok: true, amount: 0 } as const) : parseMoney(fee, currency);
  const feeError = !parsedFee.ok
    ? parsedFee.reason
    : parsedFee.amount > 1_000_000
      ? 'That is too much.'
      : null;
  const nameError = name.trim()
    ? name.trim().length > 80
      ? 'At most 80 characters.'
      : null
    : 'Enter a name.';
  const zones = timeZones();

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (feeError || nameError || !parsedFee.ok) return;
    setBusy(true);
    setError(null);
    try {
      await saveShop({
        name: name.trim(),
        timeZone: zone || null,
        defaultShippingFee: parsedFee.amount,
        address: address.trim(),
      });
      toast('Shop details saved.', 'success');
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Shop details"
      onClose={onClose}
      description="Shared by every station of this shop (kept in Stripe)."
    >
      <form className="form" onSubmit={(e) => void submit(e)}>
        <Field
          label="Shop name"
          hint="Printed on receipts, packing slips and the end-of-day summary."
          error={nameError}
        >
          <input className="input" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field
          label="Shop address"
          hint="Printed on packing slips, as you would write it."
          error={address.trim().length > 300 ? 'At most 300 characters.' : null}
        >
          <textarea
            className="input"
            rows={2}
            value={address}
            maxLength={300}
            onChange={(e) => setAddress(e.target.value)}
          />
        </Field>
        <Field
          label="Time zone"
          hint={`“Today” starts at midnight in this zone. This computer’s zone: ${Intl.DateTimeFormat().resolvedOptions().timeZone}.`}
        >
          <select className="input" value={zone} onChange={(e) => setZone(e.target.value)}>
            <option value="">This computer’s time zone</option>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={`Shipping fee offered for a new order (${currency.toUpperCase()})`}
          hint="Staff can change or remove it on each order. Leave empty for none."
          error={fee ? feeError : null}
        >
          <input
            className="input input--money"
            inputMode="decimal"
            value={fee}
            onChange={(e) => setFee(e.target.value)}
          />
        </Field>
        {error && <ErrorNote>{error}</ErrorNote>}
        <div className="dialog__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy || !!feeError || !!nameError}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
