// `npm run test:mutation [-- <stryker flags>]`: Stryker (stryker.config.mjs) with its incremental baseline kept
// in the repository, so that a run tests only the mutants of code and tests changed since the baseline (the whole
// of lib/query and lib/shared takes two hours on two cores). Before the run the baseline is unpacked into
// reports/mutation/; after it, packed back, and test/mutation/survivors.txt is rewritten from the report: every
// runtime mutant that survived or had no coverage, one line each (static mutants are counted in CONTRIBUTING.md).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';

const BASELINE = 'test/mutation/stryker-incremental.json.gz';
const WORKING = 'reports/mutation/stryker-incremental.json';
const REPORT = 'reports/mutation/mutation.json';
const SURVIVORS = 'test/mutation/survivors.txt';

mkdirSync('reports/mutation', { recursive: true });
if (existsSync(BASELINE) && !existsSync(WORKING)) writeFileSync(WORKING, gunzipSync(readFileSync(BASELINE)));
const before = existsSync(WORKING) ? readFileSync(WORKING) : undefined;
const run = spawnSync('npx', ['stryker', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
// Packed back only when the run wrote a new baseline (not after --help, a dry run or a failed run).
const after = existsSync(WORKING) ? readFileSync(WORKING) : undefined;
if (run.status === 0 && after && !(before && before.equals(after))) writeFileSync(BASELINE, gzipSync(after, { level: 9 }));
if (run.status === 0 && existsSync(REPORT)) writeFileSync(SURVIVORS, survivors(JSON.parse(readFileSync(REPORT, 'utf8'))));
process.exit(run.status ?? 1);

function survivors(report) {
  const out = [
    '# Runtime mutants that survived (or had no coverage) in the last run of `npm run test:mutation`, one a line:',
    '# file:line:column mutator status | replacement | the source line. Static mutants (module-level code, which the',
    '# vitest runner never re-evaluates per mutant) are counted in CONTRIBUTING.md, not listed. Written by',
    '# scripts/mutation.mjs from reports/mutation/mutation.json.',
  ];
  for (const [file, f] of Object.entries(report.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const source = f.source.split('\n');
    const left = f.mutants.filter((m) => !m.static && (m.status === 'Survived' || m.status === 'NoCoverage'));
    left.sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
    for (const m of left) {
      const { line, column } = m.location.start;
      const replacement = (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 70);
      out.push(`${file}:${line}:${column} ${m.mutatorName} ${m.status} | ${replacement} | ${(source[line - 1] ?? '').trim().slice(0, 110)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
