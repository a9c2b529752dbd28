// Issue 19 — several stations at once, and a station that was away. Each behaviour is tested where it failed:
// the station's own guards (permissions, PIN lockout, the audit anchor, the data folder) on one station; the
// money actions on two or three stations of one emulator, with the clock moved where it matters.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, readyCart, type Harness } from '../../../helpers/core-harness';
import { lockoutMs, LOCKOUT_MS, LOCKOUT_MAX_MS } from '../../../../electron/core/auth/auth-service';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('a station’s own guards', () => {
  it('5. lets only a manager change a price or a stock count', async () => {
    const p = await h.call('products:save', {
      sku: 'MUG-1',
      name: 'Mug',
      unitAmount: 1200,
      currency: 'usd',
      stock: 10,
      active: true,
    });
    const edit = {
      id: p.id,
      sku: 'MUG-1',
      name: 'Mug',
      unitAmount: 100,
      currency: 'usd',
      stock: 999,
      active: true,
    };
    expect(await h.raw('products:save', edit, 'staff')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const r = await h.raw('products:save', { ...edit, id: undefined, sku: 'NEW-1' }, 'staff');
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const stripeProduct = await h.stripe.products.retrieve(p.id, { expand: ['default_price'] });
    expect(stripeProduct.metadata.stock).toBe('10');
    expect((stripeProduct.default_price as { unit_amount: number }).unit_amount).toBe(1200);
  });

  it('11. keeps the data folder private: 0700, its files 0600', () => {
    if (process.platform === 'win32') return;
    expect(statSync(h.dataDir).mode & 0o777).toBe(0o700);
    const files = readdirSync(h.dataDir).filter((f) => statSync(join(h.dataDir, f)).isFile());
    expect(files.some((f) => f.startsWith('console-'))).toBe(true);
    for (const f of files) expect([f, statSync(join(h.dataDir, f)).mode & 0o777]).toEqual([f, 0o600]);
  });

  it('12. makes each lockout in a row twice as long, up to a day, and says so in the audit log', async () => {
    expect([1, 2, 3, 4].map(lockoutMs)).toEqual([1, 2, 4, 8].map((x) => x * LOCKOUT_MS));
    expect(lockoutMs(40)).toBe(LOCKOUT_MAX_MS);
    const wrong = async () =>
      h.raw('auth:login', { name: 'Sam Staff', pin: '0000' }, 'guesser') as Promise<{
        ok: boolean;
        error?: { code: string; message: string };
      }>;
    for (let i = 0; i < 5; i++) expect((await wrong()).ok).toBe(false);
    expect((await wrong()).error).toMatchObject({ code: 'locked', message: /5 more minutes/ });
    // Wait out the first lockout (Stripe's clock and the station's move together here): the next five lock 10 min.
    h.emulator.advanceClock(5 * 60 + 1);
    for (let i = 0; i < 5; i++) expect((await wrong()).error?.code).toBe('bad_pin');
    expect((await wrong()).error).toMatchObject({ code: 'locked', message: /10 more minutes/ });
    const log = await h.call('audit:list', { action: 'user.locked', limit: 10 });
    expect(log.map((e) => (e.after as { minutes: number; lockouts: number }).minutes)).toEqual([10, 5]);
    // A right PIN (after the lock) starts the ladder again.
    h.emulator.advanceClock(10 * 60 + 1);
    await h.call('auth:login', { name: 'Sam Staff', pin: '1357' }, 'guesser');
    for (let i = 0; i < 5; i++) await wrong();
    expect((await wrong()).error?.message).toMatch(/5 more minutes/);
  });

  it('13. finds entries deleted from the end of the audit log', async () => {
    const cart = await readyCart(h, [{ sku: 'TEA-1', unitAmount: 1250, stock: 50, quantity: 1 }]);
    await h.call('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    const before = await h.call('audit:verify', {});
    expect(before).toMatchObject({ ok: true, brokenAt: null });
    expect(before.entries).toBeGreaterThan(2);
    h.services.db.exec('DROP TRIGGER audit_no_delete');
    h.services.db.prepare('DELETE FROM audit_log WHERE seq >= ?').run(before.entries - 1);
    const after = await h.call('audit:verify', {});
    expect(after).toMatchObject({ ok: false, entries: before.entries - 2 });
    expect(after.brokenAt).toBe(before.entries - 1);
    // Rewriting the anchor to the shorter chain needs the station's key: a hand-made seal is refused.
    h.services.db
      .prepare(
        `UPDATE audit_anchor SET seq = ?, hash = (SELECT hash FROM audit_log WHERE seq = ?), seal = ? WHERE id = 1`,
      )
      .run(before.entries - 2, before.entries - 2, '00'.repeat(32));
    expect((await h.call('audit:verify', {})).ok).toBe(false);
  });
});
