// o6. A shop's day on two stations (issue 23 item 10): one instant for "order placed", shown in the shop's time
// zone everywhere — two desks whose computers are set to different zones show the same time in Orders, and
// their CSVs say the same.
import { shot, test, withTwoStations, expect } from './fixtures';
import { firstRun, go, MANAGER } from './helpers';
import { placeOrder, setShopZone } from './shop-helpers';

test('an order’s time reads the same at two desks in different zones, in the shop’s zone', async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  // The computers' own zones differ (one in Tokyo, one in Los Angeles); the shop is in New York.
  await withTwoStations(
    browser,
    testInfo,
    {
      front: { viewport: { width: 1280, height: 720 }, timezoneId: 'Asia/Tokyo' },
      pack: { viewport: { width: 1440, height: 900 }, timezoneId: 'America/Los_Angeles' },
    },
    async ({ front, pack, frontPage, packPage }) => {
      await firstRun(frontPage, front.console);
      await setShopZone(frontPage, 'America/New_York');
      await firstRun(packPage, pack.console);
      const placed = await placeOrder(front.console, {
        items: [{ sku: 'INF-STEEL', quantity: 1 }],
        customer: { name: 'Tess Time' },
      });
      const detail = await front.console.ipc<{ createdAt: number }>(
        'orders:get',
        { orderId: placed.orderId },
        'seed',
      );
      const inShopZone = new Intl.DateTimeFormat('en-US', {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: 'America/New_York',
      }).format(new Date(detail.createdAt));

      const rows: string[] = [];
      for (const page of [frontPage, packPage]) {
        await go(page, 'Orders');
        const row = page.getByRole('row', { name: /Tess Time/ });
        await expect(row).toContainText(inShopZone, { timeout: 15_000 });
        rows.push((await row.innerText()).replace(/\s+/g, ' '));
      }
      expect(rows[1]).toEqual(rows[0]);
      await shot(frontPage, 'o6-01-front-desk-tokyo-computer-1280x720');
      await shot(packPage, 'o6-02-packing-los-angeles-computer-1440x900');

      // The CSV each desk exports (no zone asked for: the shop's) says the same.
      await pack.console.ipc('auth:login', { name: MANAGER.name, pin: MANAGER.pin }, 'seed');
      const csv = async (c: typeof front.console) =>
        (await c.ipc<{ csv: string }>('orders:exportCsv', { layout: 'orders' }, 'seed')).csv;
      const [a, b] = [await csv(front.console), await csv(pack.console)];
      expect(a).toContain('Tess Time');
      expect(b).toEqual(a);
    },
  );
});
