/**
 * QuerySubscriptionDetail through the official `@alicloud/pop-core` RPCClient, and everything pop-core
 * leaves to its caller: it ignores the HTTP status, resolves bodies without `Code`, throws plain objects on
 * non-JSON bodies, returns null-prototype objects, and writes the signed URL into error messages. Nothing
 * from an error's `message`, `url` or `entry` leaves this module; only codes and RequestIds do.
 */
// The RPC half only: the package index also loads the ROA client and its XML parser, which the bundle does not need.
import RPCClientUntyped from '@alicloud/pop-core/lib/rpc.js';
import { type Credentials, perCredentials } from '../shared/credentials';
import { type Failure, failure, upstreamFailure } from '../shared/errors';
import { isRecord, printableName } from '../shared/guards';
import { jsonShapeProblem } from '../shared/json-shape';
import { redactText } from '../shared/redact';
import { requestIdOf } from '../shared/request-id';
import type { QueryRequest } from '../shared/schemas';
import {
  attemptOptions,
  CONNECT_TIMEOUT_MS,
  createBoundedAgent,
  MAX_LIST_RESPONSE_BYTES,
  MAX_RESPONSE_BYTES,
  newAttemptGuard,
  TRANSPORT_ERRORS,
  type TransportErrorCode,
} from './transport';

const API_VERSION = '2017-05-25';
const DETAIL = 'QuerySubscriptionDetail';
const SUBS_IDS = 'QuerySubsId';
export type DyplsAction = typeof DETAIL | typeof SUBS_IDS;
/** Every Dyplsapi action this function calls: the function role's policy (ram/) grants exactly these (a test checks). */
export const DYPLS_ACTIONS: readonly DyplsAction[] = [DETAIL, SUBS_IDS];

/**
 * pop-core's real surface: its typings omit `credentialsProvider` and the `verbose` flag, and type
 * `request` loosely. Only this module touches it.
 */
interface PopRpcClient {
  request(action: string, params: Record<string, string>, opts: Record<string, unknown>): Promise<[unknown, PopEntry]>;
}
interface PopEntry {
  response?: { statusCode?: number };
}
type PopRpcClientCtor = new (
  config: {
    endpoint: string;
    apiVersion: string;
    credentialsProvider: { getCredentials(): Promise<Credentials> };
    opts?: Record<string, unknown>;
  },
  verbose: boolean,
) => PopRpcClient;
const RPCClient = RPCClientUntyped as unknown as PopRpcClientCtor;

/** Why an attempt failed, as facts the retry rules and the log read (never a message that could quote a secret). */
export type FailureReason =
  | { kind: 'code'; code: string }
  | { kind: 'network'; code: string }
  | { kind: 'timeout' }
  | { kind: 'deadline' }
  | { kind: 'bad-response'; what: string }
  | { kind: 'unexpected'; name: string };

/** One line for the log. */
export function describeReason(r: FailureReason): string {
  switch (r.kind) {
    case 'code':
      return `code ${r.code}`;
    case 'network':
      return `network ${r.code}`;
    case 'timeout':
      return 'per-attempt timeout';
    case 'deadline':
      return 'deadline';
    case 'bad-response':
      return r.what;
    case 'unexpected':
      return `unexpected ${r.name}`;
  }
}

/** The outcome of one upstream attempt: what the action answered (`value`), or why it failed. */
export type Attempted<V> =
  | { ok: true; requestId: string | null; value: V; httpStatus: number | undefined }
  | { ok: false; failure: Failure; reason: FailureReason };
/** A QuerySubscriptionDetail attempt: its `SecretBindDetailDTO`. */
export type Attempt = Attempted<Record<string, unknown>>;
/** A QuerySubsId attempt: its `SubsId` text (comma-separated, empty when X has no binding). */
export type SubsIdAttempt = Attempted<string>;

/** Sends one signed QuerySubscriptionDetail; never rejects. */
export type DyplsCall = (request: QueryRequest, credentials: Credentials, timeoutMs: number) => Promise<Attempt>;
/** Sends one signed QuerySubsId for X (and the pool when given); never rejects. */
export type SubsIdCall = (request: { phoneNoX: string; poolKey?: string | undefined }, credentials: Credentials, timeoutMs: number) => Promise<SubsIdAttempt>;

/** The wire parameters: only those with values (pop-core would send `undefined` as text). */
function toWireParams(request: QueryRequest): Record<string, string> {
  const params: Record<string, string> = { SubsId: request.subsId, PhoneNoX: request.phoneNoX };
  if (request.poolKey !== undefined) params.PoolKey = request.poolKey;
  if (request.productType !== undefined) params.ProductType = request.productType;
  return params;
}

/** What each action's success carries: the DTO of a detail, the SubsId text of a list. */
const PAYLOADS = {
  [DETAIL]: (body: Record<string, unknown>) => (isRecord(body.SecretBindDetailDTO) ? body.SecretBindDetailDTO : undefined),
  // An X without bindings answers an empty string; a missing SubsId is read the same way.
  [SUBS_IDS]: (body: Record<string, unknown>) =>
    typeof body.SubsId === 'string' ? body.SubsId : body.SubsId === undefined || body.SubsId === null ? '' : undefined,
} as const;

/** Far deeper than any Dyplsapi answer (body → DTO): the depth itself is pop-core's parser's to judge. */
const UPSTREAM_MAX_DEPTH = 64;

const SUCCESS_CODES = new Set(['OK', 'Success', 'success', '200']);

/**
 * What an error code looks like (`isv.SUBS_NOT_EXIST`, `InvalidTimeStamp.Expired`, `POOLKEY_NOT_EXIST`): it is
 * passed through unchanged to callers and logs, so anything else (a number, 10 KB, a quoted phone number) means
 * the answer is not Dyplsapi's.
 */
const CODE_SHAPE = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

function isCode(v: unknown): v is string {
  return typeof v === 'string' && CODE_SHAPE.test(v) && !/\d{7,}/.test(v);
}

function secretsOf(c: Credentials): string[] {
  return [c.accessKeyId, c.accessKeySecret, c.securityToken ?? ''];
}

function badResponse(what: string, detail?: string, upstream?: Failure['upstream']): { ok: false; failure: Failure; reason: FailureReason } {
  return {
    ok: false,
    failure: failure('UpstreamBadResponse', { ...(detail ? { detail } : {}), ...(upstream ? { upstream } : {}) }),
    reason: { kind: 'bad-response', what },
  };
}

/** Maps what pop-core resolved (or rejected with, for an error body) to an attempt outcome. */
export function classifyBody(body: unknown, httpStatus: number | undefined, credentials: Credentials): Attempt {
  return classifyAnswer(body, httpStatus, credentials, DETAIL) as Attempt;
}

function classifyAnswer(body: unknown, httpStatus: number | undefined, credentials: Credentials, action: DyplsAction): Attempted<unknown> {
  if (!isRecord(body)) return badResponse(`body is not an object (HTTP ${httpStatus})`);
  const requestId = requestIdOf(body.RequestId);
  const code = body.Code;
  const facts = { requestId, message: undefined, httpStatus };
  if (code === undefined || code === null || code === '') return badResponse(`body without Code (HTTP ${httpStatus})`, undefined, facts);
  if (!isCode(code)) return badResponse(`Code that is not a code (HTTP ${httpStatus})`, undefined, facts);
  if (SUCCESS_CODES.has(code)) {
    // A success is an HTTP success too: a redirect or error page that says OK is not Dyplsapi answering.
    if (httpStatus !== undefined && (httpStatus < 200 || httpStatus > 299)) return badResponse(`Code ${code} with HTTP ${httpStatus}`, undefined, facts);
    // The DTO keeps pop-core's null prototype: normalize only reads its fields into a fresh object.
    const value = PAYLOADS[action](body);
    if (value !== undefined) return { ok: true, requestId, value, httpStatus };
    return action === DETAIL
      ? badResponse('Code OK without SecretBindDetailDTO', 'It said OK but sent no binding detail.', facts)
      : badResponse('Code OK with a SubsId that is not text', undefined, facts);
  }
  const f = upstreamFailure(code, { requestId, message: redactText(body.Message, secretsOf(credentials)), httpStatus }, action);
  return { ok: false, failure: f, reason: { kind: 'code', code } };
}

/** Maps what pop-core rejected with. Reads only `name`, `code`, `data` and the status: never `message`/`url`/`entry.url`. */
function classifyRejection(err: unknown, credentials: Credentials, guarded: TransportErrorCode | undefined, action: DyplsAction): Attempted<unknown> {
  if (guarded === TRANSPORT_ERRORS.attemptTimeout) return { ok: false, failure: failure('UpstreamTimeout'), reason: { kind: 'timeout' } };
  if (guarded === TRANSPORT_ERRORS.tooLarge) return badResponse('answer over the size cap');
  if (guarded === TRANSPORT_ERRORS.encoded) return badResponse('content-encoded answer (identity was asked for)');
  if (guarded === TRANSPORT_ERRORS.connectTimeout)
    return { ok: false, failure: failure('UpstreamUnavailable'), reason: { kind: 'network', code: 'ECONNECTTIMEOUT' } };
  // A non-JSON body (HTML 502, XML, empty, or a __proto__ key) rejects with a plain object, not an Error.
  if (!(err instanceof Error)) return badResponse(`unparseable body (${isRecord(err) && typeof err.name === 'string' ? printableName(err.name) : typeof err})`);
  const e = err as Error & { code?: unknown; data?: unknown; entry?: PopEntry };
  // pop-core rejects every body whose Code is not a success code, whatever that Code is.
  if (isRecord(e.data)) return classifyAnswer(e.data, e.entry?.response?.statusCode, credentials, action);
  if (e.name === 'RequestTimeoutError') return { ok: false, failure: failure('UpstreamTimeout'), reason: { kind: 'timeout' } };
  if (typeof e.code === 'string') return { ok: false, failure: failure('UpstreamUnavailable'), reason: { kind: 'network', code: printableName(e.code) } };
  // Anything else was thrown while reading the answer (json-bigint overflowing its stack on a deeply nested body, say).
  return badResponse(`unreadable answer (${printableName(e.name)})`);
}

/**
 * An answer that gives one key twice (`{"Code":"isv.SUBS_NOT_EXIST",…,"Code":"OK"}`): pop-core's parser keeps
 * the last, a proxy or a log may keep the first. The same parser differential the function refuses in requests.
 */
function twiceGivenKey(guard: { body: readonly Buffer[] }): Attempted<never> | undefined {
  if (guard.body.length === 0) return undefined;
  const problem = jsonShapeProblem(Buffer.concat(guard.body).toString('utf8'), UPSTREAM_MAX_DEPTH);
  return problem?.kind === 'duplicate' ? badResponse(`an answer that gives ${problem.path} twice`) : undefined;
}

export interface DyplsApi {
  detail: DyplsCall;
  subsIds: SubsIdCall;
}

/**
 * One keep-alive agent for the instance's lifetime, shared by every pop-core client, and one client per
 * credential set: a new role credential builds a new (cheap) client from the call it arrives with on, while
 * the connection pool stays. Not AsyncLocalStorage: on Node 20 it turns on promise hooks, which cost every
 * await of every call about as much as the rest of this function's own work.
 */
export function createDyplsApi(options: { endpoint: string }): DyplsApi {
  const agent = createBoundedAgent(options.endpoint);
  const clientFor = perCredentials(
    (fixed): PopRpcClient =>
      new RPCClient({ endpoint: options.endpoint, apiVersion: API_VERSION, credentialsProvider: { getCredentials: async () => fixed }, opts: { agent } }, true),
  );

  async function send(action: DyplsAction, params: Record<string, string>, credentials: Credentials, timeoutMs: number): Promise<Attempted<unknown>> {
    const guard = newAttemptGuard(timeoutMs, CONNECT_TIMEOUT_MS, action === SUBS_IDS ? MAX_LIST_RESPONSE_BYTES : MAX_RESPONSE_BYTES);
    try {
      // POST keeps the token and signature out of the URL, and so out of pop-core's error messages.
      const sent = clientFor(credentials).request(action, params, { method: 'POST', formatParams: false, ...attemptOptions(guard) });
      // If the guard cut the request short, pop-core settles only at its own timer, later: nobody waits for it.
      sent.catch(() => undefined);
      const answered = await Promise.race([sent, guard.cutShort]);
      if (!answered) return classifyRejection(undefined, credentials, guard.failedWith, action);
      const [body, entry] = answered;
      return twiceGivenKey(guard) ?? classifyAnswer(body, entry.response?.statusCode, credentials, action);
    } catch (err) {
      return twiceGivenKey(guard) ?? classifyRejection(err, credentials, guard.failedWith, action);
    } finally {
      guard.close();
    }
  }

  return {
    detail: async (request, credentials, timeoutMs) => (await send(DETAIL, toWireParams(request), credentials, timeoutMs)) as Attempt,
    subsIds: async (request, credentials, timeoutMs) =>
      (await send(
        SUBS_IDS,
        request.poolKey === undefined ? { PhoneNoX: request.phoneNoX } : { PhoneNoX: request.phoneNoX, PoolKey: request.poolKey },
        credentials,
        timeoutMs,
      )) as SubsIdAttempt,
  };
}
