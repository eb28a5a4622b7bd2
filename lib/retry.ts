/**
 * Retries with a deadline. Only what is safe and transient is sent again (QuerySubscriptionDetail is a read):
 * connection resets and refusals, isp.SYSTEM_ERROR, isp.DAO_EXCEPTION, ServiceUnavailable, InternalError;
 * throttling at most once. Exponential backoff with full jitter, so many instances retrying at once spread out
 * instead of hitting Dyplsapi's per-account limit together. Each attempt is a fresh pop-core call, so it is
 * freshly signed (new Timestamp and SignatureNonce).
 */
import { localError } from './errors';
import type { Logger } from './logger';
import type { Attempt } from './upstream';

/** Below this, an attempt cannot complete a TLS handshake and a round trip; answering 504 is more honest. */
const MIN_ATTEMPT_MS = 50;
const BACKOFF_BASE_MS = 100;
export const BACKOFF_CAP_MS = 1000;

export interface RetryPolicy {
  maxAttempts: number;
  /** Per-attempt connect+read timeout. */
  timeoutMs: number;
  /** Epoch ms by which the last attempt must have ended. */
  deadline: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** [0, 1), for the jitter. */
  random: () => number;
  logger: Logger;
}

export type RetriedAttempt = Attempt & { attempts: number };

/** Runs `attempt` until it succeeds, fails for good, or the attempts or the deadline run out. */
export async function withRetries(attempt: (timeoutMs: number) => Promise<Attempt>, policy: RetryPolicy): Promise<RetriedAttempt> {
  let throttleRetries = 0;
  for (let n = 1; ; n++) {
    const remaining = policy.deadline - policy.now();
    if (remaining < MIN_ATTEMPT_MS) return budgetSpent(n - 1);
    const result = await attempt(Math.min(policy.timeoutMs, remaining));
    if (result.ok) return { ...result, attempts: n };

    const retryable = result.retry === 'transient' || (result.retry === 'throttle' && throttleRetries === 0);
    if (!retryable || n >= policy.maxAttempts) return { ...result, attempts: n };
    if (result.retry === 'throttle') throttleRetries++;

    const backoff = Math.floor(policy.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (n - 1)));
    if (policy.now() + backoff + MIN_ATTEMPT_MS > policy.deadline) return budgetSpent(n);
    policy.logger.warn('upstream attempt failed; retrying', { attempt: n, cause: result.cause, errorCode: result.error.code, backoffMs: backoff });
    await policy.sleep(backoff);
  }
}

function budgetSpent(attempts: number): RetriedAttempt {
  return {
    ok: false,
    error: localError('UpstreamTimeout', { detail: `The time budget ran out after ${attempts} attempt(s).` }),
    retry: 'never',
    cause: 'deadline',
    attempts,
  };
}
