// i. One shop, two stations: the front desk takes a phone order, the packing desk (another console, its own data
// folder, the same Stripe) packs and ships it, and the front desk sees it shipped with its tracking number.
import { shot, test, withTwoStations, expect } from './fixtures';
import { addProduct, chooseCard, fillCustomer, firstRun, go, pressPay } from './helpers';

test('an order taken at one station is shipped at another, and shows shipped back at the first', async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  await withTwoStations(
    browser,
    testInfo,
    { front: { viewport: { width: 1440, height: 900 } }, pack: { viewport: { width: 1440, height: 900 } } },
    async ({ front, pack, frontPage, packPage }) => {
      // The front desk takes the order on the phone.
      await firstRun(frontPage, front.console);
      await go(frontPage, 'New order');
      await addProduct(frontPage, 'sencha', /Sencha green tea/);
      await fillCustomer(frontPage, 'Rosa Parcel', 'rosa@example.com', { ship: true });
      await frontPage.getByLabel('Address line 1').fill('12 Harbour Street');
      await frontPage.getByLabel('City').fill('Portland');
      await frontPage.getByLabel('State').fill('ME');
      await frontPage.getByLabel('ZIP code').fill('04101');
      await chooseCard(frontPage, 'Visa — succeeds');
      await pressPay(frontPage);
      await expect(frontPage.getByText(/Order #A1001/)).toBeVisible({ timeout: 15_000 });
      await shot(frontPage, 'i-01-front-desk-paid');

      // The packing desk (set up on its own) finds it by its number, with items and the address.
      await firstRun(packPage, pack.console);
      await go(packPage, 'Orders');
      await packPage.getByRole('searchbox').fill('A1001');
      const row = packPage.getByRole('row', { name: /Rosa Parcel/ });
      await expect(row).toBeVisible({ timeout: 15_000 });
      await row.getByRole('button', { name: /Open order #A1001/ }).click();
      const detail = packPage.getByRole('complementary');
      await expect(detail.getByRole('cell', { name: 'Sencha green tea, 100 g' })).toBeVisible();
      await expect(detail.getByText(/12 Harbour Street/)).toBeVisible();
      await detail.getByRole('button', { name: 'Move to processing' }).click();
      await packPage.getByRole('dialog').getByRole('button', { name: 'Move to processing' }).click();
      await expect(row.getByText('Processing')).toBeVisible();
      await detail.getByRole('button', { name: 'Mark shipped…' }).click();
      const dialog = packPage.getByRole('dialog', { name: /Mark order .* shipped/ });
      await dialog.getByLabel('Carrier').fill('UPS');
      await dialog.getByLabel('Tracking number').fill('1Z999AA10123456784');
      await dialog.getByRole('button', { name: 'Mark shipped' }).click();
      await expect(row.getByText('Shipped')).toBeVisible();
      await shot(packPage, 'i-02-packing-shipped');

      // Back at the front desk: shipped, with the tracking number, without anyone refreshing by hand.
      await go(frontPage, 'Orders');
      const frontRow = frontPage.getByRole('row', { name: /Rosa Parcel/ });
      await expect(frontRow.getByText('Shipped')).toBeVisible({ timeout: 15_000 });
      await frontRow.getByRole('button', { name: /Open order #A1001/ }).click();
      await expect(
        frontPage.getByRole('complementary').getByRole('link', { name: /1Z999AA10123456784/ }),
      ).toBeVisible();
      await shot(frontPage, 'i-03-front-desk-sees-shipped', { docs: true });

      // Settings at the packing desk names the shop and both stations.
      await go(packPage, 'Settings');
      await expect(packPage.getByRole('table', { name: 'Stations of this shop' })).toContainText(
        'Front desk',
      );
      await shot(packPage, 'i-04-stations');
    },
  );
});
