// j. What Stripe says about the money after a payment reaches the order, as a manager sees it: a disputed order
// can't be shipped and says why; a refund that failed shows on the order and can be made again; a hold captured
// by lines leaves an order with just those lines.
import type { Page } from '@playwright/test';
import { expect, shot, test, type Console } from './fixtures';
import { firstRun, go, MANAGER, seedOrder } from './helpers';

async function openOrder(page: Page, customer: string) {
  await go(page, 'Orders');
  const row = page.getByRole('row', { name: new RegExp(customer) });
  await expect(row).toBeVisible({ timeout: 15_000 });
  await row.getByRole('button', { name: /Open order/ }).click();
  return page.getByRole('complementary');
}

async function advanceClock(mc: Console, seconds: number) {
  const res = await fetch(`${mc.emulatorUrl}/_emulator/clock/advance`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seconds }),
  });
  expect(res.ok).toBe(true);
}

test('a disputed order can’t be shipped, and says why', async ({ page, mc }) => {
  await firstRun(page, mc);
  await seedOrder(mc, { customer: 'Dora Dispute', productName: /Sencha/, card: 'pm_card_createDispute' });
  const detail = await openOrder(page, 'Dora Dispute');
  const banner = detail.getByRole('alert', { name: 'Dispute' });
  await expect(banner).toBeVisible({ timeout: 15_000 });
  await expect(banner).toContainText('Disputed — don’t ship');
  await expect(banner).toContainText('the cardholder says they did not make this payment');
  await expect(banner).toContainText(/Respond in Stripe by/);
  // Packing and shipping are not offered; the reason is on the button too.
  const move = detail.getByRole('button', { name: 'Move to processing' });
  await expect(move).toBeDisabled();
  await expect(move).toHaveAttribute('title', /Disputed — don’t ship/);
  await shot(page, 'j-01-disputed', { docs: true });
});

test('a refund that failed shows on the order, and can be made again', async ({ page, mc }) => {
  await firstRun(page, mc);
  await seedOrder(mc, { customer: 'Fay Failrefund', productName: /Assam/, card: 'pm_card_refundFail' });
  let detail = await openOrder(page, 'Fay Failrefund');
  const refund = async () => {
    await detail.getByRole('button', { name: 'Refund…' }).click();
    const dialog = page.getByRole('dialog', { name: /Refund order/ });
    await dialog.getByLabel(/Amount/).fill('5.00');
    await dialog.getByLabel('Manager PIN').fill(MANAGER.pin);
    await dialog.getByRole('button', { name: /^Refund/ }).click();
    await expect(dialog).toBeHidden();
  };
  await refund();
  await expect(detail.getByRole('table', { name: 'Refunds' })).toContainText('Refunded');
  // At Stripe, the refund fails a few seconds later (the card was canceled).
  await advanceClock(mc, 30);
  await expect(detail.getByRole('alert', { name: 'Failed refund' })).toBeVisible({ timeout: 15_000 });
  await expect(detail.getByRole('alert', { name: 'Failed refund' })).toContainText(
    'the customer was not refunded',
  );
  await expect(detail.getByRole('table', { name: 'Refunds' })).toContainText('Failed — not refunded');
  await shot(page, 'j-02-refund-failed', { docs: true });
  detail = page.getByRole('complementary');
  await refund();
  await expect(
    detail.getByRole('table', { name: 'Refunds' }).getByText('Refunded', { exact: true }),
  ).toBeVisible();
  await shot(page, 'j-03-refund-made-again');
});

test('a hold captured by lines leaves an order with just those lines', async ({ page, mc }) => {
  await firstRun(page, mc);
  // A waitlist order of two things: a kettle (out of stock) and two teas.
  const client = 'seed';
  await mc.ipc('auth:login', { name: MANAGER.name, pin: MANAGER.pin }, client);
  const products = await mc.ipc<{ id: string; sku: string }[]>(
    'products:search',
    { query: '', limit: 50 },
    client,
  );
  const id = (sku: string) => products.find((p) => p.sku === sku)!.id;
  const cart = await mc.ipc<{ id: string }>('carts:create', { currency: 'usd' }, client);
  await mc.ipc(
    'carts:update',
    {
      cartId: cart.id,
      customer: { name: 'Lina Lines', email: 'lina@example.com' },
      lines: [
        { productId: id('KET-GOOSE-1'), quantity: 1 },
        { productId: id('TEA-EARL-100'), quantity: 2 },
      ],
    },
    client,
  );
  await mc.ipc('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, client);

  await go(page, 'Holds');
  await page.getByRole('button', { name: 'Capture hold for Lina Lines' }).click({ timeout: 15_000 });
  const dialog = page.getByRole('dialog', { name: 'Capture hold for Lina Lines' });
  // The kettle came in; one of the two teas goes with it.
  await dialog.getByLabel('How many Earl Grey loose leaf, 100 g').fill('1');
  await expect(dialog.getByLabel(/Amount to capture/)).toHaveValue('101.50');
  await expect(dialog.getByText(/the remaining \$12\.50 will be released/)).toBeVisible();
  await dialog.getByLabel('Manager PIN').fill(MANAGER.pin);
  await shot(page, 'j-04-capture-by-lines', { docs: true });
  await dialog.getByRole('button', { name: 'Capture $101.50' }).click();
  await expect(dialog).toBeHidden();

  const detail = await openOrder(page, 'Lina Lines');
  const items = detail.getByRole('table').first();
  await expect(items).toContainText('Gooseneck kettle, 1 l');
  await expect(items.getByRole('row', { name: /Earl Grey/ })).toContainText('1');
  await expect(detail.getByLabel('Released lines')).toContainText('1 × Earl Grey loose leaf, 100 g');
  await shot(page, 'j-05-order-with-captured-lines');
});
