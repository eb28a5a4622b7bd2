/**
 * What lookup and find print: on a terminal, a short table a person reads at a glance; otherwise (or with
 * --json) the function's envelope exactly as it answered. Errors go to stderr as the status table words them.
 */
import type { BindingDetail, Envelope, ErrorEnvelope, FindData } from '../caller';

/** "expired" when the expiry date is past although Dyplsapi still says ACTIVE: what customer service asks about. */
export function expiredByDate(b: Pick<BindingDetail, 'status' | 'expireDate'>, now: number): boolean {
  if (b.expireDate === null) return false;
  const at = Date.parse(b.expireDate);
  return Number.isFinite(at) && at <= now;
}

/** ISO 8601 with +08:00, as the function answers, shortened to what a person reads: 2019-09-05 12:00. */
const shortDate = (iso: string | null) => (iso === null ? '-' : iso.replace('T', ' ').slice(0, 16));

function row(b: BindingDetail, now: number): string[] {
  const note = expiredByDate(b, now) ? (b.status === 'ACTIVE' ? 'expired (still ACTIVE upstream)' : 'expired') : '';
  return [b.subsId ?? '-', b.phoneNoX ?? '-', b.phoneNoA ?? '-', b.phoneNoB ?? '-', b.status, shortDate(b.gmtCreate), shortDate(b.expireDate), note];
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const HEADER = ['SUBS ID', 'X', 'A', 'B', 'STATUS', 'CREATED', 'EXPIRES', ''];

export function bindingTable(bindings: readonly BindingDetail[], now: number): string {
  return table(
    HEADER,
    bindings.map((b) => row(b, now)),
  );
}

/** A find's answer: its bindings, then what was listed but could not be read. */
export function findTable(data: FindData, now: number): string {
  const lines = [data.bindings.length === 0 ? `no bindings of ${data.phoneNoX}` : bindingTable(data.bindings, now)];
  if (data.truncated) lines.push(`(${data.listed} listed; only the first ${data.bindings.length + data.unresolved.length} were looked up)`);
  for (const u of data.unresolved) lines.push(`could not read ${u.subsId}: ${u.error.code}: ${u.error.message}${u.error.retryable ? ' (retryable)' : ''}`);
  return lines.join('\n');
}

/** The error line on stderr: the code, the status table's message, what was wrong with each field. */
export function errorText(envelope: ErrorEnvelope): string {
  const { error } = envelope;
  const lines = [`error: ${error.code}: ${error.message}${error.retryable ? ' (retryable: try again later)' : ''}`];
  for (const issue of error.issues ?? []) lines.push(`  ${issue.path}: ${issue.message}`);
  if (envelope.requestId) lines.push(`  RequestId: ${envelope.requestId}`);
  return lines.join('\n');
}

/** Exit status of one answer: 0 answered, 1 retryable, 2 the flags were wrong (InvalidRequest), 3 a final error. */
export function exitOf(envelope: Envelope<unknown>): number {
  if (envelope.ok) return 0;
  if (envelope.error.retryable) return 1;
  return envelope.error.code === 'InvalidRequest' ? 2 : 3;
}
