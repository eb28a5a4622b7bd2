/**
 * Verifying ACS3-HMAC-SHA256 (the V3 signature) as the local FC invoke API does, written from the published
 * algorithm ("V3 request structure and signature"), separately from the caller's signer, so that the local API
 * checks the caller rather than agreeing with it by construction. Checked against the documentation's worked
 * example in test/unit/acs3.test.ts.
 */
import { createHash, createHmac } from 'node:crypto';

export interface ReceivedRequest {
  method: string;
  /** The path as received, still percent-encoded. */
  path: string;
  /** The query pairs, decoded. */
  query: readonly (readonly [string, string])[];
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string>>;
  /** The names the Authorization header says were signed. */
  signedHeaders: readonly string[];
}

/** Percent-encoding as the V3 document defines it: unreserved characters stay, everything else is %XX of its UTF-8. */
function encodeV3(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function canonicalRequestText(r: ReceivedRequest): string {
  const query = [...r.query]
    .map(([k, v]) => [encodeV3(k), encodeV3(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const names = [...r.signedHeaders].map((n) => n.toLowerCase()).sort();
  const headers = names.map((n) => `${n}:${(r.headers[n] ?? '').trim()}\n`).join('');
  return [r.method.toUpperCase(), r.path, query, headers, names.join(';'), r.headers['x-acs-content-sha256'] ?? ''].join('\n');
}

/** What the signature of a received request must be, given the key's secret. */
export function acs3Expected(r: ReceivedRequest, secret: string): { hashedCanonicalRequest: string; signature: string } {
  const hashedCanonicalRequest = createHash('sha256').update(canonicalRequestText(r), 'utf8').digest('hex');
  const signature = createHmac('sha256', secret).update(`ACS3-HMAC-SHA256\n${hashedCanonicalRequest}`, 'utf8').digest('hex');
  return { hashedCanonicalRequest, signature };
}

/** `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>`, or undefined for anything else. */
export function parseAcs3Authorization(value: string | undefined): { accessKeyId: string; signedHeaders: string[]; signature: string } | undefined {
  const m = /^ACS3-HMAC-SHA256 Credential=([^,\s]+),SignedHeaders=([a-z0-9;-]+),Signature=([0-9a-f]{64})$/.exec(value ?? '');
  if (!m?.[1] || !m[2] || !m[3]) return undefined;
  return { accessKeyId: m[1], signedHeaders: m[2].split(';'), signature: m[3] };
}
