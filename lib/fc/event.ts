/**
 * FC event bytes → what was asked: an HTTP-trigger event or a direct payload, its method, and its route (a
 * query, the OpenAPI document, or the first error in the documented order: 405, 413, 415, 400). 403 and 500
 * are the core's. Pure: no I/O, no clock, no config. Nothing here throws for any input, and nothing recurses
 * over the input's depth.
 */
import { isUtf8 } from 'node:buffer';
import { type FieldIssue, type Failure, failure } from '../shared/errors';
import type { FcEvent, FcHttpEvent } from '../shared/fc-types';
import { isRecord } from '../shared/guards';
import { type BatchItem, type FieldSource, invalidRequest, validateBatch, validateSources } from '../shared/request';
import type { FindRequest, QueryRequest } from '../shared/schemas';
import { jsonShapeProblem, type ShapeProblem } from '../shared/json-shape';

/** Largest accepted body (decoded bytes), for HTTP bodies and direct payloads alike. 16384 itself is allowed. */
export const MAX_BODY_BYTES = 16 * 1024;
/**
 * Largest v1 HTTP event that is parsed: a body within MAX_BODY_BYTES is at most 21,848 characters of base64, and
 * the headers and request context around it a few KiB. Anything larger is answered 413 from its length.
 */
const MAX_HTTP_EVENT_BYTES = 128 * 1024;

export const ALLOWED_METHODS = 'GET, POST';

/** Methods logged by name; anything else is logged as OTHER (the method is caller-controlled text). */
const KNOWN_METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT']);

export type Route =
  | { type: 'query'; request: QueryRequest }
  | { type: 'find'; request: FindRequest }
  | { type: 'batch'; items: BatchItem[]; maxRps: number | undefined }
  | { type: 'openapi' }
  | { type: 'error'; failure: Failure };

/** What the event is, before anything about the request is judged. */
type Recognised = { kind: 'http'; method: string; event: FcHttpEvent } | { kind: 'direct'; bytes: Buffer; parsed: Parsed };

export interface DecodedInvocation {
  /** `http` answers with an HTTP result object; `direct` with the bare envelope. */
  kind: 'http' | 'direct';
  /** A known upper-case method or `OTHER` (HTTP only), for the log. */
  method: string | undefined;
  route: Route;
}

type ErrorRoute = Extract<Route, { type: 'error' }>;

function error(f: Failure): ErrorRoute {
  return { type: 'error', failure: f };
}

function invalid(issues: FieldIssue[]): ErrorRoute {
  return error(invalidRequest(issues).failure);
}

/** FC always passes a Buffer; dev tools and tests may pass a string, and a missing event is an empty payload. */
function toBuffer(event: FcEvent | null | undefined): Buffer {
  if (Buffer.isBuffer(event)) return event;
  if (typeof event === 'string') return Buffer.from(event, 'utf8');
  if (event instanceof Uint8Array) return Buffer.from(event.buffer, event.byteOffset, event.byteLength);
  return Buffer.alloc(0);
}

type Parsed =
  | { ok: true; value: unknown }
  | { ok: false; reason: 'utf8' }
  | { ok: false; reason: 'json' }
  | { ok: false; reason: 'shape'; problem: ShapeProblem };

const BOM = '\ufeff';

/** UTF-8 JSON with its shape checked before JSON.parse sees it. A leading byte-order mark is ignored (RFC 8259 §8.1). */
function parseJson(bytes: Buffer): Parsed {
  if (!isUtf8(bytes)) return { ok: false, reason: 'utf8' };
  let text = bytes.toString('utf8');
  if (text.startsWith(BOM)) text = text.slice(1);
  const problem = jsonShapeProblem(text);
  if (problem) return { ok: false, reason: 'shape', problem };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'json' };
  }
}

/** The issue for JSON that could not be used, at `where` (`event` or `body`). */
function unparsedIssue(parsed: Exclude<Parsed, { ok: true }>, where: 'event' | 'body'): FieldIssue {
  const what = where === 'event' ? 'payload' : 'body';
  if (parsed.reason === 'utf8') return { path: where, message: `the ${what} is not valid UTF-8` };
  if (parsed.reason === 'json')
    return { path: where, message: where === 'event' ? 'the payload is not valid JSON; send a JSON object' : 'the body is not valid JSON' };
  if (parsed.problem.kind === 'depth') return { path: where, message: `the ${what} is nested too deeply` };
  const at = where === 'event' ? parsed.problem.path : `body.${parsed.problem.path}`;
  return { path: at, message: 'this key appears twice in one object; give it once' };
}

/** True for the v1 HTTP event of an HTTP trigger (also how FC wraps InvokeFunction on HTTP-triggered functions). */
function isHttpEvent(v: unknown): v is FcHttpEvent {
  return isRecord(v) && v.version === 'v1' && isRecord(v.requestContext) && isRecord(v.requestContext.http);
}

/** Tells an HTTP-trigger event from a direct payload. */
function recognise(bytes: Buffer): Recognised {
  const parsed = parseJson(bytes);
  if (parsed.ok && isHttpEvent(parsed.value)) {
    const raw = parsed.value.requestContext.http.method;
    // Not String(raw): an object with its own toString key would throw; a non-string method is just unknown.
    const method = typeof raw === 'string' ? raw.toUpperCase() : '';
    return { kind: 'http', method, event: parsed.value };
  }
  return { kind: 'direct', bytes, parsed };
}

/** The method as it may appear in a log line. */
function loggableMethod(method: string): string {
  return KNOWN_METHODS.has(method) ? method : 'OTHER';
}

/** Decides the route of a recognised event. */
function routeOf(r: Recognised): Route {
  return r.kind === 'http' ? decodeHttp(r.event, r.method) : decodeDirect(r.bytes, r.parsed);
}

const VERSION_KEY = Buffer.from('version');
const REQUEST_CONTEXT_KEY = Buffer.from('requestContext');

/**
 * Whether the top level of a JSON text has the keys of a v1 HTTP event (`version`, `requestContext`): one pass
 * over the bytes, allocating nothing, so an event of any size is judged without parsing it.
 */
function hasHttpEventKeys(bytes: Buffer): boolean {
  let version = false;
  let requestContext = false;
  const isKey = (name: Buffer, start: number, end: number) => end - start === name.length && bytes.compare(name, 0, name.length, start, end) === 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expectKey = false;
  let keyStart = -1;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) {
        inString = false;
        if (keyStart >= 0) {
          version ||= isKey(VERSION_KEY, keyStart, i);
          requestContext ||= isKey(REQUEST_CONTEXT_KEY, keyStart, i);
          if (version && requestContext) return true;
        }
        keyStart = -1;
      }
    } else if (c === 0x22) {
      inString = true;
      keyStart = expectKey ? i + 1 : -1;
      expectKey = false;
    } else if (c === 0x7b || c === 0x5b) expectKey = ++depth === 1 && c === 0x7b;
    else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x2c) expectKey = depth === 1;
  }
  return false;
}

/** An event over the size limits, answered 413 from its length and its top-level keys, before any parsing. */
function oversized(bytes: Buffer): DecodedInvocation | undefined {
  if (bytes.length <= MAX_BODY_BYTES) return undefined;
  if (!hasHttpEventKeys(bytes)) return { kind: 'direct', method: undefined, route: error(failure('PayloadTooLarge')) };
  if (bytes.length <= MAX_HTTP_EVENT_BYTES) return undefined;
  return { kind: 'http', method: undefined, route: error(failure('PayloadTooLarge', { detail: 'The HTTP request is larger than 128 KiB.' })) };
}

/** Decodes one invocation. Never throws for any input bytes. */
export function decodeInvocation(event: FcEvent | null | undefined): DecodedInvocation {
  const bytes = toBuffer(event);
  const tooLarge = oversized(bytes);
  if (tooLarge) return tooLarge;
  const r = recognise(bytes);
  return { kind: r.kind, method: r.kind === 'http' ? loggableMethod(r.method) : undefined, route: routeOf(r) };
}

function fromValidated(v: ReturnType<typeof validateSources>): Route {
  if (!v.ok) return error(v.failure);
  return v.kind === 'lookup' ? { type: 'query', request: v.request } : { type: 'find', request: v.request };
}

function batchRoute(fields: Record<string, unknown>, where: string): Route {
  const v = validateBatch(fields, where);
  return v.ok ? { type: 'batch', items: v.items, maxRps: v.maxRps } : error(v.failure);
}

/** A direct payload (InvokeFunction or `s invoke` on a function without an HTTP trigger): the request object itself. */
function decodeDirect(bytes: Buffer, parsed: Parsed): Route {
  if (bytes.length > MAX_BODY_BYTES) return error(failure('PayloadTooLarge'));
  if (!parsed.ok) return invalid([unparsedIssue(parsed, 'event')]);
  if (!isRecord(parsed.value)) return invalid([{ path: 'event', message: 'the payload must be a JSON object' }]);
  if ('queries' in parsed.value) return batchRoute(parsed.value, '');
  return fromValidated(validateSources([{ where: '', fields: parsed.value }]));
}

/** A header's value, in any letter case of its name; `null` when it is there but not a string (FC sends strings). */
function header(headers: unknown, name: string): string | undefined | null {
  if (!isRecord(headers)) return undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === wanted) return typeof v === 'string' ? v : null;
  }
  return undefined;
}

function decodeHttp(event: FcHttpEvent, method: string): Route {
  const rawPath: unknown = event.rawPath;
  const decodedPath: unknown = event.requestContext.http.path;
  const path = typeof rawPath === 'string' ? rawPath : typeof decodedPath === 'string' ? decodedPath : '';
  if (path.endsWith('/openapi.json')) {
    if (method !== 'GET') return error(failure('MethodNotAllowed', { detail: 'The OpenAPI document is served to GET only.', allow: 'GET' }));
    return { type: 'openapi' };
  }
  if (method !== 'GET' && method !== 'POST') return error(failure('MethodNotAllowed', { allow: ALLOWED_METHODS }));

  const query = isRecord(event.queryParameters) ? event.queryParameters : {};
  if ('queries' in query) return invalid([{ path: 'query.queries', message: 'send a batch as the JSON body of a POST: {"queries": [...]}' }]);
  const sources: FieldSource[] = [{ where: 'query.', fields: query, commaJoined: true }];
  // A GET's body has no defined meaning (RFC 9110), so it is ignored rather than guessed at.
  if (method === 'POST') {
    const body = decodeBody(event);
    if ('type' in body) return body;
    if (body.fields && 'queries' in body.fields) {
      const mixed = Object.keys(query);
      if (mixed.length > 0)
        return invalid(mixed.slice(0, 20).map((k) => ({ path: `query.${k}`, message: 'a batch takes no query-string fields; give them inside each query' })));
      return batchRoute(body.fields, 'body.');
    }
    if (body.fields) sources.push({ where: 'body.', fields: body.fields });
  }
  return fromValidated(validateSources(sources));
}

/** Strict base64 (what FC sends for binary bodies): anything else would decode to a silently different body. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBody(event: FcHttpEvent): { fields: Record<string, unknown> | undefined } | ErrorRoute {
  const raw = typeof event.body === 'string' ? event.body : '';
  let bytes: Buffer;
  if (event.isBase64Encoded === true) {
    // Checked by length first: 16 KiB of body is at most 21848 base64 characters.
    if (raw.length <= Math.ceil(MAX_BODY_BYTES / 3) * 4 && (raw.length % 4 !== 0 || !BASE64.test(raw))) {
      return invalid([{ path: 'body', message: 'the body is marked base64 but is not valid base64' }]);
    }
    bytes = Buffer.from(raw, 'base64');
  } else {
    bytes = Buffer.from(raw, 'utf8');
  }
  if (bytes.length > MAX_BODY_BYTES) return error(failure('PayloadTooLarge'));
  // An empty body carries nothing to interpret, whatever its declared type: the fields come from the query.
  if (bytes.length === 0) return { fields: undefined };

  const contentType = header(event.headers, 'content-type');
  if (contentType === null) return invalid([{ path: 'headers.Content-Type', message: 'must be a string' }]);
  const [media = '', ...parameters] = (contentType ?? '').split(';');
  const mediaType = media.trim().toLowerCase();
  const declaredJson = mediaType === 'application/json';
  // InvokeFunction payloads arrive with no type or as octet-stream: accept them when they are JSON.
  const sniffable = mediaType === '' || mediaType === 'application/octet-stream';
  if (!declaredJson && !sniffable) return error(failure('UnsupportedMediaType', { detail: `Got ${describeMediaType(mediaType)}.` }));
  const charset = parameters
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"(.*)"$/, '$1');
  // JSON is UTF-8 (RFC 8259 §8.1): a body declared in another charset would be read as something else.
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return error(failure('UnsupportedMediaType', { detail: 'Send the body in UTF-8 (charset=utf-8 or none).' }));
  }
  const parsed = parseJson(bytes);
  if (!parsed.ok) {
    if (sniffable && parsed.reason !== 'shape') return error(failure('UnsupportedMediaType', { detail: 'The body is not JSON.' }));
    return invalid([unparsedIssue(parsed, 'body')]);
  }
  if (!isRecord(parsed.value)) return invalid([{ path: 'body', message: 'the body must be a JSON object' }]);
  return { fields: parsed.value };
}

/** Names the media type for the error message without echoing arbitrary header bytes. */
function describeMediaType(mediaType: string): string {
  return /^[a-z0-9.+-]{1,64}\/[a-z0-9.+-]{1,64}$/.test(mediaType) ? mediaType : 'an unsupported content type';
}
