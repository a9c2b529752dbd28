// b. A staff member (added by the manager in Settings) takes a phone order paid with a test Visa; the order
// appears as received in Orders.
import { expect, shot, test } from './fixtures';
import {
  addStaffInSettings,
  chooseCard,
  fillCustomer,
  firstRun,
  go,
  pressPay,
  signIn,
  signOut,
  STAFF,
} from './helpers';

test('staff take a phone order paid by Visa and it shows as received', async ({ page, mc }) => {
  await firstRun(page, mc);
  await addStaffInSettings(page);
  await shot(page, 'b-01-staff-added');
  await signOut(page);
  await signIn(page, STAFF);
  await expect(page.getByText('Staff', { exact: true })).toBeVisible();

  // Keyboard: search, arrow down to the product, Enter adds it.
  const search = page.getByRole('combobox', { name: 'Search products' });
  await search.fill('tea');
  await expect(page.getByRole('option', { name: /Earl Grey/ })).toBeVisible();
  await search.fill('earl');
  await expect(page.getByRole('listbox', { name: 'Products' }).getByRole('option')).toHaveCount(1);
  await search.press('Enter');
  await expect(page.getByLabel('Quantity of Earl Grey loose leaf, 100 g')).toHaveValue('1');
  await page.getByRole('button', { name: 'One more Earl Grey loose leaf, 100 g' }).click();
  await expect(page.getByLabel('Quantity of Earl Grey loose leaf, 100 g')).toHaveValue('2');
  await expect(page.getByLabel('Order total')).toHaveText('$25.00');

  await fillCustomer(page, 'Ann Example', 'ann@example.com', { ship: true });
  await page.getByRole('combobox', { name: 'Phone' }).fill('(555) 010-0100');
  await page.getByLabel('Address line 1').fill('12 Leaf Lane');
  await page.getByLabel('City').fill('Portland');
  await page.getByLabel('State').fill('OR');
  await page.getByLabel('ZIP code').fill('97201');
  await chooseCard(page, 'Visa — succeeds');
  await shot(page, 'b-02-order-ready', { docs: true });

  await pressPay(page);
  await expect(page.getByText('Payment succeeded.')).toBeVisible();
  // Not twice: the pay button is gone once paid.
  await expect(page.getByRole('button', { name: /^Charge / })).toHaveCount(0);
  await expect(page.getByText(/Order #[A-Z]{1,3}\d{4,} is in Orders/)).toBeVisible({ timeout: 15_000 });
  await shot(page, 'b-03-paid', { docs: true });

  await go(page, 'Orders');
  const row = page.getByRole('row', { name: /Ann Example/ });
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row.getByText('Received')).toBeVisible();
  await expect(row.getByText('$25.00')).toBeVisible();
  await row.getByRole('button', { name: /Open order/ }).click();
  const detail = page.getByRole('complementary');
  await expect(detail.getByRole('heading', { name: 'Money' })).toBeVisible();
  await expect(detail.getByText('Confirmed by Stripe').first()).toBeVisible();
  await shot(page, 'b-04-orders-received', { docs: true });

  // Manager-only parts are not offered to staff; the link with Stripe is one line in the menu.
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Diagnostics/ }),
  ).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('status')).toContainText(
    'In step with Stripe',
  );
  await shot(page, 'b-05-staff-menu');
  await go(page, 'Settings');
  await expect(page.getByText(/managed by a manager/)).toBeVisible();
  await go(page, 'Holds');
  await expect(page.getByText(/Only a manager can capture or release holds/)).toBeVisible();
});
