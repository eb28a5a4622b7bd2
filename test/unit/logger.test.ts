import { describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/shared/logger';
import { maskPhoneNumbers, maskPhone } from '../../lib/shared/redact';

describe('maskPhone', () => {
  it('keeps at most the first 3 and last 4 digits', () => {
    expect(maskPhone('17000000000')).toBe('170****0000');
    expect(maskPhone('+86 170-0000-0001')).toBe('861****0001');
    expect(maskPhone('9501234')).toBe('95****34');
    expect(maskPhone('12345')).toBe('****');
    expect(maskPhone(null)).toBeNull();
  });

  it('masks every long digit run in free text', () => {
    expect(maskPhoneNumbers('号码 17000000000 与 15000000001 不匹配, code 123')).toBe('号码 170****0000 与 150****0001 不匹配, code 123');
  });
});

describe('createLogger', () => {
  it('writes one JSON object per line with level, time, msg and the bound fields', () => {
    // Prepare
    const lines: string[] = [];
    const log = createLogger({ level: 'info', sink: (l) => lines.push(l), now: () => new Date('2026-01-01T00:00:00Z') });
    // Act
    log.child({ requestId: 'r1' }).info('hello', { status: 200 });
    // Assess
    expect(lines).toEqual(['{"level":"info","time":"2026-01-01T00:00:00.000Z","msg":"hello","requestId":"r1","status":200}\n']);
  });

  it('drops lines below LOG_LEVEL', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', sink: (l) => lines.push(l) });
    log.debug('a');
    log.info('b');
    log.warn('c');
    log.error('d');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['c', 'd']);
  });

  it('survives a sink that throws', () => {
    const log = createLogger({
      level: 'info',
      sink: () => {
        throw new Error('EPIPE');
      },
    });
    expect(() => log.info('x')).not.toThrow();
  });
});
