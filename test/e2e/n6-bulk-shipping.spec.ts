// Issue 13, item 6: bulk shipping takes a tracking number per order, typed or scanned in a row, and is offered
// only for orders that can ship; tracking numbers link to the carrier's tracking page.
import { expect, test } from './fixtures';
import { firstRun, go } from './helpers';
import { ADDRESS, seedFullOrder, shots } from './staff-helpers';

test('each selected order ships with its own tracking number; orders that can not ship are not offered', async ({
  page,
  mc,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await firstRun(page, mc);
  for (const name of ['Ulla Ups', 'Vera Usps', 'Ron Received'])
    await seedFullOrder(mc, { customer: { name, shipping: ADDRESS }, products: [{ name: /Sencha/ }] });
  await go(page, 'Orders');
  const rows = Object.fromEntries(
    ['Ulla Ups', 'Vera Usps', 'Ron Received'].map((n) => [n, page.getByRole('row', { name: new RegExp(n) })]),
  );
  await expect(rows['Ron Received']!).toBeVisible({ timeout: 15_000 });
  // Two are packed first.
  await rows['Ulla Ups']!.getByRole('checkbox').check();
  await rows['Vera Usps']!.getByRole('checkbox').check();
  const bar = page.getByRole('toolbar', { name: 'Selected orders' });
  await expect(bar.getByRole('button', { name: /^Mark shipped/ })).toBeDisabled();
  await bar.getByRole('button', { name: 'Move to processing' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Move to processing' }).click();
  await expect(rows['Vera Usps']!.getByText('Processing')).toBeVisible();

  // All three selected: only the two packed ones are offered for shipping.
  for (const n of ['Ulla Ups', 'Vera Usps', 'Ron Received']) await rows[n]!.getByRole('checkbox').check();
  await expect(bar.getByRole('button', { name: 'Mark shipped… (2)' })).toBeEnabled();
  await bar.getByRole('button', { name: 'Mark shipped… (2)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Ship 2 orders' });
  await expect(dialog.getByText(/Not offered: #[A-Z]+\d+ is not packed yet/)).toBeVisible();
  const [first, second] = await dialog.getByRole('textbox', { name: /^Tracking number for order/ }).all();
  // A scanner types the number and presses Enter: the next order's box takes the next scan.
  await first!.pressSequentially('1Z999AA10123456784');
  await first!.press('Enter');
  await expect(second!).toBeFocused();
  await dialog
    .getByRole('combobox', { name: /^Carrier for order/ })
    .nth(1)
    .fill('USPS');
  await second!.fill('9400111202555842761023');
  await shots(page, 'n6-01-bulk-ship');
  await dialog.getByRole('button', { name: 'Mark 2 shipped' }).click();
  await expect(dialog).toBeHidden();
  await expect(rows['Vera Usps']!.getByText('Shipped')).toBeVisible();
  await expect(rows['Ron Received']!.getByText('Received', { exact: true })).toBeVisible();

  await rows['Vera Usps']!.getByRole('button', { name: /Open order/ }).click();
  await expect(
    page.getByRole('complementary').getByRole('link', { name: /9400111202555842761023/ }),
  ).toHaveAttribute('href', 'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111202555842761023');
  await shots(page, 'n6-02-tracking-link');
});
