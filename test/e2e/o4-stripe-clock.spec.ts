// o4. A shop's day on two stations (issue 23 item 14): holds count down on Stripe's clock, not the computer's.
// The stations share one Stripe (the emulator); its training clock moves 6.5 days on while the computers' clocks
// do not. Both stations then show the hold half a day from lapsing, "Expiring soon", and Today counts it.
import { shot, test, withTwoStations, expect } from './fixtures';
import { firstRun, go } from './helpers';
import { goTo, placeOrder } from './shop-helpers';

test('hold countdowns and “expiring within 24 h” follow Stripe’s clock at both stations', async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  await withTwoStations(
    browser,
    testInfo,
    { front: { viewport: { width: 1280, height: 720 } }, pack: { viewport: { width: 1440, height: 900 } } },
    async ({ emulator, front, pack, frontPage, packPage }) => {
      await firstRun(frontPage, front.console);
      await firstRun(packPage, pack.console);
      const held = await placeOrder(front.console, {
        items: [{ sku: 'KET-GOOSE-1', quantity: 1 }],
        customer: { name: 'Hal Hold' },
      });
      expect(held.phase).toBe('on_hold');
      for (const page of [frontPage, packPage]) {
        await go(page, 'Holds');
        await expect(page.getByRole('row', { name: /Hal Hold/ })).toContainText(/6d \d+h \d+m left/, {
          timeout: 15_000,
        });
      }

      // Stripe's clock moves 6.5 days on (the emulator's training clock); the computers' clocks do not.
      const moved = await fetch(`${emulator.url}/_emulator/clock/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ seconds: 6.5 * 86_400 }),
      });
      expect(moved.ok).toBe(true);

      // Each station learns Stripe's time from its next answer; the countdowns follow without a reload.
      for (const page of [frontPage, packPage]) {
        const row = page.getByRole('row', { name: /Hal Hold/ });
        await expect(row).toContainText(/\D1[12]h \d\dm left/, { timeout: 20_000 });
        await expect(row).toContainText('Expiring soon');
        // Having read everything, the station is in step (not "behind" by the days Stripe's clock moved).
        await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('status')).toContainText(
          'In step with Stripe',
          { timeout: 15_000 },
        );
      }
      await shot(frontPage, 'o4-01-front-desk-holds-stripe-clock-1280x720');
      await shot(packPage, 'o4-02-packing-holds-stripe-clock-1440x900');

      await goTo(packPage, 'Today');
      const expiring = packPage.getByRole('group', { name: 'Expiring within 24 h', exact: true });
      await expect(expiring).toContainText('1', { timeout: 15_000 });
      await expect(expiring).toContainText('$89.00');
      await shot(packPage, 'o4-03-packing-today-expiring-1440x900');
    },
  );
});
