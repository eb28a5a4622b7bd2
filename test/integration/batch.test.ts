/**
 * Batches: up to 100 single lookups in one invocation, through real pop-core against the signature-checking
 * sandbox, each answered as a single lookup of it would be; paced within the rate limit, throttling absorbed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DyplsSandbox, type SandboxData, type SandboxOptions, startDyplsSandbox } from '../../lib/dev/dyplsapi-sandbox';
import { batchEnvelopeSchema, type BatchResult } from '../../lib/shared/answers';
import { type Envelope, REQUEST_FIELDS, type RequestField, requestSchema } from '../../lib/shared/schemas';
import { DEMO, directEvent, fcContext, httpEvent } from '../support/fc';
import { asEnvelope, asHttp, busiestSecond, type Harness, rememberSecrets, startHarness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ DYPLS_TIMEOUT_MS: '1000', DYPLS_MAX_ATTEMPTS: '3' });
});
afterAll(() => h.close());
beforeEach(() => h.sandbox.resetFaults());

const POOL = DEMO.poolKey;
const ctx = () => fcContext(h.credentials);
const json = { 'content-type': 'application/json' };
const q = (subsId: string, phoneNoX = '17000000000') => ({ poolKey: POOL, subsId, phoneNoX });

function results(raw: unknown): BatchResult[] {
  const env = batchEnvelopeSchema.parse(raw);
  if (!env.ok) throw new Error(`not a batch answer: ${JSON.stringify(raw)}`);
  return env.data.results;
}

/** A result without its RequestId, which differs from call to call. */
const comparable = <T extends { requestId: string | null }>(r: T) => ({ ...r, requestId: r.requestId === null ? null : 'R' });

describe('a batch', () => {
  it('answers 100 mixed items with 200 and one result per item, in order, each as its single lookup answers', async () => {
    // Prepare: found, not found, invalid, without subsId, duplicates, throttled, a system error that clears on retry.
    const kinds = [
      q(DEMO.subsId),
      q('1000000768798833', '17000000001'),
      q('4000000000000000'),
      { poolKey: POOL, subsId: '12ab', phoneNoX: '1' },
      { poolKey: POOL, phoneNoX: '17000000000' },
      q('9991000000000015'),
      q('9990000000000020', '17000000009'),
      { PoolKey: POOL, SubsId: DEMO.subsId, PhoneNoX: '+86 170 0000 0000' },
    ];
    const queries = Array.from({ length: 100 }, (_, i) => kinds[i % kinds.length]);
    // Act
    const res = asHttp(await h.handler(httpEvent({ method: 'POST', headers: json, body: JSON.stringify({ queries }) }), ctx()));
    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ ok: true, requestId: null });
    const got = results(res.json);
    expect(got).toHaveLength(100);
    expect(got.slice(0, 8).map((r) => [r.status, r.ok ? 'ok' : r.error.code])).toEqual([
      [200, 'ok'],
      [200, 'ok'],
      [404, 'isv.SUBS_NOT_EXIST'],
      [400, 'InvalidRequest'],
      [400, 'InvalidRequest'],
      [429, 'isv.FLOW_LIMIT'],
      [200, 'ok'],
      [200, 'ok'],
    ]);
    const env = batchEnvelopeSchema.parse(res.json);
    expect(env.ok && env.data.counts).toEqual({ ok: 50, failed: 50 });
    // An item without subsId is no single lookup (alone it would be a find): its own 400 says so.
    expect(got[4]).toMatchObject({ status: 400, error: { issues: [{ path: 'subsId', message: 'is required (a request without it is a find)' }] } });
    // Each other result is what a single lookup of its item answers (the flaky item answers after its fault has worn off).
    for (const i of [0, 1, 2, 3, 5, 6, 7]) {
      h.sandbox.resetFaults();
      const single = asHttp(await h.handler(httpEvent({ method: 'POST', headers: json, body: JSON.stringify(kinds[i]) }), ctx()));
      expect(comparable(got[i] as BatchResult), `item ${i}`).toEqual(comparable({ status: single.statusCode, ...single.json }));
    }
  });

  it('looks identical items up once and answers them in every position', async () => {
    const before = h.sandbox.seen.length;
    const res = asEnvelope(
      await h.handler(directEvent({ queries: [q(DEMO.subsId), q(DEMO.subsId), { SubsId: DEMO.subsId, PoolKey: POOL, PhoneNoX: '0086 17000000000' }] }), ctx()),
    );
    expect(results(res).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(h.sandbox.seen.length - before).toBe(1);
  });

  it('never shares a lookup between items that differ only in X: each X gets its own upstream call and answer', async () => {
    const before = h.sandbox.seen.length;
    const res = asEnvelope(await h.handler(directEvent({ queries: [q(DEMO.subsId, '17000000000'), q(DEMO.subsId, '17000000001')] }), ctx()));
    // The binding is X 17000000000's: the other X must not receive its detail.
    expect(results(res).map((r) => [r.status, r.ok ? r.data.phoneNoX : r.error.code])).toEqual([
      [200, '17000000000'],
      [404, 'isv.SUBS_NOT_EXIST'],
    ]);
    expect(h.sandbox.seen.slice(before).map((s) => s.params.PhoneNoX)).toEqual(['17000000000', '17000000001']);
  });

  it('looks up items that differ in any one field a lookup sends separately, and sends each field on the wire', async () => {
    // Typed by the schema: a new lookup field fails to compile here until it has two values to tell apart.
    const two: Record<keyof typeof requestSchema.shape, readonly [string, string]> = {
      poolKey: [POOL, 'FC100000099999999'],
      productType: ['AXB_170', 'AXN_170'],
      subsId: [DEMO.subsId, '1000000768798833'],
      phoneNoX: ['17000000000', '17000000001'],
    };
    for (const [field, [v1, v2]] of Object.entries(two) as [RequestField, readonly [string, string]][]) {
      const base = field === 'productType' ? { subsId: DEMO.subsId, phoneNoX: '17000000000' } : q(DEMO.subsId);
      const before = h.sandbox.seen.length;
      await h.handler(
        directEvent({
          queries: [
            { ...base, [field]: v1 },
            { ...base, [field]: v2 },
          ],
        }),
        ctx(),
      );
      const sent = h.sandbox.seen.slice(before).map((s) => s.params[REQUEST_FIELDS[field]]);
      expect(sent.sort(), field).toEqual([v1, v2].sort());
    }
  });

  it('sends a throttled item exactly twice: once, and once more after the pause; never retried inside the lookup', async () => {
    const before = h.sandbox.seen.length;
    const res = asEnvelope(await h.handler(directEvent({ queries: [q('9991000000000015')] }), ctx()));
    expect(results(res).map((r) => [r.status, r.ok ? 'ok' : r.error.code])).toEqual([[429, 'isv.FLOW_LIMIT']]);
    expect(h.sandbox.seen.slice(before).filter((s) => s.params.SubsId === '9991000000000015')).toHaveLength(2);
  });

  it('answers an item of a pool outside ALLOWED_POOL_KEYS with its own 403, before any upstream call', async () => {
    const before = h.sandbox.seen.length;
    const res = asEnvelope(await h.handlerWith({ ALLOWED_POOL_KEYS: 'FC100000087654321' })(directEvent({ queries: [q(DEMO.subsId)] }), ctx()));
    expect(results(res)).toMatchObject([{ status: 403, ok: false, error: { code: 'PoolKeyNotAllowed' } }]);
    expect(h.sandbox.seen.length).toBe(before);
  });

  it('answers NotAttempted, retryable, for the items it had no time to start, and leaves nothing running', async () => {
    // Prepare: each call takes 300 ms; one at a time; a 1 s function leaves 500 ms after its answer margin.
    const slow = await startDyplsSandbox({ latencyMs: 300 });
    try {
      const handler = h.handlerWith({ DYPLS_ENDPOINT: slow.url, BATCH_CONCURRENCY: '1', DYPLS_MAX_ATTEMPTS: '1' });
      const context = fcContext(rememberSecrets(slow.issueStsCredentials()), { function: { name: 'f', timeout: 1 } });
      // Act
      const res = asEnvelope(
        await handler(
          directEvent({
            queries: [q(DEMO.subsId), q('1000000768798833', '17000000001'), q('1000000768798834', '17000000002'), q('1000000768798835', '17000000003')],
          }),
          context,
        ),
      );
      // Assess
      const got = results(res);
      expect(got[0]).toMatchObject({ status: 200, ok: true });
      expect(got.at(-1)).toMatchObject({
        status: 503,
        ok: false,
        error: { code: 'NotAttempted', retryable: true, message: 'The batch ran out of time before this item was looked up; retry it.' },
      });
      expect(slow.openConnections()).toBeLessThanOrEqual(1);
    } finally {
      await slow.close();
    }
  });

  it('writes one summary line with the counts by status, the upstream calls and the pauses; item lines only at debug', async () => {
    const before = h.logs.lines.length;
    await h.handler(directEvent({ queries: [q(DEMO.subsId), q('4000000000000000'), q(DEMO.subsId)] }), ctx());
    const lines = h.logs.records().slice(before);
    expect(lines.filter((l) => l.level === 'info')).toEqual([
      expect.objectContaining({
        msg: 'invocation',
        question: 'batch',
        status: 200,
        items: 3,
        unique: 2,
        byStatus: ['200:2', '404:1'],
        upstreamCalls: 2,
        pauses: 0,
        durationMs: expect.any(Number),
      }),
    ]);
    const debug = h.logs.records().length;
    await h.handlerWith({ LOG_LEVEL: 'debug' })(directEvent({ queries: [q(DEMO.subsId)] }), ctx());
    expect(
      h.logs
        .records()
        .slice(debug)
        .filter((l) => l.msg === 'batch item'),
    ).toEqual([expect.objectContaining({ level: 'debug', index: 0, status: 200 })]);
  });
});

describe('a batch that is not one', () => {
  it.each([
    { name: 'queries that are not an array', payload: { queries: 'x' } },
    { name: 'no queries', payload: { queries: [] } },
    { name: '101 queries', payload: { queries: Array.from({ length: 101 }, () => q(DEMO.subsId)) } },
    { name: 'an unknown top-level field', payload: { queries: [q(DEMO.subsId)], mode: 'fast' } },
    { name: 'single-lookup fields beside the queries', payload: { queries: [q(DEMO.subsId)], subsId: DEMO.subsId } },
  ])('answers $name with one 400 for the whole request', async ({ payload }) => {
    const before = h.sandbox.seen.length;
    const res = asEnvelope(await h.handler(directEvent(payload), ctx()));
    expect(res).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
    expect(h.sandbox.seen.length).toBe(before);
  });

  it('answers a GET with queries with 400, saying to POST', async () => {
    const res = asHttp(await h.handler(httpEvent({ query: { queries: '[]' } }), ctx()));
    expect(res.statusCode).toBe(400);
    expect(res.json).toMatchObject({ error: { issues: [{ path: 'query.queries', message: expect.stringContaining('POST') }] } });
  });

  it('answers query-string fields beside a POSTed batch with 400', async () => {
    const res = asHttp(
      await h.handler(httpEvent({ method: 'POST', headers: json, query: { poolKey: POOL }, body: JSON.stringify({ queries: [q(DEMO.subsId)] }) }), ctx()),
    );
    expect(res.statusCode).toBe(400);
  });
});

describe('a batch against a throttling Dyplsapi', () => {
  it('slows down and answers every item, with fewer throttled calls than items and the pause in the log', async () => {
    // Prepare: 40 bindings; more than 4 calls in flight answer isv.FLOW_LIMIT; each call takes 30 ms.
    const bindings = Array.from({ length: 40 }, (_, i) => ({
      PoolKey: POOL,
      SubsId: String(2000000000000000 + i),
      PhoneNoX: '17000000050',
      PhoneNoA: '15000000050',
      Status: 1,
    }));
    const data: SandboxData = { pools: [POOL], bindings, faults: [] };
    const busy = await startDyplsSandbox({ data, latencyMs: 30, throttleAbove: 4 });
    try {
      const handler = h.handlerWith({ DYPLS_ENDPOINT: busy.url, BATCH_CONCURRENCY: '8', BATCH_MAX_RPS: '0' });
      const before = h.logs.lines.length;
      // Act
      const res = asEnvelope(
        await handler(directEvent({ queries: bindings.map((b) => q(b.SubsId, b.PhoneNoX)) }), fcContext(rememberSecrets(busy.issueStsCredentials()))),
      );
      // Assess
      expect(results(res).map((r) => r.status)).toEqual(bindings.map(() => 200));
      expect(busy.throttled()).toBeGreaterThan(0);
      expect(busy.throttled()).toBeLessThan(bindings.length);
      const summary = h.logs
        .records()
        .slice(before)
        .find((l) => l.msg === 'invocation');
      expect(summary).toMatchObject({ items: 40, byStatus: ['200:40'], pauses: expect.any(Number) });
      expect(summary?.pauses as number).toBeGreaterThanOrEqual(1);
    } finally {
      await busy.close();
    }
  });
});

/** `n` bindings of one X, each answering `faultTimes` isp.SYSTEM_ERROR before its detail. */
function flakyData(n: number, phoneNoX: string, faultTimes: number): SandboxData {
  const bindings = Array.from({ length: n }, (_, i) => ({
    PoolKey: POOL,
    SubsId: String(3000000000000000 + i),
    PhoneNoX: phoneNoX,
    PhoneNoA: '15000000060',
    Status: 1,
  }));
  const faults = faultTimes > 0 ? bindings.map((b) => ({ subsId: b.SubsId, kind: 'error' as const, code: 'isp.SYSTEM_ERROR', times: faultTimes })) : [];
  return { pools: [POOL], bindings, faults };
}

/** The lookups of every binding in `data`. */
const queriesOf = (data: SandboxData) => data.bindings.map((b) => q(b.SubsId, b.PhoneNoX));

/**
 * A sandbox of its own holding `data`, and the handler with `env` against it: `invoke` sends one direct payload
 * with credentials that sandbox accepts (and a function timeout, when given); the sandbox closes afterwards.
 */
async function againstOwnSandbox<T>(
  sandbox: SandboxOptions & { data: SandboxData },
  env: Record<string, string>,
  run: (upstream: DyplsSandbox, invoke: (payload: unknown, timeoutS?: number) => Promise<Envelope>) => Promise<T>,
): Promise<T> {
  const upstream = await startDyplsSandbox(sandbox);
  try {
    const handler = h.handlerWith({ DYPLS_ENDPOINT: upstream.url, ...env });
    return await run(upstream, async (payload, timeoutS) => {
      const context = fcContext(rememberSecrets(upstream.issueStsCredentials()), timeoutS === undefined ? {} : { function: { name: 'f', timeout: timeoutS } });
      return asEnvelope(await handler(directEvent(payload), context));
    });
  } finally {
    await upstream.close();
  }
}

describe('one pace for every request, retries included (counted at the sandbox)', () => {
  it('keeps a batch whose every item is retried twice within BATCH_MAX_RPS in every second', async () => {
    const data = flakyData(40, '17000000060', 2);
    await againstOwnSandbox({ data }, { BATCH_MAX_RPS: '50', BATCH_CONCURRENCY: '16', DYPLS_MAX_ATTEMPTS: '3' }, async (upstream, invoke) => {
      const res = await invoke({ queries: queriesOf(data) });
      expect(results(res).map((r) => r.status)).toEqual(data.bindings.map(() => 200));
      expect(upstream.seen).toHaveLength(120);
      expect(busiestSecond(upstream.seen)).toBeLessThanOrEqual(50);
    });
  });

  it('keeps a find, its listing and every retry within FIND_MAX_RPS in every second', async () => {
    const data = flakyData(10, '17000000061', 2);
    await againstOwnSandbox({ data }, { FIND_MAX_RPS: '20', FIND_CONCURRENCY: '8', FIND_MAX_BINDINGS: '10' }, async (upstream, invoke) => {
      const res = await invoke({ poolKey: POOL, phoneNoX: '17000000061' });
      expect(res).toMatchObject({ ok: true, data: { listed: 10, unresolved: [] } });
      expect(upstream.seen).toHaveLength(31);
      expect(busiestSecond(upstream.seen)).toBeLessThanOrEqual(20);
    });
  });
});

describe('a batch under intermittent throttling recovers (counted at the sandbox)', () => {
  /** Runs 100 distinct items against a sandbox throttling as `options` say; counts the outcomes. */
  async function hundredItems(options: SandboxOptions) {
    const data = flakyData(100, '17000000062', 0);
    return againstOwnSandbox({ data, latencyMs: 5, ...options }, { BATCH_MAX_RPS: '50', BATCH_CONCURRENCY: '8' }, async (upstream, invoke) => {
      const statuses = results(await invoke({ queries: queriesOf(data) })).map((r) => (r.ok ? 200 : r.error.code));
      const count = (s: number | string) => statuses.filter((x) => x === s).length;
      return { ok: count(200), throttled: count('isv.FLOW_LIMIT'), notAttempted: count('NotAttempted'), busiest: busiestSecond(upstream.seen) };
    });
  }

  it('answers every item of a batch against a 30/s limit, near that rate, none NotAttempted', async () => {
    const run = await hundredItems({ throttlePerSecond: 30 });
    expect(run.notAttempted).toBe(0);
    expect(run.ok).toBeGreaterThanOrEqual(90);
    expect(run.busiest).toBeLessThanOrEqual(50);
  });

  it('answers every item when every third request is throttled, none NotAttempted', async () => {
    const run = await hundredItems({ throttleEvery: 3 });
    expect(run.notAttempted).toBe(0);
    expect(run.ok + run.throttled).toBe(100);
    expect(run.ok).toBeGreaterThanOrEqual(80);
  });
});

describe("a batch's own maxRps", () => {
  it('keeps to the lower of maxRps and BATCH_MAX_RPS, retries included, counted at the sandbox', async () => {
    const data = flakyData(10, '17000000063', 1);
    await againstOwnSandbox({ data }, { BATCH_MAX_RPS: '50' }, async (upstream, invoke) => {
      const res = await invoke({ queries: queriesOf(data), maxRps: 10 });
      expect(results(res).map((r) => r.status)).toEqual(data.bindings.map(() => 200));
      expect(upstream.seen).toHaveLength(20);
      expect(busiestSecond(upstream.seen)).toBeLessThanOrEqual(10);
    });
  });

  it('answers a maxRps that is not an integer from 1 to 1000 with one 400 naming it', async () => {
    for (const maxRps of [0, 1001, 2.5, '10', -1]) {
      const env = asEnvelope(await h.handler(directEvent({ queries: [q(DEMO.subsId)], maxRps }), ctx()));
      expect(env, String(maxRps)).toMatchObject({ ok: false, error: { code: 'InvalidRequest', issues: [{ path: 'maxRps' }] } });
    }
  });
});

describe('a batch at the edges of its time and rate', () => {
  it('keeps to maxRps even when BATCH_MAX_RPS lifts the limit (0)', async () => {
    const data = flakyData(10, '17000000064', 0);
    await againstOwnSandbox({ data }, { BATCH_MAX_RPS: '0' }, async (upstream, invoke) => {
      await invoke({ queries: queriesOf(data), maxRps: 5 });
      expect(upstream.seen).toHaveLength(10);
      expect(busiestSecond(upstream.seen)).toBeLessThanOrEqual(5);
    });
  });

  it('answers NotAttempted for the items whose turn at the pace comes after the deadline, having sent nothing for them', async () => {
    // 1 request a second and a 2 s function (1.5 s of budget): the first two items get a turn, the rest do not.
    const data = flakyData(5, '17000000065', 0);
    await againstOwnSandbox({ data }, { BATCH_MAX_RPS: '1' }, async (upstream, invoke) => {
      const res = await invoke({ queries: queriesOf(data) }, 2);
      expect(results(res).map((r) => (r.ok ? 200 : r.error.code))).toEqual([200, 200, 'NotAttempted', 'NotAttempted', 'NotAttempted']);
      expect(upstream.seen).toHaveLength(2);
    });
  });

  it('answers a throttled item with its 429 when the pause outlasts the deadline, and counts it in the log line', async () => {
    const before = h.logs.lines.length;
    // A 1 s function leaves 500 ms; the pause after the throttling answer is 500 ms: no second try.
    const context = fcContext(h.credentials, { function: { name: 'f', timeout: 1 } });
    const res = asEnvelope(await h.handler(directEvent({ queries: [q('9991000000000015')] }), context));
    expect(results(res).map((r) => [r.status, r.ok ? 'ok' : r.error.code])).toEqual([[429, 'isv.FLOW_LIMIT']]);
    const line = h.logs
      .records()
      .slice(before)
      .find((l) => l.msg === 'invocation');
    expect(line).toMatchObject({ throttled: 1, pauses: 1, upstreamCalls: 1 });
  });

  it('answers a throttled item with its 429 when its second try never gets a lookup slot before the deadline', async () => {
    // One lookup at a time: the slow item holds the slot from the end of the pause to the deadline.
    const handler = h.handlerWith({ BATCH_CONCURRENCY: '1' });
    const context = fcContext(h.credentials, { function: { name: 'f', timeout: 2 } });
    const res = asEnvelope(await handler(directEvent({ queries: [q('9991000000000015'), q('9990000000000001')] }), context));
    expect(results(res).map((r) => [r.status, r.ok ? 'ok' : r.error.code])).toEqual([
      [429, 'isv.FLOW_LIMIT'],
      [504, 'UpstreamTimeout'],
    ]);
  });
});
