/** The time budget of one invocation, shared by retries (./retry.ts), pacing (./pace.ts) and the invocation (./invocation.ts). */

/**
 * Time as one invocation sees it: the clock, how to wait, the jitter's randomness and the deadline by which
 * every upstream attempt must have ended. Injected whole, so tests run retries and pacing without waiting.
 */
export interface Budget {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** [0, 1), for the jitter. */
  random(): number;
  /** Epoch ms by which every upstream attempt must have ended. */
  readonly deadline: number;
}
