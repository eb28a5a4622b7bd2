// One measurement in a fresh process (started by bench/run.ts): it loads one variant, runs it against the
// endpoint it is given, and reports figures over IPC. Its stdout is discarded, so log lines cost what they
// cost on FC without flooding the terminal.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

import { httpEvent, type Variant, VARIANT_FILES } from './variants';

const require = createRequire(resolve('package.json'));

interface Job {
  mode: 'warm' | 'throughput' | 'memory' | 'check' | 'find' | 'batch' | 'sequential';
  variant: Variant;
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken: string };
  iterations: number;
  concurrency?: number;
  checkpoints?: number[];
  /** check: the lookups whose data every variant must answer alike. */
  lookups?: { poolKey: string; subsId: string; phoneNoX: string }[];
  /** find/batch/sequential: the payloads. */
  payload?: unknown;
}

type Handler = (e: Buffer, c: object) => Promise<unknown>;
const DEMO = { poolKey: 'FC100000012345678', subsId: '1000000768798832', phoneNoX: '17000000000' };

function load(variant: Variant): Handler {
  return (require(resolve(VARIANT_FILES[variant])) as { handler: Handler }).handler;
}

function statusOf(r: unknown): number {
  return typeof r === 'object' && r !== null && 'statusCode' in r ? (r as { statusCode: number }).statusCode : (r as { ok: boolean }).ok ? 200 : 0;
}

async function main(job: Job): Promise<Record<string, unknown>> {
  const context = { requestId: '1-bench', credentials: job.credentials, function: { name: 'bench', timeout: 30 } };
  const handler = load(job.variant);
  const event = httpEvent(DEMO);
  const call = async () => {
    const r = await handler(event, context);
    if (statusOf(r) !== 200) throw new Error(`${job.variant} answered ${statusOf(r)}`);
  };
  if (job.mode === 'check') {
    const out: string[] = [];
    for (const q of job.lookups ?? []) {
      const r = (await handler(httpEvent(q), context)) as { body: string };
      out.push(JSON.stringify((JSON.parse(r.body) as { data: unknown }).data));
    }
    return { data: out };
  }
  if (job.mode === 'find' || job.mode === 'batch') {
    const ms: number[] = [];
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const bytes = Buffer.from(JSON.stringify(job.payload));
    let last: unknown;
    for (let i = 0; i < job.iterations; i++) {
      const t = performance.now();
      last = await handler(bytes, context);
      ms.push(performance.now() - t);
    }
    clearInterval(sampler);
    return { ms, peakRssMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20, last };
  }
  if (job.mode === 'sequential') {
    const payloads = job.payload as unknown[];
    const t = performance.now();
    for (const p of payloads) await handler(Buffer.from(JSON.stringify(p)), context);
    return { ms: performance.now() - t };
  }
  for (let i = 0; i < 200; i++) await call(); // warm-up: JIT, connection pool
  if (job.mode === 'warm') {
    const samples: number[] = [];
    const cpu = process.cpuUsage();
    for (let i = 0; i < job.iterations; i++) {
      const t = performance.now();
      await call();
      samples.push(performance.now() - t);
    }
    const used = process.cpuUsage(cpu);
    return { samples, cpuMicrosPerCall: (used.user + used.system) / job.iterations };
  }
  if (job.mode === 'throughput') {
    let next = 0;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: job.concurrency ?? 1 }, async () => {
        while (next++ < job.iterations) await call();
      }),
    );
    return { perSecond: (job.iterations / (performance.now() - t)) * 1000 };
  }
  const memory: { after: number; rssMb: number; heapMb: number; externalMb: number }[] = [];
  let done = 0;
  for (const target of job.checkpoints ?? []) {
    for (; done < target; done++) await call();
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    memory.push({ after: target, rssMb: m.rss / 2 ** 20, heapMb: m.heapUsed / 2 ** 20, externalMb: (m.external + m.arrayBuffers) / 2 ** 20 });
  }
  return { memory };
}

process.once('message', (job: Job) => {
  main(job).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (err: unknown) => process.send?.({ error: String(err) }, () => process.exit(1)),
  );
});
