import { describe, expect, it } from 'vitest';
import { failure, UPSTREAM_CATALOG, upstreamFailure } from '../../lib/shared/errors';
import { createLogger } from '../../lib/shared/logger';
import { withRetries } from '../../lib/query/retry';
import type { Attempt } from '../../lib/query/upstream';

const silent = createLogger({ level: 'error', sink: () => {} });
const OK: Attempt = { ok: true, requestId: 'R', value: {}, httpStatus: 200 };
const code = (c: string): Attempt => ({
  ok: false,
  failure: upstreamFailure(c, { requestId: 'R', message: undefined, httpStatus: 200 }),
  reason: { kind: 'code', code: c },
});
const reset: Attempt = { ok: false, failure: failure('UpstreamUnavailable'), reason: { kind: 'network', code: 'ECONNRESET' } };

/** A fake clock: sleeping advances it; attempts take `attemptMs`, or time out at their timeout as pop-core does. */
function scripted(outcomes: Attempt[], { deadline = 10_000, attemptMs = 10, maxAttempts = 3, random = (): number => 0.5 } = {}) {
  let t = 0;
  const timeouts: number[] = [];
  const sleeps: number[] = [];
  const run = withRetries(
    async (timeoutMs) => {
      timeouts.push(timeoutMs);
      const next = outcomes.shift();
      if (attemptMs > timeoutMs) {
        t += timeoutMs;
        return { ok: false, failure: failure('UpstreamTimeout'), reason: { kind: 'timeout' } } satisfies Attempt;
      }
      t += attemptMs;
      if (!next) throw new Error('no more outcomes');
      return next;
    },
    {
      maxAttempts,
      timeoutMs: 3000,
      budget: {
        deadline,
        now: () => t,
        sleep: async (ms) => {
          sleeps.push(ms);
          t += ms;
        },
        random,
      },
      logger: silent,
    },
  );
  return { run, timeouts, sleeps };
}

describe('withRetries', () => {
  it('returns the first success without retrying', async () => {
    const { run, timeouts } = scripted([OK]);
    expect(await run).toMatchObject({ ok: true, attempts: 1 });
    expect(timeouts).toEqual([3000]);
  });

  it('does not sleep when the deadline leaves time for the backoff but not for the attempt after it', async () => {
    // t = 10 after the reset; a 50 ms backoff would end at 60, leaving 40 ms: less than an attempt needs (50).
    const { run, sleeps, timeouts } = scripted([reset, OK], { deadline: 100 });
    expect(await run).toMatchObject({ ok: false, attempts: 1, failure: { code: 'UpstreamTimeout' } });
    expect(sleeps).toEqual([]);
    expect(timeouts).toHaveLength(1);
  });

  it('retries a connection reset (a stale keep-alive socket) and succeeds', async () => {
    const { run, sleeps } = scripted([reset, OK]);
    expect(await run).toMatchObject({ ok: true, attempts: 2 });
    expect(sleeps).toEqual([50]);
  });

  it('backs off exponentially with full jitter, capped', async () => {
    const { run, sleeps } = scripted([code('isp.SYSTEM_ERROR'), code('isp.SYSTEM_ERROR'), code('isp.SYSTEM_ERROR'), code('isp.SYSTEM_ERROR'), OK], {
      maxAttempts: 5,
      random: () => 0.999,
    });
    expect(await run).toMatchObject({ ok: true, attempts: 5 });
    expect(sleeps).toEqual([99, 199, 399, 799]);
    expect(Math.max(...sleeps)).toBeLessThan(1000); // the backoff's cap
  });

  it('stops after DYPLS_MAX_ATTEMPTS and returns the last error', async () => {
    const { run } = scripted([code('isp.SYSTEM_ERROR'), code('isp.SYSTEM_ERROR'), code('isp.SYSTEM_ERROR')]);
    expect(await run).toMatchObject({ ok: false, attempts: 3, failure: { code: 'isp.SYSTEM_ERROR' } });
  });

  it('never retries what is not transient', async () => {
    for (const c of ['isv.SUBS_NOT_EXIST', 'isp.UNKNOWN_ERR_CODE', 'InvalidSecurityToken.Expired']) {
      const { run } = scripted([code(c)]);
      expect(await run).toMatchObject({ ok: false, attempts: 1, failure: { code: c } });
    }
    const timeout: Attempt = { ok: false, failure: failure('UpstreamTimeout'), reason: { kind: 'timeout' } };
    expect(await scripted([timeout]).run).toMatchObject({ attempts: 1, failure: { code: 'UpstreamTimeout' } });
  });

  it('retries throttling at most once', async () => {
    const { run } = scripted([code('isv.FLOW_LIMIT'), code('isv.FLOW_LIMIT'), OK]);
    expect(await run).toMatchObject({ ok: false, attempts: 2, failure: { code: 'isv.FLOW_LIMIT' } });
  });

  it('shrinks the last attempt to the remaining budget and answers 504 once it is spent', async () => {
    const { run, timeouts } = scripted([reset, reset, OK], { deadline: 1000, attemptMs: 400, maxAttempts: 5, random: () => 0 });
    expect(await run).toMatchObject({ ok: false, failure: { code: 'UpstreamTimeout' }, attempts: 3 });
    expect(timeouts).toEqual([1000, 600, 200]);
  });

  it('does not sleep past the deadline', async () => {
    const { run, sleeps } = scripted([reset], { deadline: 100, attemptMs: 40, random: () => 0.99 });
    expect(await run).toMatchObject({ ok: false, failure: { code: 'UpstreamTimeout' }, attempts: 1 });
    expect(sleeps).toEqual([]);
  });
});

describe('what is retried', () => {
  /** How many attempts a failure gets when the next attempt would succeed. */
  const attemptsAfter = async (first: Attempt) => (await scripted([first, OK]).run).attempts;

  it('retries the transient codes of the status table, network resets and throttling (once); nothing else', async () => {
    const retried: string[] = [];
    for (const e of UPSTREAM_CATALOG) if ((await attemptsAfter(code(e.code))) === 2 && e.category !== 'throttled') retried.push(e.code);
    expect(retried.sort()).toEqual(['InternalError', 'ServiceUnavailable', 'isp.DAO_EXCEPTION', 'isp.SYSTEM_ERROR']);
    expect(await attemptsAfter(code('Throttling.Api'))).toBe(2);
    for (const network of ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ECONNABORTED', 'ECONNECTTIMEOUT']) {
      expect(await attemptsAfter({ ok: false, failure: failure('UpstreamUnavailable'), reason: { kind: 'network', code: network } }), network).toBe(2);
    }
    const notFound: Attempt = { ok: false, failure: failure('UpstreamUnavailable'), reason: { kind: 'network', code: 'ENOTFOUND' } };
    expect(await attemptsAfter(notFound)).toBe(1);
    expect(await attemptsAfter({ ok: false, failure: failure('UpstreamTimeout'), reason: { kind: 'timeout' } })).toBe(1);
  });
});

describe('the deadline and the rules between attempts', () => {
  it('retries throttling once even after a transient failure before it', async () => {
    const { run } = scripted([reset, code('Throttling.Api'), OK], { maxAttempts: 5 });
    expect(await run).toMatchObject({ ok: true, attempts: 3 });
  });

  it('starts no attempt when less than 50 ms remain, and says so', async () => {
    const { run, timeouts } = scripted([OK], { deadline: 30 });
    expect(await run).toMatchObject({
      ok: false,
      attempts: 0,
      reason: { kind: 'deadline' },
      failure: { code: 'UpstreamTimeout', message: expect.stringContaining('ran out after 0 attempt(s)') },
    });
    expect(timeouts).toEqual([]);
  });
});
