/**
 * A local Function Compute invoke API: the data-plane InvokeFunction paths of FC 3.0
 * (`POST /2023-03-30/functions/{name}/invocations?qualifier=`) and FC 2.0
 * (`POST /2016-08-15/services/{svc}[.{qualifier}]/functions/{name}/invocations`). It checks the FC signature
 * as FC does (canonical x-fc-* headers, Date within 15 minutes, Content-MD5, x-fc-security-token for STS keys),
 * runs the target handler with the payload as its event, and answers as FC does, including
 * `X-Fc-Error-Type` on function errors. For tests and local runs only.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { FcContext, FcCredentials } from '../shared/fc-types';
import { buildHttpEvent, fcRequestId, type PlatformHandler, runAsPlatform } from './fc-gateway';
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
}

export interface FcInvokeApi {
  url: string;
  accountId: string;
  /** Registers a fresh `STS.` key with its secret and token (the caller function's role). */
  issueStsCredentials(ttlMs?: number): Required<FcCredentials>;
  register(name: string, fn: RegisteredFunction): void;
  /** Every request the API saw, with how it ended (for tests). */
  seen: { path: string; status: number; code: string | null }[];
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

export async function startFcInvokeApi(options: { accountId?: string; port?: number; now?: () => number } = {}): Promise<FcInvokeApi> {
  const accountId = options.accountId ?? '1234567890123456';
  const now = options.now ?? Date.now;
  const keys = new Map<string, Key>();
  const functions = new Map<string, RegisteredFunction>();
  const seen: FcInvokeApi['seen'] = [];

  /** FC 3.0 answers its own errors as {Code, Message, RequestId}; the 2016-08-15 API as {ErrorCode, ErrorMessage}. */
  function apiError(v3: boolean, status: number, code: string, message: string, requestId: string): Reply {
    const body = v3 ? { Code: code, Message: message, RequestId: requestId } : { ErrorCode: code, ErrorMessage: message };
    return { status, headers: { 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify(body)), code };
  }

  function authenticate(req: http.IncomingMessage, path: string, body: Buffer, v3: boolean, requestId: string): Reply | undefined {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const auth = /^FC ([^:\s]+):(\S+)$/.exec(headers.authorization ?? '');
    if (!auth) return apiError(v3, 400, 'MissingRequiredHeader', 'required HTTP header Authorization was not specified', requestId);
    const date = headers.date;
    if (!date || Number.isNaN(Date.parse(date))) return apiError(v3, 400, 'MissingRequiredHeader', 'required HTTP header Date was not specified', requestId);
    if (Math.abs(Date.parse(date) - now()) > SKEW_MS) {
      return apiError(v3, 403, 'SignatureNotMatch', 'the difference between the request time and the server time is more than 15 minutes', requestId);
    }
    if (headers['x-fc-account-id'] !== undefined && headers['x-fc-account-id'] !== accountId) {
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
    const key = keys.get(keyId);
    if (!key) return apiError(v3, 403, 'InvalidAccessKeyID', `invalid access key ID '${keyId.slice(0, 8)}…'`, requestId);
    if (keyId.startsWith('STS')) {
      const token = headers['x-fc-security-token'];
      if (!token || !key.token || !sameSecret(token, key.token))
        return apiError(v3, 403, 'InvalidSecurityToken', 'the security token is missing or does not match', requestId);
      if (key.expiresAt !== undefined && key.expiresAt <= now()) return apiError(v3, 403, 'InvalidSecurityToken', 'the security token has expired', requestId);
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

  async function run(fn: RegisteredFunction, name: string, req: http.IncomingMessage, body: Buffer, requestId: string): Promise<Reply> {
    const timeout = fn.timeout ?? 10;
    const context: FcContext = {
      requestId,
      credentials: fn.credentials(),
      function: { name, handler: 'index.handler', memory: 256, timeout },
      region: 'cn-hangzhou',
      accountId,
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
              nowMs: now(),
              accountId,
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
    const out = Buffer.isBuffer(result) ? result : Buffer.from(typeof result === 'string' ? result : (JSON.stringify(result) ?? ''));
    return { status: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: out, code: null };
  }

  async function handle(req: http.IncomingMessage, body: Buffer): Promise<Reply> {
    const requestId = fcRequestId(now());
    const url = new URL(req.url ?? '/', 'http://fc.local');
    const v3 = /^\/2023-03-30\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
    const v2 = /^\/2016-08-15\/services\/([^/.]+)(?:\.([^/]+))?\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
    if (!v3 && !v2) return apiError(true, 404, 'PathNotSupported', `'${req.method} ${url.pathname.slice(0, 80)}' is not supported`, requestId);
    const isV3 = Boolean(v3);
    if (req.method !== 'POST') return apiError(isV3, 405, 'MethodNotAllowed', 'use POST', requestId);
    if (body.length > MAX_PAYLOAD_BYTES) return apiError(isV3, 400, 'EntityTooLarge', 'payload size exceeds maximum allowed size', requestId);
    const denied = authenticate(req, url.pathname, body, isV3, requestId);
    if (denied) return denied;
    const name = decodeURIComponent((v3 ? v3[1] : v2?.[3]) ?? '');
    const registryName = v3 ? name : `${v2?.[1] ?? ''}$${name}`;
    const fn = functions.get(registryName) ?? functions.get(name);
    if (!fn) return apiError(isV3, 404, 'FunctionNotFound', `function '${name}' does not exist`, requestId);
    if ((req.headers['x-fc-invocation-type'] ?? 'Sync').toString().toLowerCase() === 'async') {
      void run(fn, name, req, body, requestId);
      return { status: 202, headers: {}, body: Buffer.alloc(0), code: null };
    }
    return run(fn, name, req, body, requestId);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      handle(req, Buffer.concat(chunks)).then(
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
