// Toasts: short messages in a polite live region ("Order 1042 shipped", "Hold expiring in 24 h").
import { create } from 'zustand';

export type ToastTone = 'info' | 'success' | 'warning' | 'error';
export interface Toast {
  id: number;
  tone: ToastTone;
  text: string;
}

interface ToastState {
  toasts: Toast[];
  push(text: string, tone?: ToastTone, ttlMs?: number): number;
  dismiss(id: number): void;
  reset(): void;
}

let nextId = 1;

export const useToastStore = create<ToastState>()((set, get) => ({
  toasts: [],
  push(text, tone = 'info', ttlMs = 6000) {
    const id = nextId++;
    set({ toasts: [...get().toasts, { id, tone, text }].slice(-5) });
    if (ttlMs > 0) setTimeout(() => get().dismiss(id), ttlMs);
    return id;
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
  reset() {
    set({ toasts: [] });
  },
}));

export const toast = (text: string, tone?: ToastTone, ttlMs?: number): number =>
  useToastStore.getState().push(text, tone, ttlMs);
