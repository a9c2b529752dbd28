// The desktop app itself, end to end: Electron opens the console's window, a phone order is taken on the
// built-in Stripe emulator, the 3D Secure link is copied (through main's clipboard, and recorded as sent),
// the menu is the console's own, the log file is written, and the app quits cleanly.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';
import { realHost } from '../../scripts/lib/host';
import { desktopSmokePlan } from '../../scripts/lib/desktop-smoke';
import { electronVersion } from '../../scripts/lib/electron-binary';
import { ensureElectronSqlite } from '../../scripts/lib/native-sqlite';
import { addProduct, chooseCard, fillCustomer, pressPay } from '../e2e/helpers';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const host = realHost();
const plan = desktopSmokePlan(host, root);

test('the desktop app opens, takes a phone order on the emulator, copies the 3D Secure link and quits', async () => {
  test.skip(!plan.run, plan.run ? '' : plan.line);
  if (!plan.run) return;
  const version = electronVersion(host, root)!;
  const sqlite = await ensureElectronSqlite(host, {
    root,
    target: { electronVersion: version, platform: host.platform, arch: host.arch },
    electronBin: plan.bin,
  });
  if (!sqlite.ok) throw new Error(`${sqlite.reason}\n${sqlite.guidance.join('\n')}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'mc-desktop-'));
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const app = await electron.launch({
    executablePath: plan.bin,
    args: [root, ...(asRoot ? ['--no-sandbox'] : [])],
    cwd: root,
    env: {
      ...(process.env as Record<string, string>),
      MERCHANT_CONSOLE_DATA_DIR: dataDir,
      MERCHANT_CONSOLE_SQLITE_BINDING: sqlite.binding,
    },
  });
  const page = await app.firstWindow();

  // The console's own menu, no developer tools outside development.
  const menu = await app.evaluate(({ Menu }) =>
    (Menu.getApplicationMenu()?.items ?? []).flatMap((i) => [
      i.label,
      ...(i.submenu?.items ?? []).map((s) => `${i.label}/${s.label}|${s.role ?? ''}`),
    ]),
  );
  expect(menu.join('\n')).toMatch(/Save Diagnostics…/);
  expect(menu.join('\n')).toMatch(/Check for Updates…/);
  expect(menu.join('\n')).not.toMatch(/toggledevtools/i);

  await expect(page.getByRole('heading', { name: 'Create the manager account' })).toBeVisible();
  await page.getByLabel(/Manager.s name/).fill('Mia Manager');
  await page.getByLabel('PIN', { exact: true }).fill('2468');
  await page.getByLabel('PIN again').fill('2468');
  await page.getByRole('button', { name: 'Create the manager account' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

  await addProduct(page, 'cups', 'Porcelain cups, set of 2');
  await fillCustomer(page, 'Dana Desktop', 'dana@example.com');
  await chooseCard(page, '3D Secure required');
  await pressPay(page);
  const link = page.getByLabel('Secure link for the customer');
  await expect(link).toHaveValue(/\/_emulator\/3ds\/pi_/);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByText(/Link copied at .*Waiting for the customer/)).toBeVisible();
  const clipboard = await app.evaluate(({ clipboard }) => clipboard.readText());
  expect(clipboard).toContain(await link.inputValue());
  await page.screenshot({ path: 'test-results/desktop/desktop-3ds-copied.png' });

  await app.close();
  const log = readFileSync(join(dataDir, 'logs', 'main.log'), 'utf8');
  expect(log).toMatch(/Merchant Console .* starting/);
  expect(log).toContain('closed');
});
