// Steps the shop-manager journeys share: orders made through the bridge (with a full customer and, if wanted,
// a shipping fee or a waitlist item), printing checked through Chromium's own PDF of the page, and window.print
// counted instead of opening a dialog.
import type { Page } from '@playwright/test';
import { expect, type Console } from './fixtures';
import { MANAGER } from './helpers';
import { compact, pdfText } from './pdf-text';

export const GRACE = {
  name: 'Grace Hopper',
  email: 'grace@navy.example',
  phone: '+1 207 555 0101',
  shipping: { line1: '12 Harbour Street', city: 'Portland', postalCode: '04101', state: 'ME', country: 'US' },
};

interface CartLike {
  id: string;
  phase: string;
  orderNumber: string | null;
  orderId: string | null;
  paymentIntentId: string | null;
}

/** An order through the bridge as a manager on a helper client: items by SKU, any customer, fee, card. */
export async function placeOrder(
  mc: Console,
  opts: {
    items: { sku: string; quantity: number }[];
    customer?: { name: string; email?: string; phone?: string; shipping?: typeof GRACE.shipping };
    shippingFee?: number;
    card?: string;
    client?: string;
  },
): Promise<CartLike> {
  const client = opts.client ?? 'seed';
  await mc.ipc('auth:login', { name: MANAGER.name, pin: MANAGER.pin }, client);
  const cart = await mc.ipc<CartLike>('carts:create', { currency: 'usd' }, client);
  const lines = [];
  for (const i of opts.items) {
    const found = await mc.ipc<{ id: string; sku: string }[]>(
      'products:search',
      { query: i.sku, limit: 5 },
      client,
    );
    const p = found.find((x) => x.sku === i.sku);
    if (!p) throw new Error(`no product ${i.sku}`);
    lines.push({ productId: p.id, quantity: i.quantity });
  }
  await mc.ipc(
    'carts:update',
    {
      cartId: cart.id,
      customer: opts.customer ?? GRACE,
      lines,
      ...(opts.customer?.shipping || !opts.customer ? { delivery: 'ship' } : { delivery: 'collect' }),
      ...(opts.shippingFee ? { shippingFee: opts.shippingFee } : {}),
    },
    client,
  );
  return mc.ipc<CartLike>(
    'payments:pay',
    { cartId: cart.id, paymentMethod: opts.card ?? 'pm_card_visa' },
    client,
  );
}

/** The shop manager's screens in the main navigation. */
export async function goTo(page: Page, screen: 'Today' | 'Customers' | 'Catalog'): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: new RegExp(`^${screen}`) })
    .click();
}

/** Today → Shop details…: the shop's time zone (kept in Stripe: every station's). */
export async function setShopZone(page: Page, zone: string): Promise<void> {
  await goTo(page, 'Today');
  await page.getByRole('button', { name: 'Shop details…' }).click();
  const details = page.getByRole('dialog', { name: 'Shop details' });
  await details.getByLabel('Time zone').selectOption(zone);
  await details.getByRole('button', { name: 'Save' }).click();
  await expect(details).toBeHidden();
}

/** window.print is counted, not opened (a headless browser has no print dialog to close). */
export async function countPrints(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { print: () => void; __prints: number };
    w.__prints = 0;
    w.print = () => {
      w.__prints++;
    };
  });
}

export async function prints(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __prints: number }).__prints);
}

/** What printing the page now puts on paper (Chromium's PDF, print styles applied), as text. */
export async function printedText(page: Page): Promise<string> {
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  return pdfText(pdf);
}

/**
 * The printed text contains each of these — white space and case ignored, as PDFs space text as they like and
 * headings are printed in capitals by the stylesheet.
 */
export function expectPrinted(text: string, ...parts: string[]): void {
  const flat = compact(text).toLowerCase();
  for (const p of parts)
    expect(flat, `printed text should contain “${p}”:\n${text}`).toContain(compact(p).toLowerCase());
}

export function expectNotPrinted(text: string, ...parts: string[]): void {
  const flat = compact(text).toLowerCase();
  for (const p of parts)
    expect(flat, `printed text should not contain “${p}”`).not.toContain(compact(p).toLowerCase());
}
