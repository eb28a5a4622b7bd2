// Reference (b): the same job with node:crypto and node:http(s) directly, the physical floor of it in Node: the
// POP v1 signature by hand, one keep-alive agent, JSON.parse, the 13 fields, one log line. No error handling.
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { type Ctx, fields, HEADERS, logLine, normalize } from './normalize';

const endpoint = new URL(`${process.env.DYPLS_ENDPOINT ?? 'https://dyplsapi.aliyuncs.com'}/`);
const transport = endpoint.protocol === 'https:' ? https : http;
const agent = new transport.Agent({ keepAlive: true });
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

function signedBody(params: Record<string, string>, c: Ctx['credentials']): string {
  const all: Record<string, string> = {
    ...params,
    AccessKeyId: c.accessKeyId,
    Action: 'QuerySubscriptionDetail',
    Format: 'JSON',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: randomUUID(),
    SignatureVersion: '1.0',
    Timestamp: `${new Date().toISOString().slice(0, 19)}Z`,
    Version: '2017-05-25',
  };
  if (c.securityToken) all.SecurityToken = c.securityToken;
  const query = Object.keys(all)
    .sort()
    .map((k) => `${enc(k)}=${enc(all[k] ?? '')}`)
    .join('&');
  const signature = createHmac('sha1', `${c.accessKeySecret}&`)
    .update(`POST&%2F&${enc(query)}`)
    .digest('base64');
  return `${query}&Signature=${enc(signature)}`;
}

export async function handler(event: Buffer, ctx: Ctx) {
  const started = Date.now();
  const body = signedBody(fields(event), ctx.credentials);
  const text = await new Promise<string>((resolve, reject) => {
    const req = transport.request(
      endpoint,
      { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString()));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  const parsed = JSON.parse(text) as { RequestId: string; SecretBindDetailDTO: Record<string, unknown> };
  logLine(ctx, started, parsed.RequestId);
  return {
    statusCode: 200,
    headers: HEADERS,
    body: JSON.stringify({ ok: true, requestId: parsed.RequestId, data: normalize(parsed.SecretBindDetailDTO) }),
    isBase64Encoded: false,
  };
}
