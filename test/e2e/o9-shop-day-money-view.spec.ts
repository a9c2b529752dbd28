// o9. A shop's day on two stations (issue 23 items 5, 7, 9, 10, 11): a payment waiting for 3D Secure at the front
// desk is listed at the packing desk too (New order → In progress, and Orders), with its link, and cancelled there;
// an order confirmed minutes after it was placed is dated by when it was placed, the same at both desks; a manager
// at either desk sees every station's money actions (who, where, when, how much) from Stripe — one made in
// Stripe's Dashboard says so; "held" shows only where money is held; the CSV says Cancelled and the captured
// total, as the screen does.
import { shot, test, withTwoStations, expect, type Console } from './fixtures';
import { addProduct, chooseCard, fillCustomer, firstRun, go, MANAGER, pressPay } from './helpers';
import { placeOrder, setShopZone } from './shop-helpers';
import { expectAccessible } from './staff-helpers';

const SMALL = { viewport: { width: 1280, height: 720 }, timezoneId: 'Asia/Tokyo' };
const LARGE = { viewport: { width: 1440, height: 900 }, timezoneId: 'America/Los_Angeles' };

async function asManager(c: Console) {
  await c.ipc('auth:login', { name: MANAGER.name, pin: MANAGER.pin }, 'seed');
}

async function openHold(c: Console, name: string) {
  let hold: { paymentIntentId: string; version: number; customerName: string } | undefined;
  await expect
    .poll(async () => {
      const holds = await c.ipc<{ paymentIntentId: string; version: number; customerName: string }[]>(
        'holds:list',
        { include: 'open' },
        'seed',
      );
      hold = holds.find((h) => h.customerName === name);
      return !!hold;
    })
    .toBe(true);
  return hold!;
}

test('every station lists payments in progress and the shop’s money actions; times, “held” and the CSV say what happened', async ({
  browser,
}, testInfo) => {
  test.setTimeout(240_000);
  await withTwoStations(browser, testInfo, { front: SMALL, pack: LARGE }, async (s) => {
    const { front, pack, frontPage, packPage, emulator } = s;
    await firstRun(frontPage, front.console);
    // The shop is in New York; the two computers are in Tokyo and Los Angeles.
    await setShopZone(frontPage, 'America/New_York');
    await firstRun(packPage, pack.console);

    // ---- Item 5: a payment waiting for 3D Secure at the front desk, seen and cancelled at the packing desk.
    await go(frontPage, 'New order');
    await addProduct(frontPage, 'cups', 'Porcelain cups, set of 2');
    await fillCustomer(frontPage, 'Lena Link', 'lena@example.com');
    await chooseCard(frontPage, '3D Secure required');
    await pressPay(frontPage);
    const link = await frontPage.getByLabel('Secure link for the customer').inputValue();
    expect(link).toMatch(/\/_emulator\/3ds\/pi_/);

    await go(packPage, 'New order');
    const inProgress = packPage.getByRole('region', { name: 'In progress' });
    const lena = inProgress.getByRole('listitem', { name: 'Payment in progress for Lena Link' });
    await expect(lena).toContainText('Waiting for 3D Secure', { timeout: 15_000 });
    await expect(lena).toContainText('Front desk');
    await expect(lena.getByLabel('Secure link for Lena Link')).toHaveValue(link);
    await shot(packPage, 'o9-01-packing-new-order-in-progress-1440x900');
    await go(packPage, 'Orders');
    const panel = packPage.getByRole('region', { name: 'Payments in progress' });
    await expect(panel.getByRole('listitem', { name: 'Payment in progress for Lena Link' })).toBeVisible();
    await expect(packPage.getByRole('row', { name: /Lena Link/ })).toHaveCount(0); // not an order
    await shot(packPage, 'o9-02-packing-orders-in-progress-1440x900');
    await expectAccessible(packPage, 'Orders with a payment in progress');
    // The customer changed their mind: the packing desk cancels it (Stripe is read first).
    await panel.getByRole('button', { name: 'Cancel the payment for Lena Link' }).click();
    await panel.getByRole('button', { name: 'Yes, cancel it' }).click();
    await expect(panel).toBeHidden();
    // The front desk's payment follows: it is cancelled there too, and listed nowhere.
    await expect(frontPage.getByText('This order was canceled; the card was not charged.')).toBeVisible({
      timeout: 15_000,
    });
    await shot(frontPage, 'o9-02b-front-desk-cancelled-elsewhere-1280x720');
    await go(frontPage, 'Orders');
    await expect(frontPage.getByRole('region', { name: 'Payments in progress' })).toBeHidden();

    // ---- Item 10: an order whose customer confirmed 3D Secure three minutes after it was placed.
    await go(frontPage, 'New order');
    await addProduct(frontPage, 'infuser', 'Steel infuser basket');
    await fillCustomer(frontPage, 'Tomas Later', 'tomas@example.com');
    await chooseCard(frontPage, '3D Secure required');
    await pressPay(frontPage);
    const later = await frontPage.getByLabel('Secure link for the customer').inputValue();
    const piId = /(pi_[A-Za-z0-9]+)/.exec(later)![1]!;
    const placed = (
      (await await fetch(`${emulator.url}/v1/payment_intents/${piId}`, {
        headers: { authorization: 'Bearer sk_test_e2e' },
      }).then((r) => r.json())) as { created: number }
    ).created;
    emulator.advanceClock(180);
    const confirmed = await fetch(`${emulator.url}/_emulator/payment_intents/${piId}/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'succeed' }),
    });
    expect(confirmed.ok).toBe(true);
    const inShopZone = new Intl.DateTimeFormat('en-US', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'America/New_York',
    }).format(new Date(placed * 1000));
    for (const page of [frontPage, packPage]) {
      await go(page, 'Orders');
      await expect(page.getByRole('row', { name: /Tomas Later/ })).toContainText(inShopZone, {
        timeout: 15_000,
      });
    }

    // ---- Items 7, 9, 11: holds and a paid order taken at the front desk; money actions at both desks.
    await placeOrder(front.console, {
      items: [
        { sku: 'TEA-EARL-100', quantity: 1 },
        { sku: 'KET-GOOSE-1', quantity: 1 },
      ],
      customer: { name: 'Lina Lines', email: 'lina@example.com' },
    });
    await placeOrder(front.console, {
      items: [{ sku: 'KET-GOOSE-1', quantity: 1 }],
      customer: { name: 'Rory Release', email: 'rory@example.com' },
    });
    const cal = await placeOrder(front.console, {
      items: [{ sku: 'TEA-EARL-100', quantity: 2 }],
      customer: { name: 'Cal Cancel', email: 'cal@example.com' },
    });
    // At the packing desk a manager captures the tea in stock, releases a hold and refunds $5.
    await asManager(pack.console);
    const lina = await openHold(pack.console, 'Lina Lines');
    await pack.console.ipc(
      'holds:capture',
      {
        paymentIntentId: lina.paymentIntentId,
        amount: 1250,
        version: lina.version,
        pin: MANAGER.pin,
        lines: [
          { sku: 'TEA-EARL-100', quantity: 1 },
          { sku: 'KET-GOOSE-1', quantity: 0 },
        ],
      },
      'seed',
    );
    const rory = await openHold(pack.console, 'Rory Release');
    await pack.console.ipc(
      'holds:release',
      { paymentIntentId: rory.paymentIntentId, version: rory.version, pin: MANAGER.pin },
      'seed',
    );
    const calOrder = cal.paymentIntentId!.replace('pi_', 'ord_');
    await expect
      .poll(async () =>
        pack.console
          .ipc('orders:get', { orderId: calOrder }, 'seed')
          .then(() => true)
          .catch(() => false),
      )
      .toBe(true);
    await pack.console.ipc(
      'orders:refund',
      { orderId: calOrder, amount: 500, expectedRefunded: 0, pin: MANAGER.pin },
      'seed',
    );

    // Back at the front desk, a manager cancels that order (the rest is refunded).
    await asManager(front.console);
    await expect
      .poll(async () =>
        front.console
          .ipc<{ amountRefunded: number }>('orders:get', { orderId: calOrder }, 'seed')
          .then((o) => o.amountRefunded),
      )
      .toBe(500);
    await front.console.ipc(
      'orders:cancel',
      {
        orderId: calOrder,
        reason: 'customer_request',
        note: 'Changed their mind',
        expectedRefunded: 500,
        pin: MANAGER.pin,
      },
      'seed',
    );

    // Someone refunds $1.00 of Tomas's order in Stripe's Dashboard: nothing of ours on it, and it says so.
    const dashboardRefund = await fetch(`${emulator.url}/v1/refunds`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer sk_test_e2e',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `payment_intent=${piId}&amount=100`,
    });
    expect(dashboardRefund.ok).toBe(true);

    // The front desk's manager sees them all — most made at the packing desk — under Audit log → Money actions.
    await go(frontPage, 'Audit log');
    await frontPage.getByRole('tab', { name: 'Money actions, every station' }).click();
    const actions = frontPage.getByRole('region', { name: 'Money actions' });
    for (const [what, who] of [
      [/Hold captured.*\$12\.50.*Lina Lines.*Maria Manager.*Packing/s, 'capture'],
      [/Hold released.*\$89\.00.*Rory Release.*Maria Manager.*Packing/s, 'release'],
      [/Refunded.*\$5\.00.*Cal Cancel.*Maria Manager.*Packing/s, 'refund'],
      [/Order cancelled.*\$25\.00.*Cal Cancel.*Maria Manager.*Front desk.*Changed their mind/s, 'cancel'],
      [/Refunded.*\$20\.00.*Cal Cancel.*Maria Manager.*Front desk/s, 'the cancel’s refund'],
      [/Refunded.*\$1\.00.*Tomas Later.*In Stripe’s Dashboard/s, 'the Dashboard’s refund'],
    ] as const) {
      await expect(actions.getByRole('row').filter({ hasText: what }), who).toHaveCount(1, {
        timeout: 15_000,
      });
    }
    await shot(frontPage, 'o9-03-front-desk-money-actions-1280x720');
    await expectAccessible(frontPage, 'Money actions');
    await go(packPage, 'Audit log');
    await packPage.getByRole('tab', { name: 'Money actions, every station' }).click();
    await expect(packPage.getByRole('region', { name: 'Money actions' }).getByRole('row')).toHaveCount(7);
    await shot(packPage, 'o9-04-packing-money-actions-1440x900');

    // Item 9: the released hold says "not charged", never "held"; its order pane lets the whole amount go.
    await go(frontPage, 'Orders');
    const roryRow = frontPage.getByRole('row', { name: /Rory Release/ });
    await expect(roryRow).toContainText('Cancelled', { timeout: 15_000 });
    await expect(roryRow).toContainText('not charged');
    await expect(roryRow).not.toContainText('held');
    await roryRow.getByRole('button', { name: /Open order/ }).click();
    const pane = frontPage.getByRole('complementary');
    await expect(pane).toContainText('not charged');
    await expect(
      pane.locator('.ledger__item').filter({ has: frontPage.getByText('Released', { exact: true }) }),
    ).toContainText('$89.00');
    await expect(frontPage.getByRole('row', { name: /Cal Cancel/ })).toContainText('Cancelled');
    await shot(frontPage, 'o9-05-released-hold-not-held-1280x720');

    // Item 11: the CSV of each desk says what the screen says.
    const csv = async (c: Console) =>
      (await c.ipc<{ csv: string }>('orders:exportCsv', { layout: 'orders' }, 'seed')).csv;
    const [a, b] = [await csv(front.console), await csv(pack.console)];
    expect(b).toEqual(a);
    const line = (name: string) => a.split('\r\n').find((l) => l.includes(name)) ?? '';
    expect(line('Rory Release')).toMatch(
      /"USD","0\.00","0\.00","0\.00","Cancelled \(hold released\)","Cancelled"/,
    );
    expect(line('Lina Lines')).toMatch(/"USD","12\.50","12\.50","0\.00","Paid","Received"/);
    expect(line('Cal Cancel')).toMatch(/"USD","25\.00","25\.00","25\.00","Refunded","Cancelled"/);
    const tomas = line('Tomas Later');
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', dateStyle: 'short' }).format(
      new Date(placed * 1000),
    );
    expect(tomas).toContain(`"${day}"`);
  });
});

test('“held” shows only where money is held: not on a saved card, nor after a hold lapsed', async ({
  browser,
}, testInfo) => {
  test.setTimeout(180_000);
  await withTwoStations(browser, testInfo, { front: LARGE, pack: SMALL }, async (s) => {
    const { front, pack, frontPage, packPage, emulator } = s;
    await firstRun(frontPage, front.console);
    await firstRun(packPage, pack.console);
    await asManager(front.console);
    const waitlistCart = async (name: string, eta?: string) => {
      const cart = await front.console.ipc<{ id: string }>('carts:create', { currency: 'usd' }, 'seed');
      const [kettle] = await front.console.ipc<{ id: string }[]>(
        'products:search',
        { query: 'KET-GOOSE-1', limit: 1 },
        'seed',
      );
      await front.console.ipc(
        'carts:update',
        {
          cartId: cart.id,
          customer: { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com` },
          lines: [{ productId: kettle!.id, quantity: 1 }],
          delivery: 'collect',
        },
        'seed',
      );
      const options = await front.console.ipc<{ terms: { saveCard: string; holdAndSave: string } }>(
        'waitlist:options',
        { cartId: cart.id, ...(eta ? { expectedArrival: eta } : {}) },
        'seed',
      );
      return { cartId: cart.id, terms: options.terms };
    };
    // A saved card charged on arrival (nothing held), a hold that saves the card too, and a plain hold.
    const sally = await waitlistCart('Sally Saved', '2027-03-15');
    await front.console.ipc(
      'payments:pay',
      {
        cartId: sally.cartId,
        paymentMethod: 'pm_card_visa',
        waitlist: 'save_card',
        consentText: sally.terms.saveCard,
        expectedArrival: '2027-03-15',
      },
      'seed',
    );
    const hal = await waitlistCart('Hal Holdcard');
    await front.console.ipc(
      'payments:pay',
      {
        cartId: hal.cartId,
        paymentMethod: 'pm_card_visa',
        waitlist: 'hold',
        saveCard: true,
        consentText: hal.terms.holdAndSave,
      },
      'seed',
    );
    await placeOrder(front.console, {
      items: [{ sku: 'KET-GOOSE-1', quantity: 1 }],
      customer: { name: 'Lou Lapsed', email: 'lou@example.com' },
    });
    await go(packPage, 'Orders');
    const row = (name: string) => packPage.getByRole('row', { name: new RegExp(name) });
    await expect(row('Lou Lapsed')).toContainText('held', { timeout: 15_000 });
    await expect(row('Sally Saved')).toContainText('card saved');
    await expect(row('Sally Saved')).not.toContainText('held');

    // A week on, both holds have lapsed at the bank.
    emulator.advanceClock(8 * 24 * 3600);
    await expect(row('Lou Lapsed')).toContainText('not charged', { timeout: 15_000 });
    await expect(row('Lou Lapsed')).toContainText('Cancelled');
    await expect(row('Hal Holdcard')).toContainText('card saved');
    for (const name of ['Lou Lapsed', 'Hal Holdcard', 'Sally Saved'])
      await expect(row(name), name).not.toContainText('held');
    await shot(packPage, 'o9-06-packing-no-held-after-lapse-1280x720');
    await row('Sally Saved')
      .getByRole('button', { name: /Open order/ })
      .click();
    const pane = packPage.getByRole('complementary');
    await expect(pane).toContainText('card saved, charged on arrival');
    await expect(
      pane.locator('.ledger__item').filter({ has: packPage.getByText('Authorized', { exact: true }) }),
    ).toContainText('$0.00');
    await shot(packPage, 'o9-07-saved-card-order-nothing-held-1280x720');

    // The front desk says the same; the lapse is in its money actions as Stripe's doing.
    await go(frontPage, 'Orders');
    await expect(frontPage.getByRole('row', { name: /Lou Lapsed/ })).toContainText('not charged');
    await frontPage
      .getByRole('row', { name: /Hal Holdcard/ })
      .getByRole('button', { name: /Open order/ })
      .click();
    const halPane = frontPage.getByRole('complementary');
    await expect(halPane).toContainText('card saved, charged on arrival');
    await expect(
      halPane.locator('.ledger__item').filter({ has: frontPage.getByText('Released', { exact: true }) }),
    ).toContainText('$89.00');
    await shot(frontPage, 'o9-08-front-desk-lapsed-hold-onto-saved-card-1440x900');
    await go(frontPage, 'Audit log');
    await frontPage.getByRole('tab', { name: 'Money actions, every station' }).click();
    await expect(
      frontPage
        .getByRole('region', { name: 'Money actions' })
        .getByRole('row')
        .filter({ hasText: /Hold lapsed.*Stripe/s }),
    ).toHaveCount(2);
    const csv = (await front.console.ipc<{ csv: string }>('orders:exportCsv', { layout: 'orders' }, 'seed'))
      .csv;
    expect(csv.split('\r\n').find((l) => l.includes('Lou Lapsed'))).toMatch(
      /"0\.00","0\.00","0\.00","Cancelled \(hold lapsed\)","Cancelled"/,
    );
  });
});
