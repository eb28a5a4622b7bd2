/**
 * A hostile upstream against the deployable bundle, run in its own process as FC runs it: never-ending, bombed,
 * huge, dripping and nested bodies, codes and RequestIds that are not what they claim, messages that quote
 * phone numbers and credentials, and a connect that never completes. Each answer is checked for its status,
 * for the time it took against the configured limits (real time, since the limits are the point), for the
 * process's RSS during and after, and for the upstream socket being closed.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DyplsSandbox, startDyplsSandbox } from '../../lib/dev/dyplsapi-sandbox';
import { DEMO, fcContext, httpEvent } from '../support/fc';
import { rememberSecrets } from '../support/harness';

const TIMEOUT_MS = 1000;
const RSS_LIMIT_MB = 200;

interface Reply {
  result: { statusCode: number; headers: Record<string, string>; body: string };
  ms: number;
  peakRssMb: number;
  rssMb: number;
  logs: string[];
}

/** A child that loads the bundle once and answers one invocation per message, reporting time and peak RSS. */
const CHILD = `
const { handler } = require(${JSON.stringify(resolve('dist/query-subscription-detail/index.js'))});
const logs = [];
process.stdout.write = (chunk) => { logs.push(String(chunk)); return true; };
process.on('message', async ({ event, context }) => {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
  const started = performance.now();
  const result = await handler(Buffer.from(event, 'base64'), context);
  const ms = performance.now() - started;
  peak = Math.max(peak, process.memoryUsage().rss);
  // After the answer: whatever the attempt left behind would keep growing here.
  await new Promise((r) => setTimeout(r, 300));
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(sampler);
  process.send({ result, ms, peakRssMb: peak / 1048576, rssMb: process.memoryUsage().rss / 1048576, logs: logs.splice(0) });
});
`;

class BundleProcess {
  private readonly child: ChildProcess;
  constructor(env: Record<string, string>) {
    const file = join(tmpdir(), `dypls-hostile-child-${process.pid}.cjs`);
    writeFileSync(file, CHILD);
    // eslint-disable-next-line no-restricted-properties -- the child needs PATH only, and the function's own variables
    this.child = fork(file, [], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  }
  invoke(subsId: string, functionTimeoutS = 10): Promise<Reply> {
    const context = fcContext(rememberSecrets(sandbox.issueStsCredentials()), { function: { name: 'query-subscription-detail', timeout: functionTimeoutS } });
    return new Promise((done) => {
      this.child.once('message', (m) => done(m as Reply));
      this.child.send({ event: httpEvent({ query: { ...DEMO, subsId } }).toString('base64'), context });
    });
  }
  stop(): void {
    this.child.kill();
  }
}

let sandbox: DyplsSandbox;
let bundle: BundleProcess;
beforeAll(async () => {
  sandbox = await startDyplsSandbox();
  bundle = new BundleProcess({ DYPLS_ENDPOINT: sandbox.url, DYPLS_TIMEOUT_MS: String(TIMEOUT_MS), DYPLS_MAX_ATTEMPTS: '1' });
});
afterAll(async () => {
  bundle.stop();
  await sandbox.close();
});

function envelope(r: Reply): { ok: boolean; requestId: string | null; error?: { code: string; upstreamMessage?: string } } {
  return JSON.parse(r.result.body) as never;
}

/** Waits until the sandbox holds no open connection (the client destroyed the socket of the hostile answer). */
async function socketsClosed(): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    if (sandbox.openConnections() === 0) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

describe('a hostile upstream, against the bundle in its own process', () => {
  it.each([
    { name: 'a body that never ends', subsId: '9993000000000001' },
    { name: 'a gzip bomb', subsId: '9993000000000002' },
    { name: 'a 50 MB body', subsId: '9993000000000003' },
    { name: 'a 50 MB array', subsId: '9993000000000004' },
  ])('answers $name with 502 UpstreamBadResponse in time, under the RSS limit, with the socket closed', async ({ subsId }) => {
    // Act
    const reply = await bundle.invoke(subsId);
    // Assess
    expect(reply.result.statusCode).toBe(502);
    expect(envelope(reply)).toMatchObject({ ok: false, error: { code: 'UpstreamBadResponse' } });
    expect(reply.ms).toBeLessThan(TIMEOUT_MS + 250);
    expect(reply.peakRssMb).toBeLessThan(RSS_LIMIT_MB);
    expect(await socketsClosed()).toBe(true);
  });

  it('answers a drip with 504 once the per-attempt timeout (connect + read) has run out, and closes the socket', async () => {
    const reply = await bundle.invoke('9993000000000005');
    expect(reply.result.statusCode).toBe(504);
    expect(reply.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(reply.ms).toBeLessThan(TIMEOUT_MS + 250);
    expect(await socketsClosed()).toBe(true);
  });

  it('answers a body nested 20,000 deep with 502, not as its own failure', async () => {
    const reply = await bundle.invoke('9993000000000006');
    expect([reply.result.statusCode, envelope(reply).error?.code]).toEqual([502, 'UpstreamBadResponse']);
  });

  it('answers an answer that gives Code twice (not found, then OK) with 502, never a 200', async () => {
    const reply = await bundle.invoke('9993000000000018');
    expect([reply.result.statusCode, envelope(reply).error?.code]).toEqual([502, 'UpstreamBadResponse']);
  });

  it('does not take an HTTP 301 that says Code OK for a success', async () => {
    const reply = await bundle.invoke('9993000000000007');
    expect([reply.result.statusCode, envelope(reply).error?.code]).toEqual([502, 'UpstreamBadResponse']);
  });

  it.each([
    { name: 'a number', subsId: '9993000000000008' },
    { name: 'true', subsId: '9993000000000009' },
    { name: 'an array', subsId: '9993000000000010' },
    { name: 'a code quoting a phone number', subsId: '9993000000000011' },
    { name: 'a code of 90 characters', subsId: '9993000000000012' },
  ])('answers a Code that is $name with 502 UpstreamBadResponse and logs no trace of it', async ({ subsId }) => {
    const reply = await bundle.invoke(subsId);
    expect([reply.result.statusCode, envelope(reply).error?.code]).toEqual([502, 'UpstreamBadResponse']);
    const logged = reply.logs.join('');
    expect(logged).not.toMatch(/15000000000|PADDED|"cause"/);
    expect(reply.logs.every((l) => Buffer.byteLength(l) <= 4096)).toBe(true);
  });

  it.each([
    { name: 'eleven digits', subsId: '9993000000000013' },
    { name: 'a phone number with hyphens', subsId: '9993000000000014' },
  ])('passes on no RequestId that is $name', async ({ subsId }) => {
    const reply = await bundle.invoke(subsId);
    expect(envelope(reply)).toMatchObject({ ok: false, requestId: null, error: { code: 'isv.SUBS_NOT_EXIST' } });
    expect(reply.logs.join('')).not.toContain('15000000000');
  });

  it('masks phone numbers in every common notation in the upstream message', async () => {
    const reply = await bundle.invoke('9993000000000015');
    const message = envelope(reply).error?.upstreamMessage ?? '';
    expect(message).toContain('150****0000');
    expect(message).not.toMatch(/\d(?:[ .-]?\d){6,}/);
    expect(message).not.toMatch(/[０-９]/);
  });

  it('masks phone numbers in typographic notations (dashes, no-break and double spaces, / and _) and other scripts', async () => {
    const reply = await bundle.invoke('9993000000000019');
    const message = envelope(reply).error?.upstreamMessage ?? '';
    // Nine numbers, each masked; no run of seven digits is left, whatever separates them.
    expect(message.match(/\*\*\*\*/g)).toHaveLength(9);
    expect(message.replace(/[\s\u2010-\u2015\-/_.]/g, '')).not.toMatch(/\d{7}/);
    expect(message).not.toMatch(/[\u0e50-\u0e59]|\ud835/);
  });

  it('drops a message that quotes the credentials in another encoding or case', async () => {
    const reply = await bundle.invoke('9993000000000016');
    expect(envelope(reply)).toMatchObject({ ok: false, error: { code: 'isv.FORBIDDEN_ACTION' } });
    expect(envelope(reply).error?.upstreamMessage).toBeUndefined();
    expect(reply.result.body).not.toMatch(/STS|CAIS/i);
  });

  it('strips control and bidirectional characters from the upstream message', async () => {
    const reply = await bundle.invoke('9993000000000017');
    expect(envelope(reply).error?.upstreamMessage).toBe('line oneline two txt.exe');
  });

  it('stays under the RSS limit after every hostile answer', async () => {
    const reply = await bundle.invoke(DEMO.subsId);
    expect(reply.result.statusCode).toBe(200);
    expect(reply.rssMb).toBeLessThan(RSS_LIMIT_MB);
  });
});

describe('a connect that never completes (a full accept queue)', () => {
  let listener: ChildProcess;
  let port = 0;
  const fillers: Socket[] = [];
  beforeAll(async () => {
    // Node accepts every connection it can; a listener that never accepts, with a backlog of 0, makes the
    // kernel drop further SYNs, so a connect hangs exactly as against an unreachable host.
    listener = spawn('python3', [
      '-c',
      "import socket,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(120)",
    ]);
    port = await new Promise<number>((done) => listener.stdout?.once('data', (d: Buffer) => done(Number(d.toString().trim()))));
    for (let i = 0; i < 3; i++) fillers.push(connect(port, '127.0.0.1').on('error', () => {}));
    await new Promise((r) => setTimeout(r, 200));
  });
  afterAll(() => {
    for (const s of fillers) s.destroy();
    listener.kill();
  });

  it('answers within the function timeout less the answer margin', async () => {
    // Prepare: three attempts of 1 s each would take 3 s; a 2 s function leaves 1.5 s after its margin.
    const slow = new BundleProcess({ DYPLS_ENDPOINT: `http://127.0.0.1:${port}`, DYPLS_TIMEOUT_MS: String(TIMEOUT_MS), DYPLS_MAX_ATTEMPTS: '3' });
    try {
      // Act
      const reply = await slow.invoke(DEMO.subsId, 2);
      // Assess
      expect([502, 504]).toContain(reply.result.statusCode);
      expect(reply.ms).toBeLessThan(1500 + 250);
    } finally {
      slow.stop();
    }
  });
});
