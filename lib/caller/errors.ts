/**
 * The caller library's own rows of the status table (what only a call through Function Compute can fail with),
 * Function Compute's own errors as `FC.<Code>`, and the union of every code an envelope can carry, read off the
 * tables so that it is never written twice.
 */
import {
  buildFailure,
  CATEGORIES,
  type Category,
  type Failure,
  type FailureOptions,
  type FunctionErrorCode,
  type OwnCode,
  type UpstreamErrorCode,
  type UpstreamFacts,
} from '../shared/errors';

/** Codes only the caller library answers, for calls from other functions through Function Compute. */
export const CALLER_CODES = {
  InvokeTimeout: { status: 504, retryable: true, en: 'The query function did not answer the invocation in time; retry.', zh: '调用查询函数超时，请重试' },
  InvokeUnavailable: { status: 502, retryable: true, en: 'Function Compute could not be reached; retry.', zh: '无法连接函数计算，请重试' },
  InvokeBadResponse: {
    status: 502,
    retryable: false,
    en: 'The invocation answered with something that is not a query envelope.',
    zh: '调用返回了无法识别的结果',
  },
  FunctionError: { status: 502, retryable: false, en: 'The query function failed (Function Compute reported a function error).', zh: '查询函数执行出错' },
  PeerDependencyMissing: {
    status: 500,
    retryable: false,
    en: 'FC 2.0 targets (serviceName set) need the optional peer dependency @alicloud/fc2: npm install @alicloud/fc2@2.6.6 beside this package.',
    zh: 'FC 2.0 目标（设置了 serviceName）需要可选依赖 @alicloud/fc2：请执行 npm install @alicloud/fc2@2.6.6',
  },
} as const satisfies Record<string, OwnCode>;

export type CallerErrorCode = keyof typeof CALLER_CODES;

/** Every code the status table lists: Dyplsapi's, the query function's own and the caller library's. */
export type KnownErrorCode = UpstreamErrorCode | FunctionErrorCode | CallerErrorCode;

/**
 * What `error.code` can hold: a catalogued code, Function Compute's own error as `FC.<Code>`, or a code Dyplsapi
 * sends that the table does not list yet (passed through unchanged). `string & {}` keeps the known codes in
 * an editor's completion list while still admitting the uncatalogued ones.
 */
export type ErrorCode = KnownErrorCode | `FC.${string}` | (string & {});

/** A failure with one of the caller library's own codes. */
export function callerFailure(code: CallerErrorCode, options: FailureOptions = {}): Failure {
  return buildFailure(code, { ...CALLER_CODES[code], expose: true }, options);
}

/** Hints for Function Compute's own error codes, answered to callers as `FC.<Code>`. */
const FC_HINTS: Readonly<Record<string, string>> = {
  SignatureNotMatch: "check the calling function's credentials and clock (Date within 15 minutes)",
  InvalidAccessKeyID: "check the calling function's credentials",
  InvalidSecurityToken: "the calling function's STS token is missing or expired",
  AccessDenied: "grant the calling function's role fc:InvokeFunction on the target function",
  FunctionNotFound: 'check functionName, qualifier, region and account',
  ServiceNotFound: 'check serviceName (FC 2.0 addressing), region and account',
  ResourceExhausted: 'the target function hit its concurrency cap; retry after a pause',
  ResourceThrottled: 'Function Compute throttled the invocation; retry after a pause',
};

/** An error Function Compute itself answered to an invocation: its category follows FC's HTTP status (429, 5xx, else 4xx). */
export function invokeFailure(fcCode: string, httpStatus: number, upstream: UpstreamFacts): Failure {
  const category: Category = httpStatus === 429 ? 'throttled' : httpStatus >= 500 ? 'unavailable' : 'account';
  const hint = FC_HINTS[fcCode];
  const en = `Function Compute rejected the invocation (${fcCode})${hint ? `: ${hint}` : ''}.`;
  return buildFailure(`FC.${fcCode}`, { ...CATEGORIES[category], en, zh: '函数计算拒绝了调用' }, { upstream });
}
