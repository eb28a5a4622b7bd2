// The caller library as an installable package: ESM and CommonJS builds of lib/caller/index.ts with their type
// declarations, into pkg/ (what `npm pack` ships, with README.md and LICENSE). Its dependencies (zod, fc2)
// stay dependencies; pop-core is not one (only the query function's bundle holds it).
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'lib/caller/index.ts' },
  format: ['esm', 'cjs'],
  outDir: 'pkg',
  target: 'node20',
  platform: 'node',
  dts: true,
  clean: true,
  sourcemap: false,
  splitting: false,
  outExtension: ({ format }) => ({ js: format === 'esm' ? '.mjs' : '.cjs' }),
});
