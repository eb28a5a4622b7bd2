/**
 * `npm start`'s stack on ephemeral ports: the local FC gateway in front of the built bundle, against the
 * sandbox, driven with real HTTP requests (Node's fetch).
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFcGateway } from '../../lib/dev/fc-gateway';
import { exampleCliCommands, exampleCurls, startLocalServer } from '../../lib/dev/stack';
import { captureBundleStdout } from '../support/harness';

/** A POST with exact header lines (repeats included), as curl or a proxy would send them. */
function rawRequest(url: string, headers: Record<string, string | string[]>, body: Buffer): Promise<{ status: number; headers: Headers; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve({ status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

type Server = Awaited<ReturnType<typeof startLocalServer>>;
let server: Server;
let restoreStdout = () => {};
beforeAll(async () => {
  restoreStdout = captureBundleStdout();
  server = await startLocalServer({ port: 0, functionEnv: { DYPLS_TIMEOUT_MS: '300', DYPLS_MAX_ATTEMPTS: '1' } });
});
afterAll(async () => {
  await server.close();
  restoreStdout();
});

/** Runs a printed `curl` line with fetch: -X, -H and -d with single-quoted arguments, as the README writes them. */
async function runCurl(command: string): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const args = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
  expect(args[0]).toBe('curl');
  let method = 'GET';
  let url = '';
  let body: string | undefined;
  const headers: Record<string, string> = {};
  for (let i = 1; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-X') method = args[++i] ?? method;
    else if (a === '-H') {
      const [k, ...v] = (args[++i] ?? '').split(':');
      headers[k?.trim() ?? ''] = v.join(':').trim();
    } else if (a === '-d') {
      body = args[++i];
      if (method === 'GET') method = 'POST';
    } else if (a.startsWith('http')) url = a;
  }
  const res = await fetch(url, { method, headers, body });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

describe('the README and the printed curl commands', () => {
  const readme = readFileSync('README.md', 'utf8');

  it('prints the commands that the README shows: the curls, and the command line with --local', () => {
    for (const { command } of exampleCurls('http://127.0.0.1:9000')) expect(readme).toContain(command);
    for (const { args } of exampleCliCommands()) expect(readme).toContain(`npm run cli -- ${args.join(' ')}`);
  });

  it('answers each as documented: found, not found, invalid, a find', async () => {
    const [found, missing, invalid, byX] = exampleCurls(server.gateway.url);
    const a = await runCurl(found?.command ?? '');
    expect([a.status, a.json.ok]).toEqual([200, true]);
    expect(a.json.data).toMatchObject({ subsId: '1000000768798832', status: 'ACTIVE' });
    const b = await runCurl(missing?.command ?? '');
    expect(b.status).toBe(404);
    expect(b.json.error).toMatchObject({ code: 'isv.SUBS_NOT_EXIST' });
    const c = await runCurl(invalid?.command ?? '');
    expect(c.status).toBe(400);
    expect(c.json.error).toMatchObject({ code: 'InvalidRequest', issues: [{ path: 'subsId' }, { path: 'phoneNoX' }] });
    const d = await runCurl(byX?.command ?? '');
    expect([d.status, d.json.ok]).toEqual([200, true]);
    expect(d.json.data).toMatchObject({ phoneNoX: '17000000010', bindings: [{ subsId: '1000000768798850' }, { subsId: '1000000768798852' }] });
  });

  it('answers every curl line of the README against a running server', async () => {
    const lines = readme.split('\n').filter((l) => l.trim().startsWith('curl -s') && l.includes('127.0.0.1:9000'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      const res = await runCurl(line.trim().replace('http://127.0.0.1:9000', server.gateway.url));
      if (line.includes('/openapi.json')) expect(res.json.openapi).toBe('3.1.0');
      else expect(typeof res.json.ok, line).toBe('boolean');
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    }
  });
});

describe('the gateway builds the documented FC event', () => {
  it('canonicalises headers, joins repeats, decodes the query, base64-encodes binary bodies, fills requestContext', async () => {
    // Prepare
    const events: unknown[] = [];
    const gateway = await startFcGateway({
      handler: async () => ({
        statusCode: 201,
        headers: { 'X-Test': 'yes', 'X-Fc-Internal': 'dropped', Connection: 'dropped' },
        body: 'aGk=',
        isBase64Encoded: true,
      }),
      credentials: () => ({}),
      port: 0,
      onEvent: (e) => events.push(e),
    });
    try {
      // Act: node:http, because fetch folds repeated headers into one line before sending.
      const res = await rawRequest(
        `${gateway.url}/a%20b/c?x=1&x=2&with%20space=foo%20bar&empty=`,
        {
          'x-custom-thing': ['a', 'b'],
          'content-type': 'application/octet-stream',
          'user-agent': 'test-agent/1.0',
        },
        Buffer.from([0xff, 0x00, 0x41]),
      );
      // Assess: the response as FC sends it
      expect(res.status).toBe(201);
      expect(res.headers.get('x-test')).toBe('yes');
      expect(res.headers.get('x-fc-internal')).toBeNull();
      expect(res.headers.get('x-fc-request-id')).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{12}$/);
      expect(res.body).toBe('hi');
      // Assess: the event, field by field
      const e = events[0] as Record<string, unknown> & {
        headers: Record<string, string>;
        requestContext: Record<string, unknown> & { http: Record<string, unknown> };
      };
      expect(e.version).toBe('v1');
      expect(e.rawPath).toBe('/a%20b/c');
      expect(e.isBase64Encoded).toBe(true);
      expect(Buffer.from(e.body as string, 'base64')).toEqual(Buffer.from([0xff, 0x00, 0x41]));
      expect(e.headers['X-Custom-Thing']).toBe('a,b');
      expect(e.headers['Content-Type']).toBe('application/octet-stream');
      expect(Object.keys(e.headers).every((k) => /^[A-Z][a-z0-9]*(-[A-Z][a-z0-9]*)*$/.test(k))).toBe(true);
      expect(e.queryParameters).toEqual({ x: '1,2', 'with space': 'foo bar', empty: '' });
      expect(e.requestContext).toMatchObject({
        accountId: '1234567890123456',
        domainName: '127.0.0.1',
        domainPrefix: '127',
        requestId: res.headers.get('x-fc-request-id'),
        time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        timeEpoch: expect.stringMatching(/^\d{13}$/),
      });
      expect(e.requestContext.http).toEqual({
        method: 'POST',
        path: '/a b/c',
        protocol: 'HTTP/1.1',
        sourceIp: expect.stringMatching(/127\.0\.0\.1/),
        userAgent: 'test-agent/1.0',
      });
    } finally {
      await gateway.close();
    }
  });

  it('sends a UTF-8 body as text', async () => {
    const events: { body: string; isBase64Encoded: boolean }[] = [];
    const gateway = await startFcGateway({
      handler: async () => ({ statusCode: 200, headers: {}, body: '' }),
      credentials: () => ({}),
      port: 0,
      onEvent: (e) => events.push(e as never),
    });
    try {
      await fetch(gateway.url, { method: 'POST', body: '{"subsId":"号码"}' });
      expect(events[0]).toMatchObject({ body: '{"subsId":"号码"}', isBase64Encoded: false });
    } finally {
      await gateway.close();
    }
  });

  it('answers as FC does when the handler throws or returns something malformed', async () => {
    const results: (() => Promise<unknown>)[] = [
      async () => {
        throw new Error('boom');
      },
      async () => ({ statusCode: 'abc', body: 'x' }),
      async () => ({ hello: 'world' }),
    ];
    const gateway = await startFcGateway({ handler: () => (results.shift() ?? (async () => null))(), credentials: () => ({}), port: 0 });
    try {
      const thrown = await fetch(gateway.url);
      expect([thrown.status, thrown.headers.get('x-fc-error-type')]).toEqual([502, 'UnhandledInvocationError']);
      expect(await thrown.json()).toMatchObject({ errorMessage: 'boom', errorType: 'Error', stackTrace: expect.any(Array) });
      const badStatus = await fetch(gateway.url);
      expect([badStatus.status, badStatus.headers.get('x-fc-error-type')]).toEqual([502, 'UnhandledInvocationError']);
      const plain = await fetch(gateway.url);
      expect([plain.status, await plain.text()]).toEqual([200, '{"hello":"world"}']);
    } finally {
      await gateway.close();
    }
  });

  it('hands each invocation fresh STS-style credentials that the sandbox accepts', async () => {
    const a = server.stack.credentials();
    const b = server.stack.credentials();
    expect(a.accessKeyId).toMatch(/^STS\./);
    expect(a.securityToken).toBeTruthy();
    expect(a.accessKeyId).not.toBe(b.accessKeyId);
  });
});

describe('faults through the whole local stack', () => {
  const q = (subsId: string) => `${server.gateway.url}/?poolKey=FC100000012345678&subsId=${subsId}&phoneNoX=17000000000`;
  it.each([
    { name: 'a delay beyond the timeout', subsId: '9990000000000001', status: 504, code: 'UpstreamTimeout' },
    { name: 'a connection reset', subsId: '9990000000000002', status: 502, code: 'UpstreamUnavailable' },
    { name: 'an HTML 502', subsId: '9990000000000003', status: 502, code: 'UpstreamBadResponse' },
    { name: 'malformed JSON', subsId: '9990000000000004', status: 502, code: 'UpstreamBadResponse' },
    { name: 'a business error', subsId: '9991000000000010', status: 404, code: 'isv.NO_NOT_EXIST' },
    { name: 'throttling', subsId: '9991000000000015', status: 429, code: 'isv.FLOW_LIMIT' },
    { name: 'an expired STS token', subsId: '9990000000000010', status: 502, code: 'InvalidSecurityToken.Expired' },
  ])('answers $name with a JSON $status $code', async ({ subsId, status, code }) => {
    server.stack.sandbox?.resetFaults();
    const res = await fetch(q(subsId));
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    if (status === 429) expect(res.headers.get('retry-after')).toBe('1');
  });
});

describe('the command-line tools', () => {
  it('npm run invoke prints the same envelope the HTTP path returns', async () => {
    // Prepare
    const event = '{"poolKey":"FC100000012345678","subsId":"1000000768798833","phoneNoX":"17000000001"}';
    const http = (await (await fetch(`${server.gateway.url}/?poolKey=FC100000012345678&subsId=1000000768798833&phoneNoX=17000000001`)).json()) as Record<
      string,
      unknown
    >;
    // Act
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/run-ts.mjs', 'scripts/invoke.ts', event], { timeout: 15_000 });
    // Assess
    const start = stdout.indexOf('{\n');
    const printed = JSON.parse(stdout.slice(start)) as Record<string, unknown>;
    expect({ ...printed, requestId: null }).toEqual({ ...http, requestId: null });
    const logLine = stdout.split('\n').find((l) => l.startsWith('{"level"')) ?? '{}';
    expect(JSON.parse(logLine)).toMatchObject({ msg: 'invocation', kind: 'direct', status: 200 });
  });

  it('npm start prints its URL and curls, then shuts down cleanly on Ctrl-C', async () => {
    const child = spawn(process.execPath, ['scripts/run-ts.mjs', 'scripts/start.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 10_000);
      child.stdout.on('data', () => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m?.[1] && out.includes('Ctrl-C')) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    expect(out.match(/^ {2}curl /gm)).toHaveLength(4);
    for (const { args } of exampleCliCommands()) expect(out).toContain(`  npm run cli -- ${args.join(' ')}\n`);
    const res = await fetch(`${url}/?poolKey=FC100000012345678&subsId=1000000768798832&phoneNoX=17000000000`);
    expect(res.status).toBe(200);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGINT');
    });
    expect(code).toBe(0);
  });

  it('npm run invoke reads --event-file', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'dypls-event-'));
    try {
      writeFileSync(join(dir, 'event.json'), '{"PoolKey":"FC100000012345678","SubsId":"12ab","PhoneNoX":"17000000000"}');
      const { stdout } = await promisify(execFile)(process.execPath, ['scripts/run-ts.mjs', 'scripts/invoke.ts', '--event-file', join(dir, 'event.json')], {
        timeout: 15_000,
      });
      const printed = JSON.parse(stdout.slice(stdout.indexOf('{\n'))) as { ok: boolean; error: { code: string } };
      expect(printed).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("uses a real endpoint with --upstream, passing the environment's credentials in the context, never to the handler", async () => {
    // Prepare: a second sandbox plays the real Dyplsapi; the developer's long-term key is registered there.
    const { startDyplsSandbox } = await import('../../lib/dev/dyplsapi-sandbox');
    const real = await startDyplsSandbox();
    real.addAccessKey('dev-own-key-id', 'dev-own-secret');
    const stack = await startLocalServer({
      port: 0,
      upstream: real.url,
      env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'dev-own-key-id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'dev-own-secret', ALIBABA_CLOUD_SECURITY_TOKEN: undefined },
    });
    try {
      // Act
      const res = await fetch(`${stack.gateway.url}/?poolKey=FC100000012345678&subsId=1000000768798832&phoneNoX=17000000000`);
      // Assess
      expect(res.status).toBe(200);
      expect(stack.stack.sandbox).toBeUndefined();
      expect(real.seen.at(-1)?.params.AccessKeyId).toBe('dev-own-key-id');
    } finally {
      await stack.close();
      await real.close();
    }
  });

  it('leaves no open server or socket behind after close', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
    const extra = await startLocalServer({ port: 0 });
    await fetch(`${extra.gateway.url}/?poolKey=FC100000012345678&subsId=1000000768798832&phoneNoX=17000000000`);
    await extra.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length).toBeLessThanOrEqual(before);
  });
});
