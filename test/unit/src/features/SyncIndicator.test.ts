// The nav's sync line during a rebuild from Stripe (issue 22): what is being read, how far, the time left.
import { describe, expect, it } from 'vitest';
import type { SyncHealth } from '../../../../electron/ipc/contract';
import { rebuildDetail, syncWords } from '../../../../src/features/shell/SyncIndicator';

const health = (catchUp: SyncHealth['catchUp']): SyncHealth => ({
  mode: 'polling',
  running: true,
  lastEventAt: null,
  lastPollAt: null,
  lagMs: null,
  cursor: null,
  eventsApplied: 0,
  catchUp,
  lastError: null,
  stripeReachable: true,
  webhook: { enabled: false, port: null, received: 0 },
  fallbackNotice: null,
});
const rebuild = (r: Partial<NonNullable<NonNullable<SyncHealth['catchUp']>['rebuild']>>) => ({
  step: 'payment_intents',
  orders: 12_300,
  ordersEstimate: 100_000,
  secondsLeft: 130,
  resumed: false,
  ...r,
});

describe('sync line while rebuilding', () => {
  it('says how many orders of about how many, and the time left', () => {
    const w = syncWords(health({ fetched: 14_000, done: false, rebuild: rebuild({}) }), Date.now());
    expect(w).toEqual({
      tone: 'warn',
      text: 'Rebuilding from Stripe…',
      detail: '12,300 of about 100,000 orders read · about 2 min left. Orders appear as they are read.',
      banner: null,
    });
    expect(rebuildDetail(rebuild({ secondsLeft: 20 }))).toContain('about 20 s left');
    expect(rebuildDetail(rebuild({ ordersEstimate: null, secondsLeft: null }))).toBe(
      '12,300 orders read. Orders appear as they are read.',
    );
  });

  it('before the orders, and after being cut short', () => {
    expect(rebuildDetail(rebuild({ step: 'customers', orders: 0 }))).toBe(
      'Reading the customers first; orders follow.',
    );
    const w = syncWords(health({ fetched: 1, done: false, rebuild: rebuild({ resumed: true }) }), Date.now());
    expect(w.text).toBe('Rebuilding from Stripe (resumed)…');
    // Done: back to the usual words.
    expect(syncWords(health({ fetched: 14_000, done: true }), Date.now()).text).toBe('In step with Stripe');
  });
});
