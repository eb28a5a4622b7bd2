import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Where each room may not reach: the layout in CONTRIBUTING.md, enforced. */
const rooms = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});
const CALLER = { group: ['**/caller', '**/caller/**', '@alicloud/fc2'], message: 'The query function never ships caller code.' };
const DEV = { group: ['**/dev', '**/dev/**'], message: 'Dev tools (sandbox, local gateways, generators) never ship in a bundle.' };
const FC = { group: ['**/fc', '**/fc/**'], message: 'The FC adapter wraps the core; the core never reaches back into it.' };
const CLI = {
  group: ['**/cli', '**/cli/**', '@alicloud/credentials', 'csv-parse', 'csv-stringify', 'cli-progress'],
  message: 'The command line is a room of its own over the caller library.',
};
const QUERY = { group: ['**/query', '**/query/**', '@alicloud/pop-core', '@alicloud/pop-core/**'], message: 'This room does not use the query core.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.dev/**', 'bench/.build/**', 'packages/*/dist/**', 'reports/**', '.stryker-tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs', 'scripts/*.mjs', 'lib/*/stubs/*.cjs', 'bench/seed-style/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Type-aware rules chosen for what they catch here: a promise nobody awaits (a lost answer or an unhandled
      // rejection that kills the instance), promises where callbacks expect plain values, needless casts.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      // Each side parses its own variables once, in its config module; everything else receives them.
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through a config module (lib/query/config.ts, functions/binding-status-check/config.ts, lib/dev/env.ts).',
        },
      ],
      // console.log lines get FC's text prefix, which breaks SLS JSON indexing; use lib/shared/logger.ts.
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.cjs', '**/*.mjs', 'bench/seed-style/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs', 'bench/seed-style/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', exports: 'writable' } },
  },
  {
    files: ['lib/query/config.ts', 'functions/binding-status-check/config.ts', 'lib/dev/env.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  rooms(['lib/shared/**'], [CALLER, DEV, QUERY, FC, CLI]),
  // The core answers questions; the FC adapter around it (lib/fc) decodes events and encodes answers.
  rooms(['lib/query/**'], [CALLER, DEV, FC, CLI]),
  rooms(['lib/fc/**', 'functions/query-subscription-detail/**'], [CALLER, DEV, CLI]),
  // Small functions: each says one thing (the adapter, the core's steps, the caller's calls) and fits a screen.
  { files: ['lib/**/*.ts'], rules: { 'max-lines-per-function': ['error', { max: 60 }] } },
  // fc2 is an optional peer dependency, loaded only for FC 2.0 targets (lib/caller/fc2.ts): never imported.
  rooms(['lib/caller/**'], [DEV, QUERY, FC, CLI, { group: ['@alicloud/fc2'], message: 'fc2 is loaded on demand by lib/caller/fc2.ts, never imported.' }]),
  // The example caller uses the library as another team would, through its entry; its own settings, logger and
  // failure envelopes come from lib/shared, as another team's would come from its own code.
  rooms(
    ['functions/binding-status-check/**'],
    [DEV, QUERY, FC, { group: ['**/caller/*'], message: 'Import the caller library through lib/caller (its index) only.' }],
  ),
  // The operator's command line stands on the caller library's entry, as another team's code would: never on
  // the query function's internals, the shared modules behind the caller, or the dev tools.
  rooms(
    ['lib/cli/**'],
    [
      DEV,
      QUERY,
      FC,
      { group: ['**/shared', '**/shared/**'], message: 'The command line uses what the caller library exports (lib/caller), nothing behind it.' },
      { group: ['**/caller/*'], message: 'Import the caller library through lib/caller (its index) only.' },
      { group: ['@alicloud/fc2'], message: 'fc2 is the caller library’s optional peer; the command line reaches FC 3.0.' },
    ],
  ),
  {
    // Command-line tools talk to a person on a terminal and hand their environment to the child processes
    // they start; none of them is part of a deployed function.
    files: ['scripts/**', 'bench/**'],
    rules: { 'no-console': 'off', 'no-restricted-properties': 'off' },
  },
);
