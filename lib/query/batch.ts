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
import { type Answered, type Invocation, poolAllowed } from './invocation';
import { lookup } from './lookup';
import { createPace } from './pace';

/** How long a batch holds its starts after a throttling answer: Dyplsapi's limit is per second. */
const THROTTLE_PAUSE_MS = 500;

function keyOf(r: QueryRequest): string {
  // Stryker disable next-line StringLiteral: the placeholder of an absent field only has to be one constant.
  return JSON.stringify([r.poolKey ?? '', r.productType ?? '', r.subsId, r.phoneNoX]);
}

/** Each result with its status, the counts by status, and the item lines (debug only). */
function resultsOf(outcomes: readonly Outcome<BindingDetail>[], inv: Invocation): { results: BatchResult[]; byStatus: Record<string, number> } {
  const byStatus: Record<string, number> = {};
  const results = outcomes.map((outcome, index): BatchResult => {
    const status = statusOf(outcome);
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    inv.log.debug('batch item', { index, status, errorCode: outcome.ok ? null : outcome.failure.code });
    return { status, ...envelopeOf(outcome) };
  });
  return { results, byStatus };
}

/** The batch's rate: BATCH_MAX_RPS, or the caller's `maxRps` when that is lower (0: no limit). */
function rateOf(configured: number, asked: number | undefined): number {
  if (asked === undefined) return configured;
  return configured === 0 ? asked : Math.min(configured, asked);
}

export async function batch(items: readonly BatchItem[], inv: Invocation, maxRps?: number): Promise<Answered<BatchData>> {
  const pace = createPace({ concurrency: inv.config.batchConcurrency, perSecond: rateOf(inv.config.batchMaxRps, maxRps), budget: inv.budget });
  let throttled = 0;

  const lookupPaced = (request: QueryRequest) => lookup(request, inv, { retryThrottle: false, gate: () => pace.admit() });

  async function one(request: QueryRequest): Promise<Outcome<BindingDetail>> {
    if (!poolAllowed(inv.config, request)) return { ok: false, failure: failure('PoolKeyNotAllowed') };
    // Throttling is the batch's to handle: slow down first, then try the item once more.
    const first = await pace.run(() => lookupPaced(request));
    // No request of it was sent before the deadline: the caller may resubmit it.
    if (first === undefined || first.summary.attempts === 0) return { ok: false, failure: failure('NotAttempted') };
    if (first.outcome.ok || first.outcome.failure.status !== 429) return first.outcome;
    throttled++;
    pace.throttled(THROTTLE_PAUSE_MS);
    const second = await pace.run(() => lookupPaced(request));
    return second !== undefined && second.summary.attempts > 0 ? second.outcome : first.outcome;
  }

  // Identical items share one lookup; an invalid item is its own answer.
  const byKey = new Map<string, Promise<Outcome<BindingDetail>>>();
  const outcomes = await Promise.all(
    items.map((item): Promise<Outcome<BindingDetail>> => {
      if (!item.ok) return Promise.resolve({ ok: false, failure: item.failure });
      const key = keyOf(item.request);
      const pending = byKey.get(key) ?? one(item.request);
      byKey.set(key, pending);
      return pending;
    }),
  );

  const { results, byStatus } = resultsOf(outcomes, inv);
  const ok = results.filter((r) => r.ok).length;
  const summary = {
    items: items.length,
    unique: byKey.size,
    byStatus: Object.entries(byStatus).map(([status, n]) => `${status}:${n}`),
    throttled,
    pauses: pace.stats.pauses,
  };
  return { outcome: { ok: true, requestId: null, data: { results, counts: { ok, failed: results.length - ok } } }, summary };
}
