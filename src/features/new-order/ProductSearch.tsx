// Product search as a combobox: type to filter, ↑/↓ to move, Enter to add to the order, Esc to clear.
import { useEffect, useId, useRef, useState } from 'react';
import type { Product } from '../../../electron/ipc/contract';
import { Money } from '../../components/Money';
import { call, errorMessage, subscribe } from '../../lib/ipc';
import { rankProducts, searchText } from '../../lib/product-match';
import { LIMITS } from '../../lib/validation';

export function ProductSearch({
  onAdd,
  disabled,
  hint,
}: {
  onAdd: (p: Product) => void;
  disabled?: boolean;
  /** What Enter does now, when it is not simply "add to the order". */
  hint?: string | undefined;
}) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Product[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  // A pasted paragraph is cut to what the search takes, and staff are told (never a raw "Invalid input").
  const [cut, setCut] = useState(false);
  const seq = useRef(0);
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);

  // The query the results shown are for: Enter pressed before the typed text's results came (the search waits
  // 120 ms for typing to pause) searches now and adds the best match of what was typed — never the first row of
  // the list still on screen from the previous search.
  const [resultsFor, setResultsFor] = useState<string | null>(null);

  const search = async (typed: string, keepActive = false): Promise<Product[] | null> => {
    const mine = ++seq.current;
    try {
      const q = searchText(typed, LIMITS.productQuery).query;
      const rows = await call('products:search', { query: q, limit: 20 });
      const ranked = rankProducts(rows, q);
      // An older search answered late: not shown (its answer is still what was typed then, for Enter).
      if (mine !== seq.current) return ranked;
      setResults(ranked);
      setResultsFor(typed);
      setError(null);
      if (!keepActive) setActive(0);
      else setActive((a) => Math.min(a, Math.max(0, ranked.length - 1)));
      return ranked;
    } catch (e) {
      if (mine === seq.current) setError(errorMessage(e));
      return null;
    }
  };

  useEffect(() => {
    const t = setTimeout(() => void search(query), query ? 120 : 0);
    return () => clearTimeout(t);
  }, [query]);

  // Stock moves while the list is on screen (this order, another desk's, a delivery): "5 in stock" is read again,
  // once for a burst of changes (a catch-up sends many).
  useEffect(() => {
    let t: ReturnType<typeof setTimeout> | undefined;
    const again = () => {
      clearTimeout(t);
      t = setTimeout(() => void search(query, true), 200);
    };
    const offs = [subscribe('products:changed', again), subscribe('orders:changed', again)];
    return () => {
      clearTimeout(t);
      offs.forEach((off) => off());
    };
  }, [query]);

  const list = results ?? [];
  const add = (p: Product | undefined) => {
    if (!p || disabled) return;
    onAdd(p);
    // Keep the results for "one more of those", but select the text: typing the next product replaces it.
    inputRef.current?.focus();
    inputRef.current?.select();
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(list.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (resultsFor === query) add(list[active]);
      else void search(query).then((fresh) => fresh && add(fresh[0]));
    } else if (e.key === 'Escape') {
      setQuery('');
    }
  };

  useEffect(() => {
    document.getElementById(`${listId}-${active}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [active, listId]);

  return (
    <section className="panel product-search" aria-labelledby={`${listId}-title`}>
      <div className="panel__head">
        <h2 id={`${listId}-title`}>Products</h2>
        <span className="muted small">
          {hint ?? (disabled ? 'The payment is under way' : '↑ ↓ to choose · Enter to add')}
        </span>
      </div>
      <label className="sr-only" htmlFor={`${listId}-input`}>
        Search products
      </label>
      <input
        ref={inputRef}
        id={`${listId}-input`}
        className="input input--search"
        type="search"
        placeholder="Search by name or SKU"
        role="combobox"
        aria-expanded={list.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={list[active] ? `${listId}-${active}` : undefined}
        value={query}
        onChange={(e) => {
          const typed = searchText(e.target.value, LIMITS.productQuery);
          setCut(typed.cut);
          // Keep a trailing space while typing ("blue "), but never more than the search takes.
          setQuery(typed.cut ? typed.query : e.target.value.slice(0, LIMITS.productQuery));
        }}
        onKeyDown={onKeyDown}
        autoFocus
      />
      {cut && (
        <p className="field__hint" role="status">
          Only the first {LIMITS.productQuery} characters are searched: the rest was left out.
        </p>
      )}
      {error && <p className="field__error">{error}</p>}
      <ul className="product-list" id={listId} role="listbox" aria-label="Products">
        {results !== null && list.length === 0 && (
          <li className="product-list__empty">No product matches “{query}”.</li>
        )}
        {list.map((p, i) => {
          const out = p.stock <= 0;
          return (
            <li
              key={p.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={`product ${i === active ? 'product--active' : ''}`}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                setActive(i);
                add(p);
                inputRef.current?.focus();
              }}
            >
              <span className="product__name">{p.name}</span>
              <span className="product__sku">{p.sku}</span>
              <span className={`product__stock ${out ? 'product__stock--out' : ''}`}>
                {out ? 'Out of stock · waitlist' : `${p.stock} in stock`}
                {p.oversold > 0 ? ` · oversold by ${p.oversold}` : ''}
              </span>
              <Money amount={p.unitAmount} currency={p.currency} className="product__price" />
            </li>
          );
        })}
      </ul>
    </section>
  );
}
