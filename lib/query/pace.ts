/**
 * The pace of one invocation's upstream requests (a batch's or a find's): at most `concurrency` lookups at a
 * time, and every request, retries included, admitted one by one at most `perSecond` a second (0: no limit),
 * spaced evenly so that no 1 s window holds more; nothing admitted past the deadline.
 *
 * Throttling adapts as TCP's congestion control and the AWS SDKs' adaptive retry mode do (AIMD): a throttling
 * answer halves the rate and the concurrency, down to half of what is configured, and holds every request for a
 * while (multiplicative decrease, at most once a second); each quiet second after it gives back a tenth of the
 * configured rate and one more lookup at a time (additive increase), up to what is configured. Requests are
 * spaced 2% wider than the rate asks, so that arrival jitter (up to 20 ms in a second: a first request that waits
 * for its connection, a pause of the event loop) cannot put one request too many into a second. Time comes from the injected budget, so tests run it
 * without waiting.
 */
import type { Budget } from './budget';

export interface PaceOptions {
  concurrency: number;
  /** Requests per second, retries included; 0: no limit. */
  perSecond: number;
  /** The clock and sleep; nothing is admitted at or after its deadline. */
  budget: Pick<Budget, 'now' | 'sleep' | 'deadline'>;
}

export interface Pace {
  /** Runs `task` when a lookup slot is free, or answers `undefined` without running it once the deadline has passed. */
  run<T>(task: () => Promise<T>): Promise<T | undefined>;
  /** Waits for the next request's turn: true when it may be sent now, false when its turn would come too late. */
  admit(): Promise<boolean>;
  /** A throttling answer: halve the rate and the concurrency, hold every request `ms` from now; once per burst. */
  throttled(ms: number): void;
  readonly stats: { pauses: number; concurrency: number; perSecond: number };
}

/** How long without throttling before the pace gives some of it back. */
const QUIET_MS = 1000;
/** A second, and 2% to spare: the spacing of `perSecond` requests. */
const SPACING_MS = 1020;

/** The adaptive limits (AIMD): what is allowed now, lowered on throttling, raised back step by step. */
function adaptiveLimits(most: { concurrency: number; perSecond: number }, onRaise: () => void) {
  const stats = { pauses: 0, concurrency: most.concurrency, perSecond: most.perSecond };
  let holdUntil = 0;
  let calmSince = 0;
  let loweredAt = -Infinity;
  return {
    stats,
    holdUntil: () => holdUntil,
    /**
     * Multiplicative decrease and a pause, at most once a second (the answers of one burst arrive together), and
     * never below half of what is configured: the sizing rule keeps the configured rate within the account's
     * share, so throttling below it is someone else's burst, which pausing outlasts and starving would not.
     */
    lower(t: number, ms: number) {
      calmSince = Math.max(calmSince, t);
      // Equivalent mutants while the floor is half of what is configured (one halving from the top reaches it, and
      // recovering a step takes a quiet second after the pause); kept for a lower floor.
      // Stryker disable next-line all
      if (t < loweredAt + QUIET_MS) return;
      const concurrency = Math.max(Math.ceil(most.concurrency / 2), Math.floor(stats.concurrency / 2));
      const perSecond = Math.max(most.perSecond / 2, stats.perSecond / 2);
      if (concurrency === stats.concurrency && perSecond === stats.perSecond) return;
      loweredAt = t;
      Object.assign(stats, { concurrency, perSecond, pauses: stats.pauses + 1 });
      holdUntil = t + ms;
      calmSince = holdUntil;
    },
    /** Additive increase: one step per quiet second since the last throttling or the last step. */
    raise(t: number) {
      // Only saves work: at the top a step is capped by Math.min to the same values (equivalent mutants).
      // Stryker disable next-line EqualityOperator,ConditionalExpression,LogicalOperator
      const atTop = stats.perSecond >= most.perSecond && stats.concurrency >= most.concurrency;
      if (t - calmSince < QUIET_MS || atTop) return;
      calmSince = t;
      stats.perSecond = Math.min(most.perSecond, stats.perSecond + Math.max(1, most.perSecond / 10));
      stats.concurrency = Math.min(most.concurrency, stats.concurrency + 1);
      onRaise();
    },
  };
}

export function createPace(options: PaceOptions): Pace {
  const { budget } = options;
  let nextStart = 0;
  let running = 0;
  const waiting: (() => void)[] = [];
  const pump = () => {
    while (running < limits.stats.concurrency && waiting.length > 0) {
      running++;
      waiting.shift()?.();
    }
  };
  const limits = adaptiveLimits({ concurrency: Math.max(1, options.concurrency), perSecond: Math.max(0, options.perSecond) }, pump);
  const { stats } = limits;
  let queue: Promise<unknown> = Promise.resolve();
  /** The next request's turn: waits for spacing and pauses; false when it would come at or after the deadline. */
  const claim = async (): Promise<boolean> => {
    // Each request claims the next free instant: spacing, pauses and the deadline are judged per request.
    for (;;) {
      const t = budget.now();
      limits.raise(t);
      const at = Math.max(t, nextStart, limits.holdUntil());
      // Stryker disable next-line EqualityOperator: an attempt admitted at the deadline itself has no time and is not sent (retry.ts).
      if (at >= budget.deadline) return false;
      if (at <= t) break;
      await budget.sleep(at - t);
    }
    nextStart = Math.max(budget.now(), nextStart) + (stats.perSecond > 0 ? SPACING_MS / stats.perSecond : 0);
    return true;
  };

  return {
    stats,
    // Answers throttled by the same burst arrive together: one decrease and one pause for all of them.
    throttled: (ms) => limits.lower(budget.now(), ms),
    admit() {
      // Turns go in the order they were asked for: each request waits for the one before it to be admitted or
      // refused, so which item gets the last turn before the deadline does not depend on timer rounding.
      const turn = queue.then(claim);
      queue = turn.then(
        () => undefined,
        () => undefined,
      );
      return turn;
    },
    async run(task) {
      if (running < stats.concurrency) running++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        // Stryker disable next-line EqualityOperator: a lookup started at the deadline itself sends nothing (retry.ts).
        if (budget.now() >= budget.deadline) return undefined;
        return await task();
      } finally {
        running--;
        pump();
      }
    },
  };
}
