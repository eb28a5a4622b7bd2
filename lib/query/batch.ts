/**
 * A batch: up to 100 single lookups in one invocation, each answered as a single lookup of it would be, inside
 * the account's rate limit. Identical items are looked up once. At most BATCH_CONCURRENCY run at a time and at
 * most BATCH_MAX_RPS start per second; a throttling answer halves the concurrency and pauses every start, and
 * each throttled item is tried once more after the pause. An item that cannot start before the deadline answers
 * NotAttempted, so a caller can resubmit just those.
 */
import { envelopeOf, type Outcome, statusOf } from '../shared/envelope';
import { failure } from '../shared/errors';
import type { BatchItem } from '../shared/request';
import type { BatchData, BatchResult, BindingDetail, QueryRequest } from '../shared/schemas';
import { lookup, type LookupContext } from './lookup';
import { createPace } from './pace';

/** How long a batch holds its starts after a throttling answer: Dyplsapi's limit is per second. */
export const THROTTLE_PAUSE_MS = 500;

export interface BatchSummary {
  items: number;
  unique: number;
  byStatus: Record<string, number>;
  pauses: number;
  throttled: number;
}

function keyOf(r: QueryRequest): string {
  return JSON.stringify([r.poolKey ?? '', r.productType ?? '', r.subsId, r.phoneNoX]);
}

export async function batch(
  items: readonly BatchItem[],
  ctx: LookupContext,
  allowed: (request: QueryRequest) => boolean,
  summary: BatchSummary,
): Promise<Outcome<BatchData>> {
  const pace = createPace({
    concurrency: ctx.config.batchConcurrency,
    perSecond: ctx.config.batchMaxRps,
    deadline: ctx.deadline,
    now: ctx.now,
    sleep: ctx.sleep,
  });

  async function one(request: QueryRequest): Promise<Outcome<BindingDetail>> {
    if (!allowed(request)) return { ok: false, failure: failure('PoolKeyNotAllowed') };
    // Throttling is the batch's to handle: slow down first, then try the item once more.
    const first = await pace.run(() => lookup(request, ctx, { retryThrottle: false }));
    if (first === undefined) return { ok: false, failure: failure('NotAttempted') };
    if (first.outcome.ok || first.outcome.failure.status !== 429) return first.outcome;
    summary.throttled++;
    pace.slowDown(THROTTLE_PAUSE_MS);
    const second = await pace.run(() => lookup(request, ctx, { retryThrottle: false }));
    return second?.outcome ?? first.outcome;
  }

  const byKey = new Map<string, Promise<Outcome<BindingDetail>>>();
  const answers = items.map((item) => {
    if (!item.ok) return Promise.resolve<Outcome<BindingDetail>>({ ok: false, failure: item.failure });
    const key = keyOf(item.request);
    let pending = byKey.get(key);
    if (!pending) {
      pending = one(item.request);
      byKey.set(key, pending);
    }
    return pending;
  });
  const outcomes = await Promise.all(answers);

  const results: BatchResult[] = outcomes.map((outcome, index) => {
    const status = statusOf(outcome);
    summary.byStatus[status] = (summary.byStatus[status] ?? 0) + 1;
    ctx.log.debug('batch item', { index, status, errorCode: outcome.ok ? null : outcome.failure.code });
    return { status, ...envelopeOf(outcome) };
  });
  summary.items = items.length;
  summary.unique = byKey.size;
  summary.pauses = pace.stats.pauses;
  const ok = results.filter((r) => r.ok).length;
  return { ok: true, requestId: null, data: { results, counts: { ok, failed: results.length - ok } } };
}
