import { describe, expect, it } from 'vitest';
import { CALLER_CODES } from '../../lib/caller/errors';
import { describeUpstreamCode, failure, FUNCTION_CODES, UPSTREAM_CATALOG, upstreamFailure } from '../../lib/shared/errors';

const OWN_CODES: Record<string, { status: number; retryable: boolean; en: string; zh: string }> = { ...FUNCTION_CODES, ...CALLER_CODES };

/** The 22 codes of the seed page, with the status and retryability the issue assigns to each. */
const SEED_CODES: [string, number, boolean][] = [
  ['isp.RAM_PERMISSION_DENY', 502, false],
  ['isv.OUT_OF_SERVICE', 502, false],
  ['isv.PRODUCT_UN_SUBSCRIPT', 502, false],
  ['isv.PRODUCT_UNSUBSCRIBE', 502, false],
  ['isv.ACCOUNT_NOT_EXISTS', 502, false],
  ['isv.ACCOUNT_ABNORMAL', 502, false],
  ['isp.SYSTEM_ERROR', 503, true],
  ['isp.UNKNOWN_ERR_CODE', 503, true],
  ['isv.PARTNER_NOT_EXIST', 502, false],
  ['isv.NO_NOT_EXIST', 404, false],
  ['isv.ILLEGAL_ARGUMENT', 400, false],
  ['isp.DAO_EXCEPTION', 503, true],
  ['isv.NO_AVAILABLE_NUMBER', 409, false],
  ['isp.VENDOR_UNAVAILABLE', 503, true],
  ['isv.FLOW_LIMIT', 429, true],
  ['isv.PARTNER_IS_CLOSED', 502, false],
  ['isv.FORBIDDEN_ACTION', 403, false],
  ['isv.NO_USED_BY_OTHERS', 403, false],
  ['isv.VENDOR_BIND_FAILED', 409, false],
  ['isv.EXPIRE_DATE_ILLEGAL', 409, false],
  ['isv.MOBILE_NUMBER_ILLEGAL', 400, false],
  ['isv.BIND_CONFLICT', 409, false],
];

/** The other codes the issue names, with their class. */
const OTHER_CODES: [string, number, boolean][] = [
  ['isv.INVALID_PARAMETERS', 400, false],
  ['InvalidParameter', 400, false],
  ['InvalidParameter.PoolKey', 400, false],
  ['isv.SUBS_NOT_EXIST', 404, false],
  ['isv.POOLKEY_NOT_EXISTS', 404, false],
  ['POOLKEY_NOT_EXIST', 404, false],
  ['isv.SUBS_NOT_BELONG', 403, false],
  ['Throttling', 429, true],
  ['Throttling.User', 429, true],
  ['Throttling.Api', 429, true],
  ['Throttling.Whatever', 429, true],
  ['isp.GATEWAY_ERROR', 503, true],
  ['ServiceUnavailable', 503, true],
  ['InternalError', 503, true],
  ['Forbidden.RAM', 502, false],
  ['InvalidAccessKeyId.NotFound', 502, false],
  ['InvalidAccessKeyId.Inactive', 502, false],
  ['SignatureDoesNotMatch', 502, false],
  ['InvalidSecurityToken.Expired', 502, false],
  ['InvalidSecurityToken.Malformed', 502, false],
  ['InvalidSecurityToken.Future', 502, false],
  ['MissingSecurityToken', 502, false],
  ['InvalidTimeStamp.Expired', 502, false],
  ['InvalidTimeStamp.Format', 502, false],
  ['SignatureNonceUsed', 502, false],
  ['MissingParameter', 502, false],
  ['MissingPhoneNoX', 502, false],
  ['isv.UPDATE_CONFLICT', 409, false],
  ['isv.BUY_NUM_OVER_LIMIT', 409, false],
  ['isv.SOMETHING_NEW', 502, false],
  ['', 502, false],
];

describe('the status table', () => {
  it('catalogues every seed code', () => {
    const catalogued = new Set(UPSTREAM_CATALOG.map((e) => e.code));
    for (const [code] of SEED_CODES) expect(catalogued.has(code), code).toBe(true);
  });

  it.each([...SEED_CODES, ...OTHER_CODES])('answers %s with HTTP %i (retryable: %s)', (code, status, retryable) => {
    const d = describeUpstreamCode(code);
    expect([d.status, d.retryable]).toEqual([status, retryable]);
  });

  it('gives every catalogued code an English and a Chinese description', () => {
    for (const e of UPSTREAM_CATALOG) {
      expect(e.en.length, e.code).toBeGreaterThan(5);
      expect(e.zh, e.code).toMatch(/[\u4e00-\u9fff]/);
    }
    for (const [code, e] of Object.entries(OWN_CODES)) {
      expect(e.en.length, code).toBeGreaterThan(5);
      expect(e.zh, code).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('never lets a local code collide with an upstream one', () => {
    const upstream = new Set(UPSTREAM_CATALOG.map((e) => e.code));
    for (const code of Object.keys(OWN_CODES)) expect(upstream.has(code), code).toBe(false);
    expect(new Set(UPSTREAM_CATALOG.map((e) => e.code)).size).toBe(UPSTREAM_CATALOG.length);
  });

  it('marks as retryable only the 429 and 503 classes and the timeout/unavailable codes', () => {
    const retryableLocal = Object.entries(OWN_CODES)
      .filter(([, e]) => e.retryable)
      .map(([c]) => c);
    expect(retryableLocal.sort()).toEqual(['InvokeTimeout', 'InvokeUnavailable', 'NotAttempted', 'UpstreamTimeout', 'UpstreamUnavailable']);
    for (const e of UPSTREAM_CATALOG) expect(describeUpstreamCode(e.code).retryable, e.code).toBe([429, 503].includes(describeUpstreamCode(e.code).status));
  });

  it('hides the upstream message of credential errors and shows it otherwise', () => {
    const upstream = { requestId: 'R', message: 'server string to sign is:GET&%2F&SecurityToken%3Dabc', httpStatus: 400 };
    expect(upstreamFailure('SignatureDoesNotMatch', upstream).expose).toBe(false);
    expect(upstreamFailure('InvalidSecurityToken.Expired', upstream).expose).toBe(false);
    expect(upstreamFailure('isv.SUBS_NOT_EXIST', { ...upstream, message: '绑定关系不存在' }).expose).toBe(true);
  });

  it('asks for a Retry-After of whole seconds on 429, and an Allow header on 405', () => {
    expect(upstreamFailure('isv.FLOW_LIMIT', { requestId: null, message: undefined, httpStatus: 200 }).headers).toEqual({ 'Retry-After': '1' });
    expect(upstreamFailure('isp.SYSTEM_ERROR', { requestId: null, message: undefined, httpStatus: 200 }).headers).toBeUndefined();
    expect(failure('MethodNotAllowed', { allow: 'GET' }).headers).toEqual({ Allow: 'GET' });
  });

  it('appends the detail to both messages', () => {
    const f = failure('ConfigurationInvalid', { detail: 'LOG_LEVEL must be one of debug, info, warn, error.' });
    expect(f.message).toBe("The function's configuration is invalid. LOG_LEVEL must be one of debug, info, warn, error.");
    expect(f.messageZh).toBe('函数配置不合法 LOG_LEVEL must be one of debug, info, warn, error.');
  });
});

describe("the README's status table", () => {
  it('lists every code with the status and retryability of the status tables (lib/shared/errors.ts, lib/caller/errors.ts)', async () => {
    const { readFileSync } = await import('node:fs');
    const rows = new Map(
      readFileSync('README.md', 'utf8')
        .split('\n')
        .map((l) => /^\| (\d{3}) \| `([^`]+)` \| (yes|no) \|/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[2], { status: Number(m[1]), retryable: m[3] === 'yes' }]),
    );
    for (const [code, e] of Object.entries(OWN_CODES)) expect(rows.get(code), code).toEqual({ status: e.status, retryable: e.retryable });
    for (const e of UPSTREAM_CATALOG) {
      const d = describeUpstreamCode(e.code);
      expect(rows.get(e.code), e.code).toEqual({ status: d.status, retryable: d.retryable });
    }
    expect(rows.size).toBe(Object.keys(OWN_CODES).length + UPSTREAM_CATALOG.length);
  });
});
