// o7. A shop's day on two stations (issue 23 item 12): the usual shipping fee, set once for the shop at the front
// desk, applies by default to a shipped order at the packing desk; collected in person, none; a fee staff type
// stays theirs.
import { shot, test, withTwoStations, expect } from './fixtures';
import { addProduct, firstRun, go } from './helpers';
import { goTo } from './shop-helpers';

test('a shipped order carries the shop’s usual fee unless staff change it', async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  await withTwoStations(
    browser,
    testInfo,
    { front: { viewport: { width: 1440, height: 900 } }, pack: { viewport: { width: 1280, height: 720 } } },
    async ({ front, pack, frontPage, packPage }) => {
      await firstRun(frontPage, front.console);
      await goTo(frontPage, 'Today');
      await frontPage.getByRole('button', { name: 'Shop details…' }).click();
      const details = frontPage.getByRole('dialog', { name: 'Shop details' });
      await details.getByLabel(/Shipping fee offered/).fill('5.00');
      await details.getByRole('button', { name: 'Save' }).click();
      await expect(details).toBeHidden();

      await firstRun(packPage, pack.console);
      await go(packPage, 'New order');
      await addProduct(packPage, 'assam', /Assam breakfast/);
      const fee = packPage.getByLabel('Shipping', { exact: true });
      await expect(fee).toHaveValue('5.00', { timeout: 15_000 });
      await expect(packPage.getByLabel('Order total')).toHaveText('$23.90');
      await shot(packPage, 'o7-01-packing-usual-fee-applied-1280x720');

      // Collected in person: no shipping fee; shipped again: the usual one.
      await packPage.getByRole('radio', { name: 'Collected in person' }).check();
      await expect(fee).toHaveValue('');
      await expect(packPage.getByLabel('Order total')).toHaveText('$18.90');
      await packPage.getByRole('radio', { name: 'Ship to the customer' }).check();
      await expect(fee).toHaveValue('5.00');

      // A fee staff type is theirs: switching the delivery no longer changes it.
      await fee.fill('7.50');
      await fee.press('Enter');
      await expect(packPage.getByLabel('Order total')).toHaveText('$26.40');
      await packPage.getByRole('radio', { name: 'Collected in person' }).check();
      await packPage.getByRole('radio', { name: 'Ship to the customer' }).check();
      await expect(fee).toHaveValue('7.50');
      await packPage.setViewportSize({ width: 1440, height: 900 });
      await shot(packPage, 'o7-02-packing-fee-typed-1440x900');
    },
  );
});
