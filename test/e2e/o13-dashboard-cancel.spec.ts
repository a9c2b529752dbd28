// o13. A waitlist order on a saved card (charged when the stock arrives), cancelled in Stripe's Dashboard before
// the stock came: both desks show the same order, Cancelled, nothing charged, "cancelled outside the console" —
// the packing desk too, though it may first have learnt of the order already cancelled.
import { shot, test, withTwoStations, expect, type Console } from './fixtures';
import { firstRun, go, MANAGER } from './helpers';

async function savedCardOrder(c: Console, name: string): Promise<string> {
  await c.ipc('auth:login', { name: MANAGER.name, pin: MANAGER.pin }, 'seed');
  const [teapot] = await c.ipc<{ id: string }[]>('products:search', { query: 'teapot', limit: 5 }, 'seed');
  const cart = await c.ipc<{ id: string }>('carts:create', { currency: 'usd' }, 'seed');
  await c.ipc(
    'carts:update',
    {
      cartId: cart.id,
      customer: { name, email: 'sasha@example.com' },
      delivery: 'collect',
      lines: [{ productId: teapot!.id, quantity: 1 }],
    },
    'seed',
  );
  const options = await c.ipc<{ terms: { saveCard: string } }>(
    'waitlist:options',
    { cartId: cart.id, expectedArrival: '2027-03-15' },
    'seed',
  );
  const saved = await c.ipc<{ phase: string; paymentIntentId: string }>(
    'payments:pay',
    {
      cartId: cart.id,
      paymentMethod: 'pm_card_visa',
      waitlist: 'save_card',
      consentText: options.terms.saveCard,
      expectedArrival: '2027-03-15',
    },
    'seed',
  );
  expect(saved.phase).toBe('card_saved');
  return saved.paymentIntentId;
}

test('a saved-card order cancelled in Stripe’s Dashboard reads Cancelled, nothing charged, at both desks', async ({
  browser,
}, testInfo) => {
  test.setTimeout(180_000);
  await withTwoStations(browser, testInfo, {}, async ({ front, pack, frontPage, packPage, emulator }) => {
    await firstRun(frontPage, front.console);
    await firstRun(packPage, pack.console);
    const piId = await savedCardOrder(front.console, 'Sasha Saved');
    // Someone cancels its PaymentIntent in Stripe's Dashboard: nothing of ours on it.
    const cancelled = await fetch(`${emulator.url}/v1/payment_intents/${piId}/cancel`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer sk_test_e2e',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'cancellation_reason=abandoned',
    });
    expect(cancelled.ok).toBe(true);

    for (const [page, name] of [
      [packPage, 'packing'],
      [frontPage, 'front'],
    ] as const) {
      await go(page, 'Orders');
      const row = page.getByRole('row', { name: /Sasha Saved/ });
      await expect(row.getByText('Cancelled')).toBeVisible({ timeout: 20_000 });
      await row.getByRole('button', { name: /Open order/ }).click();
      const detail = page.getByRole('complementary');
      await expect(
        detail.getByText(
          'Cancelled outside the console (in Stripe’s Dashboard) before the items arrived. Nothing was charged: the $64.00 due on arrival will not be taken from the customer’s saved card.',
        ),
      ).toBeVisible({ timeout: 20_000 });
      // Nothing was authorized, captured or released: the card was only saved.
      await expect(detail.getByRole('region', { name: 'Money' })).not.toContainText('$64.00');
      // Nothing to pack or send: a receipt can be printed, no slip or label.
      await expect(detail.getByRole('button', { name: 'Print receipt' })).toBeVisible();
      await expect(detail.getByRole('button', { name: 'Packing slip' })).toHaveCount(0);
      await expect(detail.getByRole('button', { name: 'Label' })).toHaveCount(0);
      await shot(page, `o13-0${name === 'packing' ? 1 : 2}-dashboard-cancelled-${name}`);
    }
  });
});
