// The suite as Stryker runs it (`npm run test:mutation`): every test that runs lib/ in-process. Left out: the
// tests of what is built and packed (sizes, bundle contents, the packed tarball), which Stryker's instrumented
// sources would fail for reasons that are not mutants and which run lib/ only in child processes; and the
// 10,000-event fuzz test, which covers nearly every line and so would run for every mutant (its promise, a
// well-formed answer to any input, is asserted case by case by the hostile-input tests).
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.mjs';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        'test/integration/bundle.test.ts',
        'test/integration/package.test.ts',
        'test/unit/bundle-contents.test.ts',
        'test/integration/fuzz.test.ts',
        '**/node_modules/**',
      ],
    },
  }),
);
