/**
 * reconcile's parts on their own: the engine with a scripted function and a virtual clock (order, retries,
 * the rate budget across parallel batches, a failure that stops the run), and the checkpoint read back after
 * a stop in the middle of a row, in JSON Lines and in CSV.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BatchResult } from '../../lib/caller';
import { readCheckpoint } from '../../lib/cli/reconcile/checkpoint';
import { type Answered, type EngineOptions, type Row, runEngine } from '../../lib/cli/reconcile/engine';
import { busiestSecond } from '../../lib/dev/dyplsapi-sandbox';
import { csvColumns, csvHeader, formatRows, resultRow } from '../../lib/cli/reconcile/results';

/** A clock that only moves when someone sleeps: the run takes no real time, and every instant is known. */
function virtualClock() {
  let t = 0;
  const sleepers: { at: number; wake: () => void }[] = [];
  return {
    now: () => t,
    random: () => 0.5,
    sleep: (ms: number) =>
      new Promise<void>((wake) => {
        sleepers.push({ at: t + Math.max(0, ms), wake });
        sleepers.sort((a, b) => a.at - b.at);
        // Let every other ready task run first, then move to the next sleeper's instant.
        setImmediate(() => {
          const next = sleepers.shift();
          if (!next) return;
          t = Math.max(t, next.at);
          next.wake();
        });
      }),
  };
}

async function* rowsOf(n: number): AsyncGenerator<Row> {
  for (let line = 1; line <= n; line++) yield { line, input: { subsId: String(line) } };
}

const ok = (id: string): BatchResult => ({
  status: 200,
  ok: true,
  requestId: `R-${id}`,
  data: {
    subsId: id,
    phoneNoA: null,
    phoneNoB: null,
    phoneNoX: '17000000000',
    extension: null,
    groupId: null,
    gmtCreate: null,
    expireDate: null,
    needRecord: null,
    status: 'ACTIVE',
    callRestrict: null,
    asrStatus: null,
    asrModelId: null,
  },
});
const failed = (status: number, code: string, retryable: boolean): BatchResult => ({
  status,
  ok: false,
  requestId: null,
  error: { code, message: code, messageZh: code, retryable },
});

/** runEngine over `n` rows on `clock`, collecting what it writes; never stopped unless `stopped` says so. */
async function runRows(
  n: number,
  clock: EngineOptions['clock'],
  o: Pick<EngineOptions, 'rps' | 'parallel' | 'maxRetries' | 'ask'> & Partial<Pick<EngineOptions, 'stopped'>>,
) {
  const written: Answered[] = [];
  const result = await runEngine({
    rows: rowsOf(n),
    clock,
    stopped: () => false,
    ...o,
    write: async (rows) => {
      written.push(...rows);
    },
  });
  return { result, written };
}

const idOf = (request: unknown) => (request as { subsId: string }).subsId;

describe('the reconcile engine', () => {
  it('writes every row once, in input order, retrying the retryable ones, and keeps the last answer after --max-retries', async () => {
    const clock = virtualClock();
    const tries = new Map<string, number>();
    const { result, written } = await runRows(250, clock, {
      rps: 50,
      parallel: 3,
      maxRetries: 2,
      ask: async (requests) => {
        await clock.sleep(100);
        return requests.map((r) => {
          const id = idOf(r);
          const n = (tries.get(id) ?? 0) + 1;
          tries.set(id, n);
          // Every 7th row is throttled twice, then answers; row 13 is always throttled.
          if (id === '13') return failed(429, 'isv.FLOW_LIMIT', true);
          return Number(id) % 7 === 0 && n <= 2 ? failed(429, 'isv.FLOW_LIMIT', true) : ok(id);
        });
      },
    });
    expect(result).toEqual({ fatal: undefined, incomplete: false });
    expect(written.map((r) => r.line)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(written.filter((r) => !r.result.ok).map((r) => r.line)).toEqual([13]);
    expect(tries.get('13')).toBe(3);
    expect(tries.get('14')).toBe(3);
    expect(tries.get('15')).toBe(1);
  });

  it('asks each batch to keep to an equal share of --rps, and spaces a worker’s batches by one request', async () => {
    const clock = virtualClock();
    const sends: { at: number; n: number; maxRps: number }[] = [];
    await runRows(1600, clock, {
      rps: 100,
      parallel: 4,
      maxRetries: 0,
      // A batch paced at maxRps takes (n - 1) / maxRps seconds, as the function spaces its requests.
      ask: async (requests, maxRps) => {
        sends.push({ at: clock.now(), n: requests.length, maxRps });
        await clock.sleep(((requests.length - 1) * 1020) / maxRps + 20);
        return requests.map((r) => ok(idOf(r)));
      },
    });
    expect(new Set(sends.map((s) => s.maxRps))).toEqual(new Set([25]));
    expect(sends.reduce((a, s) => a + s.n, 0)).toBe(1600);
    // Requests each send made, at its pace: no 1 s window holds more than --rps.
    const requests = sends.flatMap((s) => Array.from({ length: s.n }, (_, k) => ({ at: s.at + (k * 1020) / s.maxRps })));
    expect(busiestSecond(requests)).toBeLessThanOrEqual(100);
    // And the budget is used: within 10% of the ideal 16 s.
    expect(clock.now()).toBeLessThan(17_600);
  });

  it('lowers the pace after throttling and gives it back after quiet sends', async () => {
    const clock = virtualClock();
    const paces: number[] = [];
    let sent = 0;
    await runRows(1500, clock, {
      rps: 80,
      parallel: 1,
      maxRetries: 3,
      ask: async (requests, maxRps) => {
        paces.push(maxRps);
        await clock.sleep(50);
        sent++;
        return requests.map((r, k) => (sent === 2 && k === 0 ? failed(429, 'isv.FLOW_LIMIT', true) : ok(idOf(r))));
      },
    });
    expect(paces[0]).toBe(80);
    expect(paces[2]).toBe(40);
    expect(paces.at(-1)).toBe(80);
  });

  it('stops when a whole send fails the same way no retry mends, writing only what was final before', async () => {
    const clock = virtualClock();
    let sends = 0;
    const { result, written } = await runRows(500, clock, {
      rps: 50,
      parallel: 1,
      maxRetries: 5,
      ask: async (requests) => {
        sends++;
        return requests.map((r) => (sends === 1 ? ok(idOf(r)) : failed(403, 'FC.AccessDenied', false)));
      },
    });
    expect(result.fatal?.ok === false && result.fatal.error.code).toBe('FC.AccessDenied');
    expect(result.incomplete).toBe(true);
    expect(written.map((r) => r.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(sends).toBe(2);
  });

  it('once stopped, starts nothing new and writes the batches that finished', async () => {
    const clock = virtualClock();
    let stop = false;
    const { result, written } = await runRows(1000, clock, {
      rps: 100,
      parallel: 2,
      maxRetries: 0,
      stopped: () => stop,
      ask: async (requests) => {
        await clock.sleep(500);
        stop = true;
        return requests.map((r) => ok(idOf(r)));
      },
    });
    expect(result.incomplete).toBe(true);
    expect(written.map((r) => r.line)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });
});

const dir = mkdtempSync(join(tmpdir(), 'dypls-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the checkpoint', () => {
  const answered = (line: number): Answered => ({ line, input: { subsId: String(line), note: 'a "quoted", multi\nline 备注' }, result: ok(String(line)) });

  it('counts the whole JSON Lines rows and cuts a half-written last one', async () => {
    const path = join(dir, 'out.jsonl');
    const whole = formatRows(
      [1, 2, 3].map((l) => resultRow(answered(l))),
      'jsonl',
      [],
    );
    writeFileSync(path, `${whole}{"line":4,"input":{"sub`);
    const cp = await readCheckpoint(path, 'jsonl', 0);
    expect(cp.rows).toBe(3);
    expect(readFileSync(path, 'utf8')).toBe(whole);
    expect(cp.lastInput).toBe(JSON.stringify(answered(3).input));
  });

  it('counts the whole CSV records, quoted newlines and multibyte text included, and cuts a record stopped inside a quote', async () => {
    const path = join(dir, 'out.csv');
    const columns = csvColumns(['subsId', 'note']);
    const whole =
      csvHeader(columns) +
      formatRows(
        [1, 2].map((l) => resultRow(answered(l))),
        'csv',
        columns,
      );
    const third = formatRows([resultRow(answered(3))], 'csv', columns);
    for (const cut of [third.indexOf('multi') + 2, third.length - 1]) {
      writeFileSync(path, whole + third.slice(0, cut));
      const cp = await readCheckpoint(path, 'csv', 0);
      expect(cp.rows).toBe(2);
      expect(cp.header).toEqual(columns);
      expect(readFileSync(path, 'utf8')).toBe(whole);
    }
  });

  it('refuses a file whose rows are not numbered 1, 2, 3…, and leaves it as it is', async () => {
    const path = join(dir, 'other.jsonl');
    const text = formatRows(
      [1, 3].map((l) => resultRow(answered(l))),
      'jsonl',
      [],
    );
    writeFileSync(path, text);
    await expect(readCheckpoint(path, 'jsonl', 0)).rejects.toThrow(/not a results file of this input \(row 2 is numbered 3\)/);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
