import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { CartLines } from '../../../../src/features/new-order/CartLines';
import { useCartStore } from '../../../../src/stores/cart-store';
import { useCleanStores } from '../fake-api';
import { cart } from '../fixtures';

useCleanStores();

const tea = {
  productId: 'prod_tea',
  sku: 'TEA',
  name: 'Earl Grey',
  unitAmount: 1250,
  quantity: 1,
  lineTotal: 1250,
  waitlist: false,
};

describe('CartLines quantity', () => {
  it('can be cleared and retyped: "12" is twelve, committed on Enter', () => {
    const setQuantity = vi.fn(async () => undefined);
    useCartStore.setState({ setQuantity } as never);
    render(<CartLines cart={cart({ lines: [tea], total: 1250 })} locked={false} />);
    const box = screen.getByLabelText('Quantity of Earl Grey') as HTMLInputElement;
    fireEvent.change(box, { target: { value: '' } });
    expect(box.value).toBe('');
    fireEvent.change(box, { target: { value: '12' } });
    expect(setQuantity).not.toHaveBeenCalled();
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(setQuantity).toHaveBeenCalledWith('prod_tea', 12);
  });

  it('says what is wrong with a quantity at the field, and changes nothing', () => {
    const setQuantity = vi.fn(async () => undefined);
    useCartStore.setState({ setQuantity } as never);
    render(
      <CartLines
        cart={cart({ lines: [{ ...tea, quantity: 3, lineTotal: 3750 }], total: 3750 })}
        locked={false}
      />,
    );
    const box = screen.getByLabelText('Quantity of Earl Grey') as HTMLInputElement;
    for (const [typed, message] of [
      ['', 'Enter a quantity.'],
      ['2.5', 'Whole numbers only.'],
      ['1e3', 'Digits only (e.g. 2).'],
      ['-3', 'At least 1.'],
      ['0', 'At least 1.'],
      ['999999', 'At most 999 in one order.'],
    ] as const) {
      fireEvent.change(box, { target: { value: typed } });
      fireEvent.blur(box);
      fireEvent.keyDown(box, { key: 'Enter' });
      // Kept as typed (never silently turned into 25, 13, 3 or 999), marked, and explained next to it.
      expect(box.value, typed).toBe(typed);
      expect(box.getAttribute('aria-invalid')).toBe('true');
      expect(document.getElementById(box.getAttribute('aria-describedby')!)!.textContent).toBe(message);
    }
    expect(setQuantity).not.toHaveBeenCalled();
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(box.value).toBe('3');
    expect(box.getAttribute('aria-invalid')).toBeNull();
  });
});

describe('CartLines stock question', () => {
  it('a quantity sent with Enter is not sent again when the field is left for an answer (issue 23 item 13)', () => {
    const setQuantity = vi.fn(async () => undefined);
    useCartStore.setState({ setQuantity } as never);
    render(<CartLines cart={cart({ lines: [tea], total: 1250 })} locked={false} />);
    const box = screen.getByLabelText('Quantity of Earl Grey') as HTMLInputElement;
    fireEvent.change(box, { target: { value: '8' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    // Staff click "5 now, 3 waiting": the field loses focus first.
    fireEvent.blur(box);
    expect(setQuantity.mock.calls).toEqual([['prod_tea', 8]]);
    // Another number is another question.
    fireEvent.change(box, { target: { value: '9' } });
    fireEvent.blur(box);
    expect(setQuantity.mock.calls).toEqual([
      ['prod_tea', 8],
      ['prod_tea', 9],
    ]);
  });
});
