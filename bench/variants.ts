// What bench/run.ts and bench/worker.ts share: the variants measured and the event they answer.

export type Variant = 'handler' | 'pop' | 'raw' | 'seed';

export const VARIANT_FILES: Record<Variant, string> = {
  handler: 'dist/query-subscription-detail/index.js',
  pop: 'bench/.build/minimal-pop.js',
  raw: 'bench/.build/minimal-raw.js',
  seed: 'bench/seed-style/index.js',
};

export function httpEvent(q: { poolKey: string; subsId: string; phoneNoX: string }): Buffer {
  return Buffer.from(
    JSON.stringify({
      version: 'v1',
      rawPath: '/',
      body: '',
      isBase64Encoded: false,
      headers: { 'User-Agent': 'bench' },
      queryParameters: q,
      requestContext: {
        accountId: '1234567890123456',
        domainName: 'bench.local',
        domainPrefix: 'bench',
        http: { method: 'GET', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
        requestId: '1-00000000-00000000-000000000000',
        time: '2026-01-01T00:00:00Z',
        timeEpoch: '1767225600000',
      },
    }),
  );
}
