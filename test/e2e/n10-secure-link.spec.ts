// Issue 13, item 10: 3D Secure on a phone call. The customer can't see the staff member's screen: the console
// gives a secure link to send them (email or text), the customer confirms on their own device, and the console
// follows the payment to paid by itself.
import { expect, test } from './fixtures';
import { addProduct, chooseCard, fillCustomer, firstRun, go, pressPay } from './helpers';
import { shots } from './staff-helpers';

test('the customer confirms 3D Secure from a link on their own phone, and the console shows it paid', async ({
  page,
  mc,
  browser,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await firstRun(page, mc);
  await addProduct(page, 'cups', 'Porcelain cups, set of 2');
  await fillCustomer(page, 'Lena Link', 'lena@example.com');
  await page.getByRole('combobox', { name: 'Phone' }).fill('(555) 010-4444');
  await chooseCard(page, '3D Secure required');
  await pressPay(page);
  const link = page.getByLabel('Secure link for the customer');
  await expect(link).toHaveValue(/\/_emulator\/3ds\/pi_/);
  const url = await link.inputValue();
  const email = page.getByRole('link', { name: 'Email the link to lena@example.com' });
  await expect(email).toHaveAttribute(
    'href',
    /^mailto:lena%40example\.com\?subject=Confirm%20your%20payment/,
  );
  expect(decodeURIComponent((await email.getAttribute('href'))!)).toContain(url);
  const text = page.getByRole('link', { name: 'Text the link to (555) 010-4444' });
  await expect(text).toHaveAttribute('href', /^sms:\+15550104444\?body=/);
  // One next step at a time: no Charge button beside the 3D Secure box.
  await expect(page.getByRole('button', { name: /^Charge/ })).toHaveCount(0);
  await shots(page, 'n10-01-secure-link');

  // Copied (browser mode: the page's own clipboard; the desktop app: main's): recorded only once it is there.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByText(/Link copied at .*Waiting for the customer to confirm/)).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(url);
  await shots(page, 'n10-02-link-copied');

  // Sent by text (the mail or messages app takes it from here; recorded on the order).
  await text.evaluate((a) => a.addEventListener('click', (e) => e.preventDefault()));
  await text.click();
  await expect(page.getByText(/Link sent by text at .*Waiting for the customer to confirm/)).toBeVisible();

  // The customer, on their own phone: a browser of their own opens the link and confirms.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const theirs = await phone.newPage();
  await theirs.goto(url);
  await theirs.getByRole('button', { name: 'Complete authentication' }).click();
  await phone.close();

  // The console follows the payment to paid, with nothing pressed here.
  await expect(page.getByText('Payment succeeded.')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('list', { name: 'Payment progress' }).getByText('3D Secure')).toBeVisible();
  await shots(page, 'n10-03-paid-after-link');
  await go(page, 'Orders');
  await page
    .getByRole('row', { name: /Lena Link/ })
    .getByRole('button', { name: /Open order/ })
    .click();
  // Twice: copied, then texted.
  await expect(
    page.getByRole('region', { name: 'Timeline' }).getByText('Secure payment link sent to the customer'),
  ).toHaveCount(2);
});
