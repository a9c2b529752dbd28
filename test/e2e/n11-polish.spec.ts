// Issue 13, item 11: the small things that got in the way all day.
import { expect, test } from './fixtures';
import {
  addProduct,
  chooseCard,
  fillCustomer,
  firstRun,
  go,
  MANAGER,
  pressPay,
  signIn,
  signOut,
  STAFF,
} from './helpers';
import { ADDRESS, seedFullOrder, shots } from './staff-helpers';

test('the card resets, Enter starts the next order, 3D Secure shows skipped, PINs and refunds behave', async ({
  page,
  mc,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await firstRun(page, mc);

  // A test card picked for one order is not kept for the next; 3D Secure reads "not needed" when skipped.
  await addProduct(page, 'earl', 'Earl Grey loose leaf, 100 g');
  await fillCustomer(page, 'Polly Polish');
  await chooseCard(page, 'Mastercard — succeeds');
  await pressPay(page);
  await expect(page.getByText('Payment succeeded.')).toBeVisible();
  const steps = page.getByRole('list', { name: 'Payment progress' });
  await expect(steps.getByText('(not needed)')).toBeAttached();
  // Enter in the product search on a finished order starts the next order with that product.
  const search = page.getByRole('combobox', { name: 'Search products' });
  await search.click();
  await search.fill('sencha');
  await expect(page.getByText('Enter starts the next order with it')).toBeVisible();
  await expect(page.getByRole('option', { name: /Sencha/ })).toBeVisible();
  await search.press('Enter');
  await expect(page.getByLabel(/^Quantity of Sencha/)).toHaveValue('1');
  await expect(page.getByLabel('Test card')).toHaveValue('pm_card_visa');
  await shots(page, 'n11-01-next-order');

  // A wrong manager PIN keeps the confirm dialog open and says so; nothing stale is left behind it.
  await go(page, 'Settings');
  const form = page.getByRole('form', { name: 'Add a staff account' });
  await form.getByLabel('New account name').fill(STAFF.name);
  await form.getByLabel('New account PIN').fill('12');
  await form.getByRole('button', { name: 'Add account' }).click();
  await expect(form.getByText('The PIN is 4 to 8 digits.')).toBeVisible();
  await form.getByLabel('New account PIN').fill(STAFF.pin);
  await expect(form.getByText('The PIN is 4 to 8 digits.')).toHaveCount(0);
  await form.getByRole('button', { name: 'Add account' }).click();
  const confirm = page.getByRole('dialog', { name: 'Confirm with your PIN' });
  await confirm.getByLabel('Your manager PIN').fill('9999');
  await confirm.getByRole('button', { name: 'Confirm' }).click();
  await expect(confirm.getByText('That PIN is not right.')).toBeVisible();
  await expect(confirm).toBeVisible();
  await shots(page, 'n11-02-wrong-pin');
  await confirm.getByLabel('Your manager PIN').fill(MANAGER.pin);
  await confirm.getByRole('button', { name: 'Confirm' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('cell', { name: STAFF.name, exact: true })).toBeVisible();

  // Staff change their own PIN.
  await signOut(page);
  await signIn(page, STAFF);
  await page.getByRole('button', { name: 'Change my PIN' }).click();
  const change = page.getByRole('dialog', { name: 'Change my PIN' });
  await change.getByLabel('Current PIN').fill(STAFF.pin);
  await change.getByLabel('New PIN', { exact: true }).fill('4321');
  await change.getByLabel('New PIN again').fill('4321');
  await change.getByRole('button', { name: 'Change PIN' }).click();
  await expect(change).toBeHidden();
  await signOut(page);
  await signIn(page, { name: STAFF.name, pin: '4321' });
  await signOut(page);
  await signIn(page, MANAGER);

  // A refund starts from nothing, with quick choices.
  await go(page, 'Orders');
  await page
    .getByRole('row', { name: /Polly Polish/ })
    .getByRole('button', { name: /Open order/ })
    .click();
  await page.getByRole('complementary').getByRole('button', { name: 'Refund…' }).click();
  const refund = page.getByRole('dialog', { name: /Refund order/ });
  await expect(refund.getByLabel(/Amount/)).toHaveValue('');
  await expect(refund.getByRole('button', { name: 'Refund', exact: true })).toBeDisabled();
  await refund.getByRole('button', { name: /^Everything refundable/ }).click();
  await expect(refund.getByLabel(/Amount/)).toHaveValue('12.50');
  await shots(page, 'n11-03-refund-choices');
  await page.keyboard.press('Escape');

  // "Expiring soon" shows in the menu.
  await seedFullOrder(mc, {
    customer: { name: 'Ed Expiring', shipping: ADDRESS },
    products: [{ name: /whisk/ }],
  });
  await go(page, 'Settings');
  // Six days on (of the seven a card authorization lasts): within 48 hours of lapsing.
  for (let i = 0; i < 3; i++) {
    await page.getByLabel('Advance by').selectOption({ label: '2 days' });
    await page.getByRole('button', { name: 'Advance the clock' }).click();
    await expect(page.getByText(/Training clock moved forward/).first()).toBeVisible();
  }
  const holds = page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Holds/ });
  await expect(holds).toContainText('1 expiring soon', { timeout: 15_000 });
  await shots(page, 'n11-04-expiring-badge');
});
