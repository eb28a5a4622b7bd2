// `npm run test:mutation` (scripts/mutation.mjs): mutation testing of the query core and the shared contract. Slow
// (about two hours on two cores for the whole), so not in CI; the score is in CONTRIBUTING.md, the survivors in
// test/mutation/survivors.txt. Incremental: a run tests only the mutants of code or tests changed since the
// baseline, which scripts/mutation.mjs unpacks into incrementalFile before the run and packs back after it.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.mts' },
  mutate: ['lib/query/**/*.ts', 'lib/shared/**/*.ts', '!lib/shared/fc-types.ts', '!**/*.d.ts'],
  coverageAnalysis: 'perTest',
  // A mutant of module-level code (the status table's rows, the schemas built at load) needs the whole suite
  // per mutant: 22% of the mutants for 45% of the time. Those rows are compared with the README and the
  // OpenAPI document by ordinary tests; the mutation run skips them.
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  ignorePatterns: ['dist', 'coverage', 'reports', 'bench/.build', 'packages/*/dist', '.dev'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
