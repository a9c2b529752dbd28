// The mode badge on every screen: the offline demo, Stripe test mode, or LIVE (unmistakable, red).
import type { Mode } from '../../electron/ipc/contract';

const TEXT: Record<Mode, { label: string; detail: string }> = {
  emulator: { label: 'Offline demo', detail: 'Offline demo — no real money' },
  test: { label: 'Test mode', detail: 'Stripe test mode — test cards only, no real money' },
  live: { label: 'LIVE', detail: 'LIVE — real cards, real money' },
};

export function ModeBar({ mode, station }: { mode: Mode; station?: string | undefined }) {
  const t = TEXT[mode];
  return (
    <div className={`modebar modebar--${mode}`} role="note" aria-label={`Mode: ${t.label}`}>
      <span className="modebar__badge">{t.label}</span>
      <span className="modebar__detail">{t.detail}</span>
      {station && <span className="modebar__station">Station: {station}</span>}
    </div>
  );
}
