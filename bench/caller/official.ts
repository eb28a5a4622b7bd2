// The caller's signing through the official FC 3.0 SDK (@alicloud/fc20230330): one client per process, as a
// caller function would hold it, invoking the target and reading the reply.
import { Readable } from 'node:stream';
import FcClient, { InvokeFunctionHeaders, InvokeFunctionRequest } from '@alicloud/fc20230330';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';

export function makeInvoke(endpoint: string, credentials: { accessKeyId: string; accessKeySecret: string; securityToken: string }): () => Promise<string> {
  const url = new URL(endpoint);
  const client = new FcClient(new $OpenApiUtil.Config({ ...credentials, endpoint: url.host, protocol: url.protocol.replace(':', '') }));
  const payload = Buffer.from('{"poolKey":"FC100000012345678","subsId":"1000000768798832","phoneNoX":"17000000000"}');
  return async () => {
    const res = await client.invokeFunctionWithOptions(
      'bench-target',
      new InvokeFunctionRequest({ body: Readable.from(payload) }),
      new InvokeFunctionHeaders({ xFcInvocationType: 'Sync' }),
      new $dara.RuntimeOptions({}),
    );
    const chunks: Buffer[] = [];
    for await (const c of res.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
    return Buffer.concat(chunks).toString();
  };
}
