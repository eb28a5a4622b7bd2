import { describe, expect, it } from 'vitest';
import { decodeInvocation, MAX_BODY_BYTES, type Route } from '../../lib/fc/event';
import { DEMO, directEvent, httpEvent } from '../support/fc';

function route(event: Buffer): Route {
  return decodeInvocation(event).route;
}

function issues(event: Buffer): { path: string; message: string }[] {
  const r = route(event);
  if (r.type !== 'error' || r.failure.code !== 'InvalidRequest') throw new Error(`expected InvalidRequest, got ${JSON.stringify(r)}`);
  return [...(r.failure.issues ?? [])];
}

function errorCode(event: Buffer): string {
  const r = route(event);
  if (r.type !== 'error') throw new Error(`expected an error, got ${JSON.stringify(r)}`);
  return r.failure.code;
}

describe('decodeInvocation: telling callers apart', () => {
  it('reads a v1 HTTP event as HTTP and anything else as a direct payload', () => {
    expect(decodeInvocation(httpEvent({ query: { ...DEMO } })).kind).toBe('http');
    expect(decodeInvocation(directEvent(DEMO)).kind).toBe('direct');
    expect(decodeInvocation(directEvent({ version: 'v1', ...DEMO })).kind).toBe('direct');
  });

  it('accepts the seed example on the query string of a GET', () => {
    // Prepare
    const event = httpEvent({ query: { PoolKey: 'FC12345', SubsId: '12345', PhoneNoX: '17000000000' } });
    // Act / Assess
    expect(route(event)).toEqual({ type: 'query', request: { poolKey: 'FC12345', subsId: '12345', phoneNoX: '17000000000' } });
  });

  it('accepts a JSON body of a POST, in camelCase', () => {
    const event = httpEvent({ method: 'POST', headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify(DEMO) });
    expect(route(event)).toEqual({ type: 'query', request: { ...DEMO } });
  });

  it('accepts a direct payload with productType instead of poolKey', () => {
    expect(route(directEvent({ ProductType: 'AXB_170', subsId: '1', phoneNoX: '17000000006' }))).toEqual({
      type: 'query',
      request: { productType: 'AXB_170', subsId: '1', phoneNoX: '17000000006' },
    });
  });

  it('treats an InvokeFunction call wrapped as an HTTP event (octet-stream body) as a POST', () => {
    const event = httpEvent({
      method: 'POST',
      path: '/2023-03-30/functions/query-subscription-detail/invocations',
      headers: { 'content-type': 'application/octet-stream', authorization: 'ACS3-HMAC-SHA256 Credential=x' },
      body: JSON.stringify(DEMO),
    });
    expect(route(event)).toEqual({ type: 'query', request: { ...DEMO } });
  });

  it('accepts a POST body without a content type, and a base64 body', () => {
    expect(route(httpEvent({ method: 'POST', body: JSON.stringify(DEMO) }))).toMatchObject({ type: 'query' });
    expect(route(httpEvent({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO), base64: true }))).toMatchObject({
      type: 'query',
    });
  });

  it('serves the OpenAPI document on any path ending in /openapi.json, to GET only', () => {
    expect(route(httpEvent({ path: '/prefix/openapi.json' }))).toEqual({ type: 'openapi' });
    expect(errorCode(httpEvent({ method: 'POST', path: '/openapi.json' }))).toBe('MethodNotAllowed');
  });
});

describe('decodeInvocation: normalising fields', () => {
  it('trims whitespace and strips +86, 0086, spaces and hyphens from phoneNoX', () => {
    for (const phone of ['+86 170-0000-0000', '0086 17000000000', ' 170 0000 0000 ', '+86-170-0000-0000']) {
      expect(route(directEvent({ poolKey: ' FC100000012345678 ', subsId: ' 1000000768798832 ', phoneNoX: phone }))).toEqual({
        type: 'query',
        request: { ...DEMO },
      });
    }
  });

  it('accepts safe-integer JSON numbers for subsId and phoneNoX and uses their decimal strings', () => {
    expect(route(directEvent({ poolKey: DEMO.poolKey, subsId: 1000000768798832, phoneNoX: 17000000000 }))).toEqual({
      type: 'query',
      request: { ...DEMO },
    });
  });

  it('treats blank and null values as absent', () => {
    expect(route(httpEvent({ query: { poolKey: '', productType: 'AXN_95', subsId: '1', phoneNoX: '9501234' } }))).toEqual({
      type: 'query',
      request: { productType: 'AXN_95', subsId: '1', phoneNoX: '9501234' },
    });
    expect(route(directEvent({ poolKey: null, productType: 'AXN_170', subsId: '1', phoneNoX: '17000000000' }))).toMatchObject({ type: 'query' });
  });

  it('accepts the same field twice when the values agree (casings, query and body, repeated query keys)', () => {
    const event = httpEvent({
      method: 'POST',
      query: { subsId: [DEMO.subsId, DEMO.subsId], PoolKey: DEMO.poolKey },
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ SubsId: Number(DEMO.subsId), subsId: DEMO.subsId, poolKey: DEMO.poolKey, phoneNoX: DEMO.phoneNoX }),
    });
    expect(route(event)).toEqual({ type: 'query', request: { ...DEMO } });
  });

  it('ignores the body of a GET', () => {
    expect(route(httpEvent({ query: { ...DEMO }, body: 'not json', headers: { 'content-type': 'text/plain' } }))).toMatchObject({ type: 'query' });
  });
});

describe('decodeInvocation: validation failures', () => {
  it('lists every bad field at once, in field order', () => {
    expect(issues(directEvent({ subsId: 'abc', phoneNoX: '12', poolKey: 'XX1' }))).toEqual([
      { path: 'poolKey', message: 'must be FC followed by digits, e.g. FC100000012345678' },
      { path: 'subsId', message: 'must be 1 to 19 digits, at most 9223372036854775807' },
      { path: 'phoneNoX', message: 'must be 5 to 20 digits (a +86 or 0086 prefix, spaces and hyphens are removed first)' },
    ]);
  });

  it('says what is required when fields are missing (without subsId it is a find, which needs X and the pool)', () => {
    expect(issues(directEvent({}))).toEqual([
      { path: 'poolKey', message: 'is required (legacy accounts give productType instead)' },
      { path: 'phoneNoX', message: 'is required' },
    ]);
  });

  it('reads a request without subsId as a find, with optional A and B filters', () => {
    expect(route(directEvent({ poolKey: DEMO.poolKey, PhoneNoX: '+86 170 0000 0000', phoneNoA: '150-0000-0000' }))).toEqual({
      type: 'find',
      request: { poolKey: DEMO.poolKey, phoneNoX: DEMO.phoneNoX, phoneNoA: '15000000000' },
    });
  });

  it('rejects the A and B filters beside a subsId, since a lookup would ignore them', () => {
    expect(issues(directEvent({ ...DEMO, phoneNoB: '15000000001' }))).toEqual([
      { path: 'phoneNoB', message: 'filters a find (a request without subsId); drop it or drop subsId' },
    ]);
  });

  it('rejects poolKey and productType together', () => {
    expect(issues(directEvent({ ...DEMO, productType: 'AXB_170' }))).toEqual([{ path: 'poolKey', message: 'give either poolKey or productType, not both' }]);
  });

  it('rejects an unknown product type', () => {
    expect(issues(directEvent({ productType: 'AXB_171', subsId: '1', phoneNoX: '17000000000' }))).toEqual([
      { path: 'productType', message: 'must be one of AXB_170, AXN_170, AXN_95, AXN_EXTENSION_REUSE' },
    ]);
  });

  it('accepts a subsId up to the largest Java long', () => {
    for (const subsId of ['1', '9223372036854775807', '0000000000000000001'])
      expect(route(directEvent({ ...DEMO, subsId })), subsId).toMatchObject({ type: 'query' });
  });

  it('rejects subsId beyond a Java long, non-ASCII digits, unsafe and negative numbers, and other types', () => {
    for (const subsId of ['1'.repeat(20), '9223372036854775808', '9999999999999999999', '1'.repeat(33), '１２３', 2 ** 53, -1, 1.5, true, [], {}]) {
      expect(issues(directEvent({ ...DEMO, subsId })).map((i) => i.path)).toEqual(['subsId']);
    }
  });

  it('rejects phoneNoX with letters, too few or too many digits', () => {
    for (const phoneNoX of ['1700000000a', '1234', '1'.repeat(21), '+86', 'tel:17000000000']) {
      expect(issues(directEvent({ ...DEMO, phoneNoX })).map((i) => i.path)).toEqual(['phoneNoX']);
    }
  });

  it('names unknown fields, wherever they are', () => {
    const event = httpEvent({
      method: 'POST',
      query: { ...DEMO, tag: 'x' },
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ __proto__x: 1, constructor: 'y' }),
    });
    expect(issues(event)).toEqual([
      { path: 'query.tag', message: expect.stringContaining('unknown field') },
      { path: 'body.__proto__x', message: expect.stringContaining('unknown field') },
      { path: 'body.constructor', message: expect.stringContaining('unknown field') },
    ]);
  });

  it('treats a __proto__ key as an unknown name, not as a prototype', () => {
    const result = issues(directEvent(`{"__proto__":{"subsId":"1"},"poolKey":"FC1","phoneNoX":"17000000000"}`));
    expect(result).toEqual([{ path: '__proto__', message: expect.stringContaining('unknown field') }]);
  });

  it('rejects the same field with different values (casings, query vs body, repeated query keys)', () => {
    expect(issues(directEvent({ ...DEMO, SubsId: '2' }))).toEqual([{ path: 'subsId', message: 'given more than once with different values; give it once' }]);
    expect(issues(httpEvent({ query: { ...DEMO, phoneNoX: ['17000000000', '17000000001'] } }))).toEqual([
      { path: 'phoneNoX', message: 'given more than once with different values; give it once' },
    ]);
    const event = httpEvent({
      method: 'POST',
      query: { poolKey: DEMO.poolKey },
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...DEMO, poolKey: 'FC2' }),
    });
    expect(issues(event)).toEqual([{ path: 'poolKey', message: 'given more than once with different values; give it once' }]);
  });

  it('never echoes a phone number in an issue', () => {
    const all = JSON.stringify(issues(directEvent({ ...DEMO, phoneNoX: '17000000000x', subsId: '17000000001z' })));
    expect(all).not.toMatch(/1700000000/);
  });

  it('rejects unparseable payloads and bodies', () => {
    expect(issues(directEvent('not json'))).toEqual([{ path: 'event', message: 'the payload is not valid JSON; send a JSON object' }]);
    expect(issues(directEvent('[1,2]'))).toEqual([{ path: 'event', message: 'the payload must be a JSON object' }]);
    expect(issues(Buffer.from([0x7b, 0xff, 0x7d]))).toEqual([{ path: 'event', message: 'the payload is not valid UTF-8' }]);
    const json = { method: 'POST', headers: { 'content-type': 'application/json' } };
    expect(issues(httpEvent({ ...json, body: '{"subsId":' }))).toEqual([{ path: 'body', message: 'the body is not valid JSON' }]);
    expect(issues(httpEvent({ ...json, body: '"text"' }))).toEqual([{ path: 'body', message: 'the body must be a JSON object' }]);
    expect(issues(httpEvent({ ...json, body: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]) }))).toEqual([{ path: 'body', message: 'the body is not valid UTF-8' }]);
  });

  it('caps the number of issues for hostile bodies', () => {
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]));
    expect(issues(directEvent(many))).toHaveLength(20);
  });
});

describe('decodeInvocation: methods, sizes and media types, in the documented order', () => {
  it.each(['PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'])('answers 405 to %s', (method) => {
    expect(errorCode(httpEvent({ method, query: { ...DEMO } }))).toBe('MethodNotAllowed');
  });

  it('allows exactly 16384 body bytes and rejects 16385 with 413', () => {
    const base = JSON.stringify(DEMO);
    const pad = (n: number) => `${base.slice(0, -1)},"x":"${'a'.repeat(n - base.length - 7)}"}`;
    expect(Buffer.byteLength(pad(MAX_BODY_BYTES))).toBe(MAX_BODY_BYTES);
    const headers = { 'content-type': 'application/json' };
    expect(issues(httpEvent({ method: 'POST', headers, body: pad(MAX_BODY_BYTES) })).map((i) => i.path)).toEqual(['body.x']);
    expect(errorCode(httpEvent({ method: 'POST', headers, body: pad(MAX_BODY_BYTES + 1) }))).toBe('PayloadTooLarge');
    expect(errorCode(httpEvent({ method: 'POST', headers, body: Buffer.alloc(MAX_BODY_BYTES + 1, 0x20), base64: true }))).toBe('PayloadTooLarge');
    expect(errorCode(directEvent(pad(MAX_BODY_BYTES + 1)))).toBe('PayloadTooLarge');
    expect(route(directEvent(pad(MAX_BODY_BYTES)))).toMatchObject({ type: 'error', failure: { code: 'InvalidRequest' } });
  });

  it('answers 415 to other media types, and to octet-stream bodies that are not JSON', () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
      expect(errorCode(httpEvent({ method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(DEMO) }))).toBe('UnsupportedMediaType');
    }
    expect(errorCode(httpEvent({ method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: 'subsId=1' }))).toBe('UnsupportedMediaType');
  });

  it('answers 405 before 413, 413 before 415, 415 before 400', () => {
    const big = 'x'.repeat(MAX_BODY_BYTES + 1);
    expect(errorCode(httpEvent({ method: 'PUT', headers: { 'content-type': 'text/plain' }, body: big }))).toBe('MethodNotAllowed');
    expect(errorCode(httpEvent({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: big }))).toBe('PayloadTooLarge');
    expect(errorCode(httpEvent({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{bad', query: { tag: '1' } }))).toBe('UnsupportedMediaType');
  });

  it('reads an empty POST body as "no body fields", whatever its type', () => {
    expect(route(httpEvent({ method: 'POST', query: { ...DEMO }, headers: { 'content-type': 'text/plain' } }))).toMatchObject({ type: 'query' });
  });

  it('never throws, whatever the bytes', () => {
    for (const bytes of [
      '',
      'null',
      '{"version":"v1","requestContext":{"http":{}}}',
      '{"version":"v1","requestContext":{"http":{"method":5}},"headers":7,"queryParameters":"x","body":9}',
    ]) {
      expect(() => decodeInvocation(Buffer.from(bytes))).not.toThrow();
    }
  });
});
