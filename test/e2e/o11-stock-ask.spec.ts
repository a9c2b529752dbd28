// o11. A shop's day on two stations (issue 23 item 13 and the smaller findings at the order desk): Enter adds the
// best match in stock, not the alphabetically first; more than is available asks (the units in stock, or all
// waiting) and never silently makes the order a hold; a pasted page in the search is cut with a note, not a raw
// "Invalid input"; "ZZ" is no US state; the Authorize button is on screen at 1280×720 without scrolling.
import { expect, shot, withTwoStations, test } from './fixtures';
import { firstRun, go, textSmallerThan } from './helpers';

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
]) {
  const size = `${viewport.width}x${viewport.height}`;

  test(`${size}: Enter takes what is in stock; more than is available asks; the hold is on screen`, async ({
    browser,
  }, testInfo) => {
    test.setTimeout(150_000);
    await withTwoStations(browser, testInfo, { front: { viewport }, pack: { viewport } }, async (s) => {
      const page = s.frontPage;
      await firstRun(page, s.front.console);
      await firstRun(s.packPage, s.pack.console);
      await go(page, 'New order');

      // "matcha": the whisk (none in stock) is first by name; Enter takes the matcha that is in stock.
      const search = page.getByRole('combobox', { name: 'Search products' });
      await search.fill('matcha');
      const options = page.getByRole('listbox', { name: 'Products' }).getByRole('option');
      await expect(options).toHaveCount(2);
      await expect(options.first()).toContainText('Ceremonial matcha, 30 g');
      await expect(options.first()).toHaveAttribute('aria-selected', 'true');
      await shot(page, `o11-01-best-in-stock-${size}`);
      await search.press('Enter');
      const qty = page.getByLabel('Quantity of Ceremonial matcha, 30 g');
      await expect(qty).toHaveValue('1');
      await expect(page.getByText('Waitlist order')).toHaveCount(0);

      // 7 asked, 5 available: nothing changes until staff choose.
      await qty.fill('7');
      await qty.press('Enter');
      const question = page.getByRole('group', { name: /Only 5 Ceremonial matcha, 30 g are in stock/ });
      await expect(question).toBeVisible();
      await expect(question).toContainText('7 asked, 2 missing');
      await expect(page.getByRole('button', { name: 'Choose how many first' })).toBeDisabled();
      await expect(page.getByLabel('Order total')).toHaveText('$32.00');
      await shot(page, `o11-02-asks-${size}`);
      // The units in stock only: 5, paid now — no hold.
      await question.getByRole('button', { name: 'The 5 in stock' }).click();
      await expect(qty).toHaveValue('5');
      await expect(page.getByLabel('Order total')).toHaveText('$160.00');
      await expect(page.getByText('Waitlist order')).toHaveCount(0);

      // Asked again, all waiting this time: the order is a waitlist order because staff said so.
      await qty.fill('7');
      await qty.press('Enter');
      await question.getByRole('button', { name: 'All 7 waiting' }).click();
      await expect(qty).toHaveValue('7');
      await expect(page.getByText('Waitlist order')).toBeVisible();

      // A pasted page in the search: cut to what the search takes, said so; no raw "Invalid input".
      await search.fill(`matcha ${'lorem ipsum '.repeat(80)}`);
      await expect(page.getByText(/Only the first 100 characters are searched/)).toBeVisible();
      await expect(page.getByText(/Invalid input/)).toHaveCount(0);
      await expect(page.getByText(/No product matches/)).toBeVisible();
      await search.fill('');

      // The customer: "ZZ" is no US state, said at the field; "oregon" is taken as OR.
      await page.getByRole('combobox', { name: 'Customer name' }).fill('Mia Matcha');
      await page.getByRole('combobox', { name: 'Phone' }).fill('(555) 010-1234');
      await page.getByLabel('Address line 1').fill('4 Leaf Lane');
      await page.getByLabel('City').fill('Portland');
      await page.getByLabel('ZIP code').fill('97201');
      const state = page.getByLabel('State');
      await state.fill('ZZ');
      await state.blur();
      await expect(
        page.getByText('“ZZ” is not a US state: use its two-letter code (e.g. OR).'),
      ).toBeVisible();
      await shot(page, `o11-03-state-${size}`);
      // No text below 12 px: the phone's "Saved as", the hints, the badges (issue 23).
      await expect(page.getByText(/Saved as/)).toBeVisible();
      expect(await textSmallerThan(page)).toEqual([]);
      await state.fill('oregon');
      await expect(page.getByText(/is not a US state/)).toHaveCount(0);

      // The hold's button is on screen without scrolling, at 1280×720 too.
      const authorize = page.getByRole('button', { name: 'Authorize $224.00 (hold)' });
      await expect(authorize).toBeEnabled();
      await expect(authorize).toBeInViewport({ ratio: 1 });
      await shot(page, `o11-04-authorize-on-screen-${size}`);
      await authorize.click();
      await expect(page.getByText(/authorized/i).first()).toBeVisible({ timeout: 20_000 });

      // The other station sees the hold: 7 committed to it, so nothing of the matcha is available to others.
      await go(s.packPage, 'Catalog');
      const row = s.packPage.getByRole('row', { name: /Ceremonial matcha/ });
      await expect(row).toContainText('7', { timeout: 15_000 });
      await shot(s.packPage, `o11-05-other-station-catalog-${size}`);
    });
  });
}
