// e. A declined card is explained in plain words and retried with another card on the same cart.
import { expect, shot, test } from './fixtures';
import { addProduct, chooseCard, fillCustomer, firstRun, pressPay } from './helpers';

test('a declined card is retried with another card and succeeds', async ({ page, mc }) => {
  await firstRun(page, mc);
  await addProduct(page, 'sampler', 'Tea sampler gift box');
  await fillCustomer(page, 'Dee Clined');
  await chooseCard(page, 'Declined — insufficient funds');
  await pressPay(page);
  const alert = page.getByRole('alert').filter({ hasText: 'Declined.' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('insufficient funds');
  await expect(page.getByRole('listitem').filter({ hasText: 'Declined' })).toHaveAttribute(
    'aria-current',
    'step',
  );
  await shot(page, 'e-01-declined', { docs: true });

  await chooseCard(page, 'Mastercard — succeeds');
  await page.getByRole('button', { name: 'Retry $45.00 with this card' }).click();
  await expect(page.getByText('Payment succeeded.')).toBeVisible();
  await expect(alert).toBeHidden();
  await shot(page, 'e-02-retried');
});
