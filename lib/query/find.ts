/**
 * A find: every binding of X, when nobody has the SubsId. QuerySubsId lists X's SubsIds (one comma-separated
 * string, empty when X has none); each is then looked up with QuerySubscriptionDetail, a few at a time, all
 * inside the invocation's one deadline, and only those whose A and B match the filters are kept.
 */
import type { Outcome } from '../shared/envelope';
import { type Failure, failure } from '../shared/errors';
import { type BindingDetail, compactPhoneNumber, type FindData, type FindRequest, isSubsId } from '../shared/schemas';
import { lookup, type LookupContext, retried } from './lookup';
import { createPace } from './pace';
import type { SubsIdCall } from './upstream';

/** X's SubsIds as listed: trimmed, each once, only valid ones, in upstream order. */
export function listedSubsIds(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const id = part.trim();
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
export function compareBindings(a: BindingDetail, b: BindingDetail): number {
  const active = Number(b.status === 'ACTIVE') - Number(a.status === 'ACTIVE');
  if (active !== 0) return active;
  // ISO 8601 with the same +08:00 offset: text order is time order.
  if (a.gmtCreate !== b.gmtCreate) {
    if (a.gmtCreate === null) return 1;
    if (b.gmtCreate === null) return -1;
    return a.gmtCreate < b.gmtCreate ? 1 : -1;
  }
  return bySubsId(a.subsId, b.subsId);
}

export interface FindSummary {
  listed: number;
  found: number;
  unresolved: number;
  detailRequestIds: string[];
}

export async function find(request: FindRequest, ctx: LookupContext, subsIds: SubsIdCall, summary: FindSummary): Promise<Outcome<FindData>> {
  const listedAttempt = await retried(ctx, (timeoutMs) => subsIds({ phoneNoX: request.phoneNoX, poolKey: request.poolKey }, ctx.credentials, timeoutMs));
  if (!listedAttempt.ok) return { ok: false, failure: listedAttempt.failure };
  const listed = listedSubsIds(listedAttempt.value);
  const wanted = listed.slice(0, ctx.config.findMaxBindings);
  summary.listed = listed.length;

  const pace = createPace({ concurrency: ctx.config.findConcurrency, perSecond: 0, deadline: ctx.deadline, now: ctx.now, sleep: ctx.sleep });
  const pool = request.poolKey === undefined ? { productType: request.productType } : { poolKey: request.poolKey };
  const results = await Promise.all(wanted.map((subsId) => pace.run(() => lookup({ ...pool, subsId, phoneNoX: request.phoneNoX }, ctx))));

  const matches = (wantedNumber: string | undefined, actual: string | null) =>
    wantedNumber === undefined || (actual !== null && compactPhoneNumber(actual) === wantedNumber);
  const bindings: BindingDetail[] = [];
  const unresolved: FindData['unresolved'] = [];
  let firstFailure: Outcome<never> | undefined;
  let resolved = 0;
  const unresolve = (subsId: string, f: Failure) => {
    firstFailure ??= { ok: false, failure: f };
    unresolved.push({ subsId, error: { code: f.code, message: f.message, messageZh: f.messageZh, retryable: f.retryable } });
  };
  results.forEach((r, i) => {
    const subsId = wanted[i] ?? '';
    if (r === undefined) {
      unresolve(subsId, failure('UpstreamTimeout', { detail: 'The time budget ran out before this binding was looked up.' }));
      return;
    }
    if (r.outcome.ok) {
      resolved++;
      if (r.outcome.requestId) summary.detailRequestIds.push(r.outcome.requestId);
      if (matches(request.phoneNoA, r.unmasked?.phoneNoA ?? null) && matches(request.phoneNoB, r.unmasked?.phoneNoB ?? null)) bindings.push(r.outcome.data);
      return;
    }
    // Bindings expire between the listing and the detail: one that is gone is simply not there any more.
    if (r.outcome.failure.code !== 'isv.SUBS_NOT_EXIST') unresolve(subsId, r.outcome.failure);
  });
  summary.found = bindings.length;
  summary.unresolved = unresolved.length;
  // Nothing to show but failures: answer the first one, with its status, so that callers retry what is retryable.
  if (resolved === 0 && firstFailure) return firstFailure;
  bindings.sort(compareBindings);
  return {
    ok: true,
    requestId: listedAttempt.requestId,
    data: { phoneNoX: request.phoneNoX, bindings, listed: listed.length, truncated: listed.length > wanted.length, unresolved },
  };
}
