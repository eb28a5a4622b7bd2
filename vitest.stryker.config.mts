// The suite as Stryker runs it (`npm run test:mutation`): every test that runs lib/ in-process. Left out: the
// tests of what is built and packed (sizes, bundle contents, the packed tarball), which Stryker's instrumented
// sources would fail for reasons that are not mutants and which run lib/ only in child processes.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.mjs';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['test/integration/bundle.test.ts', 'test/integration/package.test.ts', 'test/unit/bundle-contents.test.ts', '**/node_modules/**'],
    },
  }),
);
