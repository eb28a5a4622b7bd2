/**
 * The operator's command line, driven as a child process (`dypls-query` as an operator runs it): against a
 * local FC invoke API that checks ACS3 signatures, in front of the built query bundle and the embedded sandbox,
 * with the operator's STS credentials in the environment as the credential chain reads them; and with --local.
 * Every lookup is counted where Dyplsapi would count it, at the sandbox.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBindingDetailClient, type Envelope } from '../../lib/caller';
import { type DyplsSandbox, type SandboxOptions, startDyplsSandbox } from '../../lib/dev/dyplsapi-sandbox';
import { type FcInvokeApi, startFcInvokeApi } from '../../lib/dev/fc-invoke-api';
import { exampleCliCommands, loadBundledHandler } from '../../lib/dev/stack';
import { runCli, runCliOnTerminal } from '../support/cli';
import { busiestSecond, captureBundleStdout, rememberSecrets } from '../support/harness';

const POOL = 'FC100000012345678';

interface Stack {
  sandbox: DyplsSandbox;
  fcApi: FcInvokeApi;
  /** Where the function is, as flags. */
  flags: string[];
  /** The operator's credentials, as the chain reads them from the environment. */
  env: Record<string, string>;
  close(): Promise<void>;
}

async function startStack(sandboxOptions: SandboxOptions = {}): Promise<Stack> {
  const sandbox = await startDyplsSandbox(sandboxOptions);
  const fcApi = await startFcInvokeApi();
  const handler = loadBundledHandler({ DYPLS_ENDPOINT: sandbox.url, BATCH_MAX_RPS: '1000', DYPLS_TIMEOUT_MS: '2000' });
  fcApi.register('query-subscription-detail', { handler, credentials: () => rememberSecrets(sandbox.issueStsCredentials()), wrapAsHttpEvent: true });
  const operator = rememberSecrets(fcApi.issueStsCredentials());
  return {
    sandbox,
    fcApi,
    flags: ['--endpoint', fcApi.url, '--account-id', fcApi.accountId, '--region', 'cn-hangzhou'],
    env: {
      ALIBABA_CLOUD_ACCESS_KEY_ID: operator.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: operator.accessKeySecret,
      ALIBABA_CLOUD_SECURITY_TOKEN: operator.securityToken,
    },
    close: async () => {
      await fcApi.close();
      await sandbox.close();
    },
  };
}

let stack: Stack;
let dir: string;
let restoreStdout = () => {};

beforeAll(async () => {
  restoreStdout = captureBundleStdout();
  dir = mkdtempSync(join(tmpdir(), 'dypls-cli-'));
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
  restoreStdout();
  rmSync(dir, { recursive: true, force: true });
});

/** The same question through the caller library, in this process: what the command must print. */
function library(s: Stack) {
  const client = createBindingDetailClient({
    accountId: s.fcApi.accountId,
    region: 'cn-hangzhou',
    functionName: 'query-subscription-detail',
    endpoint: s.fcApi.url,
  });
  const credentials = {
    accessKeyId: s.env.ALIBABA_CLOUD_ACCESS_KEY_ID,
    accessKeySecret: s.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
    securityToken: s.env.ALIBABA_CLOUD_SECURITY_TOKEN,
  };
  return { client, credentials };
}

/** An envelope or result row without its RequestIds, which differ from one asking to the next. */
function withoutIds(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (k, v: unknown) => (k === 'requestId' ? undefined : v))) as unknown;
}

const lines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const file = (name: string) => join(dir, name);

describe('lookup and find', () => {
  it('answer with the function envelope, exactly, as JSON when stdout is not a terminal', async () => {
    const { client, credentials } = library(stack);
    const request = { poolKey: POOL, subsId: '1000000768798833', phoneNoX: '17000000001' };
    const run = await runCli(['lookup', ...stack.flags, '--pool-key', POOL, '--subs-id', request.subsId, '--x', request.phoneNoX], { env: stack.env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as Envelope;
    expect(printed.ok).toBe(true);
    expect(withoutIds(printed)).toEqual(withoutIds(await client.query(request, credentials)));

    const find = await runCli(['find', ...stack.flags, '--json', '--pool-key', POOL, '--x', '17000000010', '--a', '15000000010'], { env: stack.env });
    expect(find.code).toBe(0);
    const expected = await client.find({ poolKey: POOL, phoneNoX: '17000000010', phoneNoA: '15000000010' }, credentials);
    expect(withoutIds(JSON.parse(find.stdout))).toEqual(withoutIds(expected));
    expect(expected.ok && expected.data.bindings.length).toBe(2);
  });

  it('say what went wrong on stderr, with the exit status: 3 not found, 2 a bad flag or value, 1 retryable', async () => {
    const notFound = await runCli(['lookup', ...stack.flags, '--pool-key', POOL, '--subs-id', '1000000000000000', '--x', '17000000000'], { env: stack.env });
    expect(notFound.code).toBe(3);
    expect(notFound.stderr).toContain('isv.SUBS_NOT_EXIST');
    const invalid = await runCli(['lookup', ...stack.flags, '--pool-key', POOL, '--subs-id', '12ab', '--x', '17000000000'], { env: stack.env });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/InvalidRequest[^]*subsId: must be 1 to 19 digits/);
    const unknownFlag = await runCli(['lookup', '--subs', '1'], { env: stack.env });
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain("Unknown option '--subs'");
    const both = await runCli(['find', ...stack.flags, '--pool-key', POOL, '--product-type', 'AXB_170', '--x', '17000000010'], { env: stack.env });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('exactly one of --pool-key and --product-type');
    // Nothing listens there: Function Compute unreachable is worth trying again later.
    const down = await runCli(['lookup', '--endpoint', 'http://127.0.0.1:9', '--pool-key', POOL, '--subs-id', '1', '--x', '17000000000'], { env: stack.env });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/InvokeUnavailable[^]*retryable/);
  });

  it('on a terminal print a table (with "expired" beside a binding ACTIVE past its expiry), and reconcile a progress bar', async () => {
    const onTerminal = (args: string[]) => runCliOnTerminal(args, stack.env);
    const find = await onTerminal(['find', ...stack.flags, '--pool-key', POOL, '--x', '17000000010']);
    expect(find).toMatch(/SUBS ID +X +A +B +STATUS +CREATED +EXPIRES/);
    expect(find).toMatch(
      /1000000768798851 +17000000010 +15000000012 +15000000013 +ACTIVE +2025-12-01 09:00 +2026-01-01 09:00 +expired \(still ACTIVE upstream\)/,
    );
    writeFileSync(file('tty.csv'), csvOf(300));
    const bar = await onTerminal(['reconcile', file('tty.csv'), '--out', file('tty.jsonl'), '--rps', '100', ...stack.flags]);
    expect(bar).toMatch(/[█░]+ \d+\/300 rows \| \d+ lookups\/s \| ETA \S+ \| ok \d+ · not found \d+ · failed \d+/);
    expect(bar).toContain('rows: 300, answered: 300');
  });

  it('refuse to run without credentials, saying where they are looked for, and never print a key', async () => {
    const run = await runCli(['lookup', ...stack.flags, '--pool-key', POOL, '--subs-id', '1', '--x', '17000000000']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no credentials[^]*ALIBABA_CLOUD_ACCESS_KEY_ID[^]*--profile[^]*fc:InvokeFunction/);
    const help = await runCli(['lookup', '--help'], { env: stack.env });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--subs-id[^]*Example:\n {2}dypls-query lookup /);
    for (const [command, flag] of [
      ['find', '--a NUMBER'],
      ['reconcile', '--max-retries N'],
    ]) {
      const other = await runCli([command ?? '', '--help']);
      expect(other.stdout).toContain(flag);
      expect(other.stdout).toMatch(new RegExp(`Example:\\n {2}dypls-query ${command} `));
    }
    for (const secret of Object.values(stack.env)) expect(help.stdout + help.stderr + run.stderr).not.toContain(secret);
  });

  it('read the aliyun CLI profile named by --profile', async () => {
    const home = file('home');
    const { ALIBABA_CLOUD_ACCESS_KEY_ID: id, ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret, ALIBABA_CLOUD_SECURITY_TOKEN: token } = stack.env;
    const profile = { name: 'ops', mode: 'StsToken', access_key_id: id, access_key_secret: secret, sts_token: token, region_id: 'cn-hangzhou' };
    mkdirSync(join(home, '.aliyun'), { recursive: true });
    writeFileSync(join(home, '.aliyun', 'config.json'), JSON.stringify({ current: 'default', profiles: [{ name: 'default', mode: 'AK' }, profile] }));
    const args = ['lookup', ...stack.flags, '--profile', 'ops', '--pool-key', POOL, '--subs-id', '1000000768798833', '--x', '17000000001'];
    const run = await runCli(args, { env: { HOME: home } });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Envelope).ok).toBe(true);
    const missing = await runCli([...args.slice(0, -6), '--profile', 'nobody', ...args.slice(-6)], { env: { HOME: home } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('profile "nobody"');
  });

  it('--local runs the whole stack in the process: each command npm start prints works as printed', async () => {
    const [lookup, find, reconcile] = await Promise.all(exampleCliCommands().map((c) => runCli(c.args)));
    expect(lookup?.code).toBe(0);
    expect(JSON.parse(lookup?.stdout ?? '')).toMatchObject({ ok: true, data: { subsId: '1000000768798832', status: 'ACTIVE' } });
    expect(find?.code).toBe(0);
    expect(JSON.parse(find?.stdout ?? '')).toMatchObject({ ok: true, data: { phoneNoX: '17000000010', listed: 3 } });
    expect(reconcile?.code).toBe(0);
    expect(lines(reconcile?.stdout ?? '').map((r) => [r.line, r.status])).toEqual([
      [1, 200],
      [2, 200],
      [3, 200],
      [4, 404],
      [5, 400],
    ]);
  });
});

/** The request of each kind of row: found (camel and Pascal names), not found, invalid, another pool, legacy product type. */
const KINDS = [
  { row: ['FC100000012345678', '', '1000000768798832', '17000000000'], status: 200 },
  { row: ['FC100000012345678', '', '1000000768798834', '17000000002'], status: 200 },
  { row: ['', 'AXB_170', '1000000768798838', '17000000006'], status: 200 },
  { row: ['FC100000087654321', '', '1000000768798839', '17000000007'], status: 200 },
  { row: ['FC100000012345678', '', '1000000000000000', '17000000000'], status: 404 },
  { row: ['FC100000012345678', '', '12ab', '17000000000'], status: 400 },
  { row: ['', '', '1000000768798833', '17000000001'], status: 400 },
  { row: ['FC100000012345678', '', '1000000768798840', '17000000008'], status: 200 },
] as const;
/** Row `i` (from 0): every other one a SubsId of its own that does not exist (so the function's dedup of a batch cannot hide a call), the rest the kinds above in turn. */
function rowOf(i: number): { row: readonly string[]; status: number; kind: number } {
  if (i % 2 === 0) return { row: [POOL, '', String(1_000_000_000_100_000 + i), '17000000000'], status: 404, kind: -1 };
  const kind = (i >> 1) % KINDS.length;
  const k = KINDS[kind] ?? KINDS[0];
  return { row: k.row, status: k.status, kind };
}
const statusesOf = (n: number) => Array.from({ length: n }, (_, i) => rowOf(i).status);
const HEADER = ['PoolKey', 'productType', 'subsId', 'PhoneNoX', 'ticket'];
const csvOf = (n: number, eol = '\n') => [HEADER.join(','), ...Array.from({ length: n }, (_, i) => [...rowOf(i).row, `T${i + 1}`].join(','))].join(eol) + eol;
const jsonlOf = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const [poolKey, productType, subsId, phoneNoX] = rowOf(i).row;
    return JSON.stringify({ poolKey, productType, subsId, phoneNoX, ticket: `T${i + 1}` });
  }).join('\n') + '\n';

describe('reconcile', () => {
  it('answers 10,000 rows once each, in order, each as its single lookup answers, within --rps at the sandbox', async () => {
    const { client, credentials } = library(stack);
    const single = ([poolKey = '', productType = '', subsId = '', phoneNoX = '']: readonly string[]) =>
      client.query({ poolKey, productType: productType, subsId, phoneNoX }, credentials);
    const expected = await Promise.all(KINDS.map((k) => single(k.row)));
    const notFound = await single(rowOf(0).row);
    writeFileSync(file('big.csv'), csvOf(10_000));
    const before = stack.sandbox.seen.length;
    const run = await runCli(['reconcile', file('big.csv'), '--out', file('big.jsonl'), '--rps', '1000', ...stack.flags], {
      env: stack.env,
      timeoutMs: 150_000,
    });
    expect(run.code).toBe(0);
    const rows = lines(readFileSync(file('big.jsonl'), 'utf8'));
    expect(rows.map((r) => r.line)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
    rows.forEach((r, i) => {
      const { kind, status } = rowOf(i);
      const want = (kind < 0 ? notFound : expected[kind]) as Envelope;
      expect((r.input as Record<string, string>).ticket).toBe(`T${i + 1}`);
      expect({ ok: r.ok, status: r.status, error: r.error, data: r.data }).toEqual({
        ok: want.ok,
        status,
        error: want.ok ? null : want.error.code,
        data: want.ok ? want.data : null,
      });
    });
    const seen = stack.sandbox.seen.slice(before);
    // 5,000 SubsIds of their own, and the kinds in each batch, asked once per batch (the function's dedup); the
    // invalid ones (2 kinds of 8) are answered without a call.
    expect(seen.length).toBeGreaterThan(5_000);
    expect(seen.length).toBeLessThan(5_000 + 3_750);
    expect(busiestSecond(seen)).toBeLessThanOrEqual(1000);
    // Not a terminal: a JSON line of progress every 5 s.
    expect(run.stderr).toMatch(/^\{"progress":\{"rows":\d+,"total":10000,"lookupsPerSecond":\d+,"ok":\d+,"notFound":\d+,"failed":\d+,/m);
    const count = (s: number) => statusesOf(10_000).filter((x) => x === s).length;
    expect(run.stderr).toContain(`rows: 10000, answered: 10000\nby status: 404 ${count(404)}, 200 ${count(200)}, 400 ${count(400)}`);
    // The effective rate counts what was asked of the function, not the rows refused before sending.
    expect(run.stderr).toMatch(new RegExp(`elapsed: [\\d.]+ s, ${10_000 - count(400)} lookups asked, `));
  }, 160_000);

  it('stops at a line that cannot be parsed, naming it, before any call; and never overwrites an existing output', async () => {
    const before = stack.fcApi.seen.length;
    writeFileSync(file('broken.csv'), `${HEADER.join(',')}\nFC1,,1,17000000000,a\nFC1,,2,17000000000,b\nFC1,,"3,17000000000,c\n`);
    const csv = await runCli(['reconcile', file('broken.csv'), '--out', file('broken.jsonl'), ...stack.flags], { env: stack.env });
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain('broken.csv:4: a quote that is never closed; nothing was sent');
    writeFileSync(file('broken.jsonl.in'), '{"poolKey":"FC1"}\n\n{"poolKey":\n');
    const jsonl = await runCli(['reconcile', file('broken.jsonl.in'), '--input-format', 'jsonl', ...stack.flags], { env: stack.env });
    expect(jsonl.code).toBe(2);
    expect(jsonl.stderr).toContain('broken.jsonl.in:3: not valid JSON');
    expect(existsSync(file('broken.jsonl'))).toBe(false);
    expect(stack.fcApi.seen.length).toBe(before);

    writeFileSync(file('small.csv'), csvOf(3));
    writeFileSync(file('taken.jsonl'), 'someone else’s results\n');
    const taken = await runCli(['reconcile', file('small.csv'), '--out', file('taken.jsonl'), ...stack.flags], { env: stack.env });
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('exists; pass --resume');
    expect(readFileSync(file('taken.jsonl'), 'utf8')).toBe('someone else’s results\n');
    const notOurs = await runCli(['reconcile', file('small.csv'), '--out', file('taken.jsonl'), '--resume', ...stack.flags], { env: stack.env });
    expect(notOurs.code).toBe(2);
    expect(readFileSync(file('taken.jsonl'), 'utf8')).toBe('someone else’s results\n');
  });

  it('reads standard input, and CSV with a BOM and CRLF, into CSV with the same rows', async () => {
    const fromStdin = await runCli(['reconcile', '-', '--quiet', ...stack.flags], { env: stack.env, stdin: jsonlOf(16) });
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stderr).toBe('');
    const viaStdin = lines(fromStdin.stdout);
    expect(viaStdin.map((r) => r.status)).toEqual(statusesOf(16));

    writeFileSync(file('windows.csv'), `\uFEFF${csvOf(16, '\r\n')}`);
    const run = await runCli(['reconcile', file('windows.csv'), '--format', 'csv', '--out', file('windows.out.csv'), ...stack.flags], { env: stack.env });
    expect(run.code).toBe(0);
    const out = readFileSync(file('windows.out.csv'), 'utf8').split('\n');
    expect(out[0]).toBe(
      `line,${HEADER.join(',')},ok,status,error,message,retryable,requestId,data.subsId,data.phoneNoX,data.phoneNoA,data.phoneNoB,data.extension,data.groupId,data.status,data.gmtCreate,data.expireDate,data.needRecord,data.callRestrict,data.asrStatus,data.asrModelId`,
    );
    expect(out.slice(1, -1).map((l) => Number(l.split(',')[7]))).toEqual(viaStdin.map((r) => r.status));
    expect(out[2]).toMatch(/^2,FC100000012345678,,1000000768798832,17000000000,T2,true,200,,,false,[0-9A-F-]{36},1000000768798832,/);
  });

  it('stops on a failure no retry mends (no such function), writing nothing, and says so', async () => {
    writeFileSync(file('nofn.csv'), csvOf(5));
    const run = await runCli(['reconcile', file('nofn.csv'), '--out', file('nofn.jsonl'), '--function', 'no-such-function', ...stack.flags], {
      env: stack.env,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/FC\.FunctionNotFound[^]*resume with: dypls-query reconcile /);
    expect(readFileSync(file('nofn.jsonl'), 'utf8')).toBe('');
  });
});

describe('reconcile on a bad day', () => {
  it('answers every row through a throttle storm, never more than --rps a second at the sandbox', async () => {
    const storm = await startStack({ throttleEvery: 3 });
    try {
      writeFileSync(file('storm.jsonl.in'), jsonlOf(400));
      const run = await runCli(['reconcile', file('storm.jsonl.in'), '--rps', '100', '--parallel', '4', '--out', file('storm.jsonl'), ...storm.flags], {
        env: storm.env,
        timeoutMs: 90_000,
      });
      expect(run.code).toBe(0);
      const rows = lines(readFileSync(file('storm.jsonl'), 'utf8'));
      expect(rows.map((r) => r.status)).toEqual(statusesOf(400));
      expect(storm.sandbox.throttled()).toBeGreaterThan(50);
      expect(busiestSecond(storm.sandbox.seen)).toBeLessThanOrEqual(100);
      // Nothing is asked again once it has a final answer: each SubsId of its own got exactly one that is not throttling.
      const answeredTimes = new Map<string, number>();
      for (const s of storm.sandbox.seen) {
        const id = s.params.SubsId ?? '';
        if (s.answer.code !== 'isv.FLOW_LIMIT' && id.startsWith('10000000001')) answeredTimes.set(id, (answeredTimes.get(id) ?? 0) + 1);
      }
      expect(answeredTimes.size).toBe(200);
      expect([...answeredTimes.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await storm.close();
    }
  }, 100_000);

  /** Runs reconcile of `input` into `out`, killing it with SIGKILL once `when(out)` holds (or at `afterMs`). */
  async function killedRun(input: string, out: string, flags: string[], kill: { afterMs?: number; rowsAtLeast?: number }) {
    return runCli(['reconcile', input, '--out', out, '--resume', '--quiet', ...flags], {
      env: stack.env,
      started: (child) => {
        const started = Date.now();
        const poll = setInterval(() => {
          const rows = existsSync(out) ? readFileSync(out, 'utf8').split('\n').length - 1 : 0;
          if ((kill.afterMs !== undefined && Date.now() - started >= kill.afterMs) || (kill.rowsAtLeast !== undefined && rows >= kill.rowsAtLeast)) {
            child.kill('SIGKILL');
            clearInterval(poll);
          }
        }, 5);
        child.on('close', () => clearInterval(poll));
      },
    });
  }

  it('killed with SIGKILL at three moments and resumed each time, ends with the rows of an uninterrupted run', async () => {
    const flags = ['--rps', '200', '--parallel', '4', ...stack.flags];
    writeFileSync(file('kill.csv'), csvOf(900));
    const whole = await runCli(['reconcile', file('kill.csv'), '--out', file('whole.jsonl'), '--quiet', ...flags], { env: stack.env });
    expect(whole.code).toBe(0);
    const out = file('killed.jsonl');
    const moments = [{ afterMs: 150 }, { rowsAtLeast: 1 }, { rowsAtLeast: 500 }];
    const killedAt: number[] = [];
    for (const moment of moments) {
      const run = await killedRun(file('kill.csv'), out, flags, moment);
      expect(run.signal).toBe('SIGKILL');
      killedAt.push(existsSync(out) ? statSync(out).size : 0);
    }
    // A row half written when the process died: the resume cuts it off and asks that row again.
    appendFileSync(out, '{"line":');
    const last = await runCli(['reconcile', file('kill.csv'), '--out', out, '--resume', ...flags], { env: stack.env });
    expect(last.code).toBe(0);
    expect(last.stderr).toMatch(/answered: 900 \(\d+ from the checkpoint\)/);
    expect(killedAt[2]).toBeGreaterThan(killedAt[0] ?? 0);
    expect(lines(readFileSync(out, 'utf8')).map(withoutIds)).toEqual(lines(readFileSync(file('whole.jsonl'), 'utf8')).map(withoutIds));
  }, 60_000);

  it('on Ctrl-C writes the batches in flight, says how to resume, and exits 130', async () => {
    writeFileSync(file('int.csv'), csvOf(600));
    const out = file('int.jsonl');
    const run = await runCli(['reconcile', file('int.csv'), '--out', out, '--rps', '100', '--parallel', '2', ...stack.flags], {
      env: stack.env,
      started: (child) => {
        const poll = setInterval(() => {
          if (existsSync(out) && statSync(out).size > 0) {
            child.kill('SIGINT');
            clearInterval(poll);
          }
        }, 5);
        child.on('close', () => clearInterval(poll));
      },
    });
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(
      /interrupted after \d+ rows; resume with: dypls-query reconcile \S+int\.csv --out \S+int\.jsonl --rps 100 --parallel 2 .*--resume/,
    );
    const written = lines(readFileSync(out, 'utf8'));
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(600);
    expect(written.map((r) => r.line)).toEqual(written.map((_, i) => i + 1));
  }, 30_000);
});
