/**
 * A find: every binding of X, when nobody has the SubsId. QuerySubsId lists X's SubsIds (one comma-separated
 * string, empty when X has none); each is then looked up with QuerySubscriptionDetail, a few at a time, all
 * inside the invocation's one deadline, and only those whose A and B match the filters are kept.
 */
import { type Failure, failure } from '../shared/errors';
import { type BindingDetail, compactPhoneNumber, type FindData, type FindRequest, isSubsId } from '../shared/schemas';
import { type Answered, type Invocation, retried } from './invocation';
import { type Looked, lookup } from './lookup';
import { createPace } from './pace';

/** X's SubsIds as listed: trimmed, each once by its numeric value (`01010` is `1010`), only valid ones, in upstream order. */
function listedSubsIds(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const id = part.trim().replace(/^0+(?=\d)/, '');
    if (isSubsId(id)) seen.add(id);
  }
  return [...seen];
}

/** Decimal order of two SubsIds (digit strings without a sign): shorter is smaller, then by digits. */
function bySubsId(a: string | null, b: string | null): number {
  const x = a ?? '';
  const y = b ?? '';
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}

/** ACTIVE first, then the newest gmtCreate (none last), then SubsId ascending. */
function compareBindings(a: BindingDetail, b: BindingDetail): number {
  const active = Number(b.status === 'ACTIVE') - Number(a.status === 'ACTIVE');
  if (active !== 0) return active;
  // ISO 8601 with the same +08:00 offset: text order is time order.
  if (a.gmtCreate !== b.gmtCreate) {
    if (a.gmtCreate === null) return 1;
    // Stryker disable next-line ConditionalExpression: without it, a date compared with null is false, so -1 anyway.
    if (b.gmtCreate === null) return -1;
    // Stryker disable next-line EqualityOperator: equal dates never reach this line (the guard above).
    return a.gmtCreate < b.gmtCreate ? 1 : -1;
  }
  return bySubsId(a.subsId, b.subsId);
}

/** Whether a wanted number (already compact) matches a party's number; no filter matches anything. */
function matches(wanted: string | undefined, actual: string | null): boolean {
  return wanted === undefined || (actual !== null && compactPhoneNumber(actual) === wanted);
}

/** The lookups of a find, read into its answer: kept bindings, unresolved SubsIds, the first failure. */
function collect(request: FindRequest, wanted: readonly string[], results: readonly (Looked | undefined)[]) {
  const bindings: BindingDetail[] = [];
  const unresolved: FindData['unresolved'] = [];
  const detailRequestIds: string[] = [];
  let firstFailure: Failure | undefined;
  let resolved = 0;
  const unresolve = (subsId: string, f: Failure) => {
    firstFailure ??= f;
    unresolved.push({ subsId, error: { code: f.code, message: f.message, messageZh: f.messageZh, retryable: f.retryable } });
  };
  results.forEach((r, i) => {
    const subsId = wanted[i] ?? '';
    if (r === undefined) return unresolve(subsId, failure('UpstreamTimeout', { detail: 'The time budget ran out before this binding was looked up.' }));
    if (r.outcome.ok) {
      // Stryker disable next-line UpdateOperator: only "none resolved" (0) is read, and counting down from 0 is not 0 either.
      resolved++;
      if (r.outcome.requestId) detailRequestIds.push(r.outcome.requestId);
      // Stryker disable next-line OptionalChaining: `unmasked` is set whenever the outcome is ok.
      if (matches(request.phoneNoA, r.unmasked?.phoneNoA ?? null) && matches(request.phoneNoB, r.unmasked?.phoneNoB ?? null)) bindings.push(r.outcome.data);
      return;
    }
    // Bindings expire between the listing and the detail: one that is gone is simply not there any more.
    if (r.outcome.failure.code !== 'isv.SUBS_NOT_EXIST') unresolve(subsId, r.outcome.failure);
  });
  return { bindings: bindings.sort(compareBindings), unresolved, detailRequestIds, firstFailure, resolved };
}

export async function find(request: FindRequest, inv: Invocation): Promise<Answered<FindData>> {
  // One pace for every request of the find: the listing, each detail, every retry.
  const pace = createPace({ concurrency: inv.config.findConcurrency, perSecond: inv.config.findMaxRps, budget: inv.budget });
  const gate = () => pace.admit();
  const list = (timeoutMs: number) => inv.subsIds({ phoneNoX: request.phoneNoX, poolKey: request.poolKey }, inv.credentials, timeoutMs);
  const listing = await retried(inv, list, { gate });
  if (!listing.ok) return { outcome: { ok: false, failure: listing.failure }, summary: { listed: 0, found: 0, unresolved: 0, detailRequestIds: [] } };
  const listed = listedSubsIds(listing.value);
  const wanted = listed.slice(0, inv.config.findMaxBindings);

  const pool = request.poolKey === undefined ? { productType: request.productType } : { poolKey: request.poolKey };
  const results = await Promise.all(wanted.map((subsId) => pace.run(() => lookup({ ...pool, subsId, phoneNoX: request.phoneNoX }, inv, { gate }))));
  const c = collect(request, wanted, results);

  const summary = { listed: listed.length, found: c.bindings.length, unresolved: c.unresolved.length, detailRequestIds: c.detailRequestIds };
  // Nothing to show but failures: answer the first one, with its status, so that callers retry what is retryable.
  if (c.resolved === 0 && c.firstFailure) return { outcome: { ok: false, failure: c.firstFailure }, summary };
  const data = { phoneNoX: request.phoneNoX, bindings: c.bindings, listed: listed.length, truncated: listed.length > wanted.length, unresolved: c.unresolved };
  return { outcome: { ok: true, requestId: listing.requestId, data }, summary };
}
