/**
 * ACS3-HMAC-SHA256, the signature Function Compute 3.0 verifies on InvokeFunction, signed the way its official
 * SDK (`@alicloud/fc20230330` through `@alicloud/openapi-core`) signs: the same headers, the same canonical
 * request, byte for byte (test/unit/acs3.test.ts compares the two on the same request). Small on purpose: the
 * official client would add the Tea runtime, a credentials chain and an XML parser to every caller's bundle
 * (BENCHMARKS.md, "The caller's signing").
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Credentials } from '../shared/credentials';

export const ACS3 = 'ACS3-HMAC-SHA256';

/** RFC 3986 percent-encoding, as openapi-core encodes query values: only A–Z a–z 0–9 - _ . ~ stay literal. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `2023-10-26T10:22:32Z`: UTC, to the second. */
function acsDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export interface RequestToSign {
  method: string;
  /** The host header as sent (with a port when the endpoint has one). */
  host: string;
  /** The path as sent: segments already percent-encoded. */
  path: string;
  query: Readonly<Record<string, string>>;
  /** Headers other than the ones the signer adds; every `x-acs-*` and `content-type` among them is signed. */
  headers: Readonly<Record<string, string>>;
  body: Buffer;
}

export interface SignOptions {
  /** Epoch ms of `x-acs-date`. */
  now: number;
  /** `x-acs-signature-nonce`; fresh per request. */
  nonce?: string;
}

/** The lower-cased names the canonical request signs: `host`, `content-type` and every `x-acs-*`. */
function signed(headers: Readonly<Record<string, string>>): [string, string][] {
  const byName = new Map<string, string[]>();
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase();
    if (name === 'host' || name === 'content-type' || name.startsWith('x-acs-')) byName.set(name, [...(byName.get(name) ?? []), v.trim()]);
  }
  return [...byName.keys()].sort().map((name) => [name, (byName.get(name) ?? []).sort().join(',')]);
}

/** The canonical request of the V3 signature: method, URI, query, headers, signed header names, payload hash. */
function canonicalRequest(req: RequestToSign, payloadHash: string, headers: Readonly<Record<string, string>>): { text: string; signedHeaders: string } {
  const uri = req.path.replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
  const query = Object.keys(req.query)
    .sort()
    .map((k) => `${k}=${percentEncode(req.query[k] ?? '')}`)
    .join('&');
  const pairs = signed(headers);
  const signedHeaders = pairs.map(([name]) => name).join(';');
  const text = `${req.method.toUpperCase()}\n${uri}\n${query}\n${pairs.map(([n, v]) => `${n}:${v}\n`).join('')}\n${signedHeaders}\n${payloadHash}`;
  return { text, signedHeaders };
}

/**
 * The headers a signed request carries: the caller's, plus `host`, `x-acs-date`, `x-acs-signature-nonce`,
 * `x-acs-content-sha256`, for STS `x-acs-accesskey-id` and `x-acs-security-token`, and `Authorization`.
 */
export function signAcs3(req: RequestToSign, credentials: Credentials, options: SignOptions): Record<string, string> {
  const payloadHash = createHash('sha256').update(req.body).digest('hex');
  const headers: Record<string, string> = {
    ...req.headers,
    host: req.host,
    'x-acs-date': acsDate(options.now),
    'x-acs-signature-nonce': options.nonce ?? randomBytes(16).toString('hex'),
    'x-acs-content-sha256': payloadHash,
  };
  if (credentials.securityToken) {
    headers['x-acs-accesskey-id'] = credentials.accessKeyId;
    headers['x-acs-security-token'] = credentials.securityToken;
  }
  const { text, signedHeaders } = canonicalRequest(req, payloadHash, headers);
  const stringToSign = `${ACS3}\n${createHash('sha256').update(text).digest('hex')}`;
  const signature = createHmac('sha256', credentials.accessKeySecret).update(stringToSign).digest('hex');
  headers.Authorization = `${ACS3} Credential=${credentials.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
  return headers;
}
