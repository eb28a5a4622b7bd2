// `npm run soak`: a bounded load on loopback against `npm start`'s stack (local FC gateway → bundle), run in a
// child process pointed with --upstream at the Dyplsapi sandbox, which runs here so that the child's memory is
// the function's own. A share of injected upstream faults, hostile answers included. Prints what was sent,
// answered, well-formed, by status, p50/p99 latency, lost (must be 0) and the child's peak RSS, and writes the
// figures into RELIABILITY.md.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import type { z } from 'zod/mini';
import { startDyplsSandbox } from '../lib/dev/dyplsapi-sandbox';
import { batchEnvelopeSchema, envelopeSchema, findEnvelopeSchema } from '../lib/shared/answers';

const { values } = parseArgs({ options: { requests: { type: 'string' }, concurrency: { type: 'string' }, 'no-write': { type: 'boolean' } } });
const TOTAL = Number(values.requests ?? 20_000);
const CONCURRENCY = Number(values.concurrency ?? 50);
const CLIENT_TIMEOUT_MS = 15_000;
const FUNCTION_ENV = { DYPLS_TIMEOUT_MS: '500', DYPLS_MAX_ATTEMPTS: '3', LOG_LEVEL: 'error' };

const POOL = 'FC100000012345678';
/** The traffic mix: mostly real lookups, with a share of every kind of trouble. */
const MIX: { name: string; weight: number; path: () => string; init?: RequestInit; schema?: z.ZodMiniType<{ ok: boolean }> }[] = [
  { name: 'found (GET)', weight: 60, path: () => `/?poolKey=${POOL}&subsId=1000000768798832&phoneNoX=17000000000` },
  {
    name: 'found (POST)',
    weight: 10,
    path: () => '/',
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ poolKey: POOL, subsId: '1000000768798833', phoneNoX: '17000000001' }),
    },
  },
  { name: 'find (X and A)', weight: 4, path: () => `/?poolKey=${POOL}&phoneNoX=17000000010&phoneNoA=15000000010`, schema: findEnvelopeSchema },
  { name: 'find (failing detail)', weight: 1, path: () => `/?poolKey=${POOL}&phoneNoX=17000000012`, schema: findEnvelopeSchema },
  {
    name: 'batch of 10',
    weight: 2,
    schema: batchEnvelopeSchema,
    path: () => '/',
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        queries: Array.from({ length: 10 }, (_, i) => ({
          poolKey: POOL,
          // Found, not found and a retried 503 side by side: every item answers on its own.
          subsId: ['1000000768798832', '4000000000000000', '9990000000000011'][i % 3],
          phoneNoX: '17000000000',
        })),
      }),
    },
  },
  { name: 'not found', weight: 8, path: () => `/?poolKey=${POOL}&subsId=4000000000000000&phoneNoX=17000000000` },
  { name: 'invalid', weight: 5, path: () => `/?poolKey=${POOL}&subsId=12ab&phoneNoX=1` },
  { name: 'delay > timeout', weight: 3, path: () => `/?poolKey=${POOL}&subsId=9990000000000001&phoneNoX=17000000000` },
  { name: 'connection reset', weight: 3, path: () => `/?poolKey=${POOL}&subsId=9990000000000002&phoneNoX=17000000000` },
  { name: '503 ServiceUnavailable', weight: 3, path: () => `/?poolKey=${POOL}&subsId=9990000000000011&phoneNoX=17000000000` },
  { name: 'throttled', weight: 3, path: () => `/?poolKey=${POOL}&subsId=9991000000000015&phoneNoX=17000000000` },
  { name: 'HTML 502', weight: 3, path: () => `/?poolKey=${POOL}&subsId=9990000000000003&phoneNoX=17000000000` },
  { name: 'wrong method', weight: 2, path: () => `/?poolKey=${POOL}`, init: { method: 'DELETE' } },
  // A hostile upstream (lib/dev/hostile-answers.ts): each must end in a bounded 5xx with the memory bounded.
  { name: 'endless body', weight: 1, path: () => `/?poolKey=${POOL}&subsId=9993000000000001&phoneNoX=17000000000` },
  { name: 'gzip bomb', weight: 1, path: () => `/?poolKey=${POOL}&subsId=9993000000000002&phoneNoX=17000000000` },
  { name: '50 MB body', weight: 1, path: () => `/?poolKey=${POOL}&subsId=9993000000000003&phoneNoX=17000000000` },
  { name: 'drip', weight: 1, path: () => `/?poolKey=${POOL}&subsId=9993000000000005&phoneNoX=17000000000` },
  { name: 'nested body', weight: 1, path: () => `/?poolKey=${POOL}&subsId=9993000000000006&phoneNoX=17000000000` },
  { name: 'non-string Code', weight: 1, path: () => `/?poolKey=${POOL}&subsId=9993000000000008&phoneNoX=17000000000` },
];
const WEIGHT = MIX.reduce((s, m) => s + m.weight, 0);

function pick(i: number) {
  // Deterministic spread: the same mix in the same order every run.
  let x = (i * 7919) % WEIGHT;
  for (const m of MIX) {
    if (x < m.weight) return m;
    x -= m.weight;
  }
  return MIX[0] as (typeof MIX)[number];
}

/** A long-term key the sandbox knows, handed to the server as a developer's own (the --upstream path). */
const SOAK_KEY = { id: 'soak-access-key-id', secret: 'soak-access-key-secret' };
const sandbox = await startDyplsSandbox();
sandbox.addAccessKey(SOAK_KEY.id, SOAK_KEY.secret);

/** Peak resident memory of a process so far (Linux: VmHWM), in MB. */
function peakRssMb(pid: number | undefined): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function startServer(): Promise<{ url: string; pid: number | undefined; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['scripts/run-ts.mjs', 'scripts/start.ts', '--port', '0', '--upstream', sandbox.url], {
    env: { ...process.env, ...FUNCTION_ENV, ALIBABA_CLOUD_ACCESS_KEY_ID: SOAK_KEY.id, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SOAK_KEY.secret },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the local server did not start')), 20_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', () => reject(new Error(`the local server exited:\n${out}`)));
  });
  child.stdout.resume();
  return {
    url,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        child.on('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const server = await startServer();
const statuses = new Map<string, number>();
const latencies: number[] = [];
let sent = 0;
let answered = 0;
let wellFormed = 0;
let lost = 0;
const malformedSamples: string[] = [];

async function one(i: number): Promise<void> {
  const m = pick(i);
  const started = performance.now();
  sent++;
  try {
    const res = await fetch(server.url + m.path(), { ...m.init, signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
    const text = await res.text();
    latencies.push(performance.now() - started);
    answered++;
    statuses.set(String(res.status), (statuses.get(String(res.status)) ?? 0) + 1);
    let ok = res.headers.get('content-type') === 'application/json; charset=utf-8' && res.status < 600;
    if (ok) {
      const parsed = (m.schema ?? envelopeSchema).safeParse(JSON.parse(text));
      ok = parsed.success && parsed.data.ok === (res.status === 200) && (res.status !== 429 || res.headers.get('retry-after') === '1');
    }
    if (ok) wellFormed++;
    else if (malformedSamples.length < 5) malformedSamples.push(`${m.name}: ${res.status} ${text.slice(0, 200)}`);
  } catch (err) {
    lost++;
    if (malformedSamples.length < 5) malformedSamples.push(`${m.name}: lost (${(err as Error).name})`);
  }
}

const wallStart = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < TOTAL) await one(next++);
  }),
);
const wallMs = performance.now() - wallStart;
const peakMb = peakRssMb(server.pid);
await server.stop();
await sandbox.close();

latencies.sort((a, b) => a - b);
const malformed = answered - wellFormed;
const byStatus = [...statuses].sort(([a], [b]) => Number(a) - Number(b));
const command = `npm run soak${values.requests ? ` -- --requests ${TOTAL}` : ''}${values.concurrency ? ` --concurrency ${CONCURRENCY}` : ''}`;
const report = [
  `Command: \`${command}\` on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
  `Function settings: ${Object.entries(FUNCTION_ENV)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}; concurrency ${CONCURRENCY}.`,
  '',
  '| Figure | Value |',
  '|---|---|',
  `| requests sent | ${sent} |`,
  `| answered | ${answered} |`,
  `| well-formed (JSON envelope valid for its status) | ${wellFormed} |`,
  `| malformed | ${malformed} |`,
  `| lost (no answer within ${CLIENT_TIMEOUT_MS / 1000} s or connection error) | ${lost} |`,
  `| by status | ${byStatus.map(([s, n]) => `${s}: ${n}`).join(', ')} |`,
  `| latency p50 / p99 / max | ${percentile(latencies, 50).toFixed(1)} ms / ${percentile(latencies, 99).toFixed(1)} ms / ${(latencies.at(-1) ?? 0).toFixed(1)} ms |`,
  `| wall time | ${(wallMs / 1000).toFixed(1)} s (${Math.round((sent / wallMs) * 1000)} req/s) |`,
  `| peak RSS of the function's process (local FC gateway and bundle; the sandbox runs elsewhere) | ${peakMb === undefined ? 'n/a (no /proc)' : `${peakMb.toFixed(0)} MB`} |`,
  '',
  `Mix: ${MIX.map((m) => `${m.name} ${Math.round((m.weight / WEIGHT) * 100)}%`).join(', ')}.`,
].join('\n');
console.log(report);
if (malformedSamples.length > 0) console.log(`\nsamples:\n  ${malformedSamples.join('\n  ')}`);

if (!values['no-write']) {
  const file = 'RELIABILITY.md';
  const doc = readFileSync(file, 'utf8');
  const updated = doc.replace(/<!-- soak:begin -->[\s\S]*<!-- soak:end -->/, `<!-- soak:begin -->\n${report}\n<!-- soak:end -->`);
  writeFileSync(file, updated);
  console.log(`\nwrote the figures into ${file}`);
}
process.exit(lost === 0 && malformed === 0 ? 0 : 1);
