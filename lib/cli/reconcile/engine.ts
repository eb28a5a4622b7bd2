/**
 * The reconcile run: rows in, one final result per row out, in input order, with one rate budget for the whole
 * run. Rows go to the function in batches (its batch mode); `parallel` batches are in flight, each asked to keep
 * to an equal share of the budget (the batch request's `maxRps`, which the function paces its Dyplsapi calls by,
 * retries included), and a worker's next batch starts no sooner than one request spacing after its last ended,
 * so that no 1 s window holds more than the budget. Rows answered retryable are asked again after a backoff,
 * in later sends, at a lowered pace; a batch is written once all its rows are final, and batches are written in
 * order, so the output is the checkpoint `--resume` reads.
 *
 * Time comes from the injected clock, and the function from the injected `ask`, so tests run it without waiting.
 */
import type { BatchResult, CallerErrorCode } from '../../caller';

export interface Row {
  /** The data row's number, from 1. */
  line: number;
  input: unknown;
}
export interface Answered extends Row {
  result: BatchResult;
}

export interface EngineOptions {
  rows: AsyncIterator<Row>;
  /** Lookups per second for the whole run. */
  rps: number;
  parallel: number;
  maxRetries: number;
  /** Sends lookups to the function as one batch paced at `maxRps`; one result per request, in order. */
  ask(requests: readonly unknown[], maxRps: number): Promise<BatchResult[]>;
  /** Writes a batch's results, in order; resolves once they are flushed. */
  write(rows: readonly Answered[]): Promise<void>;
  clock: { now(): number; sleep(ms: number): Promise<void>; random(): number };
  /** Checked between sends: once true, no new send starts; what is final is written. */
  stopped(): boolean;
}

export interface EngineResult {
  /** A whole send failed for a reason no retry mends (permission, function missing): the run stopped. */
  fatal: BatchResult | undefined;
  /** True when the run ended early (stopped, or fatal) with rows left unwritten. */
  incomplete: boolean;
}

/** Rows per batch: the function's batch mode takes at most 100, and a batch should end well inside its 10 s. */
const MAX_BATCH = 100;
const BATCH_SECONDS = 6;
/** The request spacing of a share, with the same 2% to spare the function's pace keeps. */
const spacingMs = (share: number) => Math.ceil(1020 / share);
const BACKOFF_FIRST_MS = 1000;
const BACKOFF_MAX_MS = 30_000;

/** Codes of a send that failed as a whole, before any row was looked at: the caller's own and Function Compute's. */
// Every caller code (the compiler checks the record against the caller library's CallerErrorCode), and missing
// credentials, which the caller answers before sending.
const CALLER_CODES: Record<CallerErrorCode, true> = {
  InvokeTimeout: true,
  InvokeUnavailable: true,
  InvokeBadResponse: true,
  FunctionError: true,
  PeerDependencyMissing: true,
};
const INVOCATION_CODES = new Set<string>([...Object.keys(CALLER_CODES), 'CredentialsUnavailable']);
const isInvocationFailure = (r: BatchResult) => !r.ok && (r.error.code.startsWith('FC.') || INVOCATION_CODES.has(r.error.code));

interface Batch {
  rows: Row[];
  results: (BatchResult | undefined)[];
  tries: number[];
  /** Rows not yet final. */
  open: number;
}
interface Item {
  batch: Batch;
  index: number;
  notBefore: number;
}

/** A whole send that failed the same non-retryable way for every row: nothing later sent would fare better. */
function fatalOf(results: readonly BatchResult[]): BatchResult | undefined {
  const first = results[0];
  if (!first || first.ok || first.error.retryable || !isInvocationFailure(first)) return undefined;
  return results.every((r) => !r.ok && r.error.code === first.error.code) ? first : undefined;
}

const MISSING: BatchResult = {
  status: 502,
  ok: false,
  requestId: null,
  error: { code: 'InvokeBadResponse', message: 'The batch answered fewer results than it was sent.', messageZh: '批量结果数量不足', retryable: false },
};

/** The run's shared state: open batches in input order, rows waiting for a retry, and the adaptive rate. */
function createState(o: EngineOptions) {
  const workers = Math.max(1, Math.min(o.parallel, o.rps));
  return {
    workers,
    batches: [] as Batch[],
    retries: [] as Item[],
    inputDone: false,
    inFlight: 0,
    fatal: undefined as BatchResult | undefined,
    /** Lookups per second now: halved when a send was throttled, a tenth back after each quiet send. */
    rate: o.rps,
    floorRate: Math.max(workers, o.rps / 8),
    /** Batches read but not yet written: bounds memory however long the input is. */
    maxOpen: workers * 4,
  };
}
type State = ReturnType<typeof createState>;

const shareOf = (s: State) => Math.max(1, Math.floor(s.rate / s.workers));
const sizeFor = (share: number) => Math.min(MAX_BATCH, Math.max(1, Math.floor(share * BATCH_SECONDS)));

/** Up to `n` fresh rows as a new batch; none once the input is exhausted. */
async function pullBatch(o: EngineOptions, s: State, n: number): Promise<Item[]> {
  const rows: Row[] = [];
  while (rows.length < n) {
    const next = await o.rows.next();
    if (next.done) {
      s.inputDone = true;
      break;
    }
    rows.push(next.value);
  }
  if (rows.length === 0) return [];
  const batch: Batch = { rows, results: rows.map(() => undefined), tries: rows.map(() => 0), open: rows.length };
  s.batches.push(batch);
  return rows.map((_, index) => ({ batch, index, notBefore: 0 }));
}

/** What a worker does next: send these items, wait this many ms, or stop (undefined). */
function createPicker(o: EngineOptions, s: State) {
  let pulling: Promise<Item[]> | undefined;
  return async function next(): Promise<Item[] | number | undefined> {
    const now = o.clock.now();
    const size = sizeFor(shareOf(s));
    const ready = s.retries.filter((i) => i.notBefore <= now).slice(0, size);
    if (ready.length > 0) {
      s.retries = s.retries.filter((i) => !ready.includes(i));
      return ready;
    }
    if (!s.inputDone && s.batches.length < s.maxOpen) {
      // One reader at a time: the input is a single stream.
      if (pulling) return 5;
      pulling = pullBatch(o, s, size);
      const fresh = await pulling.finally(() => (pulling = undefined));
      if (fresh.length > 0) return fresh;
    }
    if (s.retries.length > 0) return Math.max(1, Math.min(...s.retries.map((i) => i.notBefore)) - now);
    if (s.inFlight > 0 || pulling || (!s.inputDone && s.batches.length >= s.maxOpen)) return 20;
    return undefined;
  };
}

/** Records a send's results: final rows stay, retryable ones wait their backoff; the rate follows throttling. */
function settle(o: EngineOptions, s: State, items: readonly Item[], results: readonly BatchResult[]) {
  const fatal = fatalOf(results);
  if (fatal) {
    s.fatal = fatal;
    return;
  }
  const throttled = results.some((r) => !r.ok && r.status === 429);
  s.rate = throttled ? Math.max(s.floorRate, s.rate / 2) : Math.min(o.rps, s.rate + o.rps / 10);
  const now = o.clock.now();
  items.forEach((item, k) => {
    const { batch, index } = item;
    const result = results[k] ?? MISSING;
    batch.results[index] = result;
    const tries = ++batch.tries[index]!;
    if (!result.ok && result.error.retryable && tries <= o.maxRetries) {
      const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (tries - 1)) * (0.5 + o.clock.random() / 2);
      s.retries.push({ batch, index, notBefore: now + backoff });
    } else batch.open--;
  });
}

/** Writes the finished batches at the head, in order; one writer at a time. */
function createFlusher(o: EngineOptions, s: State) {
  let writing = Promise.resolve();
  return () =>
    (writing = writing.then(async () => {
      while (s.batches[0] && s.batches[0].open === 0) {
        const batch = s.batches[0];
        await o.write(batch.rows.map((row, i) => ({ ...row, result: batch.results[i] ?? MISSING })));
        s.batches.shift();
      }
    }));
}

export async function runEngine(o: EngineOptions): Promise<EngineResult> {
  const s = createState(o);
  const next = createPicker(o, s);
  const flush = createFlusher(o, s);
  const worker = async () => {
    let lastEnd = -Infinity;
    while (!o.stopped() && !s.fatal) {
      const work = await next();
      if (work === undefined) return;
      if (typeof work === 'number') {
        await o.clock.sleep(work);
        continue;
      }
      s.inFlight++;
      try {
        const share = shareOf(s);
        const wait = lastEnd + spacingMs(share) - o.clock.now();
        if (wait > 0) await o.clock.sleep(wait);
        const results = await o.ask(
          work.map((i) => i.batch.rows[i.index]?.input),
          share,
        );
        // Rows refused before any call (400 without a RequestId) spent none of the budget: no spacing after them.
        if (results.some((r) => r.requestId !== null || r.status !== 400)) lastEnd = o.clock.now();
        settle(o, s, work, results);
      } finally {
        s.inFlight--;
      }
      await flush();
    }
  };
  await Promise.all(Array.from({ length: s.workers }, worker));
  await flush();
  return { fatal: s.fatal, incomplete: s.batches.length > 0 || !s.inputDone };
}
