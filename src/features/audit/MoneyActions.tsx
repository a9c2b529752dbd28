// Money actions of every station (issue 23 item 7): who captured, released, refunded or cancelled, at which
// station, when and how much — read from Stripe (what each action wrote there), so every station and a rebuilt one
// show the same, unlike the audit log, which is this station's own.
import { useEffect, useState } from 'react';
import type { MoneyAction } from '../../../electron/ipc/contract';
import { Money } from '../../components/Money';
import { Empty, ErrorNote, Loading } from '../../components/States';
import { call, errorMessage, subscribe } from '../../lib/ipc';
import { formatDateTime } from '../../lib/format';

const KIND_WORDS: Record<MoneyAction['kind'], string> = {
  captured: 'Hold captured',
  charged_saved_card: 'Saved card charged',
  released: 'Hold released',
  lapsed: 'Hold lapsed (the bank)',
  refunded: 'Refunded',
  refund_failed: 'Refund failed',
  cancelled: 'Order cancelled',
};

/** Who did it: a person at a station, the customer by a person's link, Stripe, or Stripe's Dashboard. */
function Who({ action: a }: { action: MoneyAction }) {
  const station = a.station && <div className="muted small">{a.station}</div>;
  switch (a.who) {
    case 'person':
      return (
        <>
          {a.by}
          {station}
        </>
      );
    case 'customer':
      return (
        <>
          The customer
          <div className="muted small">{a.by ? `by the link ${a.by} sent` : 'by a link'}</div>
          {station}
        </>
      );
    case 'stripe':
      return <>Stripe</>;
    case 'dashboard':
      return (
        <>
          In Stripe’s Dashboard
          <div className="muted small">outside the console</div>
        </>
      );
    case 'unrecorded':
      return (
        <>
          Not recorded
          <div className="muted small">an earlier version of the console</div>
        </>
      );
  }
}

export function MoneyActions() {
  const [actions, setActions] = useState<MoneyAction[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [kind, setKind] = useState('');
  const [station, setStation] = useState('');
  useEffect(() => {
    const load = () =>
      call('audit:moneyActions', { limit: 500 })
        .then((a) => {
          setActions(a);
          setError(null);
        })
        .catch((e: unknown) => setError(errorMessage(e)));
    load();
    // Another station's action arrives as events, often several at once: read the list once they settle.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void load(), 500);
    };
    const offs = [subscribe('orders:changed', soon), subscribe('holds:changed', soon)];
    return () => {
      clearTimeout(timer);
      offs.forEach((off) => off());
    };
  }, []);
  const stations = [...new Set((actions ?? []).map((a) => a.station).filter((s): s is string => !!s))].sort();
  const shown = (actions ?? []).filter(
    (a) => (!kind || a.kind === kind) && (!station || a.station === station),
  );
  return (
    <>
      <p className="muted small">
        From Stripe: what every station (and Stripe itself) did with the shop’s money, the same at every desk.
      </p>
      <div className="filters" role="search" aria-label="Filter the money actions">
        <div className="field field--inline">
          <label className="field__label" htmlFor="money-kind">
            What
          </label>
          <select id="money-kind" className="input" value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">Every money action</option>
            {Object.entries(KIND_WORDS).map(([k, w]) => (
              <option key={k} value={k}>
                {w}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--inline">
          <label className="field__label" htmlFor="money-station">
            Station
          </label>
          <select
            id="money-station"
            className="input"
            value={station}
            onChange={(e) => setStation(e.target.value)}
          >
            <option value="">Every station</option>
            {stations.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error && <ErrorNote>{error}</ErrorNote>}
      {!actions && !error && <Loading label="Reading the money actions…" />}
      {actions && shown.length === 0 && (
        <Empty title="No money actions">Nothing matches these filters.</Empty>
      )}
      {shown.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Money actions">
          <table className="table table--compact audit-table">
            <caption className="sr-only">Money actions of every station, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Order</th>
                <th scope="col">Who</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((a, i) => (
                <tr key={`${a.kind}-${a.orderId ?? a.customerName}-${a.at ?? 0}-${i}`}>
                  <td className="nowrap">{a.at ? formatDateTime(a.at) : '—'}</td>
                  <td>{KIND_WORDS[a.kind]}</td>
                  <td className="num">
                    <Money amount={a.amount} currency={a.currency} />
                  </td>
                  <td>
                    {a.orderNumber && <strong>#{a.orderNumber}</strong>}{' '}
                    <span className="muted small">{a.customerName}</span>
                  </td>
                  <td>
                    <Who action={a} />
                  </td>
                  <td className="small">{a.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
