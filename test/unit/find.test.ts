/**
 * A find's own rules, through `find` with scripted upstream calls (no network, no clock): how X's SubsId list
 * is read, and the order of the bindings it answers.
 */
import { describe, expect, it } from 'vitest';
import { parseFunctionConfig } from '../../lib/query/config';
import { find } from '../../lib/query/find';
import type { Invocation } from '../../lib/query/invocation';
import type { Attempt } from '../../lib/query/upstream';
import { upstreamFailure } from '../../lib/shared/errors';
import { createLogger } from '../../lib/shared/logger';

// No per-second limit here: the pace of a find is counted at the sandbox in test/integration/batch.test.ts.
const parsed = parseFunctionConfig({ DYPLS_ENDPOINT: 'http://127.0.0.1:1', FIND_MAX_RPS: '0' });
if (!parsed.ok) throw new Error('the default configuration is invalid');
const config = parsed.config;

/** An invocation whose QuerySubsId answers `list` and whose details come from `details` (by SubsId; else not found). */
function scripted(list: string, details: Record<string, Record<string, unknown>>, detailMs = 0) {
  const asked: string[] = [];
  let t = 0;
  const inv: Invocation = {
    config,
    credentials: { accessKeyId: 'STS.test', accessKeySecret: 'secret', securityToken: 'token' },
    // A clock that moves only when something sleeps: pacing runs without waiting.
    budget: {
      now: () => t,
      sleep: async (ms: number) => {
        t += ms;
      },
      random: () => 0,
      deadline: 10_000,
    },
    log: createLogger({ level: 'error', sink: () => {} }),
    calls: { count: 0 },
    subsIds: async () => ({ ok: true, requestId: 'L', value: list, httpStatus: 200 }),
    detail: async (request): Promise<Attempt> => {
      asked.push(request.subsId);
      t += detailMs;
      const dto = details[request.subsId];
      if (dto) return { ok: true, requestId: `D${request.subsId}`, value: { SubsId: request.subsId, PhoneNoX: request.phoneNoX, ...dto }, httpStatus: 200 };
      const code = 'isv.SUBS_NOT_EXIST';
      return { ok: false, reason: { kind: 'code', code }, failure: upstreamFailure(code, { requestId: 'D', message: undefined, httpStatus: 200 }) };
    },
  };
  return { inv, asked };
}

const request = { poolKey: 'FC100000012345678', phoneNoX: '17000000000' };

describe('a find', () => {
  it('reads the list trimmed, each SubsId once, in upstream order, skipping what is no SubsId', async () => {
    const { inv, asked } = scripted(' 2 ,1,2,,abc, 9223372036854775808 ,3', { 1: { Status: 1 }, 2: { Status: 1 }, 3: { Status: 1 } });
    const answered = await find(request, inv);
    expect(asked).toEqual(['2', '1', '3']);
    expect(answered.outcome).toMatchObject({ ok: true, data: { listed: 3 } });
  });

  it('answers an empty list as no bindings, without a detail call', async () => {
    const { inv, asked } = scripted('', {});
    expect((await find(request, inv)).outcome).toMatchObject({ ok: true, data: { listed: 0, bindings: [] } });
    expect(asked).toEqual([]);
  });

  it('sorts ACTIVE first, then newest gmtCreate, none last, then SubsId ascending as a number', async () => {
    const { inv } = scripted('10,9,3,2,1', {
      10: { Status: 1 },
      9: { Status: 1 },
      3: { Status: 0, GmtCreate: '2026-05-01 00:00:00' },
      2: { Status: 1, GmtCreate: '2026-01-01 00:00:00' },
      1: { Status: 1, GmtCreate: '2026-02-01 00:00:00' },
    });
    const answered = await find(request, inv);
    if (!answered.outcome.ok) throw new Error('not found');
    expect(answered.outcome.data.bindings.map((b) => b.subsId)).toEqual(['1', '2', '9', '10', '3']);
  });

  it('sorts by status, then gmtCreate newest first with none last, then SubsId as a number, whatever the listing order', async () => {
    const { inv } = scripted('21,3,12,11,100,2,30,4', {
      21: { Status: 0 },
      3: { Status: 1, GmtCreate: '2026-01-01 00:00:00' },
      12: { Status: 1 },
      11: { Status: 1 },
      100: { Status: 1 },
      2: { Status: 1, GmtCreate: '2026-03-01 00:00:00' },
      30: { Status: 0, GmtCreate: '2026-04-01 00:00:00' },
      4: { Status: 0, GmtCreate: '2026-02-01 00:00:00' },
    });
    const answered = await find(request, { ...inv, config: { ...config, findMaxBindings: 20 } });
    if (!answered.outcome.ok) throw new Error('not found');
    expect(answered.outcome.data.bindings.map((b) => b.subsId)).toEqual(['2', '3', '11', '12', '100', '30', '4', '21']);
  });

  it('reads a zero-padded SubsId as its number', async () => {
    const { inv, asked } = scripted('007', { 7: { Status: 1 } });
    const answered = await find(request, inv);
    expect(asked).toEqual(['7']);
    expect(answered.outcome).toMatchObject({ ok: true, data: { listed: 1, bindings: [{ subsId: '7' }] } });
  });

  it('filters on B without failing on a binding that has none (AXN)', async () => {
    const { inv } = scripted('1,2', { 1: { Status: 1, PhoneNoA: '15000000001' }, 2: { Status: 1, PhoneNoA: '15000000001', PhoneNoB: '15000000002' } });
    const answered = await find({ ...request, phoneNoB: '15000000002' }, inv);
    expect(answered.outcome).toMatchObject({ ok: true, data: { bindings: [{ subsId: '2' }] } });
  });

  it('reports the SubsIds it had no time to look up as unresolved, and answers their error when none was read', async () => {
    // One detail at a time, each taking 11 s of a 10 s budget: the second and third cannot start.
    const some = scripted('1,2,3', { 1: { Status: 1 } }, 11_000);
    const answered = await find(request, { ...some.inv, config: { ...config, findConcurrency: 1 } });
    expect(some.asked).toEqual(['1']);
    expect(answered.outcome).toMatchObject({
      ok: true,
      data: { bindings: [{ subsId: '1' }], unresolved: [{ subsId: '2', error: { code: 'UpstreamTimeout' } }, { subsId: '3' }] },
    });
    // The one that could be asked is gone: nothing was read, so the answer is the first unresolved error.
    const none = scripted('1,2,3', {}, 11_000);
    const late = await find(request, { ...none.inv, config: { ...config, findConcurrency: 1 } });
    expect(late.outcome).toMatchObject({ ok: false, failure: { code: 'UpstreamTimeout' } });
  });
});
