// Issue 13, item 4: a shop that works by phone finds by phone. Orders are found by any part of the number
// however it is typed; a returning customer is looked up from the phone (or email, or name) field.
import { expect, test } from './fixtures';
import { addProduct, chooseCard, firstRun, go, pressPay } from './helpers';
import { ADDRESS, seedFullOrder, shots } from './staff-helpers';

test('orders and returning customers are found by phone, however the number is typed', async ({
  page,
  mc,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await firstRun(page, mc);
  const pia = await seedFullOrder(mc, {
    customer: { name: 'Pia Phone', email: 'pia@example.com', phone: '+15550101234', shipping: ADDRESS },
    products: [{ name: /Sencha/ }],
  });
  await seedFullOrder(mc, {
    customer: {
      name: 'Otto Other',
      phone: '+442079460018',
      shipping: { ...ADDRESS, country: 'GB', state: '', postalCode: 'SW1A 2AA', city: 'London' },
    },
    products: [{ name: /Assam/ }],
  });
  await go(page, 'Orders');
  const search = page.getByRole('searchbox', { name: 'Search' });
  for (const typed of ['555', '(555) 010-1234', '555-010-1234', '+1 555 010 1234']) {
    await search.fill(typed);
    await expect(page.getByRole('row', { name: /Pia Phone/ })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByRole('row', { name: /Otto Other/ })).toHaveCount(0);
  }
  // The list shows the phone as people read it.
  await expect(page.getByRole('row', { name: /Pia Phone/ }).getByText('(555) 010-1234')).toBeVisible();
  await search.fill('+44 20 7946 0018');
  await expect(page.getByRole('row', { name: /Otto Other/ })).toBeVisible();
  await shots(page, 'n4-01-orders-by-phone');
  // A PaymentIntent id pasted from Stripe's Dashboard, whole or its start, finds its order too.
  const piId = pia.paymentIntentId!;
  for (const typed of [piId, piId.slice(0, 12), piId.slice(3, 14)]) {
    await search.fill(typed);
    await expect(page.getByRole('row', { name: /Pia Phone/ })).toBeVisible();
    await expect(page.getByRole('row', { name: /Otto Other/ })).toHaveCount(0);
  }
  await shots(page, 'n4-01b-orders-by-payment-id');

  // A returning customer, looked up from the phone field.
  await go(page, 'New order');
  await addProduct(page, 'earl', 'Earl Grey loose leaf, 100 g');
  await page.getByRole('combobox', { name: 'Phone' }).fill('555 0101');
  const match = page.getByRole('option', { name: /Pia Phone/ });
  await expect(match).toBeVisible();
  await shots(page, 'n4-02-lookup-by-phone');
  await match.click();
  await expect(page.getByRole('combobox', { name: 'Customer name' })).toHaveValue('Pia Phone');
  await expect(page.getByRole('combobox', { name: 'Email' })).toHaveValue('pia@example.com');
  await expect(page.getByLabel('ZIP code')).toHaveValue('97201');
  // And from the email field.
  await page.getByRole('combobox', { name: 'Customer name' }).fill('');
  await page.getByRole('combobox', { name: 'Email' }).fill('pia@ex');
  await expect(page.getByRole('option', { name: /Pia Phone/ })).toBeVisible();
  await page.getByRole('option', { name: /Pia Phone/ }).click();
  await chooseCard(page, 'Visa — succeeds');
  await pressPay(page);
  await expect(page.getByText('Payment succeeded.')).toBeVisible();
});
