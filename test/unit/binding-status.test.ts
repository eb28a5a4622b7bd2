import { describe, expect, it } from 'vitest';
import { bindingStatus } from '../../functions/binding-status-check/status';

describe('bindingStatus', () => {
  const data = {
    subsId: '1',
    phoneNoA: null,
    phoneNoB: null,
    phoneNoX: null,
    extension: null,
    groupId: null,
    gmtCreate: null,
    needRecord: null,
    callRestrict: null,
    asrStatus: null,
    asrModelId: null,
  };
  it('is active only when ACTIVE and not past its expiry', () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    expect(bindingStatus({ ok: true, requestId: 'R', data: { ...data, status: 'ACTIVE', expireDate: '2026-06-01T09:00:00+08:00' } }, now)).toMatchObject({
      active: true,
      expiresInSeconds: 3600,
    });
    expect(bindingStatus({ ok: true, requestId: 'R', data: { ...data, status: 'ACTIVE', expireDate: '2026-06-01T07:00:00+08:00' } }, now)).toMatchObject({
      active: false,
      expiresInSeconds: -3600,
    });
    expect(bindingStatus({ ok: true, requestId: 'R', data: { ...data, status: 'INACTIVE', expireDate: null } }, now)).toMatchObject({
      active: false,
      expiresInSeconds: null,
    });
    expect(bindingStatus({ ok: true, requestId: 'R', data: { ...data, status: 'ACTIVE', expireDate: null } }, now)).toMatchObject({ active: true });
  });
});
