import { describe, expect, it } from 'vitest';
import { createPace } from '../../lib/query/pace';

/** A clock that moves only when something sleeps, and tasks that take `ms` of it. */
function fakeTime() {
  let t = 0;
  const timers: { at: number; resolve: () => void }[] = [];
  const sleep = (ms: number) => new Promise<void>((resolve) => timers.push({ at: t + ms, resolve }));
  /** Runs timers in order until none is left. */
  async function drain(): Promise<void> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift();
      if (!next) return;
      t = Math.max(t, next.at);
      next.resolve();
    }
  }
  return { now: () => t, sleep, drain };
}

describe('createPace', () => {
  it('runs at most `concurrency` tasks at a time', async () => {
    const time = fakeTime();
    const pace = createPace({ concurrency: 3, perSecond: 0, budget: { deadline: 1e9, now: time.now, sleep: time.sleep } });
    let running = 0;
    let most = 0;
    const all = Promise.all(
      Array.from({ length: 10 }, () =>
        pace.run(async () => {
          most = Math.max(most, ++running);
          await time.sleep(100);
          running--;
        }),
      ),
    );
    await time.drain();
    await all;
    expect(most).toBe(3);
    expect(time.now()).toBe(400);
  });

  it('starts at most `perSecond` tasks per second', async () => {
    const time = fakeTime();
    const pace = createPace({ concurrency: 100, perSecond: 10, budget: { deadline: 1e9, now: time.now, sleep: time.sleep } });
    const starts: number[] = [];
    const all = Promise.all(Array.from({ length: 5 }, () => pace.run(async () => void starts.push(time.now()))));
    await time.drain();
    await all;
    expect(starts).toEqual([0, 100, 200, 300, 400]);
  });

  it('starts nothing at or past the deadline', async () => {
    const time = fakeTime();
    const pace = createPace({ concurrency: 1, perSecond: 0, budget: { deadline: 250, now: time.now, sleep: time.sleep } });
    const all = Promise.all(Array.from({ length: 5 }, () => pace.run(() => time.sleep(100).then(() => 'done'))));
    await time.drain();
    expect(await all).toEqual(['done', 'done', 'done', undefined, undefined]);
  });

  it('halves the concurrency and pauses the starts once per throttling burst', async () => {
    const time = fakeTime();
    const pace = createPace({ concurrency: 8, perSecond: 0, budget: { deadline: 1e9, now: time.now, sleep: time.sleep } });
    pace.slowDown(500);
    pace.slowDown(500);
    expect(pace.stats).toMatchObject({ concurrency: 4, pauses: 1 });
    const started: number[] = [];
    const run = pace.run(async () => void started.push(time.now()));
    await time.drain();
    await run;
    expect(started).toEqual([500]);
  });
});
