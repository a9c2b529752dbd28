// a. First run creates the manager; the console opens and every screen can be visited.
import { expect, shot, test } from './fixtures';
import { firstRun, go } from './helpers';

test('first run creates the manager and every screen opens', async ({ page, mc }) => {
  await page.goto(mc.url);
  await expect(page.getByText('Offline demo — no real money')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Create the manager account' })).toBeVisible();
  await shot(page, 'a-01-first-run', { docs: true });

  await firstRun(page, mc);
  await expect(page.getByRole('heading', { name: 'New phone order' })).toBeVisible();
  await expect(page.getByRole('option', { name: /Assam breakfast/ })).toBeVisible();
  await shot(page, 'a-02-new-order', { docs: true });

  await go(page, 'Orders');
  await expect(page.getByRole('heading', { name: 'Orders', exact: true })).toBeVisible();
  await expect(page.getByText('No orders', { exact: true })).toBeVisible();
  await shot(page, 'a-03-orders-empty');

  await go(page, 'Holds');
  await expect(page.getByRole('heading', { name: 'Waitlist holds' })).toBeVisible();
  await expect(page.getByText('No open holds')).toBeVisible();
  await shot(page, 'a-04-holds-empty');

  await go(page, 'Diagnostics');
  await expect(page.getByRole('heading', { name: 'Diagnostics' })).toBeVisible();
  await expect(page.getByText('Reachable')).toBeVisible();
  await page.getByRole('button', { name: 'Compare with Stripe' }).click();
  await expect(page.getByText(/Everything matches Stripe/)).toBeVisible();
  await shot(page, 'a-05-sync', { docs: true });

  await go(page, 'Settings');
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Training clock' })).toBeVisible();
  await shot(page, 'a-06-settings', { docs: true });

  // Keyboard shortcuts move between screens too.
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('heading', { name: 'Orders', exact: true })).toBeVisible();

  // Signing out returns to sign-in; the manager signs back in.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Name').fill('Maria Manager');
  await page.getByLabel('PIN').fill('9999');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await shot(page, 'a-07-sign-in-bad-pin');
});
