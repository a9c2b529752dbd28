// The audit log (managers): who did what, at which station, to which order or payment, and when — filtered by
// person, kind of action, order and dates — and the chain check: every entry's hash covers the one before, so an
// entry changed behind the console's back is found and named.
import { useCallback, useEffect, useState } from 'react';
import type { AuditEntry, User } from '../../../electron/ipc/contract';
import { Empty, ErrorNote, Loading } from '../../components/States';
import { call, errorMessage } from '../../lib/ipc';
import { dateInputToMs, formatDateTime } from '../../lib/format';
import { LIMITS } from '../../lib/validation';
import { auditTitle } from '../orders/OrderDetailPane';
import { MoneyActions } from './MoneyActions';

const PAGE = 100;

const MORE_TITLES: Record<string, string> = {
  'payment.link_sent': 'Secure payment link sent to the customer',
  'payment.cancelled_in_progress': 'Payment in progress cancelled (not charged)',
  'user.pin_changed': 'Changed their own PIN',
  'user.created': 'Account created',
  'user.updated': 'Account changed',
  'order.collected': 'Collected by the customer',
  'settings.updated': 'Settings changed',
  'settings.secret_key_changed': 'Stripe key changed',
  'training.clock_advanced': 'Training clock moved on',
  'reconcile.fixed': 'A difference with Stripe fixed',
};
const actionWords = (a: string) => MORE_TITLES[a] ?? auditTitle(a);

const ACTIONS: { value: string; label: string }[] = [
  { value: '', label: 'Everything' },
  { value: 'payment', label: 'Payments (charged, declined, links sent)' },
  { value: 'hold.', label: 'Holds (captured, released)' },
  { value: 'order.refunded', label: 'Refunds' },
  { value: 'order.', label: 'Orders (packed, shipped, refunded)' },
  { value: 'user.', label: 'Accounts and PINs' },
  { value: 'settings.', label: 'Settings and the Stripe key' },
  { value: 'external.', label: 'Done outside the console' },
];

/** An entry's details, in words: the fields it recorded, amounts and ids as they are. */
function detail(e: AuditEntry): string {
  const after = e.after && typeof e.after === 'object' ? (e.after as Record<string, unknown>) : null;
  if (!after) return '';
  return Object.entries(after)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k.replace(/([A-Z])/g, ' $1').toLowerCase()}: ${String(v)}`)
    .join(' · ');
}

export function AuditScreen() {
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [subject, setSubject] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [users, setUsers] = useState<User[]>([]);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [check, setCheck] = useState<{ ok: boolean; entries: number; brokenAt: number | null } | null>(null);
  const [checking, setChecking] = useState(false);
  // This station's own log, or every station's money actions from Stripe (issue 23 item 7).
  const [view, setView] = useState<'log' | 'money'>('log');

  const filter = useCallback(
    () => ({
      ...(actor ? { actor } : {}),
      ...(action ? { action } : {}),
      ...(subject.trim() ? { subject: subject.trim().slice(0, LIMITS.orderQuery) } : {}),
      ...(dateInputToMs(from, 'start') !== undefined ? { from: dateInputToMs(from, 'start') } : {}),
      ...(dateInputToMs(to, 'end') !== undefined ? { to: dateInputToMs(to, 'end') } : {}),
    }),
    [actor, action, subject, from, to],
  );

  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      call('audit:list', { ...filter(), limit: PAGE, offset: 0 }).then(
        (rows) => {
          if (!live) return;
          setEntries(rows);
          setMore(rows.length === PAGE);
          setError(null);
        },
        (e: unknown) => live && setError(errorMessage(e)),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [filter]);

  useEffect(() => {
    call('users:list', {}).then(setUsers, () => setUsers([]));
  }, []);

  const loadMore = async () => {
    try {
      const rows = await call('audit:list', { ...filter(), limit: PAGE, offset: entries?.length ?? 0 });
      setEntries([...(entries ?? []), ...rows]);
      setMore(rows.length === PAGE);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const verify = async () => {
    setChecking(true);
    try {
      setCheck(await call('audit:verify', {}));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setChecking(false);
    }
  };

  const tabs = (
    <div className="btn-row" role="tablist" aria-label="Which record">
      <button
        type="button"
        role="tab"
        aria-selected={view === 'log'}
        className={`btn btn--small ${view === 'log' ? 'btn--primary' : ''}`}
        onClick={() => setView('log')}
      >
        This station’s log
      </button>
      <button
        type="button"
        role="tab"
        aria-selected={view === 'money'}
        className={`btn btn--small ${view === 'money' ? 'btn--primary' : ''}`}
        onClick={() => setView('money')}
      >
        Money actions, every station
      </button>
    </div>
  );
  if (view === 'money')
    return (
      <div className="audit">
        <header className="screen__head">
          <h1>Money actions</h1>
          <span className="spacer" />
          {tabs}
        </header>
        <MoneyActions />
      </div>
    );

  return (
    <div className="audit">
      <header className="screen__head">
        <h1>Audit log</h1>
        <span className="spacer" />
        {tabs}
        <button type="button" className="btn" disabled={checking} onClick={() => void verify()}>
          {checking ? 'Checking…' : 'Check the chain'}
        </button>
      </header>
      {check && (
        <p className={`note ${check.ok ? 'note--success' : 'note--error'}`} role="status">
          {check.ok
            ? `The chain holds: all ${check.entries.toLocaleString('en-US')} entries are as they were written.`
            : `The chain is broken at entry #${check.brokenAt}: that entry (or the one before it) was changed outside the console. Entries before it are intact.`}
        </p>
      )}
      <div className="filters" role="search" aria-label="Filter the audit log">
        <div className="field field--inline">
          <label className="field__label" htmlFor="audit-actor">
            Who
          </label>
          <select id="audit-actor" className="input" value={actor} onChange={(e) => setActor(e.target.value)}>
            <option value="">Anyone</option>
            {users.map((u) => (
              <option key={u.id} value={u.name}>
                {u.name}
              </option>
            ))}
            <option value="Stripe (outside the console)">Outside the console</option>
          </select>
        </div>
        <div className="field field--inline">
          <label className="field__label" htmlFor="audit-action">
            What
          </label>
          <select
            id="audit-action"
            className="input"
            value={action}
            onChange={(e) => setAction(e.target.value)}
          >
            {ACTIONS.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--inline">
          <label className="field__label" htmlFor="audit-subject">
            Order or payment
          </label>
          <input
            id="audit-subject"
            className="input input--search"
            type="search"
            placeholder="Order number or id"
            maxLength={LIMITS.orderQuery}
            value={subject}
            onChange={(e) => setSubject(e.target.value)}
          />
        </div>
        <div className="field field--inline">
          <label className="field__label" htmlFor="audit-from">
            From
          </label>
          <input
            id="audit-from"
            className="input"
            type="date"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </div>
        <div className="field field--inline">
          <label className="field__label" htmlFor="audit-to">
            To
          </label>
          <input
            id="audit-to"
            className="input"
            type="date"
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </div>
      </div>
      {error && <ErrorNote>{error}</ErrorNote>}
      {!entries && !error && <Loading label="Reading the audit log…" />}
      {entries && entries.length === 0 && (
        <Empty title="Nothing recorded">No entry matches these filters.</Empty>
      )}
      {entries && entries.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Audit entries">
          <table className="table table--compact audit-table">
            <caption className="sr-only">Audit log, newest first</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Order or payment</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.seq}>
                  <td className="num muted">{e.seq}</td>
                  <td className="nowrap">{formatDateTime(e.at)}</td>
                  <td>
                    {e.actor}
                    <div className="muted small">{e.station}</div>
                  </td>
                  <td>{actionWords(e.action)}</td>
                  <td>
                    {e.subjectLabel && <strong>{e.subjectLabel}</strong>}
                    <code className={`mono small ${e.subjectLabel ? 'muted audit-subject__id' : ''}`}>
                      {e.subject}
                    </code>
                  </td>
                  <td className="small">
                    {detail(e)}
                    {(e.idempotencyKey || e.stripeRequestId) && (
                      <details>
                        <summary>Stripe request</summary>
                        {e.idempotencyKey && <div className="mono small">key {e.idempotencyKey}</div>}
                        {e.stripeRequestId && <div className="mono small">request {e.stripeRequestId}</div>}
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {more && (
        <button type="button" className="btn" onClick={() => void loadMore()}>
          Show older entries
        </button>
      )}
    </div>
  );
}
