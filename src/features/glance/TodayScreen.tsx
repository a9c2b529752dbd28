// Today at a glance: what was sold and refunded today (in the shop's time zone), what is held and about to
// lapse, what waits to be packed and shipped, disputes and fraud warnings, sales by hour and by day — the same
// figures at every station — and the end-of-day summary to print or save as PDF.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { DayFigures } from '../../../electron/ipc/contract';
import { Money } from '../../components/Money';
import { ErrorNote, Loading } from '../../components/States';
import { subscribe } from '../../lib/ipc';
import { formatDuration } from '../../lib/format';
import { useGlanceStore } from '../../stores/glance-store';
import { useOrdersStore } from '../../stores/orders-store';
import { usePrintStore } from '../../stores/print-store';
import { isManager, useSessionStore } from '../../stores/session-store';
import { SalesCharts } from './SalesCharts';
import { ShopDetailsDialog } from './ShopDetailsDialog';
import { formatInZone } from './zone';
import { useNow } from '../holds/HoldsScreen';
import './glance.css';

function Tile({
  label,
  value,
  detail,
  tone = 'normal',
  action,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  tone?: 'normal' | 'warn' | 'bad' | 'good';
  action?: { label: string; onClick: () => void };
}) {
  return (
    <div className={`tile tile--${tone}`} role="group" aria-label={label}>
      <div className="tile__label">{label}</div>
      <div className="tile__value">{value}</div>
      {detail && <div className="tile__detail">{detail}</div>}
      {action && (
        <button type="button" className="btn btn--ghost btn--small tile__action" onClick={action.onClick}>
          {action.label}
        </button>
      )}
    </div>
  );
}

function showOrders(status: 'received' | 'processing') {
  useOrdersStore.getState().setFilter({ status });
  useSessionStore.getState().setScreen('orders');
}

function Figures({ f, now }: { f: DayFigures; now: number }) {
  const c = f.currency;
  const setScreen = useSessionStore((s) => s.setScreen);
  return (
    <div className="tiles" aria-label="Figures">
      <Tile
        label="Sales"
        value={<Money amount={f.sales.amount} currency={c} />}
        detail={`${f.sales.count} order${f.sales.count === 1 ? '' : 's'}`}
      />
      <Tile
        label="Refunds"
        value={<Money amount={f.refunds.amount} currency={c} />}
        detail={`${f.refunds.count} refund${f.refunds.count === 1 ? '' : 's'}`}
      />
      <Tile
        label="Net"
        value={<Money amount={f.net} currency={c} />}
        detail="Sales less refunds"
        tone="good"
      />
      {f.tax && (f.tax.collected > 0 || f.tax.refunded > 0) && (
        <Tile
          label="Tax collected"
          value={<Money amount={f.tax.collected - f.tax.refunded} currency={c} />}
          detail={
            f.tax.refunded > 0 ? (
              <>
                <Money amount={f.tax.collected} currency={c} /> less{' '}
                <Money amount={f.tax.refunded} currency={c} /> refunded
              </>
            ) : (
              'In the sales above'
            )
          }
        />
      )}
      {f.discounts && f.discounts.count > 0 && (
        <Tile
          label="Discounts given"
          value={<Money amount={f.discounts.amount} currency={c} />}
          detail={`On ${f.discounts.count} order${f.discounts.count === 1 ? '' : 's'}; sales are net of them`}
        />
      )}
      <Tile
        label="Holds outstanding"
        value={<Money amount={f.holds.amount} currency={c} />}
        detail={`${f.holds.count} waitlist hold${f.holds.count === 1 ? '' : 's'} open now`}
        action={{ label: 'Open Holds', onClick: () => setScreen('holds') }}
      />
      <Tile
        label="Expiring within 24 h"
        value={f.expiring.count}
        detail={<Money amount={f.expiring.amount} currency={c} />}
        tone={f.expiring.count > 0 ? 'warn' : 'normal'}
        action={
          f.expiring.count > 0
            ? { label: 'Capture or release', onClick: () => setScreen('holds') }
            : undefined
        }
      />
      <Tile
        label="To pack"
        value={f.toPack}
        detail="Paid, received"
        action={{ label: 'Show', onClick: () => showOrders('received') }}
      />
      <Tile
        label="To ship"
        value={f.toShip}
        detail="Processing"
        action={{ label: 'Show', onClick: () => showOrders('processing') }}
      />
      <Tile
        label="Disputes"
        value={f.disputes.count}
        detail={<Money amount={f.disputes.amount} currency={c} />}
        tone={f.disputes.count > 0 ? 'bad' : 'normal'}
      />
      <Tile
        label="Fraud warnings"
        value={f.fraudWarnings}
        detail="Still actionable"
        tone={f.fraudWarnings > 0 ? 'bad' : 'normal'}
      />
      <Tile label="Cancelled" value={f.cancelled} detail="Orders cancelled this day" />
      {f.expiringHolds.length > 0 && (
        <div className="tile tile--wide tile--warn" role="group" aria-label="Holds lapsing soon">
          <div className="tile__label">Lapsing soonest</div>
          <ul className="expiring-list">
            {f.expiringHolds.slice(0, 5).map((h) => (
              <li key={h.paymentIntentId}>
                <strong>{h.orderNumber ? `#${h.orderNumber}` : h.customerName}</strong> {h.customerName}{' '}
                <Money amount={h.amountCapturable} currency={h.currency} /> —{' '}
                {h.expiresAt ? `lapses in ${formatDuration(h.expiresAt - now)}` : 'deadline unknown'}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

export function TodayScreen() {
  const figures = useGlanceStore((s) => s.figures);
  const status = useGlanceStore((s) => s.status);
  const error = useGlanceStore((s) => s.error);
  const day = useGlanceStore((s) => s.day);
  const load = useGlanceStore((s) => s.load);
  const setDay = useGlanceStore((s) => s.setDay);
  const shop = useGlanceStore((s) => s.shop);
  const loadShop = useGlanceStore((s) => s.loadShop);
  const openSummary = usePrintStore((s) => s.openSummary);
  const user = useSessionStore((s) => s.user);
  const now = useNow(30_000);
  const [editing, setEditing] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    void load();
    void loadShop();
    // Orders, holds and stock change at any station: the figures follow (once per burst).
    const again = () => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void useGlanceStore.getState().load(), 300);
    };
    const offs = [subscribe('orders:changed', again), subscribe('holds:changed', again)];
    const every = setInterval(again, 60_000); // "today" and "within 24 h" move with the clock
    return () => {
      clearTimeout(timer.current);
      clearInterval(every);
      offs.forEach((off) => off());
    };
  }, [load, loadShop]);

  const title = day === null ? 'Today' : `Day ${day}`;
  return (
    <div className="glance">
      <header className="screen__head screen__head--wrap">
        <div>
          <h1>{title}</h1>
          {figures && (
            <p className="muted small">
              {shop ? `${shop.name} · ` : ''}
              {figures.day} in {figures.timeZone}
              {shop?.timeZoneIsDefault ? ' (this computer’s zone)' : ''} · updated{' '}
              {formatInZone(figures.at, figures.timeZone, 'time')}
            </p>
          )}
        </div>
        <span className="spacer" />
        <div className="btn-row">
          <label className="field field--inline">
            <span className="field__label">Day</span>
            <input
              className="input"
              type="date"
              aria-label="Show another day"
              value={day ?? figures?.day ?? ''}
              onChange={(e) => void setDay(e.target.value || null)}
            />
          </label>
          {day !== null && (
            <button type="button" className="btn" onClick={() => void setDay(null)}>
              Back to today
            </button>
          )}
          <button
            type="button"
            className="btn btn--primary"
            disabled={!figures}
            onClick={() => figures && void openSummary(figures)}
          >
            End-of-day summary…
          </button>
          {isManager(user) && shop && (
            <button type="button" className="btn btn--ghost" onClick={() => setEditing(true)}>
              Shop details…
            </button>
          )}
        </div>
      </header>
      {error && <ErrorNote onRetry={() => void load()}>{error}</ErrorNote>}
      {!figures && status !== 'error' && <Loading label="Counting today’s figures…" />}
      {figures && (
        <>
          <Figures f={figures} now={now} />
          {figures.otherCurrencies > 0 && (
            <p className="note note--info">
              {figures.otherCurrencies} order(s) in other currencies than {figures.currency.toUpperCase()} are
              not in these figures.
            </p>
          )}
          <SalesCharts figures={figures} />
        </>
      )}
      {editing && shop && (
        <ShopDetailsDialog
          shop={shop}
          currency={figures?.currency ?? 'usd'}
          onClose={() => setEditing(false)}
        />
      )}
    </div>
  );
}
