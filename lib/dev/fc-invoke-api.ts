/**
 * A local Function Compute invoke API: the data-plane InvokeFunction paths of FC 3.0
 * (`POST /2023-03-30/functions/{name}/invocations?qualifier=`) and FC 2.0
 * (`POST /2016-08-15/services/{svc}[.{qualifier}]/functions/{name}/invocations`). It checks what Function
 * Compute checks: ACS3-HMAC-SHA256 on the 2023-03-30 path (signed headers, payload hash, x-acs-date within 15
 * minutes, nonce not reused, x-acs-security-token for STS keys), the FC signature on the 2016-08-15 path (Date
 * within 15 minutes, Content-MD5, x-fc-security-token); a request signed the wrong way for its path is
 * refused. It runs the target handler with the payload as its event (wrapped as a v1 HTTP event for a function
 * with an HTTP trigger) and answers as FC does, including `X-Fc-Error-Type` on function errors. For tests and
 * local runs only.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { FcContext, FcCredentials } from '../shared/fc-types';
import { buildHttpEvent, fcRequestId, type PlatformHandler, runAsPlatform } from './fc-gateway';
import { acs3Expected, parseAcs3Authorization } from './acs3-verify';
import { fcSignature, fcStringToSign } from './fc-signature';
import { listenTracked, sameSecret } from './loopback';
import { newStsCredentials } from './sts';

const SKEW_MS = 15 * 60 * 1000;
/** FC's synchronous payload limit. */
const MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;

export interface RegisteredFunction {
  handler: PlatformHandler;
  /** The function's own role credentials, put into its invocation context. */
  credentials: () => FcCredentials;
  /** Seconds. */
  timeout?: number;
  /**
   * Deliver the payload wrapped as a v1 HTTP event, as FC does for InvokeFunction on a function that has an
   * HTTP trigger (devsapp/fc3's captured template); the handler's HTTP-shaped result then reaches the caller.
   */
  wrapAsHttpEvent?: boolean;
  /**
   * With `wrapAsHttpEvent`: answer the invocation with the function's own statusCode and its body, as Function
   * Compute might for an HTTP-triggered function (undocumented; both behaviours are tested).
   */
  carryStatusCode?: boolean;
}

export interface FcInvokeApi {
  url: string;
  accountId: string;
  /** Registers a fresh `STS.` key with its secret and token (the caller function's role). */
  issueStsCredentials(ttlMs?: number): Required<FcCredentials>;
  register(name: string, fn: RegisteredFunction): void;
  /** Every request the API saw, with how it ended (for tests). */
  seen: { path: string; status: number; code: string | null }[];
  /** TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
  connections(): number;
  close(): Promise<void>;
}

interface Key {
  secret: string;
  token?: string;
  expiresAt?: number;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  code: string | null;
}

function isHttpShaped(v: unknown): v is { statusCode: number; body: string; isBase64Encoded?: boolean } {
  return (
    typeof v === 'object' && v !== null && typeof (v as { statusCode?: unknown }).statusCode === 'number' && typeof (v as { body?: unknown }).body === 'string'
  );
}

/** What the API keeps between requests. */
interface ApiState {
  accountId: string;
  now: () => number;
  keys: Map<string, Key>;
  functions: Map<string, RegisteredFunction>;
  nonces: Map<string, number>;
}

/** FC 3.0 answers its own errors as {Code, Message, RequestId}; the 2016-08-15 API as {ErrorCode, ErrorMessage}. */
function apiError(v3: boolean, status: number, code: string, message: string, requestId: string): Reply {
  const body = v3 ? { Code: code, Message: message, RequestId: requestId } : { ErrorCode: code, ErrorMessage: message };
  return { status, headers: { 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify(body)), code };
}

/** ACS3-HMAC-SHA256, as Function Compute 3.0 checks it (the V3 signature document). */
function authenticateAcs3(st: ApiState, req: http.IncomingMessage, url: URL, body: Buffer, requestId: string): Reply | undefined {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
  if (headers.authorization?.startsWith('FC ')) {
    return apiError(true, 403, 'SignatureNotMatch', 'the 2023-03-30 API takes ACS3-HMAC-SHA256 signatures, not the FC signature', requestId);
  }
  const auth = parseAcs3Authorization(headers.authorization);
  if (!auth) return apiError(true, 400, 'MissingRequiredHeader', 'required HTTP header Authorization (ACS3-HMAC-SHA256) was not specified', requestId);
  const date = headers['x-acs-date'] ?? '';
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(date))
    return apiError(true, 400, 'InvalidArgument', 'x-acs-date is missing or not yyyy-MM-ddTHH:mm:ssZ', requestId);
  if (Math.abs(Date.parse(date) - st.now()) > SKEW_MS) {
    return apiError(true, 403, 'SignatureNotMatch', 'the difference between the request time and the server time is more than 15 minutes', requestId);
  }
  // Everything that identifies the request must be signed: an unsigned x-acs-* header could be altered on the way.
  const mustSign = Object.keys(headers).filter((k) => k === 'host' || k === 'content-type' || k.startsWith('x-acs-'));
  if (mustSign.some((k) => !auth.signedHeaders.includes(k)))
    return apiError(true, 403, 'SignatureNotMatch', 'host, content-type and every x-acs-* header must be signed', requestId);
  if (headers['x-acs-content-sha256'] !== createHash('sha256').update(body).digest('hex')) {
    return apiError(true, 400, 'InvalidArgument', 'x-acs-content-sha256 does not match the body', requestId);
  }
  const key = st.keys.get(auth.accessKeyId);
  if (!key) return apiError(true, 403, 'InvalidAccessKeyID', `invalid access key ID '${auth.accessKeyId.slice(0, 8)}…'`, requestId);
  if (auth.accessKeyId.startsWith('STS.')) {
    const token = headers['x-acs-security-token'];
    if (!token || !key.token || !sameSecret(token, key.token))
      return apiError(true, 403, 'InvalidSecurityToken', 'the security token is missing or does not match', requestId);
    if (key.expiresAt !== undefined && key.expiresAt <= st.now())
      return apiError(true, 403, 'InvalidSecurityToken', 'the security token has expired', requestId);
  }
  const received = { method: req.method ?? 'POST', path: url.pathname, query: [...url.searchParams], headers, signedHeaders: auth.signedHeaders };
  if (!sameSecret(auth.signature, acs3Expected(received, key.secret).signature)) {
    return apiError(
      true,
      403,
      'SignatureNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your access key and signing method',
      requestId,
    );
  }
  const nonce = headers['x-acs-signature-nonce'];
  if (!nonce) return apiError(true, 400, 'MissingRequiredHeader', 'required HTTP header x-acs-signature-nonce was not specified', requestId);
  for (const [n, at] of st.nonces) {
    if (st.now() - at <= SKEW_MS) break;
    st.nonces.delete(n);
  }
  if (st.nonces.has(nonce)) return apiError(true, 403, 'SignatureNonceUsed', 'the signature nonce was used already', requestId);
  st.nonces.set(nonce, st.now());
  return undefined;
}

/** The FC signature of the 2016-08-15 API. */
function authenticateFc(st: ApiState, req: http.IncomingMessage, path: string, body: Buffer, requestId: string): Reply | undefined {
  const v3 = false;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
  const auth = /^FC ([^:\s]+):(\S+)$/.exec(headers.authorization ?? '');
  if (!auth) return apiError(v3, 400, 'MissingRequiredHeader', 'required HTTP header Authorization was not specified', requestId);
  const date = headers.date;
  if (!date || Number.isNaN(Date.parse(date))) return apiError(v3, 400, 'MissingRequiredHeader', 'required HTTP header Date was not specified', requestId);
  if (Math.abs(Date.parse(date) - st.now()) > SKEW_MS) {
    return apiError(v3, 403, 'SignatureNotMatch', 'the difference between the request time and the server time is more than 15 minutes', requestId);
  }
  if (headers['x-fc-account-id'] !== undefined && headers['x-fc-account-id'] !== st.accountId) {
    return apiError(v3, 403, 'AccessDenied', 'the account id does not match the host', requestId);
  }
  const md5 = headers['content-md5'];
  if (md5 !== undefined) {
    const hex = createHash('md5').update(body).digest('hex');
    // fc2 sends Base64 of the hex digest; RFC 1864 is Base64 of the raw digest. Accept either, as sent.
    if (md5 !== Buffer.from(hex).toString('base64') && md5 !== Buffer.from(hex, 'hex').toString('base64')) {
      return apiError(v3, 400, 'InvalidArgument', 'Content-MD5 does not match the body', requestId);
    }
  }
  const [, keyId = '', signature = ''] = auth;
  const key = st.keys.get(keyId);
  if (!key) return apiError(v3, 403, 'InvalidAccessKeyID', `invalid access key ID '${keyId.slice(0, 8)}…'`, requestId);
  if (keyId.startsWith('STS')) {
    const token = headers['x-fc-security-token'];
    if (!token || !key.token || !sameSecret(token, key.token))
      return apiError(v3, 403, 'InvalidSecurityToken', 'the security token is missing or does not match', requestId);
    if (key.expiresAt !== undefined && key.expiresAt <= st.now()) return apiError(v3, 403, 'InvalidSecurityToken', 'the security token has expired', requestId);
  }
  const expected = fcSignature(fcStringToSign(req.method ?? 'POST', decodeURIComponent(path), headers), key.secret);
  if (!sameSecret(signature, expected)) {
    return apiError(
      v3,
      403,
      'SignatureNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your access key and signing method',
      requestId,
    );
  }
  return undefined;
}

async function runFunction(st: ApiState, fn: RegisteredFunction, name: string, req: http.IncomingMessage, body: Buffer, requestId: string): Promise<Reply> {
  const timeout = fn.timeout ?? 10;
  const context: FcContext = {
    requestId,
    credentials: fn.credentials(),
    function: { name, handler: 'index.handler', memory: 256, timeout },
    region: 'cn-hangzhou',
    accountId: st.accountId,
  };
  const event = fn.wrapAsHttpEvent
    ? Buffer.from(
        JSON.stringify(
          buildHttpEvent({
            method: 'POST',
            url: req.url ?? '/',
            httpVersion: req.httpVersion,
            rawHeaders: req.rawHeaders,
            body,
            sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
            requestId: '',
            nowMs: st.now(),
            accountId: st.accountId,
          }),
        ),
      )
    : body;
  // A function error reaches an InvokeFunction caller with a 2xx status and X-Fc-Error-Type.
  const run = await runAsPlatform(fn.handler, event, context, timeout);
  if (!run.ok) {
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json', 'X-Fc-Error-Type': 'UnhandledInvocationError' },
      body: Buffer.from(JSON.stringify(run.error)),
      code: 'UnhandledInvocationError',
    };
  }
  const result = run.result;
  if (fn.carryStatusCode && isHttpShaped(result)) {
    return {
      status: result.statusCode,
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.from(result.body, result.isBase64Encoded === true ? 'base64' : 'utf8'),
      code: null,
    };
  }
  const out = Buffer.isBuffer(result) ? result : Buffer.from(typeof result === 'string' ? result : (JSON.stringify(result) ?? ''));
  return { status: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: out, code: null };
}

async function handle(st: ApiState, req: http.IncomingMessage, body: Buffer): Promise<Reply> {
  const requestId = fcRequestId(st.now());
  const url = new URL(req.url ?? '/', 'http://fc.local');
  const v3 = /^\/2023-03-30\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
  const v2 = /^\/2016-08-15\/services\/([^/.]+)(?:\.([^/]+))?\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
  if (!v3 && !v2) return apiError(true, 404, 'PathNotSupported', `'${req.method} ${url.pathname.slice(0, 80)}' is not supported`, requestId);
  const isV3 = Boolean(v3);
  if (req.method !== 'POST') return apiError(isV3, 405, 'MethodNotAllowed', 'use POST', requestId);
  if (body.length > MAX_PAYLOAD_BYTES) return apiError(isV3, 400, 'EntityTooLarge', 'payload size exceeds maximum allowed size', requestId);
  const denied = isV3 ? authenticateAcs3(st, req, url, body, requestId) : authenticateFc(st, req, url.pathname, body, requestId);
  if (denied) return denied;
  const name = decodeURIComponent((v3 ? v3[1] : v2?.[3]) ?? '');
  const registryName = v3 ? name : `${v2?.[1] ?? ''}$${name}`;
  const fn = st.functions.get(registryName) ?? st.functions.get(name);
  if (!fn) return apiError(isV3, 404, 'FunctionNotFound', `function '${name}' does not exist`, requestId);
  if ((req.headers['x-fc-invocation-type'] ?? 'Sync').toString().toLowerCase() === 'async') {
    void runFunction(st, fn, name, req, body, requestId);
    return { status: 202, headers: {}, body: Buffer.alloc(0), code: null };
  }
  return runFunction(st, fn, name, req, body, requestId);
}

export async function startFcInvokeApi(options: { accountId?: string; port?: number; now?: () => number } = {}): Promise<FcInvokeApi> {
  const st: ApiState = {
    accountId: options.accountId ?? '1234567890123456',
    now: options.now ?? Date.now,
    keys: new Map(),
    functions: new Map(),
    nonces: new Map(),
  };
  const { accountId, now, keys, functions } = st;
  const seen: FcInvokeApi['seen'] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      handle(st, req, Buffer.concat(chunks)).then(
        (r) => {
          seen.push({ path, status: r.status, code: r.code });
          if (res.destroyed) return;
          res.writeHead(r.status, { ...r.headers, 'X-Fc-Request-Id': fcRequestId(now()), 'Content-Length': r.body.length });
          res.end(r.body);
        },
        () => {
          if (!res.destroyed) res.writeHead(500).end();
        },
      );
    });
  });
  const listening = await listenTracked(server, { port: options.port });

  return {
    url: listening.url,
    accountId,
    seen,
    connections: listening.connections,
    issueStsCredentials(ttlMs = 60 * 60 * 1000) {
      const issued = newStsCredentials();
      keys.set(issued.accessKeyId, { secret: issued.accessKeySecret, token: issued.securityToken, expiresAt: now() + ttlMs });
      return issued;
    },
    register(name, fn) {
      functions.set(name, fn);
    },
    close: listening.close,
  };
}
