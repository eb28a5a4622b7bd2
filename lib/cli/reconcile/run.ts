/**
 * `dypls-query reconcile FILE`: the input checked and counted, the checkpoint read back (with --resume), the
 * run, the rows written batch by batch, progress, the summary and the exit status.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BatchResult } from '../../caller';
import { UsageError } from '../args';
import type { Io } from '../io';
import { notOurs, readCheckpoint, type Checkpoint } from './checkpoint';
import { runEngine, type Answered } from './engine';
import { detectFormat, type InputFormat, readRows, scanInput } from './input';
import { createProgress } from './progress';
import {
  count,
  csvColumns,
  csvHeader,
  emptyTally,
  formatRows,
  inputCells,
  inputColumnsOf,
  namesAnyRequestField,
  requestOf,
  resultRow,
  type OutputFormat,
  type Tally,
} from './results';
import { summaryText } from './summary';

export interface ReconcileOptions {
  file: string;
  out: string | undefined;
  format: OutputFormat;
  inputFormat: InputFormat | undefined;
  rps: number;
  parallel: number;
  maxRetries: number;
  resume: boolean;
  quiet: boolean;
  /** The original command line, to print the resume command. */
  argv: readonly string[];
}

/** Sends a batch paced at `maxRps`; one result per request. */
export type AskBatch = (requests: readonly unknown[], maxRps: number) => Promise<BatchResult[]>;

/** Standard input is copied to a temporary file first, so that it is checked and counted before any call, as a file is. */
async function spoolStdin(io: Io): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'dypls-query-'));
  const path = join(dir, 'stdin');
  await pipeline(io.stdin, createWriteStream(path));
  return { path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Where rows go: the output file (opened so that an existing one is never overwritten) or stdout. */
async function openSink(o: ReconcileOptions, io: Io): Promise<{ write(text: string): Promise<void>; close(): Promise<void> }> {
  if (o.out === undefined) {
    return {
      write: (text) => new Promise<void>((resolve, reject) => io.stdout.write(text, (err) => (err ? reject(err) : resolve()))),
      close: async () => {},
    };
  }
  const handle: FileHandle = await open(o.out, o.resume ? 'a' : 'wx');
  return {
    // One write per batch straight to the file: once it returns, a SIGKILL of this process cannot lose it.
    write: async (text) => {
      await handle.write(text);
    },
    close: () => handle.close(),
  };
}

function checkOptions(o: ReconcileOptions) {
  if (o.resume && o.out === undefined) throw new UsageError('--resume needs --out FILE: the output file is the checkpoint');
  if (o.out !== undefined && !o.resume && existsSync(o.out)) {
    throw new UsageError(`${o.out} exists; pass --resume to continue that run, or choose another --out (it is never overwritten)`);
  }
  if (o.file !== '-' && !existsSync(o.file)) throw new UsageError(`${o.file}: no such file`);
}

/** An input row as the result file holds it, to compare with the checkpoint's last row. */
function asWritten(input: unknown, format: OutputFormat, columns: readonly string[]): string {
  return format === 'jsonl' ? JSON.stringify(input) : JSON.stringify(inputCells(input, inputColumnsOf(columns)));
}

/** The input checked, counted and matched against the checkpoint: what the run starts from. */
async function prepare(o: ReconcileOptions, path: string, now: number) {
  const inputFormat = await detectFormat(path, o.inputFormat);
  const scan = await scanInput(path, inputFormat);
  if (inputFormat === 'csv' && scan.columns && !namesAnyRequestField(scan.columns)) {
    throw new UsageError(`${o.file}: the header names no request field (poolKey or productType, subsId, phoneNoX; camelCase or PascalCase)`);
  }
  const columns = csvColumns(inputFormat === 'csv' ? scan.columns : undefined);
  const checkpoint: Checkpoint | undefined = o.resume && o.out !== undefined && existsSync(o.out) ? await readCheckpoint(o.out, o.format, now) : undefined;
  if (checkpoint && o.out !== undefined) await matchCheckpoint(o.out, checkpoint, { path, inputFormat, columns, rows: scan.rows, format: o.format });
  return { inputFormat, total: scan.rows, columns, checkpoint };
}

/** A checkpoint belongs to this input: no more rows than it has, the same columns, the same last row. */
async function matchCheckpoint(
  out: string,
  cp: Checkpoint,
  input: { path: string; inputFormat: InputFormat; columns: string[]; rows: number; format: OutputFormat },
) {
  const refuse = (why: string) => notOurs(out, why);
  if (cp.rows > input.rows) throw refuse(`it holds ${cp.rows} rows, the input ${input.rows}`);
  if (input.format === 'csv' && cp.header && JSON.stringify(cp.header) !== JSON.stringify(input.columns)) throw refuse('other columns');
  if (cp.rows === 0) return;
  const last = await readRows(input.path, input.inputFormat, cp.rows - 1).next();
  if (last.done || asWritten(last.value.input, input.format, input.columns) !== cp.lastInput) throw refuse(`row ${cp.rows} differs`);
}

export interface ReconcileDeps {
  ask: AskBatch;
  io: Io;
}

/** Runs the lookups and writes every row; answers the exit status. */
export async function reconcile(o: ReconcileOptions, deps: ReconcileDeps): Promise<number> {
  checkOptions(o);
  const { io } = deps;
  const spooled = o.file === '-' ? await spoolStdin(io) : undefined;
  try {
    const path = spooled?.path ?? o.file;
    const started = io.now();
    const p = await prepare(o, path, started);
    const sink = await openSink(o, io);
    try {
      if (o.format === 'csv' && !p.checkpoint?.header) await sink.write(csvHeader(p.columns));
      return await execute(o, deps, { ...p, path, started, sink });
    } finally {
      await sink.close();
    }
  } finally {
    await spooled?.cleanup();
  }
}

type Prepared = Awaited<ReturnType<typeof prepare>> & { path: string; started: number; sink: Awaited<ReturnType<typeof openSink>> };

async function execute(o: ReconcileOptions, { ask, io }: ReconcileDeps, p: Prepared): Promise<number> {
  const tally: Tally = p.checkpoint?.tally ?? emptyTally();
  const fromCheckpoint = tally.rows;
  let asked = 0;
  let interrupted = false;
  const mode = o.quiet ? 'none' : io.stderr.isTTY ? 'bar' : 'json';
  const progress = createProgress({ mode, stream: io.stderr, total: p.total, now: io.now });
  const stopListening = io.onInterrupt(() => {
    if (interrupted) process.exit(130);
    interrupted = true;
    io.stderr.write('\nstopping: the batches in flight are written first (Ctrl-C again to stop at once)\n');
  });
  const write = async (rows: readonly Answered[]) => {
    const results = rows.map(resultRow);
    await p.sink.write(formatRows(results, o.format, p.columns));
    for (const r of results) count(tally, r, io.now());
    progress.update(tally, asked);
  };
  const engine = await runEngine({
    rows: readRows(p.path, p.inputFormat, fromCheckpoint),
    rps: o.rps,
    parallel: o.parallel,
    maxRetries: o.maxRetries,
    ask: async (requests, maxRps) => {
      const results = await ask(requests.map(requestOf), maxRps);
      // A row the caller library refused before sending (InvalidRequest, no RequestId) was not asked of anyone.
      asked += results.filter((r) => r.ok || r.error.code !== 'InvalidRequest' || r.requestId !== null).length;
      return results;
    },
    write,
    clock: io,
    stopped: () => interrupted,
  }).finally(() => {
    stopListening();
    progress.stop();
  });
  const elapsedMs = io.now() - p.started;
  if (!o.quiet) io.stderr.write(summaryText({ tally, total: p.total, fromCheckpoint, asked, elapsedMs }));
  return finish(o, io, { engine, interrupted, tally });
}

/** The closing lines and the exit status: 0 every row final, 1 retryable rows left or the run stopped on a failure, 130 interrupted. */
function finish(o: ReconcileOptions, io: Io, r: { engine: Awaited<ReturnType<typeof runEngine>>; interrupted: boolean; tally: Tally }): number {
  const resume = o.out === undefined ? 'write to a file with --out to be able to resume' : `resume with: dypls-query ${resumeArgs(o.argv)}`;
  if (r.engine.fatal && !r.engine.fatal.ok) {
    const { error } = r.engine.fatal;
    io.stderr.write(`error: ${error.code}: ${error.message}\nstopped: no row can be answered until this is fixed; ${resume}\n`);
    return 1;
  }
  if (r.interrupted && r.engine.incomplete) {
    io.stderr.write(`interrupted after ${r.tally.rows} rows; ${resume}\n`);
    return 130;
  }
  return r.tally.retryableLeft > 0 ? 1 : 0;
}

/** The command line again, with --resume. */
function resumeArgs(argv: readonly string[]): string {
  const args = argv.includes('--resume') ? [...argv] : [...argv, '--resume'];
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');
}
