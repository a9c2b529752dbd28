// o10. A shop's day on two stations (issue 23, the smaller findings at the manager's desks): Orders says ship or
// collect, and a collected order offers no label; a packing slip shows the phone as people write it; a line
// refund marks the line and asks whether the units go back in stock (the other station counts them); Stock
// arrived lists saved-card orders too; a toast never covers Capture; Customers lists everyone, to browse.
import type { Page } from '@playwright/test';
import { expect, shot, withTwoStations, test, type Console } from './fixtures';
import { firstRun, go, MANAGER, textSmallerThan } from './helpers';
import { countPrints, expectPrinted, expectNotPrinted, GRACE, placeOrder, printedText } from './shop-helpers';

/** A waitlist order on a saved card, through the bridge (the customer agreed to the words the console gives). */
async function savedCardOrder(mc: Console, name: string, sku: string): Promise<void> {
  const client = 'seed-saved';
  await mc.ipc('auth:login', { name: MANAGER.name, pin: MANAGER.pin }, client);
  const cart = await mc.ipc<{ id: string }>('carts:create', { currency: 'usd' }, client);
  const [p] = await mc.ipc<{ id: string; sku: string }[]>(
    'products:search',
    { query: sku, limit: 1 },
    client,
  );
  await mc.ipc(
    'carts:update',
    { cartId: cart.id, customer: { name }, delivery: 'collect', lines: [{ productId: p!.id, quantity: 1 }] },
    client,
  );
  const options = await mc.ipc<{ terms: { saveCard: string } }>(
    'waitlist:options',
    { cartId: cart.id },
    client,
  );
  const paid = await mc.ipc<{ phase: string }>(
    'payments:pay',
    {
      cartId: cart.id,
      paymentMethod: 'pm_card_visa',
      waitlist: 'save_card',
      consentText: options.terms.saveCard,
    },
    client,
  );
  expect(paid.phase).toBe('card_saved');
}

/**
 * Buttons whose name starts with one of these, shown on screen (not scrolled out of their list), that something
 * else (a toast) lies over at their centre: what a click there would not reach.
 */
async function coveredButtons(page: Page, prefixes: string[]): Promise<string[]> {
  return page.evaluate((prefixes) => {
    const out: string[] = [];
    for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('button'))) {
      const label = b.getAttribute('aria-label') ?? b.textContent ?? '';
      if (!prefixes.some((p) => label.startsWith(p))) continue;
      const r = b.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      if (r.width === 0 || y < 0 || y > window.innerHeight) continue;
      // Scrolled out of a list of its own: not on screen.
      let clipped = false;
      for (let el = b.parentElement; el; el = el.parentElement) {
        if (!/(auto|scroll|hidden)/.test(getComputedStyle(el).overflowY)) continue;
        const c = el.getBoundingClientRect();
        if (y < c.top || y > c.bottom) clipped = true;
      }
      if (clipped) continue;
      const hit = document.elementFromPoint(x, y);
      if (!hit || !b.contains(hit)) out.push(label);
    }
    return out;
  }, prefixes);
}

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
]) {
  const size = `${viewport.width}x${viewport.height}`;

  test(`${size}: ship or collect, slips, line refunds and restock, saved cards in Stock arrived, toasts, customers`, async ({
    browser,
  }, testInfo) => {
    test.setTimeout(180_000);
    await withTwoStations(browser, testInfo, { front: { viewport }, pack: { viewport } }, async (s) => {
      const front = s.frontPage;
      const pack = s.packPage;
      await firstRun(front, s.front.console);
      await firstRun(pack, s.pack.console);
      const mc = s.front.console;
      await placeOrder(mc, { items: [{ sku: 'TEA-EARL-100', quantity: 1 }], customer: GRACE });
      await placeOrder(mc, {
        items: [{ sku: 'CUP-PORC-2', quantity: 2 }],
        customer: { name: 'Colin Collect', phone: '+1 555 010 9999' },
      });
      const w1 = await placeOrder(mc, {
        items: [{ sku: 'KET-GOOSE-1', quantity: 1 }],
        customer: { name: 'Wanda Waitlist' },
      });
      const w2 = await placeOrder(mc, {
        items: [{ sku: 'KET-GOOSE-1', quantity: 1 }],
        customer: { name: 'Walter Later' },
      });
      expect([w1.phase, w2.phase]).toEqual(['on_hold', 'on_hold']);
      // More holds, so the list reaches the foot of the window, where toasts appear.
      for (const n of ['Ann', 'Ben', 'Cy', 'Di', 'Ed', 'Flo', 'Gus'])
        await placeOrder(mc, {
          items: [{ sku: 'WHISK-BAMBOO', quantity: 1 }],
          customer: { name: `${n} Waiting` },
        });
      await savedCardOrder(mc, 'Sam Saved', 'POT-CAST-08');

      // Orders at the packing desk: a Delivery column; a collected order offers no label, a shipped one does.
      await go(pack, 'Orders');
      const grace = pack.getByRole('row', { name: /Grace Hopper/ });
      const colin = pack.getByRole('row', { name: /Colin Collect/ });
      await expect(grace).toBeVisible({ timeout: 15_000 });
      await expect(pack.getByRole('columnheader', { name: 'Delivery' })).toBeVisible();
      await expect(grace.getByRole('cell', { name: 'Ship', exact: true })).toBeVisible();
      await expect(colin.getByRole('cell', { name: 'Collect', exact: true })).toBeVisible();
      await shot(pack, `o10-01-orders-delivery-${size}`);
      expect(await textSmallerThan(pack)).toEqual([]); // the phones and "held" under the amounts too
      await grace.getByRole('button', { name: /Open order/ }).click();
      const pane = pack.getByRole('complementary');
      await expect(pane.getByRole('button', { name: 'Label' })).toBeVisible();
      // The packing slip: the phone as people write it.
      await pane.getByRole('button', { name: 'Packing slip' }).click();
      const preview = pack.getByRole('dialog', { name: /Print preview: Packing slip/ });
      await expect(preview.getByText('Tel. (207) 555-0101')).toBeVisible();
      await countPrints(pack);
      const slip = await printedText(pack);
      expectPrinted(slip, '(207) 555-0101');
      expectNotPrinted(slip, '+12075550101');
      await shot(pack, `o10-02-slip-phone-${size}`);
      await preview.getByRole('button', { name: 'Close' }).click();
      await colin.getByRole('button', { name: /Open order/ }).click();
      await expect(pane.getByRole('button', { name: 'Packing slip' })).toBeVisible();
      await expect(pane.getByRole('button', { name: 'Label' })).toHaveCount(0);

      // A line refund: one cup back, into stock — asked, never assumed.
      await pane.getByRole('button', { name: /^Refund/ }).click();
      const refund = pack.getByRole('dialog', { name: /Refund order/ });
      await refund.getByRole('button', { name: '1 × Porcelain cups, set of 2 ($28.00)' }).click();
      await refund.getByLabel('Manager PIN').fill(MANAGER.pin);
      const send = refund.getByRole('button', { name: 'Refund', exact: true });
      await expect(send).toBeDisabled();
      await refund.getByRole('radio', { name: /Yes, back in stock/ }).check();
      await shot(pack, `o10-03-line-refund-asks-${size}`);
      await send.click();
      await expect(refund).toBeHidden();
      await expect(pane.getByLabel('Refunded units of Porcelain cups, set of 2')).toContainText(
        '1 refunded back in stock',
      );
      await shot(pack, `o10-04-line-marked-${size}`);

      // The front desk counts the cup back on the shelf: 8 − 2 + 1.
      await go(front, 'Catalog');
      const cups = front
        .getByRole('table', { name: 'Products' })
        .getByRole('row', { name: /Porcelain cups/ });
      await expect(cups.getByRole('cell').nth(2)).toHaveText('7', { timeout: 15_000 });

      // Stock arrived for the teapot: the saved-card order waiting for it is listed, and charged from there.
      const pots = front
        .getByRole('table', { name: 'Products' })
        .getByRole('row', { name: /Cast-iron teapot/ });
      await pots.getByRole('button', { name: 'Stock arrived: Cast-iron teapot, 0.8 l' }).click();
      const arrived = front.getByRole('dialog', { name: 'Stock arrived: Cast-iron teapot, 0.8 l' });
      await arrived.getByLabel('Units received').fill('1');
      await arrived.getByRole('button', { name: 'Record delivery' }).click();
      const covered = front.getByRole('region', { name: 'Waitlist orders the stock now covers' });
      const sam = covered.getByRole('row', { name: /Sam Saved/ });
      await expect(sam).toContainText('Card saved');
      // The list is brought into view with the delivery's toast: the toast lies over none of its buttons.
      await expect(
        front
          .getByRole('status')
          .filter({ hasText: /received|delivery/i })
          .first(),
      ).toBeVisible();
      expect(await coveredButtons(front, ['Capture', 'Charge'])).toEqual([]);
      await shot(front, `o10-05-stock-arrived-saved-card-${size}`);
      await sam.getByRole('button', { name: 'Charge the saved card (Sam Saved)' }).click();
      const charge = front.getByRole('dialog', { name: /Charge order/ });
      await charge.getByLabel('Manager PIN').fill(MANAGER.pin);
      await charge.getByRole('button', { name: 'Charge $64.00' }).click();
      await expect(front.getByText(/Charged Sam Saved’s saved card/)).toBeVisible();
      await expect(sam).toBeHidden();

      // Three whisks for the seven waiting: the list comes into view with the delivery's toast, which lies over
      // none of its Capture buttons.
      const whisks = front
        .getByRole('table', { name: 'Products' })
        .getByRole('row', { name: /Bamboo matcha whisk/ });
      await whisks.getByRole('button', { name: 'Stock arrived: Bamboo matcha whisk' }).click();
      const more = front.getByRole('dialog', { name: 'Stock arrived: Bamboo matcha whisk' });
      await more.getByLabel('Units received').fill('3');
      await more.getByRole('button', { name: 'Record delivery' }).click();
      await expect(covered.getByRole('row', { name: /Cy Waiting/ })).toBeVisible();
      await expect(front.getByText(/Received 3 × Bamboo matcha whisk/)).toBeVisible();
      await expect(covered.getByRole('heading')).toBeInViewport();
      expect(await coveredButtons(front, ['Capture', 'Charge'])).toEqual([]);
      await shot(front, `o10-06-toast-clear-of-capture-${size}`);

      // Holds at the packing desk: capturing one shows a toast that leaves the next Capture uncovered.
      await go(pack, 'Holds');
      await pack.getByRole('button', { name: 'Capture hold for Wanda Waitlist' }).click();
      const cap = pack.getByRole('dialog', { name: 'Capture hold for Wanda Waitlist' });
      await cap.getByLabel('Manager PIN').fill(MANAGER.pin);
      await cap.getByRole('button', { name: /^Capture \$/ }).click();
      await expect(cap).toBeHidden();
      await expect(
        pack
          .getByRole('status')
          .filter({ hasText: /Captured/ })
          .first(),
      ).toBeVisible();
      // Every Capture on screen can be pressed: the toasts lie over none of them.
      await expect(pack.getByRole('button', { name: 'Capture hold for Gus Waiting' })).toBeVisible();
      expect(await coveredButtons(pack, ['Capture hold for', 'Charge'])).toEqual([]);
      await shot(pack, `o10-07-holds-toast-${size}`);
      expect(await textSmallerThan(pack)).toEqual([]);

      // Customers: everyone, by name, to browse.
      await go(front, 'Customers');
      const all = front.getByRole('list', { name: 'All customers' });
      for (const name of ['Colin Collect', 'Grace Hopper', 'Sam Saved', 'Walter Later', 'Wanda Waitlist'])
        await expect(all.getByRole('button', { name: new RegExp(name) })).toBeVisible();
      await all.getByRole('button', { name: /Grace Hopper/ }).click();
      await expect(front.getByRole('heading', { name: 'Grace Hopper' })).toBeVisible();
      await shot(front, `o10-08-customers-${size}`);
    });
  });
}
