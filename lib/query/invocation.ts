/**
 * What every upstream call of one invocation shares, and the one way such a call is made: `retried()`, with the
 * deployment's retry rules, inside the invocation's one time budget, every attempt counted.
 */
import type { Credentials } from '../shared/credentials';
import type { Outcome } from '../shared/envelope';
import type { LogFields, Logger } from '../shared/logger';
import type { Budget } from './budget';
import type { FunctionConfig } from './config';
import { type Retried, type RetryOptions, withRetries } from './retry';
import { type Attempted, describeReason, type DyplsCall, type SubsIdCall } from './upstream';

/** One invocation's dependencies and state, built once per invocation by the FC adapter. */
export interface Invocation {
  readonly config: FunctionConfig;
  /** QuerySubscriptionDetail. */
  readonly detail: DyplsCall;
  /** QuerySubsId. */
  readonly subsIds: SubsIdCall;
  readonly credentials: Credentials;
  readonly budget: Budget;
  readonly log: Logger;
  /** Upstream calls made so far (the invocation's log line reports it). */
  readonly calls: { count: number };
}

/** What the core answers to any question: the outcome, and what the invocation's log line reports about it. */
export interface Answered<T> {
  outcome: Outcome<T>;
  summary: LogFields;
}

/** Whether the deployment's ALLOWED_POOL_KEYS (none: every pool) admits the request's pool. */
export function poolAllowed(config: FunctionConfig, r: { poolKey?: string | undefined; productType?: string | undefined }): boolean {
  const pool = r.poolKey ?? r.productType;
  // Stryker disable next-line ConditionalExpression: a Set of strings never has undefined: the guard only types `pool`.
  return !config.allowedPoolKeys || (pool !== undefined && config.allowedPoolKeys.has(pool));
}

/** One upstream action with the invocation's retry rules and deadline: every attempt counted, a failure logged. */
export async function retried<V>(inv: Invocation, attempt: (timeoutMs: number) => Promise<Attempted<V>>, options: RetryOptions = {}): Promise<Retried<V>> {
  const policy = { maxAttempts: inv.config.maxAttempts, timeoutMs: inv.config.timeoutMs, budget: inv.budget, logger: inv.log, ...options };
  const result = await withRetries((timeoutMs) => {
    inv.calls.count++;
    return attempt(timeoutMs);
  }, policy);
  if (!result.ok) {
    // Stryker disable next-line StringLiteral,ObjectLiteral: a debug line's text.
    inv.log.debug('upstream call failed', { reason: describeReason(result.reason), attempts: result.attempts, errorCode: result.failure.code });
  }
  return result;
}
