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

  it('admits at most `perSecond` requests per second, evenly spaced, whoever asks', async () => {
    const time = fakeTime();
    const pace = createPace({ concurrency: 100, perSecond: 10, budget: { deadline: 1e9, now: time.now, sleep: time.sleep } });
    const starts: number[] = [];
    // Five lookups of two requests each (a first attempt and a retry): all ten are paced.
    const all = Promise.all(
      Array.from({ length: 5 }, () =>
        pace.run(async () => {
          for (let i = 0; i < 2; i++) if (await pace.admit()) starts.push(time.now());
        }),
      ),
    );
    await time.drain();
    await all;
    expect(starts).toEqual([0, 102, 204, 306, 408, 510, 612, 714, 816, 918]);
  });

  it('admits nothing whose turn comes at or past the deadline, and runs nothing once it has passed', async () => {
    const time = fakeTime();
    const pace = createPace({ concurrency: 1, perSecond: 10, budget: { deadline: 250, now: time.now, sleep: time.sleep } }); // turns at 0, 102, 204, 306
    const admitted = Promise.all(Array.from({ length: 4 }, () => pace.admit()));
    await time.drain();
    expect(await admitted).toEqual([true, true, true, false]);
    const late = time.sleep(100).then(() => pace.run(async () => 'ran')); // now 300, past the deadline
    await time.drain();
    expect(await late).toBeUndefined();
  });

  it('halves the rate and the concurrency (not below half) and pauses once per burst, then recovers step by step', async () => {
    const time = fakeTime();
    const pace = createPace({ concurrency: 8, perSecond: 50, budget: { deadline: 1e9, now: time.now, sleep: time.sleep } });
    pace.throttled(500);
    pace.throttled(500);
    expect(pace.stats).toMatchObject({ concurrency: 4, perSecond: 25, pauses: 1 });
    const first = pace.admit().then(() => time.now());
    await time.drain();
    expect(await first).toBe(500);
    // Each quiet second after the pause gives back a tenth of the rate and one more lookup at a time.
    const seen: { at: number; perSecond: number; concurrency: number }[] = [];
    const ticking = (async () => {
      for (let i = 0; i < 6; i++) {
        await time.sleep(1000);
        await pace.admit();
        seen.push({ at: time.now(), perSecond: pace.stats.perSecond, concurrency: pace.stats.concurrency });
      }
    })();
    await time.drain();
    await ticking;
    expect(seen.map((s) => [s.perSecond, s.concurrency])).toEqual([
      [30, 5],
      [35, 6],
      [40, 7],
      [45, 8],
      [50, 8],
      [50, 8],
    ]);
    // Throttled again and again, it stays at half: a second halving would starve the batch, not help it.
    for (let i = 0; i < 3; i++) {
      pace.throttled(500);
      const later = time.sleep(1000);
      await time.drain();
      await later;
    }
    expect(pace.stats).toMatchObject({ perSecond: 25, concurrency: 4 });
  });

  it('lowers the rate at a concurrency already at its floor, and pauses no more once both are at theirs', async () => {
    const time = fakeTime();
    const pace = createPace({ concurrency: 1, perSecond: 40, budget: { deadline: 1e9, now: time.now, sleep: time.sleep } });
    pace.throttled(500);
    expect(pace.stats).toMatchObject({ concurrency: 1, perSecond: 20, pauses: 1 });
    // Throttled again after the pause, at both floors: no second pause.
    const later = time.sleep(2000);
    await time.drain();
    await later;
    pace.throttled(500);
    expect(pace.stats).toMatchObject({ perSecond: 20, pauses: 1 });
  });

  it('gives nothing back while throttling goes on, however long', async () => {
    const time = fakeTime();
    const pace = createPace({ concurrency: 8, perSecond: 50, budget: { deadline: 1e9, now: time.now, sleep: time.sleep } });
    pace.throttled(500);
    const run = (async () => {
      for (let i = 0; i < 8; i++) {
        await time.sleep(400);
        pace.throttled(500);
        await pace.admit();
      }
    })();
    await time.drain();
    await run;
    expect(pace.stats).toMatchObject({ perSecond: 25, concurrency: 4 });
  });
});
