import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const noElectron = {
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'electron', message: 'core and ipc run in plain Node: inject a port instead.' }],
      patterns: [
        { group: ['**/main/**', '**/preload/**'], message: 'core must not reach into the Electron glue.' },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', '.native/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  // The process boundary: core, ipc, the emulator and browser mode never import Electron.
  {
    files: ['electron/core/**', 'electron/ipc/**', 'electron/emulator/**', 'electron/browser/**'],
    rules: noElectron,
  },
  // The renderer: browser globals, hooks rules, and no Node or Electron at all.
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'the renderer reaches main only through src/lib/ipc.ts.' },
            { name: 'better-sqlite3', message: 'the renderer has no database; ask main.' },
            { name: 'stripe', message: 'the renderer never talks to Stripe directly (Elements aside).' },
            { name: 'zod', message: 'validation happens in main; the renderer imports contract types only.' },
          ],
          patterns: [
            { group: ['node:*'], message: 'no Node APIs in the renderer.' },
            {
              group: [
                '**/electron/core/**',
                '**/electron/main/**',
                '**/electron/browser/**',
                '**/electron/emulator/**',
              ],
              message: 'the renderer imports only types from electron/ipc.',
            },
            {
              // Shared with the core and free of zod (the bundle test checks): the contract's limits, phone
              // numbers, addresses and money, so a form checks what main will check, in the same words.
              group: [
                '**/electron/ipc/**',
                '!**/electron/ipc/limits',
                '!**/electron/ipc/phone',
                '!**/electron/ipc/address',
                '!**/electron/ipc/money',
                '!**/electron/ipc/shop-record-id',
              ],
              allowTypeImports: true,
              message: 'import only types from the IPC contract.',
            },
          ],
        },
      ],
    },
  },
);
