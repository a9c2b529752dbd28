import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { VirtualList } from '../../../../src/components/VirtualList';

describe('VirtualList', () => {
  it('renders a window of rows out of 100,000 and reports the range', () => {
    const onRange = vi.fn();
    render(
      <VirtualList
        count={100_000}
        rowHeight={40}
        onRangeChange={onRange}
        renderRow={(i) => (
          <div key={i} role="row">
            Row {i}
          </div>
        )}
      />,
    );
    const rows = screen.getAllByRole('row');
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]).toHaveProperty('textContent', 'Row 0');
    expect(onRange).toHaveBeenCalledWith(0, rows.length);
  });
});
