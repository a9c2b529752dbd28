// t1. Tax and discounts on phone orders (issue 21, part A): a manager sets the shop's tax (kept in Stripe, so
// the other station prices the same way); an order shipped to another state carries that state's tax; a
// discount above the shop's limit needs a manager's PIN; a tax-exempt customer pays no tax. Each ends paid at
// the total the screen showed.
import type { Page } from '@playwright/test';
import { expect, shot, test, withTwoStations } from './fixtures';
import { addProduct, chooseCard, firstRun, go, MANAGER } from './helpers';

/** Settings → Tax: Rates I set, New York 8.875 % and California 7.25 %, a PIN above 10 % off. */
async function setRates(page: Page): Promise<void> {
  await go(page, 'Settings');
  const panel = page.getByRole('region', { name: 'Tax and discounts' });
  await panel.getByRole('radio', { name: 'Rates I set' }).check();
  for (const [state, name, rate] of [
    ['NY', 'New York', '8.875'],
    ['CA', 'California', '7.25'],
  ] as const) {
    await panel.getByRole('button', { name: 'Add a rate' }).click();
    const row = panel.getByRole('row').last();
    await row.getByLabel(/^State of rate/).fill(state);
    await row.getByLabel(/^Name of rate/).fill(name);
    await row.getByLabel(/^Rate \d+ percent/).fill(rate);
  }
  await panel.getByLabel('Shop address line 1').fill('10 Market St');
  await panel.getByLabel('Shop city').fill('Albany');
  await panel.getByLabel('Shop state').fill('NY');
  await panel.getByLabel('Shop postal code').fill('12207');
  await panel.getByLabel('Manager’s PIN above (%)').fill('10');
  await panel.getByRole('button', { name: 'Save tax settings' }).click();
  await expect(page.getByText('Tax settings saved for every station.')).toBeVisible();
}

async function shipTo(
  page: Page,
  name: string,
  a: { line1: string; city: string; state: string; zip: string },
) {
  await page.getByRole('combobox', { name: 'Customer name' }).fill(name);
  await page.getByRole('radio', { name: 'Ship to the customer' }).check();
  await page.getByLabel('Address line 1', { exact: true }).fill(a.line1);
  await page.getByLabel('City', { exact: true }).fill(a.city);
  await page.getByLabel('State', { exact: true }).fill(a.state);
  await page.getByLabel('ZIP code').fill(a.zip);
  await page.getByLabel('ZIP code').blur();
}

test('an order shipped to another state carries that state’s tax, set once for the shop', async ({
  browser,
}, testInfo) => {
  test.setTimeout(150_000);
  await withTwoStations(
    browser,
    testInfo,
    { front: { viewport: { width: 1440, height: 900 } }, pack: { viewport: { width: 1280, height: 720 } } },
    async ({ front, pack, frontPage, packPage }) => {
      await firstRun(frontPage, front.console);
      await setRates(frontPage);
      await frontPage.getByRole('heading', { name: 'Tax and discounts' }).scrollIntoViewIfNeeded();
      await frontPage.getByRole('heading', { name: 'Tax and discounts' }).evaluate((h) => h.scrollIntoView());
      await shot(frontPage, 't1-01-settings-tax-1440x900', { docs: true });

      // The packing station reads the shop's tax from Stripe and prices its own order with it.
      await firstRun(packPage, pack.console);
      await go(packPage, 'New order');
      await addProduct(packPage, 'assam', /Assam breakfast/);
      await shipTo(packPage, 'Grace Hopper', {
        line1: '5 Ocean Ave',
        city: 'Los Angeles',
        state: 'CA',
        zip: '90001',
      });
      const tax = packPage.getByLabel('Tax', { exact: true });
      // $18.90 × 7.25 % = $1.37 (1.370…); shipping not taxed.
      await expect(tax).toHaveText('$1.37', { timeout: 15_000 });
      await packPage.getByText('Tax', { exact: true }).first().click(); // open the breakdown
      await expect(packPage.getByRole('list', { name: 'Tax by jurisdiction' })).toContainText(
        'California 7.25%',
      );
      await shot(packPage, 't1-02-shipped-to-california-1280x720', { docs: true });

      // The customer moves it to New York: priced again before the card is touched.
      await packPage.getByLabel('State', { exact: true }).fill('NY');
      await packPage.getByLabel('ZIP code').fill('12207');
      await packPage.getByLabel('ZIP code').blur();
      await expect(tax).toHaveText('$1.68'); // 18.90 × 8.875 % = 1.677…
      const total = await packPage.getByLabel('Order total').textContent();
      await expect(packPage.getByRole('button', { name: `Charge ${total}` })).toBeEnabled();
      await chooseCard(packPage, 'Visa — succeeds');
      await packPage.getByRole('button', { name: `Charge ${total}` }).click();
      await expect(packPage.getByText('Payment succeeded.')).toBeVisible();
      await expect(packPage.getByText(`${total} charged`)).toBeVisible();
    },
  );
});

test('a discount above the shop’s limit needs a manager’s PIN; a tax-exempt customer pays no tax', async ({
  mc,
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await firstRun(page, mc);
  await setRates(page);
  await go(page, 'New order');
  await addProduct(page, 'assam', /Assam breakfast/);
  await page.getByRole('combobox', { name: 'Customer name' }).fill('Ada Lovelace');
  await page.getByRole('radio', { name: 'Collected in person' }).check();
  // Collected at the shop in New York: 8.875 %.
  await expect(page.getByLabel('Tax', { exact: true })).toHaveText('$1.68', { timeout: 15_000 });

  // 25 % off the whole order, above the 10 % limit.
  await page.getByRole('button', { name: 'Add a discount' }).click();
  const form = page.getByRole('form', { name: 'Add a discount' });
  await form.getByLabel('Discount').fill('25');
  await form.getByLabel('Reason').selectOption('Price match');
  await form.getByRole('button', { name: 'Apply discount' }).click();
  const pin = page.getByRole('dialog', { name: 'Confirm with your PIN' });
  await expect(pin).toContainText('above the shop’s limit');
  await pin.getByLabel('Your manager PIN').fill('0000');
  await pin.getByRole('button', { name: 'Confirm' }).click();
  await expect(pin).toContainText('not a manager’s PIN');
  await pin.getByLabel('Your manager PIN').fill(MANAGER.pin);
  await pin.getByRole('button', { name: 'Confirm' }).click();
  await expect(pin).toBeHidden();
  // 25 % of $18.90 is $4.725: $4.72 (half to even); tax on the discounted $14.18: 14.18 × 8.875 % = $1.26.
  await expect(page.getByLabel('Discount', { exact: true })).toHaveText('−$4.72');
  await expect(page.getByLabel('Tax', { exact: true })).toHaveText('$1.26');
  await expect(page.getByLabel('Order total')).toHaveText('$15.44');
  await expect(page.getByRole('list', { name: 'Discounts' })).toContainText(`Allowed by ${MANAGER.name}`);
  await shot(page, 't1-03-discount-allowed-by-manager-1440x900', { docs: true });

  // Two tins: 25 % is now $9.45 off, more than the manager allowed — the PIN again, or nothing changes.
  await page.getByRole('button', { name: /One more Assam breakfast/ }).click();
  await expect(pin).toContainText('$9.45');
  await shot(page, 't1-03b-discount-grew-pin-again-1440x900');
  await pin.getByRole('button', { name: 'Cancel' }).click();
  await expect(pin).toBeHidden();
  await expect(page.getByLabel(/Quantity of Assam breakfast/)).toHaveValue('1');
  await expect(page.getByLabel('Order total')).toHaveText('$15.44');
  await page.getByRole('button', { name: /One more Assam breakfast/ }).click();
  await pin.getByLabel('Your manager PIN').fill(MANAGER.pin);
  await pin.getByRole('button', { name: 'Confirm' }).click();
  await expect(pin).toBeHidden();
  await expect(page.getByLabel(/Quantity of Assam breakfast/)).toHaveValue('2');
  await expect(page.getByLabel('Discount', { exact: true })).toHaveText('−$9.45');
  // Back to one tin: within what was allowed, no PIN.
  await page.getByRole('button', { name: /One less Assam breakfast/ }).click();
  await expect(page.getByLabel(/Quantity of Assam breakfast/)).toHaveValue('1');
  await expect(page.getByLabel('Order total')).toHaveText('$15.44');

  // A bad discount is refused at its field, and changes nothing.
  await page.getByRole('button', { name: 'Add a discount' }).click();
  await form.getByLabel('Discount').fill('101');
  await form.getByRole('button', { name: 'Apply discount' }).click();
  await expect(
    form.getByText('can’t be more than 100%').or(form.getByText("can't be more than 100%")),
  ).toBeVisible();
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByLabel('Order total')).toHaveText('$15.44');

  // The customer is tax-exempt (a resale certificate): no tax.
  await page.getByRole('checkbox', { name: 'Tax-exempt customer' }).check();
  await page.getByLabel('Exemption reason or certificate number').fill('Resale 123-45');
  await page.getByLabel('Exemption reason or certificate number').blur();
  await expect(page.getByLabel('Tax', { exact: true })).toHaveText('$0.00');
  await expect(page.getByLabel('Order total')).toHaveText('$14.18');
  await page.setViewportSize({ width: 1280, height: 720 });
  await shot(page, 't1-04-tax-exempt-customer-1280x720', { docs: true });
  await chooseCard(page, 'Visa — succeeds');
  await page.getByRole('button', { name: 'Charge $14.18' }).click();
  await expect(page.getByText('Payment succeeded.')).toBeVisible();
});

test('Stripe Tax: an address it can’t place is refused at the address, nothing charged until it is fixed', async ({
  mc,
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await firstRun(page, mc);
  // The shop uses Stripe Tax (the demo's registrations: New York, California, Washington, Germany).
  await mc.ipc('auth:login', { name: MANAGER.name, pin: MANAGER.pin }, 'setup');
  await mc.ipc(
    'tax:update',
    {
      mode: 'stripe_tax',
      pricesIncludeTax: false,
      shippingTaxable: false,
      regions: [],
      origin: { line1: '10 Market St', city: 'Albany', state: 'NY', postalCode: '12207', country: 'US' },
      discountReasons: ['Loyal customer'],
      discountLimitAmount: null,
      discountLimitBp: null,
    },
    'setup',
  );
  await go(page, 'Settings'); // the station reads the shop's settings again
  await go(page, 'New order');
  await addProduct(page, 'assam', /Assam breakfast/);
  // A California ZIP code with the state New York: Stripe Tax can't place it.
  await shipTo(page, 'Grace Hopper', { line1: '1 Main St', city: 'Albany', state: 'NY', zip: '90001' });
  await expect(page.getByRole('group', { name: 'Shipping address' }).getByRole('alert')).toContainText(
    "can't place this address",
  );
  await expect(page.getByRole('button', { name: 'Not priced yet' })).toBeDisabled();
  await shot(page, 't1-05-address-stripe-tax-cannot-place-1280x720');
  await page.getByLabel('ZIP code').fill('12207');
  await page.getByLabel('ZIP code').blur();
  await expect(page.getByRole('group', { name: 'Shipping address' }).getByRole('alert')).toBeHidden();
  // $18.90 in Albany, NY: 4 % state tax = $0.76 (Stripe Tax, the emulator's table).
  await expect(page.getByLabel('Tax', { exact: true })).toHaveText('$0.76');
  const total = await page.getByLabel('Order total').textContent();
  await chooseCard(page, 'Visa — succeeds');
  await page.getByRole('button', { name: `Charge ${total}` }).click();
  await expect(page.getByText('Payment succeeded.')).toBeVisible();
});
