/**
 * What each production bundle is made of, read from esbuild's metafile (written by the global setup's build):
 * the query function ships no caller, no dev and no command-line module, the example caller no dev or query-core module.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

function bundleOf(name: string): { inputs: string[]; code: string } {
  const meta = JSON.parse(readFileSync(`dist/${name}.meta.json`, 'utf8')) as Metafile;
  const output = meta.outputs[`dist/${name}/index.js`];
  if (!output) throw new Error(`the metafile of ${name} names no dist/${name}/index.js`);
  return { inputs: Object.keys(output.inputs), code: readFileSync(`dist/${name}/index.js`, 'utf8') };
}

describe('the query function bundle', () => {
  const { inputs, code } = bundleOf('query-subscription-detail');

  it('holds the query core and the shared contract', () => {
    expect(inputs).toContain('lib/fc/handler.ts');
    expect(inputs).toContain('lib/query/answer.ts');
    expect(inputs).toContain('lib/shared/schemas.ts');
  });

  it('holds no caller module, no dev module and nothing of the command line or its dependencies', () => {
    const cliDependencies = /node_modules\/(@alicloud\/fc2|@alicloud\/credentials|csv-parse|csv-stringify|cli-progress)\//;
    expect(inputs.filter((i) => /^lib\/(caller|dev|cli)\//.test(i) || cliDependencies.test(i))).toEqual([]);
  });

  it("holds none of the caller's or the dev tools' settings", () => {
    for (const name of ['TARGET_FUNCTION_NAME', 'FC_INVOKE', 'INVOKE_TIMEOUT', 'INVOKE_ENDPOINT', 'INVOKE_INTERNAL', 'ALIBABA_CLOUD_ACCESS_KEY']) {
      expect(code.includes(name), name).toBe(false);
    }
  });
});

describe('the one replaced module: debug, as httpx uses it', () => {
  const meta = JSON.parse(readFileSync('dist/query-subscription-detail.meta.json', 'utf8')) as {
    inputs: Record<string, { imports?: { path: string; original?: string }[] }>;
  };
  // The stub (lib/shared/stubs/debug-off.cjs) is a logger that is always off: it keeps a module's behaviour only
  // while that module calls it with a namespace, then calls the result or reads its `enabled`. A new importer,
  // or an httpx that uses more of debug's API, fails here, before it reaches a deployed bundle.
  const importers = Object.entries(meta.inputs)
    .filter(([, input]) => (input.imports ?? []).some((i) => i.original === 'debug'))
    .map(([path]) => path);

  it('is imported by httpx alone', () => {
    expect(importers).toEqual(['node_modules/httpx/lib/index.js']);
  });

  it('is used by httpx only as the stub provides: require("debug")(namespace), then called or asked .enabled', () => {
    const source = readFileSync(importers[0] ?? '', 'utf8');
    const bound = [...source.matchAll(/const (\w+) = require\('debug'\)\('[\w:]+'\);/g)].map((m) => m[1] ?? '');
    expect(bound.length).toBeGreaterThan(0);
    expect(source.match(/require\('debug'\)/g)).toHaveLength(bound.length);
    for (const name of bound) {
      // Every mention after the binding: a call `name(` or the member `name.enabled`; anything else is a new use.
      const uses = [...source.matchAll(new RegExp(`\\b${name}\\b(\\(|\\.\\w+)?`, 'g'))].map((m) => m[1] ?? 'bare').slice(1);
      expect(
        uses.filter((u) => u !== '(' && u !== '.enabled'),
        name,
      ).toEqual([]);
    }
    const stub = createRequire(import.meta.url)('../../lib/shared/stubs/debug-off.cjs') as (ns: string) => { (...args: unknown[]): void; enabled: boolean };
    expect(stub('httpx:body').enabled).toBe(false);
    expect(stub('httpx:body')('x')).toBeUndefined();
  });
});

describe('the example caller bundle', () => {
  const { inputs } = bundleOf('binding-status-check');

  it('reaches the library through its entry only, and holds no dev or query-core module', () => {
    expect(inputs).toContain('lib/caller/index.ts');
    expect(inputs.filter((i) => /^lib\/(dev|query)\//.test(i))).toEqual([]);
  });
});
