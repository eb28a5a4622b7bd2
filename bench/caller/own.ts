// The caller's signing as shipped: the caller library's client (its own ACS3 signer over node:http(s)).
import { createBindingDetailClient } from '../../lib/caller';

export function makeInvoke(endpoint: string, credentials: { accessKeyId: string; accessKeySecret: string; securityToken: string }): () => Promise<string> {
  const client = createBindingDetailClient({ accountId: '1234567890123456', region: 'cn-hangzhou', functionName: 'bench-target', endpoint });
  return async () => JSON.stringify(await client.query({ poolKey: 'FC100000012345678', subsId: '1000000768798832', phoneNoX: '17000000000' }, credentials));
}
