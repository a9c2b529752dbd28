// The catalog (manager): search every product, add and edit them (a new price is a new Stripe Price), count the
// stock (who counted and when, the same at every station), deactivate, and record goods received — which
// lists the waitlist orders the stock now covers, to capture.
import { useEffect, useState } from 'react';
import type { CatalogItem } from '../../../electron/ipc/contract';
import { Money } from '../../components/Money';
import { Empty, ErrorNote, Loading } from '../../components/States';
import { errorMessage, subscribe } from '../../lib/ipc';
import { formatDateTime } from '../../lib/format';
import { useCatalogStore } from '../../stores/catalog-store';
import { toast } from '../../stores/toast-store';
import { CountDialog, ProductDialog, ReceiveDialog } from './ProductDialogs';
import { StockArrived } from './StockArrived';
import { useNow } from '../holds/HoldsScreen';
import './catalog.css';

type DialogState = null | { kind: 'add' } | { kind: 'edit' | 'count' | 'receive'; product: CatalogItem };

export function CatalogScreen() {
  const items = useCatalogStore((s) => s.items);
  const status = useCatalogStore((s) => s.status);
  const error = useCatalogStore((s) => s.error);
  const include = useCatalogStore((s) => s.include);
  const coverable = useCatalogStore((s) => s.coverable);
  const load = useCatalogStore((s) => s.load);
  const setQuery = useCatalogStore((s) => s.setQuery);
  const setInclude = useCatalogStore((s) => s.setInclude);
  const save = useCatalogStore((s) => s.save);
  const loadCoverable = useCatalogStore((s) => s.loadCoverable);
  const now = useNow(30_000);
  const [query, setText] = useState(useCatalogStore.getState().query);
  const [dialog, setDialog] = useState<DialogState>(null);

  useEffect(() => {
    void load();
    void loadCoverable();
    const again = () => {
      void useCatalogStore.getState().load();
      void useCatalogStore.getState().loadCoverable();
    };
    const offs = [subscribe('products:changed', again), subscribe('holds:changed', again)];
    return () => offs.forEach((off) => off());
  }, [load, loadCoverable]);

  useEffect(() => {
    if (query === useCatalogStore.getState().query) return;
    const t = setTimeout(() => void setQuery(query), 150);
    return () => clearTimeout(t);
  }, [query, setQuery]);

  const shopCurrency = items.find((p) => p.active)?.currency ?? 'usd';
  const toggleActive = async (p: CatalogItem) => {
    try {
      await save({
        id: p.id,
        name: p.name,
        sku: p.sku,
        unitAmount: p.unitAmount,
        currency: p.currency,
        stock: p.onHand,
        active: !p.active,
      });
      toast(p.active ? `${p.name} is no longer sold.` : `${p.name} is sold again.`, 'success');
    } catch (e) {
      toast(errorMessage(e), 'error');
    }
  };

  return (
    <div className="catalog">
      <header className="screen__head">
        <h1>Catalog</h1>
        <span className="muted nowrap">
          {status === 'ready' ? `${items.length} product${items.length === 1 ? '' : 's'}` : ''}
        </span>
        <span className="spacer" />
        <input
          className="input input--search"
          type="search"
          aria-label="Search the catalog"
          placeholder="Name or SKU"
          value={query}
          onChange={(e) => setText(e.target.value)}
        />
        <div className="segmented" role="group" aria-label="Which products">
          <button type="button" aria-pressed={include === 'active'} onClick={() => void setInclude('active')}>
            On sale
          </button>
          <button type="button" aria-pressed={include === 'all'} onClick={() => void setInclude('all')}>
            All
          </button>
        </div>
        <button type="button" className="btn btn--primary" onClick={() => setDialog({ kind: 'add' })}>
          Add product
        </button>
      </header>
      {error && <ErrorNote onRetry={() => void load()}>{error}</ErrorNote>}
      {status === 'loading' && items.length === 0 && <Loading label="Loading the catalog…" />}
      {status === 'ready' && items.length === 0 && (
        <Empty title="No products found">Add a product, or search for another name or SKU.</Empty>
      )}
      {items.length > 0 && (
        <div className="table-scroll catalog__table">
          <table className="table">
            <caption className="sr-only">Products</caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" className="num">
                  Price
                </th>
                <th scope="col" className="num">
                  On hand
                </th>
                <th scope="col" className="num" title="Promised to waiting orders (holds and saved cards)">
                  Committed
                </th>
                <th scope="col" className="num" title="What new orders can take: on hand less committed">
                  Available
                </th>
                <th scope="col">Last counted</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id} className={p.active ? '' : 'row--inactive'}>
                  <td>
                    <div className="strong">{p.name}</div>
                    <div className="muted small mono">{p.sku}</div>
                  </td>
                  <td className="num">
                    <Money amount={p.unitAmount} currency={p.currency} />
                  </td>
                  <td className="num">
                    {p.onHand}
                    {p.oversold > 0 && <div className="badge badge--bad">{p.oversold} oversold</div>}
                  </td>
                  <td className="num">{p.committed > 0 ? p.committed : <span className="muted">0</span>}</td>
                  <td className="num">
                    <span className={p.stock === 0 ? 'stock stock--out' : 'stock'}>{p.stock}</span>
                  </td>
                  <td className="small">
                    {p.countedAt ? (
                      formatDateTime(p.countedAt)
                    ) : (
                      <span className="muted">Not counted yet</span>
                    )}
                    {p.countedBy && <div className="muted">{p.countedBy}</div>}
                  </td>
                  <td>
                    {p.active ? (
                      <span className="badge badge--good">On sale</span>
                    ) : (
                      <span className="badge badge--released">Not sold</span>
                    )}
                    {p.duplicateSku && (
                      <div className="badge badge--bad" title="Another product on sale has this SKU">
                        Duplicate SKU
                      </div>
                    )}
                  </td>
                  <td className="actions">
                    <button
                      type="button"
                      className="btn btn--small"
                      aria-label={`Stock arrived: ${p.name}`}
                      disabled={!p.active}
                      onClick={() => setDialog({ kind: 'receive', product: p })}
                    >
                      Stock arrived…
                    </button>
                    <button
                      type="button"
                      className="btn btn--small"
                      aria-label={`Count ${p.name}`}
                      onClick={() => setDialog({ kind: 'count', product: p })}
                    >
                      Count…
                    </button>
                    <button
                      type="button"
                      className="btn btn--small"
                      aria-label={`Edit ${p.name}`}
                      onClick={() => setDialog({ kind: 'edit', product: p })}
                    >
                      Edit…
                    </button>
                    <button
                      type="button"
                      className="btn btn--ghost btn--small"
                      aria-label={`${p.active ? 'Deactivate' : 'Activate'} ${p.name}`}
                      onClick={() => void toggleActive(p)}
                    >
                      {p.active ? 'Deactivate' : 'Activate'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {coverable && <StockArrived coverable={coverable} now={now} />}
      {dialog?.kind === 'add' && (
        <ProductDialog product={null} currency={shopCurrency} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'edit' && (
        <ProductDialog product={dialog.product} currency={shopCurrency} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'count' && <CountDialog product={dialog.product} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'receive' && (
        <ReceiveDialog
          product={dialog.product}
          onClose={() => setDialog(null)}
          onReceived={() =>
            document.getElementById('coverable-title')?.scrollIntoView({ block: 'start', behavior: 'smooth' })
          }
        />
      )}
    </div>
  );
}
