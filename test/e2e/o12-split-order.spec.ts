// o12. A shop's day on two stations (issue 23 item 13): 7 matcha asked for, 5 in stock — staff answer "5 now, 2
// waiting". The 5 are charged now; the 2 wait as a second order, held on the same card the customer gave once. The
// packing desk sees both orders, the hold in Holds, and the matcha committed to it: none is left to sell.
import type { Locator } from '@playwright/test';
import { expect, shot, withTwoStations, test, type TwoStations } from './fixtures';
import { chooseCard, fillCustomer, firstRun, go } from './helpers';

/** Both stations set up; at the front desk, the matcha (5 in stock) found, added with Enter, and `n` asked for. */
async function askForMatcha(s: TwoStations, n: number): Promise<Locator> {
  const page = s.frontPage;
  await firstRun(page, s.front.console);
  await firstRun(s.packPage, s.pack.console);
  await go(page, 'New order');
  const search = page.getByRole('combobox', { name: 'Search products' });
  await search.fill('ceremonial matcha');
  const option = page.getByRole('listbox', { name: 'Products' }).getByRole('option').first();
  await expect(option).toContainText('Ceremonial matcha, 30 g');
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await search.press('Enter');
  const qty = page.getByLabel('Quantity of Ceremonial matcha, 30 g');
  await expect(qty).toHaveValue('1');
  await qty.fill(String(n));
  await qty.press('Enter');
  return qty;
}

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
]) {
  const size = `${viewport.width}x${viewport.height}`;

  test(`${size}: the units in stock now and the rest waiting, one card, two orders`, async ({
    browser,
  }, testInfo) => {
    test.setTimeout(150_000);
    await withTwoStations(browser, testInfo, { front: { viewport }, pack: { viewport } }, async (s) => {
      const page = s.frontPage;
      const qty = await askForMatcha(s, 7);
      const question = page.getByRole('group', { name: /Only 5 Ceremonial matcha, 30 g are in stock/ });
      await expect(question).toContainText('7 asked, 2 missing');
      await expect(question.getByRole('button', { name: '5 now, 2 waiting' })).toBeFocused();
      await shot(page, `o12-01-asks-${size}`);
      await question.getByRole('button', { name: '5 now, 2 waiting' }).click();

      // This order: the 5 in stock, paid now. The waiting part: 2, a second order.
      await expect(qty).toHaveValue('5');
      await expect(page.getByLabel('Order total')).toHaveText('$160.00');
      await expect(page.getByText('Waitlist order')).toHaveCount(0);
      const waiting = page.getByRole('region', { name: /Waiting for stock/ });
      await expect(waiting).toContainText('2 × Ceremonial matcha, 30 g');
      await expect(waiting.getByLabel('Waiting total')).toHaveText('$64.00');

      await page.getByRole('combobox', { name: 'Customer name' }).fill('Nia Now');
      await page.getByRole('combobox', { name: 'Phone' }).fill('(555) 010-2323');
      await page.getByLabel('Address line 1').fill('4 Leaf Lane');
      await page.getByLabel('City').fill('Portland');
      await page.getByLabel('State').fill('OR');
      await page.getByLabel('ZIP code').fill('97201');

      const pay = page.getByRole('button', { name: 'Charge $160.00 now, hold $64.00' });
      await expect(pay).toBeEnabled();
      await expect(pay).toBeInViewport({ ratio: 1 });
      await shot(page, `o12-02-split-cart-${size}`);
      await pay.click();
      await expect(page.getByText('Payment succeeded.')).toBeVisible({ timeout: 30_000 });
      await expect(page.locator('p', { hasText: 'And held:' })).toContainText('$64.00 for the waiting items');
      await shot(page, `o12-03-paid-and-held-${size}`);

      // What Stripe holds: one charge of $160, one hold of $64 — the same card.
      const res = await fetch(`${s.emulator.url}/v1/payment_intents?limit=10`, {
        headers: { authorization: 'Bearer sk_test_e2e' },
      });
      const pis = (
        (await res.json()) as { data: { amount: number; status: string; payment_method: string }[] }
      ).data;
      expect(pis.map((p) => [p.amount, p.status]).sort()).toEqual([
        [16000, 'succeeded'],
        [6400, 'requires_capture'],
      ]);
      expect(new Set(pis.map((p) => p.payment_method)).size).toBe(1);

      // The packing desk: both orders, the hold, and no matcha left for anyone else.
      const pack = s.packPage;
      await go(pack, 'Orders');
      const rows = pack.getByRole('row', { name: /Nia Now/ });
      await expect(rows).toHaveCount(2, { timeout: 20_000 });
      await expect(rows.filter({ hasText: '$160.00' })).toContainText('Received');
      await expect(rows.filter({ hasText: '$64.00' })).toContainText(/Awaiting stock/);
      // The waiting order names the order it was split from, and opens it.
      await rows
        .filter({ hasText: '$64.00' })
        .getByRole('button', { name: /Open order/ })
        .click();
      const pane = pack.getByRole('complementary');
      await expect(pane.getByText(/The waiting items of/)).toContainText('order #A1001');
      await shot(pack, `o12-04-other-station-orders-${size}`);
      await pane.getByRole('button', { name: 'order #A1001' }).click();
      await expect(pane.getByText(/its waiting items are/)).toContainText('order #A1002');
      await go(pack, 'Holds');
      await expect(pack.getByRole('row', { name: /Nia Now/ })).toContainText('$64.00', { timeout: 15_000 });
      await go(pack, 'Catalog');
      const row = pack.getByRole('row', { name: /Ceremonial matcha/ });
      // On hand, committed, available: the 5 sold, the 2 committed to the hold, none left to sell.
      const cells = row.getByRole('cell');
      await expect(cells.nth(2)).toHaveText('0', { timeout: 15_000 });
      await expect(cells.nth(3)).toHaveText('2');
      await expect(cells.nth(4)).toHaveText('0');
      await shot(pack, `o12-05-other-station-catalog-${size}`);
    });
  });

  test(`${size}: a card that asks for 3D Secure: the first order after the bank's page, then the waiting part's own`, async ({
    browser,
  }, testInfo) => {
    test.setTimeout(150_000);
    await withTwoStations(browser, testInfo, { front: { viewport }, pack: { viewport } }, async (s) => {
      const page = s.frontPage;
      await askForMatcha(s, 8);
      await page.getByRole('button', { name: '5 now, 3 waiting' }).click();
      await expect(
        page.getByRole('region', { name: /Waiting for stock/ }).getByLabel('Waiting total'),
      ).toHaveText('$96.00');
      await fillCustomer(page, 'Sol Secure');
      await chooseCard(page, '3D Secure required');
      await page.getByRole('button', { name: 'Charge $160.00 now, hold $96.00' }).click();

      // The first order: the bank's page, then paid. The same card is asked again for the waiting part.
      const popup1 = page.waitForEvent('popup');
      await page.getByRole('button', { name: 'Open the bank’s page here' }).click();
      await (await popup1).getByRole('button', { name: 'Complete authentication' }).click();
      await expect(page.getByText('Payment succeeded.')).toBeVisible({ timeout: 30_000 });
      const outcome = page.getByRole('alert').filter({ hasText: 'The waiting items are not held yet' });
      await expect(outcome).toContainText('The bank wants the customer to confirm this payment too.');
      await shot(page, `o12-06-waiting-part-asks-the-bank-${size}`);

      // Opened, the waiting order has its own bank's page; confirmed, it is held.
      await outcome.getByRole('button', { name: 'Open the waiting order' }).click();
      await expect(page.getByRole('region', { name: /Waiting for stock/ })).toHaveCount(0);
      const popup2 = page.waitForEvent('popup');
      await page.getByRole('button', { name: 'Open the bank’s page here' }).click();
      await (await popup2).getByRole('button', { name: 'Complete authentication' }).click();
      await expect(page.getByText('On hold.')).toBeVisible({ timeout: 30_000 });
      await expect(page.getByText(/\$96\.00 authorized on the card/)).toBeVisible();
      await shot(page, `o12-07-waiting-part-held-${size}`);

      // The packing desk: the paid order and the hold, the hold naming the order it was split from.
      await go(s.packPage, 'Holds');
      await expect(s.packPage.getByRole('row', { name: /Sol Secure/ })).toContainText('$96.00', {
        timeout: 20_000,
      });
    });
  });
}
