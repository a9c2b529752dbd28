// Issue 20: the desktop app reloads its window after the page crashed. The order being taken comes back by
// itself (browser mode: the same page, reloaded): its lines from main, the customer as typed.
import { expect, test } from './fixtures';
import { addProduct, fillCustomer, firstRun } from './helpers';
import { shots } from './staff-helpers';

test('the order being taken comes back after the window is reloaded', async ({ page, mc }) => {
  await firstRun(page, mc);
  await addProduct(page, 'cups', 'Porcelain cups, set of 2');
  await fillCustomer(page, 'Rita Reload', 'rita@example.com');
  const order = page.getByRole('region', { name: 'Order' });
  await expect(order.getByText('Porcelain cups, set of 2')).toBeVisible();

  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Order' }).getByText('Porcelain cups, set of 2'),
  ).toBeVisible();
  await expect(page.getByText('$28.00').first()).toBeVisible();
  // And the customer as typed, collected in person.
  await expect(page.getByRole('combobox', { name: 'Customer name' })).toHaveValue('Rita Reload');
  await expect(page.getByRole('combobox', { name: 'Email' })).toHaveValue('rita@example.com');
  await expect(page.getByRole('radio', { name: 'Collected in person' })).toBeChecked();
  await shots(page, 'n13-01-order-back-after-reload');
});
