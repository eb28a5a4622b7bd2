import { describe, expect, it } from 'vitest';
import { parseCallerConfig } from '../../functions/binding-status-check/config';
import { parseFunctionConfig } from '../../lib/query/config';

describe('parseFunctionConfig', () => {
  it('applies the defaults to an empty environment and to blank values', () => {
    for (const env of [{}, { DYPLS_ENDPOINT: '', DYPLS_TIMEOUT_MS: ' ', LOG_LEVEL: '', ALLOWED_POOL_KEYS: '' }]) {
      expect(parseFunctionConfig(env)).toEqual({
        ok: true,
        config: {
          endpoint: 'https://dyplsapi.aliyuncs.com',
          timeoutMs: 3000,
          maxAttempts: 3,
          findMaxBindings: 20,
          findConcurrency: 4,
          findMaxRps: 50,
          batchConcurrency: 8,
          batchMaxRps: 50,
          logLevel: 'info',
          phoneNumberOutput: 'full',
          allowedPoolKeys: undefined,
        },
      });
    }
  });

  it('reads every variable', () => {
    const result = parseFunctionConfig({
      DYPLS_ENDPOINT: 'http://127.0.0.1:8080/',
      DYPLS_TIMEOUT_MS: '1500',
      DYPLS_MAX_ATTEMPTS: '1',
      FIND_MAX_RPS: '20',
      LOG_LEVEL: 'DEBUG',
      PHONE_NUMBER_OUTPUT: 'masked',
      ALLOWED_POOL_KEYS: ' FC100000012345678 , AXB_170,',
    });
    expect(result).toEqual({
      ok: true,
      config: {
        endpoint: 'http://127.0.0.1:8080',
        timeoutMs: 1500,
        maxAttempts: 1,
        findMaxBindings: 20,
        findConcurrency: 4,
        findMaxRps: 20,
        batchConcurrency: 8,
        batchMaxRps: 50,
        logLevel: 'debug',
        phoneNumberOutput: 'masked',
        allowedPoolKeys: new Set(['FC100000012345678', 'AXB_170']),
      },
    });
  });

  it('names each bad variable and its rule, never its value', () => {
    const result = parseFunctionConfig({
      DYPLS_ENDPOINT: 'ftp://secret-host/path',
      DYPLS_TIMEOUT_MS: '99',
      DYPLS_MAX_ATTEMPTS: 'three',
      LOG_LEVEL: 'loud',
      ALLOWED_POOL_KEYS: 'FC1,secret-value',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.variable)).toEqual(['DYPLS_ENDPOINT', 'DYPLS_TIMEOUT_MS', 'DYPLS_MAX_ATTEMPTS', 'LOG_LEVEL', 'ALLOWED_POOL_KEYS']);
    expect(result.problems[1]).toEqual({ variable: 'DYPLS_TIMEOUT_MS', rule: 'must be a whole number from 100 to 60000' });
    expect(JSON.stringify(result)).not.toMatch(/secret|three|loud|ftp/);
  });

  it('takes DYPLS_ENDPOINT only as a canonical http(s) origin', () => {
    for (const good of ['http://127.0.0.1:8080', 'https://dyplsapi.aliyuncs.com/', 'http://[::1]:9000', 'http://localhost:1']) {
      expect(parseFunctionConfig({ DYPLS_ENDPOINT: good }).ok, good).toBe(true);
    }
    for (const bad of [
      'http://127.0.0.1:99999',
      'http://127.0.0.1:0',
      'http://user:pass@dyplsapi.aliyuncs.com',
      'http://127.0.0.1:1@127.0.0.1:9000',
      'http://dyplsapi.aliyuncs.com\u0000',
      'http://dyplsapi.aliyuncs.com\\',
      'https://dyplsapi.aliyuncs.com/path',
      'https://dyplsapi.aliyuncs.com?x=1',
      'https://dyplsapi.aliyuncs.com#f',
      'ftp://dyplsapi.aliyuncs.com',
      'https://-bad-.example',
    ]) {
      expect(parseFunctionConfig({ DYPLS_ENDPOINT: bad }), JSON.stringify(bad)).toMatchObject({ ok: false, problems: [{ variable: 'DYPLS_ENDPOINT' }] });
    }
  });

  it('takes PHONE_NUMBER_OUTPUT full or masked only', () => {
    expect(parseFunctionConfig({ PHONE_NUMBER_OUTPUT: 'masked' })).toMatchObject({ ok: true, config: { phoneNumberOutput: 'masked' } });
    expect(parseFunctionConfig({ PHONE_NUMBER_OUTPUT: 'partly' })).toMatchObject({
      ok: false,
      problems: [{ variable: 'PHONE_NUMBER_OUTPUT', rule: 'must be full or masked' }],
    });
  });

  it('keeps a valid LOG_LEVEL when another variable is bad', () => {
    expect(parseFunctionConfig({ LOG_LEVEL: 'warn', DYPLS_TIMEOUT_MS: 'x' })).toMatchObject({ ok: false, logLevel: 'warn' });
  });

  it('ignores AccessKey variables entirely', () => {
    expect(parseFunctionConfig({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIxxxx', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 's' })).toMatchObject({ ok: true });
  });
});

describe('parseCallerConfig', () => {
  it('defaults to the query function over the internal endpoint with a 10 s timeout', () => {
    expect(parseCallerConfig({})).toMatchObject({
      ok: true,
      config: { TARGET_FUNCTION_NAME: 'query-subscription-detail', INVOKE_INTERNAL: true, INVOKE_TIMEOUT_MS: 10_000 },
    });
    expect(parseCallerConfig({ INVOKE_INTERNAL: 'false', TARGET_QUALIFIER: 'prod' })).toMatchObject({
      ok: true,
      config: { INVOKE_INTERNAL: false, TARGET_QUALIFIER: 'prod' },
    });
  });

  it('names bad variables', () => {
    const result = parseCallerConfig({ INVOKE_INTERNAL: 'yes', INVOKE_ENDPOINT: 'ftp://x', TARGET_FUNCTION_NAME: 'a b' });
    expect(result.ok ? [] : result.problems.map((p) => p.variable).sort()).toEqual(['INVOKE_ENDPOINT', 'INVOKE_INTERNAL', 'TARGET_FUNCTION_NAME']);
  });
});
