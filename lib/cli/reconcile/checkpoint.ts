/**
 * The output file as the checkpoint of `--resume`: rows are appended in input order and every row ends with a
 * newline, so after a stop at any moment (SIGKILL included) the file is some whole rows, then perhaps part of
 * one. Reading it back: every whole row is counted (and tallied for the summary), a part-written last row is
 * cut off, and the rows must be numbered 1, 2, 3… with the last one's input equal to that input row's, or it is
 * not this input's result file and nothing is touched.
 */
import { createReadStream } from 'node:fs';
import { stat, truncate } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { UsageError } from '../args';
import { count, emptyTally, inputColumnsOf, type OutputFormat, type Tally } from './results';

export interface Checkpoint {
  /** Whole rows already in the file: data rows 1 to `rows` are answered. */
  rows: number;
  /** The last whole row's input as the file holds it (JSON Lines: its JSON; CSV: its cells as a JSON array). */
  lastInput: string | undefined;
  tally: Tally;
  /** The CSV header the file has (CSV output only). */
  header: string[] | undefined;
}

/** The usage error for a file that is not this input's results; nothing in it is changed. */
export const notOurs = (path: string, why: string) => new UsageError(`${path} is not a results file of this input (${why}); nothing was changed`);

type Whole = { line: number; input: string; row: Parameters<typeof count>[1] };

/** JSON Lines: the byte offset after the last whole line, and each whole line's row. */
async function* jsonlRows(path: string): AsyncGenerator<{ end: number; whole: Whole }> {
  let carry = Buffer.alloc(0);
  let offset = 0;
  for await (const chunk of createReadStream(path)) {
    let buf = Buffer.concat([carry, chunk as Buffer]);
    for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10)) {
      const text = buf.subarray(0, nl).toString('utf8');
      offset += nl + 1;
      buf = buf.subarray(nl + 1);
      let parsed: { line?: unknown; input?: unknown; status?: unknown; error?: unknown; retryable?: unknown; data?: unknown };
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        throw notOurs(path, `a whole line at byte ${offset - nl - 1} is not JSON`);
      }
      const data = (parsed.data ?? null) as Whole['row']['data'];
      const row = { status: Number(parsed.status), error: typeof parsed.error === 'string' ? parsed.error : null, retryable: parsed.retryable === true, data };
      yield { end: offset, whole: { line: Number(parsed.line), input: JSON.stringify(parsed.input), row } };
    }
    carry = buf;
  }
}

/** CSV: the header, then each whole record (a record ends with its newline), with the offset after it. */
async function* csvRows(path: string, header: (h: string[], end: number) => void): AsyncGenerator<{ end: number; whole: Whole }> {
  const parser = createReadStream(path).pipe(parse({ raw: true, info: true, relax_column_count: true }));
  let columns: string[] | undefined;
  try {
    for await (const r of parser as AsyncIterable<{ record: string[]; raw: string; info: { bytes: number } }>) {
      if (!r.raw.endsWith('\n')) return;
      if (!columns) {
        header((columns = r.record), r.info.bytes);
        continue;
      }
      const at = (name: string) => r.record[columns?.indexOf(name) ?? -1] ?? '';
      const input = JSON.stringify(inputColumnsOf(columns).map((c) => at(c)));
      const data = at('data.status') === '' ? null : { status: at('data.status') as 'ACTIVE', expireDate: at('data.expireDate') || null };
      const row = { status: Number(at('status')), error: at('error') || null, retryable: at('retryable') === 'true', data };
      yield { end: r.info.bytes, whole: { line: Number(at('line')), input, row } };
    }
  } catch {
    // A record cut in the middle of a quoted field: the rows before it are whole.
  }
}

/** Reads `path` as the checkpoint of a run in `format`, cutting off a part-written last row. */
export async function readCheckpoint(path: string, format: OutputFormat, now: number): Promise<Checkpoint> {
  const tally = emptyTally();
  let header: string[] | undefined;
  let end = 0;
  let lastInput: string | undefined;
  const rows =
    format === 'jsonl'
      ? jsonlRows(path)
      : csvRows(path, (h, e) => {
          header = h;
          end = e;
        });
  for await (const { end: after, whole } of rows) {
    if (whole.line !== tally.rows + 1) throw notOurs(path, `row ${tally.rows + 1} is numbered ${String(whole.line).slice(0, 20)}`);
    count(tally, whole.row, now);
    end = after;
    lastInput = whole.input;
  }
  const size = (await stat(path)).size;
  // Only the tail after the last whole row is ever cut; a header without rows stays.
  if (size > end) await truncate(path, end);
  return { rows: tally.rows, lastInput, tally, header };
}
