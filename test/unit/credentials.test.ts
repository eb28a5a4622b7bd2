import { describe, expect, it } from 'vitest';
import { type Credentials, perCredentials } from '../../lib/shared/credentials';

const sts = (n: number): Credentials => ({ accessKeyId: `STS.fakeTestKey${n}`, accessKeySecret: `fake-secret-${n}`, securityToken: `CAISfakeToken${n}` });

describe('perCredentials: one client per credential set', () => {
  it('builds once per set and reuses it for an equal set passed as a new object', () => {
    // Prepare
    const built: Credentials[] = [];
    const clientFor = perCredentials((c) => {
      built.push(c);
      return { id: built.length };
    });
    // Act
    const first = clientFor(sts(1));
    const again = clientFor({ ...sts(1) });
    const rotated = clientFor(sts(2));
    // Assess
    expect(again).toBe(first);
    expect(rotated).not.toBe(first);
    expect(built).toEqual([sts(1), sts(2)]);
  });

  it('tells sets apart by every field, the token included', () => {
    const clientFor = perCredentials(() => ({}));
    const base = clientFor(sts(1));
    expect(clientFor({ ...sts(1), securityToken: 'CAISfakeOther' })).not.toBe(base);
    expect(clientFor({ ...sts(1), accessKeySecret: 'fake-other' })).not.toBe(base);
    expect(clientFor({ accessKeyId: sts(1).accessKeyId, accessKeySecret: sts(1).accessKeySecret })).not.toBe(base);
  });

  it('keeps at most max sets, dropping the oldest', () => {
    let builds = 0;
    const clientFor = perCredentials(() => ({ n: ++builds }), 2);
    const one = clientFor(sts(1));
    clientFor(sts(2));
    clientFor(sts(3));
    expect(builds).toBe(3);
    // sts(1) was dropped: asking again builds anew; sts(3) is still kept.
    expect(clientFor(sts(1))).not.toBe(one);
    expect(builds).toBe(4);
    clientFor(sts(3));
    expect(builds).toBe(4);
  });

  it('hands build a copy, so a caller mutating its object later changes nothing kept', () => {
    let seen: Credentials | undefined;
    const clientFor = perCredentials((c) => {
      seen = c;
      return {};
    });
    const mine = sts(1);
    clientFor(mine);
    mine.accessKeySecret = 'fake-changed';
    expect(seen).toEqual(sts(1));
  });
});
