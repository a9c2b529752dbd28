import { describe, expect, it } from 'vitest';
import { holdUrgency, sortHolds, useHoldsStore } from '../../../../src/stores/holds-store';
import { FakeIpcError, installApi, useCleanStores } from '../fake-api';
import { hold } from '../fixtures';

useCleanStores();

const now = 1_000_000_000_000;
const HOUR = 3_600_000;

describe('holds store', () => {
  it('loads and sorts by deadline, soonest first', async () => {
    installApi({
      'holds:list': () => [
        hold({ paymentIntentId: 'pi_late', expiresAt: now + 100 * HOUR }),
        hold({ paymentIntentId: 'pi_none', expiresAt: null }),
        hold({ paymentIntentId: 'pi_soon', expiresAt: now + 2 * HOUR }),
      ],
    });
    await useHoldsStore.getState().load();
    expect(useHoldsStore.getState().holds.map((h) => h.paymentIntentId)).toEqual([
      'pi_soon',
      'pi_late',
      'pi_none',
    ]);
    expect(useHoldsStore.getState().status).toBe('ready');
  });

  it('puts finished holds after open ones', () => {
    const sorted = sortHolds([
      hold({ paymentIntentId: 'a', status: 'expired', expiresAt: 1 }),
      hold({ paymentIntentId: 'b', expiresAt: 5 }),
    ]);
    expect(sorted.map((h) => h.paymentIntentId)).toEqual(['b', 'a']);
  });

  it('tells expiring soon (< 48 h), ok, expired and done apart', () => {
    expect(holdUrgency(hold({ expiresAt: now + 47 * HOUR }), now)).toBe('soon');
    expect(holdUrgency(hold({ expiresAt: now + 49 * HOUR }), now)).toBe('ok');
    expect(holdUrgency(hold({ expiresAt: now - 1 }), now)).toBe('expired');
    expect(holdUrgency(hold({ status: 'expired' }), now)).toBe('expired');
    expect(holdUrgency(hold({ status: 'released' }), now)).toBe('done');
    expect(holdUrgency(hold({ expiresAt: null }), now)).toBe('unknown');
  });

  it('captures with the version shown and the PIN', async () => {
    const api = installApi({
      'holds:list': () => [hold()],
      'holds:capture': () =>
        hold({ status: 'partially_captured', amountCaptured: 1000, amountCapturable: 0, version: 4 }),
    });
    await useHoldsStore.getState().load();
    await useHoldsStore.getState().capture(hold(), 1000, '1234');
    expect(api.callsTo('holds:capture')).toEqual([
      { paymentIntentId: 'pi_1', amount: 1000, version: 3, pin: '1234' },
    ]);
    // "open" view: the captured hold leaves the list.
    expect(useHoldsStore.getState().holds).toEqual([]);
  });

  it('releases, and reloads when main refuses', async () => {
    const api = installApi({
      'holds:list': () => [hold()],
      'holds:release': () => {
        throw new FakeIpcError('conflict', 'This hold changed since you opened it.');
      },
    });
    await useHoldsStore.getState().load();
    await expect(useHoldsStore.getState().release(hold(), '1234')).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(api.callsTo('holds:list').length).toBeGreaterThanOrEqual(2);
  });

  it('switches between open and all', async () => {
    const api = installApi({ 'holds:list': () => [] });
    await useHoldsStore.getState().setInclude('all');
    expect(api.callsTo('holds:list')).toEqual([{ include: 'all' }]);
    useHoldsStore.getState().reset();
    expect(useHoldsStore.getState().include).toBe('open');
  });
});
