// Issue 13: axe-core finds no serious or critical violation on any screen — first run, sign-in, every screen of
// the menu (with an order open, a waitlist hold, the 3D Secure link, the checkout's marked fields) and the
// dialogs staff meet all day — at 1280×720, the smallest supported window.
import { expect, test } from './fixtures';
import {
  addProduct,
  chooseCard,
  fillCustomer,
  firstRun,
  go,
  MANAGER,
  pressPay,
  signIn,
  signOut,
} from './helpers';
import { ADDRESS, expectAccessible, seedFullOrder, shots } from './staff-helpers';

test('no serious or critical accessibility violation on any screen', async ({ page, mc }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(mc.url);
  await expect(page.getByRole('heading', { name: 'Create the manager account' })).toBeVisible();
  await expectAccessible(page, 'first run');
  await firstRun(page, mc);
  await seedFullOrder(mc, {
    customer: { name: 'Ally Access', email: 'ally@example.com', phone: '+15550103333', shipping: ADDRESS },
    products: [{ name: /Sencha/ }],
  });
  await seedFullOrder(mc, {
    customer: { name: 'Hana Hold', shipping: ADDRESS },
    products: [{ name: /whisk/ }],
  });

  // New order: empty, then with marked fields, then in 3D Secure with the secure link.
  await go(page, 'New order');
  await expectAccessible(page, 'new order');
  await addProduct(page, 'earl', 'Earl Grey loose leaf, 100 g');
  await page.getByRole('combobox', { name: 'Customer name' }).fill('Ann');
  await chooseCard(page, 'Visa — succeeds');
  await pressPay(page);
  await expect(page.getByText(/Check the \d fields marked/)).toBeVisible();
  await expectAccessible(page, 'new order with marked fields');
  await page.getByRole('combobox', { name: 'Customer name' }).fill('All');
  await expect(page.getByRole('option', { name: /Ally Access/ })).toBeVisible();
  await expectAccessible(page, 'returning customer lookup');
  await page.getByRole('option', { name: /Ally Access/ }).click();
  await chooseCard(page, '3D Secure required');
  await pressPay(page);
  await expect(page.getByLabel('Secure link for the customer')).toBeVisible();
  await expectAccessible(page, '3D Secure link');
  await page.getByRole('button', { name: 'Cancel order' }).click();
  await page.getByRole('button', { name: 'Yes, cancel it' }).click();

  for (const screen of ['Today', 'Customers', 'Catalog', 'Diagnostics', 'Audit log', 'Settings'] as const) {
    await go(page, screen);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.waitForTimeout(300);
    await expectAccessible(page, screen);
  }
  await page.getByRole('button', { name: 'Check the chain' }).isVisible();

  await go(page, 'Holds');
  await expect(page.getByRole('row', { name: /Hana Hold/ })).toBeVisible({ timeout: 15_000 });
  await expectAccessible(page, 'Holds');
  await page.getByRole('button', { name: 'Capture hold for Hana Hold' }).click();
  await expectAccessible(page, 'capture dialog');
  await page.keyboard.press('Escape');

  await go(page, 'Orders');
  const row = page.getByRole('row', { name: /Ally Access/ });
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expectAccessible(page, 'Orders');
  await row.getByRole('button', { name: /Open order/ }).click();
  await expect(page.getByRole('region', { name: 'Timeline' })).toBeVisible();
  await expectAccessible(page, 'order detail');
  await page.getByRole('complementary').getByRole('button', { name: 'Refund…' }).click();
  await expectAccessible(page, 'refund dialog');
  await page.keyboard.press('Escape');
  await row.getByRole('checkbox').check();
  await page
    .getByRole('toolbar', { name: 'Selected orders' })
    .getByRole('button', { name: 'Move to processing' })
    .click();
  await page.getByRole('dialog').getByRole('button', { name: 'Move to processing' }).click();
  await expect(row.getByText('Processing')).toBeVisible();
  await row.getByRole('checkbox').check();
  await page
    .getByRole('toolbar', { name: 'Selected orders' })
    .getByRole('button', { name: /^Mark shipped/ })
    .click();
  await expect(page.getByRole('dialog', { name: 'Ship 1 order' })).toBeVisible();
  await expectAccessible(page, 'bulk ship dialog');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Change my PIN' }).click();
  await expectAccessible(page, 'change my PIN');
  await page.keyboard.press('Escape');
  await shots(page, 'n12-01-orders-detail');

  await signOut(page);
  await expectAccessible(page, 'sign in');
  await signIn(page, MANAGER);
  await fillCustomer(page, 'Nobody');
});
