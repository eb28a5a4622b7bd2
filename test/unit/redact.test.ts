import { describe, expect, it } from 'vitest';
import { holdsCredential, maskPhone, maskPhoneNumbers, redactText } from '../../lib/shared/redact';
import { requestIdOf } from '../../lib/shared/request-id';

const SECRETS = ['STS.0123456789abcdef01234567', 'SecretKey/With+Chars=', 'CAIS+test/token==ABCDEFGH'];

describe('maskPhoneNumbers', () => {
  it.each([
    ['150-0000-0000', '150****0000'],
    ['150 0000 0001', '150****0001'],
    ['150.0000.0002', '150****0002'],
    ['１５０００００００００', '150****0000'],
    ['+86 150 0000 0003', '861****0003'],
    ['+8615000000004', '861****0004'],
  ])('masks %s', (raw, masked) => {
    expect(maskPhoneNumbers(`号码 ${raw} 不存在`)).toBe(`号码 ${masked} 不存在`);
  });

  it('leaves short numbers alone', () => {
    expect(maskPhoneNumbers('code 123, 2 attempts')).toBe('code 123, 2 attempts');
    expect(maskPhone('12345')).toBe('****');
  });
});

describe('holdsCredential', () => {
  it('finds a secret raw, percent-encoded once or twice, base64, in any case', () => {
    const [id, secret, token] = SECRETS as [string, string, string];
    for (const text of [
      `key ${id}`,
      `key ${id.toUpperCase()}`,
      `secret ${encodeURIComponent(secret)}`,
      `secret ${encodeURIComponent(encodeURIComponent(secret))}`,
      `token ${token.toLowerCase()}`,
      `token ${Buffer.from(token).toString('base64')}`,
    ]) {
      expect(holdsCredential(text, SECRETS), text).toBe(true);
    }
  });

  it('finds credential shapes of anyone, and quoted strings-to-sign', () => {
    expect(holdsCredential('server string to sign is:POST&%2F&...', [])).toBe(true);
    expect(holdsCredential('key STS.fakeTestTokenOnly was used', [])).toBe(true);
    expect(holdsCredential('the key LTAIfakeTestKeyOnly is disabled', [])).toBe(true);
    expect(holdsCredential('绑定关系不存在', SECRETS)).toBe(false);
  });
});

describe('redactText', () => {
  it('drops what is not a non-empty string or holds a credential', () => {
    for (const v of [undefined, null, 5, {}, '', `quoting ${SECRETS[0]}`]) expect(redactText(v, SECRETS)).toBeUndefined();
  });

  it('strips control and bidirectional characters, masks numbers, caps the length', () => {
    expect(redactText('a\r\nb\u202ec\u0007 17000000000', SECRETS)).toBe('abc 170****0000');
    expect(redactText('x'.repeat(10_000), SECRETS)).toBe(`${'x'.repeat(300)}…`);
  });
});

describe('requestIdOf', () => {
  it('passes on Alibaba-shaped RequestIds', () => {
    for (const id of ['066E6E47-04CB-4774-A976-4F73CB76D4A3', '8906582E-6722', '1-65e571bc-158a59e8-b63f98cd471c']) expect(requestIdOf(id)).toBe(id);
  });

  it('passes on nothing else', () => {
    for (const id of ['15000000000', '150-0000-0000', 'FUZZ', 'abc', 'A'.repeat(65), '066E6E47 04CB', 42, null]) expect(requestIdOf(id)).toBeNull();
  });
});
