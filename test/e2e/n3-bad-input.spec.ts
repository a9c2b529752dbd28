// Issue 13, item 3: bad input is never silently changed or shown raw. Quantities as typed are refused with a
// reason at the field; a 5,000-character name and a broken email are marked at their fields, and nothing is sent.
import { expect, test } from './fixtures';
import { addProduct, chooseCard, firstRun, pressPay } from './helpers';
import { shots } from './staff-helpers';

test('each field says what is wrong as it is typed, and nothing wrong reaches the checkout', async ({
  page,
  mc,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await firstRun(page, mc);
  await addProduct(page, 'earl', 'Earl Grey loose leaf, 100 g');
  const qty = page.getByLabel('Quantity of Earl Grey loose leaf, 100 g');
  for (const [typed, message] of [
    ['2.5', 'Whole numbers only.'],
    ['1e3', 'Digits only (e.g. 2).'],
    ['-3', 'At least 1.'],
    ['999999', 'At most 999 in one order.'],
  ] as const) {
    await qty.fill(typed);
    await qty.press('Enter');
    await expect(qty).toHaveValue(typed);
    await expect(qty).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText(message)).toBeVisible();
  }
  // While the quantity is invalid the order has no total and nothing names an amount (issue 23 item 1).
  await expect(page.getByLabel('Order total')).toHaveText('—');
  await expect(page.getByRole('button', { name: /^(Charge|Authorize) / })).toHaveCount(0);
  await shots(page, 'n3-01-quantity');
  await qty.fill('3');
  await qty.press('Enter');
  await expect(page.getByLabel('Order total')).toHaveText('$37.50');

  const name = page.getByRole('combobox', { name: 'Customer name' });
  await name.fill('N'.repeat(5000));
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('At most 200 characters (this has 5,000).')).toBeVisible();
  const email = page.getByRole('combobox', { name: 'Email' });
  await email.fill('ann@example');
  await email.blur();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('This is not a complete email address (e.g. name@example.com).')).toBeVisible();
  await page.getByRole('radio', { name: 'Collected in person' }).check();
  await chooseCard(page, 'Visa — succeeds');
  await pressPay(page);
  await expect(page.getByText('Check the 2 fields marked in Customer: name, email.')).toBeVisible();
  await expect(page.getByText(/Invalid input for/)).toHaveCount(0);
  await shots(page, 'n3-02-fields-marked');

  await name.fill('Nadia Normal');
  await email.fill('nadia@example.com');
  await pressPay(page);
  await expect(page.getByText('Payment succeeded.')).toBeVisible();
});
