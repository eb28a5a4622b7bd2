/** Reconcile's summary on stderr at the end: what was answered, how, and at what rate. */
import type { Tally } from './results';

const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'none';

export function summaryText(s: { tally: Tally; total: number; fromCheckpoint: number; asked: number; elapsedMs: number }): string {
  const { tally } = s;
  const seconds = s.elapsedMs / 1000;
  const resumed = s.fromCheckpoint > 0 ? ` (${s.fromCheckpoint} from the checkpoint)` : '';
  return [
    `rows: ${s.total}, answered: ${tally.rows}${resumed}`,
    `by status: ${list(tally.byStatus)}`,
    `bindings: ACTIVE ${tally.bindings.ACTIVE}, INACTIVE ${tally.bindings.INACTIVE}, expired by date ${tally.bindings.expiredByDate}${tally.bindings.UNKNOWN ? `, UNKNOWN ${tally.bindings.UNKNOWN}` : ''}`,
    `failures: ${list(tally.failures)}${tally.retryableLeft ? ` (${tally.retryableLeft} still retryable)` : ''}`,
    `elapsed: ${seconds.toFixed(1)} s, ${s.asked} lookups asked, ${(s.asked / Math.max(0.001, seconds)).toFixed(1)} lookups/s`,
    '',
  ].join('\n');
}
