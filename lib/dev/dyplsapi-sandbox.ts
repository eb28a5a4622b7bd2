/**
 * A local Dyplsapi: an HTTP server that checks requests the way the POP gateway does (signature, timestamp
 * window, nonce replay, known AccessKeyIds, STS tokens, Action and Version) and answers QuerySubscriptionDetail
 * with the real wire shapes, from demo data. Reserved SubsIds inject faults (see bindings.json's readme).
 * Used by `npm start`, `npm run invoke`, the tests and the benchmarks; never bundled into the function.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';
import { listenTracked, sameSecret } from './loopback';
import { newStsCredentials } from './sts';
import { popSignature, stringToSign } from './pop-signature';
import { answerHostile, type HostileFault } from './hostile-answers';
import seed from './sandbox-bindings.json';

const SANDBOX_API_VERSION = '2017-05-25';
const SKEW_MS = 15 * 60 * 1000;
const MAX_FORM_BYTES = 64 * 1024;

export type WireDto = Record<string, string | number | boolean>;

export interface SandboxBinding extends WireDto {
  SubsId: string;
  PhoneNoX: string;
}

export type Fault =
  | HostileFault
  | { subsId: string; kind: 'delay'; delayMs: number; times?: number }
  | { subsId: string; kind: 'reset' | 'html502' | 'malformedJson' | 'emptyBody' | 'noCode' | 'okWithoutDto' | 'protoKey'; times?: number }
  | { subsId: string; kind: 'error'; code: string; message?: string; httpStatus?: number; times?: number };

export interface SandboxData {
  pools: string[];
  /** QuerySubsId's answer text for an X, where it is not simply that X's bindings joined (odd lists). */
  subsIdLists?: Record<string, string>;
  /** QuerySubsId errors by X. */
  subsIdFaults?: Record<string, { code: string; message: string; httpStatus?: number }>;
  bindings: (WireDto & { PoolKey?: string; ProductType?: string; SubsId: string; PhoneNoX: string })[];
  faults: Fault[];
}

/** The demo data shipped in sandbox-bindings.json, typed. */
function seedData(): SandboxData {
  // The notes are for people reading the file; the wire never sees them.
  const withoutNote = <T extends object>(entry: T): T => {
    const { note: _note, ...rest } = entry as T & { note?: string };
    return rest as T;
  };
  const data = seed as unknown as SandboxData;
  return { ...data, pools: [...data.pools], bindings: data.bindings.map(withoutNote), faults: data.faults.map(withoutNote) };
}

export interface IssuedCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** What the sandbox saw, for tests: the verified parameters (never the secret). */
export interface SeenRequest {
  method: string;
  contentType: string | undefined;
  params: Record<string, string>;
  /** Where the parameters came from. */
  inQuery: string[];
  answer: { status: number; code: string | null };
  /** Epoch ms at which the request arrived (before its body was read): what rate limits are judged by. */
  at: number;
}

/** The most requests that arrived within any 1 s window, from their arrival times: what a QPS limit judges. */
export function busiestSecond(seen: readonly { at: number }[]): number {
  const at = seen.map((s) => s.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while ((at[i] ?? 0) - (at[j] ?? 0) >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

export interface DyplsSandbox {
  url: string;
  port: number;
  /** Registers a fresh `STS.` key with its secret and token, valid for `ttlMs` (default 1 h). */
  issueStsCredentials(ttlMs?: number): IssuedCredentials;
  /** Registers a long-term AccessKey (as `s local` would pass a developer's own). */
  addAccessKey(accessKeyId: string, accessKeySecret: string): void;
  revoke(accessKeyId: string): void;
  seen: SeenRequest[];
  /** TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
  connections(): number;
  /** TCP connections open now. */
  openConnections(): number;
  /** How many calls `throttleAbove` answered with isv.FLOW_LIMIT. */
  throttled(): number;
  /**
   * Simulates an FC instance frozen past the server's idle timeout: every open connection goes stale, and the
   * next request that arrives on one is dropped without an answer (the client sees ECONNRESET / socket hang up).
   */
  simulateFreeze(): void;
  resetFaults(): void;
  close(): Promise<void>;
}

interface KeyRecord {
  secret: string;
  token?: string;
  expiresAt?: number;
}

interface Answer {
  status: number;
  body: string;
  contentType?: string;
  code: string | null;
}

/** What answering a request came to: an answer to send, a connection dropped on purpose, or one a hostile writer answered itself. */
type Reply = Answer | 'dropped' | 'answered';

function json(status: number, body: Record<string, unknown>): Answer {
  return { status, body: JSON.stringify(body), code: typeof body.Code === 'string' ? body.Code : null };
}

function requestId(): string {
  return randomUUID().toUpperCase();
}

/** The POP gateway's error shape. */
function gatewayError(status: number, code: string, message: string): Answer {
  const id = requestId();
  return json(status, {
    RequestId: id,
    HostId: 'dyplsapi.aliyuncs.com',
    Code: code,
    Message: message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=Dyplsapi&requestId=${id}`,
  });
}

/** A business answer: HTTP 200, `{Code, Message, RequestId}`. */
function businessError(code: string, message: string, status = 200): Answer {
  return json(status, { Code: code, Message: message, RequestId: requestId() });
}

/** Serialises a DTO as Dyplsapi does; GroupId is kept as digits in the data and sent as a JSON number literal, exactly. */
function dtoJson(dto: WireDto): string {
  const { GroupId, PoolKey: _p, ProductType: _t, ...rest } = dto;
  const body = JSON.stringify(rest);
  if (GroupId === undefined) return body;
  const digits = String(GroupId);
  if (!/^\d+$/.test(digits)) return body;
  return `${body.slice(0, -1)}${body.length > 2 ? ',' : ''}"GroupId":${digits}}`;
}

export interface SandboxOptions {
  port?: number;
  host?: string;
  data?: SandboxData;
  now?: () => number;
  /** Every authenticated answer waits this long first, as a real round trip would (benchmarks, pacing tests). */
  latencyMs?: number;
  /** With more than this many calls in flight at once, the next one answers isv.FLOW_LIMIT (rate-limit tests). */
  throttleAbove?: number;
  /** Every n-th authenticated call answers isv.FLOW_LIMIT (intermittent throttling). */
  throttleEvery?: number;
  /** Calls beyond this many accepted in the last second answer isv.FLOW_LIMIT, as Dyplsapi's QPS limit does. */
  throttlePerSecond?: number;
}

/** What the sandbox keeps between requests. */
interface SandboxState {
  options: SandboxOptions;
  data: SandboxData;
  now: () => number;
  keys: Map<string, KeyRecord>;
  nonces: Map<string, number>;
  faultHits: Map<string, number>;
  faults: Map<string, Fault>;
  pools: Set<string>;
  seen: SeenRequest[];
  timers: Set<NodeJS.Timeout>;
  stale: WeakSet<Socket>;
  inFlight: number;
  authenticatedCount: number;
  throttledCount: number;
  acceptedAt: number[];
}

/** Waits `ms`, or less if the client goes away first. */
function wait(st: SandboxState, ms: number, req: http.IncomingMessage): Promise<void> {
  return new Promise<void>((resolve) => {
    const onClose = () => {
      clearTimeout(t);
      st.timers.delete(t);
      resolve();
    };
    const t = setTimeout(() => {
      st.timers.delete(t);
      req.socket.removeListener('close', onClose);
      resolve();
    }, ms);
    st.timers.add(t);
    req.socket.once('close', onClose);
  });
}

function authenticate(st: SandboxState, method: string, params: Record<string, string>): Answer | undefined {
  const { AccessKeyId: keyId, Signature: signature, SignatureMethod, SignatureNonce: nonce, Timestamp: timestamp } = params;
  if (!keyId) return gatewayError(400, 'MissingAccessKeyId', 'AccessKeyId is mandatory for this action.');
  if (!signature || !nonce || params.SignatureVersion !== '1.0') {
    return gatewayError(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
  }
  if (SignatureMethod !== 'HMAC-SHA1') return gatewayError(400, 'InvalidSignatureMethod', 'Specified signature method is not valid.');
  if (!timestamp || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
    return gatewayError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
  }
  if (Math.abs(Date.parse(timestamp) - st.now()) > SKEW_MS) {
    return gatewayError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  }
  const key = st.keys.get(keyId);
  if (!key) return gatewayError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  if (keyId.startsWith('STS.')) {
    const token = params.SecurityToken;
    if (!token) return gatewayError(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.');
    if (!key.token || !sameSecret(token, key.token)) {
      return gatewayError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
    }
    if (key.expiresAt !== undefined && key.expiresAt <= st.now()) {
      return gatewayError(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
    }
  }
  const expected = popSignature(method, params, key.secret);
  if (!sameSecret(signature, expected)) {
    // The real gateway quotes its string-to-sign, SecurityToken included: the function must never echo this.
    return gatewayError(
      400,
      'SignatureDoesNotMatch',
      `Specified signature is not matched with our calculation. server string to sign is:${stringToSign(method, params)}`,
    );
  }
  // Nonces are kept in arrival order, so expiry stops at the first fresh one (O(expired), not O(all)).
  for (const [n, at] of st.nonces) {
    if (st.now() - at <= SKEW_MS) break;
    st.nonces.delete(n);
  }
  if (st.nonces.has(nonce)) return gatewayError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  st.nonces.set(nonce, st.now());
  return undefined;
}

/** QuerySubsId: the SubsIds bound to X (in the pool, when given), comma-separated; empty when none. */
function listSubsIds(st: SandboxState, params: Record<string, string>): Answer {
  const { PhoneNoX: phoneNoX, PoolKey: poolKey } = params;
  if (!phoneNoX) return gatewayError(400, 'MissingPhoneNoX', 'PhoneNoX is mandatory for this action.');
  const fault = st.data.subsIdFaults?.[phoneNoX];
  if (fault) return businessError(fault.code, fault.message, fault.httpStatus);
  if (poolKey && !st.pools.has(poolKey)) return businessError('POOLKEY_NOT_EXIST', 'poolKey not exsit.', 400);
  const listed =
    st.data.subsIdLists?.[phoneNoX] ??
    st.data.bindings
      .filter((b) => b.PhoneNoX === phoneNoX && (!poolKey || b.PoolKey === poolKey))
      .map((b) => b.SubsId)
      .join(',');
  return json(200, { Code: 'OK', Message: 'OK', RequestId: requestId(), SubsId: listed });
}

function lookupBinding(st: SandboxState, params: Record<string, string>): Answer {
  const { SubsId: subsId, PhoneNoX: phoneNoX, PoolKey: poolKey, ProductType: productType } = params;
  if (!subsId) return gatewayError(400, 'MissingSubsId', 'SubsId is mandatory for this action.');
  if (!phoneNoX) return gatewayError(400, 'MissingPhoneNoX', 'PhoneNoX is mandatory for this action.');
  if (!poolKey && !productType) return gatewayError(400, 'MissingPoolKey', 'PoolKey is mandatory for this action.');
  if (!/^\d+$/.test(phoneNoX)) return businessError('isv.MOBILE_NUMBER_ILLEGAL', '号码格式非法');
  if (poolKey && !st.pools.has(poolKey)) return businessError('isv.POOLKEY_NOT_EXISTS', '号池不存在');
  const candidates = st.data.bindings.filter((b) => b.SubsId === subsId && b.PhoneNoX === phoneNoX);
  const match = candidates.find((b) => (poolKey ? b.PoolKey === poolKey : b.ProductType === productType));
  if (match) {
    const id = requestId();
    return { status: 200, body: `{"Code":"OK","Message":"OK","RequestId":"${id}","SecretBindDetailDTO":${dtoJson(match)}}`, code: 'OK' };
  }
  if (candidates.length > 0) return businessError('isv.SUBS_NOT_BELONG', '绑定关系不归属当前客户');
  return businessError('isv.SUBS_NOT_EXIST', '绑定关系不存在');
}

/** The fault for this SubsId, if it has not worn off. */
function activeFault(st: SandboxState, subsId: string | undefined): Fault | undefined {
  const fault = subsId ? st.faults.get(subsId) : undefined;
  if (!fault || !subsId) return undefined;
  const hits = (st.faultHits.get(subsId) ?? 0) + 1;
  st.faultHits.set(subsId, hits);
  return fault.times === undefined || hits <= fault.times ? fault : undefined;
}

/** Whether this call is throttled: every n-th, over the per-second rate, or over the in-flight limit. */
function throttledNow(st: SandboxState): boolean {
  st.authenticatedCount++;
  const everyNth = st.options.throttleEvery !== undefined && st.authenticatedCount % st.options.throttleEvery === 0;
  if (everyNth || overRate(st) || (st.options.throttleAbove !== undefined && st.inFlight >= st.options.throttleAbove)) {
    st.throttledCount++;
    return true;
  }
  return false;
}

/** Whether one more call now would exceed `throttlePerSecond`; records it when it would not. */
function overRate(st: SandboxState): boolean {
  if (st.options.throttlePerSecond === undefined) return false;
  const t = Date.now();
  while (st.acceptedAt.length > 0 && (st.acceptedAt[0] ?? 0) <= t - 1000) st.acceptedAt.shift();
  if (st.acceptedAt.length >= st.options.throttlePerSecond) return true;
  st.acceptedAt.push(t);
  return false;
}

async function answer(st: SandboxState, method: string, params: Record<string, string>, res: http.ServerResponse, req: http.IncomingMessage): Promise<Reply> {
  if (params.Action !== 'QuerySubscriptionDetail' && params.Action !== 'QuerySubsId') {
    return gatewayError(404, 'InvalidApi.NotFound', 'Specified api is not found, please check your url and method.');
  }
  if (params.Version !== SANDBOX_API_VERSION) return gatewayError(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
  if (params.Format !== undefined && params.Format !== 'JSON') {
    return gatewayError(400, 'InvalidParameter', 'This sandbox answers Format=JSON only.');
  }
  const denied = authenticate(st, method, params);
  if (denied) return denied;

  if (throttledNow(st)) return businessError('isv.FLOW_LIMIT', '业务流控');
  if (st.options.latencyMs) {
    st.inFlight++;
    try {
      await wait(st, st.options.latencyMs, req);
    } finally {
      st.inFlight--;
    }
    if (res.destroyed || req.socket.destroyed) return 'dropped';
  }
  if (params.Action === 'QuerySubsId') return listSubsIds(st, params);
  const fault = activeFault(st, params.SubsId);
  return fault ? faultAnswer(st, fault, params, res, req) : lookupBinding(st, params);
}

/** What a fault row answers (lib/dev/sandbox-bindings.json's readme lists them). */
async function faultAnswer(
  st: SandboxState,
  fault: Fault,
  params: Record<string, string>,
  res: http.ServerResponse,
  req: http.IncomingMessage,
): Promise<Reply> {
  switch (fault.kind) {
    case 'delay':
      await wait(st, fault.delayMs, req);
      if (res.destroyed || req.socket.destroyed) return 'dropped';
      return lookupBinding(st, params);
    case 'reset':
      req.socket.destroy();
      return 'dropped';
    case 'html502':
      return {
        status: 502,
        contentType: 'text/html',
        body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n',
        code: null,
      };
    case 'malformedJson':
      return { status: 200, body: `{"Code":"OK","RequestId":"${requestId()}","SecretBindDetailDTO":{"SubsId":`, code: null };
    case 'emptyBody':
      return { status: 200, body: '', code: null };
    case 'noCode':
      return json(500, { RequestId: requestId() });
    case 'okWithoutDto':
      return json(200, { Code: 'OK', Message: 'OK', RequestId: requestId() });
    case 'protoKey':
      return { status: 200, body: `{"Code":"OK","RequestId":"${requestId()}","__proto__":{"polluted":true}}`, code: null };
    case 'error':
      return fault.httpStatus && fault.httpStatus !== 200
        ? gatewayError(fault.httpStatus, fault.code, fault.message ?? fault.code)
        : businessError(fault.code, fault.message ?? fault.code);
    default:
      answerHostile(fault, res, { accessKeyId: params.AccessKeyId ?? '', securityToken: params.SecurityToken }, st.timers);
      return 'answered';
  }
}

/** One request: its parameters read from the query and the form body, answered, and recorded in `seen`. */
function handleRequest(st: SandboxState, req: http.IncomingMessage, res: http.ServerResponse): void {
  const at = Date.now();
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_FORM_BYTES) req.socket.destroy();
    else chunks.push(c);
  });
  req.on('end', () => {
    if (st.stale.has(req.socket)) {
      req.socket.destroy();
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const params: Record<string, string> = {};
    const inQuery: string[] = [];
    for (const [k, v] of url.searchParams) {
      params[k] = v;
      inQuery.push(k);
    }
    const contentType = req.headers['content-type'];
    if (method === 'POST' && chunks.length > 0) {
      if (!contentType?.startsWith('application/x-www-form-urlencoded')) {
        void send(gatewayError(400, 'UnsupportedHTTPMethod', 'POST bodies must be application/x-www-form-urlencoded.'));
        return;
      }
      for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) params[k] = v;
    }
    const finish = (a: Reply) => {
      st.seen.push({
        method,
        contentType,
        params: Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'Signature')),
        inQuery,
        answer: typeof a === 'string' ? { status: 0, code: null } : { status: a.status, code: a.code },
        at,
      });
      // Keep the last 10,000 to 20,000: trimming in batches keeps a long run from shifting the array per request.
      if (st.seen.length > 20_000) st.seen.splice(0, st.seen.length - 10_000);
      if (typeof a !== 'string') void send(a);
    };
    answer(st, method, params, res, req).then(finish, () => finish(gatewayError(500, 'InternalError', 'sandbox failure')));
  });

  async function send(a: Answer): Promise<void> {
    if (res.destroyed) return;
    res.writeHead(a.status, {
      'Content-Type': a.contentType ?? 'application/json;charset=utf-8',
      'Content-Length': Buffer.byteLength(a.body),
    });
    res.end(a.body);
  }
}

export async function startDyplsSandbox(options: SandboxOptions = {}): Promise<DyplsSandbox> {
  const data = options.data ?? seedData();
  const st: SandboxState = {
    options,
    data,
    now: options.now ?? Date.now,
    keys: new Map(),
    nonces: new Map(),
    faultHits: new Map(),
    faults: new Map(data.faults.map((f) => [f.subsId, f])),
    pools: new Set(data.pools),
    seen: [],
    timers: new Set(),
    stale: new WeakSet(),
    inFlight: 0,
    authenticatedCount: 0,
    throttledCount: 0,
    acceptedAt: [],
  };
  const { now, keys, seen, timers, stale, faultHits } = st;
  let issuedCount = 0;
  const server = http.createServer((req, res) => handleRequest(st, req, res));
  server.keepAliveTimeout = 5000;
  const listening = await listenTracked(server, options);

  return {
    url: listening.url,
    port: listening.port,
    seen,
    issueStsCredentials(ttlMs = 60 * 60 * 1000) {
      // The local gateway issues a set per request: forget expired ones now and then so a long run stays small.
      if (++issuedCount % 1000 === 0) for (const [id, k] of keys) if (k.expiresAt !== undefined && k.expiresAt < now() - SKEW_MS) keys.delete(id);
      // Real tokens are long base64 strings with + / and = padding, which stress percent-encoding.
      const issued = newStsCredentials();
      keys.set(issued.accessKeyId, { secret: issued.accessKeySecret, token: issued.securityToken, expiresAt: now() + ttlMs });
      return issued;
    },
    addAccessKey(accessKeyId, accessKeySecret) {
      keys.set(accessKeyId, { secret: accessKeySecret });
    },
    revoke(accessKeyId) {
      keys.delete(accessKeyId);
    },
    connections: listening.connections,
    openConnections: () => listening.sockets.size,
    throttled: () => st.throttledCount,
    simulateFreeze() {
      for (const socket of listening.sockets) stale.add(socket);
    },
    resetFaults() {
      faultHits.clear();
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return listening.close();
    },
  };
}
