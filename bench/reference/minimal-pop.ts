// Reference (a): the function's happy path through pop-core, written for speed and nothing else: decode the
// event, check the four fields, one reused RPCClient POST, the 13 fields, one JSON log line. No error handling.
import http from 'node:http';
import https from 'node:https';
import RPCClient from '@alicloud/pop-core/lib/rpc.js';
import { type Ctx, fields, HEADERS, logLine, normalize } from './normalize';

const endpoint = process.env.DYPLS_ENDPOINT ?? 'https://dyplsapi.aliyuncs.com';
const agent = endpoint.startsWith('https') ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
type Client = { request(a: string, p: object, o: object): Promise<{ RequestId: string; SecretBindDetailDTO: Record<string, unknown> }> };
let client: Client | undefined;
let key = '';

export async function handler(event: Buffer, ctx: Ctx) {
  const started = Date.now();
  const params = fields(event);
  const c = ctx.credentials;
  if (!client || key !== c.accessKeyId) {
    client = new (RPCClient as unknown as new (c: object) => Client)({ endpoint, apiVersion: '2017-05-25', ...c, opts: { agent } });
    key = c.accessKeyId;
  }
  const body = await client.request('QuerySubscriptionDetail', params, { method: 'POST', formatParams: false });
  logLine(ctx, started, body.RequestId);
  return {
    statusCode: 200,
    headers: HEADERS,
    body: JSON.stringify({ ok: true, requestId: body.RequestId, data: normalize(body.SecretBindDetailDTO) }),
    isBase64Encoded: false,
  };
}
