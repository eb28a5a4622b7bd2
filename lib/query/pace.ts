/**
 * Running many lookups of one invocation at a bounded pace: at most `concurrency` at a time, at most `perSecond`
 * starts per second (0: no limit), none started past the deadline. A throttling answer can halve the
 * concurrency and pause every start for a while. Time comes from the injected clock and sleep, so tests run it
 * without waiting.
 */
import type { Budget } from './invocation';

export interface PaceOptions {
  concurrency: number;
  perSecond: number;
  /** The clock and sleep; nothing more starts at or after its deadline. */
  budget: Pick<Budget, 'now' | 'sleep' | 'deadline'>;
}

export interface Pace {
  /** Runs `task` when pacing allows, or answers `undefined` without running it once the deadline has passed. */
  run<T>(task: () => Promise<T>): Promise<T | undefined>;
  /** Halves the concurrency (at least 1) and holds every start until `ms` from now; no-op during a pause. */
  slowDown(ms: number): void;
  readonly stats: { started: number; pauses: number; concurrency: number };
}

export function createPace(options: PaceOptions): Pace {
  const { budget } = options;
  let concurrency = Math.max(1, options.concurrency);
  const gapMs = options.perSecond > 0 ? 1000 / options.perSecond : 0;
  let nextStart = 0;
  let holdUntil = 0;
  let running = 0;
  const waiting: (() => void)[] = [];
  const stats = { started: 0, pauses: 0, concurrency };

  const release = () => {
    running--;
    while (running < concurrency && waiting.length > 0) {
      running++;
      waiting.shift()?.();
    }
  };

  async function slot(): Promise<void> {
    if (running < concurrency) {
      running++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }

  return {
    stats,
    slowDown(ms) {
      // Answers throttled by the same burst arrive together: one pause, one halving, for all of them.
      if (budget.now() < holdUntil) return;
      concurrency = Math.max(1, Math.floor(concurrency / 2));
      stats.concurrency = concurrency;
      holdUntil = Math.max(holdUntil, budget.now() + ms);
      stats.pauses++;
    },
    async run(task) {
      await slot();
      try {
        // Spacing and pauses are decided per start: each start claims the next free instant.
        for (;;) {
          const t = budget.now();
          const at = Math.max(t, nextStart, holdUntil);
          if (at >= budget.deadline) return undefined;
          if (at <= t) break;
          await budget.sleep(at - t);
        }
        nextStart = Math.max(budget.now(), nextStart) + gapMs;
        stats.started++;
        return await task();
      } finally {
        release();
      }
    },
  };
}
