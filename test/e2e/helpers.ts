// Steps people take, written once: first run, sign in, add staff, take a phone order.
import type { Page } from '@playwright/test';
import { expect, type Console } from './fixtures';

export const MANAGER = { name: 'Maria Manager', pin: '1234' };
export const STAFF = { name: 'Sam Staff', pin: '5678' };

export async function firstRun(page: Page, mc: Console, who = MANAGER): Promise<void> {
  await page.goto(mc.url);
  const setup = page.getByRole('heading', { name: 'Create the manager account' });
  const signIn = page.getByRole('heading', { name: 'Sign in' });
  await expect(setup.or(signIn)).toBeVisible();
  // A second station of a shop whose manager already exists (the shop's staff come from Stripe): sign in.
  if (await signIn.isVisible()) {
    await page.getByLabel('PIN', { exact: true }).fill(who.pin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    return;
  }
  await page.getByLabel(/Manager.s name/).fill(who.name);
  await page.getByLabel('PIN', { exact: true }).fill(who.pin);
  await page.getByLabel('PIN again').fill(who.pin);
  await page.getByRole('button', { name: 'Create the manager account' }).click();
  // The shop's manager may reach this station from Stripe meanwhile: the console then asks to sign in.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.or(signIn)).toBeVisible();
  if (await signIn.isVisible()) {
    await page.getByLabel('PIN', { exact: true }).fill(who.pin);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await expect(nav).toBeVisible();
}

export async function signIn(page: Page, who: { name: string; pin: string }): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Name').fill(who.name);
  await page.getByLabel('PIN').fill(who.pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
}

export async function go(
  page: Page,
  screen:
    | 'New order'
    | 'Orders'
    | 'Holds'
    | 'Diagnostics'
    | 'Audit log'
    | 'Settings'
    | 'Today'
    | 'Customers'
    | 'Catalog',
): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: new RegExp(`^${screen}`) })
    .click();
}

/** The manager adds a staff account in Settings → Staff accounts. */
export async function addStaffInSettings(
  page: Page,
  who = STAFF,
  role: 'Staff' | 'Manager' = 'Staff',
): Promise<void> {
  await go(page, 'Settings');
  const form = page.getByRole('form', { name: 'Add a staff account' });
  await form.getByLabel('New account name').fill(who.name);
  await form.getByLabel('Role').selectOption({ label: role });
  await form.getByLabel('New account PIN').fill(who.pin);
  await form.getByRole('button', { name: 'Add account' }).click();
  // Account changes are confirmed with the manager's own PIN.
  const confirm = page.getByRole('dialog', { name: 'Confirm with your PIN' });
  await confirm.getByLabel('Your manager PIN').fill(MANAGER.pin);
  await confirm.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('cell', { name: who.name, exact: true })).toBeVisible();
}

export async function addProduct(page: Page, query: string, name: string | RegExp): Promise<void> {
  const search = page.getByRole('combobox', { name: 'Search products' });
  await search.fill(query);
  const option = page.getByRole('option', { name: name instanceof RegExp ? name : new RegExp(escape(name)) });
  await expect(option).toBeVisible();
  await option.click();
}

/**
 * The customer's name (and email). A shipped order needs a complete address before the card is charged, so
 * unless `ship` is asked for (then fill the address), the order is marked collected in person.
 */
export async function fillCustomer(
  page: Page,
  name: string,
  email?: string,
  opts: { ship?: boolean } = {},
): Promise<void> {
  await page.getByRole('combobox', { name: 'Customer name' }).fill(name);
  if (email) await page.getByRole('combobox', { name: 'Email' }).fill(email);
  if (!opts.ship) await page.getByRole('radio', { name: 'Collected in person' }).check();
}

export async function chooseCard(page: Page, label: string): Promise<void> {
  await page.getByLabel('Test card').selectOption({ label });
}

/** Press the pay button whatever its wording (Charge $X / Authorize $X (hold) / Retry $X with this card). */
export async function pressPay(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^(Charge|Authorize|Retry) / }).click();
}

export function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Product {
  id: string;
  name: string;
  stock: number;
}
interface CartLike {
  id: string;
  phase: string;
}

/** Make a paid (or held) order through the bridge, signed in as the manager on a helper client. */
export async function seedOrder(
  mc: Console,
  opts: { customer: string; productName: RegExp; card?: string; client?: string },
): Promise<CartLike> {
  const client = opts.client ?? 'seed';
  await mc.ipc('auth:login', { name: MANAGER.name, pin: MANAGER.pin }, client);
  const products = await mc.ipc<Product[]>('products:search', { query: '', limit: 50 }, client);
  const p = products.find((x) => opts.productName.test(x.name));
  if (!p) throw new Error(`no product ${opts.productName}`);
  const cart = await mc.ipc<CartLike>('carts:create', { currency: 'usd' }, client);
  await mc.ipc(
    'carts:update',
    { cartId: cart.id, customer: { name: opts.customer }, lines: [{ productId: p.id, quantity: 1 }] },
    client,
  );
  return mc.ipc<CartLike>(
    'payments:pay',
    { cartId: cart.id, paymentMethod: opts.card ?? 'pm_card_visa' },
    client,
  );
}

/** Text on screen smaller than `min` px (issue 23: hints and phones were 10–11 px): "size px: text" for each. */
export async function textSmallerThan(page: Page, min = 12): Promise<string[]> {
  return page.evaluate((min) => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent?.trim();
      const el = n.parentElement;
      if (!text || !el) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.bottom < 0 || r.top > window.innerHeight) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || el.closest('.sr-only')) continue;
      const size = parseFloat(style.fontSize);
      if (size < min) out.push(`${size}px: ${text.slice(0, 40)}`);
    }
    return out;
  }, min);
}
