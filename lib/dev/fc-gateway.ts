/**
 * A local stand-in for an FC 3.0 HTTP trigger: each real HTTP request becomes the v1 HTTP event the runtime
 * would build, the handler runs with a synthetic context, and its result becomes the HTTP response as FC
 * would send it. Only for `npm start` and tests; never bundled into the function.
 * https://www.alibabacloud.com/help/en/functioncompute/fc/http-trigger-invoking-function
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { FcContext, FcCredentials, FcHttpEvent } from '../shared/fc-types';
import { listenTracked } from './loopback';

/** What a handler looks like from the platform's side: anything may come back, or be thrown. */
export type PlatformHandler = (event: Buffer, context: FcContext) => Promise<unknown>;

/** FC's synchronous request body limit. */
const MAX_REQUEST_BYTES = 32 * 1024 * 1024;
/** Response headers FC drops from a handler's result (documented for 2.0; assumed for 3.0). */
const RESERVED_RESPONSE_HEADERS = /^(connection|content-length|date|keep-alive|server|upgrade|transfer-encoding|x-fc-.*)$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Go's CanonicalMIMEHeaderKey, as FC applies it: `x-fc-trace-id` → `X-Fc-Trace-Id`; invalid keys stay as they are. */
export function canonicalHeaderKey(key: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(key)) return key;
  return key
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join('-');
}

/** An FC3-style request id: `1-65e571bc-158a59e8-b63f98cd471c`. */
export function fcRequestId(nowMs: number): string {
  return `1-${Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0')}-${randomBytes(4).toString('hex')}-${randomBytes(6).toString('hex')}`;
}

export interface RequestFacts {
  method: string;
  /** The request target as received: path and query, still encoded. */
  url: string;
  httpVersion: string;
  /** Node's `rawHeaders`: name, value, name, value… in arrival order. */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  requestId: string;
  nowMs: number;
  accountId: string;
}

/** Builds the exact v1 HTTP event FC would hand the runtime for this request. */
export function buildHttpEvent(r: RequestFacts): FcHttpEvent {
  const q = r.url.indexOf('?');
  const rawPath = q === -1 ? r.url : r.url.slice(0, q);
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < r.rawHeaders.length; i += 2) {
    const key = canonicalHeaderKey(r.rawHeaders[i] ?? '');
    const value = r.rawHeaders[i + 1] ?? '';
    headers[key] = headers[key] === undefined ? value : `${headers[key]},${value}`;
  }
  const queryParameters: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(q === -1 ? '' : r.url.slice(q + 1))) {
    queryParameters[k] = queryParameters[k] === undefined ? v : `${queryParameters[k]},${v}`;
  }
  let body: string;
  let isBase64Encoded = false;
  try {
    body = utf8.decode(r.body);
  } catch {
    body = r.body.toString('base64');
    isBase64Encoded = true;
  }
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    path = rawPath;
  }
  const host = headers.Host ?? 'localhost';
  const hostname = host.replace(/:\d+$/, '');
  return {
    version: 'v1',
    rawPath,
    body,
    isBase64Encoded,
    headers,
    queryParameters,
    requestContext: {
      accountId: r.accountId,
      domainName: hostname,
      domainPrefix: hostname.split('.')[0] ?? hostname,
      http: {
        method: r.method.toUpperCase(),
        path,
        protocol: `HTTP/${r.httpVersion}`,
        sourceIp: r.sourceIp,
        userAgent: headers['User-Agent'] ?? '',
      },
      requestId: r.requestId,
      time: `${new Date(r.nowMs).toISOString().slice(0, 19)}Z`,
      timeEpoch: String(r.nowMs),
    },
  };
}

interface PlatformResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** FC's function-error body: `{errorMessage, errorType, stackTrace}`. */
export interface FunctionErrorBody {
  errorMessage: string;
  errorType: string;
  stackTrace: string[];
}

/**
 * Runs a handler as the platform does: a thrown error or a rejected promise, and a run past the function's
 * timeout, become FC's function-error body instead of escaping.
 */
export async function runAsPlatform(
  handler: PlatformHandler,
  event: Buffer,
  context: FcContext,
  timeoutSeconds: number,
): Promise<{ ok: true; result: unknown } | { ok: false; error: FunctionErrorBody }> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<{ ok: false; error: FunctionErrorBody }>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, error: { errorMessage: `Function timed out after ${timeoutSeconds} seconds`, errorType: 'FunctionTimeout', stackTrace: [] } }),
      timeoutSeconds * 1000,
    );
  });
  const answered = handler(event, context).then(
    (result) => ({ ok: true as const, result }),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      return { ok: false as const, error: { errorMessage: e.message, errorType: e.name, stackTrace: (e.stack ?? '').split('\n') } };
    },
  );
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** A function error, as FC reports it on an HTTP trigger: 502 with `X-Fc-Error-Type`. */
function functionError(message: string, errorType = 'Error', stackTrace: string[] = []): PlatformResponse {
  return {
    status: 502,
    headers: { 'Content-Type': 'application/json', 'X-Fc-Error-Type': 'UnhandledInvocationError' },
    body: Buffer.from(JSON.stringify({ errorMessage: message, errorType, stackTrace } satisfies FunctionErrorBody)),
  };
}

/**
 * Turns whatever the handler returned into the response FC would send. The documented shape is honoured;
 * anything else follows the guides' reading of FC (unverified in the reference): a result without
 * `statusCode` becomes a 200 body, and an HTTP-shaped result FC cannot send is a function error.
 */
function toPlatformResponse(result: unknown): PlatformResponse {
  if (Buffer.isBuffer(result)) return { status: 200, headers: {}, body: result };
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    const text = typeof result === 'string' ? result : (JSON.stringify(result) ?? '');
    return { status: 200, headers: {}, body: Buffer.from(text) };
  }
  const r = result as { statusCode: unknown; headers?: unknown; body?: unknown; isBase64Encoded?: unknown };
  if (typeof r.statusCode !== 'number' || !Number.isInteger(r.statusCode) || r.statusCode < 100 || r.statusCode > 599) {
    return functionError('the function returned an HTTP response with an invalid statusCode');
  }
  const headers: Record<string, string> = {};
  if (r.headers !== undefined && (typeof r.headers !== 'object' || r.headers === null)) {
    return functionError('the function returned HTTP response headers that are not an object');
  }
  for (const [k, v] of Object.entries((r.headers ?? {}) as Record<string, unknown>)) {
    if (!RESERVED_RESPONSE_HEADERS.test(k)) headers[k] = String(v);
  }
  if (Buffer.byteLength(JSON.stringify(headers)) > 8 * 1024) {
    return functionError('the response headers are larger than 8 KB');
  }
  const text = typeof r.body === 'string' ? r.body : r.body === undefined ? '' : JSON.stringify(r.body);
  const body = r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { status: r.statusCode, headers, body };
}

export interface GatewayOptions {
  handler: PlatformHandler;
  /** Credentials for each invocation's context: fresh STS-style ones from the sandbox, or the developer's. */
  credentials: () => FcCredentials;
  port?: number;
  host?: string;
  functionName?: string;
  /** Function timeout in seconds, as in s.yaml. */
  timeoutSeconds?: number;
  accountId?: string;
  /** Sees each event the gateway builds (tests compare it field by field). */
  onEvent?: (event: FcHttpEvent) => void;
}

export interface Gateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** One request through the gateway: the v1 HTTP event FC would build, the handler run as FC runs it, its answer. */
async function invokeThrough(options: GatewayOptions, req: http.IncomingMessage, body: Buffer): Promise<PlatformResponse & { requestId: string }> {
  const timeoutSeconds = options.timeoutSeconds ?? 10;
  const accountId = options.accountId ?? '1234567890123456';
  const nowMs = Date.now();
  const requestId = fcRequestId(nowMs);
  const event = buildHttpEvent({
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    httpVersion: req.httpVersion,
    rawHeaders: req.rawHeaders,
    body,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    requestId,
    nowMs,
    accountId,
  });
  options.onEvent?.(event);
  const context: FcContext = {
    requestId,
    credentials: options.credentials(),
    function: { name: options.functionName ?? 'query-subscription-detail', handler: 'index.handler', memory: 256, timeout: timeoutSeconds },
    service: { logProject: 'local', logStore: 'local', qualifier: 'LATEST' },
    region: 'cn-hangzhou',
    accountId,
  };
  const run = await runAsPlatform(options.handler, Buffer.from(JSON.stringify(event), 'utf8'), context, timeoutSeconds);
  const response = run.ok ? toPlatformResponse(run.result) : functionError(run.error.errorMessage, run.error.errorType, run.error.stackTrace);
  return { ...response, requestId };
}

export async function startFcGateway(options: GatewayOptions): Promise<Gateway> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      const send = (r: PlatformResponse, requestId: string) => {
        if (res.destroyed) return;
        res.writeHead(r.status, { ...r.headers, 'X-Fc-Request-Id': requestId, 'Content-Length': r.body.length });
        res.end(r.body);
      };
      if (tooLarge) {
        const requestId = fcRequestId(Date.now());
        const body = Buffer.from(JSON.stringify({ ErrorCode: 'InvalidArgument', ErrorMessage: 'request body is larger than 32 MB' }));
        send({ status: 400, headers: { 'Content-Type': 'application/json', 'X-Fc-Error-Type': 'FcCommonError' }, body }, requestId);
        return;
      }
      invokeThrough(options, req, Buffer.concat(chunks)).then(
        (r) => send(r, r.requestId),
        () => send(functionError('gateway failure'), fcRequestId(Date.now())),
      );
    });
  });
  const listening = await listenTracked(server, options);
  return { url: listening.url, port: listening.port, close: listening.close };
}
