// m1. The catalog (manager): add a product, change its price, count its stock, find it, deactivate it; then goods
// arrive for an out-of-stock item, and the waitlist orders they cover are listed oldest deadline first and
// captured in one step each.
import { expect, shot, test } from './fixtures';
import { firstRun, go, MANAGER } from './helpers';
import { goTo, placeOrder } from './shop-helpers';

test('a manager keeps the catalog and stock, and captures the waitlist orders new stock covers', async ({
  page,
  mc,
}) => {
  await firstRun(page, mc);
  // Two waitlist orders for the bamboo whisk (none in stock): Wanda's hold lapses first.
  const wanda = await placeOrder(mc, {
    items: [{ sku: 'WHISK-BAMBOO', quantity: 1 }],
    customer: { name: 'Wanda Waitlist' },
  });
  const walter = await placeOrder(mc, {
    items: [{ sku: 'WHISK-BAMBOO', quantity: 2 }],
    customer: { name: 'Walter Later' },
  });
  expect([wanda.phase, walter.phase]).toEqual(['on_hold', 'on_hold']);

  await goTo(page, 'Catalog');
  await expect(page.getByRole('heading', { name: 'Catalog', exact: true })).toBeVisible();
  const products = page.getByRole('table', { name: 'Products' });
  await expect(products.getByRole('row', { name: /Bamboo matcha whisk/ })).toBeVisible();

  // Add a product.
  await page.getByRole('button', { name: 'Add product' }).click();
  const add = page.getByRole('dialog', { name: 'Add a product' });
  await add.getByLabel('Name').fill('Cast-iron trivet');
  await add.getByLabel('SKU').fill('TRIVET-1');
  await add.getByLabel(/^Price/).fill('15.00');
  await add.getByLabel('Units on hand').fill('6');
  await shot(page, 'm1-01-add-product');
  await add.getByRole('button', { name: 'Add product' }).click();
  await expect(add).toBeHidden();
  const trivet = products.getByRole('row', { name: /Cast-iron trivet/ });
  await expect(trivet).toContainText('$15.00');
  await expect(trivet).toContainText('Maria Manager · Front desk');

  // A new price, and a stock count.
  await trivet.getByRole('button', { name: 'Edit Cast-iron trivet' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Cast-iron trivet' });
  await edit.getByLabel(/^Price/).fill('16.50');
  await expect(edit.getByText(/Was \$15\.00/)).toBeVisible();
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(trivet).toContainText('$16.50');
  await trivet.getByRole('button', { name: 'Count Cast-iron trivet' }).click();
  const count = page.getByRole('dialog', { name: 'Count Cast-iron trivet' });
  await count.getByLabel('Counted on hand').fill('4');
  await count.getByRole('button', { name: 'Save count' }).click();
  await expect(count).toBeHidden();
  await expect(trivet.getByRole('cell').nth(2)).toHaveText('4');

  // Search, then deactivate: still in the catalog, no longer on sale.
  await page.getByRole('searchbox', { name: 'Search the catalog' }).fill('trivet');
  await expect(products.getByRole('row')).toHaveCount(2); // the header and the trivet
  await shot(page, 'm1-02-catalog-search');
  await trivet.getByRole('button', { name: 'Deactivate Cast-iron trivet' }).click();
  await expect(trivet).toContainText('Not sold');
  await page.getByRole('button', { name: 'On sale' }).click();
  await expect(trivet).toBeHidden();
  await page.getByRole('button', { name: 'All', exact: true }).click();

  // Stock arrived: three whisks cover both waitlist orders, Wanda's (the earlier deadline) first.
  await page.getByRole('searchbox', { name: 'Search the catalog' }).fill('whisk');
  const whisk = products.getByRole('row', { name: /Bamboo matcha whisk/ });
  await whisk.getByRole('button', { name: 'Stock arrived: Bamboo matcha whisk' }).click();
  const arrived = page.getByRole('dialog', { name: 'Stock arrived: Bamboo matcha whisk' });
  await arrived.getByLabel('Units received').fill('3');
  await arrived.getByRole('button', { name: 'Record delivery' }).click();
  // On hand 3, all of them promised to the waiting orders: none available to a new order (issue 23).
  await expect(whisk.getByRole('cell').nth(2)).toHaveText('3');
  await expect(whisk.getByRole('cell').nth(4)).toHaveText('0');
  const covered = page.getByRole('region', { name: 'Waitlist orders the stock now covers' });
  const rows = covered.getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('Wanda Waitlist');
  await expect(rows.nth(2)).toContainText('Walter Later');
  await expect(rows.nth(1)).toContainText('In stock');
  await shot(page, 'm1-03-stock-arrived', { docs: true });

  // Capture Wanda's in one step, with the manager's PIN.
  await rows
    .nth(1)
    .getByRole('button', { name: /Capture/ })
    .click();
  const capture = page.getByRole('dialog', { name: 'Capture Wanda Waitlist’s hold' });
  await expect(capture).toContainText('the full amount of the hold');
  await capture.getByLabel('Manager PIN').fill(MANAGER.pin);
  await shot(page, 'm1-04-capture-covered');
  await capture.getByRole('button', { name: 'Capture $18.00' }).click();
  await expect(capture).toBeHidden();
  await expect(page.getByText(/Captured \$18\.00 from Wanda Waitlist’s hold/)).toBeVisible();
  await expect(covered.getByRole('row')).toHaveCount(2, { timeout: 15_000 });
  await expect(covered).toContainText('Walter Later');
  await expect(whisk.getByRole('cell').nth(2)).toHaveText('2', { timeout: 15_000 });
  await expect(whisk.getByRole('cell').nth(4)).toHaveText('0');
  await shot(page, 'm1-05-after-capture');

  // Wanda's order is paid now.
  await go(page, 'Orders');
  await expect(page.getByRole('row', { name: /Wanda Waitlist/ })).toContainText('$18.00', {
    timeout: 15_000,
  });
});
