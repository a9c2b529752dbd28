// o8. A shop's day on two stations (issue 23 item 5, at the station taking the payment): a payment waiting for
// the customer's 3D Secure survives a reload — New order lists it "In progress", and resuming it brings back the
// secure link to send again and Cancel.
import { shot, test, withTwoStations, expect } from './fixtures';
import { addProduct, chooseCard, fillCustomer, firstRun, go, pressPay } from './helpers';

test('a payment waiting for 3D Secure is listed “In progress” after a reload, with its link and Cancel', async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  await withTwoStations(
    browser,
    testInfo,
    { front: { viewport: { width: 1280, height: 720 } }, pack: { viewport: { width: 1440, height: 900 } } },
    async ({ front, pack, frontPage: page, packPage }) => {
      await firstRun(page, front.console);
      await firstRun(packPage, pack.console);
      await addProduct(page, 'cups', 'Porcelain cups, set of 2');
      await fillCustomer(page, 'Lena Link', 'lena@example.com');
      await chooseCard(page, '3D Secure required');
      await pressPay(page);
      const link = page.getByLabel('Secure link for the customer');
      await expect(link).toHaveValue(/\/_emulator\/3ds\/pi_/);
      const url = await link.inputValue();

      // The page is reloaded (or the browser's Back pressed): the payment is not lost — this window takes the order
      // back at once, link and all (its cart is kept for the window).
      await page.reload();
      await expect(page.getByLabel('Secure link for the customer')).toHaveValue(url);
      // Another window of the station (or this one once closed) lists it "In progress", to send again or cancel.
      const second = await page.context().newPage();
      await firstRun(second, front.console);
      await go(second, 'New order');
      const inProgress = second.getByRole('region', { name: 'In progress' });
      await expect(inProgress).toContainText('Lena Link');
      await expect(inProgress).toContainText('Waiting for 3D Secure');
      await shot(second, 'o8-01-in-progress-after-reload-1280x720');
      await inProgress.getByRole('button', { name: 'Resume the order for Lena Link' }).click();
      await expect(second.getByLabel('Secure link for the customer')).toHaveValue(url);
      await expect(second.getByRole('button', { name: /Cancel/ }).first()).toBeVisible();
      await second.setViewportSize({ width: 1440, height: 900 });
      await shot(second, 'o8-02-resumed-with-link-1440x900');
    },
  );
});
