// `npm run bench`: the function's bundle measured against the floors of its job, side by side in one run:
// an empty process, two reference handlers doing the happy path at its leanest (bench/reference: through
// pop-core, and raw node:crypto + node:http(s)), and a seed-style handler. Over http and over https (a loopback
// TLS front with a certificate made for the run). Then a find of 20 bindings and batches of 100 against a
// sandbox that answers after 50 ms. Prints the tables and writes bench/results.json and BENCHMARKS.md.
//
// Every measured process starts with the same environment: PATH and the function's variables only. In
// particular NODE_EXTRA_CA_CERTS is unset (a CA bundle read at every start would inflate every figure alike and
// hide the differences); the https runs set it to the run's one certificate, for every variant and the floor.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { cpus, totalmem } from 'node:os';
import tls from 'node:tls';
import { parseArgs } from 'node:util';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { type SandboxData, startDyplsSandbox } from '../lib/dev/dyplsapi-sandbox';
import { buildFunctions } from '../scripts/build.mjs';
import { type Variant, VARIANT_FILES } from './variants';

const { values } = parseArgs({ options: { quick: { type: 'boolean' } } });
const QUICK = values.quick === true;
const COLD_RUNS = QUICK ? 5 : 21;
const WARM_ROUNDS = QUICK ? 2 : 4;
const WARM_ITERATIONS = QUICK ? 300 : 2000;
const MEMORY_CHECKPOINTS = QUICK ? [1000, 5000] : [1000, 50_000];
const VARIANTS: Variant[] = ['handler', 'pop', 'raw', 'seed'];
const LABEL: Record<Variant, string> = { handler: 'this function', pop: 'minimal through pop-core', raw: 'minimal raw', seed: 'seed style' };
const POOL = 'FC100000012345678';

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9), p99: at(0.99), n: s.length };
}
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

// ---- build: the bundle, the reference handlers (bundled like the function), the worker ----
const built = await buildFunctions({ metafile: true });
const bundle = readFileSync(VARIANT_FILES.handler);
const inputs = Object.keys(built['query-subscription-detail']?.metafile?.inputs ?? {});
const bundleFigures = {
  rawBytes: bundle.length,
  gzipBytes: gzipSync(bundle, { level: 9 }).length,
  zipBytes: deflateRawSync(bundle, { level: 9 }).length + 22 + 2 * (30 + 'index.js'.length) + 16,
  modules: inputs.length,
};
mkdirSync('bench/.build', { recursive: true });
for (const name of ['minimal-pop', 'minimal-raw']) {
  await build({
    entryPoints: [`bench/reference/${name}.ts`],
    outfile: `bench/.build/${name}.js`,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    alias: { debug: './lib/shared/stubs/debug-off.cjs' },
  });
}
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
  `// One cold start: load a variant, answer one HTTP event, report the phases on stderr's last line, exit.
const loadStart = performance.now();
const { handler } = require(require('node:path').resolve(process.argv[2]));
const loaded = performance.now();
const [id, secret, token] = process.argv.slice(3);
const event = Buffer.from(JSON.stringify({ version: 'v1', rawPath: '/', body: '', isBase64Encoded: false, headers: {},
  queryParameters: { poolKey: '${POOL}', subsId: '1000000768798832', phoneNoX: '17000000000' },
  requestContext: { accountId: '1', domainName: 'b', domainPrefix: 'b', requestId: '1-cold', time: '', timeEpoch: '0',
    http: { method: 'GET', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' } } }));
handler(event, { requestId: '1-cold', credentials: { accessKeyId: id, accessKeySecret: secret, securityToken: token }, function: { timeout: 10 } })
  .then((r) => {
    const answered = performance.now();
    process.stderr.write('PHASES ' + JSON.stringify({ boot: loadStart, load: loaded - loadStart, firstCall: answered - loaded }) + '\\n');
    process.exit(r.statusCode === 200 ? 0 : 3);
  }, () => process.exit(4));
`,
);

// ---- the upstream: the sandbox on http, and a loopback TLS front for https ----
const sandbox = await startDyplsSandbox();
const tlsDir = 'bench/.build/tls';
mkdirSync(tlsDir, { recursive: true });
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-days',
    '1',
    '-keyout',
    `${tlsDir}/key.pem`,
    '-out',
    `${tlsDir}/cert.pem`,
  ],
  { stdio: 'ignore' },
);
const front = tls.createServer({ key: readFileSync(`${tlsDir}/key.pem`), cert: readFileSync(`${tlsDir}/cert.pem`) }, (socket) => {
  const upstream = net.connect(sandbox.port, '127.0.0.1');
  socket.pipe(upstream).pipe(socket);
  socket.on('error', () => upstream.destroy());
  upstream.on('error', () => socket.destroy());
});
await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
const endpoints = { http: sandbox.url, https: `https://127.0.0.1:${(front.address() as net.AddressInfo).port}` } as const;
type Proto = keyof typeof endpoints;
const envFor = (proto: Proto, extra: Record<string, string> = {}): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  DYPLS_ENDPOINT: endpoints[proto],
  ...(proto === 'https' ? { NODE_EXTRA_CA_CERTS: `${tlsDir}/cert.pem` } : {}),
  ...extra,
});
const creds = () => {
  const c = sandbox.issueStsCredentials();
  return { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken ?? '' };
};

function timeProcess(args: string[], env: Record<string, string>): Promise<{ ms: number; phases?: { boot: number; load: number; firstCall: number } }> {
  return new Promise((done, fail) => {
    const t = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return fail(new Error(`${args.join(' ')} exited ${code}: ${err}`));
      const line = err.split('\n').find((l) => l.startsWith('PHASES '));
      done({
        ms: Number(process.hrtime.bigint() - t) / 1e6,
        phases: line ? (JSON.parse(line.slice(7)) as { boot: number; load: number; firstCall: number }) : undefined,
      });
    });
  });
}

function runWorker(job: Record<string, unknown>, env: Record<string, string>, nodeArgs: string[] = []): Promise<Record<string, unknown>> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...nodeArgs, 'bench/.build/worker.mjs'], { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (m) => {
      const r = m as Record<string, unknown>;
      if (typeof r.error === 'string') fail(new Error(r.error));
      else done(r);
    });
    child.on('exit', (code) => code !== 0 && fail(new Error(`worker exited ${code}`)));
    child.send({ credentials: creds(), iterations: 0, ...job });
  });
}

// ---- the references answer what the function answers ----
const happy = JSON.parse(readFileSync('lib/dev/sandbox-bindings.json', 'utf8')) as {
  bindings: { PoolKey?: string; SubsId: string; PhoneNoX: string; GroupId?: string }[];
};
// The happy path of a lookup by pool key; the raw reference parses with JSON.parse, so no GroupId beyond 2^53.
const lookups = happy.bindings
  // 1000000768798840 holds the demo's odd values (an impossible date, a status as text): no happy path.
  .filter((b) => b.PoolKey === POOL && !b.SubsId.startsWith('999') && b.SubsId !== '1000000768798840' && String(b.GroupId ?? '').length < 16)
  .map((b) => ({ poolKey: POOL, subsId: b.SubsId, phoneNoX: b.PhoneNoX }))
  .slice(0, 12);
const answers = await Promise.all(VARIANTS.filter((v) => v !== 'seed').map((v) => runWorker({ mode: 'check', variant: v, lookups }, envFor('http'))));
const identical = answers.every((a) => JSON.stringify(a.data) === JSON.stringify(answers[0]?.data));
console.error(`check: ${lookups.length} happy-path bindings, the references' data ${identical ? 'byte-identical to' : 'DIFFERENT FROM'} the function's`);
if (!identical) throw new Error('a reference handler answers different data than the function');

// ---- cold start: every variant and the floor, alternating, over http and https ----
console.error(`cold start: ${COLD_RUNS} runs of each, http and https…`);
type Key = Variant | 'floor';
const cold: Record<Proto, Record<Key, number[]>> = {
  http: { floor: [], handler: [], pop: [], raw: [], seed: [] },
  https: { floor: [], handler: [], pop: [], raw: [], seed: [] },
};
const phases: Record<Proto, { boot: number[]; load: number[]; firstCall: number[] }> = {
  http: { boot: [], load: [], firstCall: [] },
  https: { boot: [], load: [], firstCall: [] },
};
const inflatedFloor: number[] = [];
for (let i = 0; i < COLD_RUNS; i++) {
  for (const proto of ['http', 'https'] as const) {
    const order: Key[] = ['floor', ...VARIANTS];
    for (let k = 0; k < i % order.length; k++) order.push(order.shift() as Key);
    for (const v of order) {
      if (v === 'floor') {
        cold[proto].floor.push((await timeProcess(['-e', ''], envFor(proto))).ms);
        continue;
      }
      const c = creds();
      const r = await timeProcess(['bench/.build/cold.cjs', VARIANT_FILES[v], c.accessKeyId, c.accessKeySecret, c.securityToken], envFor(proto));
      cold[proto][v].push(r.ms);
      if (v === 'handler' && r.phases) {
        phases[proto].boot.push(r.phases.boot);
        phases[proto].load.push(r.phases.load);
        phases[proto].firstCall.push(r.phases.firstCall);
      }
    }
  }
  if (process.env.NODE_EXTRA_CA_CERTS)
    inflatedFloor.push((await timeProcess(['-e', ''], { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS })).ms);
}
const coldMedian = (proto: Proto, k: Key) => stats(cold[proto][k]).median;
const above = (proto: Proto, v: Variant) => coldMedian(proto, v) - coldMedian(proto, 'floor');

// ---- warm: latency, CPU per call, throughput, memory (http) ----
console.error(`warm: ${WARM_ROUNDS} rounds × ${WARM_ITERATIONS} calls of each…`);
const warm: Record<Variant, number[]> = { handler: [], pop: [], raw: [], seed: [] };
const cpu: Record<Variant, number[]> = { handler: [], pop: [], raw: [], seed: [] };
for (let r = 0; r < WARM_ROUNDS; r++) {
  for (const variant of VARIANTS) {
    const res = (await runWorker({ mode: 'warm', variant, iterations: WARM_ITERATIONS }, envFor('http'))) as { samples: number[]; cpuMicrosPerCall: number };
    warm[variant].push(...res.samples);
    cpu[variant].push(res.cpuMicrosPerCall);
  }
}
const warmStats = Object.fromEntries(VARIANTS.map((v) => [v, stats(warm[v])])) as Record<Variant, ReturnType<typeof stats>>;
const cpuMedian = Object.fromEntries(VARIANTS.map((v) => [v, stats(cpu[v]).median])) as Record<Variant, number>;
const throughput: Record<Variant, number> = { handler: 0, pop: 0, raw: 0, seed: 0 };
for (const variant of VARIANTS)
  throughput[variant] = Math.round(
    ((await runWorker({ mode: 'throughput', variant, iterations: QUICK ? 1000 : 4000, concurrency: 8 }, envFor('http'))) as { perSecond: number }).perSecond,
  );
console.error(`memory: ${MEMORY_CHECKPOINTS.join(' and ')} invocations…`);
const { memory } = (await runWorker({ mode: 'memory', variant: 'handler', checkpoints: MEMORY_CHECKPOINTS }, envFor('http'), ['--expose-gc'])) as {
  memory: { after: number; rssMb: number; heapMb: number }[];
};
await sandbox.close();
front.close();

// ---- finds and batches against a sandbox that answers after 50 ms ----
console.error('finds and batches at 50 ms upstream latency…');
const LATENCY = 50;
const many = (x: string, n: number, from: number) =>
  Array.from({ length: n }, (_, i) => ({
    PoolKey: POOL,
    SubsId: String(from + i),
    PhoneNoX: x,
    PhoneNoA: '15000000090',
    GmtCreate: '2026-01-01 00:00:00',
    Status: 1,
  }));
const slowData: SandboxData = {
  pools: [POOL],
  bindings: [...many('17000000090', 20, 3000000000000000), ...many('17000000091', 100, 3100000000000000)],
  faults: [],
};
const slow = await startDyplsSandbox({ data: slowData, latencyMs: LATENCY });
const slowCreds = () => {
  const c = slow.issueStsCredentials();
  return { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken ?? '' };
};
const slowEnv = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '', DYPLS_ENDPOINT: slow.url, LOG_LEVEL: 'warn', ...extra });
const FIND_CONCURRENCY = 4;
const BATCH_CONCURRENCY = 8;
const findRun = (await runWorker(
  { mode: 'find', variant: 'handler', iterations: 5, payload: { poolKey: POOL, phoneNoX: '17000000090' }, credentials: slowCreds() },
  // The concurrency alone, as for the first batch row: at the default FIND_MAX_RPS of 50 the 21 requests take 420 ms.
  slowEnv({ FIND_MAX_RPS: '0' }),
)) as { ms: number[]; last: { ok: boolean; data: { bindings: unknown[] } } };
if (!findRun.last.ok || findRun.last.data.bindings.length !== 20) throw new Error('the find did not answer its 20 bindings');
const queries = slowData.bindings.filter((b) => b.PhoneNoX === '17000000091').map((b) => ({ poolKey: POOL, subsId: b.SubsId, phoneNoX: b.PhoneNoX }));
const batchRun = (await runWorker(
  { mode: 'batch', variant: 'handler', iterations: 5, payload: { queries }, credentials: slowCreds() },
  slowEnv({ BATCH_MAX_RPS: '0' }),
)) as { ms: number[]; peakRssMb: number; last: { ok: boolean; data: { counts: { ok: number } } } };
if (!batchRun.last.ok || batchRun.last.data.counts.ok !== 100) throw new Error('the batch did not answer its 100 items');
const pacedRun = (await runWorker({ mode: 'batch', variant: 'handler', iterations: 1, payload: { queries }, credentials: slowCreds() }, slowEnv())) as {
  ms: number[];
};
const sequential = (await runWorker({ mode: 'sequential', variant: 'handler', payload: queries, credentials: slowCreds() }, slowEnv())) as { ms: number };
await slow.close();
const findIdeal = (1 + Math.ceil(20 / FIND_CONCURRENCY)) * LATENCY;
const batchIdeal = Math.ceil(100 / BATCH_CONCURRENCY) * LATENCY;
const findMs = stats(findRun.ms).median;
const batchMs = stats(batchRun.ms).median;

// ---- report ----
const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
const targets = {
  bundleWithinBudget: bundleFigures.rawBytes <= 150 * 1024,
  coldWithin115OfMinimalPop: (['http', 'https'] as const).every((p) => above(p, 'handler') <= 1.15 * above(p, 'pop')),
  coldAtMost60PercentOfSeed: (['http', 'https'] as const).every((p) => above(p, 'handler') <= 0.6 * above(p, 'seed')),
  warmCpuWithin110OfMinimalPop: cpuMedian.handler <= 1.1 * cpuMedian.pop,
  warmP99Within150OfRaw: warmStats.handler.p99 <= 1.5 * warmStats.raw.p99,
  rssFlatWithin5Percent: Math.abs((memory.at(-1)?.rssMb ?? 0) - (memory[0]?.rssMb ?? 0)) <= 0.05 * (memory[0]?.rssMb ?? 1),
  batchWithin130OfIdeal: batchMs <= 1.3 * batchIdeal,
  batchPeakRssUnder128MB: batchRun.peakRssMb < 128,
};
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
const command = `npm run bench${QUICK ? ' -- --quick' : ''}`;
const yes = (b: boolean) => (b ? 'met' : '**missed**');
const spread = (s: ReturnType<typeof stats>) => `${f1(s.median)} ms (p10 ${f1(s.p10)}, p90 ${f1(s.p90)})`;
const med = (xs: number[]) => stats(xs).median;
const coldRows = VARIANTS.map(
  (v) =>
    `| ${LABEL[v]} | ${(['http', 'https'] as const).map((p) => `${f1(above(p, v))} ms (${spread(stats(cold[p][v]))})`).join(' | ')} | ${(['http', 'https'] as const).map((p) => `${f2(ratio(above(p, 'handler'), above(p, v)))}×`).join(' / ')} |`,
);
const table = [
  `Machine: ${machine}. Command: \`${command}\`. ${new Date().toISOString().slice(0, 10)}. Every measured process started with PATH and the function's variables only: NODE_EXTRA_CA_CERTS unset over http, set to the run's one certificate over https (the floor too).${inflatedFloor.length > 0 ? ` This machine's environment sets NODE_EXTRA_CA_CERTS to a CA bundle: an empty process with it took ${f1(med(inflatedFloor))} ms against ${f1(coldMedian('http', 'floor'))} ms without.` : ''}`,
  '',
  `Bundle: ${f1(bundleFigures.rawBytes / 1024)} KB minified, ${f1(bundleFigures.zipBytes / 1024)} KB zipped, ${bundleFigures.modules} modules (the budget of 150 KB: ${yes(targets.bundleWithinBudget)}; what pop-core, zod and this function cost, with no stand-ins).`,
  '',
  `Cold start, ${COLD_RUNS} runs each, alternating: milliseconds above the empty process (http floor ${f1(coldMedian('http', 'floor'))} ms, https floor ${f1(coldMedian('https', 'floor'))} ms), with the whole process's median (p10, p90), and this function's figure as a ratio of each.`,
  '',
  '| Variant | above the floor, http | above the floor, https | this function ÷ it (http / https) |',
  '|---|---|---|---|',
  ...coldRows,
  '',
  `Targets: ≤ 1.15× minimal through pop-core: ${yes(targets.coldWithin115OfMinimalPop)}; ≤ 0.6× seed style: ${yes(targets.coldAtMost60PercentOfSeed)}.`,
  '',
  `Where this function's cold start goes (medians, inside the process; http / https): Node's own start to the first line of the cold script ${f1(med(phases.http.boot))} / ${f1(med(phases.https.boot))} ms (the floor's share), loading the bundle ${f1(med(phases.http.load))} / ${f1(med(phases.https.load))} ms, the first answer (first connection${' '}and TLS handshake, signature, parse, log line) ${f1(med(phases.http.firstCall))} / ${f1(med(phases.https.firstCall))} ms; the rest is process exit.`,
  '',
  `Warm, http, ${warmStats.handler.n} sequential calls of each (after 200 warm-up), CPU of the whole process per call; throughput at concurrency 8:`,
  '',
  '| Variant | p50 | p99 | CPU per call | throughput |',
  '|---|---|---|---|---|',
  ...VARIANTS.map((v) => `| ${LABEL[v]} | ${f2(warmStats[v].median)} ms | ${f2(warmStats[v].p99)} ms | ${Math.round(cpuMedian[v])} µs | ${throughput[v]} /s |`),
  '',
  `Targets: CPU per call ≤ 1.1× minimal through pop-core (${f2(ratio(cpuMedian.handler, cpuMedian.pop))}×): ${yes(targets.warmCpuWithin110OfMinimalPop)}; p99 ≤ 1.5× minimal raw (${f2(ratio(warmStats.handler.p99, warmStats.raw.p99))}×): ${yes(targets.warmP99Within150OfRaw)}.`,
  '',
  `Memory (RSS / heap after gc): ${memory.map((m) => `${m.after.toLocaleString('en')} calls ${f1(m.rssMb)} / ${f1(m.heapMb)} MB`).join('; ')}: RSS flat within 5%: ${yes(targets.rssFlatWithin5Percent)}.`,
  '',
  `Finds and batches, against a sandbox that answers every call after ${LATENCY} ms (medians of 5):`,
  '',
  '| Measure | Wall time | Ideal | Ratio |',
  '|---|---|---|---|',
  `| find of 20 bindings, FIND_CONCURRENCY ${FIND_CONCURRENCY}, FIND_MAX_RPS 0 | ${f1(findMs)} ms | ${findIdeal} ms: QuerySubsId, then ⌈20 / ${FIND_CONCURRENCY}⌉ rounds of details, ${LATENCY} ms each | ${f2(ratio(findMs, findIdeal))}× |`,
  `| batch of 100, BATCH_CONCURRENCY ${BATCH_CONCURRENCY}, BATCH_MAX_RPS 0 | ${f1(batchMs)} ms | ${batchIdeal} ms: ⌈100 / ${BATCH_CONCURRENCY}⌉ × ${LATENCY} ms | ${f2(ratio(batchMs, batchIdeal))}× (target ≤ 1.3×: ${yes(targets.batchWithin130OfIdeal)}) |`,
  `| batch of 100 at the default BATCH_MAX_RPS 50 | ${f1(stats(pacedRun.ms).median)} ms | 1980 ms: 100 starts at 50/s | ${f2(ratio(stats(pacedRun.ms).median, 1980))}× |`,
  `| the same 100 lookups as 100 sequential single invocations | ${f1(sequential.ms)} ms | ${100 * LATENCY} ms | ${f2(ratio(sequential.ms, 100 * LATENCY))}× |`,
  '',
  `Peak RSS of the process running 100-item batches: ${f1(batchRun.peakRssMb)} MB (target < 128 MB: ${yes(targets.batchPeakRssUnder128MB)}).`,
].join('\n');
console.log(table);

const results = {
  date: new Date().toISOString(),
  machine,
  command,
  bundle: bundleFigures,
  coldStartMs: Object.fromEntries(
    (['http', 'https'] as const).map((p) => [p, Object.fromEntries((['floor', ...VARIANTS] as Key[]).map((k) => [k, stats(cold[p][k])]))]),
  ),
  coldPhasesMs: Object.fromEntries(
    (['http', 'https'] as const).map((p) => [p, { boot: med(phases[p].boot), load: med(phases[p].load), firstCall: med(phases[p].firstCall) }]),
  ),
  inflatedFloorMs: inflatedFloor.length > 0 ? med(inflatedFloor) : null,
  warmLatencyMs: warmStats,
  cpuMicrosPerCall: cpuMedian,
  throughputPerSecond: throughput,
  memory,
  find: { ms: findMs, idealMs: findIdeal },
  batch: { ms: batchMs, idealMs: batchIdeal, pacedMs: stats(pacedRun.ms).median, sequentialMs: sequential.ms, peakRssMb: batchRun.peakRssMb },
  targets,
};
writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
const doc = readFileSync('BENCHMARKS.md', 'utf8');
writeFileSync('BENCHMARKS.md', doc.replace(/<!-- bench:begin -->[\s\S]*<!-- bench:end -->/, `<!-- bench:begin -->\n${table}\n<!-- bench:end -->`));
console.error('\nwrote bench/results.json and BENCHMARKS.md');
