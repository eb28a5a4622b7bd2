// One measurement in a fresh process (started by bench/run.ts): it loads one variant, runs it against the
// sandbox whose URL and credentials it is given, and reports figures over IPC. Its stdout is discarded, so the
// handler's log lines cost what they cost on FC without flooding the terminal.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { signedForm, popTimestamp } from '../lib/dev/pop-signature';

interface Job {
  mode: 'warm' | 'throughput' | 'memory';
  variant: 'handler' | 'bare' | 'inline' | 'seed';
  endpoint: string;
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken: string };
  iterations: number;
  concurrency?: number;
  checkpoints?: number[];
}

const require = createRequire(resolve('package.json'));
const QUERY = { poolKey: 'FC100000012345678', subsId: '1000000768798832', phoneNoX: '17000000000' };
const EVENT = Buffer.from(
  JSON.stringify({
    version: 'v1',
    rawPath: '/',
    body: '',
    isBase64Encoded: false,
    headers: { 'User-Agent': 'bench' },
    queryParameters: QUERY,
    requestContext: {
      accountId: '1234567890123456',
      domainName: 'bench.local',
      domainPrefix: 'bench',
      http: { method: 'GET', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: '1-00000000-00000000-000000000000',
      time: '2026-01-01T00:00:00Z',
      timeEpoch: '1767225600000',
    },
  }),
);

type Call = () => Promise<unknown>;

function variantCall(job: Job): Call {
  const context = { requestId: '1-bench', credentials: job.credentials, function: { name: 'bench', timeout: 10 } };
  if (job.variant === 'handler') {
    process.env.DYPLS_ENDPOINT = job.endpoint;
    const { handler } = require(resolve('dist/query-subscription-detail/index.js')) as { handler: (e: Buffer, c: object) => Promise<{ statusCode: number }> };
    return async () => {
      const r = await handler(EVENT, context);
      if (r.statusCode !== 200) throw new Error(`handler answered ${r.statusCode}`);
    };
  }
  if (job.variant === 'seed') {
    process.env.DYPLS_ENDPOINT = job.endpoint;
    const { handler } = require(resolve('bench/seed-style/index.js')) as { handler: (e: Buffer, c: object) => Promise<{ statusCode: number }> };
    return async () => {
      const r = await handler(EVENT, context);
      if (r.statusCode !== 200) throw new Error(`seed answered ${r.statusCode}`);
    };
  }
  if (job.variant === 'bare') {
    // What the mandated client costs by itself: one RPCClient, reused, POST, nothing else.
    const RPCClient = require('@alicloud/pop-core/lib/rpc.js') as new (c: object) => { request(a: string, p: object, o: object): Promise<unknown> };
    const client = new RPCClient({ endpoint: job.endpoint, apiVersion: '2017-05-25', ...job.credentials });
    return () => client.request('QuerySubscriptionDetail', { PoolKey: QUERY.poolKey, SubsId: QUERY.subsId, PhoneNoX: QUERY.phoneNoX }, { method: 'POST' });
  }
  // The floor: the same request signed by a minimal inline HMAC-SHA1 signer, over one keep-alive agent.
  const agent = new http.Agent({ keepAlive: true });
  const url = new URL(`${job.endpoint}/`);
  return () =>
    new Promise((done, fail) => {
      const body = signedForm('POST', { PoolKey: QUERY.poolKey, SubsId: QUERY.subsId, PhoneNoX: QUERY.phoneNoX }, job.credentials, {
        action: 'QuerySubscriptionDetail',
        version: '2017-05-25',
        timestamp: popTimestamp(new Date()),
        nonce: randomUUID(),
      });
      const req = http.request(
        url,
        { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const parsed = JSON.parse(Buffer.concat(chunks).toString()) as { Code?: string };
            if (parsed.Code === 'OK') done(parsed);
            else fail(new Error(`inline answered ${parsed.Code}`));
          });
        },
      );
      req.on('error', fail);
      req.end(body);
    });
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function main(job: Job): Promise<Record<string, unknown>> {
  const call = variantCall(job);
  for (let i = 0; i < 50; i++) await call(); // warm-up: JIT, connection pool
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
  const checkpoints = job.checkpoints ?? [];
  const memory: { after: number; rssMb: number; heapMb: number }[] = [];
  let done = 0;
  for (const target of checkpoints) {
    for (; done < target; done++) await call();
    gc();
    const m = process.memoryUsage();
    memory.push({ after: target, rssMb: m.rss / 2 ** 20, heapMb: m.heapUsed / 2 ** 20 });
  }
  return { memory };
}

process.once('message', (job: Job) => {
  main(job).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (err: unknown) => process.send?.({ error: String(err) }, () => process.exit(1)),
  );
});
