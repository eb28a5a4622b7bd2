/**
 * Credentials come from the invocation context only (`context.credentials`): never from environment variables.
 */
import type { FcCredentials } from './fc-types';

/** STS credentials (or, under `s local`, a developer's own AccessKey without a token). */
export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** The usable part of a context's credentials, or undefined when they cannot sign. */
export function usableCredentials(c: FcCredentials | undefined): Credentials | undefined {
  const id = typeof c?.accessKeyId === 'string' ? c.accessKeyId.trim() : '';
  const secret = typeof c?.accessKeySecret === 'string' ? c.accessKeySecret : '';
  const token = typeof c?.securityToken === 'string' ? c.securityToken.trim() : '';
  if (id === '' || secret === '') return undefined;
  // An STS key is useless without its token. A long-term key without one only occurs under `s local`,
  // which passes the developer's own AccessKey through the context.
  if (id.startsWith('STS.') && token === '') return undefined;
  return token === '' ? { accessKeyId: id, accessKeySecret: secret } : { accessKeyId: id, accessKeySecret: secret, securityToken: token };
}
