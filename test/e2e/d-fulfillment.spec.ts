// d. Staff advance orders: two at once to processing (checkbox selection), then one to shipped with a
// carrier and tracking number.
import { expect, shot, test } from './fixtures';
import { addStaffInSettings, firstRun, go, seedOrder, signIn, signOut, STAFF } from './helpers';

test('staff move orders to processing and ship one with tracking', async ({ page, mc }) => {
  await firstRun(page, mc);
  await addStaffInSettings(page);
  await seedOrder(mc, { customer: 'Otto Order', productName: /Sencha/ });
  await seedOrder(mc, { customer: 'Paula Parcel', productName: /Assam/ });
  await signOut(page);
  await signIn(page, STAFF);

  await go(page, 'Orders');
  const otto = page.getByRole('row', { name: /Otto Order/ });
  const paula = page.getByRole('row', { name: /Paula Parcel/ });
  await expect(otto).toBeVisible({ timeout: 15_000 });
  await expect(paula).toBeVisible();
  await otto.getByRole('checkbox').check();
  await paula.getByRole('checkbox').check();
  await expect(page.getByRole('toolbar', { name: 'Selected orders' })).toContainText('2 selected');
  await shot(page, 'd-01-selected');
  await page
    .getByRole('toolbar', { name: 'Selected orders' })
    .getByRole('button', { name: 'Move to processing' })
    .click();
  await page.getByRole('dialog').getByRole('button', { name: 'Move to processing' }).click();
  await expect(otto.getByText('Processing')).toBeVisible();
  await expect(paula.getByText('Processing')).toBeVisible();

  await paula.getByRole('button', { name: /Open order/ }).click();
  const detail = page.getByRole('complementary');
  await detail.getByRole('button', { name: 'Mark shipped…' }).click();
  const dialog = page.getByRole('dialog', { name: /Mark order .* shipped/ });
  await dialog.getByLabel('Carrier').fill('UPS');
  await dialog.getByLabel('Tracking number').fill('1Z999AA10123456784');
  await shot(page, 'd-02-ship-dialog', { docs: true });
  await dialog.getByRole('button', { name: 'Mark shipped' }).click();
  await expect(dialog).toBeHidden();
  await expect(paula.getByText('Shipped')).toBeVisible();
  // The tracking number links to the carrier's tracking page; the timeline says it in words.
  await expect(detail.getByRole('link', { name: /1Z999AA10123456784/ })).toHaveAttribute(
    'href',
    'https://www.ups.com/track?tracknum=1Z999AA10123456784',
  );
  await expect(detail.getByText('Shipped with UPS — 1Z999AA10123456784')).toBeVisible();
  await shot(page, 'd-03-shipped', { docs: true });

  // Staff don't see manager-only money actions.
  await expect(detail.getByRole('button', { name: 'Refund…' })).toHaveCount(0);

  // Filter by status.
  await page.getByLabel('Status').selectOption('shipped');
  await expect(paula).toBeVisible();
  await expect(otto).toBeHidden();
});
