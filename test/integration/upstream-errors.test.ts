/**
 * Every error class from upstream, through real pop-core against the sandbox's reserved SubsIds and wire shapes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeUpstreamCode, UPSTREAM_CATALOG } from '../../lib/shared/errors';
import seed from '../../lib/dev/sandbox-bindings.json';
import { errorEnvelopeSchema } from '../../lib/shared/answers';
import { DEMO, fcContext, httpEvent } from '../support/fc';
import { asHttp, type Harness, startHarness } from '../support/harness';
import { createDyplsApi, type DyplsCall } from '../../lib/query/upstream';

let h: Harness;

/** The real pop-core call against the sandbox, recording the timeout each attempt was given. */
function recordingCall(): { call: DyplsCall; timeouts: number[] } {
  const real = createDyplsApi({ endpoint: h.sandbox.url }).detail;
  const timeouts: number[] = [];
  return {
    timeouts,
    call: (request, credentials, timeoutMs) => {
      timeouts.push(timeoutMs);
      return real(request, credentials, timeoutMs);
    },
  };
}
beforeAll(async () => {
  // Short timeouts keep the delay faults quick; one attempt unless a test asks for retries.
  h = await startHarness({ DYPLS_TIMEOUT_MS: '300', DYPLS_MAX_ATTEMPTS: '1' });
});
afterAll(() => h.close());
beforeEach(() => h.sandbox.resetFaults());

async function query(subsId: string, handler = h.handler) {
  return asHttp(await handler(httpEvent({ query: { ...DEMO, subsId } }), fcContext(h.credentials)));
}

/** The steady (not flaky) error row of the sandbox for each code: the 9991…/9992… catalogue rows first. */
const faultRowByCode = new Map<string, { subsId: string; message?: string }>();
const catalogueRowsFirst = [...seed.faults].sort((a, b) => Number(!/^999[12]/.test(a.subsId)) - Number(!/^999[12]/.test(b.subsId)));
for (const f of catalogueRowsFirst) {
  if (f.kind === 'error' && typeof f.code === 'string' && !('times' in f) && !faultRowByCode.has(f.code)) faultRowByCode.set(f.code, f);
}

describe('every catalogued code passes through with its row of the status table', () => {
  it('has a sandbox fault row for each catalogued code', () => {
    const uncovered = UPSTREAM_CATALOG.map((e) => e.code).filter((c) => !faultRowByCode.has(c));
    expect(uncovered).toEqual([]);
  });

  it.each(UPSTREAM_CATALOG.map((e) => ({ code: e.code })))('$code', async ({ code }) => {
    // Prepare
    const row = faultRowByCode.get(code);
    if (!row) throw new Error(`no fault row for ${code}`);
    // Act
    const res = await query(row.subsId);
    // Assess
    const expected = describeUpstreamCode(code);
    expect(res.statusCode).toBe(expected.status);
    expect(res.json).toMatchObject({
      ok: false,
      requestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
      error: { code, retryable: expected.retryable, message: expected.en, messageZh: expected.zh },
    });
    if (res.json.ok) return;
    expect(res.json.error.upstreamMessage).toBe(expected.expose ? row.message : undefined);
    expect(res.body).not.toMatch(/string to sign/i);
    expect(errorEnvelopeSchema.safeParse(res.json).success).toBe(true);
    if (expected.status === 429) expect(res.headers['Retry-After']).toBe('1');
    else expect(res.headers['Retry-After']).toBeUndefined();
  });
});

describe('binding lookups that fail', () => {
  it('answers 404 isv.SUBS_NOT_EXIST for an unknown binding', async () => {
    const res = await query('4000000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json).toMatchObject({ error: { code: 'isv.SUBS_NOT_EXIST', upstreamMessage: '绑定关系不存在' } });
  });

  it('answers 403 isv.SUBS_NOT_BELONG for a binding of another pool', async () => {
    const res = asHttp(
      await h.handler(httpEvent({ query: { poolKey: DEMO.poolKey, subsId: '1000000768798839', phoneNoX: '17000000007' } }), fcContext(h.credentials)),
    );
    expect([res.statusCode, res.json.ok ? '' : res.json.error.code]).toEqual([403, 'isv.SUBS_NOT_BELONG']);
  });

  it('answers 404 isv.POOLKEY_NOT_EXISTS for an unknown pool', async () => {
    const res = asHttp(await h.handler(httpEvent({ query: { ...DEMO, poolKey: 'FC999' } }), fcContext(h.credentials)));
    expect([res.statusCode, res.json.ok ? '' : res.json.error.code]).toEqual([404, 'isv.POOLKEY_NOT_EXISTS']);
  });

  it('masks phone numbers quoted in an upstream message', async () => {
    const res = await query('9990000000000014');
    expect(res.json).toMatchObject({ error: { code: 'isv.SUBS_NOT_EXIST', upstreamMessage: '绑定关系不存在: 170****0000' } });
  });

  it('answers 502, not retryable, for a code it does not know', async () => {
    const res = await query('9990000000000015');
    expect(res.statusCode).toBe(502);
    expect(res.json).toMatchObject({ error: { code: 'isv.SOMETHING_NEW', retryable: false } });
  });
});

describe('gateway errors', () => {
  it.each([
    { subsId: '9990000000000009', status: 429, code: 'Throttling.User', retryable: true },
    { subsId: '9990000000000011', status: 503, code: 'ServiceUnavailable', retryable: true },
    { subsId: '9990000000000012', status: 503, code: 'InternalError', retryable: true },
    { subsId: '9990000000000013', status: 502, code: 'Forbidden.RAM', retryable: false },
  ])('answers HTTP $status $code with its gateway status', async ({ subsId, status, code, retryable }) => {
    const res = await query(subsId);
    expect(res.statusCode).toBe(status);
    expect(res.json).toMatchObject({ ok: false, requestId: expect.any(String), error: { code, retryable } });
  });

  it('answers 502 for an expired STS token without echoing the upstream message', async () => {
    const res = await query('9990000000000010');
    expect(res.statusCode).toBe(502);
    expect(res.json).toMatchObject({ error: { code: 'InvalidSecurityToken.Expired', retryable: false } });
    expect(res.json.ok === false && 'upstreamMessage' in res.json.error).toBe(false);
  });

  it('answers 502 SignatureDoesNotMatch for a wrong secret, without the string-to-sign, the token or the key', async () => {
    // Prepare
    const forged = { ...h.credentials, accessKeySecret: 'not-the-secret' };
    // Act
    const res = asHttp(await h.handler(httpEvent({ query: { ...DEMO } }), fcContext(forged)));
    // Assess
    expect(res.statusCode).toBe(502);
    expect(res.json).toMatchObject({ error: { code: 'SignatureDoesNotMatch', retryable: false } });
    expect(res.body).not.toMatch(/string to sign|SecurityToken|CAIS|STS\./i);
    expect(res.body).not.toContain(h.credentials.accessKeyId);
  });

  it('answers 502 InvalidTimeStamp.Expired when the clocks are 15+ minutes apart', async () => {
    const { startDyplsSandbox } = await import('../../lib/dev/dyplsapi-sandbox');
    const skewed = await startDyplsSandbox({ now: () => Date.now() + 20 * 60 * 1000 });
    try {
      const creds = skewed.issueStsCredentials();
      const handler = h.handlerWith({ DYPLS_ENDPOINT: skewed.url });
      const res = asHttp(await handler(httpEvent({ query: { ...DEMO } }), fcContext(creds)));
      expect([res.statusCode, res.json.ok ? '' : res.json.error.code]).toEqual([502, 'InvalidTimeStamp.Expired']);
    } finally {
      await skewed.close();
    }
  });
});

describe('broken upstream answers', () => {
  it.each([
    ['an HTML 502 page', '9990000000000003', 'UpstreamBadResponse', false, false],
    ['malformed JSON', '9990000000000004', 'UpstreamBadResponse', false, false],
    ['an empty body', '9990000000000005', 'UpstreamBadResponse', false, false],
    ['HTTP 500 without Code (pop-core resolves it)', '9990000000000006', 'UpstreamBadResponse', false, true],
    ['Code OK without SecretBindDetailDTO', '9990000000000007', 'UpstreamBadResponse', false, true],
    ['a __proto__ key', '9990000000000008', 'UpstreamBadResponse', false, false],
  ])('answers 502 for %s', async (_name, subsId, code, retryable, hasRequestId) => {
    const res = await query(subsId);
    expect(res.statusCode).toBe(502);
    expect(res.json).toMatchObject({ ok: false, error: { code, retryable } });
    expect(res.json.requestId !== null).toBe(hasRequestId);
    expect(res.body).not.toMatch(/html|<|SubsId/);
  });

  it('answers 504 UpstreamTimeout, retryable, after one attempt bounded by the per-attempt timeout', async () => {
    const { call, timeouts } = recordingCall();
    const res = await query('9990000000000001', h.handlerWith({}, { call }));
    expect(res.statusCode).toBe(504);
    expect(res.json).toMatchObject({ ok: false, requestId: null, error: { code: 'UpstreamTimeout', retryable: true } });
    expect(timeouts).toEqual([300]);
  });

  it('answers 502 UpstreamUnavailable, retryable, for a connection reset', async () => {
    const res = await query('9990000000000002');
    expect(res.statusCode).toBe(502);
    expect(res.json).toMatchObject({ ok: false, requestId: null, error: { code: 'UpstreamUnavailable', retryable: true } });
  });

  it('answers 502 UpstreamUnavailable when nothing listens at the endpoint', async () => {
    const res = await query(DEMO.subsId, h.handlerWith({ DYPLS_ENDPOINT: 'http://127.0.0.1:1' }));
    expect(res.json).toMatchObject({ error: { code: 'UpstreamUnavailable', retryable: true } });
  });
});

describe('retries with a deadline', () => {
  it('absorbs one system error and one stale-socket reset', async () => {
    const handler = h.handlerWith({ DYPLS_MAX_ATTEMPTS: '3' });
    for (const subsId of ['9990000000000020', '9990000000000021']) {
      const res = asHttp(await handler(httpEvent({ query: { poolKey: DEMO.poolKey, subsId, phoneNoX: '17000000009' } }), fcContext(h.credentials)));
      expect(res.statusCode, subsId).toBe(200);
    }
  });

  it('signs every attempt afresh (new nonce)', async () => {
    const handler = h.handlerWith({ DYPLS_MAX_ATTEMPTS: '3' });
    const before = h.sandbox.seen.length;
    await handler(httpEvent({ query: { poolKey: DEMO.poolKey, subsId: '9990000000000020', phoneNoX: '17000000009' } }), fcContext(h.credentials));
    const nonces = h.sandbox.seen.slice(before).map((s) => s.params.SignatureNonce);
    expect(nonces).toHaveLength(2);
    expect(new Set(nonces).size).toBe(2);
  });

  it('retries throttling only once', async () => {
    const handler = h.handlerWith({ DYPLS_MAX_ATTEMPTS: '5' });
    const before = h.sandbox.seen.length;
    const res = asHttp(
      await handler(httpEvent({ query: { poolKey: DEMO.poolKey, subsId: '9990000000000022', phoneNoX: '17000000009' } }), fcContext(h.credentials)),
    );
    expect(res.statusCode).toBe(429);
    expect(h.sandbox.seen.length - before).toBe(2);
  });

  it('shrinks the attempt to the budget the function timeout leaves, and answers 504', async () => {
    // Prepare: a clock that stands still, so the budget is exactly the function timeout less the answer margin.
    const { call, timeouts } = recordingCall();
    const handler = h.handlerWith(
      { DYPLS_MAX_ATTEMPTS: '5', DYPLS_TIMEOUT_MS: '3000' },
      { call, clock: { now: () => 0, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), random: Math.random } },
    );
    // Act: a 1 s function timeout leaves 500 ms after the answer margin; the sandbox delays 5 s.
    const res = asHttp(
      await handler(httpEvent({ query: { ...DEMO, subsId: '9990000000000001' } }), fcContext(h.credentials, { function: { name: 'f', timeout: 1 } })),
    );
    // Assess
    expect(res.statusCode).toBe(504);
    expect(timeouts).toEqual([500]);
  });
});

describe('odd contexts', () => {
  it('falls back to the default budget when the context carries no usable function timeout', async () => {
    for (const timeout of [undefined, 0, -5, Number.NaN, 'soon' as unknown as number]) {
      const { call, timeouts } = recordingCall();
      const handler = h.handlerWith({}, { call, clock: { now: () => 0, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), random: Math.random } });
      const res = asHttp(
        await handler(httpEvent({ query: { ...DEMO, subsId: '9990000000000001' } }), fcContext(h.credentials, { function: { name: 'f', timeout } })),
      );
      expect(res.statusCode).toBe(504);
      expect(timeouts, String(timeout)).toEqual([300]);
    }
  });
});

describe('a frozen instance', () => {
  it('does not surface a keep-alive socket that went stale while frozen', async () => {
    // Prepare: a warm handler with a pooled connection, then the server forgets it.
    const handler = h.handlerWith({ DYPLS_MAX_ATTEMPTS: '3' });
    expect((await query(DEMO.subsId, handler)).statusCode).toBe(200);
    h.sandbox.simulateFreeze();
    const before = h.sandbox.connections();
    // Act
    const res = await query(DEMO.subsId, handler);
    // Assess
    expect(res.statusCode).toBe(200);
    expect(h.sandbox.connections()).toBe(before + 1);
  });
});
