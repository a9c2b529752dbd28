// m5. Customers: found by phone number (however it is typed), by name or email, and reached from an order; the
// page shows contact details, the address, every order and hold, what they spent, and notes shared by stations.
import { expect, shot, test } from './fixtures';
import { firstRun, go } from './helpers';
import { goTo, placeOrder } from './shop-helpers';

test('a customer page found by phone, by name and from an order', async ({ page, mc }) => {
  await firstRun(page, mc);
  await placeOrder(mc, { items: [{ sku: 'GIFT-SAMPLER', quantity: 1 }] });
  const hold = await placeOrder(mc, { items: [{ sku: 'POT-CAST-08', quantity: 1 }] });
  expect(hold.phase).toBe('on_hold');
  await placeOrder(mc, {
    items: [{ sku: 'INF-STEEL', quantity: 1 }],
    customer: { name: 'Otto Order', email: 'otto@example.com' },
  });

  // By phone number, typed as the customer reads it out.
  await goTo(page, 'Customers');
  await expect(page.getByRole('heading', { name: 'Customers', exact: true })).toBeVisible();
  await page.getByLabel('Name, email or phone number').fill('(207) 555-0101');
  const found = page.getByRole('list', { name: 'Customers found' });
  await expect(found.getByRole('button')).toHaveCount(1);
  await found.getByRole('button', { name: /Grace Hopper/ }).click();
  const customer = page.getByRole('region', { name: 'Customer', exact: true });
  await expect(customer.getByRole('heading', { name: 'Grace Hopper' })).toBeVisible();
  await expect(customer).toContainText('grace@navy.example');
  await expect(customer).toContainText('555');
  await expect(customer.getByRole('region', { name: 'Addresses' })).toContainText('12 Harbour Street');
  const orders = customer.getByRole('region', { name: 'Orders', exact: true });
  await expect(orders.getByRole('button', { name: 'Open order #A1001' })).toBeVisible();
  await expect(orders.getByRole('button', { name: 'Open order #A1002' })).toBeVisible();
  await expect(orders).toContainText('Awaiting stock');
  await expect(customer.getByRole('region', { name: 'Waitlist holds' })).toContainText('Cast-iron teapot');
  await expect(customer.getByText('Total spent')).toBeVisible();
  await expect(customer.locator('.customer-page__money')).toContainText('$45.00');

  // A note every station sees.
  await customer.getByLabel(/New note on Grace Hopper/).fill('Prefers calls after 5 pm');
  await customer.getByRole('button', { name: 'Add note' }).click();
  await expect(customer.getByRole('list', { name: 'Notes on Grace Hopper' })).toContainText(
    'Prefers calls after 5 pm',
  );
  await expect(customer.getByRole('list', { name: 'Notes on Grace Hopper' })).toContainText(
    'Maria Manager · Front desk',
  );
  await shot(page, 'm5-01-customer-page', { docs: true });

  // By name.
  await page.getByLabel('Name, email or phone number').fill('otto');
  await expect(found.getByRole('button', { name: /Otto Order/ })).toBeVisible();

  // From an order, and back to the order from the customer's page.
  await go(page, 'Orders');
  const row = page.getByRole('row', { name: /Gift|Grace Hopper/ }).filter({ hasText: '#A1001' });
  await row.getByRole('button', { name: /Open order #A1001/ }).click();
  await page.getByRole('complementary').getByRole('button', { name: 'Customer page' }).click();
  await expect(page.getByRole('heading', { name: 'Customers', exact: true })).toBeVisible();
  await expect(customer.getByRole('heading', { name: 'Grace Hopper' })).toBeVisible();
  await expect(customer).toContainText('Prefers calls after 5 pm');
  await orders.getByRole('button', { name: 'Open order #A1001' }).click();
  await expect(page.getByRole('heading', { name: 'Orders', exact: true })).toBeVisible();
  await expect(page.getByRole('complementary').getByRole('heading', { name: /Order #A1001/ })).toBeVisible();
  await shot(page, 'm5-02-order-from-customer');
});
