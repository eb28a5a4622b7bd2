// `npm run bench:caller`: the caller's two ways of signing FC 3.0 invocations, side by side: the official SDK
// (@alicloud/fc20230330) and the caller library's own ACS3 signer. Bundle size, cold start (a fresh process
// that loads its bundle and makes one invocation) and warm latency, against the local FC invoke API on loopback
// (which verifies ACS3). Prints a table for BENCHMARKS.md.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { startFcInvokeApi } from '../../lib/dev/fc-invoke-api';

const RUNS = 15;
const WARM = 500;
const VARIANTS = ['official', 'own'] as const;

mkdirSync('bench/.build', { recursive: true }); // absent in a fresh clone (git-ignored)
for (const v of VARIANTS) {
  writeFileSync(
    `bench/.build/caller-${v}-entry.ts`,
    `import { makeInvoke } from '../caller/${v}';
const [endpoint, accessKeyId, accessKeySecret, securityToken, mode] = process.argv.slice(2) as string[];
const invoke = makeInvoke(endpoint, { accessKeyId, accessKeySecret, securityToken });
(async () => {
  if (mode === 'cold') { await invoke(); process.exit(0); }
  for (let i = 0; i < 30; i++) await invoke();
  const samples: number[] = [];
  for (let i = 0; i < ${WARM}; i++) { const t = performance.now(); await invoke(); samples.push(performance.now() - t); }
  process.stdout.write(JSON.stringify(samples));
  process.exit(0);
})();
`,
  );
  await build({
    entryPoints: [`bench/.build/caller-${v}-entry.ts`],
    outfile: `bench/.build/caller-${v}.js`,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
    // No aliases: a consumer bundles the package with plain esbuild (the optional fc2 peer is loaded only for
    // FC 2.0 targets, by a name esbuild does not follow).
  });
}

const api = await startFcInvokeApi();
api.register('bench-target', { handler: async () => ({ ok: true, requestId: null, data: {} }), credentials: () => ({}) });
const env = { PATH: process.env.PATH ?? '' };

function child(v: string, mode: 'cold' | 'warm'): Promise<{ ms: number; out: string }> {
  const c = api.issueStsCredentials();
  return new Promise((done, fail) => {
    const t = process.hrtime.bigint();
    const p = spawn(process.execPath, [`bench/.build/caller-${v}.js`, api.url, c.accessKeyId, c.accessKeySecret, c.securityToken, mode], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => (code === 0 ? done({ ms: Number(process.hrtime.bigint() - t) / 1e6, out }) : fail(new Error(`${v} exited ${code}`))));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)] ?? 0;
const cold: Record<string, number[]> = { floor: [], official: [], own: [] };
for (let i = 0; i < RUNS; i++) {
  cold.floor?.push(
    await new Promise<number>((done) => {
      const t = process.hrtime.bigint();
      spawn(process.execPath, ['-e', ''], { env }).on('exit', () => done(Number(process.hrtime.bigint() - t) / 1e6));
    }),
  );
  for (const v of VARIANTS) cold[v]?.push((await child(v, 'cold')).ms);
}
const warm: Record<string, number[]> = {};
for (const v of VARIANTS) warm[v] = JSON.parse((await child(v, 'warm')).out) as number[];
await api.close();

const floor = median(cold.floor ?? []);
const rows = VARIANTS.map((v) => {
  const code = readFileSync(`bench/.build/caller-${v}.js`);
  return `| ${v === 'official' ? '`@alicloud/fc20230330` (official SDK)' : 'own ACS3 signer (shipped)'} | ${(code.length / 1024).toFixed(1)} KB (${(gzipSync(code).length / 1024).toFixed(1)} KB gzip) | ${(median(cold[v] ?? []) - floor).toFixed(1)} ms | ${median(warm[v] ?? []).toFixed(3)} ms / ${p99(warm[v] ?? []).toFixed(3)} ms |`;
});
console.log(
  [
    `Command: \`npm run bench:caller\` on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; medians of ${RUNS} cold starts (empty process ${floor.toFixed(1)} ms, subtracted) and of ${WARM} warm calls, environment emptied but PATH.`,
    '',
    '| Caller signing | Bundle (minified) | Cold start above an empty process | Warm p50 / p99 |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n'),
);
