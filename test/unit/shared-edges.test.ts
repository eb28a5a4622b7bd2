/**
 * The edges of lib/shared's small guards that the mutation run found no test stating (test/mutation/survivors.txt):
 * credentials from a context, names and RequestIds echoed back, and outside text shown in a body or a log.
 */
import { describe, expect, it } from 'vitest';
import { perCredentials, usableCredentials } from '../../lib/shared/credentials';
import { printableName } from '../../lib/shared/guards';
import { holdsCredential, redactText } from '../../lib/shared/redact';
import { requestIdOf } from '../../lib/shared/request-id';

describe('usableCredentials', () => {
  it('trims the key and the token, keeps the secret as given, and drops a blank token', () => {
    expect(usableCredentials({ accessKeyId: ' key-id-1 ', accessKeySecret: ' s ', securityToken: '  ' })).toEqual({
      accessKeyId: 'key-id-1',
      accessKeySecret: ' s ',
    });
    expect(usableCredentials({ accessKeyId: 'STS.abc', accessKeySecret: 's', securityToken: ' tok ' })).toEqual({
      accessKeyId: 'STS.abc',
      accessKeySecret: 's',
      securityToken: 'tok',
    });
  });

  it('refuses a blank key or secret, and an STS key without its token', () => {
    expect(usableCredentials({ accessKeyId: '  ', accessKeySecret: 's' })).toBeUndefined();
    expect(usableCredentials({ accessKeyId: 'key-id-1', accessKeySecret: '' })).toBeUndefined();
    expect(usableCredentials({ accessKeyId: 'STS.abc', accessKeySecret: 's' })).toBeUndefined();
    expect(usableCredentials(undefined)).toBeUndefined();
  });
});

describe('perCredentials', () => {
  it('builds once per credential set, telling sets apart by every field', () => {
    let built = 0;
    const clientFor = perCredentials(() => ++built);
    const a = { accessKeyId: 'a', accessKeySecret: 's', securityToken: 't' };
    expect(clientFor(a)).toBe(1);
    expect(clientFor({ ...a })).toBe(1);
    expect(clientFor({ ...a, securityToken: 'u' })).toBe(2);
    expect(clientFor({ ...a, accessKeySecret: 'x' })).toBe(3);
    expect(clientFor({ ...a, accessKeyId: 'b' })).toBe(4);
  });
});

describe('printableName', () => {
  it('replaces what is not printable ASCII, keeps 64 characters and marks the cut', () => {
    expect(printableName('a\u0000b\u00e9c')).toBe('a?b?c');
    expect(printableName('x'.repeat(64))).toBe('x'.repeat(64));
    expect(printableName(`${'x'.repeat(64)}y`)).toBe(`${'x'.repeat(64)}…`);
  });
});

describe('requestIdOf', () => {
  it('accepts hex groups with a letter, up to 64 characters, and nothing else', () => {
    expect(requestIdOf('8906582E-6722')).toBe('8906582E-6722');
    const longest = `${'A'.repeat(32)}-${'B'.repeat(31)}`;
    expect(longest).toHaveLength(64);
    expect(requestIdOf(longest)).toBe(longest);
    expect(requestIdOf(`${longest}C`)).toBeNull();
    expect(requestIdOf('170-0000-0000')).toBeNull();
    expect(requestIdOf(12345)).toBeNull();
  });
});

describe('redactText and holdsCredential', () => {
  it('answers undefined for what is not text, empty, only control characters, or holds a secret', () => {
    expect(redactText(42, [])).toBeUndefined();
    expect(redactText('', [])).toBeUndefined();
    expect(redactText('\u0000\u200b ', [])).toBeUndefined();
    expect(redactText('the key is abcdefgh12 here', ['abcdefgh12'])).toBeUndefined();
  });

  it('cuts at maxLength with a mark, and judges only a bounded prefix of a long text', () => {
    expect(redactText('abcdef', [], 6)).toBe('abcdef');
    expect(redactText('abcdefg', [], 6)).toBe('abcdef…');
    // A secret beyond four times maxLength is never shown, so it is not looked for either.
    expect(redactText(`${'a'.repeat(40)}secret-value`, ['secret-value'], 10)).toBe(`${'a'.repeat(10)}…`);
    expect(redactText(`${'a'.repeat(20)}secret-value`, ['secret-value'], 10)).toBeUndefined();
  });

  it('finds a secret of 8 characters or more raw, percent-encoded twice, or base64; shorter ones are not looked for', () => {
    const secret = 'p@ss/word+1';
    expect(holdsCredential(`x ${secret} y`, [secret])).toBe(true);
    expect(holdsCredential(encodeURIComponent(encodeURIComponent(secret)), [secret])).toBe(true);
    expect(holdsCredential(Buffer.from(secret).toString('base64'), [secret])).toBe(true);
    expect(holdsCredential('the word short here', ['short'])).toBe(false);
    expect(holdsCredential('12345678', ['12345678'])).toBe(true);
    expect(holdsCredential('1234567', ['1234567'])).toBe(false);
  });
});
