/**
 * Calls the query function from another cloud function: one typed call, validated locally first, signed with
 * the calling function's own STS credentials, and every failure (validation, Function Compute's own errors in
 * either API's shape, function errors reported as 2xx + X-Fc-Error-Type, HTTP-shaped results, timeouts)
 * returned as a typed envelope, never thrown.
 *
 * Built on @alicloud/fc2: its constructor (credentials, region, `internal` and `secure` endpoints), its
 * `invokeFunction` (FC 2.0 addressing), `post` and its FC signer. Only the transport is replaced (`request`),
 * because fc2 discards the body of non-2xx answers and reads only the 2016 `ErrorCode` shape, throwing
 * `FCundefinedError` for FC 3.0's `{Code, Message, RequestId}`; the override keeps the body and adds a
 * keep-alive agent, so a warm caller reuses its connection.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import FCClientUntyped from '@alicloud/fc2';
import { usableCredentials } from '../shared/credentials';
import { failureEnvelope } from '../shared/envelope';
import { failure, invokeFailure } from '../shared/errors';
import type { FcCredentials } from '../shared/fc-types';
import { redactText } from '../shared/redact';
import { requestIdOf } from '../shared/request-id';
import { validateRequestObject } from '../shared/request';
import { type Envelope, envelopeSchema } from '../shared/schemas';

export interface CallerOptions {
  /** The calling function's `context.credentials` (its RAM role needs `fc:InvokeFunction` on the target). */
  credentials: FcCredentials | undefined;
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
  /** Overrides the endpoint entirely (tests, the local FC invoke API). */
  endpoint?: string;
}

interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** The parts of fc2's Client this module relies on (it ships no typings). */
interface Fc2Client {
  version: string;
  endpoint: string;
  timeout: number;
  accessKeyID: string;
  accessKeySecret: string;
  buildHeaders(): Record<string, string>;
  post(path: string, body: string, headers: Record<string, string>, queries: Record<string, string> | null): Promise<RawReply>;
  invokeFunction(serviceName: string, functionName: string, event: string, headers: Record<string, string>, qualifier?: string): Promise<RawReply>;
}
type Fc2ClientCtor = (new (accountId: string, config: Record<string, unknown>) => Fc2Client) & {
  getSignature(id: string, secret: string, method: string, path: string, headers: Record<string, string | number>, queries: unknown): string;
};
const FCClient = FCClientUntyped as Fc2ClientCtor;

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

class InvokeTimeoutError extends Error {
  override name = 'InvokeTimeoutError';
}

/** fc2's Client with a transport that keeps non-2xx bodies (see the module comment). */
class InvokeClient extends (FCClient as unknown as new (accountId: string, config: Record<string, unknown>) => Fc2Client) {
  async request(
    method: string,
    path: string,
    query: Record<string, string> | null,
    body: string | null,
    headers: Record<string, string> = {},
  ): Promise<RawReply> {
    const search = query && Object.keys(query).length > 0 ? `?${new URLSearchParams(query).toString()}` : '';
    const url = new URL(`${this.endpoint}/${this.version}${path}${search}`);
    const all: Record<string, string | number> = { ...this.buildHeaders(), ...headers };
    const payload = body === null ? undefined : Buffer.from(body, 'utf8');
    if (payload) {
      // As fc2 does: strings go as octet-stream, with its Content-MD5 (Base64 of the hex digest).
      all['content-type'] = 'application/octet-stream';
      all['content-length'] = payload.length;
      all['content-md5'] = Buffer.from(createHash('md5').update(payload).digest('hex')).toString('base64');
    }
    all.authorization = FCClient.getSignature(
      this.accessKeyID,
      this.accessKeySecret,
      method,
      `/${this.version}${path}`,
      all,
      path.startsWith('/proxy/') ? query : null,
    );
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<RawReply>((resolve, reject) => {
      const req = transport.request(url, { method, headers: all, agent: url.protocol === 'https:' ? agents.https : agents.http }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.setTimeout(this.timeout, () => req.destroy(new InvokeTimeoutError(`no answer within ${this.timeout} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

function parseJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Turns an InvokeFunction answer into the envelope, whatever shape it came in. */
function interpretInvokeReply(reply: RawReply, credentials: FcCredentials): Envelope {
  const requestId = requestIdOf(reply.headers['x-fc-request-id']);
  const errorType = reply.headers['x-fc-error-type'];
  if (typeof errorType === 'string') {
    // A function error arrives with a 2xx status; its body (errorMessage, stackTrace) stays out of the envelope.
    const body = parseJson(reply.body);
    const type = isRecord(body) && typeof body.errorType === 'string' ? body.errorType.replace(/[^\w.:-]/g, '').slice(0, 64) : 'unknown';
    return failureEnvelope(failure('FunctionError', { detail: `X-Fc-Error-Type: ${errorType.slice(0, 64)}, errorType: ${type}.` }));
  }
  const body = parseJson(reply.body);
  if (reply.status < 200 || reply.status >= 300) {
    const fcCode = isRecord(body) ? (body.Code ?? body.ErrorCode) : undefined;
    const fcMessage = isRecord(body) ? (body.Message ?? body.ErrorMessage) : undefined;
    const bodyRequestId = (isRecord(body) ? requestIdOf(body.RequestId) : null) ?? requestId;
    const creds = { accessKeyId: credentials.accessKeyId ?? '', accessKeySecret: credentials.accessKeySecret ?? '', securityToken: credentials.securityToken };
    const f = invokeFailure(typeof fcCode === 'string' && /^[\w.]{1,64}$/.test(fcCode) ? fcCode : `HTTP${reply.status}`, reply.status, {
      requestId: bodyRequestId,
      message: redactText(fcMessage, [creds.accessKeyId, creds.accessKeySecret, creds.securityToken]),
      httpStatus: reply.status,
    });
    return failureEnvelope(f);
  }
  // A function with an HTTP trigger may get InvokeFunction wrapped as an HTTP event and answer HTTP-shaped.
  const unwrapped =
    isRecord(body) && typeof body.statusCode === 'number' && typeof body.body === 'string'
      ? parseJson(Buffer.from(body.body, body.isBase64Encoded === true ? 'base64' : 'utf8'))
      : body;
  const envelope = envelopeSchema.safeParse(unwrapped);
  if (envelope.success) return envelope.data;
  return failureEnvelope(failure('InvokeBadResponse'));
}

function transportFailure(err: unknown): Envelope {
  return failureEnvelope(failure(err instanceof InvokeTimeoutError ? 'InvokeTimeout' : 'InvokeUnavailable'));
}

/**
 * Queries a binding through the query function. Never throws: every outcome is an envelope.
 * @example
 * const answer = await queryBindingDetail({ poolKey, subsId, phoneNoX }, {
 *   credentials: context.credentials, accountId: context.accountId, region: context.region,
 *   functionName: 'query-subscription-detail',
 * });
 * if (answer.ok) console.log(answer.data.status, answer.data.expireDate);
 */
export async function queryBindingDetail(request: unknown, options: CallerOptions): Promise<Envelope> {
  const valid = validateRequestObject(request);
  if (!valid.ok) return failureEnvelope(valid.failure);
  const credentials = usableCredentials(options.credentials);
  if (!credentials) {
    return failureEnvelope(failure('CredentialsUnavailable', { detail: "The calling function's role also needs fc:InvokeFunction on the target function." }));
  }
  let client: InvokeClient;
  try {
    client = new InvokeClient(options.accountId, {
      accessKeyID: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      securityToken: credentials.securityToken,
      region: options.region,
      secure: true,
      internal: options.internal ?? true,
      timeout: options.timeoutMs ?? 10_000,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    });
  } catch {
    // fc2 throws TypeErrors for a missing account or region.
    return failureEnvelope(failure('InvokeUnavailable', { detail: 'accountId and region are required.' }));
  }
  const payload = JSON.stringify(valid.request);
  const headers = { 'x-fc-invocation-type': 'Sync' };
  try {
    let reply: RawReply;
    if (options.serviceName) {
      // FC 2.0: POST /2016-08-15/services/<svc>[.<qualifier>]/functions/<fn>/invocations.
      reply = await client.invokeFunction(options.serviceName, options.functionName, payload, headers, options.qualifier);
    } else {
      // FC 3.0 has no services: POST /2023-03-30/functions/<fn>/invocations?qualifier=…, FC-signed as fc3's own tooling does.
      client.version = '2023-03-30';
      reply = await client.post(
        `/functions/${encodeURIComponent(options.functionName)}/invocations`,
        payload,
        headers,
        options.qualifier ? { qualifier: options.qualifier } : null,
      );
    }
    return interpretInvokeReply(reply, options.credentials ?? {});
  } catch (err) {
    return transportFailure(err);
  }
}

/** The same call with the target fixed once, for a caller that queries often. */
export function createBindingDetailClient(options: Omit<CallerOptions, 'credentials'>) {
  return {
    query: (request: unknown, credentials: FcCredentials | undefined) => queryBindingDetail(request, { ...options, credentials }),
  };
}
