/**
 * Function Compute 3.0 platform shapes, written here rather than imported (there is no official typing package).
 * Fields marked "undocumented" were seen in real captures but are not in the docs.
 */

/**
 * The v1 HTTP event a built-in runtime receives for an HTTP-trigger request.
 * https://www.alibabacloud.com/help/en/functioncompute/fc/http-trigger-invoking-function
 */
export interface FcHttpEvent {
  version: 'v1';
  /** URL-encoded as received, no query string. */
  rawPath: string;
  /** Body text; base64 when `isBase64Encoded`. */
  body?: string;
  isBase64Encoded: boolean;
  /** Go-canonicalised (Title-Case) keys; repeated headers comma-joined. Look keys up case-insensitively. */
  headers: Record<string, string>;
  /** Repeated keys comma-joined. */
  queryParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    time: string;
    /** Milliseconds since the epoch, as a string. */
    timeEpoch: string;
    /** Undocumented: seen on InvokeFunction calls wrapped as HTTP events. */
    triggerId?: string;
  };
}

/** The object an HTTP-triggered handler returns; FC turns it into the HTTP response. */
export interface FcHttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

/**
 * STS credentials of the function's RAM role. `{}` when the function has no role.
 * https://www.alibabacloud.com/help/en/functioncompute/context
 */
export interface FcCredentials {
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
}

/** The invocation context (the fields this project reads). https://www.alibabacloud.com/help/en/functioncompute/context */
export interface FcContext {
  requestId: string;
  credentials?: FcCredentials;
  function?: { name?: string; handler?: string; memory?: number; /** seconds */ timeout?: number };
  region?: string;
  accountId?: string;
  /** Undocumented in FC3 docs, present in captures: `{logProject, logStore, qualifier}`. */
  service?: { logProject?: string; logStore?: string; qualifier?: string };
}

/** What FC hands the handler: always a Buffer on the platform; strings are accepted for convenience in local tools. */
export type FcEvent = Buffer | Uint8Array | string;
