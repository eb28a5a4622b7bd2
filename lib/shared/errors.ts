/**
 * The status table and the one error model. Every code the query function answers (its own, and Dyplsapi's,
 * passed through unchanged) has one row here (the caller library's own codes are in lib/caller/errors.ts): its HTTP status, whether a
 * caller may retry, whether Dyplsapi's own message may be shown, and its English and Chinese descriptions.
 * The README's table, the OpenAPI document and the sandbox's fault rows are checked against it.
 *
 * Whether the *function itself* retries a code is a separate question, answered in lib/query/retry.ts.
 */

/** How a category of codes answers. `retryable` is what the caller is told; `expose` whether Dyplsapi's Message may be shown. */
interface CategorySpec {
  status: number;
  retryable: boolean;
  expose: boolean;
}

export const CATEGORIES = {
  /** The caller's request is wrong (locally or as judged by Dyplsapi). */
  invalid: { status: 400, retryable: false, expose: true },
  notFound: { status: 404, retryable: false, expose: true },
  forbidden: { status: 403, retryable: false, expose: true },
  throttled: { status: 429, retryable: true, expose: true },
  unavailable: { status: 503, retryable: true, expose: true },
  /** The function's own account, role or request building is wrong: nothing the caller can fix. */
  account: { status: 502, retryable: false, expose: true },
  /** Credential and signature errors: their upstream Message can hold the string-to-sign with the token, so it is never shown. */
  credential: { status: 502, retryable: false, expose: false },
  /** Bind-time codes that a query should never see. */
  conflict: { status: 409, retryable: false, expose: true },
} as const satisfies Record<string, CategorySpec>;

export type Category = keyof typeof CATEGORIES;

export interface CatalogEntry<C extends string = string> {
  code: C;
  category: Category;
  en: string;
  zh: string;
}

type Row = readonly [code: string, en: string, zh: string];

// `const`: each row keeps its code's literal type, so the union of codes below is read off the table itself.
function rows<const L extends readonly Row[]>(category: Category, list: L): CatalogEntry<L[number][0]>[] {
  return list.map(([code, en, zh]) => ({ code, category, en, zh }));
}

/** Codes Dyplsapi and its POP gateway send. Passed through unchanged in `error.code`. */
const UPSTREAM = [
  ...rows('invalid', [
    ['isv.ILLEGAL_ARGUMENT', 'Dyplsapi rejected an argument as illegal.', '参数非法'],
    ['isv.INVALID_PARAMETERS', 'Dyplsapi rejected the parameter format.', '参数格式不正确'],
    ['isv.MOBILE_NUMBER_ILLEGAL', 'The phone number format is illegal: digits only.', '号码格式非法'],
    ['InvalidParameter', 'A parameter value is not valid.', '参数值不合法'],
  ]),
  ...rows('notFound', [
    ['isv.SUBS_NOT_EXIST', 'The binding does not exist: check that it has not expired and that pool, X number and SubsId match.', '绑定关系不存在'],
    ['isv.NO_NOT_EXIST', 'The private number does not exist in this account.', '号码不存在'],
    ['isv.POOLKEY_NOT_EXISTS', 'The number pool does not exist.', '号池不存在'],
    ['POOLKEY_NOT_EXIST', 'The number pool does not exist.', '号池不存在'],
  ]),
  ...rows('forbidden', [
    ['isv.SUBS_NOT_BELONG', 'The binding belongs to another account.', '绑定关系不归属当前客户'],
    ['isv.FORBIDDEN_ACTION', 'Dyplsapi forbids this action.', '无权操作'],
    ['isv.NO_USED_BY_OTHERS', 'The number is used by another business party.', '号码被其他业务方占用'],
  ]),
  ...rows('throttled', [
    ['isv.FLOW_LIMIT', 'Dyplsapi rate-limited the account; retry after a pause.', '业务流控'],
    ['Throttling', 'Request was denied by flow control; retry after a pause.', '流量控制'],
    ['Throttling.User', 'Request was denied by per-user flow control; retry after a pause.', '用户流量控制'],
    ['Throttling.Api', 'Request was denied by per-API flow control; retry after a pause.', '接口流量控制'],
  ]),
  ...rows('unavailable', [
    ['isp.SYSTEM_ERROR', 'Dyplsapi had a system error; retry.', '系统错误'],
    ['isp.DAO_EXCEPTION', 'Dyplsapi had a database error; retry.', '数据库异常'],
    ['isp.UNKNOWN_ERR_CODE', 'The carrier returned an unknown error; retry later.', '运营商未知错误'],
    ['isp.VENDOR_UNAVAILABLE', 'The carrier is degraded; retry later.', '运营商降级'],
    ['isp.GATEWAY_ERROR', 'Dyplsapi failed to call an internal module; retry later.', '调用发送应用模块失败'],
    ['ServiceUnavailable', 'Dyplsapi is temporarily unavailable; retry.', '服务暂不可用'],
    ['InternalError', 'Dyplsapi failed with an internal error; retry.', '内部错误'],
  ]),
  ...rows('account', [
    ['isp.RAM_PERMISSION_DENY', "The function's RAM role lacks dypls:{action}.", 'RAM权限DENY'],
    ['Forbidden.RAM', "The function's RAM role is not authorized for this API.", 'RAM 未授权'],
    ['isv.OUT_OF_SERVICE', 'The Dyplsapi account is suspended (overdue payment).', '业务停机'],
    ['isv.PRODUCT_UN_SUBSCRIPT', 'The account has not activated the communication product.', '未开通云通信产品的阿里云客户'],
    ['isv.PRODUCT_UNSUBSCRIBE', 'The account has not activated Phone Number Protection.', '产品未开通'],
    ['isv.ACCOUNT_NOT_EXISTS', 'The Dyplsapi account does not exist.', '账户不存在'],
    ['isv.ACCOUNT_ABNORMAL', 'The Dyplsapi account is abnormal (check payment).', '账户异常'],
    ['isv.PARTNER_NOT_EXIST', 'Dyplsapi does not know the partner.', '未知合作伙伴'],
    ['isv.PARTNER_IS_CLOSED', 'The partner is closed.', 'partner被关停'],
    ['InvalidApi.NotFound', 'Dyplsapi does not know the API this function called.', '接口不存在'],
    ['InvalidVersion', 'Dyplsapi does not know the API version this function sent.', 'API 版本无效'],
    ['InvalidProduct.NotFound', 'The configured endpoint does not serve Dyplsapi.', '找不到产品（域名错误）'],
    ['MissingParameter', 'This function sent a request without a mandatory parameter.', '缺少必选参数'],
  ]),
  ...rows('credential', [
    ['InvalidAccessKeyId.NotFound', "Dyplsapi does not know the role's AccessKeyId.", 'AccessKey ID 不存在'],
    ['InvalidAccessKeyId.Inactive', "The role's AccessKey is disabled.", 'AccessKey 已禁用'],
    ['Forbidden.AccessKeyDisabled', "The role's AccessKey is disabled.", 'AccessKey 被禁用'],
    ['SignatureDoesNotMatch', 'Dyplsapi did not accept the request signature.', '签名不匹配'],
    ['IncompleteSignature', 'Dyplsapi found the request signature incomplete.', '签名不完整'],
    ['InvalidSignatureMethod', 'Dyplsapi did not accept the signature method.', '签名方法无效'],
    ['MissingSecurityToken', 'The STS security token was missing.', '缺少 STS 安全令牌'],
    ['InvalidSecurityToken.Expired', "The role's STS token has expired.", 'STS 令牌已过期'],
    ['InvalidSecurityToken.Malformed', "The role's STS token is malformed.", 'STS 令牌格式错误'],
    ['InvalidSecurityToken.MismatchWithAccessKey', "The role's STS token does not match its AccessKeyId.", 'STS 令牌与 AccessKey 不匹配'],
    ['InvalidTimeStamp.Format', 'Dyplsapi did not accept the request timestamp format.', '时间戳格式错误'],
    ['InvalidTimeStamp.Expired', "The request timestamp is more than 15 minutes off Dyplsapi's clock.", '时间戳过期'],
    ['SignatureNonceUsed', 'Dyplsapi saw the signature nonce before.', '随机数已被使用'],
  ]),
  ...rows('conflict', [
    ['isv.BIND_CONFLICT', 'Binding conflict.', '绑定冲突'],
    ['isv.NO_AVAILABLE_NUMBER', 'No number is available.', '无可用号码'],
    ['isv.VENDOR_BIND_FAILED', 'The carrier failed to bind.', '运营商绑定失败'],
    ['isv.EXPIRE_DATE_ILLEGAL', 'The expiry date is illegal.', '过期时间非法'],
    ['isv.UPDATE_CONFLICT', 'Binding update conflict.', '更新绑定关系冲突'],
    ['isv.BUY_NUM_OVER_LIMIT', 'The number purchase quantity is over the limit.', '号码购买量超过限制'],
  ]),
];

/** Every upstream code the table catalogues. */
export type UpstreamErrorCode = (typeof UPSTREAM)[number]['code'];

export interface OwnCode {
  status: number;
  retryable: boolean;
  en: string;
  zh: string;
}

/** Codes the query function answers by itself. None of them collides with an upstream code (a test checks). */
export const FUNCTION_CODES = {
  InvalidRequest: { status: 400, retryable: false, en: 'The request is invalid; see error.issues.', zh: '请求参数不合法' },
  MethodNotAllowed: { status: 405, retryable: false, en: 'Use GET or POST.', zh: '请求方法不允许，请使用 GET 或 POST' },
  UnsupportedMediaType: { status: 415, retryable: false, en: 'Send the body as application/json.', zh: '不支持的请求体类型，请使用 application/json' },
  PayloadTooLarge: { status: 413, retryable: false, en: 'The request body is larger than 16 KiB.', zh: '请求体超过 16 KiB' },
  PoolKeyNotAllowed: { status: 403, retryable: false, en: 'This function is not allowed to query that pool.', zh: '不允许查询该号码池' },
  CredentialsUnavailable: {
    status: 500,
    retryable: false,
    en: 'The function has no usable STS credentials: attach a RAM role (trusted by fc.aliyuncs.com, allowed dypls:QuerySubscriptionDetail and, for finds, dypls:QuerySubsId) to the function.',
    zh: '函数没有可用的 STS 凭证：请为函数配置 RAM 角色',
  },
  ConfigurationInvalid: { status: 500, retryable: false, en: "The function's configuration is invalid.", zh: '函数配置不合法' },
  UnexpectedError: { status: 500, retryable: false, en: 'The function failed unexpectedly.', zh: '函数内部错误' },
  UpstreamTimeout: { status: 504, retryable: true, en: 'Dyplsapi did not answer in time; retry.', zh: '上游接口超时，请重试' },
  UpstreamUnavailable: { status: 502, retryable: true, en: 'Dyplsapi could not be reached; retry.', zh: '无法连接上游接口，请重试' },
  UpstreamBadResponse: { status: 502, retryable: false, en: 'Dyplsapi answered with a malformed response.', zh: '上游接口返回了无法识别的响应' },
  NotAttempted: {
    status: 503,
    retryable: true,
    en: 'The batch ran out of time before this item was looked up; retry it.',
    zh: '批量查询在查询该项之前超时，请重试该项',
  },
} as const satisfies Record<string, OwnCode>;

/** Every code the query function answers by itself. */
export type FunctionErrorCode = keyof typeof FUNCTION_CODES;

const byCode = new Map<string, CatalogEntry>(UPSTREAM.map((e) => [e.code, e]));

/** Every catalogued upstream code, for the README, the OpenAPI document and tests. */
export const UPSTREAM_CATALOG: readonly CatalogEntry[] = UPSTREAM;

/** Generic descriptions for codes known only by their family. */
const FAMILIES: readonly { test: (code: string) => boolean; entry: Omit<CatalogEntry, 'code'> }[] = [
  { test: (c) => c.startsWith('InvalidParameter.'), entry: { category: 'invalid', en: 'A parameter value is not valid.', zh: '参数值不合法' } },
  { test: (c) => c.startsWith('Throttling'), entry: { category: 'throttled', en: 'Request was denied by flow control; retry after a pause.', zh: '流量控制' } },
  {
    test: (c) => /^(InvalidAccessKeyId|InvalidSecurityToken|InvalidTimeStamp)\./.test(c) || /Signature|SecurityToken|AccessKey/.test(c),
    entry: { category: 'credential', en: "Dyplsapi rejected the function role's credentials or signature.", zh: '凭证或签名被拒绝' },
  },
  {
    test: (c) => c.startsWith('Missing'),
    entry: { category: 'account', en: 'This function sent a request without a mandatory parameter.', zh: '缺少必选参数' },
  },
];

const UNKNOWN: Omit<CatalogEntry, 'code'> = {
  category: 'account',
  en: 'Dyplsapi answered with an error code this function does not know.',
  zh: '上游返回了未知错误码',
};

export type UpstreamCodeSpec = CatalogEntry & CategorySpec;

/**
 * How an upstream code answers to `action`: catalogued code, else its family, else "unknown" (502: the API
 * drifted or we sent something wrong). `{action}` in a description becomes the action.
 */
export function describeUpstreamCode(code: string, action = 'QuerySubscriptionDetail'): UpstreamCodeSpec {
  const entry = byCode.get(code) ?? { code, ...(FAMILIES.find((f) => f.test(code))?.entry ?? UNKNOWN) };
  return { ...entry, en: entry.en.replace('{action}', action), ...CATEGORIES[entry.category] };
}

/** One field problem, with the field's path (`subsId`, `body`) and what to fix. Never carries the value. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Where an upstream failure came from (Dyplsapi, or Function Compute for the caller), kept for the envelope and the log. */
export interface UpstreamFacts {
  requestId: string | null;
  /** The upstream's Message, already made safe to show; shown only when the failure's `expose` allows it. */
  message: string | undefined;
  httpStatus: number | undefined;
}

/**
 * Every expected failure, local or upstream, as one plain value: what the envelope and the HTTP result are made
 * of. Returned, never thrown, so the handler never fails at platform level.
 */
export interface Failure {
  readonly code: string;
  readonly status: number;
  readonly retryable: boolean;
  /** Whether `upstream.message` may be shown to the caller. */
  readonly expose: boolean;
  /** English, with the detail when there is one. */
  readonly message: string;
  readonly messageZh: string;
  readonly issues?: readonly FieldIssue[];
  /** Response headers this failure asks for (`Allow` on 405, `Retry-After` on 429). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly upstream?: UpstreamFacts;
}

/** Seconds a caller should wait after a 429. Dyplsapi's limit is per second and it sends no hint of its own. */
const RETRY_AFTER_SECONDS = '1';

export interface FailureOptions {
  /** Appended to both messages; never a value taken from input. */
  detail?: string;
  issues?: readonly FieldIssue[];
  upstream?: UpstreamFacts;
  /** For 405: the methods that are allowed. */
  allow?: string;
}

export interface FailureSpec extends CategorySpec {
  en: string;
  zh: string;
}

/** The one builder of a Failure from a table row: the function's codes, upstream codes, and the caller library's. */
export function buildFailure(code: string, spec: FailureSpec, options: FailureOptions = {}): Failure {
  const headers: Record<string, string> = {};
  if (spec.status === 429) headers['Retry-After'] = RETRY_AFTER_SECONDS;
  if (options.allow !== undefined) headers.Allow = options.allow;
  return {
    code,
    status: spec.status,
    retryable: spec.retryable,
    expose: spec.expose,
    message: options.detail ? `${spec.en} ${options.detail}` : spec.en,
    messageZh: options.detail ? `${spec.zh} ${options.detail}` : spec.zh,
    ...(options.issues ? { issues: options.issues } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(options.upstream ? { upstream: options.upstream } : {}),
  };
}

/** A failure with one of this project's own codes. */
export function failure(code: FunctionErrorCode, options: FailureOptions = {}): Failure {
  return buildFailure(code, { ...FUNCTION_CODES[code], expose: true }, options);
}

/** Permission denials: the answer names the Dyplsapi action the role needs. */
const PERMISSION_CODES: ReadonlySet<string> = new Set(['isp.RAM_PERMISSION_DENY', 'Forbidden.RAM']);

/**
 * A failure for a code Dyplsapi answered to `action`, described by the table; `{action}` in a description is the
 * action, and a permission denial names the action to grant.
 */
export function upstreamFailure(code: string, upstream: UpstreamFacts, action = 'QuerySubscriptionDetail'): Failure {
  const spec = describeUpstreamCode(code, action);
  // A lookup's answers read as they always have; another action's denial says which permission is missing.
  const detail =
    PERMISSION_CODES.has(code) && action !== 'QuerySubscriptionDetail' && !spec.en.includes(`dypls:${action}`)
      ? `Grant dypls:${action} to the function's role.`
      : undefined;
  return buildFailure(code, spec, { upstream, ...(detail ? { detail } : {}) });
}

/** The HTTP status an error code answers with, from the table (for envelopes that arrive without theirs). */
export function statusOfCode(code: string): number {
  return (FUNCTION_CODES as Readonly<Record<string, OwnCode>>)[code]?.status ?? describeUpstreamCode(code).status;
}

/** 500 ConfigurationInvalid naming each bad variable and its rule (never its value), in the message and in `issues`. */
export function configurationFailure(problems: readonly { variable: string; rule: string }[]): Failure {
  return failure('ConfigurationInvalid', {
    detail: problems.map((p) => `${p.variable} ${p.rule}.`).join(' '),
    issues: problems.map((p) => ({ path: p.variable, message: p.rule })),
  });
}
