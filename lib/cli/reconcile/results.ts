/**
 * Reconcile's result rows: one per input row, as JSON Lines (one object a row) or CSV (the same as columns),
 * and the tally the progress line and the summary are made of. The shape of a row is defined once, here.
 */
import { stringify } from 'csv-stringify/sync';
import type { BatchResult, BindingDetail, QueryRequestInput } from '../../caller';
import { expiredByDate } from '../show';
import type { Answered } from './engine';

export type OutputFormat = 'jsonl' | 'csv';

/** One result row, as JSON Lines writes it. `line` counts data rows from 1; `input` is the row as given. */
export interface ResultRow {
  line: number;
  input: unknown;
  ok: boolean;
  status: number;
  error: string | null;
  message: string | null;
  retryable: boolean;
  requestId: string | null;
  data: BindingDetail | null;
}

/** The request's fields under both names the function accepts; any other column or key is carried, not sent. */
const REQUEST_NAMES = {
  poolKey: 'PoolKey',
  productType: 'ProductType',
  subsId: 'SubsId',
  phoneNoX: 'PhoneNoX',
} as const satisfies Record<keyof QueryRequestInput, string>;
const SENT = new Set<string>(Object.entries(REQUEST_NAMES).flat());

/** What is sent for a row: its request fields only. Anything that is not an object is sent as it is (and refused). */
export function requestOf(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input).filter(([k]) => SENT.has(k)));
}

/** True when at least one of the names is a request field (a CSV header that names none is not a request list). */
export const namesAnyRequestField = (names: readonly string[]) => names.some((n) => SENT.has(n));

export function resultRow(a: Answered): ResultRow {
  const r: BatchResult = a.result;
  return {
    line: a.line,
    input: a.input,
    ok: r.ok,
    status: r.status,
    error: r.ok ? null : r.error.code,
    // What to fix, field by field, for a row the function refused.
    message: r.ok ? null : [r.error.message, ...(r.error.issues ?? []).map((i) => `${i.path}: ${i.message}`)].join(' '),
    retryable: !r.ok && r.error.retryable,
    requestId: r.requestId,
    data: r.ok ? r.data : null,
  };
}

/** The binding's fields, every one (the compiler checks none is missing), as `data.<field>` columns in CSV. */
const BINDING_FIELDS = [
  'subsId',
  'phoneNoX',
  'phoneNoA',
  'phoneNoB',
  'extension',
  'groupId',
  'status',
  'gmtCreate',
  'expireDate',
  'needRecord',
  'callRestrict',
  'asrStatus',
  'asrModelId',
] as const satisfies readonly (keyof BindingDetail)[];
type Missing = Exclude<keyof BindingDetail, (typeof BINDING_FIELDS)[number]>;
const _everyField: [Missing] extends [never] ? true : Missing = true;

const ITEM_COLUMNS = ['ok', 'status', 'error', 'message', 'retryable', 'requestId'] as const;

/** The CSV columns: `line`, the input's (the CSV header as given, or the request fields for JSON Lines input), the item's, the binding's. */
export function csvColumns(inputColumns: readonly string[] | undefined): string[] {
  return ['line', ...(inputColumns ?? Object.keys(REQUEST_NAMES)), ...ITEM_COLUMNS, ...BINDING_FIELDS.map((f) => `data.${f}`)];
}

const cell = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** An input row's cells under the given columns, as CSV output writes them. */
export function inputCells(input: unknown, inputColumns: readonly string[]): string[] {
  const fields = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  return inputColumns.map((c) => cell(fields[c]));
}

/** The input columns of a CSV result file's columns: between `line` and the item's columns. */
export const inputColumnsOf = (columns: readonly string[]) => columns.slice(1, columns.length - ITEM_COLUMNS.length - BINDING_FIELDS.length);

function csvCells(row: ResultRow, inputColumns: readonly string[]): string[] {
  const data = (row.data ?? {}) as Partial<Record<string, unknown>>;
  return [String(row.line), ...inputCells(row.input, inputColumns), ...ITEM_COLUMNS.map((c) => cell(row[c])), ...BINDING_FIELDS.map((f) => cell(data[f]))];
}

/** The text of a batch's rows; every row ends with a newline, the checkpoint's unit. */
export function formatRows(rows: readonly ResultRow[], format: OutputFormat, columns: readonly string[]): string {
  if (format === 'jsonl') return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  const inputColumns = inputColumnsOf(columns);
  return stringify(
    rows.map((r) => csvCells(r, inputColumns)),
    { record_delimiter: '\n' },
  );
}

export const csvHeader = (columns: readonly string[]) => stringify([columns], { record_delimiter: '\n' });

/** What the progress line and the summary count: rows, by item status, by binding status, failures by code. */
export interface Tally {
  rows: number;
  byStatus: Record<string, number>;
  bindings: { ACTIVE: number; INACTIVE: number; UNKNOWN: number; expiredByDate: number };
  failures: Record<string, number>;
  /** Rows whose final answer is still a retryable failure: the run's exit status is 1. */
  retryableLeft: number;
}

export const emptyTally = (): Tally => ({
  rows: 0,
  byStatus: {},
  bindings: { ACTIVE: 0, INACTIVE: 0, UNKNOWN: 0, expiredByDate: 0 },
  failures: {},
  retryableLeft: 0,
});

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

export function count(
  t: Tally,
  row: Pick<ResultRow, 'status' | 'error' | 'retryable'> & { data: Pick<BindingDetail, 'status' | 'expireDate'> | null },
  now: number,
) {
  t.rows++;
  bump(t.byStatus, String(row.status));
  if (row.error !== null) bump(t.failures, row.error);
  if (row.retryable) t.retryableLeft++;
  if (row.data) {
    const status = row.data.status === 'ACTIVE' || row.data.status === 'INACTIVE' ? row.data.status : 'UNKNOWN';
    t.bindings[status]++;
    if (expiredByDate(row.data, now)) t.bindings.expiredByDate++;
  }
}
