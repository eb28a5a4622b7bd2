/**
 * The caller's ACS3-HMAC-SHA256 signer against the official FC 3.0 SDK (`@alicloud/fc20230330`, a dev
 * dependency here): the SDK sends one InvokeFunction to a loopback server that records it, and the signer,
 * given the same request (date, nonce, headers, body), must produce the same Authorization, byte for byte.
 * The local FC invoke API's verifier (lib/dev/acs3-verify.ts) is written separately from the published
 * algorithm and checked against the documentation's worked example.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import FcClient, { InvokeFunctionHeaders, InvokeFunctionRequest } from '@alicloud/fc20230330';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';
import { describe, expect, it } from 'vitest';
import { signAcs3 } from '../../lib/caller/acs3';
import { acs3Expected, canonicalRequestText } from '../../lib/dev/acs3-verify';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

async function captureSdkRequest(credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string }, payload: string): Promise<Seen> {
  let seen: Seen | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const endpoint = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new FcClient(new $OpenApiUtil.Config({ ...credentials, endpoint, protocol: 'http' }));
    await client.invokeFunctionWithOptions(
      'query-subscription-detail',
      new InvokeFunctionRequest({ body: Readable.from(Buffer.from(payload)), qualifier: 'LATEST' }),
      new InvokeFunctionHeaders({ xFcInvocationType: 'Sync' }),
      new $dara.RuntimeOptions({}),
    );
  } finally {
    server.close();
  }
  if (!seen) throw new Error('the SDK sent nothing');
  return seen;
}

/** The request the SDK sent, as the signer's input: every header but the ones the signer adds itself. */
function asSignerInput(seen: Seen) {
  const url = new URL(seen.url, 'http://x');
  const own = new Set(['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256', 'x-acs-accesskey-id', 'x-acs-security-token', 'authorization']);
  const headers = Object.fromEntries(Object.entries(seen.headers).filter(([k, v]) => !own.has(k) && typeof v === 'string')) as Record<string, string>;
  return {
    req: { method: seen.method, host: String(seen.headers.host), path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body: seen.body },
    now: Date.parse(String(seen.headers['x-acs-date'])),
    nonce: String(seen.headers['x-acs-signature-nonce']),
  };
}

describe('the ACS3-HMAC-SHA256 signer', () => {
  it.each([
    {
      name: 'STS credentials',
      credentials: { accessKeyId: 'STS.NTestKey0123456789', accessKeySecret: 'test/Secret+Value=', securityToken: 'CAIS+test/token==' },
    },
    { name: 'a long-term key', credentials: { accessKeyId: 'testAccessKeyId', accessKeySecret: 'testSecret' } },
  ])('signs an InvokeFunction exactly as the official FC 3.0 SDK does, with $name', async ({ credentials }) => {
    // Prepare
    const seen = await captureSdkRequest(credentials, '{"poolKey":"FC100000012345678","subsId":"1000000768798832","phoneNoX":"17000000000"}');
    const { req, now, nonce } = asSignerInput(seen);
    // Act
    const headers = signAcs3(req, credentials, { now, nonce });
    // Assess
    expect(String(seen.headers.authorization)).toMatch(/^ACS3-HMAC-SHA256 Credential=/);
    expect(headers.Authorization).toBe(seen.headers.authorization);
    for (const name of ['x-acs-content-sha256', 'x-acs-security-token', 'x-acs-accesskey-id']) expect(headers[name], name).toBe(seen.headers[name]);
  });
});

describe('the local FC invoke API verifier', () => {
  it("reproduces the V3 signature documentation's worked example", () => {
    // The example of "V3 request structure and signature" (an ECS call): fixed values, empty body.
    const request = {
      method: 'POST',
      path: '/',
      query: [
        ['ImageId', 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd'],
        ['RegionId', 'cn-shanghai'],
      ] as [string, string][],
      headers: {
        host: 'ecs.cn-shanghai.aliyuncs.com',
        'x-acs-action': 'RunInstances',
        'x-acs-version': '2014-05-26',
        'x-acs-date': '2023-10-26T10:22:32Z',
        'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
        'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      },
      signedHeaders: ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'],
    };
    const { hashedCanonicalRequest, signature } = acs3Expected(request, 'YourAccessKeySecret');
    expect(canonicalRequestText(request).split('\n')[0]).toBe('POST');
    expect(hashedCanonicalRequest).toBe('7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259');
    expect(signature).toBe('06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0');
  });
});
