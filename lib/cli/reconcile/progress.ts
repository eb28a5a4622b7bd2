/**
 * Reconcile's progress on stderr: a progress bar on a terminal (cli-progress: rows done of total, lookups per
 * second, ETA, counts by outcome), one JSON line every 5 s when stderr is a file or a pipe, nothing with --quiet.
 */
import { SingleBar } from 'cli-progress';
import type { Tally } from './results';

export interface Progress {
  update(tally: Tally, asked: number): void;
  stop(): void;
}

const JSON_EVERY_MS = 5000;

const outcomes = (t: Tally) => {
  const ok = t.byStatus['200'] ?? 0;
  const notFound = t.byStatus['404'] ?? 0;
  return { ok, notFound, failed: t.rows - ok - notFound };
};

export function createProgress(options: { mode: 'bar' | 'json' | 'none'; stream: NodeJS.WritableStream; total: number; now: () => number }): Progress {
  const started = options.now();
  const rate = (asked: number) => Math.round(asked / Math.max(0.001, (options.now() - started) / 1000));
  if (options.mode === 'none') return { update: () => {}, stop: () => {} };
  if (options.mode === 'json') {
    let last = started;
    return {
      update(tally, asked) {
        if (options.now() - last < JSON_EVERY_MS) return;
        last = options.now();
        const progress = { rows: tally.rows, total: options.total, lookupsPerSecond: rate(asked), ...outcomes(tally), byStatus: tally.byStatus };
        options.stream.write(`${JSON.stringify({ progress })}\n`);
      },
      stop: () => {},
    };
  }
  const bar = new SingleBar({
    stream: options.stream,
    format: '{bar} {value}/{total} rows | {lps} lookups/s | ETA {eta_formatted} | ok {ok} · not found {notFound} · failed {failed}',
    hideCursor: true,
    barCompleteChar: '\u2588',
    barIncompleteChar: '\u2591',
    etaBuffer: 200,
    fps: 5,
  });
  bar.start(options.total, 0, { lps: 0, ok: 0, notFound: 0, failed: 0 });
  return {
    update: (tally, asked) => bar.update(tally.rows, { lps: rate(asked), ...outcomes(tally) }),
    stop: () => bar.stop(),
  };
}
