/**
 * What each production bundle is made of, read from esbuild's metafile (written by the global setup's build):
 * the query function ships no caller and no dev module, the example caller no dev or query-core module.
 */
import { readFileSync } from 'node:fs';
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
    expect(inputs).toContain('lib/query/handler.ts');
    expect(inputs).toContain('lib/shared/schemas.ts');
  });

  it('holds no caller module and no dev module', () => {
    expect(inputs.filter((i) => /^lib\/(caller|dev)\//.test(i) || i.includes('node_modules/@alicloud/fc2/'))).toEqual([]);
  });

  it("holds none of the caller's or the dev tools' settings", () => {
    for (const name of ['TARGET_FUNCTION_NAME', 'FC_INVOKE', 'INVOKE_TIMEOUT', 'INVOKE_ENDPOINT', 'INVOKE_INTERNAL', 'ALIBABA_CLOUD_ACCESS_KEY']) {
      expect(code.includes(name), name).toBe(false);
    }
  });
});

describe('the example caller bundle', () => {
  const { inputs } = bundleOf('binding-status-check');

  it('reaches the library through its entry only, and holds no dev or query-core module', () => {
    expect(inputs).toContain('lib/caller/index.ts');
    expect(inputs.filter((i) => /^lib\/(dev|query)\//.test(i))).toEqual([]);
  });
});
