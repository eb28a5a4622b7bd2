/**
 * Event bytes → a validated query, or the first error in the documented order:
 * 405, 413, 415, 400 (unparseable, then every invalid field), leaving 403 and 500 to the core.
 * Pure functions: no I/O, no clock, no config.
 */
import { isUtf8 } from 'node:buffer';
import { type FieldIssue, localError, type QueryError } from './errors';
import type { FcEvent, FcHttpEvent } from './fc-types';
import { type QueryRequest, REQUEST_FIELDS, type RequestField, requestSchema } from './schemas';

/** Largest accepted body (decoded bytes), for HTTP bodies and direct payloads alike. 16384 itself is allowed. */
export const MAX_BODY_BYTES = 16 * 1024;

export const ALLOWED_METHODS = 'GET, POST';

export type Route = { type: 'query'; request: QueryRequest } | { type: 'openapi' } | { type: 'error'; error: QueryError };

export interface DecodedInvocation {
  /** `http` answers with an HTTP result object; `direct` with the bare envelope. */
  kind: 'http' | 'direct';
  /** Upper-case method (HTTP only), for the log. */
  method: string | undefined;
  route: Route;
}


/** Camel and Pascal names → the camelCase field. A Map, so keys such as `__proto__` are just unknown names. */
const FIELD_BY_NAME = new Map<string, RequestField>(
  (Object.entries(REQUEST_FIELDS) as [RequestField, string][]).flatMap(([camel, pascal]) => [
    [camel, camel],
    [pascal, camel],
  ]),
);

const FIELD_LIST = Object.entries(REQUEST_FIELDS)
  .map(([camel, pascal]) => `${camel} (${pascal})`)
  .join(', ');

type ErrorRoute = Extract<Route, { type: 'error' }>;

function invalid(issues: FieldIssue[]): ErrorRoute {
  return { type: 'error', error: localError('InvalidRequest', { issues }) };
}

/** FC always passes a Buffer; local tools and tests may pass a string, and a missing event is an empty payload. */
function toBuffer(event: FcEvent | null | undefined): Buffer {
  if (Buffer.isBuffer(event)) return event;
  if (typeof event === 'string') return Buffer.from(event, 'utf8');
  if (event instanceof Uint8Array) return Buffer.from(event.buffer, event.byteOffset, event.byteLength);
  return Buffer.alloc(0);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function parseJson(bytes: Buffer): { ok: true; value: Json } | { ok: false; reason: 'utf8' | 'json' } {
  if (!isUtf8(bytes)) return { ok: false, reason: 'utf8' };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) as Json };
  } catch {
    return { ok: false, reason: 'json' };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True for the v1 HTTP event of an HTTP trigger (also how FC wraps InvokeFunction on HTTP-triggered functions). */
function isHttpEvent(v: unknown): v is FcHttpEvent {
  return isObject(v) && v.version === 'v1' && isObject(v.requestContext) && isObject(v.requestContext.http);
}

/** Decodes one invocation. Never throws for any input bytes. */
export function decodeInvocation(event: FcEvent | null | undefined): DecodedInvocation {
  const bytes = toBuffer(event);
  const parsed = parseJson(bytes);
  if (parsed.ok && isHttpEvent(parsed.value)) {
    const method = String(parsed.value.requestContext.http.method ?? '').toUpperCase();
    return { kind: 'http', method, route: decodeHttp(parsed.value, method) };
  }
  return { kind: 'direct', method: undefined, route: decodeDirect(bytes, parsed) };
}

/** A direct payload (`s invoke -e`, InvokeFunction): the request object itself. */
function decodeDirect(bytes: Buffer, parsed: ReturnType<typeof parseJson>): Route {
  if (bytes.length > MAX_BODY_BYTES) return { type: 'error', error: localError('PayloadTooLarge') };
  if (!parsed.ok) {
    return invalid([
      { path: 'event', message: parsed.reason === 'utf8' ? 'the payload is not valid UTF-8' : 'the payload is not valid JSON; send a JSON object' },
    ]);
  }
  if (!isObject(parsed.value)) return invalid([{ path: 'event', message: 'the payload must be a JSON object' }]);
  return validate([{ where: '', fields: parsed.value }]);
}

function header(headers: unknown, name: string): string | undefined {
  if (!isObject(headers)) return undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === wanted && typeof v === 'string') return v;
  }
  return undefined;
}

function decodeHttp(event: FcHttpEvent, method: string): Route {
  const path = typeof event.rawPath === 'string' ? event.rawPath : String(event.requestContext.http.path ?? '');
  if (path.endsWith('/openapi.json')) {
    if (method !== 'GET') return { type: 'error', error: localError('MethodNotAllowed', { detail: 'The OpenAPI document is served to GET only.', allow: 'GET' }) };
    return { type: 'openapi' };
  }
  if (method !== 'GET' && method !== 'POST') return { type: 'error', error: localError('MethodNotAllowed') };

  const query = isObject(event.queryParameters) ? event.queryParameters : {};
  const sources: FieldSource[] = [{ where: 'query.', fields: query, commaJoined: true }];
  // A GET's body has no defined meaning (RFC 9110), so it is ignored rather than guessed at.
  if (method === 'POST') {
    const body = decodeBody(event);
    if ('error' in body) return body;
    if (body.fields) sources.push({ where: 'body.', fields: body.fields });
  }
  return validate(sources);
}

function decodeBody(event: FcHttpEvent): { fields: Record<string, unknown> | undefined } | ErrorRoute {
  const raw = typeof event.body === 'string' ? event.body : '';
  const bytes = event.isBase64Encoded === true ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) return { type: 'error', error: localError('PayloadTooLarge') };
  // An empty body carries nothing to interpret, whatever its declared type: the fields come from the query.
  if (bytes.length === 0) return { fields: undefined };

  const contentType = header(event.headers, 'content-type');
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  const declaredJson = mediaType === 'application/json';
  // InvokeFunction payloads arrive with no type or as octet-stream: accept them when they are JSON.
  const sniffable = mediaType === '' || mediaType === 'application/octet-stream';
  if (!declaredJson && !sniffable) {
    return { type: 'error', error: localError('UnsupportedMediaType', { detail: `Got ${describeMediaType(mediaType)}.` }) };
  }
  const parsed = parseJson(bytes);
  if (!parsed.ok) {
    if (sniffable) return { type: 'error', error: localError('UnsupportedMediaType', { detail: 'The body is not JSON.' }) };
    return invalid([
      { path: 'body', message: parsed.reason === 'utf8' ? 'the body is not valid UTF-8' : 'the body is not valid JSON' },
    ]);
  }
  if (!isObject(parsed.value)) return invalid([{ path: 'body', message: 'the body must be a JSON object' }]);
  return { fields: parsed.value };
}

/** Names the media type for the error message without echoing arbitrary header bytes. */
function describeMediaType(mediaType: string): string {
  return /^[a-z0-9.+-]{1,64}\/[a-z0-9.+-]{1,64}$/.test(mediaType) ? mediaType : 'an unsupported content type';
}

interface FieldSource {
  /** Prefix for issue paths: `query.`, `body.`, or '' for a direct payload. */
  where: string;
  fields: Record<string, unknown>;
  /** FC joins repeated query keys with commas: split them back (no field legitimately contains a comma). */
  commaJoined?: boolean;
}

/** How a value compares to the same field given elsewhere: digits as text, so `123` and `"123"` agree. */
function comparable(v: unknown): string {
  return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : JSON.stringify(v) ?? 'undefined';
}

/**
 * Validates a request object as a direct invocation would (camel or Pascal names, the same rules and
 * messages): what callers in other functions use before any network call.
 */
export function validateRequestObject(input: unknown): { ok: true; request: QueryRequest } | { ok: false; error: QueryError } {
  const route = isObject(input) ? validate([{ where: '', fields: input }]) : invalid([{ path: 'request', message: 'must be an object' }]);
  return route.type === 'query' ? { ok: true, request: route.request } : { ok: false, error: (route as ErrorRoute).error };
}

/** Merges every source into one field map, then validates it, reporting every problem at once. */
function validate(sources: FieldSource[]): Route {
  const issues: FieldIssue[] = [];
  const merged = new Map<RequestField, unknown>();
  const conflicted = new Set<RequestField>();

  for (const source of sources) {
    for (const [name, rawValue] of Object.entries(source.fields)) {
      const field = FIELD_BY_NAME.get(name);
      if (!field) {
        issues.push({ path: source.where + safeName(name), message: `unknown field; the fields are ${FIELD_LIST}` });
        continue;
      }
      // JSON null says "not given", as an absent key does.
      if (rawValue === null) continue;
      let value = rawValue;
      if (source.commaJoined && typeof value === 'string' && value.includes(',')) {
        const parts = new Set(value.split(',').map((p) => p.trim()));
        if (parts.size > 1) {
          conflicted.add(field);
          continue;
        }
        value = [...parts][0];
      }
      if (merged.has(field) && comparable(merged.get(field)) !== comparable(value)) {
        conflicted.add(field);
        continue;
      }
      merged.set(field, value);
    }
  }
  for (const field of conflicted) {
    issues.push({ path: field, message: 'given more than once with different values; give it once' });
    merged.delete(field);
  }

  const candidate = Object.fromEntries(merged);
  const result = requestSchema.safeParse(candidate);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map(String).join('.');
      // One issue per field: a value can break several checks, and the first says what to fix.
      if (!conflicted.has(path as RequestField) && !issues.some((i) => i.path === path)) issues.push({ path, message: issue.message });
    }
  }

  const hasPool = isGiven(candidate.poolKey) || conflicted.has('poolKey');
  const hasProduct = isGiven(candidate.productType) || conflicted.has('productType');
  if (hasPool && hasProduct) {
    issues.push({ path: 'poolKey', message: 'give either poolKey or productType, not both' });
  } else if (!hasPool && !hasProduct) {
    issues.push({ path: 'poolKey', message: 'is required (legacy accounts give productType instead)' });
  }

  if (issues.length > 0 || !result.success) return invalid(sortIssues(issues).slice(0, MAX_ISSUES));
  return { type: 'query', request: result.data as QueryRequest };
}

function isGiven(v: unknown): boolean {
  return v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
}

/** Field names echo into the error body: keep them short and printable. */
function safeName(name: string): string {
  const printable = name.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 64 ? `${printable.slice(0, 64)}…` : printable;
}

/** A hostile body can name thousands of unknown fields; the first few say enough. */
const MAX_ISSUES = 20;

const FIELD_ORDER: readonly string[] = Object.keys(REQUEST_FIELDS);

/** Stable order: fields in their documented order, then anything else (unknown names) as found. */
function sortIssues(issues: FieldIssue[]): FieldIssue[] {
  const rank = (p: string) => {
    const i = FIELD_ORDER.indexOf(p);
    return i === -1 ? FIELD_ORDER.length : i;
  };
  return issues.map((issue, i) => ({ issue, i })).sort((a, b) => rank(a.issue.path) - rank(b.issue.path) || a.i - b.i).map((x) => x.issue);
}
