// o5. A shop's day on two stations (issue 23 item 7): the front desk's manager adds a staff member; a packing
// desk set up later, from an empty folder, asks for no manager of its own — it has the shop's people from
// Stripe — and the staff member signs in there with their passcode alone.
import { startEmulator } from '../../electron/emulator';
import { expect, shot, startConsole, stopConsole, test } from './fixtures';
import { addStaffInSettings, firstRun, go, STAFF } from './helpers';

test('a joining station has the shop’s staff, who sign in with their passcode alone', async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  const emulator = await startEmulator({ port: 0 });
  const front = await startConsole({ station: 'Front desk', stripeApi: emulator.url });
  let pack: Awaited<ReturnType<typeof startConsole>> | null = null;
  const frontPage = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  const packPage = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  let failed = false;
  try {
    await firstRun(frontPage, front.console);
    await addStaffInSettings(frontPage, STAFF);

    // The packing desk joins the shop later, from nothing.
    pack = await startConsole({ station: 'Packing', stripeApi: emulator.url });
    await packPage.goto(pack.console.url);
    await expect(packPage.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 15_000 });
    await expect(packPage.getByRole('heading', { name: 'Create the manager account' })).toHaveCount(0);
    // A wrong passcode says so, and signs nobody in.
    await packPage.getByLabel('PIN', { exact: true }).fill('0000');
    await packPage.getByRole('button', { name: 'Sign in' }).click();
    await expect(packPage.getByText('That passcode does not match an active account.')).toBeVisible();
    await packPage.getByLabel('PIN', { exact: true }).fill(STAFF.pin);
    await shot(packPage, 'o5-01-packing-sign-in-by-passcode-1280x720');
    await packPage.getByRole('button', { name: 'Sign in' }).click();
    await expect(packPage.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await expect(packPage.getByText(STAFF.name, { exact: true })).toBeVisible();
    await expect(packPage.getByText('Staff', { exact: true })).toBeVisible();
    await expect(packPage.getByText('Station: Packing')).toBeVisible();
    await packPage.setViewportSize({ width: 1440, height: 900 });
    await shot(packPage, 'o5-02-packing-signed-in-as-staff-1440x900');

    // The front desk's manager, too, signs in at the packing desk with their passcode, and sees the same staff.
    await packPage.getByRole('button', { name: 'Sign out' }).click();
    await packPage.getByLabel('PIN', { exact: true }).fill('1234');
    await packPage.getByRole('button', { name: 'Sign in' }).click();
    await go(packPage, 'Settings');
    await expect(packPage.getByRole('cell', { name: STAFF.name, exact: true })).toBeVisible();
    await expect(packPage.getByRole('cell', { name: /^Maria Manager/ })).toBeVisible();
    await shot(packPage, 'o5-03-packing-staff-list-1440x900');
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    await stopConsole(front.console, front.child, front.log, testInfo, 'front', failed);
    if (pack) await stopConsole(pack.console, pack.child, pack.log, testInfo, 'pack', failed);
    await emulator.close();
  }
});
