/**
 * One binding's detail: QuerySubscriptionDetail with its retries inside a deadline, normalized, A and B masked
 * when the deployment asks for it. The single lookup, every detail of a find and every item of a batch go
 * through here.
 */
import type { Credentials } from '../shared/credentials';
import type { Outcome } from '../shared/envelope';
import type { Logger } from '../shared/logger';
import { maskPhone } from '../shared/redact';
import type { BindingDetail, QueryRequest } from '../shared/schemas';
import type { FunctionConfig } from './config';
import { normalizeBindingDetail } from './normalize';
import { type Retried, type RetryPolicy, withRetries } from './retry';
import { type Attempted, describeReason, type DyplsCall } from './upstream';

/** What every lookup of one invocation shares. */
export interface LookupContext {
  config: FunctionConfig;
  call: DyplsCall;
  credentials: Credentials;
  /** Epoch ms by which every attempt must have ended. */
  deadline: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  log: Logger;
  /** Upstream calls made so far in this invocation (the summary log line reports it). */
  calls: { count: number };
}

export interface LookupResult {
  outcome: Outcome<BindingDetail>;
  /** The detail before masking, for a find's A/B filter; undefined on failure. */
  unmasked: BindingDetail | undefined;
  attempts: number;
}

/** A and B masked; X stays whole: it is the public masked number the caller asked about. */
function withMaskedParties(data: BindingDetail): BindingDetail {
  return { ...data, phoneNoA: maskPhone(data.phoneNoA), phoneNoB: maskPhone(data.phoneNoB) };
}

/** One upstream action with the invocation's retry rules and deadline: every attempt counted, a failure logged. */
export async function retried<V>(
  ctx: LookupContext,
  attempt: (timeoutMs: number) => Promise<Attempted<V>>,
  extra: Partial<RetryPolicy> = {},
): Promise<Retried<V>> {
  const policy: RetryPolicy = {
    maxAttempts: ctx.config.maxAttempts,
    timeoutMs: ctx.config.timeoutMs,
    deadline: ctx.deadline,
    now: ctx.now,
    sleep: ctx.sleep,
    random: ctx.random,
    logger: ctx.log,
    ...extra,
  };
  const result = await withRetries((timeoutMs) => {
    ctx.calls.count++;
    return attempt(timeoutMs);
  }, policy);
  if (!result.ok) {
    ctx.log.debug('upstream call failed', { reason: describeReason(result.reason), attempts: result.attempts, errorCode: result.failure.code });
  }
  return result;
}

export async function lookup(request: QueryRequest, ctx: LookupContext, extra: Partial<RetryPolicy> = {}): Promise<LookupResult> {
  const result = await retried(ctx, (timeoutMs) => ctx.call(request, ctx.credentials, timeoutMs), extra);
  if (!result.ok) return { outcome: { ok: false, failure: result.failure }, unmasked: undefined, attempts: result.attempts };
  const { data, warnings } = normalizeBindingDetail(result.value);
  for (const w of warnings) ctx.log.warn('unreadable upstream field', { field: w.field, reason: w.reason, upstreamRequestId: result.requestId });
  const shown = ctx.config.phoneNumberOutput === 'masked' ? withMaskedParties(data) : data;
  return { outcome: { ok: true, requestId: result.requestId, data: shown }, unmasked: data, attempts: result.attempts };
}
