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
      this.sink(`${JSON.stringify({ level, time: this.now().toISOString(), msg, ...this.base, ...fields })}\n`);
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
    return new JsonLogger(this.sink, this.now, this.threshold, { ...this.base, ...fields });
  }
}

const systemNow = () => new Date();

export function createLogger(options: { level: LogLevel; sink?: LogSink; base?: LogFields; now?: () => Date }): Logger {
  return new JsonLogger(options.sink ?? stdoutSink, options.now ?? systemNow, RANK[options.level], options.base ?? {});
}
