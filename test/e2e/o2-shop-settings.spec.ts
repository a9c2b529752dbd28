// o2. A shop's day on two stations (issue 23 item 6): the shop's details set at the front desk — name, address,
// time zone, usual shipping fee, phone country, the message for links — are the packing desk's too (they live in
// Stripe), and a replacement laptop starting from an empty folder gets them; the station's name stays its own.
import { startEmulator } from '../../electron/emulator';
import { expect, shot, startConsole, stopConsole, test } from './fixtures';
import { firstRun, go } from './helpers';
import { goTo } from './shop-helpers';

test('the shop’s details are the same at every station, and a rebuilt station gets them', async ({
  browser,
}, testInfo) => {
  test.setTimeout(150_000);
  const emulator = await startEmulator({ port: 0 });
  const front = await startConsole({ station: 'Front desk', stripeApi: emulator.url });
  const pack = await startConsole({ station: 'Packing', stripeApi: emulator.url });
  let laptop: Awaited<ReturnType<typeof startConsole>> | null = null;
  const small = { width: 1280, height: 720 };
  const large = { width: 1440, height: 900 };
  const frontPage = await (await browser.newContext({ viewport: small })).newPage();
  const packPage = await (await browser.newContext({ viewport: small })).newPage();
  let failed = false;
  try {
    await firstRun(frontPage, front.console);
    await firstRun(packPage, pack.console);

    // The front desk's manager sets the shop's details (Today → Shop details…).
    await goTo(frontPage, 'Today');
    await frontPage.getByRole('button', { name: 'Shop details…' }).click();
    const details = frontPage.getByRole('dialog', { name: 'Shop details' });
    await expect(details).toContainText('Shared by every station of this shop');
    await details.getByLabel('Shop name').fill('Harbour Tea');
    await details.getByLabel('Shop address').fill('12 Harbour Street\nPortland, ME 04101');
    await details.getByLabel('Time zone').selectOption('America/New_York');
    await details.getByLabel(/Shipping fee offered/).fill('5.00');
    await shot(frontPage, 'o2-01-front-desk-shop-details-1280x720');
    await details.getByRole('button', { name: 'Save' }).click();
    await expect(details).toBeHidden();
    await expect(frontPage.getByText(/Harbour Tea · \d{4}-\d\d-\d\d in America\/New_York/)).toBeVisible();

    // …and the phone country and the message for links (Settings → Phone orders).
    await go(frontPage, 'Settings');
    const phone = frontPage.getByRole('region', { name: 'Phone orders' });
    await phone.getByLabel('Shop country').selectOption('CA');
    await phone
      .getByLabel('Secure payment link message')
      .fill('Harbour Tea: pay {amount} for {order} at {link}');
    await phone.getByRole('button', { name: 'Save phone-order settings' }).click();
    await expect(frontPage.getByText(/saved/i).first()).toBeVisible();

    // The packing desk, already open on Today, follows without anyone refreshing.
    await goTo(packPage, 'Today');
    await expect(packPage.getByText(/Harbour Tea · \d{4}-\d\d-\d\d in America\/New_York/)).toBeVisible({
      timeout: 15_000,
    });
    await shot(packPage, 'o2-02-packing-today-same-shop-1280x720');
    await packPage.getByRole('button', { name: 'Shop details…' }).click();
    const packDetails = packPage.getByRole('dialog', { name: 'Shop details' });
    await expect(packDetails.getByLabel('Shop address')).toHaveValue('12 Harbour Street\nPortland, ME 04101');
    await expect(packDetails.getByLabel(/Shipping fee offered/)).toHaveValue('5.00');
    await packPage.setViewportSize(large);
    await shot(packPage, 'o2-03-packing-shop-details-1440x900');
    await packDetails.getByRole('button', { name: 'Cancel' }).click();
    await go(packPage, 'Settings');
    const packPhone = packPage.getByRole('region', { name: 'Phone orders' });
    await expect(packPhone.getByLabel('Shop country')).toHaveValue('CA');
    await expect(packPhone.getByLabel('Secure payment link message')).toHaveValue(
      'Harbour Tea: pay {amount} for {order} at {link}',
    );
    // The station's own name is not the shop's.
    await expect(packPage.getByText('Station: Packing')).toBeVisible();
    await shot(packPage, 'o2-04-packing-settings-1440x900');

    // A replacement laptop, from an empty folder: the shop's details are there from the start.
    laptop = await startConsole({ station: 'New laptop', stripeApi: emulator.url });
    const laptopPage = await (await browser.newContext({ viewport: large })).newPage();
    await firstRun(laptopPage, laptop.console);
    await goTo(laptopPage, 'Today');
    await expect(laptopPage.getByText(/Harbour Tea · \d{4}-\d\d-\d\d in America\/New_York/)).toBeVisible({
      timeout: 15_000,
    });
    await shot(laptopPage, 'o2-05-rebuilt-laptop-today-1440x900');
    await frontPage.setViewportSize(large);
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    await stopConsole(front.console, front.child, front.log, testInfo, 'front', failed);
    await stopConsole(pack.console, pack.child, pack.log, testInfo, 'pack', failed);
    if (laptop) await stopConsole(laptop.console, laptop.child, laptop.log, testInfo, 'laptop', failed);
    await emulator.close();
  }
});
