// m7. One shop, two stations (two consoles, one Stripe): the front desk takes the orders; the packing desk's
// Today shows the same figures, its note on an order is read at the front desk, and the front desk's note on
// the customer is read at the packing desk — nobody refreshing by hand.
import { shot, test, withTwoStations, expect } from './fixtures';
import { firstRun, go, MANAGER } from './helpers';
import { goTo, placeOrder } from './shop-helpers';

test('two stations show the same day, the same notes and the same customer', async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  await withTwoStations(
    browser,
    testInfo,
    { front: { viewport: { width: 1440, height: 900 } }, pack: { viewport: { width: 1440, height: 900 } } },
    async ({ front, pack, frontPage, packPage }) => {
      await firstRun(frontPage, front.console);
      await firstRun(packPage, pack.console);
      // Both stations count "today" in the same zone.
      for (const c of [front.console, pack.console]) {
        await c.ipc('auth:login', { name: MANAGER.name, pin: MANAGER.pin }, 'tz');
        await c.ipc('shop:update', { timeZone: 'UTC' }, 'tz');
      }
      // The front desk's day: two paid orders (one for Grace, with a fee), a waitlist hold, a refund.
      const graces = await placeOrder(front.console, {
        items: [{ sku: 'TEA-EARL-100', quantity: 2 }],
        shippingFee: 695,
      });
      await placeOrder(front.console, {
        items: [{ sku: 'CUP-PORC-2', quantity: 1 }],
        customer: { name: 'Otto Order' },
      });
      await placeOrder(front.console, {
        items: [{ sku: 'KET-GOOSE-1', quantity: 1 }],
        customer: { name: 'Hal Hold' },
      });
      await front.console.ipc(
        'orders:refund',
        {
          orderId: graces.orderId,
          amount: 500,
          expectedRefunded: 0,
          pin: MANAGER.pin,
          reason: 'requested_by_customer',
        },
        'seed',
      );

      // Today at both stations: the same figures.
      await goTo(frontPage, 'Today');
      await goTo(packPage, 'Today');
      const figures = async (page: typeof frontPage) => {
        const tiles = page.getByRole('group');
        // Each station learns of the front desk's orders and refund from Stripe's events, and updates itself.
        await expect(page.getByRole('group', { name: 'Sales', exact: true })).toContainText('$59.95', {
          timeout: 20_000,
        });
        await expect(page.getByRole('group', { name: 'Refunds', exact: true })).toContainText('$5.00', {
          timeout: 20_000,
        });
        return (await tiles.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      };
      const [atFront, atPack] = [await figures(frontPage), await figures(packPage)];
      expect(atPack).toEqual(atFront);
      expect(atFront.join(' | ')).toContain('REFUNDS $5.00');
      expect(atFront.join(' | ')).toContain('HOLDS OUTSTANDING $89.00');
      await shot(packPage, 'm7-01-packing-today');

      // The packing desk notes something on Grace's order; the front desk reads it on the order.
      await go(packPage, 'Orders');
      const packRow = packPage.getByRole('row', { name: /Grace Hopper/ });
      await expect(packRow).toBeVisible({ timeout: 15_000 });
      await packRow.getByRole('button', { name: /Open order/ }).click();
      const packDetail = packPage.getByRole('complementary');
      await packDetail.getByLabel(/New note on order #A1001/).fill('Box is heavy: two parcels');
      await packDetail.getByRole('button', { name: 'Add note' }).click();
      await expect(packDetail.getByRole('list', { name: 'Notes on order #A1001' })).toContainText('Packing');

      await go(frontPage, 'Orders');
      const frontRow = frontPage.getByRole('row', { name: /Grace Hopper/ });
      await frontRow.getByRole('button', { name: /Open order/ }).click();
      const frontNotes = frontPage
        .getByRole('complementary')
        .getByRole('list', { name: 'Notes on order #A1001' });
      await expect(frontNotes).toContainText('Box is heavy: two parcels', { timeout: 15_000 });
      await expect(frontNotes).toContainText('Maria Manager · Packing');
      await shot(frontPage, 'm7-02-front-desk-reads-note');

      // The front desk notes something on Grace herself; the packing desk's customer page shows it.
      await frontPage.getByRole('complementary').getByRole('button', { name: 'Customer page' }).click();
      const frontCustomer = frontPage.getByRole('region', { name: 'Customer', exact: true });
      await frontCustomer.getByLabel(/New note on Grace Hopper/).fill('Call before 5 pm only');
      await frontCustomer.getByRole('button', { name: 'Add note' }).click();
      await expect(frontCustomer.getByRole('list', { name: 'Notes on Grace Hopper' })).toContainText(
        'Call before 5 pm only',
      );
      await goTo(packPage, 'Customers');
      await packPage.getByLabel('Name, email or phone number').fill('grace');
      await packPage
        .getByRole('list', { name: 'Customers found' })
        .getByRole('button', { name: /Grace Hopper/ })
        .click();
      const packCustomer = packPage.getByRole('region', { name: 'Customer', exact: true });
      await expect(packCustomer.getByRole('list', { name: 'Notes on Grace Hopper' })).toContainText(
        'Call before 5 pm only',
        { timeout: 15_000 },
      );
      await expect(packCustomer).toContainText('$26.95'); // $31.95 paid, $5 refunded
      await shot(packPage, 'm7-03-packing-reads-customer-note', { docs: true });
    },
  );
});
