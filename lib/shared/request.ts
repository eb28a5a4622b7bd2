/**
 * Field maps → a validated request: the rules both sides apply (the query function to what it decoded, the
 * caller library before any network call). Camel and Pascal names, merging of several sources, every problem
 * reported at once in field order. Pure: no I/O, no clock, no config.
 */
import { isRecord, printableName } from './guards';
import { type FieldIssue, type Failure, failure } from './errors';
import {
  compactPhoneNumber,
  type FindRequest,
  findRequestSchema,
  MAX_BATCH_ITEMS,
  type QueryRequest,
  REQUEST_FIELDS,
  type RequestField,
  requestSchema,
} from './schemas';

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

/** A hostile body can name thousands of unknown fields; the first few say enough. */
const MAX_ISSUES = 20;

/** A request with `subsId` is a single lookup; one without is a find (every binding of X). */
export type Validated =
  | { ok: true; kind: 'lookup'; request: QueryRequest }
  | { ok: true; kind: 'find'; request: FindRequest }
  | { ok: false; failure: Failure };

export function invalidRequest(issues: FieldIssue[]): { ok: false; failure: Failure } {
  return { ok: false, failure: failure('InvalidRequest', { issues }) };
}

export interface FieldSource {
  /** Prefix for issue paths: `query.`, `body.`, or '' for a direct payload. */
  where: string;
  fields: Record<string, unknown>;
  /** FC joins repeated query keys with commas: split them back (no field legitimately contains a comma). */
  commaJoined?: boolean;
}

/**
 * How a value compares to the same field given elsewhere: after the field's documented clean-up, so `123` and
 * `"123"`, or `+86 170…` and `170…`, agree. Only strings and numbers compare; anything else is undefined (and
 * simply invalid for these fields), so no value is ever walked or serialised, however deep.
 */
function comparable(field: RequestField, v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v !== 'string') return undefined;
  return field === 'phoneNoX' || field === 'phoneNoA' || field === 'phoneNoB' ? compactPhoneNumber(v) : v.trim();
}

/**
 * Validates a request object as a direct invocation would (camel or Pascal names, the same rules and
 * messages): what callers in other functions use before any network call.
 */
function validateRequestObject(input: unknown): Validated {
  return isRecord(input) ? validateSources([{ where: '', fields: input }]) : invalidRequest([{ path: 'request', message: 'must be an object' }]);
}

/** Every source's fields merged into one map by canonical field: unknown names, and fields given twice with different values. */
function mergeSources(sources: readonly FieldSource[]) {
  const issues: FieldIssue[] = [];
  const merged = new Map<RequestField, unknown>();
  const conflicted = new Set<RequestField>();
  for (const source of sources) {
    for (const [name, rawValue] of Object.entries(source.fields)) {
      const field = FIELD_BY_NAME.get(name);
      if (!field) {
        issues.push({ path: source.where + printableName(name), message: `unknown field; the fields are ${FIELD_LIST}` });
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
      if (merged.has(field)) {
        const before = comparable(field, merged.get(field));
        const now = comparable(field, value);
        // A non-scalar stays in place so that the schema names its type; two scalars must agree.
        if (before === undefined) continue;
        if (now !== undefined && now !== before) {
          conflicted.add(field);
          continue;
        }
        if (now !== undefined) continue;
      }
      merged.set(field, value);
    }
  }
  for (const field of conflicted) {
    issues.push({ path: field, message: 'given more than once with different values; give it once' });
    merged.delete(field);
  }
  return { issues, candidate: Object.fromEntries(merged) as Record<string, unknown>, conflicted };
}

/** The rules across fields: a lookup takes no A/B filter; exactly one of poolKey and productType. */
function crossFieldIssues(candidate: Record<string, unknown>, conflicted: ReadonlySet<string>, lookup: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const given = (f: RequestField) => isGiven(candidate[f]) || conflicted.has(f);
  if (lookup) {
    for (const filter of ['phoneNoA', 'phoneNoB'] as const) {
      if (given(filter)) issues.push({ path: filter, message: 'filters a find (a request without subsId); drop it or drop subsId' });
      delete candidate[filter];
    }
  }
  const hasPool = given('poolKey');
  const hasProduct = given('productType');
  if (hasPool && hasProduct) issues.push({ path: 'poolKey', message: 'give either poolKey or productType, not both' });
  else if (!hasPool && !hasProduct) issues.push({ path: 'poolKey', message: 'is required (legacy accounts give productType instead)' });
  return issues;
}

/** Merges every source into one field map, then validates it, reporting every problem at once. */
export function validateSources(sources: readonly FieldSource[]): Validated {
  const { issues, candidate, conflicted } = mergeSources(sources);
  // With a SubsId it is a single lookup, exactly as before finds existed; without, a find.
  const lookup = isGiven(candidate.subsId) || conflicted.has('subsId');
  const crossField = crossFieldIssues(candidate, conflicted, lookup);
  issues.push(...crossField.filter((i) => i.path !== 'poolKey'));
  const result = lookup ? requestSchema.safeParse(candidate) : findRequestSchema.safeParse(candidate);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map(String).join('.');
      // One issue per field: a value can break several checks, and the first says what to fix.
      if (!conflicted.has(path as RequestField) && !issues.some((i) => i.path === path)) issues.push({ path, message: issue.message });
    }
  }
  issues.push(...crossField.filter((i) => i.path === 'poolKey'));
  if (issues.length > 0 || !result.success) return invalidRequest(sortIssues(issues).slice(0, MAX_ISSUES));
  return lookup ? { ok: true, kind: 'lookup', request: result.data as QueryRequest } : { ok: true, kind: 'find', request: result.data };
}

/** A single lookup, as `client.query` sends it: a request without `subsId` is refused here, not turned into a find. */
export function validateLookup(input: unknown): { ok: true; request: QueryRequest } | { ok: false; failure: Failure } {
  const v = validateRequestObject(input);
  if (!v.ok) return v;
  if (v.kind !== 'lookup') return invalidRequest([{ path: 'subsId', message: 'is required (a request without it is a find)' }]);
  return { ok: true, request: v.request };
}

/** A find, as `client.find` sends it: a request with `subsId` is refused here. */
export function validateFind(input: unknown): { ok: true; request: FindRequest } | { ok: false; failure: Failure } {
  const v = validateRequestObject(input);
  if (!v.ok) return v;
  if (v.kind !== 'find') return invalidRequest([{ path: 'subsId', message: 'a find has no subsId; use query() for a single lookup' }]);
  return { ok: true, request: v.request };
}

function isGiven(v: unknown): boolean {
  return v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
}

const FIELD_ORDER: readonly string[] = Object.keys(REQUEST_FIELDS);

/** Stable order: fields in their documented order, then anything else (unknown names) as found. */
function sortIssues(issues: FieldIssue[]): FieldIssue[] {
  const rank = (p: string) => {
    const i = FIELD_ORDER.indexOf(p);
    return i === -1 ? FIELD_ORDER.length : i;
  };
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => rank(a.issue.path) - rank(b.issue.path) || a.i - b.i)
    .map((x) => x.issue);
}

/** One item of a batch: the single lookup it asks for, or why it cannot be one. */
export type BatchItem = { ok: true; request: QueryRequest } | { ok: false; failure: Failure };

/** The most requests per second a caller may ask a batch to keep to (`maxRps`); BATCH_MAX_RPS still caps it. */
export const MAX_BATCH_RPS = 1000;

/**
 * A batch payload, `{"queries": [ … ]}` with 1 to MAX_BATCH_ITEMS single lookups, and optionally `maxRps`: the
 * requests per second this batch may send (a caller running several batches at once shares one budget this
 * way). Whatever is wrong with the batch as a whole is one 400; an item that is wrong is its own 400 among the
 * others (each item is judged as a single direct lookup would be).
 */
export function validateBatch(
  input: Record<string, unknown>,
  where: string,
): { ok: true; items: BatchItem[]; maxRps: number | undefined } | { ok: false; failure: Failure } {
  const extra = Object.keys(input).filter((k) => k !== 'queries' && k !== 'maxRps');
  if (extra.length > 0) {
    return invalidRequest(
      extra
        .slice(0, MAX_ISSUES)
        .map((k) => ({ path: where + printableName(k), message: 'a batch is {"queries": [...], "maxRps"?: n}; give single-lookup fields inside each query' })),
    );
  }
  // JSON null says "not given", as for every request field.
  const maxRps = input.maxRps ?? undefined;
  if (maxRps !== undefined && (typeof maxRps !== 'number' || !Number.isInteger(maxRps) || maxRps < 1 || maxRps > MAX_BATCH_RPS)) {
    return invalidRequest([{ path: `${where}maxRps`, message: `must be an integer from 1 to ${MAX_BATCH_RPS} (requests per second)` }]);
  }
  const queries = input.queries;
  if (!Array.isArray(queries)) return invalidRequest([{ path: `${where}queries`, message: 'must be an array of single lookups' }]);
  if (queries.length === 0 || queries.length > MAX_BATCH_ITEMS) {
    return invalidRequest([{ path: `${where}queries`, message: `must hold 1 to ${MAX_BATCH_ITEMS} single lookups` }]);
  }
  return { ok: true, items: queries.map((q) => validateLookup(q)), maxRps };
}
