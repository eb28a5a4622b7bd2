/**
 * STS, never static keys: the handler signs with `context.credentials` only, follows new credentials from
 * the invocation they arrive with, and refuses to run without them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, directEvent, fcContext, httpEvent } from '../support/fc';
import { asEnvelope, asHttp, type Harness, rememberSecrets, startHarness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const ENV_KEYS = [
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_SECURITY_TOKEN',
  'ALICLOUD_ACCESS_KEY',
  'ALICLOUD_SECRET_KEY',
];
afterEach(() => {
  // eslint-disable-next-line no-restricted-properties -- the test plants keys in the environment to prove the handler ignores them
  for (const k of ENV_KEYS) delete process.env[k];
});

describe('missing or unusable credentials', () => {
  it.each([
    ['no credentials object', undefined],
    ['an empty object (no role attached)', {}],
    ['empty strings', { accessKeyId: '', accessKeySecret: '', securityToken: '' }],
    ['an STS key without its token', { accessKeyId: 'STS.abc', accessKeySecret: 'secret' }],
    ['an id without a secret', { accessKeyId: 'STS.abc', securityToken: 'CAIS' }],
  ])('answers 500 CredentialsUnavailable for %s, without calling upstream', async (_name, credentials) => {
    const before = h.sandbox.seen.length;
    const res = asHttp(await h.handler(httpEvent({ query: { ...DEMO } }), fcContext(credentials)));
    expect(res.statusCode).toBe(500);
    expect(res.json).toMatchObject({
      ok: false,
      requestId: null,
      error: { code: 'CredentialsUnavailable', retryable: false, message: expect.stringContaining('attach a RAM role') },
    });
    expect(h.sandbox.seen.length).toBe(before);
  });

  it('ignores AccessKeys in the environment, even valid ones', async () => {
    // Prepare: the environment holds keys the sandbox would accept.
    const valid = rememberSecrets(h.sandbox.issueStsCredentials());
    // eslint-disable-next-line no-restricted-properties -- see afterEach
    Object.assign(process.env, {
      ALIBABA_CLOUD_ACCESS_KEY_ID: valid.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: valid.accessKeySecret,
      ALIBABA_CLOUD_SECURITY_TOKEN: valid.securityToken,
    });
    const before = h.sandbox.seen.length;
    // Act: a fresh handler, as a new instance would build it, with no role credentials in the context.
    const res = asEnvelope(await h.handlerWith({})(directEvent(DEMO), fcContext({})));
    // Assess
    expect(res).toMatchObject({ ok: false, error: { code: 'CredentialsUnavailable' } });
    expect(h.sandbox.seen.length).toBe(before);
  });

  it('uses the context credentials, not the environment, when both are present', async () => {
    const other = rememberSecrets(h.sandbox.issueStsCredentials());
    // eslint-disable-next-line no-restricted-properties -- see afterEach
    Object.assign(process.env, {
      ALIBABA_CLOUD_ACCESS_KEY_ID: other.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: other.accessKeySecret,
      ALIBABA_CLOUD_SECURITY_TOKEN: other.securityToken,
    });
    const res = asEnvelope(await h.handlerWith({})(directEvent(DEMO), fcContext(h.credentials)));
    expect(res.ok).toBe(true);
    expect(h.sandbox.seen.at(-1)?.params.AccessKeyId).toBe(h.credentials.accessKeyId);
  });
});

describe('credentials that change', () => {
  it('signs with new credentials from the invocation they arrive with, on one warm handler', async () => {
    // Prepare
    const first = rememberSecrets(h.sandbox.issueStsCredentials());
    const second = rememberSecrets(h.sandbox.issueStsCredentials());
    // Act
    const a = asEnvelope(await h.handler(directEvent(DEMO), fcContext(first)));
    h.sandbox.revoke(first.accessKeyId);
    const b = asEnvelope(await h.handler(directEvent(DEMO), fcContext(second)));
    const stale = asEnvelope(await h.handler(directEvent(DEMO), fcContext(first)));
    // Assess
    expect([a.ok, b.ok]).toEqual([true, true]);
    expect(stale).toMatchObject({ ok: false, error: { code: 'InvalidAccessKeyId.NotFound', retryable: false } });
    const used = h.sandbox.seen.slice(-3).map((s) => s.params.AccessKeyId);
    expect(used).toEqual([first.accessKeyId, second.accessKeyId, first.accessKeyId]);
  });

  it('keeps concurrent invocations with different credentials apart', async () => {
    const creds = Array.from({ length: 8 }, () => rememberSecrets(h.sandbox.issueStsCredentials()));
    const results = await Promise.all(creds.map((c) => h.handler(directEvent(DEMO), fcContext(c))));
    expect(results.map((r) => asEnvelope(r).ok)).toEqual(creds.map(() => true));
  });

  it('answers 502 for an expired STS token', async () => {
    const expired = rememberSecrets(h.sandbox.issueStsCredentials(-1000));
    const res = asEnvelope(await h.handler(directEvent(DEMO), fcContext(expired)));
    expect(res).toMatchObject({ ok: false, error: { code: 'InvalidSecurityToken.Expired' } });
  });

  it('accepts a long-term key without a token, as `s local invoke` passes one', async () => {
    h.sandbox.addAccessKey('dev-local-key-id', 'local-secret');
    const res = asEnvelope(await h.handler(directEvent(DEMO), fcContext({ accessKeyId: 'dev-local-key-id', accessKeySecret: 'local-secret' })));
    expect(res.ok).toBe(true);
    expect(h.sandbox.seen.at(-1)?.params).not.toHaveProperty('SecurityToken');
  });
});
