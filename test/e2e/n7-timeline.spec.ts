// Issue 13, item 7: the order timeline is written for the shop — one line per thing that happened, in its words
// ("Card authorised — $18.00 held until …"), with Stripe's details folded away for whoever wants them.
import { expect, test } from './fixtures';
import { firstRun, go, MANAGER } from './helpers';
import { ADDRESS, seedFullOrder, shots } from './staff-helpers';

test('a waitlist order’s timeline says what happened in words, Stripe’s details one click away', async ({
  page,
  mc,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await firstRun(page, mc);
  await seedFullOrder(mc, {
    customer: { name: 'Tess Timeline', shipping: ADDRESS },
    products: [{ name: /whisk/ }],
  });
  await go(page, 'Holds');
  await page.getByRole('button', { name: 'Capture hold for Tess Timeline' }).click();
  const capture = page.getByRole('dialog', { name: 'Capture hold for Tess Timeline' });
  await capture.getByLabel(/Amount to capture/).fill('10.00');
  await capture.getByLabel('Manager PIN').fill(MANAGER.pin);
  await capture.getByRole('button', { name: 'Capture $10.00' }).click();
  await expect(capture).toBeHidden();

  await go(page, 'Orders');
  const row = page.getByRole('row', { name: /Tess Timeline/ });
  await row.getByRole('button', { name: /Open order/ }).click();
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByText('Order taken — $18.00')).toBeVisible({ timeout: 15_000 });
  await expect(
    timeline.getByText(/^Card authorised — \$18\.00 held until [A-Z][a-z]{2} \d{1,2}/),
  ).toBeVisible();
  await expect(timeline.getByText('Hold captured — $10.00 charged')).toBeVisible({ timeout: 15_000 });
  await expect(timeline.getByText('$8.00 released to the customer.')).toBeVisible();
  // One line per thing that happened, no developer words where people read.
  await expect(
    timeline.getByRole('listitem').filter({ hasText: /Card authorised|Hold captured|Order taken/ }),
  ).toHaveCount(3);
  await expect(
    timeline.getByText(/payment_intent\.|charge\.succeeded|capture_method/).filter({ visible: true }),
  ).toHaveCount(0);
  await shots(page, 'n7-01-timeline');
  await timeline.getByText('Stripe details').nth(1).click();
  await expect(timeline.getByText(/payment_intent\.amount_capturable_updated · evt_/)).toBeVisible();
  await shots(page, 'n7-02-stripe-details');
});
