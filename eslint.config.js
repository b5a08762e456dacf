// ESLint (flat config): the typed promise rules guard the many fire-and-forget calls of the loops and handlers.
'use strict';
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  // hb2Types.check.ts holds types only, checked against Homebridge 2's declarations by tsconfig.hb2.json (npm test).
  { ignores: ['dist/', 'node_modules/', '.cache/', 'coverage/', '.demo-storage/', 'test/matter/hb2Types.check.ts'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Prettier wraps code at 140; strings and comments it cannot wrap are held to the same limit here.
      'max-len': ['error', { code: 140, ignoreUrls: true }],
    },
  },
  {
    files: ['**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        URL: 'readonly',
        AbortController: 'readonly',
      },
    },
  },
  {
    // The settings page runs in the browser, inside homebridge-config-ui-x's iframe.
    files: ['homebridge-ui/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { window: 'readonly', document: 'readonly' } },
  },
);
