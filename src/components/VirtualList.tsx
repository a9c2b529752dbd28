// A fixed-row-height virtual list: only the rows on screen (plus a few) are in the DOM, so 100,000 rows
// scroll as smoothly as 100. The caller renders each row; the list reports the visible range.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { computeWindow } from '../lib/virtual';

export interface VirtualListHandle {
  scrollToIndex(index: number): void;
}

export function VirtualList({
  count,
  rowHeight,
  renderRow,
  onRangeChange,
  label,
  overscan = 8,
  scrollRef,
  onKeyDown,
  role = 'rowgroup',
}: {
  count: number;
  rowHeight: number;
  renderRow: (index: number) => ReactNode;
  onRangeChange?: (start: number, end: number) => void;
  label?: string;
  overscan?: number;
  scrollRef?: React.RefObject<HTMLDivElement | null>;
  onKeyDown?: (e: React.KeyboardEvent<HTMLDivElement>) => void;
  role?: string;
}) {
  const ownRef = useRef<HTMLDivElement>(null);
  const ref = scrollRef ?? ownRef;
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);

  useLayoutEffect(() => {
    const node = ref.current;
    if (!node) return;
    const measure = () => setViewport(node.clientHeight || 600);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(node);
    return () => ro.disconnect();
  }, [ref]);

  const win = computeWindow({ scrollTop, viewportHeight: viewport, rowHeight, count, overscan });

  useEffect(() => {
    onRangeChange?.(win.start, win.end);
  }, [win.start, win.end, onRangeChange]);

  const onScroll = useCallback((e: React.UIEvent<HTMLDivElement>) => {
    setScrollTop(e.currentTarget.scrollTop);
  }, []);

  const rows: ReactNode[] = [];
  for (let i = win.start; i < win.end; i++) rows.push(renderRow(i));

  return (
    <div ref={ref} className="vlist" onScroll={onScroll} aria-label={label} role={role} onKeyDown={onKeyDown}>
      <div className="vlist__spacer" style={{ height: win.totalHeight }}>
        <div className="vlist__window" style={{ transform: `translateY(${win.offsetTop}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
