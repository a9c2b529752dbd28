// Issue 13, item 1: a waitlist order is an order from the moment its hold is placed — "Awaiting stock", with its
// number and items, found by the same search as every order (and in Holds by its number) — and a released one
// shows as cancelled, not vanished.
import { expect, test } from './fixtures';
import { addProduct, chooseCard, fillCustomer, firstRun, go, MANAGER, pressPay } from './helpers';
import { shots } from './staff-helpers';

test('a waitlist order has its number from the hold, is found everywhere by it, and shows cancelled once released', async ({
  page,
  mc,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await firstRun(page, mc);
  await addProduct(page, 'whisk', 'Bamboo matcha whisk');
  await page.getByRole('button', { name: 'Add it waiting for stock' }).click();
  await fillCustomer(page, 'Wanda Waitlist');
  await chooseCard(page, 'Visa — succeeds');
  await pressPay(page);
  await expect(page.getByText('On hold.')).toBeVisible();
  const said = page.getByText(/Order #[A-Z]+\d+ is in Orders, awaiting stock\./);
  await expect(said).toBeVisible({ timeout: 15_000 });
  const number = /#([A-Z]+\d+)/.exec((await said.textContent())!)![1]!;
  await shots(page, 'n2-01-on-hold-with-number');

  // The same search as every order: by its number.
  await page.getByRole('button', { name: 'Go to Orders' }).click();
  await page.getByRole('searchbox', { name: 'Search' }).fill(number);
  const row = page.getByRole('row', { name: new RegExp(`#${number}`) });
  await expect(row).toBeVisible();
  await expect(row.getByText('Awaiting stock')).toBeVisible();
  await expect(row.getByText('held')).toBeVisible();
  await row.getByRole('button', { name: /Open order/ }).click();
  const detail = page.getByRole('complementary');
  await expect(
    detail.getByText(/^Awaiting stock: \$18\.00 is held on the customer’s card until/),
  ).toBeVisible();
  await expect(detail.getByRole('cell', { name: /Bamboo matcha whisk/ })).toBeVisible();
  await expect(detail.getByRole('button', { name: 'Move to processing' })).toHaveCount(0);
  await shots(page, 'n2-02-awaiting-stock');

  // Holds names it by its number and finds it by it.
  await go(page, 'Holds');
  await page.getByRole('searchbox', { name: 'Search holds' }).fill(number);
  const hold = page.getByRole('row', { name: /Wanda Waitlist/ });
  await expect(hold.getByText(`Order #${number}`)).toBeVisible();
  await hold.getByRole('button', { name: 'Release hold for Wanda Waitlist' }).click();
  const release = page.getByRole('dialog', { name: 'Release hold for Wanda Waitlist' });
  await release.getByLabel('Manager PIN').fill(MANAGER.pin);
  await release.getByRole('button', { name: 'Release hold' }).click();
  await expect(release).toBeHidden();

  // Released: still an order, cancelled — not vanished.
  await go(page, 'Orders');
  await page.getByLabel('Status').selectOption({ label: 'Cancelled' });
  await page.getByRole('searchbox', { name: 'Search' }).fill('Wanda');
  await expect(row.getByText('Cancelled')).toBeVisible({ timeout: 15_000 });
  await expect(row.getByText('not charged')).toBeVisible();
  await row.getByRole('button', { name: /Open order/ }).click();
  await expect(
    page
      .getByRole('complementary')
      .getByText(/^Cancelled: the hold was released — \$18\.00 back to the customer/),
  ).toBeVisible();
  await shots(page, 'n2-03-cancelled');
});
