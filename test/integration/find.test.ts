/**
 * Finds: every binding of an X number, without a SubsId, through real pop-core against the signature-checking
 * sandbox (QuerySubsId, then each QuerySubscriptionDetail), with the demo data of lib/dev/sandbox-bindings.json.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDyplsSandbox, type SandboxData } from '../../lib/dev/dyplsapi-sandbox';
import { findEnvelopeSchema } from '../../lib/shared/answers';
import { DEMO, directEvent, fcContext, httpEvent } from '../support/fc';
import { asEnvelope, asHttp, type Harness, rememberSecrets, startHarness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ DYPLS_TIMEOUT_MS: '1000', DYPLS_MAX_ATTEMPTS: '2' });
});
afterAll(() => h.close());
beforeEach(() => h.sandbox.resetFaults());

const POOL = DEMO.poolKey;
const ctx = () => fcContext(h.credentials);

async function find(fields: Record<string, string>, handler = h.handler) {
  return asHttp(await handler(httpEvent({ query: { poolKey: POOL, ...fields } }), ctx()));
}

function data(res: Awaited<ReturnType<typeof find>>) {
  const env = findEnvelopeSchema.parse(res.json);
  if (!env.ok) throw new Error(`not a found answer: ${res.body}`);
  return env.data;
}

describe('a find by X', () => {
  it('answers every binding of X with the 13 fields, ACTIVE first, then newest gmtCreate', async () => {
    // Act
    const res = await find({ phoneNoX: '17000000010' });
    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ ok: true, requestId: expect.stringMatching(/^[0-9A-F-]{36}$/) });
    const d = data(res);
    expect(d).toMatchObject({ phoneNoX: '17000000010', listed: 3, truncated: false, unresolved: [] });
    expect(d.bindings.map((b) => [b.subsId, b.status])).toEqual([
      ['1000000768798850', 'ACTIVE'],
      ['1000000768798851', 'ACTIVE'],
      ['1000000768798852', 'INACTIVE'],
    ]);
    expect(Object.keys(d.bindings[0] ?? {}).sort()).toHaveLength(13);
  });

  it('keeps a found binding exactly as a single lookup of it answers', async () => {
    const found = data(await find({ phoneNoX: '17000000010' })).bindings.find((b) => b.subsId === '1000000768798851');
    const single = asEnvelope(await h.handler(directEvent({ poolKey: POOL, subsId: '1000000768798851', phoneNoX: '17000000010' }), ctx()));
    expect(single.ok && single.data).toEqual(found);
  });

  it('keeps only the bindings whose A and B match the filters', async () => {
    expect(data(await find({ phoneNoX: '17000000010', phoneNoA: '150-0000-0010' })).bindings.map((b) => b.subsId)).toEqual([
      '1000000768798850',
      '1000000768798852',
    ]);
    expect(data(await find({ phoneNoX: '17000000010', PhoneNoB: '15000000013' })).bindings.map((b) => b.subsId)).toEqual(['1000000768798851']);
    expect(data(await find({ phoneNoX: '17000000010', phoneNoA: '15000000010', phoneNoB: '15000000013' })).bindings).toEqual([]);
  });

  it('answers 200 with no bindings for an X that has none', async () => {
    const res = await find({ phoneNoX: '17000000011' });
    expect(res.statusCode).toBe(200);
    expect(data(res)).toEqual({ phoneNoX: '17000000011', bindings: [], listed: 0, truncated: false, unresolved: [] });
  });

  it('reports a detail that keeps failing in unresolved, and answers the rest', async () => {
    const d = data(await find({ phoneNoX: '17000000012' }));
    expect(d.bindings.map((b) => b.subsId)).toEqual(['1000000768798854', '1000000768798853']);
    expect(d.unresolved).toEqual([
      {
        subsId: '9994000000000001',
        error: { code: 'isp.SYSTEM_ERROR', message: 'Dyplsapi had a system error; retry.', messageZh: '系统错误', retryable: true },
      },
    ]);
  });

  it('leaves out silently a listed binding that is gone by the time of its detail', async () => {
    expect(data(await find({ phoneNoX: '17000000014' }))).toMatchObject({ listed: 2, bindings: [{ subsId: '1000000768798857' }], unresolved: [] });
  });

  it('trims the list, drops repeats and what is no SubsId', async () => {
    const d = data(await find({ phoneNoX: '17000000013' }));
    expect(d.listed).toBe(2);
    expect(d.bindings.map((b) => b.subsId).sort()).toEqual(['1000000768798855', '1000000768798856']);
  });

  it('looks up at most FIND_MAX_BINDINGS, in upstream order, and says it truncated', async () => {
    const d = data(await find({ phoneNoX: '17000000010' }, h.handlerWith({ FIND_MAX_BINDINGS: '2' })));
    expect(d).toMatchObject({ listed: 3, truncated: true });
    expect(d.bindings.map((b) => b.subsId)).toEqual(['1000000768798850', '1000000768798851']);
  });

  it('reads a list of 40,000 SubsIds (780 KB), looks up the first FIND_MAX_BINDINGS and says it truncated', async () => {
    // Prepare: X carries 40,000 bindings; only the first 20 exist as details, which is all a find reads.
    const ids = Array.from({ length: 40_000 }, (_, i) => String(5000000000000000 + i));
    const bindings = ids.slice(0, 20).map((SubsId) => ({ PoolKey: POOL, SubsId, PhoneNoX: '17000000070', Status: 1 }));
    const upstream = await startDyplsSandbox({ data: { pools: [POOL], bindings, faults: [], subsIdLists: { '17000000070': ids.join(',') } } });
    try {
      const handler = h.handlerWith({ DYPLS_ENDPOINT: upstream.url });
      const res = asHttp(
        await handler(httpEvent({ query: { poolKey: POOL, phoneNoX: '17000000070' } }), fcContext(rememberSecrets(upstream.issueStsCredentials()))),
      );
      expect(res.statusCode).toBe(200);
      const d = data(res);
      expect(d).toMatchObject({ listed: 40_000, truncated: true, unresolved: [] });
      expect(d.bindings).toHaveLength(20);
    } finally {
      await upstream.close();
    }
  });

  it('counts a SubsId listed with leading zeros as the same binding', async () => {
    const bindings = [{ PoolKey: POOL, SubsId: '1010', PhoneNoX: '17000000071', Status: 1 }];
    const upstream = await startDyplsSandbox({ data: { pools: [POOL], bindings, faults: [], subsIdLists: { '17000000071': '1010,01010, 001010' } } });
    try {
      const handler = h.handlerWith({ DYPLS_ENDPOINT: upstream.url });
      const res = asHttp(
        await handler(httpEvent({ query: { poolKey: POOL, phoneNoX: '17000000071' } }), fcContext(rememberSecrets(upstream.issueStsCredentials()))),
      );
      expect(data(res)).toMatchObject({ listed: 1, bindings: [{ subsId: '1010' }] });
      expect(upstream.seen.filter((r) => r.params.Action === 'QuerySubscriptionDetail')).toHaveLength(1);
    } finally {
      await upstream.close();
    }
  });

  it('finds by product type without sending a pool key', async () => {
    const res = asHttp(await h.handler(httpEvent({ query: { productType: 'AXB_170', phoneNoX: '17000000006' } }), ctx()));
    expect(data(res).bindings.map((b) => b.subsId)).toEqual(['1000000768798838']);
    const listing = h.sandbox.seen.filter((s) => s.params.Action === 'QuerySubsId').at(-1);
    expect(listing?.params).not.toHaveProperty('PoolKey');
    expect(listing?.params).not.toHaveProperty('ProductType');
  });

  it('masks A and B under PHONE_NUMBER_OUTPUT=masked, still filtering on the full numbers', async () => {
    const d = data(await find({ phoneNoX: '17000000010', phoneNoA: '15000000010' }, h.handlerWith({ PHONE_NUMBER_OUTPUT: 'masked' })));
    expect(d.bindings.map((b) => [b.phoneNoA, b.phoneNoB, b.phoneNoX])).toEqual([
      ['150****0010', '150****0011', '17000000010'],
      ['150****0010', '150****0014', '17000000010'],
    ]);
  });
});

describe('a find that fails', () => {
  it('answers a failing QuerySubsId exactly as a single lookup would answer its code', async () => {
    const res = await find({ phoneNoX: '17000000010', poolKey: 'FC999' });
    expect([res.statusCode, res.json.ok ? '' : res.json.error.code]).toEqual([404, 'POOLKEY_NOT_EXIST']);
  });

  it.each([
    { x: '17000000097', code: 'isp.RAM_PERMISSION_DENY' },
    { x: '17000000098', code: 'Forbidden.RAM' },
  ])('answers 502 $code for a role without QuerySubsId, naming the missing action', async ({ x, code }) => {
    const res = await find({ phoneNoX: x });
    expect(res.statusCode).toBe(502);
    expect(res.json).toMatchObject({ ok: false, error: { code, message: expect.stringContaining('dypls:QuerySubsId') } });
  });

  it('answers the first unresolved error, with its status, when nothing could be read', async () => {
    // Prepare: an X whose only binding keeps failing.
    const data: SandboxData = {
      pools: [POOL],
      bindings: [{ PoolKey: POOL, SubsId: '9994000000000001', PhoneNoX: '17000000012', PhoneNoA: '15000000017', Status: 1 }],
      faults: [{ subsId: '9994000000000001', kind: 'error', code: 'isp.SYSTEM_ERROR', message: '系统错误' }],
    };
    const sandbox = await startDyplsSandbox({ data });
    try {
      const handler = h.handlerWith({ DYPLS_ENDPOINT: sandbox.url });
      // Act
      const res = asHttp(
        await handler(httpEvent({ query: { poolKey: POOL, phoneNoX: '17000000012' } }), fcContext(rememberSecrets(sandbox.issueStsCredentials()))),
      );
      // Assess
      expect(res.statusCode).toBe(503);
      expect(res.json).toMatchObject({ ok: false, error: { code: 'isp.SYSTEM_ERROR', retryable: true } });
    } finally {
      await sandbox.close();
    }
  });

  it('checks the pool allowlist and the credentials before any upstream call', async () => {
    const before = h.sandbox.seen.length;
    expect((await find({ phoneNoX: '17000000010' }, h.handlerWith({ ALLOWED_POOL_KEYS: 'FC1' }))).statusCode).toBe(403);
    expect(asHttp(await h.handler(httpEvent({ query: { poolKey: POOL, phoneNoX: '17000000010' } }), fcContext({}))).statusCode).toBe(500);
    expect(h.sandbox.seen.length).toBe(before);
  });

  it('rejects A and B filters beside a subsId with 400, before any upstream call', async () => {
    const before = h.sandbox.seen.length;
    const res = await find({ subsId: DEMO.subsId, phoneNoX: DEMO.phoneNoX, phoneNoA: '15000000000' });
    expect(res.statusCode).toBe(400);
    expect(res.json).toMatchObject({ error: { issues: [{ path: 'phoneNoA' }] } });
    expect(h.sandbox.seen.length).toBe(before);
  });
});

describe('the log of a find', () => {
  it('is one summary line with the counts and the upstream RequestIds, numbers masked, no line per binding', async () => {
    const before = h.logs.lines.length;
    const context = ctx();
    await h.handler(httpEvent({ query: { poolKey: POOL, phoneNoX: '17000000010' } }), context);
    const lines = h.logs.records().slice(before);
    expect(lines.filter((l) => l.level === 'info')).toEqual([
      expect.objectContaining({
        msg: 'invocation',
        requestId: context.requestId,
        question: 'find',
        status: 200,
        phoneNoX: '170****0010',
        listed: 3,
        found: 3,
        unresolved: 0,
        upstreamCalls: 4,
        upstreamRequestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
        detailRequestIds: [expect.any(String), expect.any(String), expect.any(String)],
      }),
    ]);
  });
});
