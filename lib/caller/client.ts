/**
 * Calls the query function from another cloud function: one typed call, validated locally first, signed with
 * the calling function's own credentials, and every outcome (validation, Function Compute's own errors in
 * either API's shape, function errors reported as 2xx + X-Fc-Error-Type, HTTP-shaped results, timeouts)
 * returned as a typed envelope, never thrown.
 *
 * FC 3.0 targets: `POST /2023-03-30/functions/<name>/invocations`, signed with ACS3-HMAC-SHA256 as Function
 * Compute's own SDK signs it (./acs3.ts): node built-ins and zod only. FC 2.0 targets (`serviceName` set):
 * @alicloud/fc2's `invokeFunction` and its FC signature, which is what the 2016-08-15 API documents. fc2 is an
 * optional peer dependency, loaded on the first FC 2.0 call (./fc2.ts), so that FC 3.0 callers neither install
 * nor bundle it.
 */
import http from 'node:http';
import https from 'node:https';
import { type Credentials, perCredentials, usableCredentials } from '../shared/credentials';
import { failureEnvelope } from '../shared/envelope';
import { type Failure, failure, statusOfCode } from '../shared/errors';
import type { FcCredentials } from '../shared/fc-types';
import { redactText } from '../shared/redact';
import { isRecord } from '../shared/guards';
import { validateFind, validateLookup } from '../shared/request';
import { requestIdOf } from '../shared/request-id';
import { answerSchemas } from '../shared/answer-schemas';
import { type FindRequestInput, MAX_BATCH_ITEMS, type QueryRequest, type QueryRequestInput } from '../shared/schemas';
import { percentEncode, signAcs3 } from './acs3';
import { callerFailure, invokeFailure } from './errors';
import { type Fc2Client, fc2Client, loadFc2 } from './fc2';
import { InvokeTimeoutError, type RawReply, ReplyTooLargeError, send } from './transport';
import type { BatchData, BatchResult, Envelope, FindData } from './types';

/** Where the query function is and how to reach it. */
export interface InvokeTarget {
  /** The target's account ID (`context.accountId` for the same account). */
  accountId: string;
  /** The target's region (`context.region` for the same region). */
  region: string;
  functionName: string;
  /** Version or alias, e.g. `LATEST` or `prod`. */
  qualifier?: string;
  /** FC 2.0 addressing: the target's service. Leave unset for FC 3.0 functions, which have no services. */
  serviceName?: string;
  /** Default 10000 ms: the query function's own budget plus a margin. */
  timeoutMs?: number;
  /** Same-region calls go over the internal endpoint (`<account>.<region>-internal.fc.aliyuncs.com`); default true. */
  internal?: boolean;
  /** Overrides the endpoint entirely, e.g. `http://127.0.0.1:9100` (tests, the local FC invoke API). */
  endpoint?: string;
}

/** What `queryBindingDetail` takes: the target and the calling function's `context.credentials`. */
export interface CallerOptions extends InvokeTarget {
  /** The calling function's `context.credentials` (its RAM role needs `fc:InvokeFunction` on the target). */
  credentials: FcCredentials | undefined;
}

/** Each option outside its range, or not a finite number (`Number(process.env.X)` of an unset X), is its default. */
export interface QueryManyOptions {
  /** Lookups per invocation, 1 to 100 (default 100). */
  batchSize?: number;
  /** Invocations in flight at once, 1 to 64 (default 1): each is one instance of the query function. */
  parallelBatches?: number;
  /**
   * One budget for the whole call, 1 to 1000 requests per second at Dyplsapi, retries included: each of the
   * `parallelBatches` batches in flight is asked to keep to its share (`maxRps` of the batch request). Default:
   * each batch keeps to the function's BATCH_MAX_RPS.
   */
  maxRps?: number;
  /** Rounds in which the items a batch answered `NotAttempted` are sent again, 0 to 5 (default 2; 0: never). */
  resubmitRounds?: number;
  /** No resubmission round starts later than this many ms after the call, 0 to 3,600,000 (default 60,000). */
  resubmitWithinMs?: number;
}

/** An integer option in [min, max], else its default. */
function option(value: number | undefined, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  const n = Math.floor(value);
  return n >= min && n <= max ? n : fallback;
}

export interface BindingDetailClient {
  /** Queries one binding. Validates the request at run time too; never throws: every outcome is an envelope. */
  query(request: QueryRequestInput, credentials: FcCredentials | undefined): Promise<Envelope>;
  /** Every binding of X (optionally only those whose A or B match), without a SubsId. Never throws. */
  find(request: FindRequestInput, credentials: FcCredentials | undefined): Promise<Envelope<FindData>>;
  /**
   * Any number of lookups, in batches of up to 100 per invocation: one result per request, in order, each with
   * the status a single lookup would answer. A batch whose invocation failed as a whole gives each of its items
   * that failure. Never throws.
   */
  queryMany(requests: readonly QueryRequestInput[], credentials: FcCredentials | undefined, options?: QueryManyOptions): Promise<BatchResult[]>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

// The loose reading of the answer schemas: a caller deployed today accepts the fields a newer function adds.
// Built on the first call, not at import: a consumer's cold start does not pay for them until it asks.
let loose: ReturnType<typeof answerSchemas> | undefined;
const readers = () => (loose ??= answerSchemas('loose'));

function parseJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** What an answer must look like: a lookup's, a find's or a batch's envelope. */
interface EnvelopeParser<T> {
  safeParse(v: unknown): { success: true; data: Envelope<T> } | { success: false };
}

/** A reply read as an envelope, with the HTTP status it stands for. */
export interface Interpreted<T> {
  envelope: Envelope<T>;
  status: number;
}

function failed<T>(f: Failure): Interpreted<T> {
  return { envelope: failureEnvelope(f), status: f.status };
}

/** The envelope inside a reply: the body itself, or the body of an HTTP-shaped result (the target has an HTTP trigger). */
function envelopeIn<T>(body: unknown, schema: EnvelopeParser<T>): { envelope: Envelope<T>; status: number | undefined } | undefined {
  const direct = schema.safeParse(body);
  if (direct.success) return { envelope: direct.data, status: undefined };
  if (isRecord(body) && typeof body.statusCode === 'number' && typeof body.body === 'string') {
    const inner = schema.safeParse(parseJson(Buffer.from(body.body, body.isBase64Encoded === true ? 'base64' : 'utf8')));
    if (inner.success) return { envelope: inner.data, status: body.statusCode };
  }
  return undefined;
}

/**
 * Turns an InvokeFunction answer into the envelope, whatever shape it came in. An answer that holds an envelope
 * is that envelope, whatever the HTTP status (Function Compute may carry the function's own 404 onto the
 * invoke response); a function error is FunctionError; any other non-2xx is Function Compute's own error.
 */
function interpretInvokeReply<T>(reply: RawReply, secrets: readonly (string | undefined)[], schema: EnvelopeParser<T>): Interpreted<T> {
  const errorType = reply.headers['x-fc-error-type'];
  const body = parseJson(reply.body);
  if (typeof errorType === 'string') {
    // A function error arrives with a 2xx status; its body (errorMessage, stackTrace) stays out of the envelope.
    const type = isRecord(body) && typeof body.errorType === 'string' ? body.errorType.replace(/[^\w.:-]/g, '').slice(0, 64) : 'unknown';
    return failed(callerFailure('FunctionError', { detail: `X-Fc-Error-Type: ${errorType.replace(/[^\w.:-]/g, '').slice(0, 64)}, errorType: ${type}.` }));
  }
  const found = envelopeIn(body, schema);
  if (found) {
    const carried = reply.status < 200 || reply.status >= 300 ? reply.status : undefined;
    return { envelope: found.envelope, status: found.status ?? carried ?? (found.envelope.ok ? 200 : statusOfCode(found.envelope.error.code)) };
  }
  if (reply.status < 200 || reply.status >= 300) {
    const fcCode = isRecord(body) ? (body.Code ?? body.ErrorCode) : undefined;
    const fcMessage = isRecord(body) ? (body.Message ?? body.ErrorMessage) : undefined;
    const requestId = (isRecord(body) ? requestIdOf(body.RequestId) : null) ?? requestIdOf(reply.headers['x-fc-request-id']);
    const code = typeof fcCode === 'string' && /^[A-Za-z][\w.]{0,63}$/.test(fcCode) ? fcCode : `HTTP${reply.status}`;
    return failed(invokeFailure(code, reply.status, { requestId, message: redactText(fcMessage, secrets), httpStatus: reply.status }));
  }
  return failed(callerFailure('InvokeBadResponse'));
}

function transportFailure<T>(err: unknown): Interpreted<T> {
  if (err instanceof ReplyTooLargeError) return failed(callerFailure('InvokeBadResponse'));
  return failed(callerFailure(err instanceof InvokeTimeoutError ? 'InvokeTimeout' : 'InvokeUnavailable'));
}

/** One target's endpoint and connection, opened once per client. */
interface Connection {
  target: InvokeTarget;
  endpoint: string;
  base: URL;
  agent: http.Agent;
  timeoutMs: number;
}

function connect(target: InvokeTarget): Connection {
  const internal = (target.internal ?? true) ? '-internal' : '';
  const endpoint = (target.endpoint ?? `https://${target.accountId}.${target.region}${internal}.fc.aliyuncs.com`).replace(/\/$/, '');
  const base = new URL(endpoint);
  const agent = base.protocol === 'https:' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  return { target, endpoint, base, agent, timeoutMs: target.timeoutMs ?? DEFAULT_TIMEOUT_MS };
}

/** FC 2.0 only: fc2 is loaded on the first FC 2.0 call (./fc2.ts), then one client per credential set. */
function v2Invoker(conn: Connection): (text: string, serviceName: string, c: Credentials) => Promise<RawReply | Failure> {
  const { target } = conn;
  let fc2For: ((c: Credentials) => Fc2Client) | undefined;
  return async (text, serviceName, c) => {
    const FCClient = await loadFc2();
    if (!FCClient) return callerFailure('PeerDependencyMissing');
    fc2For ??= perCredentials((k) => {
      const config = {
        accessKeyID: k.accessKeyId,
        accessKeySecret: k.accessKeySecret,
        securityToken: k.securityToken,
        region: target.region,
        endpoint: conn.endpoint,
      };
      return fc2Client(FCClient, target.accountId, config, conn.agent, conn.timeoutMs);
    });
    // POST /2016-08-15/services/<svc>[.<qualifier>]/functions/<fn>/invocations, FC-signed by fc2.
    return fc2For(c).invokeFunction(serviceName, target.functionName, text, { 'x-fc-invocation-type': 'Sync' }, target.qualifier);
  };
}

/** FC 3.0: POST /2023-03-30/functions/<fn>/invocations, ACS3-signed (./acs3.ts). */
async function invokeV3(conn: Connection, payload: Buffer, c: Credentials): Promise<RawReply> {
  const { target } = conn;
  const path = `/2023-03-30/functions/${percentEncode(target.functionName)}/invocations`;
  const query: Record<string, string> = target.qualifier ? { qualifier: target.qualifier } : {};
  const headers = signAcs3(
    {
      method: 'POST',
      host: conn.base.host,
      path,
      query,
      headers: {
        accept: 'application/json',
        'content-type': 'application/octet-stream',
        'user-agent': 'dypls-query-caller',
        'x-acs-action': 'InvokeFunction',
        'x-acs-version': '2023-03-30',
        'x-fc-invocation-type': 'Sync',
      },
      body: payload,
    },
    c,
    { now: Date.now() },
  );
  const search = target.qualifier ? `?qualifier=${percentEncode(target.qualifier)}` : '';
  return send(new URL(`${conn.endpoint}${path}${search}`), 'POST', { ...headers, 'content-length': payload.length }, payload, conn.agent, conn.timeoutMs);
}

/** Sends one payload to the target and reads the answer as `schema` says. */
type Invoke = <T>(payload: unknown, c: Credentials, schema: EnvelopeParser<T>) => Promise<Interpreted<T>>;

function invokerFor(conn: Connection): Invoke {
  const { target } = conn;
  const invokeV2 = v2Invoker(conn);
  return async (payload, c, schema) => {
    if (!target.accountId || !target.region) return failed(callerFailure('InvokeUnavailable', { detail: 'accountId and region are required.' }));
    const text = JSON.stringify(payload);
    try {
      const reply = target.serviceName ? await invokeV2(text, target.serviceName, c) : await invokeV3(conn, Buffer.from(text, 'utf8'), c);
      if (!('body' in reply)) return failed(reply);
      return interpretInvokeReply(reply, [c.accessKeyId, c.accessKeySecret, c.securityToken], schema);
    } catch (err) {
      return transportFailure(err);
    }
  };
}

const noCredentials = () => failure('CredentialsUnavailable', { detail: "The calling function's role also needs fc:InvokeFunction on the target function." });

/** One question, validated here first: nothing invalid and nothing without credentials is sent. */
async function ask<T>(
  invoke: Invoke,
  valid: { ok: true; request: unknown } | { ok: false; failure: Failure },
  raw: FcCredentials | undefined,
  schema: EnvelopeParser<T>,
): Promise<Envelope<T>> {
  if (!valid.ok) return failureEnvelope(valid.failure);
  const c = usableCredentials(raw);
  if (!c) return failureEnvelope(noCredentials());
  return (await invoke(valid.request, c, schema)).envelope;
}

type Sendable = { index: number; request: QueryRequest };

/** Sends `items` in batches of `size`, `parallel` invocations at a time, writing each result at its index. */
async function sendBatches(
  invoke: Invoke,
  c: Credentials,
  items: readonly Sendable[],
  shape: { size: number; parallel: number; perBatchRps: number | undefined },
  results: BatchResult[],
) {
  const { size, parallel, perBatchRps } = shape;
  const batches: Sendable[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  let next = 0;
  const worker = async () => {
    for (let mine = 0; next < batches.length; mine++) {
      const batch = batches[next++] ?? [];
      // A batch keeps to its share within itself; a second between two batches of one worker keeps the last
      // requests of one and the first of the next out of the same second.
      if (mine > 0 && perBatchRps !== undefined) await new Promise((r) => setTimeout(r, 1000));
      const payload = { queries: batch.map((b) => b.request), ...(perBatchRps === undefined ? {} : { maxRps: perBatchRps }) };
      const answer = await invoke<BatchData>(payload, c, readers().batchEnvelopeSchema);
      batch.forEach((b, k) => {
        const env = answer.envelope;
        results[b.index] = env.ok
          ? (env.data.results[k] ?? { status: 502, ...failureEnvelope(callerFailure('InvokeBadResponse')) })
          : { status: answer.status, ...env };
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, Math.max(1, batches.length)) }, worker));
}

/**
 * Any number of lookups in batches: invalid ones answered here, the rest sent `batchSize` at a time; the items a
 * batch had no time for (`NotAttempted`) are sent again, a bounded number of rounds, within `resubmitWithinMs`.
 */
async function queryMany(invoke: Invoke, requests: readonly QueryRequestInput[], rawCredentials: FcCredentials | undefined, options: QueryManyOptions) {
  const started = Date.now();
  const size = option(options.batchSize, 1, MAX_BATCH_ITEMS, MAX_BATCH_ITEMS);
  const parallel = option(options.parallelBatches, 1, 64, 1);
  const rounds = option(options.resubmitRounds, 0, 5, 2);
  const withinMs = option(options.resubmitWithinMs, 0, 3_600_000, 60_000);
  const total = option(options.maxRps, 1, 1000, 0);
  // At most `parallel` batches are in flight, each keeping to its share: the whole call keeps to `total`.
  // (Fewer batches in flight than requests per second, so that every share is at least 1.)
  const inFlight = total === 0 ? parallel : Math.min(parallel, total);
  const shape = { size, parallel: inFlight, perBatchRps: total === 0 ? undefined : Math.floor(total / inFlight) };
  const results: BatchResult[] = new Array<BatchResult>(requests.length);
  const c = usableCredentials(rawCredentials);
  // Invalid requests are answered here, as the function would answer them; only valid ones are sent.
  let pending: Sendable[] = [];
  requests.forEach((r, index) => {
    const valid = validateLookup(r);
    if (!valid.ok) results[index] = { status: valid.failure.status, ...failureEnvelope(valid.failure) };
    else if (!c) results[index] = { status: 500, ...failureEnvelope(noCredentials()) };
    else pending.push({ index, request: valid.request });
  });
  for (let round = 0; c && pending.length > 0; round++) {
    await sendBatches(invoke, c, pending, shape, results);
    if (round >= rounds || Date.now() - started > withinMs) break;
    pending = pending.filter((p) => {
      const r = results[p.index];
      return r !== undefined && !r.ok && r.error.code === 'NotAttempted';
    });
  }
  return results;
}

/**
 * A client for one target, built once per caller instance (module scope) and reused across invocations and
 * credential rotations: it owns its keep-alive agent, so a warm caller reuses its connection.
 */
export function createBindingDetailClient(target: InvokeTarget): BindingDetailClient {
  const invoke = invokerFor(connect(target));
  return {
    query: (request, credentials) => ask(invoke, validateLookup(request), credentials, readers().envelopeSchema),
    find: (request, credentials) => ask(invoke, validateFind(request), credentials, readers().findEnvelopeSchema),
    queryMany: (requests, credentials, options = {}) => queryMany(invoke, requests, credentials, options),
  };
}

/**
 * Queries a binding through the query function, once. For a caller that queries often, build one
 * `createBindingDetailClient` at module scope instead: it keeps its connection. Never throws.
 * @example
 * const answer = await queryBindingDetail({ poolKey, subsId, phoneNoX }, {
 *   credentials: context.credentials, accountId: context.accountId, region: context.region,
 *   functionName: 'query-subscription-detail',
 * });
 * if (answer.ok) console.log(answer.data.status, answer.data.expireDate);
 */
export async function queryBindingDetail(request: QueryRequestInput, options: CallerOptions): Promise<Envelope> {
  const { credentials, ...target } = options;
  try {
    return await createBindingDetailClient(target).query(request, credentials);
  } catch {
    // An endpoint that is not a URL: nothing was sent.
    return failureEnvelope(callerFailure('InvokeUnavailable', { detail: 'The endpoint is not a valid URL.' }));
  }
}
