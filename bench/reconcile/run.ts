// `npm run bench:reconcile` (also the last part of `npm run bench`): the operator's reconcile as an operator runs
// it, a child process, against the local FC invoke API → the built query bundle (its deployed settings) → the
// sandbox answering every lookup after 50 ms. Two figures: 10,000 rows at --rps 200 (wall time against the
// ideal rows / rps, target at most 1.1×; the busiest second at the sandbox; peak RSS), and 1,000,000 rows of
// input streamed through (rows the caller library refuses before any call, so the run measures reading,
// batching, writing and the checkpoint; target: peak RSS below 150 MB). Writes bench/reconcile-results.json and
// the reconcile section of BENCHMARKS.md.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { busiestSecond, startDyplsSandbox } from '../../lib/dev/dyplsapi-sandbox';
import { divertLogLines } from '../../lib/dev/log-lines';
import { startFcInvokeApi } from '../../lib/dev/fc-invoke-api';
import { loadBundledHandler } from '../../lib/dev/stack';
import { buildCliEntry, buildFunctions } from '../../scripts/build.mjs';

const { values } = parseArgs({ options: { quick: { type: 'boolean' } } });
const QUICK = values.quick === true;
const ROWS = QUICK ? 2_000 : 10_000;
const STREAMED = QUICK ? 100_000 : 1_000_000;
const RPS = 200;
const LATENCY_MS = 50;
const CLI = '.dev/cli-bench.mjs';

await buildFunctions();
await buildCliEntry(CLI);

const dir = mkdtempSync(join(tmpdir(), 'dypls-bench-reconcile-'));
const sandbox = await startDyplsSandbox({ latencyMs: LATENCY_MS });
const fcApi = await startFcInvokeApi();
// The function's logs are not part of the measurement.
const restoreStdout = divertLogLines(() => {});
fcApi.register('query-subscription-detail', {
  handler: loadBundledHandler({ DYPLS_ENDPOINT: sandbox.url }),
  credentials: () => sandbox.issueStsCredentials(),
  wrapAsHttpEvent: true,
});
const operator = fcApi.issueStsCredentials();

/** Writes `n` rows to `path` without holding them: each a SubsId of its own (`valid`), or one the library refuses. */
async function writeRows(path: string, n: number, valid: boolean) {
  const out = createWriteStream(path);
  out.write('poolKey,subsId,phoneNoX,ticket\n');
  for (let i = 0; i < n; i++) {
    const line = `FC100000012345678,${valid ? 1_000_000_000_100_000 + i : 'x'},17000000000,T${i}\n`;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

/** Runs reconcile in a child process: its wall time, exit status and peak RSS (bench/reconcile/max-rss.cjs). */
function reconcile(input: string, out: string, args: string[]): Promise<{ ms: number; code: number | null; maxRssMb: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [
        '--require',
        './bench/reconcile/max-rss.cjs',
        CLI,
        'reconcile',
        input,
        '--out',
        out,
        '--quiet',
        ...args,
        '--endpoint',
        fcApi.url,
        '--account-id',
        fcApi.accountId,
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: dir,
          ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
          ALIBABA_CLOUD_ACCESS_KEY_ID: operator.accessKeyId,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: operator.accessKeySecret,
          ALIBABA_CLOUD_SECURITY_TOKEN: operator.securityToken,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const rss = /\{"maxRssKb":(\d+)\}/.exec(stderr);
      resolve({ ms: performance.now() - started, code, maxRssMb: Number(rss?.[1] ?? 0) / 1024, stderr });
    });
  });
}

await writeRows(join(dir, 'rows.csv'), ROWS, true);
const paced = await reconcile(join(dir, 'rows.csv'), join(dir, 'rows.jsonl'), ['--rps', String(RPS), '--parallel', '4', '--region', 'cn-hangzhou']);
const results = readFileSync(join(dir, 'rows.jsonl'), 'utf8').trim().split('\n');
const lookups = sandbox.seen.length;
const busiest = busiestSecond(sandbox.seen);
const ideal = (ROWS / RPS) * 1000;

await writeRows(join(dir, 'streamed.csv'), STREAMED, false);
const streamed = await reconcile(join(dir, 'streamed.csv'), join(dir, 'streamed.jsonl'), ['--region', 'cn-hangzhou']);
const streamedOut = statSync(join(dir, 'streamed.jsonl')).size;

await fcApi.close();
await sandbox.close();
rmSync(dir, { recursive: true, force: true });
restoreStdout();

const figures = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  command: `npm run bench:reconcile${QUICK ? ' -- --quick' : ''}`,
  paced: {
    rows: ROWS,
    rps: RPS,
    latencyMs: LATENCY_MS,
    exit: paced.code,
    resultRows: results.length,
    lookups,
    wallMs: paced.ms,
    idealMs: ideal,
    ratio: paced.ms / ideal,
    busiestSecond: busiest,
    maxRssMb: paced.maxRssMb,
  },
  streamed: { rows: STREAMED, exit: streamed.code, wallMs: streamed.ms, maxRssMb: streamed.maxRssMb, outputMb: streamedOut / 2 ** 20 },
};
const targets = { within110OfIdeal: figures.paced.ratio <= 1.1, neverAboveRps: busiest <= RPS, streamedRssUnder150MB: streamed.maxRssMb < 150 };
writeFileSync('bench/reconcile-results.json', `${JSON.stringify({ ...figures, targets }, null, 2)}\n`);

const yes = (b: boolean) => (b ? 'met' : '**missed**');
const f1 = (x: number) => x.toFixed(1);
const section = [
  `Machine: ${figures.machine}. Command: \`${figures.command}\`. ${figures.date.slice(0, 10)}. The command runs as a child process (\`node .dev/cli-bench.mjs reconcile …\`, the same code as the package's bin) against the local FC invoke API, the built query bundle with its deployed settings, and the sandbox answering every lookup after ${LATENCY_MS} ms; every row a SubsId of its own, so each is one Dyplsapi call.`,
  '',
  '| Run | Rows | Wall time | Against the ideal | Busiest second at the sandbox | Peak RSS |',
  '|---|---|---|---|---|---|',
  `| \`--rps ${RPS} --parallel 4\` | ${ROWS.toLocaleString('en')} (${lookups.toLocaleString('en')} lookups, exit ${paced.code}) | ${f1(paced.ms / 1000)} s | ${figures.paced.ratio.toFixed(3)}× of ${f1(ideal / 1000)} s (target ≤ 1.1×: ${yes(targets.within110OfIdeal)}) | ${busiest} (≤ ${RPS}: ${yes(targets.neverAboveRps)}) | ${f1(paced.maxRssMb)} MB |`,
  `| streamed, refused before any call | ${STREAMED.toLocaleString('en')} (exit ${streamed.code}, ${f1(figures.streamed.outputMb)} MB written) | ${f1(streamed.ms / 1000)} s | | | ${f1(streamed.maxRssMb)} MB (target < 150 MB: ${yes(targets.streamedRssUnder150MB)}) |`,
].join('\n');
const doc = readFileSync('BENCHMARKS.md', 'utf8');
writeFileSync(
  'BENCHMARKS.md',
  doc.replace(/<!-- reconcile:begin -->[\s\S]*<!-- reconcile:end -->/, `<!-- reconcile:begin -->\n${section}\n<!-- reconcile:end -->`),
);
console.log(section);
console.error('\nwrote bench/reconcile-results.json and BENCHMARKS.md');
