/**
 * Builds every bundle once per test run, before any worker starts, so that no test file rebuilds (and so
 * deletes) `dist/` while another one loads it. The metafiles go beside the bundle folders, not into them (a
 * bundle folder is what s.yaml uploads).
 */
import { writeFileSync } from 'node:fs';
import { buildFunctions } from '../../scripts/build.mjs';

export async function setup(): Promise<void> {
  const results = await buildFunctions({ metafile: true });
  for (const [name, result] of Object.entries(results)) writeFileSync(`dist/${name}.meta.json`, JSON.stringify(result.metafile));
}
