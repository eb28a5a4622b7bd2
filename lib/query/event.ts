/**
 * FC event bytes → what was asked: an HTTP-trigger event or a direct payload, its method, and its route (a
 * query, the OpenAPI document, or the first error in the documented order: 405, 413, 415, 400). 403 and 500
 * are the core's. Pure: no I/O, no clock, no config.
 */
import { isUtf8 } from 'node:buffer';
import { type Failure, failure } from '../shared/errors';
import type { FcEvent, FcHttpEvent } from '../shared/fc-types';
import { type FieldSource, invalidRequest, validateSources } from '../shared/request';
import type { QueryRequest } from '../shared/schemas';

/** Largest accepted body (decoded bytes), for HTTP bodies and direct payloads alike. 16384 itself is allowed. */
export const MAX_BODY_BYTES = 16 * 1024;

export const ALLOWED_METHODS = 'GET, POST';

export type Route = { type: 'query'; request: QueryRequest } | { type: 'openapi' } | { type: 'error'; failure: Failure };

export interface DecodedInvocation {
  /** `http` answers with an HTTP result object; `direct` with the bare envelope. */
  kind: 'http' | 'direct';
  /** Upper-case method (HTTP only), for the log. */
  method: string | undefined;
  route: Route;
}

type ErrorRoute = Extract<Route, { type: 'error' }>;

function error(f: Failure): ErrorRoute {
  return { type: 'error', failure: f };
}

function invalid(issues: { path: string; message: string }[]): ErrorRoute {
  return error(invalidRequest(issues).failure);
}

/** FC always passes a Buffer; dev tools and tests may pass a string, and a missing event is an empty payload. */
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

function fromValidated(v: ReturnType<typeof validateSources>): Route {
  return v.ok ? { type: 'query', request: v.request } : error(v.failure);
}

/** A direct payload (`s invoke -e`, InvokeFunction): the request object itself. */
function decodeDirect(bytes: Buffer, parsed: ReturnType<typeof parseJson>): Route {
  if (bytes.length > MAX_BODY_BYTES) return error(failure('PayloadTooLarge'));
  if (!parsed.ok) {
    return invalid([
      { path: 'event', message: parsed.reason === 'utf8' ? 'the payload is not valid UTF-8' : 'the payload is not valid JSON; send a JSON object' },
    ]);
  }
  if (!isObject(parsed.value)) return invalid([{ path: 'event', message: 'the payload must be a JSON object' }]);
  return fromValidated(validateSources([{ where: '', fields: parsed.value }]));
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
    if (method !== 'GET') return error(failure('MethodNotAllowed', { detail: 'The OpenAPI document is served to GET only.', allow: 'GET' }));
    return { type: 'openapi' };
  }
  if (method !== 'GET' && method !== 'POST') return error(failure('MethodNotAllowed', { allow: ALLOWED_METHODS }));

  const query = isObject(event.queryParameters) ? event.queryParameters : {};
  const sources: FieldSource[] = [{ where: 'query.', fields: query, commaJoined: true }];
  // A GET's body has no defined meaning (RFC 9110), so it is ignored rather than guessed at.
  if (method === 'POST') {
    const body = decodeBody(event);
    if ('type' in body) return body;
    if (body.fields) sources.push({ where: 'body.', fields: body.fields });
  }
  return fromValidated(validateSources(sources));
}

function decodeBody(event: FcHttpEvent): { fields: Record<string, unknown> | undefined } | ErrorRoute {
  const raw = typeof event.body === 'string' ? event.body : '';
  const bytes = event.isBase64Encoded === true ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) return error(failure('PayloadTooLarge'));
  // An empty body carries nothing to interpret, whatever its declared type: the fields come from the query.
  if (bytes.length === 0) return { fields: undefined };

  const contentType = header(event.headers, 'content-type');
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  const declaredJson = mediaType === 'application/json';
  // InvokeFunction payloads arrive with no type or as octet-stream: accept them when they are JSON.
  const sniffable = mediaType === '' || mediaType === 'application/octet-stream';
  if (!declaredJson && !sniffable) return error(failure('UnsupportedMediaType', { detail: `Got ${describeMediaType(mediaType)}.` }));
  const parsed = parseJson(bytes);
  if (!parsed.ok) {
    if (sniffable) return error(failure('UnsupportedMediaType', { detail: 'The body is not JSON.' }));
    return invalid([{ path: 'body', message: parsed.reason === 'utf8' ? 'the body is not valid UTF-8' : 'the body is not valid JSON' }]);
  }
  if (!isObject(parsed.value)) return invalid([{ path: 'body', message: 'the body must be a JSON object' }]);
  return { fields: parsed.value };
}

/** Names the media type for the error message without echoing arbitrary header bytes. */
function describeMediaType(mediaType: string): string {
  return /^[a-z0-9.+-]{1,64}\/[a-z0-9.+-]{1,64}$/.test(mediaType) ? mediaType : 'an unsupported content type';
}
