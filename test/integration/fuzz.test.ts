/**
 * Property-based fuzzing (fast-check, seeded): generated HTTP events and direct payloads all get a 2xx or 4xx
 * answer whose envelope validates against the response schema. Upstream is an in-process fake that answers
 * like Dyplsapi, so the properties are about input the caller controls; upstream faults are covered elsewhere.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFunctionConfig } from '../../lib/query/config';
import { createHandler } from '../../lib/fc/handler';
import * as z from 'zod/mini';
import { batchEnvelopeSchema, envelopeSchema, findEnvelopeSchema } from '../../lib/shared/answers';

/** Any answer: a lookup's, a find's or a batch's envelope. */
const anyEnvelope = z.union([envelopeSchema, findEnvelopeSchema, batchEnvelopeSchema]);
import { classifyBody, type DyplsCall, type SubsIdCall } from '../../lib/query/upstream';
import { fcContext, httpEventObject } from '../support/fc';
import { captureLogs } from '../support/harness';
import openapi from '../../functions/query-subscription-detail/openapi.json';

const SEED = 20261128;
const RUNS = 10_000;

/** Answers like Dyplsapi: the demo binding for SubsIds ending in 2, not-found otherwise. */
const fakeUpstream: DyplsCall = async (request, credentials) =>
  classifyBody(
    request.subsId.endsWith('2')
      ? {
          Code: 'OK',
          Message: 'OK',
          RequestId: 'FUZZ',
          SecretBindDetailDTO: { SubsId: request.subsId, PhoneNoX: request.phoneNoX, PhoneNoA: '15000000000', Status: 1, GmtCreate: '2019-03-02 19:30:11' },
        }
      : { Code: 'isv.SUBS_NOT_EXIST', Message: '绑定关系不存在', RequestId: 'FUZZ' },
    200,
    credentials,
  );

const logs = captureLogs();
/** Lists two SubsIds for X numbers ending in 0, none otherwise. */
const fakeSubsIds: SubsIdCall = async (request) => ({
  ok: true,
  requestId: 'FUZZ',
  value: request.phoneNoX.endsWith('0') ? '1000000768798832,1000000768798833' : '',
  httpStatus: 200,
});

const handler = createHandler({
  config: parseFunctionConfig({}),
  openapiDocument: JSON.stringify(openapi),
  call: fakeUpstream,
  subsIdCall: fakeSubsIds,
  sink: logs.sink,
});
const context = fcContext({ accessKeyId: 'STS.fuzz', accessKeySecret: 'fuzz-secret', securityToken: 'fuzz-token' });

const FIELD_NAMES = ['poolKey', 'PoolKey', 'productType', 'ProductType', 'subsId', 'SubsId', 'phoneNoX', 'PhoneNoX'];
const name = fc.oneof(fc.constantFrom(...FIELD_NAMES, '__proto__', 'constructor', 'toString', ''), fc.string({ maxLength: 12 }));
const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
const plausible = fc.oneof(
  digits(1, 40),
  fc.constantFrom('FC100000012345678', 'AXB_170', 'AXN_95', '+86 170-0000-0000', '0086 17000000000', ' 1000000768798832 ', '1,1', '1,2', ''),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
);
const value = fc.oneof(
  plausible,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
);
/** A request that is valid or nearly so: random casing, optional extras, sometimes a mutated field. */
const nearlyValid = fc
  .record({
    pool: fc.oneof(
      digits(1, 17).map((d) => ['poolKey', `FC${d}`] as const),
      fc.constantFrom(...['AXB_170', 'AXN_170', 'AXN_95', 'AXN_EXTENSION_REUSE'].map((t) => ['productType', t] as const)),
    ),
    subsId: fc.oneof(digits(1, 32), fc.integer({ min: 0, max: 2 ** 40 })),
    phoneNoX: fc.oneof(digits(5, 20), fc.constantFrom('+86 170-0000-0000', '0086 17000000000'), fc.integer({ min: 10_000, max: 2 ** 40 })),
    pascal: fc.boolean(),
    extra: fc.option(fc.tuple(name, value), { freq: 4 }),
  })
  .map(({ pool, subsId, phoneNoX, pascal, extra }) => {
    const key = (k: string) => (pascal ? k.charAt(0).toUpperCase() + k.slice(1) : k);
    const out: Record<string, unknown> = { [key(pool[0])]: pool[1], [key('subsId')]: subsId, [key('phoneNoX')]: phoneNoX };
    if (extra) out[extra[0]] = extra[1];
    return out;
  });
const fields = fc.oneof({ weight: 3, arbitrary: nearlyValid }, { weight: 2, arbitrary: fc.dictionary(name, value, { maxKeys: 6 }) });
const queryFields = fc.oneof(
  { weight: 3, arbitrary: nearlyValid.map((f) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))) },
  { weight: 2, arbitrary: fc.dictionary(name, plausible, { maxKeys: 6 }) },
);
const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'application/octet-stream',
    'text/plain',
    'multipart/form-data',
    '',
  ),
  fc.string({ maxLength: 40 }),
);
const body = fc.oneof(
  { weight: 4, arbitrary: fields.map((f) => JSON.stringify(f)) },
  // Bodies around the 16 KiB limit, either side of it.
  fc.integer({ min: 16_300, max: 16_500 }).map((n) => JSON.stringify({ pad: 'x'.repeat(n) })),
  fc.json(),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  fc.constant(''),
);
const method = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('GET', 'POST') },
  { weight: 1, arbitrary: fc.constantFrom('HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'get', 'post') },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

const httpEvents = fc
  .record({
    method,
    path: fc.oneof(fc.constantFrom('/', '/detail', '/a/openapi.json'), fc.webPath()),
    query: queryFields,
    contentType,
    body,
    base64: fc.boolean(),
  })
  .map(({ contentType: ct, ...init }) => Buffer.from(JSON.stringify(httpEventObject({ ...init, headers: ct === '' ? {} : { 'content-type': ct } }))));

const directEvents = fc.oneof(
  { weight: 4, arbitrary: fields.map((f) => Buffer.from(JSON.stringify(f))) },
  fc.json().map((j) => Buffer.from(j)),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  fc.string({ maxLength: 100 }).map((s) => Buffer.from(s)),
);

let checked = 0;
const statuses = new Map<string, number>();
const tally = (key: string) => statuses.set(key, (statuses.get(key) ?? 0) + 1);

async function answersWellFormed(event: Buffer): Promise<boolean> {
  const result = await handler(event, context);
  const isHttp = typeof result === 'object' && result !== null && 'statusCode' in result;
  checked++;
  if (!isHttp) {
    const parsed = anyEnvelope.safeParse(result);
    tally(parsed.success ? (parsed.data.ok ? 'direct ok' : `direct ${parsed.data.error.code}`) : 'direct malformed');
    return parsed.success && (parsed.data.ok || !['UnexpectedError', 'CredentialsUnavailable', 'ConfigurationInvalid'].includes(parsed.data.error.code));
  }
  const status = result.statusCode;
  tally(`http ${status}`);
  if (status >= 500) return false;
  if (result.headers['Content-Type'] !== 'application/json; charset=utf-8') return false;
  const body = JSON.parse(result.body) as unknown;
  if ((body as { openapi?: string }).openapi !== undefined) return status === 200;
  return anyEnvelope.safeParse(body).success && (status === 200) === (body as { ok: boolean }).ok;
}

describe('fuzzing', () => {
  it(`answers ${RUNS} generated HTTP events with a well-formed 2xx/4xx envelope`, async () => {
    const before = checked;
    await fc.assert(fc.asyncProperty(httpEvents, answersWellFormed), { seed: SEED, numRuns: RUNS });
    expect(checked - before).toBeGreaterThanOrEqual(RUNS);
    process.stdout.write(`fuzz: ${checked - before} HTTP events (seed ${SEED}), all well-formed 2xx/4xx\n`);
  });

  it(`answers ${RUNS} generated direct payloads with a well-formed envelope and no 5xx code`, async () => {
    const before = checked;
    await fc.assert(fc.asyncProperty(directEvents, answersWellFormed), { seed: SEED + 1, numRuns: RUNS });
    expect(checked - before).toBeGreaterThanOrEqual(RUNS);
    process.stdout.write(`fuzz: ${checked - before} direct events (seed ${SEED + 1}), all well-formed 2xx/4xx\n`);
  });

  it('reaches the success path as well as every rejection', () => {
    process.stdout.write(`fuzz outcomes: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
    for (const key of ['http 200', 'http 400', 'http 404', 'http 405', 'http 413', 'http 415', 'direct ok', 'direct InvalidRequest']) {
      expect(statuses.get(key) ?? 0, key).toBeGreaterThan(20);
    }
  });

  it('kept every log line free of full numbers and credentials', () => {
    const joined = logs.lines.join('');
    expect(logs.lines.length).toBeGreaterThan(RUNS);
    expect(joined).not.toMatch(/fuzz-secret|fuzz-token|STS\.fuzz/);
  });
});
