import { describe, expect, it, vi } from 'vitest';
import { toast, useToastStore } from '../../../../src/stores/toast-store';
import { useCleanStores } from '../fake-api';

useCleanStores();

describe('toast store', () => {
  it('shows, expires and dismisses toasts', () => {
    vi.useFakeTimers();
    try {
      const id = toast('Saved', 'success', 1000);
      toast('Kept', 'info', 0);
      expect(useToastStore.getState().toasts.map((t) => t.text)).toEqual(['Saved', 'Kept']);
      vi.advanceTimersByTime(1001);
      expect(useToastStore.getState().toasts.map((t) => t.text)).toEqual(['Kept']);
      useToastStore.getState().dismiss(id + 1);
      expect(useToastStore.getState().toasts).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps at most five', () => {
    for (let i = 0; i < 8; i++) toast(`t${i}`, 'info', 0);
    expect(useToastStore.getState().toasts.map((t) => t.text)).toEqual(['t3', 't4', 't5', 't6', 't7']);
  });
});
