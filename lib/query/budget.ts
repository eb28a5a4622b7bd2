/** The time of one invocation, shared by retries (./retry.ts), pacing (./pace.ts) and the invocation (./invocation.ts). */

/** The clock, how to wait, and the jitter's randomness: injected, so tests run retries and pacing without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** [0, 1), for the jitter. */
  random(): number;
}

/** Time as one invocation sees it: the clock and the deadline by which every upstream attempt must have ended. */
export interface Budget extends Clock {
  /** Epoch ms by which every upstream attempt must have ended. */
  readonly deadline: number;
}
