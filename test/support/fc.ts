/**
 * Real FC 3.0 invocation inputs: v1 HTTP event bytes as the runtime delivers them, and a context fixture
 * with fake ids (as in powertools' testing context). Header keys are Go-canonicalised and repeats
 * comma-joined, as FC does.
 */
import type { FcContext } from '../../lib/shared/fc-types';
import { canonicalHeaderKey } from '../../lib/dev/fc-gateway';

export interface HttpEventInit {
  method?: string;
  path?: string;
  /** Repeated keys as arrays; they are comma-joined, as FC does. */
  query?: Record<string, string | string[]>;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Force base64 (FC does so for binary bodies). Buffers that are not valid UTF-8 are always base64. */
  base64?: boolean;
}

export function httpEventObject(init: HttpEventInit = {}) {
  const method = (init.method ?? 'GET').toUpperCase();
  const path = init.path ?? '/';
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(init.headers ?? {})) {
    const key = canonicalHeaderKey(k);
    const value = Array.isArray(v) ? v.join(',') : v;
    headers[key] = headers[key] === undefined ? value : `${headers[key]},${value}`;
  }
  const queryParameters: Record<string, string> = {};
  for (const [k, v] of Object.entries(init.query ?? {})) queryParameters[k] = Array.isArray(v) ? v.join(',') : v;
  const bodyBuffer = init.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body, 'utf8');
  const isUtf8 = Buffer.from(bodyBuffer.toString('utf8'), 'utf8').equals(bodyBuffer);
  const base64 = init.base64 === true || !isUtf8;
  return {
    version: 'v1',
    rawPath: path,
    body: base64 ? bodyBuffer.toString('base64') : bodyBuffer.toString('utf8'),
    isBase64Encoded: base64,
    headers,
    queryParameters,
    requestContext: {
      accountId: '1234567890123456',
      domainName: 'abc123.cn-hangzhou.fcapp.run',
      domainPrefix: 'abc123',
      http: { method, path: decodeURIComponent(path), protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'curl/8.5.0' },
      requestId: '1-65e571bc-158a59e8-b63f98cd471c',
      time: '2024-03-04T07:01:16Z',
      timeEpoch: '1709535676927',
    },
  };
}

/** The event as the runtime hands it to the handler: a Buffer of UTF-8 JSON. */
export function httpEvent(init: HttpEventInit = {}): Buffer {
  return Buffer.from(JSON.stringify(httpEventObject(init)), 'utf8');
}

/** A direct invocation payload (`s invoke -e '…'`): the bytes as sent. */
export function directEvent(payload: unknown): Buffer {
  return Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8');
}

let counter = 0;

/** A context with the given credentials (fake ids otherwise), cloned per call. */
export function fcContext(credentials: FcContext['credentials'], overrides: Partial<FcContext> = {}): FcContext {
  counter++;
  return structuredClone({
    requestId: `1-65e571bc-158a59e8-${String(counter).padStart(12, '0')}`,
    credentials,
    function: { name: 'query-subscription-detail', handler: 'index.handler', memory: 256, timeout: 10 },
    service: { logProject: 'dypls-log', logStore: 'function-log', qualifier: 'LATEST' },
    region: 'cn-hangzhou',
    accountId: '1234567890123456',
    ...overrides,
  });
}

export const DEMO = {
  poolKey: 'FC100000012345678',
  subsId: '1000000768798832',
  phoneNoX: '17000000000',
} as const;

/** The data the function answers for DEMO: the example envelope, from the DOC2019 demo binding. */
export const DEMO_DETAIL = {
  subsId: '1000000768798832',
  phoneNoA: '15000000000',
  phoneNoB: '15000000001',
  phoneNoX: '17000000000',
  extension: null,
  groupId: null,
  gmtCreate: '2019-03-02T19:30:11+08:00',
  expireDate: '2019-09-05T12:00:00+08:00',
  needRecord: false,
  status: 'ACTIVE',
  callRestrict: null,
  asrStatus: null,
  asrModelId: null,
} as const;
