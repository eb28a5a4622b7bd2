/**
 * POP RPC signature v1, written from the documented algorithm (HMAC-SHA1 over
 * `METHOD&%2F&encode(canonical query)`, keyed with `secret&`), independently of pop-core, so that the sandbox
 * checks pop-core rather than agreeing with it by construction. Tested against the published vectors.
 */
import { createHmac } from 'node:crypto';

/** RFC 3986 percent-encoding of UTF-8: only A–Z a–z 0–9 - _ . ~ stay literal; space is %20, `*` is %2A. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Sorted (by code unit), encoded `k=v` pairs joined with `&`; `Signature` itself is never part of it. */
export function canonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] ?? '')}`)
    .join('&');
}

export function stringToSign(method: string, params: Readonly<Record<string, string>>): string {
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
}

export function popSignature(method: string, params: Readonly<Record<string, string>>, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign(method, params), 'utf8').digest('base64');
}

/** Adds the system parameters and the signature: the form body (POST) or query (GET) of a signed call. */
export function signedForm(
  method: string,
  business: Readonly<Record<string, string>>,
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string },
  options: { action: string; version: string; timestamp: string; nonce: string },
): string {
  const params: Record<string, string> = {
    ...business,
    Action: options.action,
    Format: 'JSON',
    Version: options.version,
    Timestamp: options.timestamp,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: options.nonce,
    AccessKeyId: credentials.accessKeyId,
    ...(credentials.securityToken ? { SecurityToken: credentials.securityToken } : {}),
  };
  return `${canonicalQuery(params)}&Signature=${percentEncode(popSignature(method, params, credentials.accessKeySecret))}`;
}

/** `2017-07-12T02:42:19Z`: UTC, to the second, as POP wants it. */
export function popTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
