// Settings (manager): Stripe keys, MOTO, the webhook receiver, the station name, staff accounts and, in the
// offline demo, the training clock. The secret key is never shown back — only its hint.
import { useEffect, useState } from 'react';
import { Field } from '../../components/Field';
import { usePinConfirm } from '../../components/PinConfirm';
import { ErrorNote, Loading, Note } from '../../components/States';
import { call, errorMessage } from '../../lib/ipc';
import { formatDateTime } from '../../lib/format';
import { isManager, useSessionStore } from '../../stores/session-store';
import { useSettingsStore } from '../../stores/settings-store';
import { toast } from '../../stores/toast-store';
import { StaffAccounts } from './StaffAccounts';
import { PhoneOrderSettings } from './PhoneOrderSettings';
import { TaxSettings } from './TaxSettings';
import '../new-order/pricing.css';

function useSave() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      toast(done, 'success');
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function StripeKeys() {
  const settings = useSettingsStore((s) => s.settings)!;
  const setSecretKey = useSettingsStore((s) => s.setSecretKey);
  const update = useSettingsStore((s) => s.update);
  const [secret, setSecret] = useState('');
  const [pk, setPk] = useState(settings.publishableKey ?? '');
  const [confirmRemove, setConfirmRemove] = useState(false);
  const save = useSave();
  const { ask, dialog } = usePinConfirm();

  return (
    <section className="panel" aria-labelledby="stripe-title">
      <div className="panel__head">
        <h2 id="stripe-title">Stripe</h2>
        <span className={`badge badge--mode-${settings.mode}`}>
          {settings.mode === 'emulator' ? 'Offline demo' : settings.mode === 'live' ? 'LIVE' : 'Test mode'}
        </span>
      </div>
      <p className="small muted">
        {settings.hasSecretKey
          ? `A secret key is stored in the system keychain: ${settings.secretKeyHint ?? 'set'}. It is never shown again.`
          : `No secret key: this station runs the demo shop (${settings.shop}); nothing is real money.`}
      </p>
      <form
        className="form row-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!/^(sk|rk)_(test|live)_[A-Za-z0-9]{10,250}$/.test(secret.trim())) {
            toast('That is not a Stripe secret key (sk_test_… or sk_live_…).', 'error');
            return;
          }
          void ask(
            'Save this Stripe secret key? Payments will go to its Stripe account.',
            async (managerPin) => {
              await setSecretKey(secret.trim(), managerPin);
            },
          ).then((managerPin) => {
            if (!managerPin) return;
            toast('Secret key saved. The console restarts its Stripe connection.', 'success');
            setSecret('');
          });
        }}
      >
        <Field label="Secret key" hint="sk_test_… or sk_live_… (a restricted rk_ key works too)">
          <input
            className="input"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={secret}
            placeholder={settings.hasSecretKey ? 'Enter a new key to replace it' : 'sk_test_…'}
            onChange={(e) => setSecret(e.target.value)}
          />
        </Field>
        <button type="submit" className="btn btn--primary" disabled={save.busy || !secret}>
          Save secret key
        </button>
      </form>
      {settings.hasSecretKey &&
        (confirmRemove ? (
          <div className="btn-row">
            <span className="small">Remove the key and go back to the offline demo?</span>
            <button
              type="button"
              className="btn btn--danger btn--small"
              onClick={() =>
                void ask('Remove the secret key and go back to the offline demo?', async (managerPin) => {
                  await setSecretKey(null, managerPin);
                }).then((managerPin) => {
                  if (!managerPin) return;
                  toast('Key removed: back to the offline demo.', 'success');
                  setConfirmRemove(false);
                })
              }
            >
              Remove key
            </button>
            <button
              type="button"
              className="btn btn--ghost btn--small"
              onClick={() => setConfirmRemove(false)}
            >
              Keep it
            </button>
          </div>
        ) : (
          <button type="button" className="btn btn--small" onClick={() => setConfirmRemove(true)}>
            Remove secret key…
          </button>
        ))}
      <form
        className="form row-form"
        onSubmit={(e) => {
          e.preventDefault();
          const v = pk.trim();
          if (v && !/^pk_(test|live)_[A-Za-z0-9]{10,250}$/.test(v)) {
            toast('That is not a publishable key (pk_test_… or pk_live_…).', 'error');
            return;
          }
          void save.run(() => update({ publishableKey: v || null }), 'Publishable key saved.');
        }}
      >
        <Field label="Publishable key" hint="Used by the card field in live and test mode">
          <input
            className="input"
            spellCheck={false}
            value={pk}
            placeholder="pk_test_…"
            onChange={(e) => setPk(e.target.value)}
          />
        </Field>
        <button type="submit" className="btn" disabled={save.busy}>
          Save publishable key
        </button>
      </form>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.motoEnabled}
          onChange={(e) =>
            void save.run(
              () => update({ motoEnabled: e.target.checked }),
              e.target.checked ? 'MOTO payments enabled.' : 'MOTO payments disabled.',
            )
          }
        />
        Allow MOTO (mail or telephone order) payments
      </label>
      <p className="small muted">MOTO must also be enabled on your Stripe account.</p>
      {save.error && <ErrorNote>{save.error}</ErrorNote>}
      {dialog}
    </section>
  );
}

function Webhook() {
  const settings = useSettingsStore((s) => s.settings)!;
  const update = useSettingsStore((s) => s.update);
  const [enabled, setEnabled] = useState(settings.webhook.enabled);
  const [port, setPort] = useState(String(settings.webhook.port));
  const [secret, setSecret] = useState('');
  const save = useSave();
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1024 || n > 65535) {
      toast('The port is a number from 1024 to 65535.', 'error');
      return;
    }
    const s = secret.trim();
    if (s && !/^whsec_[A-Za-z0-9]{10,250}$/.test(s)) {
      toast('The signing secret starts with whsec_.', 'error');
      return;
    }
    void save
      .run(
        () => update({ webhookEnabled: enabled, webhookPort: n, ...(s ? { webhookSecret: s } : {}) }),
        'Webhook settings saved.',
      )
      .then(() => setSecret(''));
  };
  return (
    <section className="panel" aria-labelledby="webhook-title">
      <div className="panel__head">
        <h2 id="webhook-title">Webhook receiver</h2>
      </div>
      <p className="small muted">
        Optional: receive events forwarded by{' '}
        <code>stripe listen --forward-to localhost:{settings.webhook.port}</code>. The console polls Stripe’s
        events either way.
      </p>
      <form className="form" onSubmit={submit}>
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Receive forwarded webhooks
        </label>
        <div className="grid-2">
          <Field label="Port">
            <input
              className="input"
              inputMode="numeric"
              value={port}
              onChange={(e) => setPort(e.target.value)}
            />
          </Field>
          <Field
            label="Signing secret"
            hint={
              settings.webhook.hasSecret ? 'A secret is stored; enter a new one to replace it' : 'whsec_…'
            }
          >
            <input
              className="input"
              type="password"
              autoComplete="off"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
            />
          </Field>
        </div>
        <button type="submit" className="btn" disabled={save.busy}>
          Save webhook settings
        </button>
        {save.error && <ErrorNote>{save.error}</ErrorNote>}
      </form>
    </section>
  );
}

function Station() {
  const settings = useSettingsStore((s) => s.settings)!;
  const update = useSettingsStore((s) => s.update);
  const [station, setStation] = useState(settings.station);
  const [code, setCode] = useState(settings.stationCode ?? '');
  const save = useSave();
  const codeError = code && !/^[A-Z]{1,3}$/.test(code) ? 'One to three capital letters, e.g. A or FD.' : null;
  const codeTaken = settings.stations.find((s) => !s.thisStation && s.code === code);
  return (
    <section className="panel" aria-labelledby="station-title">
      <div className="panel__head">
        <h2 id="station-title">This station</h2>
      </div>
      <p className="small">
        Shop: <strong>{settings.shop}</strong>. Orders, customers, the catalog and fulfillment are kept in
        Stripe, so every station of the shop shows the same, and a new laptop rebuilds everything from it.
      </p>
      {settings.stationCodeConflict && <ErrorNote>{settings.stationCodeConflict}</ErrorNote>}
      <form
        className="form row-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (station.trim()) void save.run(() => update({ station: station.trim() }), 'Station name saved.');
        }}
      >
        <Field label="Station name" hint="Shown on the orders it takes and in the audit log">
          <input
            className="input"
            value={station}
            maxLength={60}
            onChange={(e) => setStation(e.target.value)}
          />
        </Field>
        <button type="submit" className="btn" disabled={save.busy}>
          Save station name
        </button>
      </form>
      <form
        className="form row-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (code && !codeError)
            void save.run(
              () => update({ stationCode: code }),
              `Order numbers from this station start with ${code}.`,
            );
        }}
      >
        <Field
          label="Order number code"
          hint={
            settings.stationCode
              ? `This station's orders are numbered ${settings.stationCode}1001, ${settings.stationCode}1002, …`
              : 'Given with the first order: the first letter no other station uses'
          }
          error={codeError ?? (codeTaken ? `Station "${codeTaken.name}" already uses ${code}.` : null)}
        >
          <input
            className="input input--short"
            value={code}
            maxLength={3}
            autoCapitalize="characters"
            onChange={(e) => setCode(e.target.value.toUpperCase())}
          />
        </Field>
        <button type="submit" className="btn" disabled={save.busy || !code || !!codeError}>
          Save code
        </button>
      </form>
      {save.error && <ErrorNote>{save.error}</ErrorNote>}
      {settings.stations.length > 0 && (
        <table className="table table--compact" aria-label="Stations of this shop">
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Station</th>
              <th scope="col">Last order</th>
            </tr>
          </thead>
          <tbody>
            {settings.stations.map((s) => (
              <tr key={`${s.code}-${s.name}-${s.lastSeen}`}>
                <td>{s.code}</td>
                <td>
                  {s.name}
                  {s.thisStation ? ' (this station)' : ''}
                </td>
                <td>{formatDateTime(s.lastSeen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const CLOCK_STEPS = [
  { label: '1 hour', seconds: 3600 },
  { label: '1 day', seconds: 86_400 },
  { label: '2 days', seconds: 2 * 86_400 },
  { label: '7 days', seconds: 7 * 86_400 },
  { label: '8 days', seconds: 8 * 86_400 },
];

function TrainingClock() {
  const [seconds, setSeconds] = useState(86_400);
  const [now, setNow] = useState<number | null>(null);
  const save = useSave();
  return (
    <section className="panel" aria-labelledby="clock-title">
      <div className="panel__head">
        <h2 id="clock-title">Training clock</h2>
        <span className="badge badge--mode-emulator">Offline demo only</span>
      </div>
      <p className="small muted">
        Move the demo’s clock forward to rehearse what happens as holds near their deadline and expire. Real
        payments are never affected.
      </p>
      <form
        className="form row-form"
        onSubmit={(e) => {
          e.preventDefault();
          const label = CLOCK_STEPS.find((s) => s.seconds === seconds)?.label ?? `${seconds} s`;
          void save.run(async () => {
            const r = await call('emulator:advanceClock', { seconds });
            setNow(r.now);
            await useSessionStore.getState().refreshInfo();
          }, `Training clock moved forward ${label}.`);
        }}
      >
        <Field label="Advance by">
          <select className="input" value={seconds} onChange={(e) => setSeconds(Number(e.target.value))}>
            {CLOCK_STEPS.map((s) => (
              <option key={s.seconds} value={s.seconds}>
                {s.label}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" className="btn" disabled={save.busy}>
          Advance the clock
        </button>
      </form>
      {now !== null && <p className="small">Demo time is now {formatDateTime(now)}.</p>}
      {save.error && <ErrorNote>{save.error}</ErrorNote>}
    </section>
  );
}

export function SettingsScreen() {
  const user = useSessionStore((s) => s.user);
  const info = useSessionStore((s) => s.info);
  const settings = useSettingsStore((s) => s.settings);
  const error = useSettingsStore((s) => s.error);
  const load = useSettingsStore((s) => s.load);
  const manager = isManager(user);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="settings">
      <header className="screen__head">
        <h1>Settings</h1>
      </header>
      {error && <ErrorNote onRetry={() => void load()}>{error}</ErrorNote>}
      {!settings && !error && <Loading />}
      {settings && !manager && (
        <>
          <Note>Settings and staff accounts are managed by a manager. Ask one to change them.</Note>
          <dl className="stats">
            <div className="stat">
              <dt className="stat__label">Station</dt>
              <dd className="stat__value">{settings.station}</dd>
            </div>
            <div className="stat">
              <dt className="stat__label">Mode</dt>
              <dd className="stat__value">{settings.mode === 'emulator' ? 'Offline demo' : settings.mode}</dd>
            </div>
            <div className="stat">
              <dt className="stat__label">Version</dt>
              <dd className="stat__value">{info?.version}</dd>
            </div>
          </dl>
        </>
      )}
      {settings && manager && (
        <div className="settings__grid">
          <div className="settings__col">
            <StripeKeys />
            <PhoneOrderSettings />
            <TaxSettings />
            <Webhook />
          </div>
          <div className="settings__col">
            <StaffAccounts />
            <Station />
            {/* The training clock moves this station's own emulator; a shared demo shop's clock is its server's. */}
            {info?.mode === 'emulator' && info.emulatorUrl && <TrainingClock />}
          </div>
        </div>
      )}
    </div>
  );
}
