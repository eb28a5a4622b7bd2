/**
 * Calls from other functions: lib/caller through @alicloud/fc2 into the signature-checking local FC invoke
 * API, into the query function's bundle, through pop-core into the signature-checking Dyplsapi sandbox, with
 * STS credentials at both hops.
 */
import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBindingDetailClient, queryBindingDetail, type CallerOptions, type QueryRequestInput } from '../../lib/caller';
import { createLogger } from '../../lib/shared/logger';
import { signAcs3 } from '../../lib/caller/acs3';
import { createStatusCheckHandler } from '../../functions/binding-status-check/status';
import { type FcInvokeApi, startFcInvokeApi } from '../../lib/dev/fc-invoke-api';
import { fcSignature, fcStringToSign } from '../../lib/dev/fc-signature';
import { loadBundledHandler } from '../../lib/dev/stack';
import { type DyplsSandbox, startDyplsSandbox } from '../../lib/dev/dyplsapi-sandbox';
import { envelopeSchema } from '../../lib/shared/answers';
import { DEMO } from '../support/fc';
import { busiestSecond, captureBundleStdout, rememberSecrets } from '../support/harness';

/** A binding detail whose every text field is `text`, the most a normalized answer can carry. */
function DEMO_DETAIL_MAX(text: string) {
  const t = text;
  return {
    subsId: t,
    phoneNoA: t,
    phoneNoB: t,
    phoneNoX: t,
    extension: t,
    groupId: '9007199254740993',
    gmtCreate: '2019-03-02T19:30:11+08:00',
    expireDate: '2019-09-05T12:00:00+08:00',
    needRecord: true,
    status: 'ACTIVE',
    callRestrict: t,
    asrStatus: true,
    asrModelId: t,
  };
}

/** Every object of a JSON value with one more field (an object itself), as a newer version might add. */
function withFieldEverywhere(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withFieldEverywhere);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([k, v]) => [k, withFieldEverywhere(v)]);
  return { ...Object.fromEntries(entries), addedLater: { since: '9.0.0' } };
}

/** A real HTTP server on loopback that answers every request with `reply`, for as long as `run` takes. */
async function onRawServer(reply: (res: ServerResponse) => void, run: (endpoint: string) => Promise<void>): Promise<void> {
  const server = createServer((req, res) => {
    req.resume();
    reply(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

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
  fcApi.register('query-carrying-status', { handler: query, credentials: calleeCredentials, wrapAsHttpEvent: true, carryStatusCode: true });
  fcApi.register('broken', {
    handler: async () => {
      throw new TypeError('boom at /code/index.js:1');
    },
    credentials: calleeCredentials,
  });
  fcApi.register('slow', { handler: () => new Promise((r) => setTimeout(() => r({}), 2000)), credentials: calleeCredentials });
  fcApi.register('not-an-envelope', { handler: async () => ({ hello: 'world' }), credentials: calleeCredentials });
  // A newer query function: its real answers, with a field this library does not know added to every object.
  fcApi.register('newer-function', { handler: async (event, context) => withFieldEverywhere(await query(event, context)), credentials: calleeCredentials });
  fcApi.register('wrong-known-field', {
    handler: async (event, context) => {
      const answer = (await query(event, context)) as { data?: Record<string, unknown> };
      return { ...answer, data: { ...answer.data, status: 1 } };
    },
    credentials: calleeCredentials,
  });
  // A query function that has no time for SubsId 4000000000000000 (it answers NotAttempted): in its first batch only, or always.
  let batchesSeen = 0;
  const outOfTime = (always: boolean) => async (event: Buffer, context: Parameters<typeof query>[1]) => {
    const answer = (await query(event, context)) as { ok: boolean; data?: { results: unknown[] } };
    if ((!always && batchesSeen++ > 0) || !answer.ok || !answer.data) return answer;
    const asked = (JSON.parse(event.toString()) as { queries: { subsId: string }[] }).queries;
    const notAttempted = { status: 503, ok: false, requestId: null, error: { code: 'NotAttempted', message: 'later', messageZh: '稍后', retryable: true } };
    return { ...answer, data: { ...answer.data, results: answer.data.results.map((r, i) => (asked[i]?.subsId === '4000000000000000' ? notAttempted : r)) } };
  };
  fcApi.register('out-of-time-first', { handler: outOfTime(false), credentials: calleeCredentials });
  fcApi.register('always-out-of-time', { handler: outOfTime(true), credentials: calleeCredentials });
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
    // PascalCase is accepted at run time, as in a direct invocation.
    const pascal = { PoolKey: DEMO.poolKey, SubsId: DEMO.subsId, PhoneNoX: DEMO.phoneNoX } as unknown as QueryRequestInput;
    await queryBindingDetail(pascal, { ...options, qualifier: 'LATEST' });
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
    expect(await queryBindingDetail('not an object' as unknown as QueryRequestInput, options)).toMatchObject({ error: { code: 'InvalidRequest' } });
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

  it("reads the envelope when Function Compute carries the function's own status onto the invoke response", async () => {
    const missing = await queryBindingDetail({ ...DEMO, subsId: '4000000000000000' }, { ...options, functionName: 'query-carrying-status' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'isv.SUBS_NOT_EXIST' } });
    expect(fcApi.seen.at(-1)).toMatchObject({ status: 404 });
    const found = await queryBindingDetail({ ...DEMO }, { ...options, functionName: 'query-carrying-status' });
    expect(found).toMatchObject({ ok: true, data: { subsId: DEMO.subsId } });
  });

  it('unwraps an HTTP-shaped result (InvokeFunction on a function with an HTTP trigger)', async () => {
    const found = await queryBindingDetail({ ...DEMO }, { ...options, functionName: 'query-with-http-trigger' });
    expect(found).toMatchObject({ ok: true, data: { subsId: DEMO.subsId } });
    const missing = await queryBindingDetail({ ...DEMO, subsId: '4000000000000000' }, { ...options, functionName: 'query-with-http-trigger' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'isv.SUBS_NOT_EXIST' } });
  });

  it("classifies Function Compute's own errors by HTTP status: 5xx is 503 retryable, 429 is 429 retryable, 4xx is not", async () => {
    // A real server on loopback answering as Function Compute does when it fails an invocation itself.
    let status = 500;
    await onRawServer(
      (res) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-fc-request-id': 'fc-req-1' });
        const code = { 500: 'InternalServerError', 502: 'BadGateway', 429: 'ResourceThrottled', 400: 'InvalidArgument' }[status];
        // 503 with a body that is not FC's JSON, as a load balancer in front of FC may answer.
        res.end(code ? JSON.stringify({ Code: code, Message: 'x' }) : '<html>Service Unavailable</html>');
      },
      async (endpoint) => {
        const client = createBindingDetailClient({ ...options, endpoint });
        const seen: unknown[] = [];
        for (status of [500, 502, 503, 429, 400]) {
          // queryMany reports each item's HTTP status: an invocation that failed as a whole gives it to every item.
          const [answer] = await client.queryMany([{ ...DEMO }], options.credentials);
          seen.push(answer && !answer.ok ? [answer.error.code, answer.error.retryable, answer.status] : answer);
        }
        expect(seen).toEqual([
          ['FC.InternalServerError', true, 503],
          ['FC.BadGateway', true, 503],
          ['FC.HTTP503', true, 503],
          ['FC.ResourceThrottled', true, 429],
          ['FC.InvalidArgument', false, 502],
        ]);
      },
    );
  });

  it('reports 100 KB of reply headers as InvokeBadResponse, not a retryable outage', async () => {
    await onRawServer(
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-pad': 'a'.repeat(100_000) });
        res.end('{}');
      },
      async (endpoint) => {
        const answer = await queryBindingDetail({ ...DEMO }, { ...options, endpoint });
        expect(answer).toMatchObject({ ok: false, error: { code: 'InvokeBadResponse', retryable: false } });
      },
    );
  });

  it('reads the largest answer the function can give: 100 items, every text field at its cap, escaped 6-fold', async () => {
    const worst = '\u0001'.repeat(256); // each escapes to \u0001 in JSON: six characters
    const item = { status: 200, ok: true, requestId: 'R'.repeat(64), data: { ...DEMO_DETAIL_MAX(worst) } };
    const answer = { ok: true, requestId: null, data: { results: Array.from({ length: 100 }, () => item), counts: { ok: 100, failed: 0 } } };
    expect(JSON.stringify(answer).length).toBeGreaterThan(1024 * 1024); // past the 1 MiB the caller used to read
    fcApi.register('largest-answer', { handler: async () => answer, credentials: () => rememberSecrets(sandbox.issueStsCredentials()) });
    const results = await createBindingDetailClient({ ...options, functionName: 'largest-answer' }).queryMany(
      Array.from({ length: 100 }, () => ({ ...DEMO })),
      rememberSecrets(fcApi.issueStsCredentials()),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(100);
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

describe('answers from a newer function', () => {
  const client = (functionName: string) => createBindingDetailClient({ accountId: fcApi.accountId, region: 'cn-hangzhou', functionName, endpoint: fcApi.url });
  const creds = () => rememberSecrets(fcApi.issueStsCredentials());

  it('accepts unknown fields at every level of a lookup, a not-found, a find and a batch, and keeps the known ones', async () => {
    // Prepare: the same questions to today's function and to one that adds a field to every object.
    const find = { poolKey: DEMO.poolKey, phoneNoX: '17000000010' };
    const batch = [{ ...DEMO }, { ...DEMO, subsId: '4000000000000000' }, { ...DEMO, subsId: '9991000000000010' }];
    // Act
    const [found, missing, bindings, many] = await Promise.all([
      client('newer-function').query({ ...DEMO }, creds()),
      client('newer-function').query({ ...DEMO, subsId: '4000000000000000' }, creds()),
      client('newer-function').find(find, creds()),
      client('newer-function').queryMany(batch, creds()),
    ]);
    const today = await Promise.all([
      client('query-subscription-detail').query({ ...DEMO }, creds()),
      client('query-subscription-detail').query({ ...DEMO, subsId: '4000000000000000' }, creds()),
      client('query-subscription-detail').find(find, creds()),
      client('query-subscription-detail').queryMany(batch, creds()),
    ]);
    // Assess: accepted, every known field as today (RequestIds differ per call), the new ones kept.
    const known = (v: unknown): unknown =>
      JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'addedLater' ? undefined : k === 'requestId' && typeof x === 'string' ? 'id' : x)));
    expect(known([found, missing, bindings, many])).toEqual(known(today));
    expect(found).toMatchObject({ ok: true, addedLater: { since: '9.0.0' }, data: { status: 'ACTIVE', addedLater: { since: '9.0.0' } } });
    expect(missing).toMatchObject({ ok: false, error: { code: 'isv.SUBS_NOT_EXIST', addedLater: { since: '9.0.0' } } });
    const added = bindings.ok ? bindings.data.bindings.map((b) => (b as Record<string, unknown>).addedLater) : [];
    expect(added).toEqual([{ since: '9.0.0' }, { since: '9.0.0' }, { since: '9.0.0' }]);
    expect(many.map((r) => r.status)).toEqual([200, 404, 404]);
  });

  it('still checks the known fields: a wrong type in one is InvokeBadResponse', async () => {
    expect(await client('wrong-known-field').query({ ...DEMO }, creds())).toMatchObject({ ok: false, error: { code: 'InvokeBadResponse' } });
  });
});

describe('find and queryMany', () => {
  const client = () =>
    createBindingDetailClient({ accountId: fcApi.accountId, region: 'cn-hangzhou', functionName: 'query-with-http-trigger', endpoint: fcApi.url });

  it('finds every binding of X, typed, through the same invoke path', async () => {
    const answer = await client().find(
      { poolKey: DEMO.poolKey, phoneNoX: '17000000010', phoneNoA: '15000000010' },
      rememberSecrets(fcApi.issueStsCredentials()),
    );
    expect(answer).toMatchObject({
      ok: true,
      data: { phoneNoX: '17000000010', listed: 3, bindings: [{ subsId: '1000000768798850' }, { subsId: '1000000768798852' }] },
    });
  });

  it('refuses a find with a subsId, and a query without one, before any network call', async () => {
    const before = fcApi.seen.length;
    const c = rememberSecrets(fcApi.issueStsCredentials());
    expect(await client().find({ ...DEMO }, c)).toMatchObject({
      ok: false,
      error: { code: 'InvalidRequest' },
    });
    expect(await client().query({ poolKey: DEMO.poolKey, phoneNoX: DEMO.phoneNoX } as unknown as QueryRequestInput, c)).toMatchObject({
      ok: false,
      error: { code: 'InvalidRequest', issues: [{ path: 'subsId' }] },
    });
    expect(fcApi.seen.length).toBe(before);
  });

  it('splits any number of lookups into batches, keeps the order, answers invalid ones locally', async () => {
    // Prepare: 7 requests, batches of 3, two in flight.
    const requests: QueryRequestInput[] = [
      { ...DEMO },
      { ...DEMO, subsId: '4000000000000000' },
      { ...DEMO, subsId: 'nope' },
      { poolKey: DEMO.poolKey, subsId: '1000000768798833', phoneNoX: '17000000001' },
      { ...DEMO },
      { ...DEMO, subsId: '9991000000000010' },
      { poolKey: DEMO.poolKey, subsId: '1000000768798835', phoneNoX: '17000000003' },
    ];
    const before = fcApi.seen.length;
    // Act
    const results = await client().queryMany(requests, rememberSecrets(fcApi.issueStsCredentials()), { batchSize: 3, parallelBatches: 2 });
    // Assess
    expect(results.map((r) => [r.status, r.ok ? r.data.subsId : r.error.code])).toEqual([
      [200, DEMO.subsId],
      [404, 'isv.SUBS_NOT_EXIST'],
      [400, 'InvalidRequest'],
      [200, '1000000768798833'],
      [200, DEMO.subsId],
      [404, 'isv.NO_NOT_EXIST'],
      [200, '1000000768798835'],
    ]);
    expect(fcApi.seen.length - before).toBe(2);
  });

  it('answers every request whatever the options: a NaN, a negative or a huge one is its default', async () => {
    const requests = Array.from({ length: 5 }, () => ({ ...DEMO }));
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -3, 0, 1e9, Number('unset')]) {
      const before = fcApi.seen.length;
      const results = await client().queryMany(requests, rememberSecrets(fcApi.issueStsCredentials()), {
        batchSize: bad,
        parallelBatches: bad,
        resubmitRounds: bad,
        resubmitWithinMs: bad,
      });
      expect(
        results.map((r) => r.status),
        String(bad),
      ).toEqual([200, 200, 200, 200, 200]);
      expect(fcApi.seen.length - before, String(bad)).toBe(1);
    }
  });

  it('keeps one rate budget across parallel batches (maxRps), counted at the sandbox', async () => {
    const requests = Array.from({ length: 40 }, (_, i) => ({ ...DEMO, subsId: String(4100000000000000 + i) }));
    const before = sandbox.seen.length;
    const results = await client().queryMany(requests, rememberSecrets(fcApi.issueStsCredentials()), { batchSize: 10, parallelBatches: 4, maxRps: 20 });
    expect(results.map((r) => r.status)).toEqual(requests.map(() => 404));
    const arrived = sandbox.seen.slice(before);
    expect(arrived).toHaveLength(40);
    expect(busiestSecond(arrived)).toBeLessThanOrEqual(20);
  });

  it('sends again the items a batch had no time for, until answered or the rounds run out', async () => {
    const target = createBindingDetailClient({ ...options, functionName: 'out-of-time-first' });
    const requests = [{ ...DEMO }, { ...DEMO, subsId: '4000000000000000' }, { poolKey: DEMO.poolKey, subsId: '1000000768798833', phoneNoX: '17000000001' }];
    const before = fcApi.seen.length;
    const results = await target.queryMany(requests, rememberSecrets(fcApi.issueStsCredentials()));
    expect(results.map((r) => r.status)).toEqual([200, 404, 200]);
    // Two invocations: all three items, then only the one answered NotAttempted.
    expect(fcApi.seen.length - before).toBe(2);
    // Bounded: a function that never has time answers NotAttempted after the default 2 more rounds, or none if told.
    const never = createBindingDetailClient({ ...options, functionName: 'always-out-of-time' });
    for (const [resubmitRounds, invocations] of [
      [undefined, 3],
      [0, 1],
    ] as const) {
      const start = fcApi.seen.length;
      const answered = await never.queryMany(requests, rememberSecrets(fcApi.issueStsCredentials()), { resubmitRounds });
      expect(answered.map((r) => (r.ok ? r.status : r.error.code))).toEqual([200, 'NotAttempted', 200]);
      expect(fcApi.seen.length - start).toBe(invocations);
    }
  });

  it('gives every item of a batch whose invocation failed as a whole that failure', async () => {
    const broken = createBindingDetailClient({ accountId: fcApi.accountId, region: 'cn-hangzhou', functionName: 'nope', endpoint: fcApi.url });
    const results = await broken.queryMany([{ ...DEMO }, { ...DEMO, subsId: '4000000000000000' }], rememberSecrets(fcApi.issueStsCredentials()));
    expect(results).toEqual([
      expect.objectContaining({ status: 502, ok: false, error: expect.objectContaining({ code: 'FC.FunctionNotFound' }) }),
      expect.objectContaining({ status: 502, error: expect.objectContaining({ code: 'FC.FunctionNotFound' }) }),
    ]);
  });
});

describe('the local FC invoke API', () => {
  const PATH_V3 = '/2023-03-30/functions/query-subscription-detail/invocations';
  const PATH_V2 = '/2016-08-15/services/dypls/functions/query-subscription-detail/invocations';

  /** A request signed in the test with the FC signature (from the documented algorithm, not by fc2). */
  function fcSigned(path: string, body: string, creds: { accessKeyId: string; accessKeySecret: string; securityToken: string }) {
    const headers: Record<string, string> = {
      date: new Date().toUTCString(),
      'content-type': 'application/json',
      'content-md5': createHash('md5').update(body).digest('base64'),
      'x-fc-account-id': fcApi.accountId,
      'x-fc-security-token': creds.securityToken,
      'x-fc-invocation-type': 'Sync',
    };
    const signature = fcSignature(fcStringToSign('POST', path, headers), creds.accessKeySecret);
    return { ...headers, authorization: `FC ${creds.accessKeyId}:${signature}` };
  }

  /** A request signed with ACS3-HMAC-SHA256, at `now`. */
  function acs3Signed(body: string, creds: { accessKeyId: string; accessKeySecret: string; securityToken: string }, now = Date.now()) {
    const host = new URL(fcApi.url).host;
    const req = {
      method: 'POST',
      host,
      path: PATH_V3,
      query: {},
      headers: { 'content-type': 'application/octet-stream', 'x-acs-action': 'InvokeFunction', 'x-acs-version': '2023-03-30' },
      body: Buffer.from(body),
    };
    return signAcs3(req, creds, { now });
  }

  it('accepts the FC signature on the 2016-08-15 path, and rejects it once tampered', async () => {
    // Prepare
    const creds = rememberSecrets(fcApi.issueStsCredentials());
    const body = JSON.stringify(DEMO);
    const headers = fcSigned(PATH_V2, body, creds);
    const send = (h: Record<string, string>, b: string) => fetch(fcApi.url + PATH_V2, { method: 'POST', headers: h, body: b });
    // Act
    const ok = await send(headers, body);
    const tamperedHeader = await send({ ...headers, 'x-fc-invocation-type': 'Async' }, body);
    const tamperedBody = await send(headers, body.replace('17000000000', '17000000001'));
    const noToken = await send(Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'x-fc-security-token')), body);
    // Assess
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true });
    expect([tamperedHeader.status, ((await tamperedHeader.json()) as { ErrorCode: string }).ErrorCode]).toEqual([403, 'SignatureNotMatch']);
    expect(tamperedBody.status).toBe(400);
    expect(noToken.status).toBe(403);
  });

  it('refuses the FC signature on the 2023-03-30 path, as Function Compute 3.0 does', async () => {
    const creds = rememberSecrets(fcApi.issueStsCredentials());
    const body = JSON.stringify(DEMO);
    const res = await fetch(fcApi.url + PATH_V3, { method: 'POST', headers: fcSigned(PATH_V3, body, creds), body });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ Code: 'SignatureNotMatch', RequestId: expect.any(String) });
  });

  it('checks ACS3: the signature, the body hash, the STS token and nonce replay', async () => {
    // Prepare
    const creds = rememberSecrets(fcApi.issueStsCredentials());
    const body = JSON.stringify(DEMO);
    const send = (h: Record<string, string>, b: string) => fetch(fcApi.url + PATH_V3, { method: 'POST', headers: h, body: b });
    const signed = acs3Signed(body, creds);
    // Act
    const ok = await send(signed, body);
    const replayed = await send(signed, body);
    const tamperedBody = await send(acs3Signed(body, creds), body.replace('17000000000', '17000000001'));
    const fresh = acs3Signed(body, creds);
    const tamperedHeader = await send({ ...fresh, 'x-acs-action': 'DeleteFunction' }, body);
    const { 'x-acs-security-token': _token, ...withoutToken } = acs3Signed(body, creds);
    const noToken = await send(withoutToken, body);
    // Assess
    expect(ok.status).toBe(200);
    expect([replayed.status, ((await replayed.json()) as { Code: string }).Code]).toEqual([403, 'SignatureNonceUsed']);
    expect(tamperedBody.status).toBe(400);
    expect([tamperedHeader.status, ((await tamperedHeader.json()) as { Code: string }).Code]).toEqual([403, 'SignatureNotMatch']);
    expect(noToken.status).toBe(403);
  });

  it('refuses an ACS3 date more than 15 minutes off', async () => {
    const creds = rememberSecrets(fcApi.issueStsCredentials());
    const body = JSON.stringify(DEMO);
    const res = await fetch(fcApi.url + PATH_V3, { method: 'POST', headers: acs3Signed(body, creds, Date.now() - 16 * 60 * 1000), body });
    expect([res.status, ((await res.json()) as { Message: string }).Message]).toEqual([403, expect.stringContaining('15 minutes')]);
  });
});

describe('the example caller, from its dependencies', () => {
  it('answers from the client it is given, and logs one line', async () => {
    // Prepare
    const lines: string[] = [];
    const client = createBindingDetailClient({
      accountId: fcApi.accountId,
      region: 'cn-hangzhou',
      functionName: 'query-subscription-detail',
      endpoint: fcApi.url,
    });
    const handler = createStatusCheckHandler({
      clientFor: () => client,
      logger: createLogger({ level: 'info', sink: (l) => lines.push(l) }),
      now: () => Date.parse('2026-06-01T00:00:00Z'),
    });
    const context = { requestId: '1-caller', credentials: rememberSecrets(fcApi.issueStsCredentials()), function: { name: 'binding-status-check' } };
    // Act
    const active = await handler(Buffer.from(JSON.stringify({ poolKey: DEMO.poolKey, subsId: '1000000768798833', phoneNoX: '17000000001' })), context);
    const invalid = await handler(Buffer.from('not json'), context);
    // Assess
    expect(active).toMatchObject({ ok: true, active: true, expireDate: '2027-01-05T08:00:00+08:00', expiresInSeconds: 218 * 86_400 });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
    expect(lines.map((l) => JSON.parse(l) as { msg: string; ok: boolean })).toEqual([
      expect.objectContaining({ msg: 'invocation', ok: true }),
      expect.objectContaining({ msg: 'invocation', ok: false }),
    ]);
  });

  it('reuses one connection across invocations and credential rotations', async () => {
    const client = createBindingDetailClient({
      accountId: fcApi.accountId,
      region: 'cn-hangzhou',
      functionName: 'query-subscription-detail',
      endpoint: fcApi.url,
    });
    const before = fcApi.connections();
    for (let i = 0; i < 3; i++) expect(await client.query({ ...DEMO }, rememberSecrets(fcApi.issueStsCredentials()))).toMatchObject({ ok: true });
    expect(fcApi.connections() - before).toBe(1);
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
