// k. A waitlist order that waits longer than a hold lasts: staff save the card (the customer agrees to the words
// read out), the stock arrives, the manager charges the saved card, and the order is received and paid.
import { expect, shot, test } from './fixtures';
import { addProduct, chooseCard, fillCustomer, firstRun, go } from './helpers';

test('a waitlist order with the card saved is charged when the stock arrives', async ({ page, mc }) => {
  await firstRun(page, mc);
  await mc.ipc('auth:login', { name: 'Maria Manager', pin: '1234' }, 'e2e-manager');
  await go(page, 'New order');
  await addProduct(page, 'teapot', 'Cast-iron teapot, 0.8 l');
  await page.getByRole('button', { name: 'Add it waiting for stock' }).click();
  await expect(page.getByText('Waitlist order')).toBeVisible();
  await fillCustomer(page, 'Sasha Saved', 'sasha@example.com');
  // Collected in person, where the console asks how the order leaves (no address needed then).
  const collect = page.getByRole('radio', { name: 'Collected in person' });
  if ((await collect.count()) > 0) await collect.check();
  await chooseCard(page, 'Visa — succeeds');

  // The supplier says three weeks: longer than a hold lasts, so the console suggests saving the card.
  const choice = page.getByRole('group', { name: /How should this order wait/ });
  const { now } = await mc.ipc<{ clockOffsetMs: number; now?: number }>('app:info').then((i) => ({
    now: Date.now() + i.clockOffsetMs,
  }));
  const eta = new Date(now + 21 * 86_400_000).toISOString().slice(0, 10);
  await choice.getByLabel('Expected arrival').fill(eta);
  await expect(choice.getByText(/Suggested: save the card/)).toBeVisible();
  await choice.getByRole('radio', { name: /Save the card, charge on arrival/ }).check();
  const terms = choice.locator('.consent__terms');
  await expect(terms).toContainText('charge $64.00 for 1 × Cast-iron teapot, 0.8 l when it arrives');
  const pay = page.getByRole('button', { name: 'Save card — charge $64.00 on arrival' });
  await expect(pay).toBeDisabled(); // not before the customer agreed
  await choice.getByRole('checkbox', { name: 'The customer agreed' }).check();
  await expect(pay).toBeEnabled();
  await shot(page, 'k-01-save-card-consent');
  await pay.click();
  await expect(page.getByText('Card saved.')).toBeVisible();
  await shot(page, 'k-02-card-saved');
  await page.getByRole('button', { name: 'Next order' }).click();

  // The order exists while it waits, in Orders like any waitlist order, nothing captured yet.
  await go(page, 'Orders');
  await expect(page.getByRole('row', { name: /Sasha Saved/ })).toBeVisible({ timeout: 15_000 });
  await shot(page, 'k-03-orders-waiting');
  const waiting = await mc.ipc<{
    rows: { paymentState: string; amountCaptured: number; cardWait?: string }[];
  }>('orders:list', {}, 'e2e-manager');
  expect(waiting.rows.map((r) => [r.paymentState, r.amountCaptured, r.cardWait])).toEqual([
    ['authorized', 0, 'waiting'],
  ]);

  // Waiting: listed under Holds → Saved cards, not chargeable before the stock is in.
  await go(page, 'Holds');
  const row = page.getByRole('row', { name: /Sasha Saved/ });
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row.getByText('Waiting for stock')).toBeVisible();
  await expect(row.getByText(/Visa •••• 4242/)).toBeVisible();
  await expect(row.getByRole('button', { name: /Charge order/ })).toBeDisabled();

  // The stock arrives (counted in at the catalog).
  const teapot = (
    await mc.ipc<{ id: string; name: string }[]>(
      'products:search',
      { query: 'teapot', limit: 5 },
      'e2e-manager',
    )
  )[0]!;
  await mc.ipc('catalog:receive', { productId: teapot.id, quantity: 4 }, 'e2e-manager');
  await expect(row.getByText('Stock arrived')).toBeVisible({ timeout: 15_000 });
  await shot(page, 'k-04-stock-arrived');

  // The manager charges the saved card.
  await row.getByRole('button', { name: /Charge order/ }).click();
  const dialog = page.getByRole('dialog', { name: /Charge order/ });
  await expect(dialog.getByText(/Charge \$64\.00 to Visa •••• 4242/)).toBeVisible();
  await dialog.getByLabel('Manager PIN').fill('1234');
  await dialog.getByRole('button', { name: 'Charge $64.00' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(/was charged \$64\.00/)).toBeVisible();
  await expect(page.getByText('No orders waiting on a saved card')).toBeVisible({ timeout: 15_000 });
  await shot(page, 'k-05-charged');

  // The order is received and paid.
  await go(page, 'Orders');
  const orderRow = page.getByRole('row', { name: /Sasha Saved/ });
  await expect(orderRow).toBeVisible({ timeout: 15_000 });
  await expect(orderRow.getByText(/Received/i).first()).toBeVisible();
  await expect(orderRow.getByText('$64.00').first()).toBeVisible();
  await shot(page, 'k-06-order-received');
  const after = await mc.ipc<{ rows: { number: string; paymentState: string; amountCaptured: number }[] }>(
    'orders:list',
    {},
    'e2e-manager',
  );
  expect(after.rows.map((r) => [r.paymentState, r.amountCaptured])).toEqual([['paid', 6400]]);
});
