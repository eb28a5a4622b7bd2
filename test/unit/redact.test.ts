import fc from 'fast-check';
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
    // Assembled here so that no line of this repository looks like a long-term AccessKeyId to a secret scanner.
    const longTermShaped = ['LT', 'AI', 'x'.repeat(16)].join('');
    expect(holdsCredential(`the key ${longTermShaped} is disabled`, [])).toBe(true);
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

describe('maskPhoneNumbers, for any notation of a number (property)', () => {
  // Digits 0-9 of scripts a message may use, by the code point of their zero.
  const ZEROS = [0x30, 0xff10, 0x0660, 0x06f0, 0x0966, 0x0e50, 0x1d7ce, 0x1d7ec, 0x1d7f6];
  const SEPARATORS = [
    ' ',
    '  ',
    '\u00a0',
    '\u3000',
    '\u202f',
    '\u2009',
    '-',
    '\u2010',
    '\u2011',
    '\u2012',
    '\u2013',
    '\u2014',
    '\u2015',
    '/',
    '_',
    '.',
    ' - ',
    ' \u2013 ',
  ];
  const notation = fc.record({
    last: fc.integer({ min: 0, max: 99 }),
    zero: fc.constantFrom(...ZEROS),
    cuts: fc.uniqueArray(fc.integer({ min: 1, max: 10 }), { maxLength: 4 }),
    separator: fc.constantFrom(...SEPARATORS),
    prefix: fc.constantFrom('', '+86 ', '+86', '0086 '),
    before: fc.constantFrom('', '号码 ', 'number: ', '('),
    after: fc.constantFrom('', ' 不存在', ').', ', retry'),
  });

  it('never lets the 11 digits through, whatever the script, grouping and separators', () => {
    fc.assert(
      fc.property(notation, ({ last, zero, cuts, separator, prefix, before, after }) => {
        const digits = `150000000${String(last).padStart(2, '0')}`;
        const groups: string[] = [];
        let from = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          groups.push(digits.slice(from, cut));
          from = cut;
        }
        groups.push(digits.slice(from));
        const written = [...groups.join(separator)].map((c) => (/[0-9]/.test(c) ? String.fromCodePoint(zero + Number(c)) : c)).join('');
        const masked = maskPhoneNumbers(`${before}${prefix}${written}${after}`);
        // Whatever is left shows at most 7 digits (3 and 4 around the mask): never the whole number.
        expect(masked.replace(/\D/g, '').length).toBeLessThanOrEqual(7);
        expect(masked).toContain('****');
      }),
      { numRuns: 2000 },
    );
  });
});
