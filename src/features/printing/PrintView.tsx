// The print preview: the documents of the current print job as they will come out, with Print, Save as PDF
// and Close. Printing hides everything but the documents (printing.css): the desktop window prints itself
// through main (print:page, webContents.print / printToPDF); a browser prints the page (window.print), where
// "Save as PDF" is a choice of the browser's print dialog.
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { ErrorNote } from '../../components/States';
import { errorMessage } from '../../lib/ipc';
import { usePrintStore, type PrintJob } from '../../stores/print-store';
import { toast } from '../../stores/toast-store';
import { DaySummary, PackingSlip, Receipt, ShippingLabel } from './documents';
import './printing.css';

const TITLES: Record<PrintJob['kind'], string> = {
  receipt: 'Receipt',
  packing_slip: 'Packing slip',
  label: 'Shipping label',
  summary: 'End-of-day summary',
};

export function jobTitle(job: PrintJob): string {
  const base = TITLES[job.kind];
  if (job.kind === 'summary') return `${base} — ${job.summary?.day ?? ''}`;
  return job.docs.length === 1
    ? `${base} — order ${job.docs[0]!.number}`
    : `${base}s — ${job.docs.length} orders`;
}

export function PrintPages({ job }: { job: PrintJob }) {
  if (job.kind === 'summary' && job.summary) return <DaySummary figures={job.summary} shop={job.shop} />;
  return (
    <>
      {job.docs.map((d) =>
        job.kind === 'receipt' ? (
          <Receipt key={d.orderId} doc={d} shop={job.shop} />
        ) : job.kind === 'label' ? (
          <ShippingLabel key={d.orderId} doc={d} shop={job.shop} />
        ) : (
          <PackingSlip key={d.orderId} doc={d} shop={job.shop} />
        ),
      )}
    </>
  );
}

export function PrintView() {
  const job = usePrintStore((s) => s.job);
  const close = usePrintStore((s) => s.close);
  const print = usePrintStore((s) => s.print);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!job) return;
    document.body.classList.add('is-printing');
    // The console under the preview is out of reach (keyboard, screen readers) while it is open.
    const root = document.getElementById('root');
    root?.setAttribute('inert', '');
    first.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      document.body.classList.remove('is-printing');
      root?.removeAttribute('inert');
      window.removeEventListener('keydown', onKey);
    };
  }, [job, close]);

  if (!job) return null;
  const title = jobTitle(job);
  const run = async (action: 'print' | 'pdf') => {
    setBusy(true);
    setError(null);
    try {
      const path = await print(action);
      if (path) toast(`Saved ${path}`, 'success');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return createPortal(
    <div className="print-view" role="dialog" aria-modal="true" aria-label={`Print preview: ${title}`}>
      <div className="print-view__bar">
        <h2 className="print-view__title">{title}</h2>
        <div className="btn-row">
          <button
            ref={first}
            type="button"
            className="btn btn--primary"
            disabled={busy}
            onClick={() => void run('print')}
          >
            Print
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => void run('pdf')}
            title="In a browser, choose “Save as PDF” in the print dialog"
          >
            Save as PDF
          </button>
          <button type="button" className="btn btn--ghost" onClick={close}>
            Close
          </button>
        </div>
        {error && <ErrorNote>{error}</ErrorNote>}
      </div>
      <div className={`print-view__pages print-view__pages--${job.kind}`}>
        <PrintPages job={job} />
      </div>
    </div>,
    document.body,
  );
}
