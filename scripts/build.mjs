// Bundles the function for FC: dist/query-subscription-detail/index.js, CommonJS with `exports.handler`,
// self-contained (runs with no node_modules beside it), minified, with an external source map.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { deflateRawSync } from 'node:zlib';

export const FUNCTIONS = ['query-subscription-detail', 'binding-status-check'];
/** esbuild's target for the FC runtime `nodejs20` (s.yaml's `runtime`; the static deploy check compares them). */
export const BUILD_TARGET = 'node20';

// The one module replaced in the bundles: `debug` (loaded by httpx, pop-core's HTTP client) is always off on FC,
// so the stub keeps httpx's behaviour exactly (test/unit/bundle-contents.test.ts checks every use of it). Every
// other dependency is bundled as it is: what pop-core really loads (json-bigint and bignumber.js for GroupId's
// exact digits included) is what runs.
const ALIASES = { debug: './lib/shared/stubs/debug-off.cjs' };

/**
 * `openapi:deflated`: the OpenAPI document the function serves, minified and deflated at build time, as base64
 * text; the function inflates it on the first request for it. About a fifth of the JSON's size in the bundle,
 * and nothing to parse or serialise at load.
 */
const openapiDeflated = {
  name: 'openapi-deflated',
  setup(b) {
    b.onResolve({ filter: /^openapi:deflated$/ }, () => ({ path: 'openapi:deflated', namespace: 'openapi-deflated' }));
    b.onLoad({ filter: /.*/, namespace: 'openapi-deflated' }, async () => {
      const text = JSON.stringify(JSON.parse(await readFile('functions/query-subscription-detail/openapi.json', 'utf8')));
      return { contents: `module.exports = ${JSON.stringify(deflateRawSync(text, { level: 9 }).toString('base64'))};`, loader: 'js' };
    });
  },
};

export async function buildFunctions({ metafile = false } = {}) {
  const results = {};
  for (const name of FUNCTIONS) {
    const outdir = `dist/${name}`;
    await rm(outdir, { recursive: true, force: true });
    results[name] = await build({
      entryPoints: [`functions/${name}/index.ts`],
      outfile: `${outdir}/index.js`,
      bundle: true,
      platform: 'node',
      target: BUILD_TARGET,
      format: 'cjs',
      minify: process.env.DYPLS_NO_MINIFY !== '1',
      sourcemap: 'external',
      // No keepNames: it wraps every closure created at run time in a defineProperty call (measured: ~12 µs per
      // invocation); the source map gives stack traces their names back.
      legalComments: 'none',
      // The status table's Chinese descriptions as UTF-8 (3 bytes a character) rather than \uXXXX escapes (6);
      // Node reads every CommonJS file as UTF-8.
      charset: 'utf8',
      metafile,
      alias: ALIASES,
      plugins: [openapiDeflated],
      logLevel: 'warning',
    });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildFunctions();
  console.log(`built ${FUNCTIONS.map((n) => `dist/${n}/index.js`).join(', ')}`);
}

/**
 * The operator's command line as this repository runs it (scripts/cli.ts, with --local), into `outfile` under
 * .dev/ (it finds the repository one folder up): what `npm run cli` runs through scripts/run-ts.mjs, and what the
 * tests and the reconcile bench start as a child process.
 */
export async function buildCliEntry(outfile) {
  await build({
    entryPoints: ['scripts/cli.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: BUILD_TARGET,
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
}
