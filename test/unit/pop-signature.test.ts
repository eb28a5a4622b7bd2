import { describe, expect, it } from 'vitest';
import { canonicalQuery, percentEncode, popSignature, signedForm, stringToSign } from '../../lib/dev/pop-signature';

// Vectors from ../shared/reference/dyplsapi.md §9.2: the documented SMS example and the QSD vectors.
const SMS = {
  AccessKeyId: 'testId',
  Action: 'SendSms',
  Format: 'XML',
  OutId: '123',
  PhoneNumbers: '15300000001',
  RegionId: 'cn-hangzhou',
  SignName: '阿里云短信测试专用',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
  SignatureVersion: '1.0',
  TemplateCode: 'SMS_71390007',
  TemplateParam: '{"customer":"test"}',
  Timestamp: '2017-07-12T02:42:19Z',
  Version: '2017-05-25',
};

const QSD = {
  AccessKeyId: 'testId',
  Action: 'QuerySubscriptionDetail',
  Format: 'JSON',
  PhoneNoX: '17000000000',
  PoolKey: 'FC123456',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
  SignatureVersion: '1.0',
  SubsId: '1000000768798832',
  Timestamp: '2017-07-12T02:42:19Z',
  Version: '2017-05-25',
};

const QSD_STS = { ...QSD, AccessKeyId: 'STS.testId', SecurityToken: 'CAIS+test/token==' };

describe('POP v1 signature', () => {
  it('reproduces the documented SMS vector', () => {
    // Act / Assess
    expect(canonicalQuery(SMS)).toBe(
      'AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&PhoneNumbers=15300000001&RegionId=cn-hangzhou&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95%E4%B8%93%E7%94%A8&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0&TemplateCode=SMS_71390007&TemplateParam=%7B%22customer%22%3A%22test%22%7D&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25',
    );
    expect(popSignature('GET', SMS, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it('reproduces the QuerySubscriptionDetail canonical query and string-to-sign', () => {
    expect(canonicalQuery(QSD)).toBe(
      'AccessKeyId=testId&Action=QuerySubscriptionDetail&Format=JSON&PhoneNoX=17000000000&PoolKey=FC123456&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0&SubsId=1000000768798832&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25',
    );
    expect(stringToSign('GET', QSD)).toBe(
      'GET&%2F&AccessKeyId%3DtestId%26Action%3DQuerySubscriptionDetail%26Format%3DJSON%26PhoneNoX%3D17000000000%26PoolKey%3DFC123456%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26SubsId%3D1000000768798832%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25',
    );
  });

  it.each([
    ['GET', QSD, 'h+RziIU7xQNhDqO2iq1Sasor29Y='],
    ['POST', QSD, 'S3L6N/ShmldfQDJ26zmYNcLES2E='],
    ['GET', QSD_STS, 'M7BcAWqqSzpXSAcj9ApafiWpBws='],
    ['POST', QSD_STS, 'k/IIOm2EODbdd13eiOujt7PnRF8='],
  ])('signs %s %# to the published QSD vector', (method, params, expected) => {
    expect(popSignature(method, params, 'testSecret')).toBe(expected);
  });

  it('encodes an STS token the way the gateway does', () => {
    expect(canonicalQuery(QSD_STS)).toContain('SecurityToken=CAIS%2Btest%2Ftoken%3D%3D');
  });

  it('percent-encodes in RFC 3986 style', () => {
    expect(percentEncode("a b*c~d!'()")).toBe('a%20b%2Ac~d%21%27%28%29');
  });

  it('leaves the Signature parameter out of what it signs', () => {
    expect(canonicalQuery({ ...QSD, Signature: 'x' })).toBe(canonicalQuery(QSD));
  });

  it('builds a signed form whose signature matches the vector', () => {
    // Prepare
    const {
      AccessKeyId: _a,
      Action: _b,
      Format: _c,
      SignatureMethod: _d,
      SignatureNonce: _e,
      SignatureVersion: _f,
      Timestamp: _g,
      Version: _h,
      ...business
    } = QSD;
    // Act
    const form = signedForm(
      'POST',
      business,
      { accessKeyId: 'testId', accessKeySecret: 'testSecret' },
      {
        action: 'QuerySubscriptionDetail',
        version: '2017-05-25',
        timestamp: '2017-07-12T02:42:19Z',
        nonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      },
    );
    // Assess
    expect(form).toBe(`${canonicalQuery(QSD)}&Signature=${percentEncode('S3L6N/ShmldfQDJ26zmYNcLES2E=')}`);
  });
});
