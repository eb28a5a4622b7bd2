import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { normalizeBindingDetail } from '../../lib/query/normalize';

/** A date field as normalize reads it, and whether it was judged unreadable. */
const beijingDate = (v: unknown) => {
  const { data, warnings } = normalizeBindingDetail({ GmtCreate: v });
  return { value: data.gmtCreate, bad: warnings.some((w) => w.field === 'gmtCreate') };
};
import { bindingDetailSchema } from '../../lib/shared/answers';
import { DEMO_DETAIL } from '../support/fc';

// The json-bigint that pop-core itself loads (its own dependency), so the test parses exactly as pop-core does.
const fromPopCore = createRequire(createRequire(import.meta.url).resolve('@alicloud/pop-core'));
const JSONbig = fromPopCore('json-bigint') as { parse(text: string): unknown };

/** Parses like pop-core does (json-bigint, default options): null-prototype objects and BigNumbers. */
function popParse(text: string): Record<string, unknown> {
  return JSONbig.parse(text) as Record<string, unknown>;
}

describe('normalizeBindingDetail', () => {
  it('maps the DOC2019 demo body to the documented envelope data', () => {
    // Prepare
    const body = popParse(
      '{"Message":"OK","RequestId":"066E6E47-04CB-4774-A976-4F73CB76D4A3","SecretBindDetailDTO":{"Status":1,"PhoneNoX":"17000000000","ExpireDate":"2019-09-05 12:00:00","NeedRecord":false,"PhoneNoB":"15000000001","SubsId":"1000000768798832","PhoneNoA":"15000000000","GmtCreate":"2019-03-02 19:30:11"},"Code":"OK"}',
    );
    // Act
    const { data, warnings } = normalizeBindingDetail(body.SecretBindDetailDTO as Record<string, unknown>);
    // Assess
    expect(data).toStrictEqual(DEMO_DETAIL);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(warnings).toEqual([]);
  });

  it('maps the META demo: extension, group 0, trailing space, ASR', () => {
    const dto = popParse(
      '{"Status":1,"Extension":"130","PhoneNoB":"15000000001","GroupId":0,"NeedRecord":true,"ASRStatus":true,"GmtCreate":"2019-03-05 12:00:00","ExpireDate":"2019-09-05 12:00:00","SubsId":"1000000768798832","PhoneNoX":"17000000000","CallRestrict":"CONTROL_BX_DISABLE ","ASRModelId":"7ee372834d2f4cc7ac0d0ab2d0ae1aac","PhoneNoA":"15000000000"}',
    );
    expect(normalizeBindingDetail(dto).data).toMatchObject({
      extension: '130',
      groupId: null,
      needRecord: true,
      asrStatus: true,
      callRestrict: 'CONTROL_BX_DISABLE',
      asrModelId: '7ee372834d2f4cc7ac0d0ab2d0ae1aac',
    });
  });

  it('keeps a GroupId beyond 2^53 exact (json-bigint BigNumber) and a 13-digit one as digits', () => {
    expect(normalizeBindingDetail(popParse('{"GroupId":9007199254740993}')).data.groupId).toBe('9007199254740993');
    expect(normalizeBindingDetail(popParse('{"GroupId":12345678901234567890}')).data.groupId).toBe('12345678901234567890');
    expect(normalizeBindingDetail(popParse('{"GroupId":2000000130001}')).data.groupId).toBe('2000000130001');
    expect(normalizeBindingDetail({ GroupId: '0' }).data.groupId).toBeNull();
  });

  it('maps Status 1, 0 and anything else', () => {
    expect(normalizeBindingDetail({ Status: 1 }).data.status).toBe('ACTIVE');
    expect(normalizeBindingDetail({ Status: '1' }).data.status).toBe('ACTIVE');
    expect(normalizeBindingDetail({ Status: 0 }).data.status).toBe('INACTIVE');
    expect(normalizeBindingDetail({ Status: 2 }).data.status).toBe('UNKNOWN');
    expect(normalizeBindingDetail({}).data.status).toBe('UNKNOWN');
  });

  it('is lenient where the meaning is unambiguous: "true", camelCase keys, extra fields', () => {
    const { data } = normalizeBindingDetail({ needRecord: 'true', ASRStatus: 'false', subsId: '5', Unknown: 1, PhoneNoB: '' });
    expect(data).toMatchObject({ needRecord: true, asrStatus: false, subsId: '5', phoneNoB: null });
  });

  it('turns every absent or empty field into null, and validates against the response schema', () => {
    const { data } = normalizeBindingDetail({});
    expect(bindingDetailSchema.safeParse(data).success).toBe(true);
    expect(Object.values(data).filter((v) => v !== null)).toEqual(['UNKNOWN']);
  });

  it('returns null and a warning for unreadable dates and group ids', () => {
    const { data, warnings } = normalizeBindingDetail({ GmtCreate: '2019-02-30 10:00:00', ExpireDate: 'soon', GroupId: -5 });
    expect(data).toMatchObject({ gmtCreate: null, expireDate: null, groupId: null });
    expect(warnings.map((w) => w.field)).toEqual(['gmtCreate', 'expireDate', 'groupId']);
  });
});

describe('beijingDate', () => {
  it('reads upstream time as Beijing time, whatever the process time zone', () => {
    expect(beijingDate('2019-03-02 19:30:11')).toEqual({ value: '2019-03-02T19:30:11+08:00', bad: false });
    expect(new Date(beijingDate('2024-12-31 23:59:59').value ?? '').toISOString()).toBe('2024-12-31T15:59:59.000Z');
  });

  it('rejects impossible dates and times', () => {
    for (const bad of ['2019-13-01 00:00:00', '2019-02-29 00:00:00', '2019-01-01 24:00:00', '2019-01-01 00:60:00', '2019-1-1 0:0:0', 20190101]) {
      expect(beijingDate(bad)).toEqual({ value: null, bad: true });
    }
    expect(beijingDate('2020-02-29 00:00:00').bad).toBe(false);
  });
});

describe('text fields', () => {
  it('reads a value longer than 256 characters as unreadable (null and a warning), so no answer outgrows its readers', () => {
    const { data, warnings } = normalizeBindingDetail({ SubsId: '1', ASRModelId: 'x'.repeat(257), Extension: 'y'.repeat(256) });
    expect(data.asrModelId).toBeNull();
    expect(data.extension).toHaveLength(256);
    expect(warnings).toEqual([{ field: 'asrModelId', reason: 'longer than 256 characters' }]);
  });
});
