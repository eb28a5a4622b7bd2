/**
 * Calls from other functions: lib/caller through @alicloud/fc2 into the signature-checking local FC invoke
 * API, into the query function's bundle, through pop-core into the signature-checking Dyplsapi sandbox, with
 * STS credentials at both hops.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryBindingDetail, type CallerOptions } from '../../lib/caller';
import { type FcInvokeApi, startFcInvokeApi } from '../../lib/dev/fc-invoke-api';
import { fcSignature, fcStringToSign } from '../../lib/dev/fc-signature';
import { loadBundledHandler } from '../../lib/dev/stack';
import { type DyplsSandbox, startDyplsSandbox } from '../../lib/dev/dyplsapi-sandbox';
import { envelopeSchema } from '../../lib/shared/schemas';
import { DEMO } from '../support/fc';
import { captureBundleStdout, rememberSecrets } from '../support/harness';

let sandbox: DyplsSandbox;
let fcApi: FcInvokeApi;
let options: CallerOptions;
let restoreStdout = () => {};

beforeAll(async () => {
  restoreStdout = captureBundleStdout();
  sandbox = await startDyplsSandbox();
  fcApi = await startFcInvokeApi();
  const query = loadBundledHandler({ DYPLS_ENDPOINT: sandbox.url, DYPLS_TIMEOUT_MS: '1000' });
  const calleeCredentials = () => rememberSecrets(sandbox.issueStsCredentials());
  fcApi.register('query-subscription-detail', { handler: query, credentials: calleeCredentials });
  fcApi.register('dypls$query-subscription-detail', { handler: query, credentials: calleeCredentials });
  fcApi.register('query-with-http-trigger', { handler: query, credentials: calleeCredentials, wrapAsHttpEvent: true });
  fcApi.register('broken', {
    handler: async () => {
      throw new TypeError('boom at /code/index.js:1');
    },
    credentials: calleeCredentials,
  });
  fcApi.register('slow', { handler: () => new Promise((r) => setTimeout(() => r({}), 2000)), credentials: calleeCredentials });
  fcApi.register('not-an-envelope', { handler: async () => ({ hello: 'world' }), credentials: calleeCredentials });
  options = {
    credentials: rememberSecrets(fcApi.issueStsCredentials()),
    accountId: fcApi.accountId,
    region: 'cn-hangzhou',
    functionName: 'query-subscription-detail',
    endpoint: fcApi.url,
    timeoutMs: 5000,
  };
});
afterAll(async () => {
  await fcApi.close();
  await sandbox.close();
  restoreStdout();
});

describe('queryBindingDetail', () => {
  it('returns the envelope of a found binding', async () => {
    const answer = await queryBindingDetail({ ...DEMO }, options);
    expect(answer).toMatchObject({ ok: true, requestId: expect.any(String), data: { subsId: DEMO.subsId, status: 'ACTIVE', phoneNoB: '15000000001' } });
    expect(envelopeSchema.safeParse(answer).success).toBe(true);
  });

  it('signs with the STS credentials at both hops', async () => {
    await queryBindingDetail({ PoolKey: DEMO.poolKey, SubsId: DEMO.subsId, PhoneNoX: DEMO.phoneNoX }, { ...options, qualifier: 'LATEST' });
    expect(fcApi.seen.at(-1)).toMatchObject({ path: '/2023-03-30/functions/query-subscription-detail/invocations?qualifier=LATEST', status: 200 });
    expect(sandbox.seen.at(-1)?.params.AccessKeyId).toMatch(/^STS\./);
    expect(sandbox.seen.at(-1)?.params.SecurityToken).toMatch(/^CAIS/);
  });

  it('returns the not-found envelope', async () => {
    const answer = await queryBindingDetail({ ...DEMO, subsId: '4000000000000000' }, options);
    expect(answer).toMatchObject({ ok: false, error: { code: 'isv.SUBS_NOT_EXIST', retryable: false } });
  });

  it('validates locally, with the function schema, before any network call', async () => {
    const before = fcApi.seen.length;
    const answer = await queryBindingDetail({ subsId: 'abc', phoneNoX: '17000000000' }, options);
    expect(answer).toMatchObject({ ok: false, requestId: null, error: { code: 'InvalidRequest', issues: [{ path: 'poolKey' }, { path: 'subsId' }] } });
    expect(await queryBindingDetail('not an object', options)).toMatchObject({ error: { code: 'InvalidRequest' } });
    expect(fcApi.seen.length).toBe(before);
  });

  it('refuses to call without usable credentials', async () => {
    const before = fcApi.seen.length;
    for (const credentials of [undefined, {}, { accessKeyId: 'STS.x', accessKeySecret: 'y' }]) {
      expect(await queryBindingDetail({ ...DEMO }, { ...options, credentials })).toMatchObject({ ok: false, error: { code: 'CredentialsUnavailable' } });
    }
    expect(fcApi.seen.length).toBe(before);
  });

  it('reports a function error that FC answers with 2xx and X-Fc-Error-Type, without its stack', async () => {
    const answer = await queryBindingDetail({ ...DEMO }, { ...options, functionName: 'broken' });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'FunctionError', retryable: false, message: expect.stringContaining('UnhandledInvocationError') },
    });
    expect(JSON.stringify(answer)).not.toContain('/code/index.js');
  });

  it('reports a wrong signature as FC.SignatureNotMatch', async () => {
    const answer = await queryBindingDetail({ ...DEMO }, { ...options, credentials: { ...options.credentials, accessKeySecret: 'wrong' } });
    expect(answer).toMatchObject({ ok: false, requestId: expect.any(String), error: { code: 'FC.SignatureNotMatch', retryable: false } });
  });

  it('reports an expired Date header (clock skew over 15 minutes)', async () => {
    const skewed = await startFcInvokeApi({ now: () => Date.now() + 20 * 60 * 1000 });
    try {
      const answer = await queryBindingDetail({ ...DEMO }, { ...options, endpoint: skewed.url, credentials: rememberSecrets(skewed.issueStsCredentials()) });
      expect(answer).toMatchObject({
        ok: false,
        error: { code: 'FC.SignatureNotMatch', message: expect.stringContaining('clock'), upstreamMessage: expect.stringContaining('15 minutes') },
      });
    } finally {
      await skewed.close();
    }
  });

  it('reports an unknown function in either API shape', async () => {
    const v3 = await queryBindingDetail({ ...DEMO }, { ...options, functionName: 'nope' });
    const v2 = await queryBindingDetail({ ...DEMO }, { ...options, functionName: 'nope', serviceName: 'dypls' });
    expect(v3).toMatchObject({ ok: false, error: { code: 'FC.FunctionNotFound' } });
    expect(v2).toMatchObject({ ok: false, error: { code: 'FC.FunctionNotFound' } });
  });

  it('reaches an FC 2.0 function by service and function name', async () => {
    const answer = await queryBindingDetail({ ...DEMO }, { ...options, serviceName: 'dypls', qualifier: 'LATEST' });
    expect(answer).toMatchObject({ ok: true, data: { subsId: DEMO.subsId } });
    expect(fcApi.seen.at(-1)?.path).toBe('/2016-08-15/services/dypls.LATEST/functions/query-subscription-detail/invocations');
  });

  it('unwraps an HTTP-shaped result (InvokeFunction on a function with an HTTP trigger)', async () => {
    const found = await queryBindingDetail({ ...DEMO }, { ...options, functionName: 'query-with-http-trigger' });
    expect(found).toMatchObject({ ok: true, data: { subsId: DEMO.subsId } });
    const missing = await queryBindingDetail({ ...DEMO, subsId: '4000000000000000' }, { ...options, functionName: 'query-with-http-trigger' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'isv.SUBS_NOT_EXIST' } });
  });

  it('reports a timeout as InvokeTimeout, retryable', async () => {
    // The target answers after 2 s; only the caller's own 300 ms timer can produce InvokeTimeout.
    const answer = await queryBindingDetail({ ...DEMO }, { ...options, functionName: 'slow', timeoutMs: 300 });
    expect(answer).toMatchObject({ ok: false, error: { code: 'InvokeTimeout', retryable: true } });
  });

  it('reports an answer that is not an envelope, and an unreachable endpoint', async () => {
    expect(await queryBindingDetail({ ...DEMO }, { ...options, functionName: 'not-an-envelope' })).toMatchObject({ error: { code: 'InvokeBadResponse' } });
    expect(await queryBindingDetail({ ...DEMO }, { ...options, endpoint: 'http://127.0.0.1:1' })).toMatchObject({
      error: { code: 'InvokeUnavailable', retryable: true },
    });
  });
});

describe('the local FC invoke API', () => {
  it('accepts a request signed independently of fc2, and rejects it once tampered', async () => {
    // Prepare: sign in the test, from the documented algorithm.
    const creds = rememberSecrets(fcApi.issueStsCredentials());
    const body = JSON.stringify(DEMO);
    const path = '/2023-03-30/functions/query-subscription-detail/invocations';
    const headers: Record<string, string> = {
      date: new Date().toUTCString(),
      'content-type': 'application/json',
      'content-md5': createHash('md5').update(body).digest('base64'),
      'x-fc-account-id': fcApi.accountId,
      'x-fc-security-token': creds.securityToken,
      'x-fc-invocation-type': 'Sync',
    };
    const signature = fcSignature(fcStringToSign('POST', path, headers), creds.accessKeySecret);
    const send = (h: Record<string, string>, b: string) =>
      fetch(fcApi.url + path, { method: 'POST', headers: { ...h, authorization: `FC ${creds.accessKeyId}:${signature}` }, body: b });
    // Act
    const ok = await send(headers, body);
    const tamperedHeader = await send({ ...headers, 'x-fc-invocation-type': 'Async' }, body);
    const tamperedBody = await send(headers, body.replace('17000000000', '17000000001'));
    const noToken = await send(Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'x-fc-security-token')), body);
    // Assess
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true });
    expect([tamperedHeader.status, ((await tamperedHeader.json()) as { Code: string }).Code]).toEqual([403, 'SignatureNotMatch']);
    expect(tamperedBody.status).toBe(400);
    expect(noToken.status).toBe(403);
  });
});

describe('the example caller function', () => {
  it('answers whether a binding is active and until when, end to end, as FC would invoke it', async () => {
    // Prepare: its bundle, loaded as a new FC instance would, pointed at the local invoke API.
    const handler = loadBundledHandler({ INVOKE_ENDPOINT: fcApi.url, TARGET_FUNCTION_NAME: 'query-subscription-detail' }, 'dist/binding-status-check/index.js');
    const context = {
      requestId: '1-caller',
      credentials: rememberSecrets(fcApi.issueStsCredentials()),
      accountId: fcApi.accountId,
      region: 'cn-hangzhou',
      function: { name: 'binding-status-check' },
    };
    // Act
    const active = await handler(Buffer.from(JSON.stringify({ poolKey: DEMO.poolKey, subsId: '1000000768798833', phoneNoX: '17000000001' })), context);
    const expired = await handler(Buffer.from(JSON.stringify(DEMO)), context);
    const invalid = await handler(Buffer.from('{"subsId":"x"}'), context);
    // Assess
    expect(active).toMatchObject({ ok: true, active: true, status: 'ACTIVE', expireDate: '2027-01-05T08:00:00+08:00', expiresInSeconds: expect.any(Number) });
    expect(expired).toMatchObject({ ok: true, active: false, status: 'ACTIVE', expireDate: '2019-09-05T12:00:00+08:00' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
  });
});
