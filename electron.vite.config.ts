import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// One build makes everything that runs:
//   out/main/index.js    — the Electron main process (needs the Electron binary)
//   out/main/browser.js  — browser mode: the same core in plain Node behind a loopback bridge
//   out/preload/index.cjs — the sandboxed preload (CommonJS, as sandboxed preloads must be)
//   out/renderer/        — the React renderer, served by Electron or by browser mode
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          browser: resolve(__dirname, 'electron/browser/cli.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src'),
    plugins: [react()],
    build: {
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/index.html') } },
    },
  },
});
