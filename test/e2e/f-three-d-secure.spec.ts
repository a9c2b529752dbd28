// f. A 3D Secure card: the customer authenticates in the bank's window and the payment succeeds.
import { expect, shot, test } from './fixtures';
import { addProduct, chooseCard, fillCustomer, firstRun, pressPay } from './helpers';

test('a 3DS card is authenticated in the popup and the payment succeeds', async ({ page, mc }) => {
  await firstRun(page, mc);
  await addProduct(page, 'cups', 'Porcelain cups, set of 2');
  await fillCustomer(page, 'Theo Secure');
  await chooseCard(page, '3D Secure required');
  await pressPay(page);
  await expect(page.getByRole('button', { name: 'Open the bank’s page here' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Use another card' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel order', exact: true })).toBeVisible();
  await shot(page, 'f-01-authenticating', { docs: true });

  const popupPromise = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Open the bank’s page here' }).click();
  const popup = await popupPromise;
  await popup.getByRole('button', { name: 'Complete authentication' }).click();
  await expect(page.getByText('Payment succeeded.')).toBeVisible({ timeout: 20_000 });
  await shot(page, 'f-02-authenticated');
});

test('while the customer is stuck in 3DS, another card is taken on the same payment', async ({
  page,
  mc,
}) => {
  await firstRun(page, mc);
  await addProduct(page, 'cups', 'Porcelain cups, set of 2');
  await fillCustomer(page, 'Una Stuck');
  await chooseCard(page, '3D Secure required');
  await pressPay(page);
  await page.getByRole('button', { name: 'Use another card' }).click();
  // One next step at a time: the 3D Secure box gives way to the card.
  await expect(page.getByRole('button', { name: 'Open the bank’s page here' })).toHaveCount(0);
  await chooseCard(page, 'Mastercard — succeeds');
  await pressPay(page);
  await expect(page.getByText('Payment succeeded.')).toBeVisible({ timeout: 20_000 });
  // One payment at Stripe, not two: the same PaymentIntent was confirmed with the second card.
  const list = await fetch(`${mc.emulatorUrl}/v1/payment_intents?limit=10`, {
    headers: { authorization: 'Bearer sk_test_e2e' },
  });
  const body = (await list.json()) as { data: { status: string }[] };
  expect(body.data.map((p) => p.status)).toEqual(['succeeded']);
});
