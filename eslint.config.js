import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'artifacts/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The request path: V8 11 (Node 20) gives an object literal that starts with a spread and then
    // adds keys a hidden class of its own per object once optimized, allocated in the old
    // generation (bench/hidden-class-churn.ts: +640 B allocated and +342 B promoted an object);
    // per request that was most of what the gateway promoted (docs/benchmarks.md, session 9).
    // Start with a plain property, spread last, or Object.assign.
    files: ['src/core/**/*.ts', 'src/engine/**/*.ts', 'src/http/**/*.ts', 'src/providers/**/*.ts', 'src/request/**/*.ts', 'src/wire/**/*.ts', 'src/obs/**/*.ts', 'src/logs/create-decision-logger.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ObjectExpression > SpreadElement:first-child ~ *',
          message: 'An object literal starting with a spread and adding keys gets a new hidden class per object (V8 11): put a plain property first, spread last, or use Object.assign.',
        },
      ],
    },
  },
  {
    // The routing core is pure: no I/O, no Node built-ins, no transports.
    files: ['src/core/**/*.ts'],
    // Tests of the core may read fixtures from disk; the product code may not.
    ignores: ['src/core/**/*.test.ts', 'src/core/**/__fixtures__/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'src/core is pure: no Node built-ins.' },
            { group: ['hono', 'undici', '**/providers/**', '**/engine/**', '**/http/**', '**/config/**', '**/obs/**', '**/app/**'], message: 'src/core may only import types, errors and catalog.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'src/core does no I/O.' }, { name: 'process', message: 'src/core reads no environment.' }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'src/core reads no clock; inject it.' }, { object: 'Math', property: 'random', message: 'src/core is deterministic.' }],
    },
  },
);
