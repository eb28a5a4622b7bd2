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

/**
 * One client per credential set, built on first use and kept for the next calls: role credentials change
 * rarely (hours), so `max` sets cover any overlap of old and new. Newest first; compared field by field, so no
 * key string is built per call (an STS token is a few hundred characters). `build` gets a copy of its own.
 */
export function perCredentials<T>(build: (c: Credentials) => T, max = 4): (c: Credentials) => T {
  const entries: { credentials: Credentials; value: T }[] = [];
  const same = (a: Credentials, b: Credentials) =>
    a.accessKeyId === b.accessKeyId && a.accessKeySecret === b.accessKeySecret && a.securityToken === b.securityToken;
  return (c) => {
    const known = entries.find((e) => same(e.credentials, c));
    if (known) return known.value;
    const credentials = { ...c };
    const value = build(credentials);
    entries.unshift({ credentials, value });
    if (entries.length > max) entries.pop();
    return value;
  };
}
