/**
 * Reconcile's input, streamed: CSV with a header row (csv-parse; a UTF-8 BOM and CRLF line ends are fine) or
 * JSON Lines, one request object a line. The file is read twice: a first pass that counts the rows and finds
 * the first line that cannot be parsed (a usage error before any call), then the pass that feeds the run. Memory
 * stays flat: no pass holds more than one record, and a record or line is bounded in size.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { UsageError } from '../args';
import type { Row } from './engine';

export type InputFormat = 'csv' | 'jsonl';

/** The longest record or line read: a request is a few hundred bytes; anything far beyond is not a request list. */
export const MAX_RECORD_BYTES = 64 * 1024;

/** The input's format: the flag, else the extension, else its first character (`{` for JSON Lines). */
export async function detectFormat(path: string, flag: InputFormat | undefined): Promise<InputFormat> {
  if (flag) return flag;
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return 'jsonl';
  for await (const chunk of createReadStream(path, { start: 0, end: 1023, encoding: 'utf8' })) {
    const first = (chunk as string).replace(/^\uFEFF/, '').trimStart()[0];
    return first === '{' ? 'jsonl' : 'csv';
  }
  return 'jsonl';
}

/** A parse error as the operator fixes it: the file, the line, what is wrong. */
const inputError = (path: string, line: number, what: string) => new UsageError(`${path}:${line}: ${what}; nothing was sent`);

/** JSON Lines: every non-blank line one request, in file order, with its file line for errors. */
async function* jsonLines(path: string): AsyncGenerator<{ fileLine: number; value: unknown }> {
  let carry = '';
  let fileLine = 0;
  const take = (raw: string) => {
    fileLine++;
    const text = (fileLine === 1 ? raw.replace(/^\uFEFF/, '') : raw).replace(/\r$/, '');
    if (text.trim() === '') return undefined;
    try {
      return { fileLine, value: JSON.parse(text) as unknown };
    } catch {
      throw inputError(path, fileLine, 'not valid JSON');
    }
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
    const lines = (carry + (chunk as string)).split('\n');
    carry = lines.pop() ?? '';
    if (carry.length > MAX_RECORD_BYTES) throw inputError(path, fileLine + 1, `a line longer than ${MAX_RECORD_BYTES} bytes`);
    for (const raw of lines) {
      const row = take(raw);
      if (row) yield row;
    }
  }
  const last = take(carry);
  if (last) yield last;
}

/** CSV: every data record as an object keyed by the header's names, exactly as given. */
async function* csvRecords(path: string): AsyncGenerator<{ fileLine: number; value: Record<string, string> }> {
  const parser = createReadStream(path).pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, info: true, max_record_size: MAX_RECORD_BYTES, trim: false }),
  );
  try {
    for await (const record of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield { fileLine: record.info.lines, value: record.record };
    }
  } catch (err) {
    const line = typeof (err as { lines?: unknown }).lines === 'number' ? (err as { lines: number }).lines : 0;
    const code = (err as { code?: unknown }).code;
    const what =
      code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quote that is never closed'
        : code === 'CSV_RECORD_INCONSISTENT_COLUMNS' || code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
          ? 'a row with a different number of fields than the header'
          : code === 'CSV_MAX_RECORD_SIZE'
            ? `a record longer than ${MAX_RECORD_BYTES} bytes`
            : 'not valid CSV';
    throw inputError(path, line, what);
  }
}

function records(path: string, format: InputFormat): AsyncGenerator<{ fileLine: number; value: unknown }> {
  return format === 'csv' ? csvRecords(path) : jsonLines(path);
}

/** The first pass: how many data rows the file has, and the CSV header (the result file's first columns). */
export async function scanInput(path: string, format: InputFormat): Promise<{ rows: number; columns: string[] | undefined }> {
  let rows = 0;
  let columns: string[] | undefined;
  for await (const { value } of records(path, format)) {
    rows++;
    if (format === 'csv' && columns === undefined) columns = Object.keys(value as Record<string, string>);
  }
  return { rows, columns };
}

/** The rows from data row `from` + 1 on (the ones before it are already answered). */
export async function* readRows(path: string, format: InputFormat, from: number): AsyncGenerator<Row> {
  let line = 0;
  for await (const { value } of records(path, format)) {
    line++;
    if (line > from) yield { line, input: value };
  }
}
