// Issue 13, item 9: the CSV export is for an accountant and a packer: order number, local date and time,
// customer, phone, address, items, amounts in the currency's decimals with the currency, status, tracking;
// one row per order or one per line.
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { firstRun, go } from './helpers';
import { ADDRESS, seedFullOrder, shots } from './staff-helpers';

test('exports orders, or their lines, as an accountant and a packer read them', async ({ page, mc }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await firstRun(page, mc);
  const paid = await seedFullOrder(mc, {
    customer: { name: 'Cora Csv', email: 'cora@example.com', phone: '+15550105555', shipping: ADDRESS },
    products: [{ name: /Sencha/, quantity: 2 }, { name: /Assam/ }],
  });
  await go(page, 'Orders');
  await expect(page.getByRole('row', { name: /Cora Csv/ })).toBeVisible({ timeout: 15_000 });
  await shots(page, 'n9-01-orders');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await (await download).path();
  const lines = readFileSync(file, 'utf8')
    .replace(/^\ufeff/, '')
    .trimEnd()
    .split('\r\n');
  expect(lines[0]).toBe(
    '"Order","Date","Time","Customer","Email","Phone","Address","Items","Currency","Total","Captured","Refunded","Payment","Status","Delivery","Carrier","Tracking","Subtotal","Discount","Discount by","Shipping","Shipping tax","Tax","Tax refunded","Tax exempt","Grand total"',
  );
  const today = new Date();
  const localDay = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  expect(lines[1]).toMatch(
    new RegExp(
      `^"${paid.orderNumber}","${localDay}","\\d{2}:\\d{2}","Cora Csv","cora@example.com","\\(555\\) 010-5555","12 Leaf Lane, Portland, OR 97201","2 × Sencha[^"]*; 1 × Assam[^"]*","USD","\\d+\\.\\d{2}","\\d+\\.\\d{2}","0\\.00","Paid","Received","Ship","","","\\d+\\.\\d{2}","0\\.00","","\\d+\\.\\d{2}","0\\.00","0\\.00","0\\.00","","\\d+\\.\\d{2}"$`,
    ),
  );

  await page.getByLabel('CSV rows').selectOption({ label: 'One row per item' });
  const perLine = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const rows = readFileSync(await (await perLine).path(), 'utf8')
    .replace(/^\ufeff/, '')
    .trimEnd()
    .split('\r\n');
  expect(rows).toHaveLength(3);
  expect(rows[0]).toContain('"SKU","Item","Quantity","Unit price","Line total","Currency"');
  expect(rows[1]).toMatch(/"Sencha[^"]*","2","\d+\.\d{2}","\d+\.\d{2}","USD"/);
});
