// The packages this repository publishes, built from lib/:
// - packages/caller: ESM and CommonJS builds of lib/caller/index.ts with their type declarations. zod stays a
//   dependency; fc2 is never referenced by a literal specifier (lib/caller/fc2.ts), so nothing of it is bundled.
// - packages/cli: the `dypls-query` command (lib/cli/bin.ts), CommonJS. It is built on the caller package, which
//   it depends on: the caller library's entry is imported as `@your-org/dypls-query`, never bundled a second
//   time; its own dependencies (credentials, CSV, progress bar) stay dependencies too.
import { copyFile, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { defineConfig } from 'tsup';

const callerPackage = JSON.parse(await readFile('packages/caller/package.json', 'utf8')) as { name: string };
const cliPackage = JSON.parse(await readFile('packages/cli/package.json', 'utf8')) as { dependencies: Record<string, string> };
const CALLER_ENTRY = resolve('lib/caller/index.ts');

export default defineConfig([
  {
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
  },
  {
    entry: { cli: 'lib/cli/bin.ts' },
    format: ['cjs'],
    outDir: 'packages/cli/dist',
    target: 'node20',
    platform: 'node',
    dts: false,
    clean: true,
    sourcemap: false,
    splitting: false,
    external: Object.keys(cliPackage.dependencies),
    outExtension: () => ({ js: '.cjs' }),
    esbuildPlugins: [
      {
        name: 'caller-package',
        setup(build) {
          // lib/cli imports the caller library's entry relatively; the package gets it from its dependency.
          build.onResolve({ filter: /\/caller$/ }, (args) =>
            resolve(args.resolveDir, args.path) === CALLER_ENTRY.replace(/\/index\.ts$/, '') ? { path: callerPackage.name, external: true } : undefined,
          );
        },
      },
    ],
    onSuccess: () => copyFile('LICENSE', 'packages/cli/LICENSE'),
  },
]);
