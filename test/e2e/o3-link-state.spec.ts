// o3. A shop's day on two stations (issue 23 item 8): the line in the menu and the banner say the same thing,
// from one source, and say "Not connected" as soon as a station's console process stops answering — while the
// other station, still running, stays in step with Stripe.
import { shot, test, withTwoStations, expect } from './fixtures';
import { firstRun } from './helpers';

test('a station whose console process is gone says “Not connected” in the line and the banner at once', async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  await withTwoStations(
    browser,
    testInfo,
    { front: { viewport: { width: 1280, height: 720 } }, pack: { viewport: { width: 1440, height: 900 } } },
    async ({ front, pack, frontPage, packPage }) => {
      await firstRun(frontPage, front.console);
      await firstRun(packPage, pack.console);
      const line = (page: typeof packPage) =>
        page.getByRole('navigation', { name: 'Main' }).getByRole('status');
      for (const page of [frontPage, packPage]) {
        await expect(line(page)).toContainText('In step with Stripe', { timeout: 15_000 });
        await expect(page.getByRole('alert')).toHaveCount(0);
      }

      // The packing desk's console process dies (killed, as a crash would).
      pack.child.kill('SIGKILL');
      await expect(line(packPage)).toContainText('Not connected', { timeout: 10_000 });
      const banner = packPage.getByRole('alert').filter({ hasText: 'Not connected.' });
      await expect(banner).toContainText('does not answer: nothing can be saved or charged');
      await expect(line(packPage)).not.toContainText('In step');
      await shot(packPage, 'o3-01-packing-not-connected-1440x900');

      // The front desk is another station: still in step, no banner.
      await expect(line(frontPage)).toContainText('In step with Stripe');
      await expect(frontPage.getByRole('alert')).toHaveCount(0);
      await shot(frontPage, 'o3-02-front-desk-in-step-1280x720');

      // What the packing desk tries now says the same, and nothing pretends to have been saved.
      await packPage
        .getByRole('navigation', { name: 'Main' })
        .getByRole('button', { name: /^Orders/ })
        .click();
      await expect(line(packPage)).toContainText('Not connected');
      await packPage.setViewportSize({ width: 1280, height: 720 });
      await shot(packPage, 'o3-03-packing-orders-not-connected-1280x720');
    },
  );
});
