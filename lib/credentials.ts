/**
 * Credentials come from the invocation context only: never from environment variables.
 */
import type { FcContext } from './fc-types';

/** STS credentials (or, under `s local`, a developer's own AccessKey without a token). */
export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** The role's credentials from the invocation context only; never from environment variables. */
export function credentialsFrom(context: FcContext | undefined): Credentials | undefined {
  const c = context?.credentials;
  const id = typeof c?.accessKeyId === 'string' ? c.accessKeyId.trim() : '';
  const secret = typeof c?.accessKeySecret === 'string' ? c.accessKeySecret : '';
  const token = typeof c?.securityToken === 'string' ? c.securityToken.trim() : '';
  if (id === '' || secret === '') return undefined;
  // An STS key is useless without its token. A long-term key without one only occurs under `s local`,
  // which passes the developer's own AccessKey through the context.
  if (id.startsWith('STS.') && token === '') return undefined;
  return token === '' ? { accessKeyId: id, accessKeySecret: secret } : { accessKeyId: id, accessKeySecret: secret, securityToken: token };
}

