// Diagnostics (managers): the link with Stripe in detail — health (mode, last event, lag, cursor, errors,
// webhook), catch-up progress, the event log — and reconciliation with a Fix button per drift. Staff see the
// health as one line in the menu (shell/SyncIndicator.tsx); the audit log has a screen of its own.
import { useEffect } from 'react';
import { Empty, ErrorNote, Loading, Note } from '../../components/States';
import { formatAgo, formatDateTime, formatTime, statusLabel } from '../../lib/format';
import { isManager, useSessionStore } from '../../stores/session-store';
import { useSyncStore } from '../../stores/sync-store';
import { useNow } from '../holds/HoldsScreen';
import { rebuildDetail } from '../shell/SyncIndicator';

function Stat({
  label,
  children,
  tone,
}: {
  label: string;
  children: React.ReactNode;
  tone?: 'good' | 'bad' | 'warn';
}) {
  return (
    <div className={`stat ${tone ? `stat--${tone}` : ''}`}>
      <dt className="stat__label">{label}</dt>
      <dd className="stat__value">{children}</dd>
    </div>
  );
}

export function SyncScreen() {
  const health = useSyncStore((s) => s.health);
  const healthError = useSyncStore((s) => s.healthError);
  const events = useSyncStore((s) => s.events);
  const eventsError = useSyncStore((s) => s.eventsError);
  const reconcile = useSyncStore((s) => s.reconcile);
  const reconciling = useSyncStore((s) => s.reconciling);
  const reconcileError = useSyncStore((s) => s.reconcileError);
  const fixing = useSyncStore((s) => s.fixing);
  const loadHealth = useSyncStore((s) => s.loadHealth);
  const loadEvents = useSyncStore((s) => s.loadEvents);
  const runReconcile = useSyncStore((s) => s.runReconcile);
  const fix = useSyncStore((s) => s.fix);
  const user = useSessionStore((s) => s.user);
  const info = useSessionStore((s) => s.info);
  const manager = isManager(user);
  const now = useNow(1000);

  useEffect(() => {
    void loadHealth();
    void loadEvents();
    const t = setInterval(() => void loadEvents(), 5000);
    return () => clearInterval(t);
  }, [loadHealth, loadEvents]);

  const catchUp = health?.catchUp;
  return (
    <div className="sync">
      <header className="screen__head">
        <h1>Diagnostics</h1>
        <span className="muted">The console’s link with Stripe, in detail</span>
        <span className="spacer" />
        <button
          type="button"
          className="btn"
          onClick={() => {
            void loadHealth();
            void loadEvents();
          }}
        >
          Refresh
        </button>
      </header>

      <section className="panel" aria-labelledby="health-title">
        <div className="panel__head">
          <h2 id="health-title">Health</h2>
          {health && (
            <span
              className={`badge ${health.stripeReachable && !health.lastError ? 'badge--good' : 'badge--bad'}`}
            >
              {health.stripeReachable ? (health.lastError ? 'Errors' : 'Healthy') : 'Stripe unreachable'}
            </span>
          )}
        </div>
        {healthError && <ErrorNote onRetry={() => void loadHealth()}>{healthError}</ErrorNote>}
        {!health && !healthError && <Loading label="Reading sync health…" />}
        {health && (
          <>
            {catchUp && !catchUp.done && catchUp.rebuild && (
              <div className="catchup">
                <label htmlFor="catchup-progress">
                  Rebuilding from Stripe{catchUp.rebuild.resumed ? ' (resumed where it stopped)' : ''}:{' '}
                  {rebuildDetail(catchUp.rebuild)}
                </label>
                <progress
                  id="catchup-progress"
                  className="progress"
                  aria-label="Rebuild progress"
                  {...(catchUp.rebuild.ordersEstimate
                    ? { max: catchUp.rebuild.ordersEstimate, value: catchUp.rebuild.orders }
                    : {})}
                />
              </div>
            )}
            {catchUp && !catchUp.done && !catchUp.rebuild && (
              <div className="catchup">
                <label htmlFor="catchup-progress">
                  Catching up with Stripe: {catchUp.fetched.toLocaleString('en-US')} events fetched
                </label>
                <progress id="catchup-progress" className="progress" aria-label="Catch-up progress" />
              </div>
            )}
            {catchUp?.done && (
              <p className="small muted">
                Catch-up complete: {catchUp.fetched.toLocaleString('en-US')} events fetched.
              </p>
            )}
            <dl className="stats">
              <Stat label="Mode">
                {statusLabel(health.mode)}
                {health.running ? '' : ' (stopped)'}
              </Stat>
              <Stat label="Stripe" tone={health.stripeReachable ? 'good' : 'bad'}>
                {info?.mode === 'emulator' ? 'Emulator · ' : ''}
                {health.stripeReachable ? 'Reachable' : 'Unreachable'}
              </Stat>
              <Stat label="Last event">
                {health.lastEventAt ? formatAgo(health.lastEventAt, now) : 'None yet'}
              </Stat>
              <Stat label="Last poll">{health.lastPollAt ? formatAgo(health.lastPollAt, now) : '—'}</Stat>
              <Stat label="Lag" tone={health.lagMs !== null && health.lagMs > 10_000 ? 'warn' : undefined}>
                {health.lagMs === null
                  ? '—'
                  : health.lagMs < 1000
                    ? `${Math.round(health.lagMs)} ms`
                    : `${(health.lagMs / 1000).toFixed(1)} s`}
              </Stat>
              <Stat label="Events applied">{health.eventsApplied.toLocaleString('en-US')}</Stat>
              <Stat label="Cursor">
                <code className="mono">{health.cursor ?? '—'}</code>
              </Stat>
              <Stat label="Webhook receiver">
                {health.webhook.enabled
                  ? `On, port ${health.webhook.port ?? '—'} · ${health.webhook.received} received`
                  : 'Off (polling only)'}
              </Stat>
            </dl>
            {health.lastError && <ErrorNote>Last error: {health.lastError}</ErrorNote>}
            {health.fallbackNotice && <Note tone="warning">{health.fallbackNotice}</Note>}
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="reconcile-title">
        <div className="panel__head">
          <h2 id="reconcile-title">Reconciliation</h2>
          {manager && (
            <button type="button" className="btn" disabled={reconciling} onClick={() => void runReconcile()}>
              {reconciling ? 'Comparing…' : 'Compare with Stripe'}
            </button>
          )}
        </div>
        {!manager ? (
          <Note>
            Reconciliation is for managers: ask a manager to compare the console with Stripe and fix any
            drift.
          </Note>
        ) : (
          <>
            {reconcileError && <ErrorNote>{reconcileError}</ErrorNote>}
            {!reconcile && !reconciling && (
              <p className="muted">
                Compare the console’s orders and holds with what Stripe has, and fix any difference.
              </p>
            )}
            {reconcile && reconcile.drifts.length === 0 && (
              <p className="note note--success">
                Everything matches Stripe (checked {formatTime(reconcile.at)}).
              </p>
            )}
            {reconcile && reconcile.drifts.length > 0 && (
              <ul className="drifts" aria-label="Differences with Stripe">
                {reconcile.drifts.map((d) => (
                  <li key={d.id} className="drift">
                    <div>
                      <div className="strong">{d.description}</div>
                      <div className="small muted">
                        {statusLabel(d.kind)} · {d.paymentIntentId} · Fix: {d.fix}
                      </div>
                    </div>
                    <button
                      type="button"
                      className="btn btn--small"
                      disabled={!!fixing[d.id]}
                      onClick={() => void fix(d.id)}
                    >
                      {fixing[d.id] ? 'Fixing…' : 'Fix'}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="events-title">
        <div className="panel__head">
          <h2 id="events-title">Event log</h2>
          <span className="muted small">Latest 100</span>
        </div>
        {eventsError && <ErrorNote onRetry={() => void loadEvents()}>{eventsError}</ErrorNote>}
        {!events && !eventsError && <Loading label="Loading events…" />}
        {events && events.length === 0 && (
          <Empty title="No events yet">Stripe events appear here as payments happen.</Empty>
        )}
        {events && events.length > 0 && (
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Event log table">
            <table className="table table--compact">
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">Type</th>
                  <th scope="col">Object</th>
                  <th scope="col">Source</th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id}>
                    <td className="nowrap">{formatDateTime(e.receivedAt)}</td>
                    <td>
                      <code className="mono">{e.type}</code>
                    </td>
                    <td>
                      <code className="mono small">{e.objectId ?? '—'}</code>
                    </td>
                    <td>{statusLabel(e.source)}</td>
                    <td>{e.outcome}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
