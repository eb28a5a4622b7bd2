/**
 * Hostile and odd input: each gets its documented 4xx with a JSON body, never a 5xx, never a crash, and nothing
 * reaches upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeSchema } from '../../lib/shared/answers';
import { DEMO, directEvent, fcContext, httpEvent } from '../support/fc';
import { asHttp, type Harness, startHarness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function expectRejected(event: Buffer, status: number, code: string) {
  const before = h.sandbox.seen.length;
  const result = await h.handler(event, fcContext(h.credentials));
  const isHttp = typeof result === 'object' && result !== null && 'statusCode' in result;
  const envelope = isHttp ? asHttp(result).json : result;
  if (isHttp) expect(asHttp(result).statusCode).toBe(status);
  expect(envelopeSchema.safeParse(envelope).success).toBe(true);
  expect(envelope).toMatchObject({ ok: false, error: { code } });
  expect(h.sandbox.seen.length).toBe(before);
  return envelope;
}

const json = { 'content-type': 'application/json' };

describe('hostile input', () => {
  it('rejects deeply nested JSON', async () => {
    const deep = `{"subsId":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    await expectRejected(httpEvent({ method: 'POST', headers: json, body: deep }), 400, 'InvalidRequest');
    await expectRejected(directEvent(`${'['.repeat(8000)}${']'.repeat(8000)}`), 400, 'InvalidRequest');
  });

  it('rejects a huge JSON body and a huge direct payload with 413', async () => {
    const huge = JSON.stringify({ ...DEMO, pad: 'x'.repeat(1024 * 1024) });
    await expectRejected(httpEvent({ method: 'POST', headers: json, body: huge }), 413, 'PayloadTooLarge');
    await expectRejected(directEvent(huge), 413, 'PayloadTooLarge');
  });

  it('rejects non-UTF-8 and invalid base64 bodies', async () => {
    await expectRejected(httpEvent({ method: 'POST', headers: json, body: Buffer.from([0xfe, 0xff, 0x00]) }), 400, 'InvalidRequest');
    const event = JSON.parse(httpEvent({ method: 'POST', headers: json }).toString()) as Record<string, unknown>;
    await expectRejected(Buffer.from(JSON.stringify({ ...event, body: '!!!not base64!!!', isBase64Encoded: true })), 400, 'InvalidRequest');
  });

  it('rejects duplicate and oversized query parameters', async () => {
    await expectRejected(httpEvent({ query: { ...DEMO, subsId: Array.from({ length: 500 }, (_, i) => String(i)) } }), 400, 'InvalidRequest');
    await expectRejected(httpEvent({ query: { ...DEMO, subsId: '1'.repeat(4096) } }), 400, 'InvalidRequest');
    await expectRejected(httpEvent({ query: { ...DEMO, ['k'.repeat(4000)]: 'v' } }), 400, 'InvalidRequest');
  });

  it('does not let __proto__ or constructor keys pollute anything', async () => {
    await expectRejected(httpEvent({ query: { ...DEMO, __proto__: 'x', constructor: 'y' } }), 400, 'InvalidRequest');
    await expectRejected(
      httpEvent({ method: 'POST', headers: json, body: '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"subsId":"1"}' }),
      400,
      'InvalidRequest',
    );
    await expectRejected(directEvent('{"__proto__":{"poolKey":"FC1"},"subsId":"1","phoneNoX":"17000000000"}'), 400, 'InvalidRequest');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).poolKey).toBeUndefined();
  });

  it('rejects control characters in values', async () => {
    for (const subsId of ['1\u0000', '\u202e123', '12\n3', '１２３']) {
      await expectRejected(httpEvent({ query: { ...DEMO, subsId } }), 400, 'InvalidRequest');
    }
    await expectRejected(directEvent({ ...DEMO, poolKey: 'FC1\r\nX-Injected: 1' }), 400, 'InvalidRequest');
  });

  it('survives very long header values', async () => {
    const headers = { 'content-type': `application/json; ${'x'.repeat(8000)}`, 'x-long': 'y'.repeat(100_000) };
    const res = asHttp(await h.handler(httpEvent({ method: 'POST', headers, body: JSON.stringify(DEMO) }), fcContext(h.credentials)));
    expect(res.statusCode).toBe(200);
    await expectRejected(httpEvent({ method: 'POST', headers: { 'content-type': 'x'.repeat(8000) }, body: JSON.stringify(DEMO) }), 415, 'UnsupportedMediaType');
  });

  it('answers wrong content types with 415 and never echoes the header', async () => {
    for (const type of ['text/html', 'application/jsonx', 'application/json-patch+json', 'image/png', '*/*', 'application/json,text/plain']) {
      const env = await expectRejected(
        httpEvent({ method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(DEMO) }),
        415,
        'UnsupportedMediaType',
      );
      expect(JSON.stringify(env)).not.toContain('<');
    }
  });

  it('answers every other method with 405', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'get ', '']) {
      await expectRejected(httpEvent({ method, query: { ...DEMO } }), 405, 'MethodNotAllowed');
    }
  });

  it('answers malformed HTTP events without crashing', async () => {
    for (const raw of [
      '{"version":"v1","requestContext":{"http":{"method":"GET"}}}',
      '{"version":"v1","requestContext":{"http":{"method":"POST"}},"body":12,"headers":null,"queryParameters":[1]}',
      '{"version":"v1","rawPath":5,"requestContext":{"http":{"method":"GET","path":null}},"queryParameters":{"subsId":7}}',
    ]) {
      const res = asHttp(await h.handler(Buffer.from(raw), fcContext(h.credentials)));
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    }
  });

  it('answers events that are not Buffers', async () => {
    const fromString = await h.handler(JSON.stringify(DEMO), fcContext(h.credentials));
    expect(fromString).toMatchObject({ ok: true });
    for (const weird of [undefined, null, 42, {}]) {
      const result = await h.handler(weird as Buffer, fcContext(h.credentials));
      expect(result).toMatchObject({ ok: false, error: { code: 'InvalidRequest', issues: [{ path: 'event' }] } });
    }
  });

  it('answers a deeply nested field repeated under its other casing with an HTTP 400, not a crash', async () => {
    const deep = `${'['.repeat(4000)}${']'.repeat(4000)}`;
    const body = `{"subsId":${deep},"SubsId":${deep},"poolKey":"${DEMO.poolKey}","phoneNoX":"${DEMO.phoneNoX}"}`;
    const res = asHttp(await h.handler(httpEvent({ method: 'POST', headers: json, body }), fcContext(h.credentials)));
    expect(res.statusCode).toBe(400);
    expect(res.headers).toMatchObject({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    expect(res.json).toMatchObject({ ok: false, error: { code: 'InvalidRequest', issues: [{ path: 'body', message: 'the body is nested too deeply' }] } });
    await expectRejected(directEvent(body), 400, 'InvalidRequest');
    const merged = httpEvent({ method: 'POST', headers: json, query: { subsId: '1' }, body: `{"SubsId":${deep}}` });
    expect(asHttp(await h.handler(merged, fcContext(h.credentials))).statusCode).toBe(400);
  });

  it('answers an HTTP event whose method is not a string with 405', async () => {
    for (const method of ['{"toString":1}', '42', 'null', '["GET"]']) {
      const event = JSON.parse(httpEvent({ query: { ...DEMO } }).toString()) as { requestContext: { http: Record<string, unknown> } };
      event.requestContext.http.method = JSON.parse(method) as unknown;
      const res = asHttp(await h.handler(Buffer.from(JSON.stringify(event)), fcContext(h.credentials)));
      expect(res.statusCode, method).toBe(405);
    }
  });

  it('answers an HTTP event whose Content-Type is not a string with 400 naming it, not as if it had none', async () => {
    for (const value of ['42', 'null', '["application/json"]', '{"a":1}']) {
      const event = JSON.parse(httpEvent({ method: 'POST', headers: json, body: JSON.stringify(DEMO) }).toString()) as { headers: Record<string, unknown> };
      event.headers['Content-Type'] = JSON.parse(value) as unknown;
      const res = asHttp(await h.handler(Buffer.from(JSON.stringify(event)), fcContext(h.credentials)));
      expect(res.statusCode, value).toBe(400);
      expect(res.json, value).toMatchObject({ error: { code: 'InvalidRequest', issues: [{ path: 'headers.Content-Type', message: 'must be a string' }] } });
    }
  });

  it('rejects a JSON object that gives one key twice, naming the key', async () => {
    const twice = `{"poolKey":"${DEMO.poolKey}","subsId":"${DEMO.subsId}","subsId":"4000000000000000","phoneNoX":"${DEMO.phoneNoX}"}`;
    const env = await expectRejected(httpEvent({ method: 'POST', headers: json, body: twice }), 400, 'InvalidRequest');
    expect(env).toMatchObject({ error: { issues: [{ path: 'body.subsId', message: 'this key appears twice in one object; give it once' }] } });
    const direct = await expectRejected(directEvent(twice), 400, 'InvalidRequest');
    expect(direct).toMatchObject({ error: { issues: [{ path: 'subsId' }] } });
  });

  it('accepts a field given twice in two documented notations of one value', async () => {
    const event = httpEvent({ method: 'POST', headers: json, query: { phoneNoX: '+8617000000000' }, body: JSON.stringify(DEMO) });
    expect(asHttp(await h.handler(event, fcContext(h.credentials))).statusCode).toBe(200);
  });

  it('ignores a leading byte-order mark, refuses other charsets, and rejects invalid base64', async () => {
    const bom = httpEvent({ method: 'POST', headers: json, body: `\ufeff${JSON.stringify(DEMO)}` });
    expect(asHttp(await h.handler(bom, fcContext(h.credentials))).statusCode).toBe(200);
    await expectRejected(
      httpEvent({ method: 'POST', headers: { 'content-type': 'application/json; charset=iso-8859-1' }, body: JSON.stringify(DEMO) }),
      415,
      'UnsupportedMediaType',
    );
    const event = JSON.parse(httpEvent({ method: 'POST', headers: json, body: JSON.stringify(DEMO), base64: true }).toString()) as Record<string, string>;
    const env = await expectRejected(Buffer.from(JSON.stringify({ ...event, body: `${event.body}*` })), 400, 'InvalidRequest');
    expect(env).toMatchObject({ error: { issues: [{ path: 'body', message: 'the body is marked base64 but is not valid base64' }] } });
  });

  it('logs a known method by name and anything else as OTHER, never the text', async () => {
    const before = h.logs.lines.length;
    for (const method of ['15000000000', 'X'.repeat(100_000), 'GET']) await h.handler(httpEvent({ method, query: { ...DEMO } }), fcContext(h.credentials));
    const lines = h.logs.lines.slice(before);
    expect(lines.map((l) => (JSON.parse(l) as { method?: string }).method)).toEqual(['OTHER', 'OTHER', 'GET']);
    expect(lines.every((l) => Buffer.byteLength(l) <= 4096)).toBe(true);
  });
});

describe('the largest payloads Function Compute delivers, against the built bundle in its own process', () => {
  /** Runs the bundle once on the event bytes in `file` (read as FC hands them over: one Buffer); reports time and RSS. */
  async function invokeBundleOn(event: Buffer): Promise<{ result: Record<string, unknown>; ms: number; baseMb: number; peakMb: number }> {
    const { execFile } = await import('node:child_process');
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join, resolve } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'dypls-large-'));
    const file = join(dir, 'event.bin');
    writeFileSync(file, event);
    const script = `
      const { handler } = require(${JSON.stringify(resolve('dist/query-subscription-detail/index.js'))});
      const event = require('node:fs').readFileSync(${JSON.stringify(file)});
      process.stdout.write = () => true;
      global.gc?.();
      const base = process.memoryUsage().rss;
      let peak = base;
      const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 1);
      const started = performance.now();
      handler(event, { requestId: 'r', credentials: {}, function: { name: 'f', timeout: 10 } }).then((result) => {
        const ms = performance.now() - started;
        clearInterval(sampler);
        peak = Math.max(peak, process.memoryUsage().rss);
        process.stderr.write('RESULT ' + JSON.stringify({ result, ms, baseMb: base / 1048576, peakMb: peak / 1048576 }) + '\\n');
      });`;
    try {
      // eslint-disable-next-line no-restricted-properties -- the child needs PATH only
      const env = { PATH: process.env.PATH ?? '' };
      const stderr = await new Promise<string>((done, fail) =>
        execFile(process.execPath, ['--expose-gc', '-e', script], { env, timeout: 30_000, maxBuffer: 1 << 20 }, (err, _out, errOut) =>
          err ? fail(err) : done(errOut),
        ),
      );
      const line = stderr.split('\n').find((l) => l.startsWith('RESULT ')) ?? 'RESULT null';
      return JSON.parse(line.slice(7)) as { result: Record<string, unknown>; ms: number; baseMb: number; peakMb: number };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // 31 MiB: just under the 32 MB Function Compute accepts for a synchronous invocation.
  const SIZE = 31 * 1024 * 1024;

  it('answers a 31 MiB direct payload of 2.7 million keys 413 from its length, without parsing it', async () => {
    const keys = Math.floor(SIZE / 12);
    const payload = Buffer.from(`{${Array.from({ length: keys }, (_, i) => `"k${String(i).padStart(7, '0')}":1`).join(',')}}`);
    const run = await invokeBundleOn(payload);
    expect(run.result).toMatchObject({ ok: false, error: { code: 'PayloadTooLarge' } });
    // Parsing it took 9 s and 680 MB before; a scan of its bytes takes tens of milliseconds and allocates nothing.
    expect(run.ms).toBeLessThan(1000);
    expect(run.peakMb - run.baseMb).toBeLessThan(32);
  });

  it('answers a 31 MiB HTTP body 413 as an HTTP result, without parsing the event', async () => {
    const event = httpEvent({ method: 'POST', headers: json, body: Buffer.alloc(SIZE, 'a').toString('base64'), query: {} });
    const run = await invokeBundleOn(event);
    expect(run.result).toMatchObject({ statusCode: 413, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    expect(run.ms).toBeLessThan(1000);
    expect(run.peakMb - run.baseMb).toBeLessThan(32);
  });
});
