import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.dev/**', 'bench/.build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The function's configuration is parsed once, in lib/config.ts; everything else receives it.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through lib/config.ts.' }],
      // console.log lines get FC's text prefix, which breaks SLS JSON indexing; use lib/logger.ts.
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.cjs', 'bench/seed-style/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', exports: 'writable' } },
  },
  {
    files: ['lib/config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Command-line tools talk to a person on a terminal and hand their environment to the child processes
    // they start; none of them is part of the deployed function.
    files: ['scripts/**', 'bench/**'],
    rules: { 'no-console': 'off', 'no-restricted-properties': 'off' },
  },
);
