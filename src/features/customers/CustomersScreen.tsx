// Customers: find one by name, email or phone number (however it is typed), and their page — contact details,
// every ship-to address, every order and hold, what they spent, and notes shared by every station.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Customer } from '../../../electron/ipc/contract';
import { formatPhone } from '../../../electron/ipc/phone';
import { VirtualList } from '../../components/VirtualList';
import { Money } from '../../components/Money';
import { Empty, ErrorNote, Loading } from '../../components/States';
import { call, errorMessage, subscribe } from '../../lib/ipc';
import { formatDate, formatDateTime, statusLabel } from '../../lib/format';
import { useCustomersStore } from '../../stores/customers-store';
import { useOrdersStore } from '../../stores/orders-store';
import { useSessionStore } from '../../stores/session-store';
import { Notes } from './Notes';
import { SavedCardsSection } from './SavedCardsSection';
import { addressLines, orderState } from '../printing/documents';
import './customers.css';

function openOrder(orderId: string) {
  useOrdersStore.getState().openOrder(orderId);
  useSessionStore.getState().setScreen('orders');
}

function CustomerPage() {
  const profile = useCustomersStore((s) => s.profile);
  const status = useCustomersStore((s) => s.status);
  const error = useCustomersStore((s) => s.error);
  const reload = useCustomersStore((s) => s.reload);
  const addNote = useCustomersStore((s) => s.addNote);
  const removeNote = useCustomersStore((s) => s.removeNote);
  const country = useSessionStore((s) => s.info?.country ?? 'US');
  if (status === 'loading' && !profile) return <Loading label="Loading the customer…" />;
  if (status === 'error') return <ErrorNote onRetry={() => void reload()}>{error}</ErrorNote>;
  if (!profile) return null;
  const c = profile.customer;
  return (
    <article className="customer-page" aria-labelledby="customer-name">
      <header className="customer-page__head">
        <div>
          <h2 id="customer-name">{c.name}</h2>
          <div className="customer-page__contact">
            {c.email && <a href={`mailto:${c.email}`}>{c.email}</a>}
            {c.phone && <a href={`tel:${c.phone.replace(/[^\d+]/g, '')}`}>{formatPhone(c.phone, country)}</a>}
          </div>
        </div>
        <dl className="customer-page__money">
          <div>
            <dt>Total spent</dt>
            <dd>
              <Money amount={profile.totalSpent} currency={profile.currency} />
            </dd>
          </div>
          <div>
            <dt>Refunded</dt>
            <dd>
              <Money amount={profile.totalRefunded} currency={profile.currency} />
            </dd>
          </div>
          <div>
            <dt>Orders</dt>
            <dd>{profile.orders.length}</dd>
          </div>
          <div>
            <dt>Customer since</dt>
            <dd>{profile.firstOrderAt ? formatDate(profile.firstOrderAt) : '—'}</dd>
          </div>
        </dl>
      </header>
      <div className="customer-page__grid">
        <section aria-labelledby="customer-addresses">
          <h3 id="customer-addresses">Addresses</h3>
          {profile.addresses.length === 0 ? (
            <p className="muted small">No ship-to address yet.</p>
          ) : (
            profile.addresses.map((a, i) => (
              <address key={i} className="customer-card">
                {addressLines(a).map((l, j) => (
                  <div key={j}>{l}</div>
                ))}
              </address>
            ))
          )}
        </section>
        <section aria-labelledby="customer-notes">
          <h3 id="customer-notes">Notes</h3>
          <Notes notes={profile.notes} label={c.name} onAdd={addNote} onRemove={removeNote} />
        </section>
      </div>
      <section aria-labelledby="customer-orders">
        <h3 id="customer-orders">Orders</h3>
        {profile.orders.length === 0 ? (
          <p className="muted small">No orders yet.</p>
        ) : (
          <table className="table table--compact">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Placed</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Items
                </th>
                <th scope="col" className="num">
                  Paid
                </th>
                <th scope="col" className="num">
                  Refunded
                </th>
              </tr>
            </thead>
            <tbody>
              {profile.orders.map((o) => (
                <tr key={o.id}>
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      aria-label={`Open order #${o.number}`}
                      onClick={() => openOrder(o.id)}
                    >
                      #{o.number}
                    </button>
                  </td>
                  <td>{formatDateTime(o.createdAt)}</td>
                  <td>
                    <span className={`badge badge--${o.cancelled ? 'bad' : o.status}`}>
                      {statusLabel(orderState(o))}
                    </span>
                  </td>
                  <td className="num">{o.itemCount}</td>
                  <td className="num">
                    <Money amount={o.amountCaptured} currency={o.currency} />
                  </td>
                  <td className="num">
                    {o.amountRefunded > 0 ? <Money amount={o.amountRefunded} currency={o.currency} /> : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="customer-holds">
        <h3 id="customer-holds">Waitlist holds</h3>
        {profile.holds.length === 0 ? (
          <p className="muted small">No holds.</p>
        ) : (
          <table className="table table--compact">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Items</th>
                <th scope="col">Status</th>
                <th scope="col">Deadline</th>
                <th scope="col" className="num">
                  Held
                </th>
              </tr>
            </thead>
            <tbody>
              {profile.holds.map((h) => (
                <tr key={h.paymentIntentId}>
                  <td>{h.orderNumber ? `#${h.orderNumber}` : h.paymentIntentId}</td>
                  <td className="small">{h.items.map((i) => `${i.quantity}× ${i.name}`).join(', ')}</td>
                  <td>
                    <span className={`badge badge--${h.status}`}>{statusLabel(h.status)}</span>
                  </td>
                  <td className="small">{h.expiresAt ? formatDateTime(h.expiresAt) : '—'}</td>
                  <td className="num">
                    <Money
                      amount={h.status === 'authorized' ? h.amountCapturable : h.amountCaptured}
                      currency={h.currency}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {c.id && <SavedCardsSection customerId={c.id} />}
    </article>
  );
}

const ROW = 52;
const PAGE = 50;

/**
 * Every customer by name, to browse (issue 23: only a search existed): a virtual list that reads the pages on
 * screen, so a shop with tens of thousands of customers scrolls as one with ten.
 */
function AllCustomers({ openId, onOpen }: { openId: string | null; onOpen: (id: string) => void }) {
  const country = useSessionStore((s) => s.info?.country ?? 'US');
  const [total, setTotal] = useState<number | null>(null);
  const [rows, setRows] = useState<Record<number, Customer>>({});
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(new Set<number>());
  const load = useCallback((page: number) => {
    if (asked.current.has(page)) return;
    asked.current.add(page);
    call('customers:list', { offset: page * PAGE, limit: PAGE }).then(
      (r) => {
        setTotal(r.total);
        setRows((now) => {
          const next = { ...now };
          r.rows.forEach((c, i) => (next[page * PAGE + i] = c));
          return next;
        });
        setError(null);
      },
      (e: unknown) => {
        asked.current.delete(page);
        setError(errorMessage(e));
      },
    );
  }, []);
  // New customers (any station) change the list: read the pages again.
  const again = useCallback(() => {
    asked.current.clear();
    setRows({});
    load(0);
  }, [load]);
  useEffect(() => {
    load(0);
    return subscribe('orders:changed', again);
  }, [load, again]);
  const onRange = useCallback(
    (start: number, end: number) => {
      for (let p = Math.floor(start / PAGE); p <= Math.floor(Math.max(start, end - 1) / PAGE); p++) load(p);
    },
    [load],
  );
  if (error) return <ErrorNote onRetry={again}>{error}</ErrorNote>;
  if (total === null) return <Loading label="Loading customers…" />;
  if (total === 0)
    return <Empty title="No customers yet">Customers appear here with their first order.</Empty>;
  return (
    <div className="customers__all">
      <div className="muted small">All customers ({total.toLocaleString('en-US')}), by name</div>
      <VirtualList
        count={total}
        rowHeight={ROW}
        label="All customers"
        role="list"
        onRangeChange={onRange}
        renderRow={(i) => {
          const c = rows[i];
          return (
            <div key={c?.id ?? `p${i}`} role="listitem" style={{ height: ROW }} className="customers__row">
              {c ? (
                <button
                  type="button"
                  className="customers__result"
                  aria-current={c.id === openId ? 'true' : undefined}
                  onClick={() => onOpen(c.id)}
                >
                  <span className="strong">{c.name}</span>
                  <span className="muted small">
                    {[c.email, c.phone ? formatPhone(c.phone, country) : null].filter(Boolean).join(' · ')}
                  </span>
                </button>
              ) : (
                <span className="muted small">Loading…</span>
              )}
            </div>
          );
        }}
      />
    </div>
  );
}

export function CustomersScreen() {
  const query = useCustomersStore((s) => s.query);
  const results = useCustomersStore((s) => s.results);
  const searching = useCustomersStore((s) => s.searching);
  const openId = useCustomersStore((s) => s.openId);
  const search = useCustomersStore((s) => s.search);
  const open = useCustomersStore((s) => s.open);
  const [text, setText] = useState(query);

  useEffect(() => {
    if (text === useCustomersStore.getState().query) return;
    const t = setTimeout(() => void search(text), 150);
    return () => clearTimeout(t);
  }, [text, search]);

  // Another station's order, payment or note changes the page: read it again (notes: every few seconds).
  useEffect(() => {
    const again = () => void useCustomersStore.getState().reload();
    const offs = [subscribe('orders:changed', again), subscribe('holds:changed', again)];
    const t = setInterval(again, 5000);
    return () => {
      offs.forEach((off) => off());
      clearInterval(t);
    };
  }, []);

  return (
    <div className="customers">
      <header className="screen__head">
        <h1>Customers</h1>
        <span className="spacer" />
      </header>
      <div className="customers__layout">
        <section className="panel customers__search" aria-label="Find a customer">
          <label className="field__label" htmlFor="customer-search">
            Name, email or phone number
          </label>
          <input
            id="customer-search"
            className="input input--search"
            type="search"
            placeholder="e.g. Grace, grace@…, 555 0101"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          {searching && <Loading label="Searching…" />}
          {!searching && text.trim() && results.length === 0 && (
            <Empty title="No customer found">
              Try part of the name, the email, or the phone number’s digits.
            </Empty>
          )}
          {!text.trim() && <AllCustomers openId={openId} onOpen={(id) => void open(id)} />}
          {results.length > 0 && (
            <ul className="customers__results" aria-label="Customers found">
              {results.map((c) => (
                <li key={c.id}>
                  <button
                    type="button"
                    className="customers__result"
                    aria-current={c.id === openId ? 'true' : undefined}
                    onClick={() => void open(c.id)}
                  >
                    <span className="strong">{c.name}</span>
                    <span className="muted small">{[c.email, c.phone].filter(Boolean).join(' · ')}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="panel customers__page" aria-label="Customer">
          {openId ? (
            <CustomerPage />
          ) : (
            <Empty title="No customer open">
              Choose one on the left, search, or open a customer from an order.
            </Empty>
          )}
        </section>
      </div>
    </div>
  );
}
