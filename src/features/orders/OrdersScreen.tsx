// Orders: a windowed list that pages through orders:list as you scroll (never all orders in memory),
// filters and search as you type, checkbox selection for bulk fulfillment, CSV export, and the detail pane.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OrderStatus } from '../../../electron/ipc/contract';
import { Money } from '../../components/Money';
import { Empty, ErrorNote } from '../../components/States';
import { VirtualList } from '../../components/VirtualList';
import { call, errorMessage } from '../../lib/ipc';
import { dateInputToMs, formatDateTime } from '../../lib/format';
import { scrollToReveal } from '../../lib/virtual';
import { toFilter, useOrdersStore } from '../../stores/orders-store';
import { toast } from '../../stores/toast-store';
import { AdvanceDialog } from './AdvanceDialog';
import { BulkShipDialog } from './BulkShipDialog';
import { canMoveToProcessing, canShip, notOfferedBecause, OrderStateBadge } from './order-words';
import { formatPhone } from '../../../electron/ipc/phone';
import { useSessionStore } from '../../stores/session-store';
import { LIMITS } from '../../lib/validation';
import { OrderDetailPane } from './OrderDetailPane';
import { usePrintStore } from '../../stores/print-store';
import { PaymentsInProgressPanel } from '../payments/PaymentsInProgress';

export const ROW_HEIGHT = 44;

function downloadCsv(filename: string, csv: string) {
  const blob = new Blob([csv], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Filters() {
  const filter = useOrdersStore((s) => s.filter);
  const setFilter = useOrdersStore((s) => s.setFilter);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  return (
    <div className="filters" role="search" aria-label="Filter orders">
      <div className="field field--inline">
        <label className="field__label" htmlFor="orders-search">
          Search
        </label>
        <input
          id="orders-search"
          className="input input--search"
          type="search"
          placeholder="Name, phone, email or order number"
          maxLength={LIMITS.orderQuery}
          value={filter.query}
          // Sent at once: the store sends only the newest term while one is being answered, and drops stale answers.
          onChange={(e) => setFilter({ query: e.target.value })}
        />
      </div>
      <div className="field field--inline">
        <label className="field__label" htmlFor="orders-status">
          Status
        </label>
        <select
          id="orders-status"
          className="input"
          value={
            filter.payment === 'authorized'
              ? 'awaiting'
              : filter.payment === 'canceled'
                ? 'cancelled'
                : filter.status
          }
          onChange={(e) => {
            const v = e.target.value;
            if (v === 'awaiting') setFilter({ status: '', payment: 'authorized' });
            else if (v === 'cancelled') setFilter({ status: '', payment: 'canceled' });
            else setFilter({ status: v as OrderStatus | '', payment: '' });
          }}
        >
          <option value="">All</option>
          <option value="awaiting">Awaiting stock</option>
          <option value="received">Received</option>
          <option value="processing">Processing</option>
          <option value="shipped">Shipped</option>
          <option value="cancelled">Cancelled</option>
        </select>
      </div>
      <div className="field field--inline">
        <label className="field__label" htmlFor="orders-from">
          From
        </label>
        <input
          id="orders-from"
          className="input"
          type="date"
          value={from}
          onChange={(e) => {
            setFrom(e.target.value);
            setFilter({ from: dateInputToMs(e.target.value, 'start') });
          }}
        />
      </div>
      <div className="field field--inline">
        <label className="field__label" htmlFor="orders-to">
          To
        </label>
        <input
          id="orders-to"
          className="input"
          type="date"
          value={to}
          onChange={(e) => {
            setTo(e.target.value);
            setFilter({ to: dateInputToMs(e.target.value, 'end') });
          }}
        />
      </div>
    </div>
  );
}

export function OrdersScreen() {
  const total = useOrdersStore((s) => s.total);
  const totalCapped = useOrdersStore((s) => s.totalCapped);
  const error = useOrdersStore((s) => s.error);
  const pages = useOrdersStore((s) => s.pages);
  const selected = useOrdersStore((s) => s.selected);
  const openOrderId = useOrdersStore((s) => s.openOrderId);
  const ensureRange = useOrdersStore((s) => s.ensureRange);
  const refresh = useOrdersStore((s) => s.refresh);
  const toggleSelected = useOrdersStore((s) => s.toggleSelected);
  const setSelected = useOrdersStore((s) => s.setSelected);
  const clearSelection = useOrdersStore((s) => s.clearSelection);
  const openOrder = useOrdersStore((s) => s.openOrder);
  const rowAt = useOrdersStore((s) => s.rowAt);
  const [bulk, setBulk] = useState<null | 'processing' | 'shipped'>(null);
  const [exporting, setExporting] = useState(false);
  const currentQuery = useOrdersStore((s) => s.filter.query);
  const [csvLayout, setCsvLayout] = useState<'orders' | 'lines'>('orders');
  const country = useSessionStore((s) => s.info?.country ?? 'US');
  // Bulk actions are offered only for the selected orders they apply to (from the rows loaded on screen).
  const loaded = new Map(
    Object.values(pages)
      .flat()
      .map((r) => [r.id, r]),
  );
  const selectedRows = Object.keys(selected)
    .map((id) => loaded.get(id))
    .filter((r): r is NonNullable<typeof r> => !!r);
  const eligible = (to: 'processing' | 'shipped') =>
    selectedRows.filter((r) => (to === 'processing' ? canMoveToProcessing(r) : canShip(r)));
  const ineligible = (to: 'processing' | 'shipped') =>
    selectedRows
      .filter((r) => !(to === 'processing' ? canMoveToProcessing(r) : canShip(r)))
      .map((r) => notOfferedBecause(r, to));
  const [focusIndex, setFocusIndex] = useState(0);
  const [visible, setVisible] = useState({ start: 0, end: 0 });
  const listRef = useRef<HTMLDivElement>(null);
  void pages; // re-render when pages arrive

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const onRange = useCallback(
    (start: number, end: number) => {
      setVisible({ start, end });
      ensureRange(start, end);
    },
    [ensureRange],
  );

  const selectedIds = Object.keys(selected);
  const count = total ?? 0;

  const exportCsv = async () => {
    setExporting(true);
    try {
      const res = await call('orders:exportCsv', {
        ...toFilter(useOrdersStore.getState().filter),
        layout: csvLayout,
        // No zone: main writes the shop's (the one every screen shows), not this computer's.
      });
      downloadCsv(res.filename, res.csv);
      toast(`Exported ${res.rows} order${res.rows === 1 ? '' : 's'} to ${res.filename}.`, 'success');
    } catch (e) {
      toast(errorMessage(e), 'error');
    } finally {
      setExporting(false);
    }
  };

  const moveFocus = (index: number) => {
    const list = listRef.current;
    if (!list || count === 0) return;
    const i = Math.max(0, Math.min(count - 1, index));
    setFocusIndex(i);
    list.scrollTop = scrollToReveal(i, list.scrollTop, list.clientHeight, ROW_HEIGHT);
    requestAnimationFrame(() => list.querySelector<HTMLElement>(`[data-row="${i}"] .orow__open`)?.focus());
  };

  const onListKey = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((listRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const keys: Record<string, number> = {
      ArrowDown: focusIndex + 1,
      ArrowUp: focusIndex - 1,
      PageDown: focusIndex + page,
      PageUp: focusIndex - page,
      Home: 0,
      End: count - 1,
    };
    const target = keys[e.key];
    if (target === undefined || (e.target as HTMLElement).tagName === 'INPUT') return;
    e.preventDefault();
    moveFocus(target);
  };

  const visibleIds: string[] = [];
  for (let i = visible.start; i < visible.end; i++) {
    const r = rowAt(i);
    if (r) visibleIds.push(r.id);
  }
  const allVisibleSelected = visibleIds.length > 0 && visibleIds.every((id) => selected[id]);

  const renderRow = (i: number) => {
    const r = rowAt(i);
    if (!r) {
      return (
        <div
          key={`p${i}`}
          className="orow orow--placeholder"
          role="row"
          aria-rowindex={i + 2}
          style={{ height: ROW_HEIGHT }}
        >
          <span role="cell" className="muted small">
            Loading…
          </span>
        </div>
      );
    }
    const isOpen = r.id === openOrderId;
    return (
      <div
        key={r.id}
        data-row={i}
        className={`orow ${isOpen ? 'orow--open' : ''} ${selected[r.id] ? 'orow--selected' : ''}`}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={!!selected[r.id]}
        style={{ height: ROW_HEIGHT }}
      >
        <span role="cell" className="orow__check">
          <input
            type="checkbox"
            aria-label={`Select order #${r.number} for ${r.customerName}`}
            checked={!!selected[r.id]}
            onChange={() => toggleSelected(r.id)}
          />
        </span>
        <span role="cell" className="orow__id">
          <button
            type="button"
            className="orow__open"
            tabIndex={i === focusIndex ? 0 : -1}
            onFocus={() => setFocusIndex(i)}
            onClick={() => openOrder(r.id)}
            aria-label={`Open order #${r.number}, ${r.customerName}`}
            title={r.id}
          >
            #{r.number}
          </button>
        </span>
        <span role="cell" className="orow__customer">
          <span className="orow__name">{r.customerName}</span>
          {(r.customerPhone || r.customerEmail) && (
            <span className="orow__email">
              {r.customerPhone ? formatPhone(r.customerPhone, country) : r.customerEmail}
            </span>
          )}
        </span>
        <span role="cell" className="orow__status">
          <OrderStateBadge order={r} />
        </span>
        <span role="cell" className="orow__delivery">
          {r.delivery === 'ship' ? 'Ship' : r.delivery === 'collect' ? 'Collect' : '—'}
        </span>
        <span role="cell" className="orow__items num">
          {r.itemCount}
        </span>
        <span role="cell" className="orow__amount num">
          {r.paymentState === 'authorized' || r.paymentState === 'canceled' ? (
            <span className={r.paymentState === 'canceled' ? 'orow__void' : undefined}>
              <Money amount={r.amountTotal} currency={r.currency} />
              <span className="orow__refunded orow__paynote">
                {/* Nothing is held on a saved card: it is charged when the stock arrives. */}
                {r.paymentState === 'canceled'
                  ? 'not charged'
                  : r.cardWait
                    ? 'card saved'
                    : r.holdLapsed
                      ? 'hold lapsed'
                      : 'held'}
              </span>
            </span>
          ) : (
            <Money amount={r.amountCaptured} currency={r.currency} />
          )}
          {r.amountRefunded > 0 && (
            <span className="orow__refunded">
              −<Money amount={r.amountRefunded} currency={r.currency} />
            </span>
          )}
        </span>
        <span role="cell" className="orow__date">
          {formatDateTime(r.createdAt)}
        </span>
      </div>
    );
  };

  return (
    <div className={`orders ${openOrderId ? 'orders--with-detail' : ''}`}>
      <div className="orders__main">
        <header className="screen__head">
          <h1>Orders</h1>
          <span className="muted" role="status" aria-live="polite">
            {total === null
              ? 'Loading…'
              : totalCapped
                ? `${total.toLocaleString('en-US')}+ orders`
                : `${total.toLocaleString('en-US')} order${total === 1 ? '' : 's'}`}
          </span>
          <span className="spacer" />
          <button type="button" className="btn" onClick={() => void refresh()}>
            Refresh
          </button>
          <label className="sr-only" htmlFor="orders-csv-layout">
            CSV rows
          </label>
          <select
            id="orders-csv-layout"
            className="input input--auto"
            value={csvLayout}
            onChange={(e) => setCsvLayout(e.target.value as 'orders' | 'lines')}
          >
            <option value="orders">One row per order</option>
            <option value="lines">One row per item</option>
          </select>
          <button
            type="button"
            className="btn"
            disabled={exporting || !total}
            onClick={() => void exportCsv()}
          >
            {exporting ? 'Exporting…' : 'Export CSV'}
          </button>
        </header>
        <Filters />
        <PaymentsInProgressPanel />
        {selectedIds.length > 0 && (
          <div className="bulkbar" role="toolbar" aria-label="Selected orders">
            <strong>{selectedIds.length} selected</strong>
            <button
              type="button"
              className="btn btn--small"
              disabled={eligible('processing').length === 0}
              title={eligible('processing').length === 0 ? 'None of these can move to processing' : undefined}
              onClick={() => setBulk('processing')}
            >
              Move to processing
              {eligible('processing').length !== selectedIds.length && eligible('processing').length > 0
                ? ` (${eligible('processing').length})`
                : ''}
            </button>
            <button
              type="button"
              className="btn btn--small"
              disabled={eligible('shipped').length === 0}
              title={eligible('shipped').length === 0 ? 'None of these can ship yet' : undefined}
              onClick={() => setBulk('shipped')}
            >
              Mark shipped…
              {eligible('shipped').length !== selectedIds.length && eligible('shipped').length > 0
                ? ` (${eligible('shipped').length})`
                : ''}
            </button>
            <button
              type="button"
              className="btn btn--small"
              disabled={selectedIds.length > 200}
              title={selectedIds.length > 200 ? 'At most 200 at a time' : undefined}
              onClick={() =>
                void usePrintStore
                  .getState()
                  .open('packing_slip', selectedIds)
                  .catch((e: unknown) => toast(errorMessage(e), 'error'))
              }
            >
              Packing slips
            </button>
            <button type="button" className="btn btn--ghost btn--small" onClick={clearSelection}>
              Clear selection
            </button>
          </div>
        )}
        {error && <ErrorNote onRetry={() => void refresh()}>{error}</ErrorNote>}
        <div
          className="otable"
          role="table"
          aria-label="Orders"
          aria-rowcount={count + 1}
          // The search the rows on screen answer (set once its first page arrived): what the bench waits for.
          data-results-for={total === null ? undefined : currentQuery}
        >
          <div className="orow orow--head" role="row" aria-rowindex={1}>
            <span role="columnheader" className="orow__check">
              <input
                type="checkbox"
                aria-label="Select all orders on screen"
                checked={allVisibleSelected}
                disabled={visibleIds.length === 0}
                onChange={() => setSelected(visibleIds, !allVisibleSelected)}
              />
            </span>
            <span role="columnheader" className="orow__id">
              Order
            </span>
            <span role="columnheader" className="orow__customer">
              Customer
            </span>
            <span role="columnheader" className="orow__status">
              Status
            </span>
            <span role="columnheader" className="orow__delivery">
              Delivery
            </span>
            <span role="columnheader" className="orow__items num">
              Items
            </span>
            <span role="columnheader" className="orow__amount num">
              Amount
            </span>
            <span role="columnheader" className="orow__date">
              Date
            </span>
          </div>
          {total === 0 ? (
            <div data-empty-orders="">
              <Empty title="No orders">
                {useOrdersStore.getState().filter.query || useOrdersStore.getState().filter.status
                  ? 'Nothing matches these filters.'
                  : 'Orders appear here as soon as a phone order is paid.'}
              </Empty>
            </div>
          ) : (
            <VirtualList
              count={count}
              rowHeight={ROW_HEIGHT}
              renderRow={renderRow}
              onRangeChange={onRange}
              scrollRef={listRef}
              onKeyDown={onListKey}
            />
          )}
        </div>
      </div>
      {openOrderId && (
        <OrderDetailPane key={openOrderId} orderId={openOrderId} onClose={() => openOrder(null)} />
      )}
      {bulk === 'shipped' && (
        <BulkShipDialog
          orders={eligible('shipped')}
          skipped={ineligible('shipped')}
          onClose={() => setBulk(null)}
          onDone={(results) => {
            const ok = results.filter((r) => r.ok).length;
            toast(
              `${ok} of ${results.length} order${results.length === 1 ? '' : 's'} shipped.`,
              ok === results.length ? 'success' : 'warning',
            );
            setSelected(
              results.filter((r) => r.ok).map((r) => r.orderId),
              false,
            );
            void refresh();
          }}
        />
      )}
      {bulk === 'processing' && (
        <AdvanceDialog
          orderIds={eligible('processing').map((o) => o.id)}
          to={bulk}
          onClose={() => setBulk(null)}
          onDone={(results) => {
            const ok = results.filter((r) => r.ok).length;
            toast(
              `${ok} of ${results.length} order${results.length === 1 ? '' : 's'} moved to processing.`,
              ok === results.length ? 'success' : 'warning',
            );
            setSelected(
              results.filter((r) => r.ok).map((r) => r.orderId),
              false,
            );
            void refresh();
          }}
        />
      )}
    </div>
  );
}
