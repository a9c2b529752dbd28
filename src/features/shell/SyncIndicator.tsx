// The console's link with Stripe in one line, for everyone: in step, catching up, behind, or cut off — and what
// that means for taking payments. Managers open Diagnostics from it for the details.
import type { SyncHealth } from '../../../electron/ipc/contract';
import { formatAgo } from '../../lib/format';
import { useSyncStore } from '../../stores/sync-store';
import { isManager, useSessionStore } from '../../stores/session-store';
import { useNow } from '../holds/HoldsScreen';

export interface LinkWords {
  tone: 'good' | 'warn' | 'bad';
  text: string;
  detail: string;
  /** What the banner says while the link is cut (null: no banner). */
  banner: string | null;
}

/**
 * The link's state in words — the one source for the line in the menu and the banner over every screen, so they
 * never disagree: the console's own process first (nothing is known of Stripe while it does not answer), then
 * Stripe (as the latest sync report or failed call says), then how far behind the events are.
 */
export function syncWords(
  h: SyncHealth | null,
  now: number,
  link: { consoleConnected: boolean; stripeReachable: boolean } = {
    consoleConnected: true,
    stripeReachable: h?.stripeReachable ?? true,
  },
): LinkWords {
  if (!link.consoleConnected)
    return {
      tone: 'bad',
      text: 'Not connected',
      detail: 'The console’s process does not answer.',
      banner:
        'The console’s background process does not answer: nothing can be saved or charged. If it does not come back in a moment, start the console again.',
    };
  if (!link.stripeReachable || h?.stripeReachable === false)
    return {
      tone: 'bad',
      text: 'Stripe can’t be reached',
      detail: 'Payments are paused; orders and holds shown may be behind. It reconnects on its own.',
      banner:
        'Payments, captures and refunds are paused until the connection comes back; orders and holds can still be viewed.',
    };
  if (!h)
    return {
      tone: 'warn',
      text: 'Checking Stripe…',
      detail: 'The console is reading its link with Stripe.',
      banner: null,
    };
  const rb = h.catchUp && !h.catchUp.done ? h.catchUp.rebuild : undefined;
  if (rb)
    return {
      tone: 'warn',
      text: rb.resumed ? 'Rebuilding from Stripe (resumed)…' : 'Rebuilding from Stripe…',
      detail: rebuildDetail(rb),
      banner: null,
    };
  if (h.catchUp && !h.catchUp.done)
    return {
      tone: 'warn',
      text: 'Catching up with Stripe…',
      detail: `${h.catchUp.fetched.toLocaleString('en-US')} changes read so far; lists fill in as it goes.`,
      banner: null,
    };
  if (h.lastError || (h.lagMs !== null && h.lagMs > 60_000))
    return {
      tone: 'warn',
      text: 'Behind Stripe',
      detail: 'Recent changes may take a little longer to show. A manager can see why in Diagnostics.',
      banner: null,
    };
  return {
    tone: 'good',
    text: 'In step with Stripe',
    detail: h.lastPollAt ? `Last checked ${formatAgo(h.lastPollAt, now)}.` : 'Up to date.',
    banner: null,
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

/** The link's words as the stores hold them now (the menu line and the banner both read this). */
export function useLinkWords(now: number): LinkWords {
  const health = useSyncStore((s) => s.health);
  const consoleConnected = useSessionStore((s) => s.consoleConnected);
  const stripeReachable = useSessionStore((s) => s.stripeReachable);
  return syncWords(health, now, { consoleConnected, stripeReachable });
}

/** Over every screen while the link is cut, in the same words as the menu's line. */
export function LinkBanner() {
  const w = useLinkWords(0); // the banner's words do not depend on the time
  if (!w.banner) return null;
  return (
    <div className="banner banner--danger" role="alert">
      <strong>{w.text}.</strong> {w.banner}
    </div>
  );
}

export function SyncIndicator() {
  const user = useSessionStore((s) => s.user);
  const setScreen = useSessionStore((s) => s.setScreen);
  const now = useNow(5000);
  const w = useLinkWords(now);
  const health = useSyncStore((s) => s.health);
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
