// How phone orders read and reach the customer (manager): the shop's country — phone numbers typed without a
// country code are its numbers, addresses default to it — and the message the secure payment link is sent with.
import { useMemo, useState } from 'react';
import type { Settings } from '../../../electron/ipc/contract';
import { countryOptions } from '../../../electron/ipc/address';
import { Field } from '../../components/Field';
import { ErrorNote } from '../../components/States';
import { errorMessage } from '../../lib/ipc';
import { LIMITS, tooLong } from '../../lib/validation';
import { useSettingsStore } from '../../stores/settings-store';
import { toast } from '../../stores/toast-store';

export function PhoneOrderSettings() {
  const settings = useSettingsStore((s) => s.settings);
  return settings ? <PhoneOrderForm settings={settings} /> : null;
}

function PhoneOrderForm({ settings }: { settings: Settings }) {
  const update = useSettingsStore((s) => s.update);
  const [country, setCountry] = useState(settings.country);
  const [message, setMessage] = useState(settings.linkMessage);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const countries = useMemo(() => countryOptions(settings.country), [settings.country]);
  const messageError = !message.trim()
    ? 'Write the message (it must contain {link}).'
    : (tooLong(message, LIMITS.linkMessage) ??
      (message.includes('{link}') ? null : 'Put {link} where the link goes.'));

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (messageError) return;
    setBusy(true);
    setError(null);
    try {
      await update({ country, linkMessage: message.trim() });
      toast('Phone-order settings saved.', 'success');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="phone-orders-title">
      <div className="panel__head">
        <h2 id="phone-orders-title">Phone orders</h2>
      </div>
      <p className="muted small">The shop’s, for every station (kept in Stripe).</p>
      <form className="form" onSubmit={(e) => void save(e)}>
        <Field
          label="Shop country"
          hint="Phone numbers typed without +country code are read as this country’s"
        >
          <select className="input" value={country} onChange={(e) => setCountry(e.target.value)}>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Secure payment link message"
          hint="Sent by email or text when the bank asks the customer to confirm: {link}, {amount}, {order}, {shop} are filled in"
          error={messageError}
        >
          <textarea className="input" rows={3} value={message} onChange={(e) => setMessage(e.target.value)} />
        </Field>
        {error && <ErrorNote>{error}</ErrorNote>}
        <button type="submit" className="btn" disabled={busy || !!messageError}>
          {busy ? 'Saving…' : 'Save phone-order settings'}
        </button>
      </form>
    </section>
  );
}
