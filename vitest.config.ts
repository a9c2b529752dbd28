import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Two projects: plain Node for everything under electron/ (core, IPC, emulator, bridge), and jsdom for the
// React renderer under src/. End-to-end tests (test/e2e, Playwright) are not run by vitest.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/unit/electron/**/*.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 30_000,
          pool: 'forks',
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'jsdom',
          environment: 'jsdom',
          include: ['test/unit/src/**/*.test.{ts,tsx}'],
          setupFiles: ['test/helpers/jsdom-setup.ts'],
        },
      },
    ],
  },
});
