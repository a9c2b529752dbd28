// Helpers for the journeys of issue 13 (the console staff run all day): screenshots at the smallest supported
// window and a common desktop one, an axe-core check, and a few steps those journeys share.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, shot, type Console } from './fixtures';
import { MANAGER } from './helpers';

export const SMALL = { width: 1280, height: 720 };
export const LARGE = { width: 1440, height: 900 };

/** The same screen at 1280×720 (the smallest supported window) and 1440×900; the page is left at 1280×720. */
export async function shots(page: Page, name: string): Promise<void> {
  await page.setViewportSize(LARGE);
  await page.waitForTimeout(150);
  await shot(page, `${name}-1440`);
  await page.setViewportSize(SMALL);
  await page.waitForTimeout(150);
  await shot(page, `${name}-1280`);
}

/** No serious or critical accessibility violation on what is on screen now. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')}`,
    );
  expect(bad, `axe on ${what}`).toEqual([]);
}

interface Product {
  id: string;
  name: string;
  sku: string;
}

/** A paid or held order made through the bridge (as another station would), with a full customer. */
export async function seedFullOrder(
  mc: Console,
  opts: {
    customer: { name: string; email?: string; phone?: string; shipping?: Record<string, string> };
    products: { name: RegExp; quantity?: number }[];
    card?: string;
    delivery?: 'ship' | 'collect';
    client?: string;
  },
): Promise<{ id: string; phase: string; orderNumber: string | null; paymentIntentId: string | null }> {
  const client = opts.client ?? 'seed';
  await mc.ipc('auth:login', { name: MANAGER.name, pin: MANAGER.pin }, client);
  const all = await mc.ipc<Product[]>('products:search', { query: '', limit: 100 }, client);
  const lines = opts.products.map((p) => {
    const found = all.find((x) => p.name.test(x.name));
    if (!found) throw new Error(`no product ${p.name}`);
    return { productId: found.id, quantity: p.quantity ?? 1 };
  });
  const cart = await mc.ipc<{ id: string }>('carts:create', { currency: 'usd' }, client);
  await mc.ipc(
    'carts:update',
    { cartId: cart.id, customer: opts.customer, lines, delivery: opts.delivery ?? 'ship' },
    client,
  );
  return mc.ipc('payments:pay', { cartId: cart.id, paymentMethod: opts.card ?? 'pm_card_visa' }, client);
}

export const ADDRESS = {
  line1: '12 Leaf Lane',
  city: 'Portland',
  state: 'OR',
  postalCode: '97201',
  country: 'US',
};
