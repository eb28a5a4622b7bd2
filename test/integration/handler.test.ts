/**
 * The real handler, with real FC event bytes, through the real pop-core client, against the signature-checking
 * Dyplsapi sandbox on loopback.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorEnvelopeSchema, successEnvelopeSchema } from '../../lib/shared/answers';
import { DEMO, DEMO_DETAIL, directEvent, fcContext, httpEvent } from '../support/fc';
import { asEnvelope, asHttp, type Harness, startHarness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.sandbox.resetFaults());

const ctx = () => fcContext(h.credentials);

async function get(query: Record<string, string | string[]>) {
  return asHttp(await h.handler(httpEvent({ query }), ctx()));
}

describe('a found binding', () => {
  it('answers a GET with the documented envelope, headers and upstream RequestId', async () => {
    // Act
    const res = await get({ ...DEMO });
    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.isBase64Encoded).toBe(false);
    expect(res.headers).toEqual({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    expect(res.json).toStrictEqual({
      ok: true,
      requestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
      data: DEMO_DETAIL,
    });
    expect(successEnvelopeSchema.safeParse(res.json).success).toBe(true);
  });

  it('answers a POST with a PascalCase JSON body the same way', async () => {
    const event = httpEvent({
      method: 'POST',
      path: '/custom/prefix/detail',
      headers: { 'content-type': 'application/json;charset=utf-8' },
      body: JSON.stringify({ PoolKey: DEMO.poolKey, SubsId: DEMO.subsId, PhoneNoX: '+86 170 0000 0000' }),
    });
    const res = asHttp(await h.handler(event, ctx()));
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ ok: true, data: { subsId: DEMO.subsId, status: 'ACTIVE' } });
  });

  it('answers a direct invocation with the bare envelope', async () => {
    const env = asEnvelope(await h.handler(directEvent({ ...DEMO }), ctx()));
    expect(env).toMatchObject({ ok: true, data: { phoneNoX: '17000000000' } });
  });

  it("answers the seed page's own input example", async () => {
    const res = await get({ PoolKey: 'FC12345', SubsId: '12345', PhoneNoX: '17000000000' });
    expect(res.json).toMatchObject({ ok: true, data: { subsId: '12345', status: 'INACTIVE', phoneNoB: '15000000003' } });
  });

  it.each([
    [
      'AXN without B, recorded, restriction trimmed, ASR on',
      { subsId: '1000000768798833', phoneNoX: '17000000001' },
      { phoneNoB: null, needRecord: true, callRestrict: 'CONTROL_BX_DISABLE', asrStatus: true, asrModelId: '7ee372834d2f4cc7ac0d0ab2d0ae1aac', groupId: null },
    ],
    ['expired', { subsId: '1000000768798834', phoneNoX: '17000000002' }, { status: 'INACTIVE' }],
    ['extension', { subsId: '1000000768798835', phoneNoX: '17000000003' }, { extension: '130', callRestrict: 'CONTROL_AX_DISABLE', asrStatus: false }],
    ['group', { subsId: '1000000768798836', phoneNoX: '17000000004' }, { groupId: '2000000130001' }],
    ['group beyond 2^53', { subsId: '1000000768798837', phoneNoX: '17000000005' }, { groupId: '9007199254740993' }],
  ])('normalises the %s binding', async (_name, fields, expected) => {
    const res = await get({ poolKey: DEMO.poolKey, ...fields });
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ ok: true, data: expected });
  });

  it('queries a legacy account by productType', async () => {
    const res = await get({ productType: 'AXB_170', subsId: '1000000768798838', phoneNoX: '17000000006' });
    expect(res.json).toMatchObject({ ok: true, data: { phoneNoB: '15000000009', needRecord: true } });
    expect(h.sandbox.seen.at(-1)?.params).toMatchObject({ ProductType: 'AXB_170' });
    expect(h.sandbox.seen.at(-1)?.params).not.toHaveProperty('PoolKey');
  });

  it('reads odd upstream values leniently and logs a warning for an unreadable date', async () => {
    const before = h.logs.lines.length;
    const res = await get({ poolKey: DEMO.poolKey, subsId: '1000000768798840', phoneNoX: '17000000008' });
    expect(res.json).toMatchObject({
      ok: true,
      data: { gmtCreate: null, expireDate: null, status: 'ACTIVE', needRecord: true, phoneNoB: null, groupId: null },
    });
    const warns = h.logs
      .records()
      .slice(before)
      .filter((r) => r.level === 'warn');
    expect(warns).toEqual([expect.objectContaining({ msg: 'unreadable upstream field', field: 'gmtCreate' })]);
  });
});

describe('what goes over the wire', () => {
  it('sends a signed form POST with only the parameters that have values, the STS token, nothing in the URL', async () => {
    // Act
    await get({ ...DEMO });
    // Assess
    const seen = h.sandbox.seen.at(-1);
    expect(seen?.method).toBe('POST');
    expect(seen?.contentType).toBe('application/x-www-form-urlencoded');
    expect(seen?.inQuery).toEqual([]);
    expect(Object.keys(seen?.params ?? {}).sort()).toEqual(
      [
        'AccessKeyId',
        'Action',
        'Format',
        'PhoneNoX',
        'PoolKey',
        'SecurityToken',
        'SignatureMethod',
        'SignatureNonce',
        'SignatureVersion',
        'SubsId',
        'Timestamp',
        'Version',
      ].sort(),
    );
    expect(seen?.params).toMatchObject({
      Action: 'QuerySubscriptionDetail',
      Version: '2017-05-25',
      AccessKeyId: h.credentials.accessKeyId,
      SecurityToken: h.credentials.securityToken,
    });
  });

  it('reuses one keep-alive connection across warm invocations', async () => {
    const before = h.sandbox.connections();
    for (let i = 0; i < 5; i++) await get({ ...DEMO });
    expect(h.sandbox.connections() - before).toBeLessThanOrEqual(1);
  });
});

describe('validation failures never reach upstream', () => {
  it.each([
    ['400 with every bad field', httpEvent({ query: { poolKey: 'FCx', subsId: 'a', phoneNoX: '1' } }), 400, 'InvalidRequest'],
    ['400 for unknown fields', httpEvent({ query: { ...DEMO, foo: '1' } }), 400, 'InvalidRequest'],
    ['400 for different values of one field', httpEvent({ query: { ...DEMO, SubsId: '1' } }), 400, 'InvalidRequest'],
    ['400 for an unparseable body', httpEvent({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }), 400, 'InvalidRequest'],
    ['400 for a non-JSON direct payload', directEvent('subsId=1'), 400, 'InvalidRequest'],
    ['405 for DELETE', httpEvent({ method: 'DELETE', query: { ...DEMO } }), 405, 'MethodNotAllowed'],
    ['413 for a large body', httpEvent({ method: 'POST', headers: { 'content-type': 'application/json' }, body: ' '.repeat(16385) }), 413, 'PayloadTooLarge'],
    ['415 for text/plain', httpEvent({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(DEMO) }), 415, 'UnsupportedMediaType'],
  ])('answers %s', async (_name, event, status, code) => {
    // Prepare
    const seenBefore = h.sandbox.seen.length;
    // Act
    const result = await h.handler(event, ctx());
    // Assess
    const env = 'statusCode' in result ? asHttp(result).json : asEnvelope(result);
    if ('statusCode' in result) expect(result.statusCode).toBe(status);
    expect(env).toMatchObject({ ok: false, requestId: null, error: { code, retryable: false } });
    expect(errorEnvelopeSchema.safeParse(env).success).toBe(true);
    expect(h.sandbox.seen.length).toBe(seenBefore);
  });

  it('lists each bad field with what to fix', async () => {
    const res = await get({ poolKey: 'FCx', subsId: 'a', phoneNoX: '1' });
    expect(res.json).toMatchObject({
      error: {
        code: 'InvalidRequest',
        message: 'The request is invalid; see error.issues.',
        messageZh: '请求参数不合法',
        issues: [
          { path: 'poolKey', message: expect.any(String) },
          { path: 'subsId', message: expect.any(String) },
          { path: 'phoneNoX', message: expect.any(String) },
        ],
      },
    });
  });

  it('answers 405 with Allow: GET, POST', async () => {
    const res = asHttp(await h.handler(httpEvent({ method: 'OPTIONS' }), ctx()));
    expect(res.headers.Allow).toBe('GET, POST');
  });

  it('answers 403 PoolKeyNotAllowed for pools outside ALLOWED_POOL_KEYS, before any upstream call', async () => {
    const handler = h.handlerWith({ ALLOWED_POOL_KEYS: 'FC100000087654321,AXN_170' });
    const seenBefore = h.sandbox.seen.length;
    const denied = asHttp(await handler(httpEvent({ query: { ...DEMO } }), ctx()));
    const deniedProduct = asHttp(await handler(httpEvent({ query: { productType: 'AXB_170', subsId: '1', phoneNoX: '17000000006' } }), ctx()));
    expect([denied.statusCode, deniedProduct.statusCode]).toEqual([403, 403]);
    expect(denied.json).toMatchObject({ ok: false, error: { code: 'PoolKeyNotAllowed' } });
    expect(h.sandbox.seen.length).toBe(seenBefore);
    const allowed = asHttp(await handler(httpEvent({ query: { poolKey: 'FC100000087654321', subsId: '1000000768798839', phoneNoX: '17000000007' } }), ctx()));
    expect(allowed.statusCode).toBe(200);
  });

  it('answers 400 before 403 and 403 before 500', async () => {
    const handler = h.handlerWith({ ALLOWED_POOL_KEYS: 'FC1' });
    expect(asHttp(await handler(httpEvent({ query: { ...DEMO, subsId: 'x' } }), fcContext({}))).statusCode).toBe(400);
    expect(asHttp(await handler(httpEvent({ query: { ...DEMO } }), fcContext({}))).statusCode).toBe(403);
  });
});

describe('PHONE_NUMBER_OUTPUT', () => {
  it('masks A and B, and keeps X whole, when set to masked', async () => {
    const res = asHttp(await h.handlerWith({ PHONE_NUMBER_OUTPUT: 'masked' })(httpEvent({ query: { ...DEMO } }), ctx()));
    expect(res.json).toMatchObject({ ok: true, data: { phoneNoA: '150****0000', phoneNoB: '150****0001', phoneNoX: DEMO.phoneNoX } });
    const axn = asHttp(
      await h.handlerWith({ PHONE_NUMBER_OUTPUT: 'masked' })(
        httpEvent({ query: { poolKey: DEMO.poolKey, subsId: '1000000768798833', phoneNoX: '17000000001' } }),
        ctx(),
      ),
    );
    expect(axn.json).toMatchObject({ ok: true, data: { phoneNoA: '150****0002', phoneNoB: null } });
  });
});

describe('configuration', () => {
  it('answers every invocation with 500 ConfigurationInvalid naming the variable, and logs it once', async () => {
    // Prepare
    const before = h.logs.lines.length;
    const handler = h.handlerWith({ DYPLS_TIMEOUT_MS: 'soon' });
    // Act
    const first = asHttp(await handler(httpEvent({ query: { ...DEMO } }), ctx()));
    const second = asEnvelope(await handler(directEvent(DEMO), ctx()));
    // Assess
    expect(first.statusCode).toBe(500);
    expect(first.json).toMatchObject({
      ok: false,
      error: {
        code: 'ConfigurationInvalid',
        message: expect.stringContaining('DYPLS_TIMEOUT_MS must be a whole number from 100 to 60000'),
        issues: [{ path: 'DYPLS_TIMEOUT_MS', message: 'must be a whole number from 100 to 60000' }],
        retryable: false,
      },
    });
    expect(second).toMatchObject({ ok: false, error: { code: 'ConfigurationInvalid' } });
    expect(JSON.stringify(first.json)).not.toContain('soon');
    const configLines = h.logs
      .records()
      .slice(before)
      .filter((r) => r.msg === 'configuration invalid');
    expect(configLines).toHaveLength(1);
  });

  it('still answers 400 for a bad request when the configuration is invalid', async () => {
    const res = asHttp(await h.handlerWith({ DYPLS_ENDPOINT: 'nope' })(httpEvent({ query: { subsId: 'x' } }), ctx()));
    expect(res.statusCode).toBe(400);
  });
});

describe('logs', () => {
  it('writes one summary line per invocation with duration, status, error code and upstream RequestId', async () => {
    const before = h.logs.lines.length;
    const context = ctx();
    const res = await get({ ...DEMO });
    await h.handler(httpEvent({ query: { ...DEMO } }), context);
    const summary = h.logs
      .records()
      .slice(before)
      .filter((r) => r.msg === 'invocation' && r.requestId === context.requestId);
    expect(summary).toEqual([
      expect.objectContaining({
        level: 'info',
        time: expect.any(String),
        fn: 'query-subscription-detail',
        kind: 'http',
        method: 'GET',
        status: 200,
        errorCode: null,
        upstreamRequestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
        durationMs: expect.any(Number),
        phoneNoX: '170****0000',
        subsId: DEMO.subsId,
      }),
    ]);
    expect(res.statusCode).toBe(200);
  });

  it('is silent below LOG_LEVEL', async () => {
    const before = h.logs.lines.length;
    await h.handlerWith({ LOG_LEVEL: 'warn' })(httpEvent({ query: { ...DEMO } }), ctx());
    expect(h.logs.lines.length).toBe(before);
  });
});

describe('the OpenAPI document', () => {
  it('is served at GET …/openapi.json', async () => {
    const res = asHttp(await h.handler(httpEvent({ path: '/any/prefix/openapi.json' }), fcContext({})));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ openapi: '3.1.0' });
  });
});

describe('a bug inside the handler', () => {
  it('is answered 500 UnexpectedError without internals, and logged with its stack and cause, redacted', async () => {
    // Prepare: a QuerySubscriptionDetail that throws, quoting a number and the caller's own token.
    const credentials = h.credentials;
    const call = () => {
      const cause = new RangeError(`cause for 15000000001 with ${credentials.securityToken ?? ''}`);
      throw new TypeError('cannot read 15000000000', { cause });
    };
    const handler = h.handlerWith({}, { call });
    const before = h.logs.lines.length;
    // Act
    const res = asHttp(await handler(httpEvent({ query: { ...DEMO } }), ctx()));
    // Assess: the answer names no internals.
    expect(res.statusCode).toBe(500);
    expect(res.json).toMatchObject({ ok: false, error: { code: 'UnexpectedError' } });
    expect(res.body).not.toMatch(/cannot read|TypeError|15000000000/);
    // The log line says what broke and where, with the number masked and the secret gone.
    const lines = h.logs.lines.slice(before);
    const bug = h.logs
      .records()
      .slice(before)
      .find((l) => l.msg === 'unexpected failure');
    expect(bug).toMatchObject({ errorName: 'TypeError', errorMessage: 'cannot read 150****0000', causeName: 'RangeError' });
    expect(bug?.errorStack).toEqual(expect.arrayContaining([expect.stringContaining('handler.test.ts')]));
    expect(bug?.causeMessage ?? null).toBeNull();
    expect(lines.join('\n')).not.toContain('15000000000');
    expect(lines.join('\n')).not.toContain(credentials.securityToken);
    // The invocation line still says what was asked.
    expect(
      h.logs
        .records()
        .slice(before)
        .find((l) => l.msg === 'invocation'),
    ).toMatchObject({ status: 500, errorCode: 'UnexpectedError', subsId: DEMO.subsId });
  });
});
