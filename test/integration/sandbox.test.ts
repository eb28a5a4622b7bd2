/**
 * The sandbox's own checks, driven with requests signed in the test by the documented algorithm (not by pop-core).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DyplsSandbox, type IssuedCredentials, startDyplsSandbox } from '../../lib/dev/dyplsapi-sandbox';
import { popTimestamp, signedForm } from '../../lib/dev/pop-signature';
import { rememberSecrets } from '../support/harness';

let sandbox: DyplsSandbox;
let sts: IssuedCredentials;
beforeAll(async () => {
  sandbox = await startDyplsSandbox();
  sts = rememberSecrets(sandbox.issueStsCredentials());
});
afterAll(() => sandbox.close());

const BUSINESS = { PoolKey: 'FC100000012345678', SubsId: '1000000768798832', PhoneNoX: '17000000000' };

function form(overrides: { method?: string; credentials?: IssuedCredentials; action?: string; version?: string; timestamp?: string; nonce?: string } = {}) {
  return signedForm(overrides.method ?? 'POST', BUSINESS, overrides.credentials ?? sts, {
    action: overrides.action ?? 'QuerySubscriptionDetail',
    version: overrides.version ?? '2017-05-25',
    timestamp: overrides.timestamp ?? popTimestamp(new Date()),
    nonce: overrides.nonce ?? randomUUID(),
  });
}

async function post(body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sandbox.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('the Dyplsapi sandbox', () => {
  it('answers a correctly signed POST with the binding', async () => {
    const { status, json } = await post(form());
    expect(status).toBe(200);
    expect(json).toMatchObject({ Code: 'OK', Message: 'OK', SecretBindDetailDTO: { SubsId: '1000000768798832', Status: 1 } });
  });

  it('answers a correctly signed GET', async () => {
    const res = await fetch(`${sandbox.url}/?${form({ method: 'GET' })}`);
    expect(await res.json()).toMatchObject({ Code: 'OK' });
  });

  it('rejects a tampered parameter with SignatureDoesNotMatch and its string-to-sign', async () => {
    const { status, json } = await post(form().replace('SubsId=1000000768798832', 'SubsId=1000000768798833'));
    expect(status).toBe(400);
    expect(json).toMatchObject({
      Code: 'SignatureDoesNotMatch',
      HostId: 'dyplsapi.aliyuncs.com',
      Message: expect.stringContaining('server string to sign is:POST&%2F&'),
    });
  });

  it('rejects a replayed nonce', async () => {
    const body = form();
    expect((await post(body)).json.Code).toBe('OK');
    expect((await post(body)).json).toMatchObject({ Code: 'SignatureNonceUsed' });
  });

  it('rejects timestamps outside ±15 minutes, and malformed ones', async () => {
    const old = popTimestamp(new Date(Date.now() - 16 * 60 * 1000));
    expect((await post(form({ timestamp: old }))).json.Code).toBe('InvalidTimeStamp.Expired');
    expect((await post(form({ timestamp: '2017-07-12 02:42:19' }))).json.Code).toBe('InvalidTimeStamp.Format');
  });

  it('requires the token of an STS key, and the right one', async () => {
    const { securityToken: _t, ...withoutToken } = sts;
    expect((await post(form({ credentials: withoutToken }))).json.Code).toBe('MissingSecurityToken');
    expect((await post(form({ credentials: { ...sts, securityToken: `${sts.securityToken}x` } }))).json.Code).toBe(
      'InvalidSecurityToken.MismatchWithAccessKey',
    );
  });

  it('rejects unknown keys with 404 InvalidAccessKeyId.NotFound', async () => {
    const { status, json } = await post(form({ credentials: { accessKeyId: 'STS.unknown', accessKeySecret: 's', securityToken: 't' } }));
    expect([status, json.Code]).toEqual([404, 'InvalidAccessKeyId.NotFound']);
  });

  it('answers other actions with the real InvalidApi.NotFound shape, and checks the version', async () => {
    const other = await post(form({ action: 'BindAxb' }));
    expect(other.status).toBe(404);
    expect(Object.keys(other.json).sort()).toEqual(['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
    expect(other.json.Code).toBe('InvalidApi.NotFound');
    expect((await post(form({ version: '2020-01-01' }))).json.Code).toBe('InvalidVersion');
  });

  it('rejects unsigned requests', async () => {
    expect((await post('Action=QuerySubscriptionDetail&Version=2017-05-25&Format=JSON')).json.Code).toBe('MissingAccessKeyId');
  });
});
