// Notes shared by every station (kept on the Stripe object's metadata): add one, remove one.
import { useState } from 'react';
import type { Note } from '../../../electron/ipc/contract';
import { ErrorNote } from '../../components/States';
import { errorMessage } from '../../lib/ipc';
import { formatDateTime } from '../../lib/format';

export const NOTE_MAX = 300;

export function Notes({
  notes,
  label,
  onAdd,
  onRemove,
}: {
  notes: Note[];
  /** e.g. "order #A1001", "Grace Hopper" */
  label: string;
  onAdd: (text: string) => Promise<void>;
  onRemove: (id: string) => Promise<void>;
}) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const tooLong = text.trim().length > NOTE_MAX;
  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!text.trim() || tooLong) return;
    setBusy(true);
    setError(null);
    try {
      await onAdd(text.trim());
      setText('');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="notes">
      {notes.length === 0 ? (
        <p className="muted small">No notes yet. Notes are internal: customers never see them.</p>
      ) : (
        <ul className="notes__list" aria-label={`Notes on ${label}`}>
          {notes.map((n) => (
            <li key={n.id} className="notes__item">
              <div className="notes__text">{n.text}</div>
              <div className="notes__meta">
                {n.by} · {formatDateTime(n.at)}
                <button
                  type="button"
                  className="btn btn--ghost btn--small"
                  aria-label={`Remove note “${n.text.slice(0, 40)}”`}
                  onClick={() => {
                    setError(null);
                    onRemove(n.id).catch((err: unknown) => setError(errorMessage(err)));
                  }}
                >
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <form className="notes__form" onSubmit={(e) => void add(e)}>
        <label className="sr-only" htmlFor={`note-${label}`}>
          New note on {label}
        </label>
        <textarea
          id={`note-${label}`}
          className="input notes__input"
          rows={2}
          placeholder="Add an internal note…"
          value={text}
          aria-invalid={tooLong || undefined}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="btn btn--small" disabled={busy || !text.trim() || tooLong}>
          {busy ? 'Adding…' : 'Add note'}
        </button>
      </form>
      {tooLong && (
        <span className="field__error">
          At most {NOTE_MAX} characters ({text.trim().length} now).
        </span>
      )}
      {error && <ErrorNote>{error}</ErrorNote>}
    </div>
  );
}
