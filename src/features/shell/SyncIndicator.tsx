// The console's link with Stripe in one line, for everyone: in step, catching up, behind, or cut off — and what
// that means for taking payments. Managers open Diagnostics from it for the details.
import type { SyncHealth } from '../../../electron/ipc/contract';
import { formatAgo } from '../../lib/format';
import { useSyncStore } from '../../stores/sync-store';
import { isManager, useSessionStore } from '../../stores/session-store';
import { useNow } from '../holds/HoldsScreen';

export function syncWords(
  h: SyncHealth | null,
  now: number,
): { tone: 'good' | 'warn' | 'bad'; text: string; detail: string } {
  if (!h)
    return { tone: 'warn', text: 'Checking Stripe…', detail: 'The console is reading its link with Stripe.' };
  if (!h.stripeReachable)
    return {
      tone: 'bad',
      text: 'Stripe can’t be reached',
      detail: 'Payments are paused; orders and holds shown may be behind. It reconnects on its own.',
    };
  const rb = h.catchUp && !h.catchUp.done ? h.catchUp.rebuild : undefined;
  if (rb)
    return {
      tone: 'warn',
      text: rb.resumed ? 'Rebuilding from Stripe (resumed)…' : 'Rebuilding from Stripe…',
      detail: rebuildDetail(rb),
    };
  if (h.catchUp && !h.catchUp.done)
    return {
      tone: 'warn',
      text: 'Catching up with Stripe…',
      detail: `${h.catchUp.fetched.toLocaleString('en-US')} changes read so far; lists fill in as it goes.`,
    };
  if (h.lastError || (h.lagMs !== null && h.lagMs > 60_000))
    return {
      tone: 'warn',
      text: 'Behind Stripe',
      detail: 'Recent changes may take a little longer to show. A manager can see why in Diagnostics.',
    };
  return {
    tone: 'good',
    text: 'In step with Stripe',
    detail: h.lastPollAt ? `Last checked ${formatAgo(h.lastPollAt, now)}.` : 'Up to date.',
  };
}

type Rebuild = NonNullable<NonNullable<SyncHealth['catchUp']>['rebuild']>;

/** "12,300 of about 100,000 orders read · about 2 min left" — or what is being read before the orders. */
export function rebuildDetail(rb: Rebuild): string {
  const n = (x: number) => x.toLocaleString('en-US');
  if (rb.step === 'products' || rb.step === 'customers')
    return `Reading the ${rb.step === 'products' ? 'catalog' : 'customers'} first; orders follow.`;
  const read = rb.ordersEstimate
    ? `${n(rb.orders)} of about ${n(rb.ordersEstimate)} orders read`
    : `${n(rb.orders)} orders read`;
  const left =
    rb.secondsLeft === null
      ? ''
      : rb.secondsLeft < 60
        ? ` · about ${Math.max(1, rb.secondsLeft)} s left`
        : ` · about ${Math.round(rb.secondsLeft / 60)} min left`;
  return `${read}${left}. Orders appear as they are read.`;
}

export function SyncIndicator() {
  const health = useSyncStore((s) => s.health);
  const user = useSessionStore((s) => s.user);
  const setScreen = useSessionStore((s) => s.setScreen);
  const now = useNow(5000);
  const w = syncWords(health, now);
  const rb = health?.catchUp && !health.catchUp.done ? health.catchUp.rebuild : undefined;
  const body = (
    <>
      <span className={`sync-dot sync-dot--${w.tone}`} aria-hidden="true" />
      <span className="sync-indicator__text">{w.text}</span>
    </>
  );
  return (
    <div className="sync-indicator" role="status" aria-live="polite" title={w.detail}>
      {isManager(user) ? (
        <button
          type="button"
          className="sync-indicator__button"
          onClick={() => setScreen('sync')}
          aria-label={`${w.text}. ${w.detail} Open Diagnostics.`}
        >
          {body}
        </button>
      ) : (
        <span aria-label={`${w.text}. ${w.detail}`}>{body}</span>
      )}
      <span className="sync-indicator__detail">{w.detail}</span>
      {rb && (
        <progress
          className="progress sync-indicator__progress"
          aria-label="Rebuild progress"
          {...(rb.ordersEstimate ? { max: rb.ordersEstimate, value: rb.orders } : {})}
        />
      )}
    </div>
  );
}
