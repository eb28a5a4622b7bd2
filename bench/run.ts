// `npm run bench`: builds, starts the Dyplsapi sandbox on loopback, measures the deployable bundle against the
// floors and the seed-style handler, prints a table and writes bench/results.json and BENCHMARKS.md.
// Every measurement runs in a fresh process; the sandbox runs here, as the upstream would, out of their way.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { startDyplsSandbox } from '../lib/dev/dyplsapi-sandbox';
import { buildFunctions } from '../scripts/build.mjs';

const { values } = parseArgs({ options: { quick: { type: 'boolean' } } });
const QUICK = values.quick === true;
const COLD_RUNS = QUICK ? 5 : 21;
const WARM_ROUNDS = QUICK ? 2 : 5;
const WARM_ITERATIONS = QUICK ? 300 : 2000;
const MEMORY_CHECKPOINTS = QUICK ? [1000, 5000] : [1000, 50_000];

type Variant = 'handler' | 'bare' | 'inline' | 'seed';

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9), p99: at(0.99), min: s[0] ?? 0, max: s.at(-1) ?? 0, n: s.length };
}
const ms = (x: number) => `${x.toFixed(2)} ms`;
const round = (x: number, d = 2) => Number(x.toFixed(d));

// ---- build: the deployable bundle (with its metafile) and the worker ----
const built = await buildFunctions({ metafile: true });
const bundlePath = 'dist/query-subscription-detail/index.js';
const bundle = readFileSync(bundlePath);
const inputs = Object.keys(built['query-subscription-detail']?.metafile?.inputs ?? {});
const bundleFigures = {
  rawBytes: bundle.length,
  gzipBytes: gzipSync(bundle, { level: 9 }).length,
  // The upload zip stores the file deflated: its size is the deflate stream plus ~100 bytes of zip headers.
  zipBytes: deflateRawSync(bundle, { level: 9 }).length + 22 + 2 * (30 + 'index.js'.length) + 16,
  modules: inputs.length,
  packages: [...new Set(inputs.map((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(i)?.[1]).filter(Boolean))].sort(),
};
await build({
  entryPoints: ['bench/worker.ts'],
  outfile: 'bench/.build/worker.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});
writeFileSync(
  'bench/.build/cold.cjs',
  `// One cold start: load a variant, answer one HTTP event against the sandbox, exit.
const { resolve } = require('node:path');
const [variant, endpoint, id, secret, token] = process.argv.slice(2);
process.env.DYPLS_ENDPOINT = endpoint;
const file = variant === 'seed' ? 'bench/seed-style/index.js' : 'dist/query-subscription-detail/index.js';
const { handler } = require(resolve(file));
const event = Buffer.from(JSON.stringify({ version: 'v1', rawPath: '/', body: '', isBase64Encoded: false, headers: {},
  queryParameters: { poolKey: 'FC100000012345678', subsId: '1000000768798832', phoneNoX: '17000000000' },
  requestContext: { accountId: '1', domainName: 'b', domainPrefix: 'b', requestId: '1-cold', time: '', timeEpoch: '0',
    http: { method: 'GET', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' } } }));
handler(event, { requestId: '1-cold', credentials: { accessKeyId: id, accessKeySecret: secret, securityToken: token }, function: { timeout: 10 } })
  .then((r) => process.exit(r.statusCode === 200 ? 0 : 3), () => process.exit(4));
`,
);

const sandbox = await startDyplsSandbox();
const creds = () => {
  const c = sandbox.issueStsCredentials();
  return { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken ?? '' };
};

function timeProcess(args: string[]): Promise<number> {
  return new Promise((resolveTime, reject) => {
    const t = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}`));
      else resolveTime(Number(process.hrtime.bigint() - t) / 1e6);
    });
  });
}

function runWorker(job: Record<string, unknown>, nodeArgs: string[] = []): Promise<Record<string, unknown>> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, 'bench/.build/worker.mjs'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (m) => {
      const r = m as Record<string, unknown>;
      if (typeof r.error === 'string') reject(new Error(r.error));
      else resolveRun(r);
    });
    child.on('exit', (code) => code !== 0 && reject(new Error(`worker exited ${code}`)));
    child.send({ ...job, endpoint: sandbox.url, credentials: creds() });
  });
}

// ---- cold start: interleaved, so drift hits every variant alike ----
console.error(`cold start: ${COLD_RUNS} runs of each…`);
const cold: Record<'floor' | 'handler' | 'seed', number[]> = { floor: [], handler: [], seed: [] };
for (let i = 0; i < COLD_RUNS; i++) {
  cold.floor.push(await timeProcess(['-e', '']));
  for (const v of ['handler', 'seed'] as const) {
    const c = creds();
    cold[v].push(await timeProcess(['bench/.build/cold.cjs', v, sandbox.url, c.accessKeyId, c.accessKeySecret, c.securityToken]));
  }
}
const coldStats = { floor: stats(cold.floor), handler: stats(cold.handler), seed: stats(cold.seed) };

// ---- warm latency: rounds of every variant, each in a fresh process ----
console.error(`warm latency: ${WARM_ROUNDS} rounds × ${WARM_ITERATIONS} calls of each…`);
const warm: Record<Variant, number[]> = { handler: [], bare: [], inline: [], seed: [] };
const cpu: Record<Variant, number[]> = { handler: [], bare: [], inline: [], seed: [] };
for (let r = 0; r < WARM_ROUNDS; r++) {
  for (const variant of ['inline', 'bare', 'handler', 'seed'] as const) {
    const { samples, cpuMicrosPerCall } = (await runWorker({ mode: 'warm', variant, iterations: WARM_ITERATIONS })) as {
      samples: number[];
      cpuMicrosPerCall: number;
    };
    warm[variant].push(...samples);
    cpu[variant].push(cpuMicrosPerCall);
  }
}
const cpuMedian = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Math.round(stats(v).median)])) as Record<Variant, number>;
const warmStats = Object.fromEntries(Object.entries(warm).map(([k, v]) => [k, stats(v)])) as Record<Variant, ReturnType<typeof stats>>;

// ---- throughput ----
console.error('throughput…');
const throughput: Record<string, Record<string, number>> = {};
for (const concurrency of [1, 8, 32]) {
  throughput[`c${concurrency}`] = {};
  for (const variant of ['inline', 'handler', 'seed'] as const) {
    const { perSecond } = (await runWorker({ mode: 'throughput', variant, iterations: QUICK ? 1000 : 4000, concurrency })) as { perSecond: number };
    (throughput[`c${concurrency}`] as Record<string, number>)[variant] = Math.round(perSecond);
  }
}

// ---- memory ----
console.error(`memory: ${MEMORY_CHECKPOINTS.join(' and ')} invocations…`);
const { memory } = (await runWorker({ mode: 'memory', variant: 'handler', iterations: 0, checkpoints: MEMORY_CHECKPOINTS }, ['--expose-gc'])) as {
  memory: { after: number; rssMb: number; heapMb: number }[];
};
await sandbox.close();

// ---- report ----
const coldAbove = (v: 'handler' | 'seed') => coldStats[v].median - coldStats.floor.median;
const targets = {
  bundleUnder150KB: bundleFigures.rawBytes < 150 * 1024,
  coldWithin1_5xFloor: coldStats.handler.median <= 1.5 * coldStats.floor.median,
  coldAboveFloorAtMostHalfOfSeed: coldAbove('handler') <= 0.5 * coldAbove('seed'),
  warmP50Within1_1xBare: warmStats.handler.median <= 1.1 * warmStats.bare.median,
  warmP50Within1_5xInline: warmStats.handler.median <= 1.5 * warmStats.inline.median,
  warmP99Within2xInline: warmStats.handler.p99 <= 2 * warmStats.inline.p99,
};
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
const command = `npm run bench${QUICK ? ' -- --quick' : ''}`;
const results = {
  date: new Date().toISOString(),
  machine,
  command,
  bundle: bundleFigures,
  coldStartMs: coldStats,
  warmLatencyMs: warmStats,
  cpuMicrosPerCall: cpuMedian,
  throughputPerSecond: throughput,
  memory,
  targets,
};
writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);

const yes = (b: boolean) => (b ? 'met' : '**missed**');
const spread = (s: ReturnType<typeof stats>) => `${ms(s.median)} (p10 ${s.p10.toFixed(2)}, p90 ${s.p90.toFixed(2)})`;
const table = [
  `Machine: ${machine}. Command: \`${command}\`. ${results.date.slice(0, 10)}.`,
  '',
  '| Measure | This function | Baselines | Target |',
  '|---|---|---|---|',
  `| bundle | ${(bundleFigures.rawBytes / 1024).toFixed(1)} KB raw, ${(bundleFigures.zipBytes / 1024).toFixed(1)} KB zipped, ${bundleFigures.modules} modules | (seed style ships node_modules: pop-core and its dependencies) | < 150 KB: ${yes(targets.bundleUnder150KB)} |`,
  `| cold start, median (p10, p90) of ${COLD_RUNS} | ${spread(coldStats.handler)} | empty \`node -e ""\`: ${spread(coldStats.floor)}; seed style: ${spread(coldStats.seed)} | ≤ 1.5× floor (${(coldStats.handler.median / coldStats.floor.median).toFixed(2)}×): ${yes(targets.coldWithin1_5xFloor)}; above floor ${coldAbove('handler').toFixed(1)} ms vs seed's ${coldAbove('seed').toFixed(1)} ms (≤ half): ${yes(targets.coldAboveFloorAtMostHalfOfSeed)} |`,
  `| warm p50 (${warmStats.handler.n} calls) | ${ms(warmStats.handler.median)} | inline signer ${ms(warmStats.inline.median)}; bare RPCClient ${ms(warmStats.bare.median)}; seed style ${ms(warmStats.seed.median)} | ≤ 1.1× bare (${(warmStats.handler.median / warmStats.bare.median).toFixed(2)}×): ${yes(targets.warmP50Within1_1xBare)}; ≤ 1.5× inline (${(warmStats.handler.median / warmStats.inline.median).toFixed(2)}×): ${yes(targets.warmP50Within1_5xInline)} |`,
  `| CPU per warm call (process, all threads) | ${cpuMedian.handler} µs | inline ${cpuMedian.inline} µs; bare ${cpuMedian.bare} µs; seed style ${cpuMedian.seed} µs | (reported) |`,
  `| warm p99 | ${ms(warmStats.handler.p99)} | inline ${ms(warmStats.inline.p99)}; bare ${ms(warmStats.bare.p99)}; seed style ${ms(warmStats.seed.p99)} | ≤ 2× inline (${(warmStats.handler.p99 / warmStats.inline.p99).toFixed(2)}×): ${yes(targets.warmP99Within2xInline)} |`,
  ...Object.entries(throughput).map(
    ([c, t]) => `| throughput, concurrency ${c.slice(1)} | ${t.handler} req/s | inline ${t.inline} req/s; seed style ${t.seed} req/s | (reported) |`,
  ),
  `| memory (RSS / heap after gc) | ${memory.map((m) => `${m.after.toLocaleString('en')} calls: ${m.rssMb.toFixed(1)} / ${m.heapMb.toFixed(1)} MB`).join('; ')} | | no growth beyond noise: heap ${round((memory.at(-1)?.heapMb ?? 0) - (memory[0]?.heapMb ?? 0))} MB between checkpoints |`,
].join('\n');
console.log(table);

const doc = readFileSync('BENCHMARKS.md', 'utf8');
writeFileSync('BENCHMARKS.md', doc.replace(/<!-- bench:begin -->[\s\S]*<!-- bench:end -->/, `<!-- bench:begin -->\n${table}\n<!-- bench:end -->`));
console.error('\nwrote bench/results.json and BENCHMARKS.md');
