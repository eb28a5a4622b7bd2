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
      // Type-only modules have no statements to cover; the dev tools are exercised through the suite but are not the product.
      exclude: ['lib/shared/fc-types.ts', 'lib/caller/alicloud-fc2.d.ts'],
      thresholds: { lines: 85, functions: 85, branches: 75, statements: 85 },
    },
  },
});
