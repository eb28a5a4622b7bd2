import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start loopback servers; keep every test bounded so a hang fails fast instead of stalling CI.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/privacy-setup.ts'],
    coverage: {
      provider: 'v8',
      include: ['lib/**/*.ts', 'functions/**/*.ts'],
      // Type-only modules have no statements to cover. The entry files run only inside their bundles, in child processes
      // and the dev stack, where v8 coverage does not reach; their logic is in lib/.
      exclude: ['lib/shared/fc-types.ts', 'lib/caller/alicloud-fc2.d.ts', 'functions/*/index.ts', 'lib/*/index.ts'],
      thresholds: { lines: 90, functions: 90, branches: 80, statements: 88 },
    },
  },
});
