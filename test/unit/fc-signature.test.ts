import { describe, expect, it } from 'vitest';
import { fcSignature, fcStringToSign } from '../../lib/dev/fc-signature';

// Vectors from ../shared/reference/function-compute.md §9 (computed and cross-checked with fc2's signer there).
const DATE = 'Mon, 02 Jan 2006 15:04:05 GMT';
const POST_HEADERS = {
  'content-type': 'application/octet-stream',
  'content-md5': 'YzZlMTE4NzRlMzhiNGFlYzYzOTYwMmFjNDdjMTBiNmM=',
  date: DATE,
  'x-fc-security-token': 'CAIS+test/token==',
  'x-fc-invocation-type': 'Sync',
  'x-fc-account-id': '1234567890123456',
};

describe('FC signature', () => {
  it.each([
    ['/2016-08-15/services/dypls.LATEST/functions/query-subscription-detail/invocations', '244MHx7emy6YgFiGynIWaGDyOUmGrWCwR6Zg2GvsH68='],
    ['/2023-03-30/functions/query-subscription-detail/invocations', 'Nnfcnfe7U4+8t61cM2VoTQKKKnS5j10ZoAsxSMNp+cA='],
  ])('signs the POST invocation vector for %s', (path, expected) => {
    const sts = fcStringToSign('POST', path, POST_HEADERS);
    expect(sts).toBe(
      `POST\nYzZlMTE4NzRlMzhiNGFlYzYzOTYwMmFjNDdjMTBiNmM=\napplication/octet-stream\n${DATE}\nx-fc-account-id:1234567890123456\nx-fc-invocation-type:Sync\nx-fc-security-token:CAIS+test/token==\n${path}`,
    );
    expect(fcSignature(sts, 'testSecret')).toBe(expected);
  });

  it('signs the proxy vector with sorted query lines', () => {
    const sts = fcStringToSign(
      'GET',
      '/2016-08-15/proxy/dypls.LATEST/query-subscription-detail/detail',
      { date: DATE, 'x-fc-account-id': '1234567890123456' },
      [
        ['x', '1'],
        ['x', '3'],
        ['a', '2'],
        ['with space', 'foo bar'],
      ],
    );
    expect(sts.endsWith('/detail\na=2\nwith space=foo bar\nx=1\nx=3')).toBe(true);
    expect(fcSignature(sts, 'testSecret')).toBe('SYCBY0IRvhwV8lh2hDy+y4l9m14bFeq1I496nTRPf4s=');
  });

  it('signs the proxy vector without queries', () => {
    const sts = fcStringToSign('GET', '/2016-08-15/proxy/dypls/fn/', { date: DATE, 'x-fc-account-id': '1234567890123456' }, []);
    expect(sts.endsWith('/fn/\n')).toBe(true);
    expect(fcSignature(sts, 'testSecret')).toBe('Lzq61ZwRTIwPQ3QaSszaza35G0a4110pSEtoEjbKsjo=');
  });
});
