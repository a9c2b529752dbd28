// Issue 13, item 2: a card is not charged for an order that can't be shipped. The checkout asks for what the
// carrier needs (or "Collected in person") and says what is missing next to each field; item 12: the checkout
// fits 1280×720.
import { expect, test } from './fixtures';
import { addProduct, chooseCard, firstRun, pressPay } from './helpers';
import { shots } from './staff-helpers';

test('a shipped order needs its address before the card is charged; a collected one does not', async ({
  page,
  mc,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await firstRun(page, mc);
  await addProduct(page, 'earl', 'Earl Grey loose leaf, 100 g');
  await page.getByRole('combobox', { name: 'Customer name' }).fill('Nora Needs-Address');
  await chooseCard(page, 'Visa — succeeds');
  await shots(page, 'n1-01-new-order');
  await pressPay(page);
  // Nothing is charged; each missing field says so.
  await expect(page.getByText(/Check the 4 fields marked in Customer/)).toBeVisible();
  await expect(page.getByLabel('Address line 1')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Add the street address, or choose “Collected in person”.')).toBeVisible();
  await expect(page.getByText('Add the town or city.')).toBeVisible();
  await expect(page.getByText('Add the state.')).toBeVisible();
  await expect(page.getByText('Add the ZIP code.')).toBeVisible();
  await expect(page.getByText('Payment succeeded.')).toHaveCount(0);
  await shots(page, 'n1-02-missing-address');

  await page.getByLabel('Address line 1').fill('12 Leaf Lane');
  await page.getByLabel('City').fill('Portland');
  await page.getByLabel('State').fill('OR');
  await page.getByLabel('ZIP code').fill('9720');
  await expect(page.getByText('This is not a ZIP code (e.g. 97201).')).toBeVisible();
  await page.getByLabel('ZIP code').fill('97201');
  await expect(page.getByLabel('Address line 1')).not.toHaveAttribute('aria-invalid', 'true');
  await pressPay(page);
  await expect(page.getByText('Payment succeeded.')).toBeVisible();
  await shots(page, 'n1-03-paid');

  // Collected in person: no address asked for.
  await page.getByRole('button', { name: 'Next order' }).click();
  await addProduct(page, 'sencha', /Sencha/);
  await page.getByRole('combobox', { name: 'Customer name' }).fill('Colin Collects');
  await page.getByRole('radio', { name: 'Collected in person' }).check();
  await expect(page.getByLabel('Address line 1')).toHaveCount(0);
  await expect(page.getByText('No address needed: the customer collects the order.')).toBeVisible();
  await pressPay(page);
  await expect(page.getByText('Payment succeeded.')).toBeVisible();
});
