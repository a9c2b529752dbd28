// k2. A saved-card order the bank refuses off-session: "customer action needed". Staff call the customer back and
// take another card on the phone for the same order (the test-card picker, as at the phone checkout): the first
// one is declined, the next asks for 3D Secure, completed on the bank's page opened here; the order is paid once
// and received.
import { expect, shot, test } from './fixtures';
import { firstRun, go } from './helpers';

const MANAGER = 'e2e-manager';

test('customer action needed: staff call back and another card pays the same order', async ({ page, mc }) => {
  await firstRun(page, mc);
  await mc.ipc('auth:login', { name: 'Maria Manager', pin: '1234' }, MANAGER);

  // A waitlist order whose card is saved (3D Secure at setup), taken earlier.
  const [teapot] = await mc.ipc<{ id: string; stock: number }[]>(
    'products:search',
    { query: 'teapot', limit: 5 },
    MANAGER,
  );
  expect(teapot!.stock).toBe(0);
  const cart = await mc.ipc<{ id: string }>('carts:create', { currency: 'usd' }, MANAGER);
  await mc.ipc(
    'carts:update',
    {
      cartId: cart.id,
      customer: { name: 'Cody Callback', email: 'cody@example.com', phone: '+1 415 555 0100' },
      delivery: 'collect',
      lines: [{ productId: teapot!.id, quantity: 1 }],
    },
    MANAGER,
  );
  const options = await mc.ipc<{ terms: { saveCard: string } }>(
    'waitlist:options',
    { cartId: cart.id },
    MANAGER,
  );
  const saving = await mc.ipc<{ phase: string; authenticationUrl: string | null; paymentIntentId: string }>(
    'payments:pay',
    {
      cartId: cart.id,
      // Saved with 3D Secure; later charges are declined for insufficient funds.
      paymentMethod: 'pm_card_authenticationRequiredChargeDeclinedInsufficientFunds',
      waitlist: 'save_card',
      consentText: options.terms.saveCard,
    },
    MANAGER,
  );
  expect(saving.phase).toBe('authenticating');
  const setup = await fetch(saving.authenticationUrl!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'outcome=succeed',
    redirect: 'manual',
  });
  expect(setup.status).toBe(303);
  expect((await mc.ipc<{ phase: string }>('payments:refresh', { cartId: cart.id }, MANAGER)).phase).toBe(
    'card_saved',
  );

  // The stock arrives; the manager charges the saved card; the bank declines it.
  await mc.ipc('catalog:receive', { productId: teapot!.id, quantity: 4 }, MANAGER);
  const refused = await mc.ipc<{ state: string }>(
    'waitlist:chargeSaved',
    { cartId: cart.id, pin: '1234' },
    MANAGER,
  );
  expect(refused.state).toBe('action_needed');

  await go(page, 'Holds');
  const row = page.getByRole('row', { name: /Cody Callback/ });
  await expect(row.getByText('Customer action needed')).toBeVisible({ timeout: 15_000 });
  await shot(page, 'k2-01-customer-action-needed');

  // Staff call back: another card, on the phone.
  await row.getByRole('button', { name: /Call back: take another card/ }).click();
  const dialog = page.getByRole('dialog', { name: /Call back: another card for order/ });
  await expect(dialog.getByText(/Last attempt:/)).toBeVisible();
  await dialog.getByLabel('Test card').selectOption({ label: 'Declined (generic)' });
  await dialog.getByRole('button', { name: 'Charge $64.00 to this card' }).click();
  await expect(dialog.getByText('Declined.')).toBeVisible({ timeout: 15_000 });
  await shot(page, 'k2-02-call-back-declined');

  // The next card asks for 3D Secure: the bank's page here (or the link for the customer).
  await dialog.getByLabel('Test card').selectOption({ label: '3D Secure required' });
  await dialog.getByRole('button', { name: 'Charge $64.00 to this card' }).click();
  const here = dialog.getByRole('button', { name: 'Open the bank’s page here' });
  await expect(here).toBeVisible({ timeout: 15_000 });
  await expect(dialog.getByLabel(/Link for the customer/)).toHaveValue(/\/_emulator\/3ds\/pi_/);
  await shot(page, 'k2-03-call-back-3ds');
  const popupPromise = page.waitForEvent('popup');
  await here.click();
  const popup = await popupPromise;
  await popup.getByRole('button', { name: 'Complete authentication' }).click();
  await expect(dialog).toBeHidden({ timeout: 20_000 });
  await expect(page.getByText(/was paid with the card taken on the phone: \$64\.00/)).toBeVisible();
  await expect(page.getByText('No orders waiting on a saved card')).toBeVisible({ timeout: 15_000 });
  await shot(page, 'k2-04-paid-by-phone');

  // One charge went through, on the order's one payment; the declined attempts charged nothing.
  const res = await fetch(`${mc.emulatorUrl}/v1/charges?payment_intent=${saving.paymentIntentId}&limit=10`, {
    headers: { authorization: 'Bearer sk_test_e2e' },
  });
  const charges = ((await res.json()) as { data: { status: string; amount: number }[] }).data;
  expect(charges.filter((c) => c.status === 'succeeded').map((c) => c.amount)).toEqual([6400]);
  expect(charges.filter((c) => c.status === 'failed')).toHaveLength(2);

  // The order is received and paid.
  await go(page, 'Orders');
  const orderRow = page.getByRole('row', { name: /Cody Callback/ });
  await expect(orderRow.getByText(/Received/i).first()).toBeVisible({ timeout: 15_000 });
  const after = await mc.ipc<{ rows: { paymentState: string; amountCaptured: number }[] }>(
    'orders:list',
    {},
    MANAGER,
  );
  expect(after.rows.map((r) => [r.paymentState, r.amountCaptured])).toEqual([['paid', 6400]]);
  await shot(page, 'k2-05-order-received');
});
