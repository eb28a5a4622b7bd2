/**
 * Builds every bundle once per test run, before any worker starts, so that no test file rebuilds (and so
 * deletes) `dist/` while another one loads it. The metafiles go beside the bundle folders, not into them (a
 * bundle folder is what s.yaml uploads). Also the operator's command line, which the CLI tests run.
 */
import { writeFileSync } from 'node:fs';
import { buildCliEntry, buildFunctions } from '../../scripts/build.mjs';
import { CLI_ENTRY } from './cli';

export async function setup(): Promise<void> {
  const results = await buildFunctions({ metafile: true });
  for (const [name, result] of Object.entries(results)) writeFileSync(`dist/${name}.meta.json`, JSON.stringify(result.metafile));
  // The operator's command line as `npm run cli` runs it (scripts/run-ts.mjs), for the tests that start it.
  await buildCliEntry(CLI_ENTRY);
}
