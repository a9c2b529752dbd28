// What is being printed: receipts, packing slips or labels for one order or a selection, or a day's summary.
// The print view shows it as a preview; printing is the desktop window's (print:page) or the browser's own
// (window.print), with everything but the document hidden by the print stylesheet.
import { create } from 'zustand';
import type { DayFigures, PrintDocument, ShopSettings } from '../../electron/ipc/contract';
import { call, errorMessage, IpcCallError } from '../lib/ipc';
import { useSessionStore } from './session-store';

export type PrintKind = 'receipt' | 'packing_slip' | 'label' | 'summary';

export interface PrintJob {
  kind: PrintKind;
  docs: PrintDocument[];
  summary: DayFigures | null;
  shop: ShopSettings | null;
}

interface PrintState {
  job: PrintJob | null;
  loading: boolean;
  error: string | null;
  open(kind: Exclude<PrintKind, 'summary'>, orderIds: string[]): Promise<void>;
  openSummary(figures: DayFigures): Promise<void>;
  /** Print (or save as PDF): the desktop window prints itself; a browser prints the page. */
  print(action: 'print' | 'pdf'): Promise<string | null>;
  close(): void;
  reset(): void;
}

const initial = { job: null, loading: false, error: null };

async function shop(): Promise<ShopSettings | null> {
  try {
    return await call('shop:settings', {});
  } catch {
    return null;
  }
}

export const usePrintStore = create<PrintState>()((set, get) => ({
  ...initial,
  async open(kind, orderIds) {
    set({ loading: true, error: null });
    try {
      const [docs, s] = await Promise.all([call('print:documents', { orderIds }), shop()]);
      set({ job: { kind, docs, summary: null, shop: s }, loading: false });
    } catch (e) {
      useSessionStore.getState().noteError(e);
      set({ loading: false, error: errorMessage(e) });
      throw e;
    }
  },
  async openSummary(figures) {
    set({ job: { kind: 'summary', docs: [], summary: figures, shop: await shop() }, error: null });
  },
  async print(action) {
    const job = get().job;
    if (!job) return null;
    const filename = `${fileStem(job)}.pdf`;
    try {
      const r = await call('print:page', { action, filename });
      return r.path;
    } catch (e) {
      if (e instanceof IpcCallError && e.code === 'not_available') {
        window.print();
        return null;
      }
      throw e;
    }
  },
  close() {
    set({ job: null, error: null });
  },
  reset() {
    set({ ...initial });
  },
}));

export function fileStem(job: PrintJob): string {
  const what =
    job.kind === 'summary'
      ? `end-of-day-${job.summary?.day ?? ''}`
      : `${job.kind === 'packing_slip' ? 'packing-slip' : job.kind}-${job.docs.map((d) => d.number).join('-')}`;
  return what.replace(/[^A-Za-z0-9 _.-]/g, '-').slice(0, 70);
}
