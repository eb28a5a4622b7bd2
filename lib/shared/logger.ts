/**
 * One JSON object per line on stdout. `process.stdout.write`, not `console.log`: FC prefixes console lines
 * with text, which breaks SLS JSON indexing. Callers pass only fields they chose; there is no "log the event"
 * helper on purpose (events carry headers, which can carry Authorization).
 */
import type { LogLevel } from './env';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, string | number | boolean | null | undefined | string[]>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose lines all carry `fields` (the FC requestId, the function name). */
  child(fields: LogFields): Logger;
}

export type LogSink = (line: string) => void;

const stdoutSink: LogSink = (line) => {
  process.stdout.write(line);
};

/** SLS keeps lines whole up to far more, but a line this function writes is a summary: 4 KB bounds any field. */
export const MAX_LINE_BYTES = 4096;
/** No single string field gets more than this (callers already redact; this bounds what they forgot). */
const MAX_FIELD_CHARS = 512;

function bounded(fields: LogFields | undefined): LogFields | undefined {
  if (!fields) return fields;
  let out: LogFields | undefined;
  for (const [k, v] of Object.entries(fields)) {
    const capped =
      typeof v === 'string' && v.length > MAX_FIELD_CHARS ? `${v.slice(0, MAX_FIELD_CHARS)}…` : Array.isArray(v) && v.length > 20 ? v.slice(0, 20) : v;
    if (capped !== v) (out ??= { ...fields })[k] = capped;
  }
  return out ?? fields;
}

/** One class, so a per-invocation child costs one small object rather than a set of new closures. */
class JsonLogger implements Logger {
  constructor(
    private readonly sink: LogSink,
    private readonly now: () => Date,
    private readonly threshold: number,
    private readonly base: LogFields,
  ) {}

  private write(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    if (RANK[level] < this.threshold) return;
    try {
      const time = this.now().toISOString();
      let line = JSON.stringify({ level, time, msg, ...this.base, ...bounded(fields) });
      // Many capped fields can still add up: keep the line's identity and say that the rest was dropped.
      if (Buffer.byteLength(line) > MAX_LINE_BYTES) line = JSON.stringify({ level, time, msg, ...this.base, truncated: true });
      this.sink(`${line}\n`);
    } catch {
      // A closed or full stdout must not turn an answer into a failure.
    }
  }

  debug(msg: string, fields?: LogFields): void {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.write('error', msg, fields);
  }
  child(fields: LogFields): Logger {
    return new JsonLogger(this.sink, this.now, this.threshold, { ...this.base, ...bounded(fields) });
  }
}

const systemNow = () => new Date();

export function createLogger(options: { level: LogLevel; sink?: LogSink; base?: LogFields; now?: () => Date }): Logger {
  return new JsonLogger(options.sink ?? stdoutSink, options.now ?? systemNow, RANK[options.level], options.base ?? {});
}
