// The caller library as an installable package: ESM and CommonJS builds of lib/caller/index.ts with their type
// declarations, into packages/caller/dist (what `npm pack` ships there, with the package's README and the
// LICENSE). zod stays a dependency; fc2 is never referenced by a literal specifier (lib/caller/fc2.ts), so
// nothing of it is bundled or needed.
import { copyFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'lib/caller/index.ts' },
  format: ['esm', 'cjs'],
  outDir: 'packages/caller/dist',
  target: 'node20',
  platform: 'node',
  dts: true,
  clean: true,
  sourcemap: false,
  splitting: false,
  external: ['zod'],
  outExtension: ({ format }) => ({ js: format === 'esm' ? '.mjs' : '.cjs' }),
  onSuccess: () => copyFile('LICENSE', 'packages/caller/LICENSE'),
});
