/**
 * Privacy in logs at the most verbose level: every scenario of the sandbox, and the answers too, keep phone
 * numbers masked and credentials out. (test/support/privacy-setup.ts checks every other file's lines the same way.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import seed from '../../lib/dev/sandbox-bindings.json';
import { DEMO, directEvent, fcContext, httpEvent } from '../support/fc';
import { type Harness, startHarness } from '../support/harness';
import { SEED_PHONES } from '../support/privacy-setup';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ LOG_LEVEL: 'debug', DYPLS_TIMEOUT_MS: '200', DYPLS_MAX_ATTEMPTS: '2' });
});
afterAll(() => h.close());

describe('privacy in logs', () => {
  it('masks numbers and hides credentials in every line, for every scenario, at debug level', async () => {
    // Act: every binding, every fault, and bad requests quoting numbers.
    for (const b of seed.bindings) {
      const binding = b as { PoolKey?: string; ProductType?: string; SubsId: string; PhoneNoX: string };
      const pool: Record<string, string> = binding.PoolKey ? { poolKey: binding.PoolKey } : { productType: binding.ProductType ?? '' };
      await h.handler(httpEvent({ query: { ...pool, subsId: binding.SubsId, phoneNoX: binding.PhoneNoX } }), fcContext(h.credentials));
    }
    for (const f of seed.faults) await h.handler(directEvent({ ...DEMO, subsId: f.subsId }), fcContext(h.credentials));
    await h.handler(directEvent({ ...DEMO, phoneNoX: '17000000000x', subsId: '15000000001' }), fcContext(h.credentials));
    await h.handler(
      httpEvent({ method: 'POST', headers: { authorization: `FC ${h.credentials.accessKeyId}:sig` }, body: JSON.stringify(DEMO) }),
      fcContext(h.credentials),
    );
    await h.handler(directEvent(DEMO), fcContext({ ...h.credentials, accessKeySecret: 'wrong' }));
    // Assess
    const lines = h.logs.lines.join('');
    expect(h.logs.lines.length).toBeGreaterThan(seed.bindings.length + seed.faults.length);
    expect(h.logs.records().some((r) => r.level === 'debug')).toBe(true);
    for (const phone of SEED_PHONES) expect(lines).not.toContain(phone);
    for (const secret of [h.credentials.accessKeyId, h.credentials.accessKeySecret, h.credentials.securityToken ?? 'none']) expect(lines).not.toContain(secret);
    expect(lines).not.toMatch(/Signature=|SecurityToken=|string to sign|Authorization/i);
    expect(lines).toContain('170****0000');
  });
});
