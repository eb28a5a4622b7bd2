/**
 * Retries with a deadline, and every rule about what is retried. QuerySubscriptionDetail is a read, so what is
 * safe and transient is sent again: connection resets and refusals (a keep-alive socket gone stale while the
 * instance was frozen ends this way), isp.SYSTEM_ERROR, isp.DAO_EXCEPTION, ServiceUnavailable, InternalError;
 * throttling at most once. Exponential backoff with full jitter, so many instances retrying at once spread out
 * instead of hitting Dyplsapi's per-account limit together. Each attempt is a fresh pop-core call, so it is
 * freshly signed (new Timestamp and SignatureNonce). Against the deadline: an attempt starts only while at
 * least MIN_ATTEMPT_MS remain, with the per-attempt timeout or what remains, whichever is shorter; a backoff is
 * slept only when MIN_ATTEMPT_MS would still remain after it.
 */
import { failure } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { Budget } from './budget';
import { type Attempted, describeReason, type FailureReason } from './upstream';

/** Upstream codes that mean "try the same read again". */
const TRANSIENT_CODES: ReadonlySet<string> = new Set(['isp.SYSTEM_ERROR', 'isp.DAO_EXCEPTION', 'ServiceUnavailable', 'InternalError']);
/** Connection failures after which a read can safely be sent again (ECONNECTTIMEOUT: the connect itself timed out, nothing was sent). */
const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ECONNABORTED', 'ECONNECTTIMEOUT']);

/** Below this, an attempt cannot complete a TLS handshake and a round trip; answering 504 is more honest. */
const MIN_ATTEMPT_MS = 50;
const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 1000;

type RetryKind = 'transient' | 'throttle' | 'never';

/** Whether a failed attempt may be sent again, and under which rule. */
function retryKind(reason: FailureReason, status: number): RetryKind {
  // 'never' is what any value but 'transient' and 'throttle' means to withRetries, so emptying it is an
  // equivalent mutant; so is dropping the second guard: a reason that is not a code has none among TRANSIENT_CODES.
  // Stryker disable next-line StringLiteral
  if (reason.kind === 'network') return TRANSIENT_NETWORK_CODES.has(reason.code) ? 'transient' : 'never';
  // Stryker disable next-line ConditionalExpression,StringLiteral
  if (reason.kind !== 'code') return 'never';
  if (TRANSIENT_CODES.has(reason.code)) return 'transient';
  // Stryker disable next-line StringLiteral
  return status === 429 ? 'throttle' : 'never';
}

/** What may change per call site. */
export interface RetryOptions {
  /** Whether throttling is retried here (once). A batch handles throttling itself: it slows down first. */
  retryThrottle?: boolean;
  /** Waits for each attempt's turn (a batch's or a find's pace, ./pace.ts): false when it would come too late. */
  gate?: () => Promise<boolean>;
}

export interface RetryPolicy extends RetryOptions {
  maxAttempts: number;
  /** Per-attempt connect+read timeout. */
  timeoutMs: number;
  budget: Budget;
  logger: Logger;
}

export type Retried<V> = Attempted<V> & { attempts: number };

/** Runs `attempt` until it succeeds, fails for good, or the attempts or the deadline run out. */
export async function withRetries<V>(attempt: (timeoutMs: number) => Promise<Attempted<V>>, policy: RetryPolicy): Promise<Retried<V>> {
  let throttleRetries = policy.retryThrottle === false ? 1 : 0;
  const { budget } = policy;
  for (let n = 1; ; n++) {
    if (policy.gate && !(await policy.gate())) return budgetSpent(n - 1);
    const remaining = budget.deadline - budget.now();
    // Stryker disable next-line EqualityOperator: exactly MIN_ATTEMPT_MS left is either side of a line drawn by judgement.
    if (remaining < MIN_ATTEMPT_MS) return budgetSpent(n - 1);
    const result = await attempt(Math.min(policy.timeoutMs, remaining));
    if (result.ok) return { ...result, attempts: n };

    const kind = retryKind(result.reason, result.failure.status);
    const retryable = kind === 'transient' || (kind === 'throttle' && throttleRetries === 0);
    if (!retryable || n >= policy.maxAttempts) return { ...result, attempts: n };
    // Stryker disable next-line UpdateOperator: any value but 0 stops a second throttle retry; -1 does as 1 does.
    if (kind === 'throttle') throttleRetries++;

    const backoff = Math.floor(budget.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (n - 1)));
    // Stryker disable next-line EqualityOperator: the same judgement, at the same boundary.
    if (budget.now() + backoff + MIN_ATTEMPT_MS > budget.deadline) return budgetSpent(n);
    // Stryker disable next-line StringLiteral,ObjectLiteral: the text of a warn line; its privacy is held by test/integration/privacy.test.ts.
    policy.logger.warn('upstream attempt failed; retrying', {
      attempt: n,
      reason: describeReason(result.reason),
      errorCode: result.failure.code,
      backoffMs: backoff,
    });
    await budget.sleep(backoff);
  }
}

function budgetSpent(attempts: number): { ok: false; failure: ReturnType<typeof failure>; reason: FailureReason; attempts: number } {
  return {
    ok: false,
    failure: failure('UpstreamTimeout', { detail: `The time budget ran out after ${attempts} attempt(s).` }),
    reason: { kind: 'deadline' },
    attempts,
  };
}
