// m3. Receipts: Stripe emails the receipt to the order's address; the order says so, sends it again (to another
// address if asked, and Stripe holds the new address), and prints a receipt — checked on paper.
import { expect, shot, test } from './fixtures';
import { firstRun, go } from './helpers';
import { countPrints, expectPrinted, placeOrder, printedText, prints } from './shop-helpers';

test('an order shows its receipt was emailed, sends it again, and prints it', async ({ page, mc }) => {
  await firstRun(page, mc);
  const paid = await placeOrder(mc, { items: [{ sku: 'GIFT-SAMPLER', quantity: 1 }], shippingFee: 500 });
  await placeOrder(mc, { items: [{ sku: 'INF-STEEL', quantity: 1 }], customer: { name: 'Nora Noemail' } });

  await go(page, 'Orders');
  const row = page.getByRole('row', { name: /Grace Hopper/ });
  await expect(row).toBeVisible({ timeout: 15_000 });
  await row.getByRole('button', { name: /Open order #A1001/ }).click();
  const detail = page.getByRole('complementary');
  const receipt = detail.getByRole('region', { name: 'Receipt' });
  await expect(receipt).toContainText('Stripe emails the receipt to grace@navy.example');
  await expect(receipt).toContainText('Visa •••• 4242');
  await expect(detail.getByText(/Shipping fee \$5\.00/)).toBeVisible();

  // Send it again, to the address the customer gives on the phone.
  await receipt.getByRole('button', { name: 'Resend receipt…' }).click();
  const send = page.getByRole('dialog', { name: 'Send the receipt for order #A1001' });
  await send.getByLabel('Email').fill('grace.h@navy');
  await expect(send.getByText(/Enter an email address/)).toBeVisible();
  await send.getByLabel('Email').fill('grace.h@navy.example');
  await shot(page, 'm3-01-resend');
  await send.getByRole('button', { name: 'Send receipt' }).click();
  await expect(send).toBeHidden();
  await expect(receipt).toContainText('Sent again to grace.h@navy.example by Maria Manager · Front desk');
  await expect(receipt).toContainText('Stripe emails the receipt to grace.h@navy.example');
  await shot(page, 'm3-02-resent', { docs: true });
  // Stripe holds the new address on the charge (which is what makes it send a new receipt).
  const stripe = async (path: string) =>
    (await (
      await fetch(`${mc.emulatorUrl}${path}`, { headers: { authorization: 'Bearer sk_test_e2e' } })
    ).json()) as Record<string, unknown>;
  const pi = await stripe(`/v1/payment_intents/${paid.paymentIntentId}`);
  const charge = await stripe(`/v1/charges/${String(pi.latest_charge)}`);
  expect(charge.receipt_email).toBe('grace.h@navy.example');

  // Print the receipt: the browser prints the page; on paper, the receipt alone.
  await receipt.page().getByRole('button', { name: 'Print receipt' }).click();
  const preview = page.getByRole('dialog', { name: 'Print preview: Receipt — order A1001' });
  await expect(preview.getByRole('article', { name: 'Receipt for order A1001' })).toBeVisible();
  await shot(page, 'm3-03-receipt-preview', { docs: true });
  await countPrints(page);
  await preview.getByRole('button', { name: 'Print', exact: true }).click();
  await expect.poll(() => prints(page)).toBe(1);
  const text = await printedText(page);
  expectPrinted(
    text,
    'Receipt — order A1001',
    'Grace Hopper',
    'Tea sampler gift box',
    'GIFT-SAMPLER',
    'Shipping',
    '$5.00',
    'Paid (Visa •••• 4242)',
    '$50.00',
  );
  // "Save as PDF" in a browser is the browser's print dialog too.
  await preview.getByRole('button', { name: 'Save as PDF' }).click();
  await expect.poll(() => prints(page)).toBe(2);
  await preview.getByRole('button', { name: 'Close' }).click();

  // An order without an email: no receipt was emailed; one can be sent to an address given now.
  await page
    .getByRole('row', { name: /Nora Noemail/ })
    .getByRole('button', { name: /Open order/ })
    .click();
  const none = page.getByRole('complementary').getByRole('region', { name: 'Receipt' });
  await expect(none).toContainText('No email on this order: no receipt was emailed.');
  await expect(none.getByRole('button', { name: 'Email a receipt…' })).toBeVisible();
});
