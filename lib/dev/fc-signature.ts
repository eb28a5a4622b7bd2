/**
 * The FC request signature (`Authorization: FC <AccessKeyId>:<signature>`), written from the documented
 * algorithm, independently of @alicloud/fc2, so the local invoke API checks fc2 rather than agreeing with it
 * by construction. https://www.alibabacloud.com/help/en/functioncompute/signature-authentication
 */
import { createHmac } from 'node:crypto';

/** `x-fc-*` headers: lower-cased, trimmed names, sorted; values as sent, one `name:value\n` each. */
function canonicalFcHeaders(headers: Readonly<Record<string, string>>): string {
  const fc = new Map<string, string>();
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase().trim();
    if (name.startsWith('x-fc-')) fc.set(name, v);
  }
  return [...fc.keys()]
    .sort()
    .map((k) => `${k}:${fc.get(k) ?? ''}\n`)
    .join('');
}

/**
 * `METHOD\nContent-MD5\nContent-Type\nDate\n` + canonical x-fc headers + the decoded path (version prefix
 * included); for HTTP-trigger `/proxy/` paths only, `\n` and the sorted `key=value` query lines.
 */
export function fcStringToSign(
  method: string,
  path: string,
  headers: Readonly<Record<string, string>>,
  queries?: ReadonlyArray<readonly [string, string]>,
): string {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  let s = `${method.toUpperCase()}\n${lower['content-md5'] ?? ''}\n${lower['content-type'] ?? ''}\n${lower.date ?? ''}\n${canonicalFcHeaders(headers)}${path}`;
  if (queries)
    s += `\n${queries
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join('\n')}`;
  return s;
}

/** Base64 HMAC-SHA256 keyed with the secret alone (no `&`, unlike POP). */
export function fcSignature(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha256', accessKeySecret).update(stringToSign, 'utf8').digest('base64');
}
