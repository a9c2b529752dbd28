import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { realHost } from './scripts/lib/host';
import { desktopSmokePlan } from './scripts/lib/desktop-smoke';

// The desktop smoke test: the real Electron app (Playwright's _electron.launch) on the built-in emulator.
// `npm run test:desktop` (after `npm run build`). Where Electron's binary (or a display) is missing it is
// reported as skipped, with one line saying why; `npm test` and CI run test/e2e only (playwright.config.ts).
const plan = desktopSmokePlan(realHost(), dirname(fileURLToPath(import.meta.url)));
// Printed once, by the runner (the workers load this file too).
if (!plan.run && !process.env.TEST_WORKER_INDEX) console.log(plan.line);

export default defineConfig({
  testDir: 'test/e2e-desktop',
  outputDir: 'test-results/desktop',
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
});
